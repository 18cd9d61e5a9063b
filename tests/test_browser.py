"""What a reader sees, in real Chromium: the shipped handbook and a handbook of hostile strings.

Each site is built once with `mkdocs build --strict`, served on 127.0.0.1 and opened in Debian's
Chromium with every other host blocked. Needs `apt-get install chromium` and the pinned Mermaid
bundle (`python3 tests/mermaid_bundle.py`); without them these tests are skipped.
`SOPKIT_SCREENSHOTS=1 pytest -m screenshots` refreshes the README's screenshots.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.load import load_library

from .browser import (
    REPO,
    Site,
    Tour,
    Watch,
    browse,
    shown_text,
    wait_for_diagrams,
)
from .sites import SHIPPED

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def open_page(page: Page, site: Site, path: str) -> None:
    page.goto(site.url(path), wait_until="load")
    wait_for_diagrams(page, site.diagram_count(path))


# --- every page -----------------------------------------------------------------------------


def test_the_tour_covers_every_kind_of_page(toured: Tour) -> None:
    """The checks below read the tour; make sure it saw the pages that matter."""
    assert [visit.path for visit in toured.visits] == toured.site.pages()
    paths = set(toured.site.pages())
    views = {"", "404.html", "raci/", "lifecycle/", "health/", "roles/", "tools/", "onboarding/"}
    assert views <= paths
    if toured.site.name == "shipped":
        library = load_library(SHIPPED)
        assert {sop.file.removesuffix(".md") + "/" for sop in library.sops} <= paths
        assert {f"roles/{role}/" for role in library.roles} <= paths
        assert {f"tools/{tool}/" for tool in library.tools} <= paths
    else:
        assert {"sops/evil/attack/", "sops/evil/attack-two/", "diagrams-in-blocks/"} <= paths


def test_every_page_loads_without_page_or_console_errors(toured: Tour) -> None:
    assert toured.watch.page_errors == []
    assert toured.watch.console_errors == []


def test_no_page_opens_a_dialog(toured: Tour) -> None:
    assert toured.watch.dialogs == []


def test_no_handbook_text_becomes_live_markup(toured: Tour) -> None:
    live = [f"{v.path}: {markup}" for v in toured.visits for markup in v.live_markup]
    assert live == []


def test_every_mermaid_diagram_renders(toured: Tour) -> None:
    """Authors' own Mermaid fences are drawn offline with `mermaid_js`; generated pages have
    none (their diagrams are inline SVG: tests/test_browser_diagrams.py)."""
    problems = [problem for visit in toured.visits for problem in visit.diagram_problems()]
    assert problems == []
    expected = {visit.path: visit.expected for visit in toured.visits}
    sop_pages = [p for p in expected if re.fullmatch(r"sops/[^/]+/[^/]+/", p)]
    assert sop_pages, "no SOP page was visited"
    assert [p for p in [*sop_pages, "lifecycle/"] if expected[p]] == []
    if toured.site.name == "shipped":
        assert expected["how-we-work/"] >= 1


def test_no_request_leaves_the_site(toured: Tour) -> None:
    """With `mermaid_js` a local file and system fonts, no page asks another host for anything.

    (A github.com `repo_url` would break this: Material fetches the repository's stars from
    api.github.com on every full page load.)
    """
    assert sorted({entry.split(": ", 1)[1] for entry in toured.watch.blocked}) == []


# --- search ---------------------------------------------------------------------------------


def search(page: Page, query: str) -> list[str]:
    """Type `query` into Material's search box; the paths of the pages it lists."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    results = page.locator(".md-search-result__item a.md-search-result__link")
    expect(results.first).to_be_visible()
    base = page.evaluate("() => new URL('.', document.baseURI).pathname")
    paths = []
    for href in results.evaluate_all("(links) => links.map((link) => link.href)"):
        path = re.sub(r"^https?://[^/]+", "", href).split("#")[0].split("?")[0]
        paths.append(path.removeprefix(base) if base != "/" else path.lstrip("/"))
    return paths


def crawl_step_title() -> str:
    """A step title as the handbook file writes it (on-page SEO, step `crawl`)."""
    sop = load_library(SHIPPED).sop("on-page-seo")
    assert sop is not None
    step = sop.step("crawl")
    assert step is not None
    return step.title


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Semrush", {"sops/seo/on-page-seo/", "sops/content/content-production/"}),
        ("Performance Marketer", {"sops/channels/ppc-campaign/"}),
        (None, {"sops/seo/on-page-seo/"}),
    ],
    ids=["tool", "role", "step-title"],
)
def test_search_finds_sops(
    shipped: tuple[Page, Watch], shipped_site: Site, query: str | None, expected: set[str]
) -> None:
    page, watch = shipped
    open_page(page, shipped_site, "")
    found = search(page, query or crawl_step_title())
    assert expected & set(found), f"{expected} not among the results {found}"
    assert watch.troubles() == []


