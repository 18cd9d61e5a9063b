"""Real Chromium over built handbook sites: building and serving them, and watching what runs.

Everything here is test instrumentation: the site configurations, a quiet local web server, the
browser launch, a request filter that lets only the served site through, and the scripts that
read Mermaid diagrams out of Material's shadow roots.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    Route,
)
from playwright.sync_api import (
    TimeoutError as PlaywrightTimeout,
)

from .sites import HOSTILE, REPO, SHIPPED, build, copy_handbook

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = "Chromium is not installed: apt-get install chromium"
TODAY = "2026-11-24"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Headless Debian Chromium that talks to nobody but the site under test: no update checks,
# no sync, no metrics, no component downloads. The resolver rule is a backstop behind the
# request filter: a request that slipped past it still could not reach another host.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--disable-domain-reliability",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# A hand-written page with the `workflow` macro inside a collapsed block and a second tab:
# diagrams a reader only sees after opening the block or selecting the tab.
BLOCKS_PAGE = """\
# Diagrams in blocks

??? note "Attack workflow"

    {{ workflow("attack") | indent(4) }}

=== "Intro"

    The next tab holds a diagram.

=== "Second workflow"

    {{ workflow("attack-two") | indent(4) }}
"""


# --- building -------------------------------------------------------------------------------


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!ENV [NAME, default]` tags the safe loader refuses."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # The tests set every value they depend on; an `!ENV` only needs its written default.
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


_MkDocsLoader.add_constructor("!ENV", _env_default)


def shipped_config(mermaid_js: Path) -> dict[str, Any]:
    """The repository's mkdocs.yml with a local Mermaid bundle, system fonts and a fixed date."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.load(text, Loader=_MkDocsLoader)
    config.setdefault("theme", {})["font"] = False
    plugins = config.get("plugins", [])
    for index, entry in enumerate(plugins):
        if entry == "sopkit":
            plugins[index] = {"sopkit": {}}
        if isinstance(plugins[index], dict) and "sopkit" in plugins[index]:
            options = dict(plugins[index]["sopkit"] or {})
            options.update(mermaid_js=str(mermaid_js), today=TODAY)
            plugins[index] = {"sopkit": options}
            return config
    raise AssertionError("mkdocs.yml does not enable the sopkit plugin")


def hostile_config(mermaid_js: Path) -> dict[str, Any]:
    """A minimal site over the hostile handbook, with collapsible blocks and content tabs, in
    the light or dark scheme as the browser prefers (for the accessibility audit)."""
    return {
        "site_name": "Hostile handbook",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.instant"],
            "palette": [
                {"media": "(prefers-color-scheme: light)", "scheme": "default"},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate"},
            ],
        },
        "plugins": [
            "search",
            {"sopkit": {"mermaid_js": str(mermaid_js), "today": TODAY}},
            "macros",
        ],
        "markdown_extensions": [
            "pymdownx.details",
            {"pymdownx.tabbed": {"alternate_style": True}},
        ],
    }


def build_site(name: str, mermaid_js: Path, workdir: Path, site_url: str) -> Path:
    """Build the shipped or the hostile handbook with `mkdocs build --strict` into
    `workdir/site`, for serving at `site_url`.

    Material's instant navigation only follows links listed in sitemap.xml, whose entries need
    `site_url` (host and path; `mkdocs serve` sets it the same way), so the tests set it to
    the address the site is served at.
    """
    if name == "shipped":
        docs, config = copy_handbook(SHIPPED, workdir / "docs"), shipped_config(mermaid_js)
    else:
        docs, config = copy_handbook(HOSTILE, workdir / "docs"), hostile_config(mermaid_js)
        (docs / "diagrams-in-blocks.md").write_text(BLOCKS_PAGE, encoding="utf-8")
    config["site_url"] = site_url
    result = build(docs, workdir, config, name="site")
    assert result.returncode == 0, f"mkdocs build of the {name} handbook failed:\n{result.output}"
    return result.site


