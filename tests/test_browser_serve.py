"""A real `mkdocs serve` in real Chromium: an author's mistakes are on the page, and go away
when the file is fixed.

The server runs on a free localhost port; every wait is bounded and polls, and the server is
stopped at the end whatever happens.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

import yaml
from playwright.sync_api import Browser

from .browser import Site, browse, shown_text
from .sites import SHIPPED, copy_handbook, line_of

pytestmark = pytest.mark.browser

SOP = "sops/content/content-production.md"
SOP_URL = "sops/content/content-production/"
START_TIMEOUT = 180.0
REBUILD_TIMEOUT = 180.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _poll(what: str, ready: Callable[[], bool], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise AssertionError(
        f"{what} within {timeout:.0f} s; mkdocs serve said:\n{log.read_text(encoding='utf-8')}"
    )


@contextmanager
def mkdocs_serve(config_file: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve` of `config_file` on a free port; yields the base URL once it answers."""
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file)]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=config_file.parent,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(log.parent)},
        )
        try:
            base = f"http://127.0.0.1:{port}/"

            def answers() -> bool:
                assert process.poll() is None, log.read_text(encoding="utf-8")
                return _get(base) is not None

            _poll("mkdocs serve did not answer", answers, START_TIMEOUT, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def test_findings_on_the_page_go_away_when_the_file_is_fixed(
    chromium: Browser, mermaid_js: Path, tmp_path: Path
) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / SOP
    good = sop.read_text(encoding="utf-8")
    bad = good.replace("### Edit the draft", "### Editing the draft", 1)
    bad = bad.replace("A: content-lead", "A: team-membr", 1)
    assert bad.count("team-membr") == 1 and "Editing the draft" in bad
    role_line = str(line_of(bad, "team-membr")[0])
    orphan_line = line_of(bad, "### Editing the draft")[0]
    sop.write_text(bad, encoding="utf-8")
    config = {
        "site_name": "Served handbook",
        "docs_dir": "handbook",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"sopkit": {"today": "2026-11-24", "mermaid_js": str(mermaid_js)}}],
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    log = tmp_path / "serve.log"

    with mkdocs_serve(config_file, log) as base:
        site = Site("served", tmp_path, base)
        with browse(chromium, site, viewport={"width": 1280, "height": 900}) as (page, watch):
            watch.visiting = SOP_URL
            page.goto(site.url(SOP_URL), wait_until="load")
            findings = page.locator("[data-sopkit-findings] [data-sopkit-finding]")
            assert findings.count() == 2
            assert [
                (item.get_attribute("data-rule"), item.get_attribute("data-line"))
                for item in findings.all()
            ] == [("unknown-role", role_line), ("orphan-step-section", str(orphan_line))]
            assert shown_text(page, "[data-sopkit-findings] [data-sopkit-finding]")[1] == (
                f"line {orphan_line} error orphan-step-section: the heading "
                '"Editing the draft" under ## Steps matches no step title or id '
                "hint: did you mean `Edit the draft`?"
            )
            assert page.locator("[data-sopkit-findings]").is_visible()
            # Nothing lost: the orphaned section is on the page, marked, with its text.
            orphan = page.locator("[data-sopkit-orphan]")
            assert orphan.is_visible()
            assert "The editor works in suggestion mode" in orphan.inner_text()
            # The typo is flagged where it appears, not shown as a role.
            flagged = page.locator(".sopkit-raci [data-sopkit-unknown-role='team-membr']")
            assert flagged.inner_text() == "A · team-membr (unknown role)"
            # The banner leads to every finding of the handbook.
            banner = page.locator("[data-sopkit-banner]")
            assert banner.is_visible()
            banner.get_by_role("link", name="See every finding").click()
            page.wait_for_url(site.url("findings/"))
            assert page.locator("[data-sopkit-finding]").count() == 2

            # Leave the served site first: its live-reload would reload the open page during the
            # rebuild and abort the navigation below.
            page.goto("about:blank")
            sop.write_text(good, encoding="utf-8")
            _poll(
                "the fixed page was not rebuilt",
                lambda: "data-sopkit-banner" not in (_get(site.url(SOP_URL)) or "data-sopkit"),
                REBUILD_TIMEOUT,
                log,
            )
            watch.visiting = SOP_URL + " (fixed)"
            page.goto(site.url(SOP_URL), wait_until="load")
            assert page.locator("[data-sopkit-banner]").count() == 0
            assert page.locator("[data-sopkit-findings]").count() == 0
            assert page.locator("[data-sopkit-orphan]").count() == 0
            assert page.locator("[data-sopkit-unknown-role]").count() == 0
            step = shown_text(page, "#step-editing ~ p")
            assert any("The editor works in suggestion mode" in text for text in step)
            assert watch.troubles() == []
            assert watch.blocked == []
