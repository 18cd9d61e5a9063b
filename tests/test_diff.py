"""`sopkit diff`: real git repositories with commits at fixed dates, golden text/Markdown/JSON.

The story (tests/handbook_story.py) has a rename, a CRLF-only commit, a retired SOP that another
still requires, a step moved between SOPs, a new approver, a longer lead time and a file of
undecodable bytes. Run `pytest --regen-golden` to rewrite the expected files, then read the diff.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sopkit.check import check_library
from sopkit.diff import finding_changes, handbook_diff, sop_change
from sopkit.load import load_library
from sopkit.model import Diagnostic, Location
from sopkit.render.diff import change_summary, diff_json, diff_markdown, diff_text

from .gitrepo import GIT_ENV, Repo
from .handbook_story import (
    LAUNCH,
    LAUNCH_BODY,
    LAUNCH_STEPS,
    SMOKE,
    break_handbook,
    sop,
    tell_story,
)
from .handbooks import PUBLISH_SOP, write_handbook

GOLDEN = Path(__file__).parent / "golden" / "diff"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "diff.md"


def sopkit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sopkit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **GIT_ENV},
    )


@pytest.fixture(scope="module")
def broken_story(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = tell_story(tmp_path_factory.mktemp("diff") / "repo")
    break_handbook(repo)
    return repo


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_golden_diff_between_revisions(
    broken_story: Repo, fmt: str, suffix: str, regen_golden: bool
) -> None:
    done = sopkit(broken_story.path, "diff", "v1", "HEAD", "--format", fmt, "--today", "2026-11-30")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    expected = GOLDEN / f"story.{suffix}"
    if regen_golden:
        expected.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == expected.read_text(encoding="utf-8")


def test_json_is_the_documented_shape(broken_story: Repo) -> None:
    done = sopkit(
        broken_story.path, "diff", "v1", "HEAD", "--format", "json", "--today", "2026-11-30"
    )
    document = json.loads(done.stdout)
    changed = {c["id"]: c for c in document["sops"]["changed"]}
    launch = changed["campaign-launch"]
    assert launch["raci"] == [
        {
            "step": "pre-launch-qa",
            "letter": "A",
            "removed": ["account-director"],
            "added": ["client-contact"],
        }
    ]
    assert launch["lead_time_hours"] == {"base": 32.0, "head": 34.0}
    assert document["sops"]["removed"] == ["kickoff"]
    assert document["sops"]["unreadable"] == ["notes"]
    assert "brand-check" not in changed and "windows" not in changed
    assert document["steps_moved"] == [
        {"step": "measure", "from": "campaign-launch", "to": "client-report"}
    ]
    # Findings keep the shape of `sopkit check --format json`.
    check = subprocess.run(
        [sys.executable, "-m", "sopkit.cli", "check", "--format", "json", "--today", "2026-11-30"],
        cwd=broken_story.path,
        capture_output=True,
        text=True,
        check=False,
    )
    check_findings = json.loads(check.stdout)["findings"]
    assert document["findings"]["new"] == check_findings
    # Every key of the output is documented in docs/diff.md.
    documented = set(re.findall(r'"([a-z_]+)"\s*:', DOCS.read_text(encoding="utf-8")))
    keys: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                keys.add(key)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(document)
    assert keys <= documented, keys - documented


def test_a_crlf_only_commit_and_a_rename_change_nothing(broken_story: Repo) -> None:
    # HEAD~4 is the rename of the brand check, HEAD~3 the CRLF commit (see the story).
    for base, head in (("v1", "HEAD~4"), ("HEAD~4", "HEAD~3")):
        done = sopkit(broken_story.path, "diff", base, head, "--format", "markdown")
        assert done.returncode == 0
        assert done.stdout.count("\n") == 1
        assert done.stdout.startswith("No process changes between")
    assert "crlf" not in sopkit(broken_story.path, "diff", "HEAD~4", "HEAD~3").stdout.lower()


def test_head_defaults_to_the_working_tree(tmp_path: Path) -> None:
    repo = tell_story(tmp_path / "repo")
    launch = sop("Campaign launch", "deploy", LAUNCH_STEPS + SMOKE, body=LAUNCH_BODY)
    repo.write({LAUNCH: launch.replace("duration: 2h", "duration: 4h")})
    done = sopkit(repo.path, "diff", "HEAD")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith(
        "Process changes between HEAD and working tree: 1 SOP changed"
    )
    assert 'Step "Smoke test the live ads" changed: duration' in done.stdout
    assert "Lead time: 34 h -> 36 h (+2 h)" in done.stdout


def test_folders_outside_git(tmp_path: Path) -> None:
    write_handbook(tmp_path, {"sops/publish.md": PUBLISH_SOP}, "base")
    write_handbook(
        tmp_path,
        {
            "sops/publish.md": PUBLISH_SOP.replace(
                "{R: writer, A: lead}, duration: 1d",
                "{R: writer, A: lead, C: [writer]}, duration: 1d",
            )
        },
        "head",
    )
    done = sopkit(tmp_path, "diff", "base", "head", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert "- C of *Draft*: Writer added" in done.stdout


def test_bad_arguments_give_one_line_and_exit_2(tmp_path: Path, broken_story: Repo) -> None:
    outside = sopkit(tmp_path, "diff", "no-such-thing")
    assert outside.returncode == 2
    assert outside.stdout == ""
    assert outside.stderr.count("\n") == 1
    assert "'no-such-thing' is not a handbook folder" in outside.stderr
    assert "not in a git repository" in outside.stderr
    inside = sopkit(broken_story.path, "diff", "mian")
    assert inside.returncode == 2
    assert inside.stderr == (
        "sopkit diff: error: BASE: 'mian' is neither a handbook folder nor a revision of the "
        "repository (try a branch, a tag or a commit, e.g. origin/main)\n"
    )
    option = sopkit(broken_story.path, "diff", "--upload-pack=touch /tmp/x", "HEAD")
    assert option.returncode == 2
    head = sopkit(broken_story.path, "diff", "v1", "nope~9")
    assert head.returncode == 2 and head.stderr.startswith("sopkit diff: error: HEAD: ")


def test_handbook_option_and_a_revision_without_mkdocs_yml(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    files: dict[str, str | bytes | None] = {
        "book/roles.yml": "lead: {name: Lead}\nwriter: {name: Writer}\n",
        "book/tools.yml": "docs: {name: Docs}\n",
        "book/sops/publish.md": PUBLISH_SOP,
    }
    repo.commit("Start", "2026-11-01T10:00:00+00:00", files)
    repo.commit(
        "Drop the approval",
        "2026-11-02T10:00:00+00:00",
        {
            "book/sops/publish.md": "\n".join(
                line for line in PUBLISH_SOP.split("\n") if "id: ok" not in line
            )
        },
    )
    missing = sopkit(repo.path, "diff", "HEAD~1", "HEAD")
    assert missing.returncode == 2
    assert "revision 'HEAD~1' has no handbook folder 'sop_library'" in missing.stderr
    done = sopkit(repo.path, "diff", "HEAD~1", "HEAD", "--handbook", "book", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["sops"]["changed"][0]["steps"]["removed"] == [{"id": "ok", "title": "Approve"}]
    assert [f["rule"] for f in document["findings"]["new"]] == ["no-approval"]


def test_unchanged_handbooks_and_findings_matched_without_lines(tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/publish.md": PUBLISH_SOP})
    library = load_library(root)
    findings = check_library(library)
    diff = handbook_diff(library, library, findings, findings, "a", "b")
    assert diff.empty
    assert diff_markdown(diff) == "No process changes between **a** and **b**.\n"
    moved = Diagnostic("no-kpis", "warning", Location("sops/x.md", 3), "no KPIs")
    same = Diagnostic("no-kpis", "warning", Location("sops/x.md", 9), "no KPIs")
    assert finding_changes([moved], [same]) == ((), ())
    assert finding_changes([moved], [same, same]) == ((same,), ())


def test_prose_custom_keys_and_instructions(tmp_path: Path) -> None:
    base = load_library(write_handbook(tmp_path, {"sops/publish.md": PUBLISH_SOP}, "a"))
    text = PUBLISH_SOP.replace("phase: deploy\n", "phase: deploy\nx-team: Web\n")
    text += "\nWhy we publish.\n\n## Steps\n\n### Draft\n\nWrite it.\n"
    head = load_library(write_handbook(tmp_path, {"sops/publish.md": text}, "b"))
    change = sop_change(base.sops[0], head.sops[0])
    assert change.fields == ("x-team", "body")
    assert [(s.id, s.fields) for s in change.steps_changed] == [("draft", ("instructions",))]
    assert change_summary(change) == (
        "step *Draft* changed \\(instructions\\); x\\-team, the prose changed"
    )


def test_handbook_text_is_escaped_in_markdown(tmp_path: Path) -> None:
    base = load_library(write_handbook(tmp_path, {"sops/publish.md": PUBLISH_SOP}, "a"))
    evil = PUBLISH_SOP.replace("title: Draft", "title: '[x](javascript:alert(1)) <b>'").replace(
        "title: Publish", "title: '# <script>'"
    )
    head = load_library(write_handbook(tmp_path, {"sops/publish.md": evil}, "b"))
    markdown = diff_markdown(handbook_diff(base, head, [], [], "a", "b"))
    assert "<script>" not in markdown and "<b>" not in markdown
    assert "](javascript" not in markdown
    assert "### \\# &lt;script&gt;" in markdown


def test_the_init_workflow_writes_the_summary_of_a_pull_request(tmp_path: Path) -> None:
    """The summary step of the workflow `sopkit init` writes, run as GitHub runs it (bash)."""
    bin_dir = str(Path(sys.executable).parent)
    init = sopkit(tmp_path, "init", "site", "--name", "Team")
    assert init.returncode == 0, init.stderr
    site = tmp_path / "site"
    workflow = yaml.safe_load((site / ".github/workflows/handbook.yml").read_text("utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    (summary_step,) = [s for s in steps if "sopkit diff" in s.get("run", "")]
    assert workflow["jobs"]["check"]["if"] == "github.event_name == 'pull_request'"
    assert summary_step["env"] == {"BASE_BRANCH": "${{ github.base_ref }}"}

    repo = Repo(site)
    repo.commit("Start", "2026-11-01T10:00:00+00:00")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout leaves it
    sop_file = site / "handbook/sops/example-sop.md"
    text = sop_file.read_text(encoding="utf-8")
    assert "\nkpis:" in text
    extra = (
        "  - id: double-check\n    title: Double-check the result\n"
        "    raci: {R: team-member, A: team-lead}\n    duration: 2h\n"
    )
    repo.commit(
        "Add a check",
        "2026-11-02T10:00:00+00:00",
        {
            "handbook/sops/example-sop.md": text.replace(
                "\nkpis:", "\n" + extra.rstrip("\n") + "\nkpis:", 1
            )
        },
    )
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    run = subprocess.run(
        ["bash", "-e", "-c", summary_step["run"]],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "BASE_BRANCH": "main",
            "GITHUB_STEP_SUMMARY": str(summary),
            **GIT_ENV,
        },
    )
    assert run.returncode == 0, run.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## Process changes between **origin/main** and **working tree**")
    assert "- Step *Double\\-check the result* added" in written


DECIDING_SOP = """\
---
title: Publish
objective: A post is live.
phase: deploy
owner: lead
reviewed: 2026-10-01
steps:
  - {id: draft, title: Draft, raci: {R: writer, A: lead}, duration: 1d}
  - id: ok
    title: Is it good?
    kind: decision
    raci: {R: writer, A: lead}
    branches:
      - {when: "Yes", to: live}
      - {when: "No", to: fix}
  - {id: live, title: Go live, kind: approval, raci: {R: writer, A: lead}}
  - {id: fix, title: Fix it, raci: {R: writer, A: lead}, duration: 2h}
  - {id: redo, title: Redo it, raci: {R: writer, A: lead}, duration: 1d}
