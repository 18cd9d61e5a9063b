"""`sopkit check`: the three output formats, exit codes, defaults and big input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sopkit.cli import main

from .handbooks import BROKEN_SOP, PUBLISH_SOP, write_handbook

GOOD = PUBLISH_SOP
BAD = BROKEN_SOP


NO_REVIEW = "this active SOP has no `reviewed` date"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--today", "2026-11-24"])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_handbook_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    code, out, _ = run(capsys, str(root))
    assert code == 0
    assert out == "No problems found in 1 SOP.\n"


def test_text_format_names_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_handbook(tmp_path, {"sops/publish.md": BAD})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "handbook")
    assert code == 1
    assert out.splitlines() == [
        "handbook/sops/publish.md:2:1: warning missing-review: " + NO_REVIEW,
        "    hint: add reviewed: 2026-11-24 once the owner has checked it",
        'handbook/sops/publish.md:5:1: error unknown-role: unknown role "leed"',
        "    hint: did you mean `lead`?",
        "1 error, 1 warning in 1 SOP.",
    ]


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_handbook(tmp_path, {"sops/publish.md": BAD})
    code, out, _ = run(capsys, str(root), "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["summary"] == {"errors": 1, "warnings": 1, "sops": 1}
    assert document["findings"][1] == {
        "rule": "unknown-role",
        "severity": "error",
        "file": "sops/publish.md",
        "line": 5,
        "column": 1,
        "message": 'unknown role "leed"',
        "hint": "did you mean `lead`?",
    }


def test_github_format_escapes_properties_and_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_handbook(tmp_path, {"sops/publish.md": BAD})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "handbook", "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert lines[1] == (
        "::error file=handbook/sops/publish.md,line=5,col=1,title=unknown-role::"
        'unknown role "leed" (hint: did you mean `lead`?)'
    )
    assert lines[0].startswith("::warning file=handbook/sops/publish.md,line=2,col=1,")
    assert lines[-1] == "1 error, 1 warning in 1 SOP."


def test_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warn_only = GOOD.replace("reviewed: 2026-10-01\n", "")
    root = write_handbook(tmp_path, {"sops/publish.md": warn_only})
    assert run(capsys, str(root))[0] == 0
    assert run(capsys, str(root), "--strict")[0] == 1


def test_missing_folder_and_bad_arguments_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere"))
    assert code == 2
    assert "handbook folder not found" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2


def test_default_handbook_is_docs_dir_of_mkdocs_yml_with_its_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    custom = GOOD.replace("phase: deploy", "phase: launch")
    write_handbook(tmp_path, {"procedures/publish.md": custom}, name="handbook")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: handbook\nplugins:\n  - search\n"
        "  - sopkit:\n      sops_dir: procedures\n      phases: [plan, launch]\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: mermaid\n          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "extra:\n  key: !ENV [SOME_VARIABLE, fallback]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys)
    assert (code, out) == (0, "No problems found in 1 SOP.\n")


def test_default_handbook_without_mkdocs_yml_is_sop_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_handbook(tmp_path, {"sops/publish.md": BAD}, name="sop_library")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys)
    assert code == 1
    assert out.startswith("sop_library/sops/publish.md:")


def test_two_thousand_line_front_matter_reports_the_exact_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = "".join(
        f"  - {{id: s{i}, title: Step {i}, raci: {{R: writer, A: lead}}, duration: 1h}}\n"
        for i in range(1994)
    )
    front = GOOD.split("steps:\n")[0] + "steps:\n" + steps
    front += "  - {id: last, title: Last, raci: {R: writer, A: boss}, kind: approval}\n"
    text = front + "---\n"
    assert text.count("\n") > 2000
    root = write_handbook(tmp_path, {"sops/big.md": text})
    code, out, _ = run(capsys, str(root), "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["line"]) for f in findings] == [("no-kpis", 2), ("unknown-role", 2002)]


def test_console_script_runs(tmp_path: Path) -> None:
    """The installed `sopkit` entry point, as CI and pre-commit call it."""
    root = write_handbook(tmp_path, {"sops/publish.md": BAD})
    script = Path(sys.executable).parent / "sopkit"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sopkit.cli"]
    result = subprocess.run(
        [*command, "check", str(root), "--today", "2026-11-24"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 1
    assert "error unknown-role" in result.stdout
    assert "Traceback" not in result.stderr


def _site(tmp_path: Path, rules: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: T\ndocs_dir: handbook\nplugins:\n  - sopkit:\n      rules: {rules}\n",
        encoding="utf-8",
    )


def test_rule_settings_of_mkdocs_yml_apply_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`missing-review: off` silences the warning; `error` makes it fail, as the build would."""
    warn_only = GOOD.replace("reviewed: 2026-10-01\n", "")
    write_handbook(tmp_path, {"sops/publish.md": warn_only})
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, "{missing-review: off}")  # YAML 1.1 reads the bare off as false
    assert run(capsys, "--strict")[:2] == (0, "No problems found in 1 SOP.\n")
    _site(tmp_path, "{missing-review: error}")
    code, out, _ = run(capsys)
    assert code == 1
    assert out.startswith("handbook/sops/publish.md:2:1: error missing-review: ")
    # Given as a folder, the handbook that mkdocs.yml builds still gets its settings.
    assert run(capsys, "handbook")[0] == 1


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            "{unknown-role: warning}",
            "rules: `unknown-role` is an error and cannot be set to warning",
        ),
        ("{no-aproval: off}", "unknown rule `no-aproval`; did you mean `no-approval`?"),
        ("{no-kpis: silent}", '`no-kpis` is set to "silent"; expected off, warning or error'),
        ("[no-kpis]", "expected a mapping of rule names to off, warning or error"),
    ],
)
def test_a_bad_rule_setting_is_a_clear_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    rules: str,
    message: str,
) -> None:
    write_handbook(tmp_path, {"sops/publish.md": GOOD})
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, rules)
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"sopkit check: error: {tmp_path / 'mkdocs.yml'}: sopkit option ")
    assert message in err
    assert "Traceback" not in err
