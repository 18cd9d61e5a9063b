"""Golden cases: a handbook folder in, the checker's findings out, at their exact lines.

Each folder under tests/golden/check/ holds handbook files laid over `_base/` (roles.yml,
tools.yml) and `expected.txt`; a `mkdocs.yml` there gives the site's sopkit options (rule
settings), as `sopkit check` reads them. Run `pytest --regen-golden` to rewrite the expected
files, then read the diff.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sopkit.check import check_library, not_checked
from sopkit.load import load_library
from sopkit.model import Settings
from sopkit.render.findings import findings_text
from sopkit.site import read_config, settings_from_options, sopkit_options

GOLDEN = Path(__file__).parent / "golden" / "check"
TODAY = dt.date(2026, 11, 24)
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith("_"))


def assemble(case: str, target: Path) -> Path:
    """The case's files over the base registries, as one handbook folder."""
    root = target / "handbook"
    if not (GOLDEN / case / "NO_BASE").exists():
        shutil.copytree(GOLDEN / "_base", root)
    shutil.copytree(
        GOLDEN / case,
        root,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("expected.txt", "NO_BASE", "mkdocs.yml"),
    )
    return root


def case_settings(case: str) -> Settings:
    config = GOLDEN / case / "mkdocs.yml"
    if not config.is_file():
        return Settings()
    return settings_from_options(sopkit_options(read_config(config.read_bytes())))


def findings_for(case: str, tmp_path: Path) -> str:
    library = load_library(assemble(case, tmp_path), case_settings(case))
    findings = check_library(library, TODAY)
    return findings_text(findings, len(library.sop_files), not_checked=not_checked(library))


@pytest.mark.parametrize("case", CASES)
def test_golden_findings(case: str, tmp_path: Path, regen_golden: bool) -> None:
    actual = findings_for(case, tmp_path)
    expected_file = GOLDEN / case / "expected.txt"
    if regen_golden:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


RULES = [
    "yaml-syntax", "duplicate-key", "missing-field", "unknown-field", "wrong-type",
    "invalid-value", "duplicate-id", "unknown-role", "unknown-tool", "unknown-sop",
    "unknown-step", "raci-accountable", "raci-responsible", "step-cycle", "sop-cycle",
    "orphan-step-section", "review-overdue", "missing-review", "no-approval", "no-kpis",
    "self-approval", "too-many-consulted", "steps-heading",
]  # fmt: skip


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_has_a_case_that_reports_it(rule: str) -> None:
    """Each rule of the format has its own case folder, and its expected output names it."""
    expected = (GOLDEN / rule / "expected.txt").read_text(encoding="utf-8")
    assert f" {rule}: " in expected
