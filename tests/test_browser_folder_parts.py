"""The numbered pages of a large SOP folder's index, in real Chromium: the pager is reached and
followed with the keyboard, fits a phone's width, and the page passes the WCAG 2.1 AA audit.

The handbook is the shipped one with a folder of 151 more SOPs (tests/test_folder_parts.py),
built once with the repository's mkdocs.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from pathlib import Path

from playwright.sync_api import Browser, expect

from .browser import DESKTOP, PHONE, Site, browse, serve, shipped_config
from .sites import build
from .test_browser_a11y import COLOUR_RULES, SCHEMES, WCAG_21_AA, audit, report, settle
from .test_browser_a11y import axe_js as axe_js  # the fixture
from .test_folder_parts import bulk_handbook

pytestmark = pytest.mark.browser

LOOK = """(a) => {
  const s = getComputedStyle(a);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.color, s.backgroundColor,
          s.boxShadow, s.textDecorationLine].join(" ");
}"""
"""How a link looks: its focus must change it."""
FIRST = "sops/bulk/area/"
SECOND = "sops/bulk/area/2/"


@pytest.fixture(scope="module")
def bulk_site(
    chromium: Browser, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("folder-parts-site")
    root = workdir / "site"
    root.mkdir()
    with serve(root) as base_url:
        config = shipped_config(mermaid_js)
        config["site_url"] = base_url
        handbook = bulk_handbook(workdir / "docs", clashes=False)
        result = build(handbook, workdir, config)
        assert result.returncode == 0, result.output
        yield Site("bulk", root, base_url)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_a_numbered_folder_page_is_read_and_left_with_the_keyboard(
    chromium: Browser, bulk_site: Site, axe_js: str, scheme: str
) -> None:
    options: dict[str, Any] = {
        "viewport": PHONE,
        "color_scheme": scheme,
        "reduced_motion": "reduce",
    }
    problems: list[str] = []
    with browse(chromium, bulk_site, **options) as (page, watch):
        page.goto(bulk_site.url(SECOND), wait_until="load")
        pagers = page.locator("article nav.sopkit-pager")
        expect(pagers).to_have_count(2)
        expect(pagers.first).to_have_attribute("aria-label", "Pages of this section's SOPs")
        expect(pagers.first.locator("[aria-current=page]")).to_have_text("2")
        # At a phone's width the pager is on screen, not pushed out sideways.
        box = pagers.first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        expect(page.locator("article h1")).to_contain_text("Area, page 2 of 2")
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            settle(page)
            for v in audit(page, axe_js, WCAG_21_AA if scheme == "light" else COLOUR_RULES):
                problems.append(f"{v['rule']} ({v['impact']}) at {viewport['width']}px: {v}")
        # The pager's link to page 1 takes the focus, shows it, and Enter follows it.
        link = pagers.first.get_by_role("link", name="1", exact=True)
        unfocused = link.evaluate(LOOK)
        page.keyboard.press("Tab")  # the reader is on the keyboard: focus then shows
        link.focus()
        expect(link).to_be_focused()
        assert link.evaluate(LOOK) != unfocused
        page.keyboard.press("Enter")
        page.wait_for_url(bulk_site.url(FIRST))
        expect(page.locator("article h1")).to_have_text(re.compile(r"^Area\W*$"))
        expect(
            page.locator("article nav.sopkit-pager").first.locator("[aria-current=page]")
        ).to_have_text("1")
        assert watch.troubles() == []
    assert problems == [], report(problems)