# --- serving --------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log: one line per request would bury pytest's output."""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # Chromium drops connections it no longer needs when it navigates away mid-load.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL, ending in `/`."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Site:
    """A built site and the URL it is served at."""

    name: str
    root: Path
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def pages(self) -> list[str]:
        """The path of every HTML page, as a reader's URL (`roles/lead/`, `404.html`)."""
        paths = []
        for file in sorted(self.root.rglob("*.html")):
            rel = file.relative_to(self.root).as_posix()
            paths.append(rel.removesuffix("index.html"))
        return paths

    def html(self, path: str) -> str:
        file = self.root / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        return file.read_text(encoding="utf-8")

    def diagram_count(self, path: str) -> int:
        """How many Mermaid fences the built page holds: the diagrams it must show."""
        return len(re.findall(r'<pre class="mermaid"', self.html(path)))


# --- the browser ----------------------------------------------------------------------------


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )


# Test instrumentation only: Material draws each diagram into a *closed* shadow root, which
# page scripts cannot read. Forcing "open" lets the tests inspect (and click) the SVG.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""


@dataclass
class Watch:
    """Everything the pages of one browser context did that a handbook page must never do."""

    origin: str
    visiting: str = ""
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        """Let requests to the served site through; record and abort everything else."""
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}/" == self.origin:
            route.continue_()
            return
        self.blocked.append(f"{self.visiting or '?'}: {url}")
        route.abort("blockedbyclient")

    def attach(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.page_errors.append(f"{self.visiting}: {error}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if source and any(entry.endswith(f": {source}") for entry in self.blocked):
            return  # the failed load of a blocked request: `blocked` reports it already
        self.console_errors.append(f"{self.visiting}: {message.text} ({source})")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{self.visiting}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def troubles(self) -> list[str]:
        """Page errors, console errors and dialogs so far (blocked requests are separate)."""
        return [
            *(f"page error: {e}" for e in self.page_errors),
            *(f"console error: {e}" for e in self.console_errors),
            *(f"dialog: {e}" for e in self.dialogs),
        ]


@contextmanager
def browse(browser: Browser, site: Site, **options: Any) -> Iterator[tuple[Page, Watch]]:
    """A fresh browser context on `site` (other hosts blocked) with one watched page."""
    context = browser.new_context(**options)
    watch = Watch(site.base_url)
    try:
        context.add_init_script(OPEN_SHADOW_ROOTS)
        context.route("**/*", watch.route)
        page = context.new_page()
        watch.attach(page)
        yield page, watch
    finally:
        context.close()


# --- reading diagrams -----------------------------------------------------------------------

DIAGRAM_ERRORS = ("Syntax error", "Maximum text size", "Unsupported markdown")

# Every diagram drawn: no fence left, at least `count` drawn containers.
DIAGRAMS_DRAWN = """
(count) => document.querySelectorAll("pre.mermaid").length === 0
  && document.querySelectorAll("div.mermaid").length >= count
"""

# What became of the page's diagrams, and every visible or hidden text, shadow roots included,
# where Mermaid would write an error.
DIAGRAM_STATE = """
(phrases) => {
  const texts = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || !node.parentElement.closest("script, style")) {
        texts.push(node.data);
      }
    }
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document.body);
  const text = texts.join(" ");
  const hosts = Array.from(document.querySelectorAll("div.mermaid"));
  const drawn = hosts.filter((host) => {
    const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
    return svg && svg.querySelectorAll("g.node").length > 0;
  });
  return {
    unrendered: document.querySelectorAll("pre.mermaid").length,
    drawn: drawn.length,
    empty: hosts.length - drawn.length,
    errors: phrases.filter((phrase) => text.includes(phrase)),
  };
}
"""

# Markup from handbook text that the browser made live: event handler attributes, scripts,
# frames, `javascript:` links, anywhere in the page content or its diagrams.
LIVE_MARKUP = """
() => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      for (const attribute of element.attributes) {
        const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
        if (attribute.name.startsWith("on")) found.push(`${element.localName} ${attribute.name}`);
        if (/^(href|src|xlink:href|action|formaction)$/.test(attribute.name)
            && /^(javascript|vbscript|data):/.test(value)) {
          found.push(`${element.localName} ${attribute.name}=${attribute.value}`);
        }
      }
      if (["script", "iframe", "object", "embed"].includes(element.localName)) {
        found.push(element.outerHTML.slice(0, 120));
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  for (const content of document.querySelectorAll(".md-content, .md-sidebar")) visit(content);
  return found;
}
"""


@dataclass(frozen=True)
class Visit:
    """What one page showed after loading, its collapsed blocks opened."""

    path: str
    expected: int
    unrendered: int
    drawn: int
    empty: int
    errors: list[str]
    live_markup: list[str]

    def diagram_problems(self) -> list[str]:
        problems = []
        if self.unrendered:
            problems.append(f"{self.unrendered} diagram(s) left as source")
        if self.drawn < self.expected:
            problems.append(f"{self.drawn} of {self.expected} diagram(s) drawn")
        if self.empty:
            problems.append(f"{self.empty} diagram(s) without an SVG or nodes")
        problems.extend(f"shows {phrase!r}" for phrase in self.errors)
        return [f"{self.path}: {problem}" for problem in problems]


def wait_for_diagrams(page: Page, count: int, timeout: float = 10_000) -> None:
    """Wait until `count` diagrams are drawn; on timeout return and let the state say why."""
    if count == 0:
        return
    with suppress(PlaywrightTimeout):
        page.wait_for_function(DIAGRAMS_DRAWN, arg=count, timeout=timeout)


def look(page: Page, path: str, expected: int) -> Visit:
    state = page.evaluate(DIAGRAM_STATE, list(DIAGRAM_ERRORS))
    return Visit(
        path=path,
        expected=expected,
        unrendered=state["unrendered"],
        drawn=state["drawn"],
        empty=state["empty"],
        errors=state["errors"],
        live_markup=page.evaluate(LIVE_MARKUP),
    )


@dataclass(frozen=True)
class Tour:
    """One full load of every page of a site, and what the browser saw."""

    site: Site
    visits: list[Visit]
    watch: Watch


def tour(page: Page, watch: Watch, site: Site) -> list[Visit]:
    """Load every page of `site` in turn (full loads), open its collapsed blocks, look."""
    visits = []
    for path in site.pages():
        watch.visiting = path
        expected = site.diagram_count(path)
        page.goto(site.url(path), wait_until="load")
        page.evaluate(
            "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
        )
        wait_for_diagrams(page, expected)
        visits.append(look(page, path, expected))
    # Let late errors of the last page arrive before anyone reads the record.
    page.wait_for_timeout(300)
    return visits


def shadow_text(page: Page, selector: str = "div.mermaid") -> list[str]:
    """The text of each diagram matching `selector`, whitespace folded."""
    texts: list[str] = page.eval_on_selector_all(
        selector,
        "(hosts) => hosts.map((h) => h.shadowRoot ? h.shadowRoot.textContent : '')",
    )
    return [" ".join(text.split()) for text in texts]


def shown_text(page: Page, selector: str) -> list[str]:
    """The visible text of each element matching `selector`, without heading permalinks."""
    texts: list[str] = page.eval_on_selector_all(
        selector,
        """(elements) => elements.map((element) => {
          const copy = element.cloneNode(true);
          copy.querySelectorAll(".headerlink").forEach((link) => link.remove());
          document.body.appendChild(copy);
          const text = copy.innerText;
          copy.remove();
          return text;
        })""",
    )
    return [" ".join(text.split()) for text in texts]


def in_viewport(page: Page, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            """(element) => {
              const box = element.getBoundingClientRect();
              return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
            }""",
        )
    )
