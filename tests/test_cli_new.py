"""`sopkit new`: scaffolds that pass the checker with the handbook's real roles, and refusals."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from sopkit.check import check_library
from sopkit.cli import main
from sopkit.load import load_library
from sopkit.model import Library, Settings
from sopkit.scaffold import scaffold_names

from .handbooks import write_handbook
from .sites import SHIPPED

TODAY = dt.date.today()


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SHIPPED, tmp_path / "sop_library"))


def new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_shipped_scaffolds() -> None:
    assert set(scaffold_names()) >= {"blank", "campaign", "content", "approval", "reporting"}


@pytest.mark.parametrize("scaffold", scaffold_names())
def test_each_scaffold_passes_check_in_the_shipped_handbook(
    scaffold: str, shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sop_id = f"new-{scaffold}"
    code, out, _ = new(capsys, sop_id, "--template", scaffold, "--handbook", str(shipped))
    assert code == 0
    assert f"sops/new-{scaffold}.md from the {scaffold} scaffold" in out
    library = load_library(shipped)
    findings = check_library(library, TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.file == f"sops/new-{scaffold}.md"] == []

    sop = library.sop(f"new-{scaffold}")
    assert sop is not None
    assert sop.objective and sop.kpis and sop.reviewed == TODAY
    assert sop.owner == next(iter(library.roles))
    (approval,) = sop.approvals
    assert approval.raci.responsible != approval.raci.accountable
    assert approval.criteria and approval.on_reject
    assert len(sop.steps) >= (2 if scaffold == "blank" else 4)
    # Every step has guidance under `## Steps`, and nothing there is left unmatched.
    assert all(step.instructions.strip() for step in sop.steps)
    text = (shipped / sop.file).read_text(encoding="utf-8")
    assert "$" not in text and "{{" not in text and "{%" not in text


def _roles_used(library: Library, sop_id: str) -> set[str]:
    sop = library.sop(sop_id)
    assert sop is not None
    return set(sop.roles())


@pytest.mark.parametrize("scaffold", scaffold_names())
def test_each_scaffold_carries_a_quiz_example_that_checks_clean_when_uncommented(
    scaffold: str, shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = new(capsys, "with-quiz", "--template", scaffold, "--handbook", str(shipped))
    assert code == 0
    path = shipped / "sops" / "with-quiz.md"
    text = path.read_text(encoding="utf-8")
    assert "# quiz:" in text
    path.write_text(
        re.sub(r"(?m)^# ( *(quiz:|- question:|choices:|answer:|explain:))", r"\1", text)
    )
    library = load_library(shipped)
    sop = library.sop("with-quiz")
    assert sop is not None and len(sop.quiz) == 1
    assert sop.quiz[0].answer in sop.quiz[0].choices
    assert [f for f in check_library(library, TODAY) if f.file == "sops/with-quiz.md"] == []


def test_owner_fills_every_role_slot_and_another_role_submits_the_approval(
    shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = new(
        capsys, "refresh", "--template", "content", "--owner", "seo-specialist",
        "--phase", "determine", "--handbook", str(shipped),
    )  # fmt: skip
    assert code == 0
    assert "replace them with the roles that really do each step" in out
    library = load_library(shipped)
    sop = library.sop("refresh")
    assert sop is not None and sop.owner == "seo-specialist" and sop.phase == "determine"
    first_role = next(iter(library.roles))
    assert _roles_used(library, "refresh") == {"seo-specialist", first_role}
    assert sop.approvals[0].raci.responsible == (first_role,)


def test_a_single_role_handbook_leaves_only_a_self_approval_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_handbook(tmp_path, {"roles.yml": "lead:\n  name: Lead\n"})
    code, out, _ = new(capsys, "solo", "--template", "reporting", "--handbook", str(root))
    assert code == 0
    assert "self-approval" in out
    findings = check_library(load_library(root), TODAY)
    assert [(f.rule, f.severity) for f in findings] == [("self-approval", "warning")]


def test_title_and_folder(shipped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title = 'Q&A: "yes" # not a comment'
    code, _, _ = new(
        capsys, "faq", "--title", title, "--dir", "sops/content/", "--handbook", str(shipped)
    )
    assert code == 0
    library = load_library(shipped)
    sop = library.sop("faq")
    assert sop is not None
    assert (sop.title, sop.file) == (title, "sops/content/faq.md")


def test_defaults_come_from_mkdocs_yml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_handbook(tmp_path, {})
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: handbook\nplugins:\n  - sopkit:\n"
        "      sops_dir: procedures\n      phases: [plan, launch]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = new(capsys, "write-up", "--template", "content")
    assert code == 0
    assert "Created handbook/procedures/write-up.md" in out
    settings = Settings(sops_dir="procedures", phases=("plan", "launch"))
    library = load_library(root, settings)
    sop = library.sop("write-up")
    assert sop is not None and sop.phase == "plan"  # `develop` is not a phase of this site
    assert [f for f in check_library(library, TODAY) if f.severity == "error"] == []


@pytest.mark.parametrize("bad", ["Content", "content_refresh", "refresh-", "a--b", "new sop", ""])
def test_bad_ids_exit_two_and_write_nothing(
    bad: str, shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(shipped.rglob("*"))
    code, _, err = new(capsys, bad, "--handbook", str(shipped))
    assert code == 2
    assert "is not a valid id: use lowercase letters, digits and single hyphens" in err
    assert sorted(shipped.rglob("*")) == before


def test_a_did_you_mean_for_a_bad_id(shipped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        new(capsys, "Content Refresh", "--handbook", str(shipped))[2]
        .rstrip()
        .endswith("(did you mean `content-refresh`?)")
    )


def test_new_refuses_to_overwrite_or_reuse_an_id(
    shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (shipped / "sops/content/content-production.md").read_bytes()
    code, _, err = new(capsys, "content-production", "--handbook", str(shipped))
    assert code == 2
    assert 'an SOP with id "content-production" already exists: sops/content/' in err
    code, _, err = new(
        capsys, "content-production", "--dir", "sops/content", "--handbook", str(shipped)
    )
    assert code == 2
    assert (shipped / "sops/content/content-production.md").read_bytes() == original

    # A file whose front matter names another id still occupies its path.
    (shipped / "sops/draft.md").write_text(
        (shipped / "sops/content/content-production.md")
        .read_text(encoding="utf-8")
        .replace("id: content-production", "id: another-draft"),
        encoding="utf-8",
    )
    code, _, err = new(capsys, "draft", "--handbook", str(shipped))
    assert code == 2
    assert "sops/draft.md already exists; sopkit new never overwrites a file" in err

    # An SOP that cannot be read still owns the id of its file name.
    (shipped / "sops/seo/broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    code, _, err = new(capsys, "broken", "--handbook", str(shipped))
    assert code == 2
    assert 'an SOP with id "broken" already exists: sops/seo/broken.md' in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "content-leed"], "no role 'content-leed' in roles.yml; did you mean"),
        (["--phase", "develope"], "'develope' is not a phase of this site; did you mean `develop`"),
        (["--dir", "campaigns"], "'campaigns' is not below sops/, so the file would not be an SOP"),
        (["--dir", "sops/../.."], "expected a folder below the handbook"),
        (["--dir", "/tmp"], "expected a folder below the handbook"),
    ],
)
def test_bad_options_exit_two(
    args: list[str], message: str, shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = new(capsys, "fine-id", *args, "--handbook", str(shipped))
    assert code == 2
    assert message in err
    assert not list(shipped.rglob("fine-id.md"))


def test_missing_handbook_and_empty_roles_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = new(capsys, "x", "--handbook", str(tmp_path / "nowhere"))
    assert code == 2
    assert "handbook folder not found" in err
    root = write_handbook(tmp_path, {"roles.yml": "{}\n"})
    code, _, err = new(capsys, "x", "--handbook", str(root))
    assert code == 2
    assert "roles.yml is missing or lists no roles" in err
