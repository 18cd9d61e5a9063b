"""The MkDocs adapter: loads and checks the handbook once per build and hands MkDocs its pages."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext
from pymdownx.superfences import fence_code_format

from sopkit.check import check_library, not_checked
from sopkit.history import History, read_history, recent_changes
from sopkit.labels import ENGLISH, LabelError, script_keys, site_labels, steps_headings
from sopkit.load import REGISTRIES, LoadCache, load_library
from sopkit.macros import HandbookMacros
from sopkit.mkdocs.config import SopkitConfig
from sopkit.mkdocs.i18n import add_in_language, hold_back_pages, i18n_plugin
from sopkit.mkdocs.nav import ordered_nav
from sopkit.mkdocs.safe_links import SafeLinksExtension
from sopkit.mkdocs.sources import SourceFolders, with_markdown
from sopkit.model import Diagnostic, Library, Settings, Sop
from sopkit.render import paging, passthrough
from sopkit.render.assets import SCRIPTS, STYLESHEETS, labels_island
from sopkit.render.context import GeneratedPage, PageOptions, all_phases, phase_anchor
from sopkit.render.export import catalogue_chunks, raci_csv
from sopkit.render.findings import display_prefix, finding_text
from sopkit.render.findings_html import (
    FINDINGS_PAGE,
    banner_html,
    findings_page_markdown,
    page_findings_html,
    pages_of_files,
)
from sopkit.render.history import WHATS_NEW, WHATS_NEW_LIMIT, sop_history_view, whats_new_page
from sopkit.render.links import relative_url
from sopkit.render.onboarding_pages import with_start_here
from sopkit.render.site_pages import (
    generated_files,
    generated_pages,
    part_clashes,
    part_pages,
    replaced_by_hand,
)
from sopkit.render.sop_page import sop_markdown
from sopkit.units import interval_days

log = get_plugin_logger(__name__)

ASSETS = "assets/sopkit"
MERMAID_COPY = f"{ASSETS}/mermaid.min.js"
# Parsed files survive `mkdocs serve` rebuilds (MkDocs makes a new plugin object each time).
_CACHES: dict[tuple[str, Settings], LoadCache] = {}

_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "admonition": {},
    "toc": {"permalink": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
_MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}


class SopkitPlugin(BasePlugin[SopkitConfig]):  # type: ignore[no-untyped-call]
    """Generates the handbook's pages, diagrams and exports from `sops/`, roles.yml, tools.yml."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: Literal["build", "gh-deploy", "serve"] = "build"
        self.settings = Settings()
        self.labels = ENGLISH
        self.today = dt.date.today()
        self.library: Library | None = None
        self.findings: list[Diagnostic] = []
        self.not_checked: list[str] = []
        self.prefix = ""
        """Before a handbook-relative path: the handbook's folder relative to the working
        directory, so MkDocs names files as `sopkit check` and compilers do."""
        self.page_findings: dict[str, list[Diagnostic]] = {}
        self.history: History | None = None
        self.mermaid_source: Path | None = None
        self.page_options: PageOptions | None = None
        self.macros = HandbookMacros(
            library=lambda: self.library,
            page=self._macro_page,
            options=self._options,
        )
        self.macros_plugin: Any = None
        self.sop_files: dict[str, File] = {}
        self.page_sops: dict[str, Sop] = {}
        self.sources = SourceFolders()
        self.i18n: Any = None
        self.held_back: list[File] = []
        self.html_blocks: dict[str, list[str]] = {}
        """Raw HTML blocks of the page being converted, by source path, kept away from Markdown."""
        self.hold_unsearched = True
        """Whether `unsearched` may hold parts back: only when no plugin but a search index
        reads a page's HTML between its conversion and its template (`_only_search_reads_html`)."""
        self.unsearched: dict[str, list[str]] = {}
        """What generated pages show but search never indexes (drawings, parts marked
        `data-search-exclude`), by source path, kept away from the search plugin until it has
        read the page (`on_page_context`)."""
        self.generated_srcs: set[str] = set()
        """Source paths of the pages this plugin writes (SOP pages included)."""
        self.part_pages: frozenset[str] = frozenset()
        """Source paths of the numbered pages (2, 3, ...) of the long lists this plugin writes:
        reached by each list's pager, left out of the nav."""
        self.page_scripts: dict[str, tuple[str, ...]] = {}
        """The messages of the scripts each page uses (`script_keys` of its content), by source
        path, from its content to its island in the head."""
        self.islands: dict[tuple[str, ...], str] = {}
        """Each island made, by its keys: pages of one kind share theirs."""

    @event_priority(100)  # first: later events behave differently under `mkdocs serve`
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    @event_priority(50)  # early: extensions and assets must be in place before other plugins copy
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        options = self.config
        if interval_days(options.review_every) is None:
            raise PluginError(
                f"sopkit: review_every: expected an interval such as 90d, 6mo or 1y, "
                f"but received {options.review_every!r}"
            )
        if not options.phases:
            raise PluginError("sopkit: phases: expected at least one phase")
        self.today = _today_option(options.today) or dt.date.today()
        if options.whats_new_days < 1:
            raise PluginError(
                f"sopkit: whats_new_days: expected a number of days of 1 or more, but received "
                f"{options.whats_new_days}"
            )
        language = config.theme.get("language")
        try:
            self.labels = site_labels(language, options.labels)
            self.islands = {}
        except LabelError as error:
            raise PluginError(f"sopkit: {error}") from None
        if options.steps_heading is not None and not options.steps_heading.strip():
            raise PluginError(
                "sopkit: steps_heading: expected the text of a heading such as Ablauf, but "
                "received an empty text"
            )
        self.settings = Settings(
            sops_dir=options.sops_dir.strip("/"),
            phases=tuple(options.phases),
            review_every=options.review_every,
            steps_headings=steps_headings(language, options.steps_heading),
            rules=options.rules,
            runs_per_year=options.runs_per_year,
        )
        # Idempotent: mkdocs-static-i18n builds each language with the same config again.
        _add_markdown_extensions(config)
        self._register_macros(config)
        for name in STYLESHEETS:
            _append_once(config.extra_css, f"{ASSETS}/{name}")
        for name in SCRIPTS:
            _append_once(config.extra_javascript, f"{ASSETS}/{name}")
        self._configure_mermaid(config)
        self.hold_unsearched = _only_search_reads_html(config, self)
        return config

    def _register_macros(self, config: MkDocsConfig) -> None:
        """Hand the macros to mkdocs-macros when the site enables it (no module to write)."""
        macros_plugin = config.plugins.get("macros")
        if macros_plugin is None or not hasattr(macros_plugin, "register_macros"):
            return
        if macros_plugin is self.macros_plugin:
            return  # registered by an earlier build of the same site
        self.macros_plugin = macros_plugin
        macros_plugin.register_macros(self.macros.functions())

    def _macro_page(self) -> str:
        page = getattr(self.macros_plugin, "page", None)
        return page.file.src_uri if page is not None else "index.md"

    def _configure_mermaid(self, config: MkDocsConfig) -> None:
        source = self.config.mermaid_js
        if not source:
            return
        if source.startswith(("http://", "https://", "//")):
            _append_once(config.extra_javascript, source)
            return
        base = Path(config.config_file_path or ".").parent
        path = (base / source).resolve()
        if not path.is_file():
            raise PluginError(
                f"sopkit: mermaid_js: expected a URL or the path of the Mermaid bundle, but "
                f"{path} does not exist (see the docs: npm pack mermaid@11)"
            )
        self.mermaid_source = path
        # Material uses an existing `window.mermaid` instead of fetching its CDN copy.
        _append_once(config.extra_javascript, MERMAID_COPY)

    @event_priority(50)  # early: other plugins (search, tags, macros) must see generated pages
    def _generate_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = config.docs_dir
        serving = self.command == "serve"
        cache = (
            _CACHES.setdefault((os.path.abspath(docs_dir), self.settings), LoadCache())
            if serving
            else None
        )
        library = load_library(docs_dir, self.settings, cache)
        self.findings = check_library(library, self.today)
        if not serving:
            # Where each key was written only serves the checker's messages: a build lets the
            # positions go (a third of the parsed handbook); `serve` keeps them for its cache.
            library = replace(library, sources={})
        self.library = library
        self.not_checked = not_checked(library)
        self.prefix = display_prefix(docs_dir)
        self._report(self.findings)
        own = paging.addresses(
            (file.src_uri for file in files if file.is_documentation_page()),
            config.use_directory_urls,
        )
        options = self.page_options = PageOptions(
            today=self.today,
            today_pinned=_today_option(self.config.today) is not None,
            templates=self.config.templates,
            use_directory_urls=config.use_directory_urls,
            onboarding=self.config.onboarding,
            health=self.config.health,
            site_key=config.site_name,
            raci_split=self.config.raci_split,
            holidays=self.config.holidays,
            material_tags=any(name in ("tags", "material/tags") for name in config.plugins),
            labels=self.labels,
            steps_heading=self.config.steps_heading,
            taken=frozenset(own),
        )
        history = self.history = self._history(config, library) if self.config.history else None
        # An SOP file keeps its source path, which plugins read; its page Markdown is made when
        # MkDocs reads the page (`_page_markdown`), so a build never holds every SOP page at once.
        self.sop_files, self.page_sops = {}, {}
        self.html_blocks, self.unsearched, self.page_scripts = {}, {}, {}
        for sop in library.sops:
            file = files.get_file_from_path(sop.file)
            if file is not None and library.sop(sop.id) is sop:
                self.sop_files[sop.file] = with_markdown(file, PENDING_PAGE)
                self.page_sops[sop.file] = sop
        for rel in library.sop_files:
            file = files.get_file_from_path(rel)
            if rel not in self.sop_files and file is not None:
                self.sop_files[rel] = with_markdown(file, UNREADABLE_PAGE)
        for name in REGISTRIES:
            registry = files.get_file_from_path(name)
            if registry is not None:
                files.remove(registry)
        pages = generated_pages(library, options)
        if history is not None:
            pages[WHATS_NEW] = self._whats_new(config, library, history)
        clashes = part_clashes(pages, own, config.use_directory_urls)
        self.findings = [*self.findings, *clashes]
        for finding in clashes:
            log.warning(self._line(finding))
        by_hand = {file.src_uri for file in files}
        replaced = replaced_by_hand(pages, by_hand)
        self.part_pages = part_pages(pages) - replaced
        # Each page waits on disk, not in memory, until MkDocs reads it.
        for src, page in pages.items():
            if src in replaced:
                if src in by_hand:
                    log.info(f"{src} is written by hand; it replaces the generated page")
                continue
            path = self.sources.write(src, page.markdown)
            generated = File.generated(config, src, abs_src_path=str(path))
            generated.edit_uri = page.edit_uri
            files.append(generated)
        del pages
        name = self._name(config)
        self.generated_srcs = {
            *self.sop_files,
            *(file.src_uri for file in files if file.generated_by == name),
        }
        for src, text in generated_files(library).items():
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=text))
        if self.command == "serve":
            self._add_findings_page(library, files, config)
        for name in (*STYLESHEETS, *SCRIPTS):
            files.append(File.generated(config, f"{ASSETS}/{name}", content=_asset(name)))
        if self.mermaid_source is not None:
            files.append(
                File.generated(config, MERMAID_COPY, abs_src_path=str(self.mermaid_source))
            )
        # Last: every file generated above, by whichever page writer, gets a source on disk.
        self.sources.write_sources(files, self._name(config))
        self.i18n = i18n_plugin(config)
        if self.i18n is not None:
            self.held_back = hold_back_pages(files, self._name(config))
        return files

    @event_priority(-110)  # after mkdocs-static-i18n (-100), which drops pages not in docs_dir
    def _add_held_back_pages(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.i18n is not None:
            add_in_language(files, self.held_back, self.i18n)
            self.held_back = []
        return files

    on_files = CombinedEvent(_generate_files, _add_held_back_pages)

    def _name(self, config: MkDocsConfig) -> str:
        """The name this plugin has in the site's `plugins` (what `File.generated` records)."""
        return next((name for name, plugin in config.plugins.items() if plugin is self), "sopkit")

    def _add_findings_page(self, library: Library, files: Files, config: MkDocsConfig) -> None:
        """Under `serve`: the findings page, and which page shows which file's findings."""
        pages = pages_of_files(library)
        self.page_findings = {}
        for finding in self.findings:
            page = pages.get(finding.file)
            if page is not None:
                self.page_findings.setdefault(page, []).append(finding)
        if files.get_file_from_path(FINDINGS_PAGE) is not None:
            log.info(f"{FINDINGS_PAGE} is written by hand; the banner links to it")
            return
        content = findings_page_markdown(
            self.findings, self.not_checked, self.prefix, pages, config.use_directory_urls
        )
        files.append(File.generated(config, FINDINGS_PAGE, content=content))

    def _stashed(self, src: str, markdown: str) -> str:
        text, blocks = passthrough.stash(markdown)
        if blocks:
            self.html_blocks[src] = blocks
        return text

    def _history(self, config: MkDocsConfig, library: Library) -> History:
        history = read_history(Path(config.docs_dir), self.settings, library.sop_files)
        if not history.available:
            log.info(
                f"No git history ({history.reason}): SOP pages show no history and "
                "whats-new/ says so"
            )
        elif history.shallow:
            log.warning(
                "The repository is a shallow clone: SOP history and whats-new/ are partial "
                "(fetch the whole history, e.g. `fetch-depth: 0` with actions/checkout)"
            )
        return history

    def _whats_new(self, config: MkDocsConfig, library: Library, history: History) -> GeneratedPage:
        days = self.config.whats_new_days
        # The period ends on `today:` if set, else at the newest commit: the same repository
        # then builds the same page whatever the day of the build.
        until = _today_option(self.config.today) or (
            history.changes[0].commit.day if history.changes else self.today
        )
        since = until - dt.timedelta(days=days - 1)
        summaries, unlisted = recent_changes(
            history, Path(config.docs_dir), self.settings, since, until, WHATS_NEW_LIMIT
        )
        return whats_new_page(
            history, summaries, unlisted, days, until, frozenset(library.sop_files), self.labels
        )

    def _report(self, findings: list[Diagnostic]) -> None:
        errors = [f for f in findings if f.severity == "error"]
        for finding in findings:
            if finding.severity == "warning":
                log.warning(self._line(finding))
        for line in self.not_checked:
            log.info(line)
        if not errors:
            return
        if self.command == "serve":
            # Keep serving: the author sees every finding here and on the affected pages.
            for finding in errors:
                log.error(self._line(finding))
            return
        listing = "\n".join(self._line(f) for f in errors)
        raise PluginError(
            f"sopkit found {len(errors)} error{'s' if len(errors) != 1 else ''} in the handbook:\n"
            f"{listing}"
        )

    @event_priority(100)  # first: no other plugin sees an SOP page unmade or a raw HTML block
    def _page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """An SOP page's Markdown, made now; then any generated page's raw HTML blocks, stashed
        until `on_page_content`.

        The Markdown is made here for every SOP page: for the file `on_files` gave a placeholder,
        and for one that another plugin replaced since (i18n does), which holds the SOP's raw text.
        """
        src = page.file.src_uri
        if src not in self.generated_srcs:
            return None
        ours = self.sop_files.get(src)
        sop = self.page_sops.get(src)
        if sop is not None and self.library is not None:
            source = sop_markdown(
                self.library, sop, self._options(), history=sop_history_view(self.history, src)
            )
            markdown, page.meta = get_data(source)
        elif ours is not None and ours is not page.file:
            markdown, page.meta = get_data(UNREADABLE_PAGE)
        return self._stashed(src, markdown)

    def _line(self, finding: Diagnostic) -> str:
        """As `sopkit check` prints it: `path:line:col: severity rule: message`, hint below."""
        return finding_text(finding, self.prefix)

    @event_priority(-50)  # late: after mkdocs-macros has run the page's macros
    def _macro_problems(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        problems = [p for p in self.macros.problems if p.page == page.file.src_uri]
        if problems:
            listing = "\n".join(f"{p.page}: {p.macro}: {p.message}" for p in problems)
            if self.command == "serve":
                log.error(listing)
            else:
                raise PluginError(f"sopkit: a macro names something the handbook lacks:\n{listing}")
        if page.is_homepage and self.config.onboarding and "onboarding/" not in markdown:
            return with_start_here(markdown, self.labels)
        return markdown

    on_page_markdown = CombinedEvent(_page_markdown, _macro_problems)

    def _options(self) -> PageOptions:
        return self.page_options or PageOptions(today=self.today)

    @event_priority(50)  # early: other plugins must see the page's HTML blocks back in place
    def _page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.title:
            page.title = safe_title(page.title)
        # Popped: once back in the page's HTML, the blocks would only double the memory held.
        blocks = self.html_blocks.pop(page.file.src_uri, [])
        if self.hold_unsearched:
            blocks, unsearched = passthrough.unsearched_apart(blocks)
            if unsearched:
                self.unsearched[page.file.src_uri] = unsearched
        html = unsearched_svg(passthrough.restore(html, blocks))
        if self.command != "serve":
            return html
        src = page.file.src_uri
        own = self.page_findings.get(src)
        if own:
            shown = self.prefix + own[0].file
            html = _after_title(html, page_findings_html(own, shown))
        url = relative_url(src, FINDINGS_PAGE, config.use_directory_urls)
        return banner_html(self.findings, url) + html

    @event_priority(-50)  # after the search plugin (0): it need not parse what it never indexes
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """What search skipped of a generated page back in its HTML, before the theme renders it."""
        unsearched = self.unsearched.pop(page.file.src_uri, [])
        if unsearched and page.content is not None:
            page.content = passthrough.restore_unsearched(page.content, unsearched)
        # From the content, not the whole page: what the scripts work on is in it, and a large
        # handbook's navigation would be searched on every page.
        self.page_scripts[page.file.src_uri] = script_keys(page.content or "")
        return context

    @event_priority(-100)  # last: every other plugin has read the page's Markdown by now
    def _release_markdown(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs holds each page's Markdown and HTML until the last page is written; a
        # generated page's Markdown is of no further use once it is HTML. (Empty, not None:
        # a page whose Markdown is None has no title.)
        if page.file.src_uri in self.generated_srcs:
            page.markdown = ""
        return html

    on_page_content = CombinedEvent(_page_content, _release_markdown)

    @event_priority(0)  # default: only adds the JSON island of the scripts' words to the head
    def _add_labels(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        keys = self.page_scripts.pop(page.file.src_uri, None) or script_keys(output)
        island = self.islands.get(keys)
        if island is None:
            island = self.islands[keys] = labels_island(self.labels, keys)
        head = output.find("</head>")
        return output[:head] + island + output[head:] if head >= 0 else island + output

    @event_priority(-100)  # last: every other plugin has read the page's HTML by now
    def _release_content(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # The page is written once this returns: a generated page's HTML need not be held
        # until the end of the build, which also writes the search index and the exports.
        if page.file.src_uri in self.generated_srcs:
            page.content = ""
        return output

    on_post_page = CombinedEvent(_add_labels, _release_content)

    @event_priority(-50)  # late: after other plugins have added their pages to the nav
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if config.nav is None:
            library = self.library
            phases = [phase_anchor(p) for p in all_phases(library)] if library is not None else []
            nav.items = ordered_nav(
                nav.items, self.settings.sops_dir, self.labels, self.part_pages, phases
            )
            # The findings page is reached from the banner and the page admonitions.
            nav.items = [
                item
                for item in nav.items
                if not (isinstance(item, Page) and item.file.src_uri == FINDINGS_PAGE)
            ]
        return nav

    @event_priority(0)  # default: only adds paths to watch
    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a registry or a site template changes (also outside docs_dir)."""
        for name in REGISTRIES:
            path = Path(config.docs_dir) / name
            if path.exists():
                server.watch(str(path))
        if self.config.templates:
            server.watch(self.config.templates)
        return server

    @event_priority(-100)  # last: other plugins may read generated sources until then
    def _remove_sources(self, *, config: MkDocsConfig) -> None:
        self.sources.remove()

    @event_priority(0)  # default: only removes this build's temporary sources
    def on_build_error(self, *, error: Exception) -> None:
        self.sources.remove()

    @event_priority(0)  # default: `mkdocs serve` ends; nothing of its builds stays behind
    def on_shutdown(self) -> None:
        self.sources.remove()

    @event_priority(0)  # default: nothing else depends on the exports
    def _write_exports(self, *, config: MkDocsConfig) -> None:
        if not self.config.exports or self.library is None:
            return
        site = Path(config.site_dir)
        site.mkdir(parents=True, exist_ok=True)
        # No newline translation: the same LF line ends on every system, as `sopkit export`
        # writes. Written as it is encoded: the whole text of a large handbook is never held.
        with (site / "sops.json").open("w", encoding="utf-8", newline="") as stream:
            stream.writelines(catalogue_chunks(self.library, config.use_directory_urls))
        (site / "raci.csv").write_bytes(raci_csv(self.library).encode("utf-8"))

    on_post_build = CombinedEvent(_write_exports, _remove_sources)


SEARCH_PLUGINS = ("mkdocs.contrib.search", "material.plugins.search")
"""The modules of the search plugins that read a page to index it, and nothing else."""
CONTEXT_ONLY = ("material.plugins.tags",)
"""Plugins whose `on_page_context` adds to the template's context without reading the page."""


def _only_search_reads_html(config: MkDocsConfig, own: object) -> bool:
    """True when, between sopkit's `on_page_content` and its `on_page_context`, no other plugin
    but a search index reads a page's HTML: a print page or a PDF made from the content must see
    the drawings and every other part that search skips. The site's own `hooks:` (functions, not
    plugins) see the page as the search index does; the README says so."""
    for event, allowed in (("page_content", ()), ("page_context", CONTEXT_ONLY)):
        for method in config.plugins.events.get(event, []):
            owner = getattr(method, "__self__", None)
            if owner is None or owner is own:
                continue
            if not type(owner).__module__.startswith(SEARCH_PLUGINS + allowed):
                return False
    return True


def unsearched_svg(html: str) -> str:
    """Every inline SVG marked `data-search-exclude`: chart and diagram labels are drawing, not
    text to find (Material's search skips the element and removes the attribute afterwards)."""
    return html.replace("<svg ", '<svg data-search-exclude="svg" ').replace(
        "<svg>", '<svg data-search-exclude="svg">'
    )


def _today_option(value: object) -> dt.date | None:
    """The `today:` option, written quoted (a string) or not (YAML reads a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PluginError(
            f"sopkit: today: expected a date YYYY-MM-DD, but received {value!r}"
        ) from None


def safe_title(title: str) -> str:
    """A page title that stays text in every place a theme puts it.

    MkDocs takes the title from the rendered heading, HTML-escaped. Themes print it unescaped
    in the nav, and Material's `<title>` runs it through `striptags`, which decodes `&lt;`:
    a heading like `</title><script>` would become markup there. Angle brackets in titles
    are therefore shown as the look-alike single guillemets.
    """
    return (
        title.replace("&lt;", "\u2039")
        .replace("&gt;", "\u203a")
        .replace("<", "\u2039")
        .replace(">", "\u203a")
    )


def _after_title(html: str, block: str) -> str:
    """`block` just below the page's `<h1>`, or on top when the page has none."""
    end = html.find("</h1>")
    if end < 0:
        return block + html
    end += len("</h1>")
    return html[:end] + "\n" + block + html[end:]


def _asset(name: str) -> str:
    return resources.files("sopkit.overrides").joinpath("assets", name).read_text(encoding="utf-8")


# An SOP file's content until MkDocs reads its page, which `_page_markdown` then makes.
PENDING_PAGE = """---
render_macros: false
---
"""

# What `mkdocs serve` shows for an SOP whose front matter cannot be read; the file's findings
# are shown above this text, as on every page under `serve`.
UNREADABLE_PAGE = """---
render_macros: false
---

# This SOP cannot be shown yet

The checker found the problems listed above in the file; fix them and the page comes back.
"""


def _add_markdown_extensions(config: MkDocsConfig) -> None:
    """Turn on what generated pages use, keeping the site's own settings of each extension."""
    extensions = config.markdown_extensions
    for name, options in _EXTENSIONS.items():
        if name not in extensions:
            extensions.append(name)
            config.mdx_configs[name] = dict(options)
    if "pymdownx.superfences" not in extensions:
        extensions.append("pymdownx.superfences")
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    custom = fences.setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in custom):
        custom.append(dict(_MERMAID_FENCE))
    if not any(isinstance(extension, SafeLinksExtension) for extension in extensions):
        extensions.append(SafeLinksExtension())  # type: ignore[arg-type]


def _append_once(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)
