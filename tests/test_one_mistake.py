"""One mistake gives one finding: a file that cannot be read is reported once, first, with the
real line and the fix; what depends on it is not checked, and one line says so.

These run on copies of the shipped handbook, where a broken roles.yml used to give hundreds of
"unknown role" errors.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sopkit.check import check_library, not_checked
from sopkit.cli import main
from sopkit.load import load_library

from .sites import SHIPPED, copy_handbook

TODAY = dt.date(2026, 11, 24)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_indentation_error_in_roles_yml_gives_exactly_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    # One line indented a space too far, as an editor's auto-indent leaves it.
    _edit(root / "roles.yml", "  name: Brand Manager\n  team:", "  name: Brand Manager\n   team:")
    library = load_library(root)
    findings = check_library(library, TODAY)
    assert [(f.file, f.line, f.rule, f.severity) for f in findings] == [
        ("roles.yml", 8, "yaml-syntax", "error")
    ]
    assert findings[0].hint == (
        "`team:` is indented more than `name:` on line 7; line them up: `  team: Leadership`"
    )
    assert not_checked(library) == ["role references not checked: roles.yml has an error"]

    monkeypatch.chdir(tmp_path)
    assert main(["check", "handbook", "--today", "2026-11-24"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("handbook/roles.yml:8:8: error yaml-syntax: invalid YAML:")
    assert out[1:] == [
        "    hint: `team:` is indented more than `name:` on line 7; line them up: "
        "`  team: Leadership`",
        "role references not checked: roles.yml has an error",
        "1 error, 0 warnings in 15 SOPs.",
    ]
    assert main(["check", "handbook", "--format", "json", "--today", "2026-11-24"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["errors"] == 1
    assert document["not_checked"] == ["role references not checked: roles.yml has an error"]


def test_a_tab_in_tools_yml_gives_one_error_and_leaves_tool_references_unchecked(
    tmp_path: Path,
) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    text = (root / "tools.yml").read_text(encoding="utf-8")
    line = text.split("\n").index("  name: Asana") + 1
    _edit(root / "tools.yml", "  name: Asana", "\tname: Asana")
    library = load_library(root)
    findings = check_library(library, TODAY)
    assert [(f.file, f.line, f.rule) for f in findings] == [("tools.yml", line, "yaml-syntax")]
    assert findings[0].hint == "indent with spaces, not tabs: `  name: Asana`"
    assert not_checked(library) == ["tool references not checked: tools.yml has an error"]


def test_an_sop_whose_front_matter_cannot_be_read_is_one_error(tmp_path: Path) -> None:
    """Other SOPs and onboarding.yml name it: those references are not reported as unknown."""
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / "sops/content/content-calendar.md"
    requiring = [
        s.file for s in load_library(root).sops if "content-calendar" in (*s.requires, *s.next)
    ]
    assert requiring, "the shipped handbook no longer requires content-calendar anywhere"
    _edit(sop, "\nphase: ", "\ntarget: >= 95%\nphase: ")
    library = load_library(root)
    findings = check_library(library, TODAY)
    assert [(f.file, f.rule) for f in findings] == [
        ("sops/content/content-calendar.md", "yaml-syntax")
    ]
    assert (
        findings[0].hint
        == 'a value that starts with `>` must be quoted; quote the value: `target: ">= 95%"`'
    )
    assert not_checked(library) == [
        'references to SOP "content-calendar" not checked: '
        "sops/content/content-calendar.md cannot be read"
    ]
