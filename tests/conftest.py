"""Shared test options and fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from .browser import Site, Tour, Watch


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite the expected files of golden tests from the current output",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


# --- real-browser tests (tests/test_browser.py; helpers in tests/browser.py) ---------------
# Imports of Playwright stay inside the fixtures, so the other tests run without it.


@pytest.fixture(scope="session")
def mermaid_js() -> Path:
    """The pinned Mermaid bundle, fetched once with `npm pack`; skips when that cannot work."""
    from .mermaid_bundle import MERMAID_VERSION, mermaid_bundle

    bundle = mermaid_bundle()
    if bundle is None:
        pytest.skip(
            f"the Mermaid bundle could not be fetched: `npm pack mermaid@{MERMAID_VERSION}` "
            "needs npm and the npm registry (or set SOPKIT_MERMAID_JS to a local copy)"
        )
    return bundle


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright; skips when either is missing."""
    from .browser import CHROMIUM, NO_CHROMIUM

    if not CHROMIUM.is_file():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
    )
    from .browser import launch

    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def _served(
    name: str, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    from .browser import Site, build_site, serve

    workdir = tmp_path_factory.mktemp(f"{name}-site")
    root = workdir / "site"
    root.mkdir()
    # Serve first: the build needs the address (its site_url) the site will be served at.
    with serve(root) as base_url:
        build_site(name, mermaid_js, workdir, site_url=base_url)
        yield Site(name, root, base_url)


@pytest.fixture(scope="session")
def shipped_site(
    chromium: Browser, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """sop_library/ built with the repository's mkdocs.yml (local Mermaid) and served."""
    yield from _served("shipped", mermaid_js, tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_site(
    chromium: Browser, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """tests/fixtures/hostile built with a minimal mkdocs.yml (plus a page of diagrams in
    collapsed blocks and tabs) and served."""
    yield from _served("hostile", mermaid_js, tmp_path_factory)


@pytest.fixture(scope="session")
def german_site(
    chromium: Browser, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The shipped handbook with `theme.language: de`, served (at its `site_url`, so that
    instant navigation follows its links)."""
    from .browser import Site, serve, shipped_config
    from .sites import SHIPPED, build, copy_handbook

    workdir = tmp_path_factory.mktemp("german-site")
    root = workdir / "site"
    root.mkdir()
    with serve(root) as base_url:
        config = shipped_config(mermaid_js)
        config["theme"]["language"] = "de"
        config["site_url"] = base_url
        result = build(copy_handbook(SHIPPED, workdir / "docs"), workdir, config)
        assert result.returncode == 0, result.output
        yield Site("german", root, base_url)


@pytest.fixture
def shipped(chromium: Browser, shipped_site: Site) -> Iterator[tuple[Page, Watch]]:
    """A fresh desktop-sized browser context on the shipped site, with its watched page."""
    from .browser import DESKTOP, browse

    with browse(chromium, shipped_site, viewport=DESKTOP) as opened:
        yield opened


@pytest.fixture
def desktop(chromium: Browser, shipped_site: Site) -> Iterator[Page]:
    """A desktop-sized page on the shipped site that must see no error by the end of the test."""
    from .browser import DESKTOP, browse

    with browse(chromium, shipped_site, viewport=DESKTOP) as (page, watch):
        yield page
        assert watch.troubles() == []


@pytest.fixture(scope="session", params=["shipped", "hostile"])
def toured(request: pytest.FixtureRequest, chromium: Browser) -> Tour:
    """Every page of a site loaded once in one browser context, with what was seen."""
    from .browser import Tour, browse, tour

    site: Site = request.getfixturevalue(f"{request.param}_site")
    with browse(chromium, site, viewport={"width": 1280, "height": 900}) as (page, watch):
        visits = tour(page, watch, site)
    return Tour(site, visits, watch)
