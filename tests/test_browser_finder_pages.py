"""The SOP finder of a handbook with more SOPs than one page of rows, in real Chromium: past
`PAGE` matching rows it shows the first `PAGE` (in the table's order) and buttons for the next
ones and for all; every change of a filter starts again at the first page; the address keeps
only the filters; a printout and a page without JavaScript have every row.

The handbook is the benchmarks' generated one (450 SOPs), built once; the expected rows come
from the loaded handbook (tests/finder_expect.py) in the order of the built table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

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

COUNT = 450
PAGE = 200
"""Rows finder.js puts on screen at once (its `PAGE`)."""

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
    """Every row's `data-sop`, in the built table's order."""

    def matches(self, params: list[tuple[str, str]]) -> list[str]:
        found = set(matching(self.library, params))
        return [sop for sop in self.order if sop in found]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Big]:
    out = tmp_path_factory.mktemp("finder-pages")
    config = generated_handbook(COUNT, out)
    build_config_file(config, out, timeout=900)
    root = config.parent / "site"
    table = BeautifulSoup((root / "sops" / "index.html").read_text(encoding="utf-8"), "html.parser")
    order = [str(row["data-sop"]) for row in table.select("tr[data-sop]")]
    library = load_library(config.parent / "handbook")
    assert sorted(order) == sorted(sop.id for sop in library.sops)
    with serve(root) as base_url:
        yield Big(Site("big", root, base_url), library, order)


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
        expect(page.locator(next_button)).to_have_text(f"Show the last {total - 2 * PAGE}")
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

    # Without JavaScript: the full table.
    with browse(chromium, big.site, java_script_enabled=False) as (page, watch):
        page.goto(big.site.url("sops/?") + urlencode([(facet, value)]), wait_until="load")
        assert listed(page) == big.order
        assert page.locator(more).count() == 0
