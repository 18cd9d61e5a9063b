"""The SOP finder of a large handbook in real Chromium. Past `PAGE` matching rows it shows the
first `PAGE` (in the table's order) and buttons for the next ones and for all; every change of a
filter starts again at the first page; the address keeps only the filters; a printout has every
matching row. Past `PART` SOPs the table is split into parts (`sops/`, `sops/2/`): the script
loads the other parts' rows into the one table before the filters apply, and hides the pager;
if a part cannot be loaded, the filters cover the rows it has and the status line says so.
Without JavaScript the finder is part 1 of the table, with a pager to the others.

The handbook is the benchmarks' generated one (650 SOPs, two parts), built once; the expected
rows come from the loaded handbook (tests/finder_expect.py) in the order of the built parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from sopkit.load import load_library
from sopkit.model import Library

from .axe_bundle import axe_bundle
from .browser import Site, browse, serve
from .finder_expect import matching
from .sites import build_config_file, generated_handbook

pytestmark = pytest.mark.browser

COUNT = 650
PAGE = 200
"""Rows finder.js puts on screen at once (its `PAGE`)."""
PART = 500
"""SOPs in one part of the finder's table (`PageOptions.finder_part`)."""
PARTS = ["sops/", "sops/2/"]
"""The finder's pages for `COUNT` SOPs: two parts of 325 rows."""

LISTED = """
() => Array.from(document.querySelectorAll("tr[data-sop]"))
  .filter((row) => row.getClientRects().length > 0)
  .map((row) => row.dataset.sop)
"""


@dataclass(frozen=True)
class Big:
    site: Site
    library: Library
    order: list[str]
    """Every row's `data-sop`, in the built table's order (part 1's rows, then part 2's)."""
    parts: list[list[str]]
    """The rows of each part page as built."""

    def matches(self, params: list[tuple[str, str]]) -> list[str]:
        found = set(matching(self.library, params))
        return [sop for sop in self.order if sop in found]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Big]:
    out = tmp_path_factory.mktemp("finder-pages")
    config = generated_handbook(COUNT, out)
    build_config_file(config, out, timeout=900)
    root = config.parent / "site"
    parts = []
    for part in PARTS:
        html = (root / part / "index.html").read_text(encoding="utf-8")
        table = BeautifulSoup(html, "html.parser")
        parts.append([str(row["data-sop"]) for row in table.select("tr[data-sop]")])
    assert not (root / "sops" / "3").exists()
    order = [sop for part in parts for sop in part]
    library = load_library(config.parent / "handbook")
    assert sorted(order) == sorted(sop.id for sop in library.sops)
    with serve(root) as base_url:
        yield Big(Site("big", root, base_url), library, order, parts)


def widest_choice(big: Big) -> tuple[str, str, list[str]]:
    """The filter choice (a role, tool, tag or status) that leaves the most SOPs, and those."""
    choices = [("role", role) for role in big.library.roles]
    choices += [("tool", tool) for tool in big.library.tools]
    choices += [("tag", tag.lower()) for sop in big.library.sops for tag in sop.tags]
    choices += [("status", status) for status in ("draft", "active", "retired")]
    found = {choice: big.matches([choice]) for choice in dict.fromkeys(choices)}
    facet, value = max(found, key=lambda c: (len(found[c]), c))
    return facet, value, found[(facet, value)]


def listed(page: Page) -> list[str]:
    rows: list[str] = page.evaluate(LISTED)
    return rows


def status(page: Page) -> str:
    return page.locator(".sopkit-finder__status").inner_text().strip()


# axe-core's WCAG 2.1 A/AA rules on the buttons under the table and the status line.
AUDIT = """
async () => {
  const only = {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]};
  const context = {include: [[".sopkit-finder__more"], [".sopkit-finder__status"]]};
  const result = await axe.run(context, {runOnly: only, resultTypes: ["violations"]});
  return result.violations
    .filter((rule) => ["serious", "critical"].includes(rule.impact))
    .map((rule) => rule.id + ": " + rule.nodes.map((node) => node.html).join(" | "));
}
"""


def open_finder(page: Page, big: Big, params: list[tuple[str, str]]) -> None:
    query = urlencode(params)
    page.goto(big.site.url("sops/") + (f"?{query}" if query else ""), wait_until="load")
    page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")


