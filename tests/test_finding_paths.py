"""Every finding names its file the same way in `sopkit check`, `mkdocs build` and `mkdocs serve`:
relative to the directory the command ran in, as `path:line:col` (a link in VS Code's terminal).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml

from sopkit.cli import main
from sopkit.render.findings import display_prefix

from .sites import BASE_CONFIG, SHIPPED, build, copy_handbook, line_of
from .test_serve import serve_build

FINDING = re.compile(r"((?:[\w./-]+/)?[\w.-]+\.(?:md|yml):\d+:\d+: (?:error|warning) [a-z-]+: .*)")


def _findings(text: str) -> list[str]:
    return sorted(match.group(1) for match in FINDING.finditer(text))


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / "sops/content/content-production.md"
    text = sop.read_text(encoding="utf-8")
    text = text.replace("### Edit the draft", "### Editing the draft", 1)
    text = text.replace("A: content-lead", "A: team-membr", 1)
    sop.write_text(re.sub(r"reviewed: \S+", "reviewed: 2020-01-01", text), encoding="utf-8")
    return root


def test_check_build_and_serve_print_the_same_paths(
    handbook: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    main(["check", "handbook", "--today", "2026-11-24"])
    checked = _findings(capsys.readouterr().out)
    text = (handbook / "sops/content/content-production.md").read_text(encoding="utf-8")
    reviewed, orphan = line_of(text, "reviewed:")[0], line_of(text, "### Editing")[0]
    role, role_column = line_of(text, "A: team-membr")
    path = "handbook/sops/content/content-production.md"
    assert checked == sorted(
        [
            f"{path}:{reviewed}:1: warning review-overdue: "
            "review overdue by 2154 days: last reviewed 2020-01-01, due 2020-12-31 (every 1y)",
            f"{path}:{orphan}:1: error orphan-step-section: "
            'the heading "Editing the draft" under ## Steps matches no step title or id',
            f'{path}:{role}:{role_column}: error unknown-role: unknown role "team-membr"',
        ]
    )

    built = build(handbook, tmp_path, dict(BASE_CONFIG), strict=False, cwd=tmp_path)
    assert built.returncode == 1
    assert _findings(built.output) == checked

    config = dict(BASE_CONFIG, docs_dir="handbook", site_dir="served")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        serve_build(tmp_path / "mkdocs.yml")
    assert _findings("\n".join(r.getMessage() for r in caplog.records)) == checked


def test_a_handbook_outside_the_working_directory_is_named_by_its_absolute_path(
    tmp_path: Path,
) -> None:
    inside = tmp_path / "site" / "handbook"
    assert display_prefix(inside, tmp_path) == "site/handbook/"
    assert display_prefix(tmp_path, tmp_path) == ""
    elsewhere = tmp_path / "other"
    assert display_prefix(elsewhere, inside) == elsewhere.resolve().as_posix() + "/"
