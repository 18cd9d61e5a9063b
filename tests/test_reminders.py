"""Review reminders: `sopkit report --due-within DAYS` over a golden handbook, in Markdown (the
body of the workflow's "SOP reviews due" issue), JSON and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sopkit.cli import main

GOLDEN = Path(__file__).parent / "golden" / "reminders"
TODAY = "2026-11-24"


def report(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(GOLDEN)
    code = main(["report", "--today", TODAY, *args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def test_markdown_reminder_golden(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, regen_golden: bool
) -> None:
    out = report(capsys, monkeypatch, "--format", "markdown", "--due-within", "30")
    expected = GOLDEN / "expected.md"
    if regen_golden:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")
    # `md` is the short name of the same format.
    assert report(capsys, monkeypatch, "--format", "md", "--due-within", "30") == out


def test_reminder_mentions_owners_once_and_escapes_handbook_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = report(capsys, monkeypatch, "--format", "markdown", "--due-within", "30")
    assert out.count("@acme/content-leads") == 1
    assert out.count("@maria-lopez") == 1
    assert "<script>" not in out and "<b>" not in out
    assert "](javascript" not in out
    # Retired SOPs, and SOPs due later than the window, are not listed.
    for absent in ("Old process", "Copy edit", "Fresh process", "Newsletter"):
        assert absent not in out


def test_json_reminder_lists_the_same_reviews_with_contacts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(report(capsys, monkeypatch, "--format", "json", "--due-within", "30"))
    assert data["today"] == TODAY and data["due_within"] == 30
    assert [(r["sop"], r["github"], r["days_overdue"]) for r in data["reviews"]] == [
        ("brief", "@acme/content-leads", 86),
        ("launch", "@acme/content-leads", 6),
        ("lab", None, 56),
        ("article", "@maria-lopez", -25),
    ]
    assert data["reviews"][0]["contact"] == "#content on Slack | or content@example.com"
    assert data["reviews"][0]["url"] == "https://handbook.example.com/ops/sops/brief/"
    assert data["reviews"][0]["file"] == "handbook/sops/brief.md"


def test_nothing_due_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(GOLDEN)
    assert (
        main(["report", "--today", "2026-01-01", "--format", "markdown", "--due-within", "7"]) == 0
    )
    assert capsys.readouterr().out == (
        "As of 2026-01-01, no SOP review is overdue or due within 7 days.\n"
    )
    assert main(["report", "--today", "2026-01-01", "--due-within", "7"]) == 0
    assert capsys.readouterr().out.endswith("\n  none\n")


def test_text_reminder_and_bad_days(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = report(capsys, monkeypatch, "--due-within", "30")
    assert "Content Lead @acme/content-leads\n  contact: #content on Slack" in out
    assert "  2026-08-30  86 days overdue: handbook/sops/brief.md\n" in out
    for bad in ("-1", "soon"):
        with pytest.raises(SystemExit) as exit_info:
            main(["report", "--due-within", bad])
        assert exit_info.value.code == 2
        assert "--due-within" in capsys.readouterr().err