def check(page: Page, facet: str, value: str) -> None:
    details = page.locator(f"details[data-facet='{facet}']")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.locator(f"input[name='{facet}'][value='{value}']").check()


def test_past_a_page_of_matches_the_finder_shows_them_page_by_page(
    chromium: Browser, big: Big
) -> None:
    total = len(big.order)
    assert total > 2 * PAGE
    more = "[data-finder-more]"
    next_button = "[data-finder-next]"
    all_button = "[data-finder-all]"
    with browse(chromium, big.site, viewport={"width": 1280, "height": 900}) as (page, watch):
        open_finder(page, big, [])
        # No filter: the first page of the table, and both buttons with their counts.
        assert listed(page) == big.order[:PAGE]
        assert status(page) == f"All {total} SOPs; showing the first {PAGE}."
        expect(page.locator(next_button)).to_have_text(f"Show {PAGE} more")
        expect(page.locator(all_button)).to_have_text(f"Show all {total}")
        assert page.locator(f"{more} button").evaluate_all(
            "(buttons) => buttons.map((b) => b.tagName + ':' + b.type)"
        ) == ["BUTTON:button", "BUTTON:button"]
        axe = axe_bundle()
        if axe is not None:
            page.add_script_tag(content=Path(axe).read_text(encoding="utf-8"))
            assert page.evaluate(AUDIT) == []
        # The next page: the following rows in the table's order, the first new row's link
        # focused, the count announced; then one button for the last rows.
        page.locator(next_button).focus()
        page.keyboard.press("Enter")
        assert listed(page) == big.order[: 2 * PAGE]
        focused = page.evaluate("() => document.activeElement.closest('tr')?.dataset.sop")
        assert focused == big.order[PAGE]
        assert status(page) == f"Showing {2 * PAGE} of {total}."
        shown = 2 * PAGE
        while total - shown > PAGE:
            expect(page.locator(next_button)).to_have_text(f"Show {PAGE} more")
            expect(page.locator(all_button)).to_be_visible()
            page.locator(next_button).click()
            shown += PAGE
            assert listed(page) == big.order[:shown]
        expect(page.locator(next_button)).to_have_text(f"Show the last {total - shown}")
        expect(page.locator(all_button)).to_be_hidden()
        page.locator(next_button).click()
        assert listed(page) == big.order
        expect(page.locator(more)).to_be_hidden()
        assert status(page) == f"All {total} SOPs."
        assert urlsplit(page.url).query == ""

        # A filter with more than two pages of matches starts again at the first page.
        facet, value, found = widest_choice(big)
        assert len(found) > PAGE
        check(page, facet, value)
        assert listed(page) == found[:PAGE]
        assert status(page) == f"{len(found)} SOPs match; showing the first {PAGE}."
        assert parse_qsl(urlsplit(page.url).query) == [(facet, value)]
        left = len(found) - PAGE
        if left > PAGE:
            expect(page.locator(all_button)).to_have_text(f"Show all {len(found)}")
            page.locator(all_button).click()
        else:
            expect(page.locator(all_button)).to_be_hidden()
            expect(page.locator(next_button)).to_have_text(f"Show the last {left}")
            page.locator(next_button).click()
        assert listed(page) == found
        focused = page.evaluate("() => document.activeElement.closest('tr')?.dataset.sop")
        assert focused == found[PAGE]
        expect(page.locator(more)).to_be_hidden()
        # A narrower filter (at most a page of matches): every match, no buttons.
        phase = big.library.sops[0].phase
        narrow = big.matches([(facet, value), ("phase", phase)])
        assert 0 < len(narrow) <= PAGE
        check(page, "phase", phase)
        assert listed(page) == narrow
        expect(page.locator(more)).to_be_hidden()
        assert status(page) == f"Showing {len(narrow)} of {total} SOPs."
        # Clearing starts again at the first page of the whole table.
        page.locator(".sopkit-finder__clear").click()
        assert listed(page) == big.order[:PAGE]
        expect(page.locator(next_button)).to_have_text(f"Show {PAGE} more")

        # A filtered address opened directly applies, a page at a time; printed, every match.
        open_finder(page, big, [(facet, value)])
        assert listed(page) == found[:PAGE]
        assert status(page) == f"{len(found)} SOPs match; showing the first {PAGE}."
        page.emulate_media(media="print")
        assert listed(page) == found
        assert not page.locator(more).is_visible()
        page.emulate_media(media="screen")
        assert listed(page) == found[:PAGE]
        assert watch.troubles() == []


