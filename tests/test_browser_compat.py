"""The print-site plugin's one-page handbook in real Chromium: every diagram is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .browser import Site, browse, look, serve, wait_for_diagrams
from .sites import build
from .test_compat import SOPS, requires, site_config, small_handbook

pytestmark = [pytest.mark.browser, pytest.mark.compat]


def test_the_printable_handbook_draws_every_diagram(
    chromium: Browser, mermaid_js: Path, tmp_path: Path
) -> None:
    requires("mkdocs_print_site_plugin")
    docs = small_handbook(tmp_path)
    root = tmp_path / "out" / "site"
    root.mkdir(parents=True)
    with serve(root) as base_url:
        sopkit = {"mermaid_js": str(mermaid_js)}
        config = site_config(docs, ["print-site"], sopkit, site_url=base_url)
        result = build(docs, root.parent, config)
        assert result.returncode == 0, result.output
        site = Site("print", root, base_url)
        mermaid = site.diagram_count("print_page/")
        with browse(chromium, site, viewport={"width": 1280, "height": 900}) as (page, watch):
            page.goto(site.url("print_page/"), wait_until="load")
            wait_for_diagrams(page, mermaid, timeout=30_000)
            visit = look(page, "print_page/", mermaid)
            assert not visit.diagram_problems()
            assert not watch.troubles()
            # Each SOP's workflow (and the lifecycle map), drawn at a readable size.
            sizes = page.eval_on_selector_all(
                ".sopkit-diagram svg, div.mermaid svg",
                "(svgs) => svgs.map((svg) => svg.getBoundingClientRect().width)",
            )
            headings = page.locator("h1").all_inner_texts()
    assert len(sizes) >= len(SOPS) and min(sizes) > 100, sizes
    assert any("Approval workflow" in heading for heading in headings)
