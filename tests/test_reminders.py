"""Review reminders: `sopkit report --due-within DAYS` over a golden handbook, in Markdown (the
body of the workflow's "SOP reviews due" issue), JSON and text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

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


FAKE_GH = """#!/bin/sh
# GitHub's CLI as the workflow uses it: records each call; `issue list` answers with the open
# issue's number (what the step's --jq filter prints), if there is one.
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ] && [ -n "$GH_OPEN_ISSUE" ]; then
  echo "$GH_OPEN_ISSUE"
fi
while [ $# -gt 0 ]; do
  if [ "$1" = "--body-file" ]; then cat "$2" > "$GH_BODY"; fi
  if [ "$1" = "--comment" ]; then printf '%s' "$2" > "$GH_BODY"; fi
  shift
done
"""


def _reviews_step(site: Path) -> dict[str, Any]:
    workflow = yaml.safe_load((site / ".github/workflows/handbook.yml").read_text("utf-8"))
    (step,) = [s for s in workflow["jobs"]["reviews"]["steps"] if "gh issue" in s.get("run", "")]
    return dict(step)


def _run_step(step: dict[str, Any], site: Path, tmp_path: Path, open_issue: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    log = tmp_path / "gh.log"
    log.write_text("", encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GH_LOG": str(log),
        "GH_BODY": str(tmp_path / "body.md"),
        "GH_OPEN_ISSUE": open_issue,
        **{k: v for k, v in step["env"].items() if not str(v).startswith("${{")},
    }
    run = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_the_init_workflow_opens_updates_and_closes_one_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reminder step of the workflow `sopkit init` writes, run as GitHub runs it (bash),
    with the real `sopkit` and a `gh` that records what it is asked to do."""
    assert main(["init", str(tmp_path / "site"), "--name", "Team"]) == 0
    capsys.readouterr()
    site = tmp_path / "site"
    step = _reviews_step(site)
    assert step["env"]["TITLE"] == "SOP reviews due"
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert "sopkit report --format markdown --due-within 30" in step["run"]

    # A new site: its one SOP was reviewed today, nothing is due, no issue is open.
    assert [c.split()[:2] for c in _run_step(step, site, tmp_path, "")] == [["issue", "list"]]

    roles = site / "handbook/roles.yml"
    roles.write_text(
        roles.read_text("utf-8").replace(
            '# github: "@your-org/team-leads"', 'github: "@acme/leads"'
        ),
        encoding="utf-8",
    )
    sop = site / "handbook/sops/example-sop.md"
    text = sop.read_text("utf-8")
    sop.write_text(re.sub(r"reviewed: \S+", "reviewed: 2020-01-01", text), encoding="utf-8")
    calls = _run_step(step, site, tmp_path, "")
    assert calls[1] == "issue create --title SOP reviews due --body-file reviews.md"
    body = (tmp_path / "body.md").read_text("utf-8")
    assert "### Team Lead @acme/leads" in body
    assert "| Change the handbook | `handbook/sops/example-sop.md` |" in body

    calls = _run_step(step, site, tmp_path, "7")
    assert calls[1] == "issue edit 7 --body-file reviews.md"

    sop.write_text(text, encoding="utf-8")
    calls = _run_step(step, site, tmp_path, "7")
    assert calls[1].startswith("issue close 7 --comment ")
    assert "no SOP review is overdue or due within 30 days" in (tmp_path / "body.md").read_text(
        "utf-8"
    )
    # The filter that finds the issue among the open ones, run by jq where it is installed.
    jq = shutil.which("jq")
    if jq is not None:
        (filter_,) = re.findall(r"--jq '([^']+)'", step["run"])
        issues = json.dumps(
            [
                {"number": 3, "title": "SOP reviews due soon?"},
                {"number": 7, "title": "SOP reviews due"},
            ]
        )
        found = subprocess.run(
            [jq, "-r", filter_],
            input=issues,
            capture_output=True,
            text=True,
            check=True,
            env={"TITLE": "SOP reviews due"},
        )
        assert found.stdout == "7\n"