ROWS = "() => Array.from(document.querySelectorAll('tr[data-sop]')).map((row) => row.dataset.sop)"
COUNTS = """
(facet) => Object.fromEntries(
  Array.from(document.querySelectorAll(`input[type=checkbox][name='${facet}']`)).map((box) => [
    box.value, Number(box.parentNode.querySelector(".sopkit-finder__count").textContent),
  ])
)
"""
# Every state of the status line and of the finder's parts until the filters apply.
RECORD_STATUS = """
window.finderStates = [];
new MutationObserver(() => {
  const finder = document.querySelector("[data-sopkit-finder]");
  const status = finder && finder.querySelector(".sopkit-finder__status");
  if (!status) return;
  const parts = finder.dataset.sopkitParts || "";
  const state = [status.textContent, parts, "sopkitReady" in finder.dataset];
  const last = window.finderStates[window.finderStates.length - 1];
  if (!last || last.join("|") !== state.join("|")) window.finderStates.push(state);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""
VISIBLE_PAGERS = (
    "() => Array.from(document.querySelectorAll('[data-finder-parts]'))"
    ".filter((node) => node.getClientRects().length > 0).length"
)


def counts(page: Page, facet: str) -> dict[str, int]:
    found: dict[str, int] = page.evaluate(COUNTS, facet)
    return found


def spread_role(big: Big) -> tuple[str, list[str]]:
    """A role whose SOPs (at most a page of them) are in both parts of the table."""
    for role in sorted(big.library.roles):
        found = big.matches([("role", role)])
        if (
            0 < len(found) <= PAGE
            and set(found) & set(big.parts[0])
            and set(found) - set(big.parts[0])
        ):
            return role, found
    raise AssertionError("no role with SOPs in both parts")


def test_the_parts_load_into_one_table_before_the_filters_apply(
    chromium: Browser, big: Big
) -> None:
    total = len(big.order)
    assert total > PART and [len(part) for part in big.parts] == [325, 325]
    role, found = spread_role(big)
    with browse(chromium, big.site, viewport={"width": 1280, "height": 900}) as (page, watch):
        # While part 2 is on its way, the status line says so and the filters wait for it.
        page.add_init_script(RECORD_STATUS)
        open_finder(page, big, [("role", role)])
        finder = page.locator("[data-sopkit-finder]")
        expect(finder).to_have_attribute("data-sopkit-parts", "loaded")
        # Every SOP is a row of the one table, in the parts' order; the pager is hidden.
        assert page.evaluate(ROWS) == big.order
        assert page.evaluate(VISIBLE_PAGERS) == 0
        # The URL's filter, applied once every part is in: the handbook's SOPs of both parts.
        assert listed(page) == found
        assert status(page) == f"Showing {len(found)} of {total} SOPs."
        states = [tuple(state) for state in page.evaluate("() => window.finderStates")]
        loading = (f"Loading all {total} SOPs\u2026", "loading", False)
        done = (f"Showing {len(found)} of {total} SOPs.", "loaded", True)
        assert loading in states and done in states
        assert states.index(loading) < states.index(done)
        assert all(parts == "loaded" for _, parts, ready in states if ready)
        # Counts are over every SOP: each phase with this role, each role (its own facet).
        for phase, n in counts(page, "phase").items():
            assert n == len(big.matches([("role", role), ("phase", phase)])), phase
        assert counts(page, "role") == {
            other: len(big.matches([("role", other)])) for other in counts(page, "role")
        }
        assert sum(counts(page, "status").values()) == len(found)
        # A row loaded from part 2 links to its SOP page from here.
        late = next(sop for sop in found if sop not in big.parts[0])
        sop = big.library.sop(late)
        assert sop is not None
        page.locator(f"tr[data-sop='{late}'] a").click()
        page.wait_for_load_state("load")
        expected = sop.file.removesuffix(".md") + "/"
        assert urlsplit(page.url).path == "/" + expected
        expect(page.locator("h1").first).to_contain_text(sop.title)

        # `q` searches the objectives and step titles of every part's SOPs.
        words = {
            word
            for sop_id in big.parts[1]
            for step in (big.library.sop(sop_id) or sop).steps
            for word in step.title.lower().split()
            if len(word) > 5 and word.isalpha()
        }
        word, hits = next(
            (w, m)
            for w in sorted(words)
            if 0 < len(m := big.matches([("q", w)])) <= PAGE and set(m) - set(big.parts[0])
        )
        open_finder(page, big, [("q", word)])
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-text=ready]", state="attached")
        assert listed(page) == hits
        assert watch.troubles() == []


def test_a_part_that_cannot_be_loaded_leaves_an_honest_finder(chromium: Browser, big: Big) -> None:
    first = big.parts[0]
    role, found = spread_role(big)
    with browse(chromium, big.site, viewport={"width": 1280, "height": 900}) as (page, watch):
        # As from a site opened from a file: the other part's address cannot be fetched.
        part = big.site.url("sops/2/")
        page.route(part, lambda route: route.abort("failed"))
        open_finder(page, big, [("role", role)])
        expect(page.locator("[data-sopkit-finder]")).to_have_attribute(
            "data-sopkit-parts", "partial"
        )
        assert page.evaluate(ROWS) == first
        in_first = [sop for sop in found if sop in first]
        assert listed(page) == in_first
        partial = (
            f"Filters cover the first {len(first)} of {len(big.order)} SOPs: the others could "
            "not be loaded, and are on the numbered pages."
        )
        assert status(page) == f"Showing {len(in_first)} of {len(first)} SOPs. {partial}"
        assert sum(counts(page, "status").values()) == len(in_first)
        # Without a filter it never says "All": the rows loaded match, a page at a time.
        page.locator(".sopkit-finder__clear").click()
        assert listed(page) == first[:PAGE]
        assert status(page) == f"{len(first)} SOPs match; showing the first {PAGE}. {partial}"
        # The pager stays, and leads to the rows the filters could not reach.
        assert page.evaluate(VISIBLE_PAGERS) == 2
        page.unroute(part)
        page.locator("[data-finder-parts] a", has_text="2").first.click()
        page.wait_for_load_state("load")
        assert listed(page) == big.parts[1]
    failed = [t for t in watch.troubles() if "sops/2/" not in t and "ERR_FAILED" not in t]
    assert failed == []


def test_without_javascript_the_finder_is_part_one_with_a_pager(
    chromium: Browser, big: Big
) -> None:
    total = len(big.order)
    first, second = big.parts
    with browse(chromium, big.site, java_script_enabled=False) as (page, watch):
        page.goto(big.site.url("sops/?role=x"), wait_until="load")
        assert listed(page) == first
        assert status(page) == f"SOPs 1\u2013{len(first)} of {total}."
        assert page.locator("[data-finder-more]").count() == 0
        pagers = page.locator("[data-finder-parts] nav.sopkit-pager")
        expect(pagers).to_have_count(2)
        expect(pagers.first).to_have_text("Pages: 1 · 2")
        pagers.last.get_by_role("link", name="2").click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/sops/2/"
        assert listed(page) == second
        expect(page.locator("h1")).to_contain_text("All SOPs, part 2 of 2")
        range_line = page.locator(".sopkit-finder__range")
        expect(range_line).to_contain_text(f"SOPs {len(first) + 1}\u2013{total} of {total}.")
        # Each row leads to its SOP; the pager and the link in the intro back to the finder.
        sop = big.library.sop(second[-1])
        assert sop is not None
        page.locator(f"tr[data-sop='{second[-1]}'] a").click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/" + sop.file.removesuffix(".md") + "/"
        page.go_back()
        range_line.get_by_role("link").click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/sops/"
        assert watch.troubles() == []


def test_part_pages_are_out_of_search_and_out_of_the_nav(big: Big) -> None:
    index = json.loads((big.site.root / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "sops/" in locations
    assert not {location for location in locations if location.startswith("sops/2/")}
    for path in ("index.html", "sops/index.html", "sops/2/index.html"):
        html = BeautifulSoup((big.site.root / path).read_text("utf-8"), "html.parser")
        base = big.site.url(path)
        targets = {urljoin(base, str(a["href"])) for a in html.select("nav.md-nav a[href]")}
        assert big.site.url("sops/") in targets
        assert big.site.url("sops/2/") not in targets, path
