"""Under `mkdocs serve` the site keeps building with errors, and rebuilds re-read only what changed.

These run MkDocs' own build in this process, as `mkdocs serve` does on every change.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sopkit.mkdocs import plugin as plugin_module

from .sites import SHIPPED, copy_handbook


def serve_build(config_file: Path, dirty: bool = False) -> None:
    """One rebuild as `mkdocs serve` runs it: a fresh config and plugins, command "serve"."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=dirty)
    try:
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
    finally:
        config.plugins.on_shutdown()


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    config = {
        "site_name": "Serve",
        "docs_dir": str(root),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"sopkit": {"today": "2026-11-24"}}],
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return root, config_file


def test_errors_are_shown_and_the_site_still_builds(
    site: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    root, config_file = site
    broken = root / "sops/seo/on-page-seo.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    typo = root / "sops/content/content-production.md"
    typo.write_text(
        typo.read_text(encoding="utf-8").replace("owner: content-lead", "owner: nobody", 1),
        encoding="utf-8",
    )
    with caplog.at_level(logging.ERROR):
        serve_build(config_file)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("/handbook/sops/seo/on-page-seo.md:2:8: error yaml-syntax" in e for e in errors)
    assert any('unknown role "nobody"' in e for e in errors)
    page = (config_file.parent / "site/sops/seo/on-page-seo/index.html").read_text(encoding="utf-8")
    assert "This SOP cannot be shown yet" in page
    assert "yaml-syntax" in page
    assert (config_file.parent / "site/sops/content/content-production/index.html").is_file()


def test_a_rebuild_rereads_only_the_changed_file(site: tuple[Path, Path]) -> None:
    root, config_file = site
    plugin_module._CACHES.clear()
    serve_build(config_file)
    (cache,) = plugin_module._CACHES.values()
    files = cache.misses
    assert files == 15 and cache.hits == 0
    edited = root / "sops/content/content-calendar.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    serve_build(config_file)
    assert (cache.hits, cache.misses) == (14, 16)
    page = config_file.parent / "site/sops/content/content-calendar/index.html"
    assert "One more line." in page.read_text(encoding="utf-8")