# --- onboarding -----------------------------------------------------------------------------

ONBOARDING = "onboarding/content-writer/"


def progress(page: Page) -> tuple[str, list[bool]]:
    label = page.locator(".sopkit-progress__label").inner_text()
    ticks = page.locator("[data-sopkit-item] input.sopkit-tick")
    return label, [ticks.nth(i).is_checked() for i in range(ticks.count())]


def test_onboarding_progress_survives_reload_and_instant_navigation(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    open_page(page, shipped_site, ONBOARDING)
    expect(page.locator(".sopkit-progress")).to_be_visible()
    count = page.locator("[data-sopkit-item]").count()
    assert count >= 3
    ticks = page.locator("[data-sopkit-item] input.sopkit-tick")
    expect(ticks).to_have_count(count)
    assert progress(page) == (f"0 of {count} done", [False] * count)

    ticks.nth(0).check()
    ticks.nth(2).check()
    ticked = (f"2 of {count} done", [True, False, True] + [False] * (count - 3))
    assert progress(page) == ticked
    expect(page.locator(".sopkit-progress progress")).to_have_js_property("value", 2)
    expect(page.locator(".sopkit-path-item--done")).to_have_count(2)

    page.reload(wait_until="load")
    expect(page.locator(".sopkit-progress")).to_be_visible()
    assert progress(page) == ticked

    # Instant navigation swaps the page without a reload: a marker on `window` survives it.
    page.evaluate("() => { window.__sopkitMarker = 'kept'; }")
    page.locator(".sopkit-facts a[href$='roles/content-writer/']").click()
    expect(page).to_have_url(shipped_site.url("roles/content-writer/"))
    # The address changes before the new page is swapped in: wait for the old heading to go.
    expect(page.locator("h1")).not_to_contain_text("Onboarding")
    expect(page.locator("h1")).to_contain_text("Content Writer")
    assert shown_text(page, "h1") == ["Content Writer"]
    page.locator(".sopkit-facts a[href$='onboarding/content-writer/']").click()
    expect(page).to_have_url(shipped_site.url(ONBOARDING))
    expect(page.locator(".sopkit-progress")).to_be_visible()
    assert page.evaluate("() => window.__sopkitMarker") == "kept", "the page was reloaded"
    expect(ticks).to_have_count(count)  # set up once, not once per visit
    assert progress(page) == ticked

    page.locator(".sopkit-progress__reset").click()
    assert progress(page) == (f"0 of {count} done", [False] * count)
    page.reload(wait_until="load")
    expect(page.locator(".sopkit-progress")).to_be_visible()
    assert progress(page) == (f"0 of {count} done", [False] * count)
    assert watch.troubles() == []


def test_onboarding_without_javascript_is_a_plain_list(
    chromium: Browser, shipped_site: Site
) -> None:
    with browse(chromium, shipped_site, viewport=DESKTOP, java_script_enabled=False) as (page, _):
        page.goto(shipped_site.url(ONBOARDING), wait_until="load")
        items = page.locator("[data-sopkit-item]")
        assert items.count() >= 3
        for index in range(items.count()):
            expect(items.nth(index)).to_be_visible()
            expect(items.nth(index).locator("a").first).to_be_visible()
        expect(page.locator(".sopkit-progress")).to_be_hidden()
        expect(page.locator("input.sopkit-tick")).to_have_count(0)


# --- hostile strings ------------------------------------------------------------------------

# (page, CSS selector, text one of the matching elements shows, exactly)
LITERAL = [
    ("sops/evil/attack/", "h1", "Attack <script>alert('title')</script> {{ 7*7 }} end"),
    (
        "sops/evil/attack/",
        "#step-first",
        "1. First \"]; end; graph LR; A-->B <b onmouseover=alert('step')>x</b>",
    ),
    ("sops/evil/attack/", "#step-end", "2. subgraph (x) {y} [z] ;|# --> %% 🚀 مرحبا"),
    ("sops/evil/attack/", "td", ">= 1 | 2 <b>bold</b>"),
    ("sops/evil/attack/", "td", "KPI <svg/onload=alert('kpi')>"),
    ("sops/evil/attack/", "li", "Check <img src=x onerror=alert('check')>"),
    ("sops/evil/attack/", ".sopkit-raci a", "R · Writer \"quoted\" 'single' <b>bold</b> & amp"),
    (
        "sops/evil/attack/",
        ".admonition p:not(.admonition-title)",
        "Objective <img src=x onerror=alert('objective')> | a | b | {% include 'x' %} `tick`",
    ),
    ("sops/evil/attack-two/", "h1", 'Two: the <end> of "graph" | subgraph'),
    ("sops/evil/attack-two/", "#step-only", "1. Only step %%{init: {'theme':'forest'}}%%"),
    ("roles/lead/", "h1", "Lead <script>alert('role-name')</script> | end"),
    ("roles/writer/", "h1", "Writer \"quoted\" 'single' <b>bold</b> & amp"),
    (
        "roles/writer/",
        ".sopkit-involvement a",
        "Attack <script>alert('title')</script> {{ 7*7 }} end",
    ),
    ("tools/docs/", "h1", "Docs <svg onload=alert('tool-name')> {{ config }}"),
    (
        "tools/docs/",
        ".sopkit-involvement a",
        "Attack <script>alert('title')</script> {{ 7*7 }} end",
    ),
    (
        "onboarding/writer/",
        "h2",
        "Stage <img src=x onerror=alert('stage')> {% if true %}yes{% endif %}",
    ),
]


def test_hostile_strings_are_shown_literally(chromium: Browser, hostile_site: Site) -> None:
    missing = []
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        for path in sorted({p for p, *_ in LITERAL}):
            open_page(page, hostile_site, path)
            for _, selector, text in (entry for entry in LITERAL if entry[0] == path):
                shown = shown_text(page, selector)
                if text not in shown:
                    missing.append(f"{path} {selector}: {text!r} not in {shown}")
        assert watch.dialogs == []
    assert missing == []


# --- phones ---------------------------------------------------------------------------------


def phone_pages(site: Site) -> list[str]:
    sops = [p for p in site.pages() if re.fullmatch(r"sops/[^/]+/[^/]+/", p)]
    views = ["", "raci/", "lifecycle/", "health/", "roles/", "tools/", "sops/"]
    roles = ["roles/content-writer/", "roles/lead/", "onboarding/content-writer/"]
    return [p for p in [*views, *sops, *roles] if p in site.pages()]


@pytest.mark.parametrize("name", ["shipped", "hostile"])
def test_no_horizontal_page_scroll_on_a_phone(
    chromium: Browser, request: pytest.FixtureRequest, name: str
) -> None:
    site: Site = request.getfixturevalue(f"{name}_site")
    wide = []
    with browse(chromium, site, viewport=PHONE, is_mobile=True, has_touch=True) as (page, watch):
        for path in phone_pages(site):
            open_page(page, site, path)
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide.append(f"{path}: page is {width[0]}px wide on a {width[1]}px screen")
        assert watch.troubles() == []
    assert wide == []


def test_wide_tables_scroll_inside_their_box_on_a_phone(
    chromium: Browser, shipped_site: Site
) -> None:
    with browse(chromium, shipped_site, viewport=PHONE, is_mobile=True) as (page, _):
        open_page(page, shipped_site, "raci/")
        matrix = page.locator(".sopkit-matrix").first
        overflow = matrix.evaluate(
            "(box) => [box.scrollWidth > box.clientWidth, getComputedStyle(box).overflowX]"
        )
        assert overflow == [True, "auto"]
        open_page(page, shipped_site, "sops/content/content-production/")
        workflow = page.locator(".sopkit-workflow").first
        box = workflow.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


# --- screenshots ----------------------------------------------------------------------------

SCREENSHOTS = REPO / "docs" / "screenshots"
SHOTS = {
    "home": "",
    "sop": "sops/content/content-production/",
    "role": "roles/content-writer/",
    "raci": "raci/",
    "onboarding": ONBOARDING,
}


@pytest.mark.screenshots
@pytest.mark.skipif(
    os.environ.get("SOPKIT_SCREENSHOTS") != "1",
    reason="screenshots are refreshed on demand: SOPKIT_SCREENSHOTS=1 pytest -m screenshots",
)
def test_screenshots(chromium: Browser, shipped_site: Site) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browse(chromium, shipped_site, viewport=DESKTOP, color_scheme="light") as (page, watch):
        for name, path in SHOTS.items():
            open_page(page, shipped_site, path)
            if name == "onboarding":
                page.locator("input.sopkit-tick").nth(0).check()
                page.locator("input.sopkit-tick").nth(1).check()
            target = SCREENSHOTS / f"{name}.png"
            height = min(1600, page.evaluate("() => document.documentElement.scrollHeight"))
            page.screenshot(
                path=target,
                full_page=True,
                clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": height},
                animations="disabled",
            )
            assert target.stat().st_size > 10_000
        assert watch.troubles() == []


def test_screenshot_paths_in_readme_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((docs/screenshots/[^)]+)\)", readme)
    assert [link for link in linked if not Path(REPO / link).is_file()] == []
