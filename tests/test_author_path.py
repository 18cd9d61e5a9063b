"""The author's whole path in a temporary folder, with the installed `sopkit` and real MkDocs:
`init`, `new`, `check`, `mkdocs build --strict`, `export`, `build-md`; and the files `init` writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from sopkit.cli import main
from sopkit.schema import schema_for
from sopkit.starter import requirement_from

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "sopkit"
SOPKIT = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "sopkit.cli"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
COMMANDS = ("check", "report", "init", "new", "schema", "export", "build-md", "diff")

# What a plain MkDocs site needs for the pages of `sopkit build-md`: no sopkit plugin.
PLAIN_MKDOCS = """\
site_name: Plain MkDocs
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - admonition
  - pymdownx.tasklist
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def sopkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SOPKIT, *args], cwd=cwd, capture_output=True, text=True, env=ENV, check=False
    )


def mkdocs_build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
        timeout=600,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `sopkit init`, untouched."""
    root = tmp_path_factory.mktemp("init")
    ok(sopkit("init", "handbook-site", "--name", "Ops: handbook & more", cwd=root))
    return root / "handbook-site"


def test_whole_path_init_new_check_build_export_build_md(tmp_path: Path) -> None:
    ok(sopkit("init", "team", "--name", "Team handbook", cwd=tmp_path))
    site = tmp_path / "team"
    assert "No problems found in 1 SOP." in ok(sopkit("check", "--strict", cwd=site))

    created = ok(sopkit("new", "content-refresh", "--template", "content", cwd=site))
    assert "handbook/sops/content-refresh.md" in created
    ok(sopkit("new", "sign-off", "--template", "approval", "--dir", "sops/approvals", cwd=site))
    assert (site / "handbook/sops/approvals/sign-off.md").is_file()
    assert "No problems found in 3 SOPs." in ok(sopkit("check", "--strict", cwd=site))

    build = mkdocs_build(site)
    assert build.returncode == 0, build.stdout + build.stderr
    built = site / "site"
    assert (built / "sops/content-refresh/index.html").is_file()
    assert (built / "sops/approvals/sign-off/index.html").is_file()

    export_json = subprocess.run(
        [*SOPKIT, "export", "--format", "json"], cwd=site, capture_output=True, env=ENV, check=False
    )
    assert export_json.returncode == 0, export_json.stderr
    assert export_json.stdout == (built / "sops.json").read_bytes()
    ok(sopkit("export", "--format", "csv", "--output", "raci.csv", cwd=site))
    assert (site / "raci.csv").read_bytes() == (built / "raci.csv").read_bytes()

    out = tmp_path / "markdown"
    ok(sopkit("build-md", str(out), cwd=site))
    for page in (
        "index.md",
        "sops/example-sop.md",
        "sops/content-refresh.md",
        "sops/approvals/sign-off.md",
        "sops/index.md",
        "roles/index.md",
        "roles/team-lead.md",
        "tools/github.md",
        "raci/index.md",
        "lifecycle/index.md",
        "onboarding/team-member.md",
        "health/index.md",
        "sops.json",
        "raci.csv",
    ):
        assert (out / page).is_file(), page
    assert (out / "sops.json").read_bytes() == (built / "sops.json").read_bytes()
    assert 'data-step="' in (out / "sops/content-refresh.md").read_text(encoding="utf-8")

    plain = tmp_path / "plain.yml"
    plain.write_text(PLAIN_MKDOCS.format(docs=out, site=tmp_path / "plain-site"), encoding="utf-8")
    build = mkdocs_build(tmp_path, "-f", str(plain))
    assert build.returncode == 0, build.stdout + build.stderr
    page = (tmp_path / "plain-site/sops/content-refresh/index.html").read_text(encoding="utf-8")
    assert 'class="sopkit-diagram__svg sopkit-diagram__svg--workflow"' in page
    assert "mermaid" not in page


def test_example_sop_is_reviewed_today(site: Path) -> None:
    text = (site / "handbook/sops/example-sop.md").read_text(encoding="utf-8")
    assert f"reviewed: {dt.date.today().isoformat()}\n" in text
    assert "review_every: 1y\n" in text


def test_site_name_is_escaped_for_yaml_and_markdown(site: Path) -> None:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Ops: handbook & more"
    assert config["docs_dir"] == "handbook"
    assert config["plugins"] == ["search", "sopkit"]
    heading = (site / "handbook/index.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading == "# Ops: handbook &amp; more"


def _run_lines(job: dict[str, Any]) -> list[str]:
    return [
        line.strip()
        for step in job["steps"]
        if "run" in step
        for line in step["run"].splitlines()
        if line.strip()
    ]


def _workflow(site: Path) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(
        (site / ".github/workflows/handbook.yml").read_text("utf-8")
    )
    return workflow


def test_workflow_checks_pull_requests_strictly_and_deploys_despite_warnings(site: Path) -> None:
    workflow = _workflow(site)
    # PyYAML reads the key `on` as true (YAML 1.1); GitHub reads it as "on".
    triggers = workflow[True]
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    _minute, _hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), "weekly"
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert set(jobs) == {"check", "build", "deploy", "reviews"}

    check = jobs["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert _run_lines(check) == [
        "pip install -r requirements.txt",
        'sopkit diff "origin/$BASE_BRANCH" --format markdown >> "$GITHUB_STEP_SUMMARY"',
        "sopkit check --format github --strict",
        "mkdocs build --strict",
    ]

    # The path to a deploy: pushes, the schedule and a manual run; nothing in it is --strict.
    build, deploy = jobs["build"], jobs["deploy"]
    assert build["if"] == "github.event_name != 'pull_request'"
    assert _run_lines(build) == [
        "pip install -r requirements.txt",
        "sopkit check --format github",
        "mkdocs build",
    ]
    assert not any("--strict" in line for line in _run_lines(build) + _run_lines(deploy))
    assert deploy["needs"] == "build"
    assert "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    uses = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    # Every action pinned to an exact version.
    for action in uses:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+\.\d+\.\d+", action), action

    reviews = jobs["reviews"]
    assert reviews["if"] == (
        "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
    )
    assert reviews["permissions"] == {"contents": "read", "issues": "write"}
    for job in jobs.values():
        granted = job.get("permissions", workflow["permissions"])
        assert set(granted.values()) <= {"read", "write"}
        assert "write" not in granted.get("contents", "read")

    listed = ok(sopkit("--help", cwd=site))
    for job in jobs.values():
        for line in _run_lines(job):
            for command in re.findall(r"(?:^|\$\(|\| )sopkit ([a-z-]+)", line):
                assert re.search(rf"^\s+{re.escape(command)}\s", listed, re.MULTILINE), line


def test_requirements_install_the_sopkit_that_made_the_site(site: Path) -> None:
    lines = (site / "requirements.txt").read_text("utf-8").splitlines()
    requirement = lines[-1]
    assert all(line.startswith("#") for line in lines[:-1])
    # This test runs from an editable install of the repository: the folder it came from.
    assert requirement == f"sopkit @ {REPO.as_uri()}"
    assert "Only this machine has that folder" in " ".join(lines)


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, "sopkit==1.2.3"),
        (
            '{"url": "https://github.com/acme/sopkit.git", "vcs_info": {"vcs": "git", '
            '"requested_revision": "main", "commit_id": "4f1c0e9d2b"}}',
            "sopkit @ git+https://github.com/acme/sopkit.git@4f1c0e9d2b",
        ),
        (
            '{"url": "https://github.com/acme/tools.git", "subdirectory": "sopkit", '
            '"vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
            "sopkit @ git+https://github.com/acme/tools.git@abc123#subdirectory=sopkit",
        ),
        (
            '{"url": "https://files.example.com/sopkit-1.2.3.tar.gz", '
            '"archive_info": {"hashes": {"sha256": "ff00"}}}',
            "sopkit @ https://files.example.com/sopkit-1.2.3.tar.gz#sha256=ff00",
        ),
        (
            '{"url": "file:///home/me/sopkit", "dir_info": {}}',
            "sopkit @ file:///home/me/sopkit",
        ),
        ("not json", "sopkit==1.2.3"),
    ],
)
def test_requirement_from_pep_610_metadata(direct_url: str | None, expected: str) -> None:
    assert requirement_from("1.2.3", direct_url).line == expected


def test_pre_commit_hooks_run_sopkit_check(site: Path) -> None:
    local = yaml.safe_load((site / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = local["repos"][0]["hooks"]
    assert local["repos"][0]["repo"] == "local"
    assert hook["entry"] == "sopkit check --strict"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "handbook/sops/example-sop.md")
    assert not re.search(hook["files"], "README.md")

    (shared,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert shared["id"] == "sopkit-check"
    assert shared["entry"] == "sopkit check --strict"
    assert shared["language"] == "python"
    assert shared["pass_filenames"] is False
    assert re.search(shared["files"], "handbook/roles.yml")
    assert re.search(shared["files"], "sops/a.md")
    assert not re.search(shared["files"], "overrides/x.css")


def test_editor_settings_point_at_the_schemas_init_wrote(site: Path) -> None:
    settings = json.loads((site / ".vscode/settings.json").read_text("utf-8"))
    mapped = settings["yaml.schemas"]
    assert mapped == {
        "./.sopkit/roles.schema.json": "handbook/roles.yml",
        "./.sopkit/tools.schema.json": "handbook/tools.yml",
        "./.sopkit/onboarding.schema.json": "handbook/onboarding.yml",
    }
    for schema_path, file in mapped.items():
        kind = Path(file).stem
        assert json.loads((site / schema_path).read_text("utf-8")) == schema_for(kind)
    assert json.loads((site / ".sopkit/schema.json").read_text("utf-8")) == schema_for("sop")
    for kind in ("roles", "tools"):
        registry = site / "handbook" / f"{kind}.yml"
        first = registry.read_text("utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        assert json.loads((registry.parent / match.group(1)).read_text("utf-8")) == schema_for(kind)
    assert "redhat.vscode-yaml" in (site / ".vscode/extensions.json").read_text("utf-8")


def test_init_refuses_a_folder_that_is_not_empty_and_force_keeps_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err
    assert sorted(p.name for p in target.iterdir()) == ["mkdocs.yml"]

    assert main(["init", str(target), "--force"]) == 0
    out = capsys.readouterr().out
    assert "mkdocs.yml (exists, kept as it was)" in out
    assert (target / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert (target / "handbook/sops/example-sop.md").is_file()

    assert main(["init", str(target / "mkdocs.yml")]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "other"), "--name", "  "]) == 2
    assert "--name" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "example" in capsys.readouterr().out


def test_bad_arguments_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["schema", "--for", "sops"],
        ["export", "--format", "xml"],
        ["new", "x", "--template", "memo"],
        ["build-md", "out", "--today", "tomorrow"],
        ["init"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2, argv
        assert "error:" in capsys.readouterr().err


def test_every_template_file_ships_in_the_package() -> None:
    """pyproject's package-data globs cover every file of templates/ (a wheel carries them)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["sopkit.templates"]
    suffixes = {glob.removeprefix("**/*") for glob in globs}
    for path in (REPO / "templates").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py":
            assert path.suffix in suffixes, path
            assert not any(part.startswith(".") for part in path.relative_to(REPO).parts), path