kpis:
  - {name: Views, target: ">= 10"}
---
"""


def test_branches_and_sub_procedures_are_told_one_by_one(tmp_path: Path) -> None:
    base = load_library(
        write_handbook(
            tmp_path,
            {"sops/publish.md": DECIDING_SOP, "sops/extra.md": publish_sop_as("extra")},
            "a",
        )
    )
    head_text = DECIDING_SOP.replace(
        '{when: "No", to: fix}', '{when: "No", to: redo}\n      - {when: Later, to: fix}'
    ).replace("duration: 2h}", "duration: 2h, sop: extra}")
    head = load_library(
        write_handbook(
            tmp_path, {"sops/publish.md": head_text, "sops/extra.md": publish_sop_as("extra")}, "b"
        )
    )
    diff = handbook_diff(base, head, [], [], "a", "b")
    (change,) = diff.sops_changed
    assert [(b.when, b.base, b.head) for b in change.branches] == [
        ("No", "fix", "redo"),
        ("Later", None, "fix"),
    ]
    assert [(c.step, c.base, c.head) for c in change.calls] == [("fix", None, "extra")]
    text = diff_text(diff)
    assert 'Branch "No" of "Is it good?": "Fix it" -> "Redo it"' in text
    assert 'Branch "Later" of "Is it good?" added, to "Fix it"' in text
    assert '"Fix it" runs "Extra" as a sub-procedure' in text
    document = json.loads(diff_json(diff))
    (changed,) = document["sops"]["changed"]
    assert changed["calls"] == [{"step": "fix", "base": None, "head": "extra"}]
    assert changed["branches"][0] == {"step": "ok", "when": "No", "base": "fix", "head": "redo"}
    assert {"id": "ok", "title": "Is it good?", "fields": ["branches"]} in changed["steps"][
        "changed"
    ]
    # Told one by one for people, not again among the step's changed keys.
    assert "changed: branches" not in text and "changed: sop" not in text
    # `redo` now waits for the decision that branches to it, no longer for `fix` above it.
    assert change_summary(change) == (
        "step *Redo it* changed \\(after\\); branches of *Is it good?* changed; "
        "sub\\-procedure of *Fix it* changed; lead time 18 h \\-&gt; 16 h \\(\\-2 h\\)"
    )


def publish_sop_as(sop_id: str) -> str:
    return PUBLISH_SOP.replace("title: Publish", f"title: {sop_id.capitalize()}")
