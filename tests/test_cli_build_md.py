"""`sopkit build-md`: every page as plain Markdown, which MkDocs builds without the plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sopkit.cli import main
from sopkit.load import load_library

from .handbooks import write_handbook
from .sites import SHIPPED, text_of
from .test_author_path import PLAIN_MKDOCS
from .test_cli_export import BAD, GOOD


def build_plain(out: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    config = workdir / "plain-mkdocs.yml"
    config.write_text(PLAIN_MKDOCS.format(docs=out, site=workdir / "plain-site"), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(workdir)},
        timeout=600,
    )


def test_the_shipped_handbook_builds_with_plain_mkdocs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "markdown"
    assert main(["build-md", str(SHIPPED), str(out), "--today", "2026-11-24"]) == 0
    summary = capsys.readouterr().out
    library = load_library(SHIPPED)
    assert f"{len(library.sops)} SOP pages" in summary

    for sop in library.sops:
        page = (out / sop.file).read_text(encoding="utf-8")
        assert page.startswith("---\nrender_macros: false\n")
        assert "```mermaid" not in page
        assert f'data-step="{sop.steps[0].id}"' in page  # the workflow, drawn as inline SVG
    for page in ("how-we-work.md", "glossary.md", "index.md"):
        assert (out / page).read_bytes() == (SHIPPED / page).read_bytes()
    for name in ("roles.yml", "tools.yml", "onboarding.yml"):
        assert not (out / name).exists()
    for generated in ("raci/index.md", "lifecycle/index.md", "health/index.md"):
        assert (out / generated).is_file()
    assert (out / "onboarding/content-writer.md").is_file()
    assert (out / "assets/sopkit/sopkit.css").is_file()
    assert (out / "assets/sopkit/sopkit-schedule.js").is_file()
    assert (out / "run/content-production.md").is_file()

    result = build_plain(out, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "plain-site"
    page = BeautifulSoup(
        (site / "sops/content/content-production/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert page.select_one(".sopkit-diagram svg [data-step]") is not None
    assert page.select_one(".mermaid") is None
    assert page.select_one("div.sopkit-facts a[href]") is not None  # md_in_html was applied
    assert "{:" not in text_of(page) and "{ ." not in text_of(page)  # attr_list was applied
    assert (site / "raci.csv").is_file() and (site / "sops.json").is_file()


def test_refuses_an_out_folder_that_is_not_empty_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["build-md", str(handbook), str(out)]) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]

    assert main(["build-md", str(handbook), str(out), "--force"]) == 0
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sops/publish.md").is_file()


def test_refuses_an_out_folder_inside_the_handbook_and_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    assert main(["build-md", str(handbook), str(handbook / "build")]) == 2
    assert "inside the handbook" in capsys.readouterr().err
    assert main(["build-md", str(handbook), str(handbook)]) == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["build-md", str(handbook), str(tmp_path / "file")]) == 2
    assert "is a file" in capsys.readouterr().err


def test_a_handbook_with_errors_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": BAD})
    assert main(["build-md", str(handbook), str(tmp_path / "out")]) == 1
    assert "error unknown-role" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_hand_written_page_replaces_the_generated_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(
        tmp_path, {"sops/publish.md": GOOD, "roles/index.md": "# Our roles\n", "img/a.png": "png"}
    )
    out = tmp_path / "out"
    assert main(["build-md", str(handbook), str(out)]) == 0
    assert (out / "roles/index.md").read_text(encoding="utf-8") == "# Our roles\n"
    assert (out / "roles/lead.md").is_file()
    assert (out / "img/a.png").read_text(encoding="utf-8") == "png"


def test_site_options_of_mkdocs_yml_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_handbook(tmp_path, {"procedures/publish.md": GOOD})
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: handbook\nuse_directory_urls: false\nplugins:\n  - sopkit:\n"
        "      sops_dir: procedures\n      health: false\n      exports: false\n"
        "      today: '2030-01-01'\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["build-md", "out"]) == 0
    out = tmp_path / "out"
    assert (out / "procedures/publish.md").is_file()
    assert not (out / "health").exists()
    assert not (out / "sops.json").exists()
    page = (out / "procedures/publish.md").read_text(encoding="utf-8")
    # Due against `today` of mkdocs.yml: overdue in 2030.
    assert "sopkit-review--overdue" in page and 'data-review-due="2027-03-30"' in page
    assert "publish.html" in (out / "raci/index.md").read_text(encoding="utf-8")  # raw-HTML URLs


def test_missing_out_argument_and_bad_today_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["build-md"], ["build-md", "a", "b", "--today", "2026-13-01"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err


def test_one_positional_is_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SHIPPED, tmp_path / "sop_library")
    monkeypatch.chdir(tmp_path)
    assert main(["build-md", "md"]) == 0
    assert (tmp_path / "md/sops/content/content-production.md").is_file()


def test_no_directory_urls_links_raw_html_to_html_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    assert main(["build-md", str(handbook), str(tmp_path / "a")]) == 0
    assert 'href="../sops/publish/"' in (tmp_path / "a/raci/index.md").read_text("utf-8")
    assert main(["build-md", str(handbook), str(tmp_path / "b"), "--no-directory-urls"]) == 0
    assert 'href="../sops/publish.html"' in (tmp_path / "b/raci/index.md").read_text("utf-8")


def test_review_states_follow_the_reader_unless_a_date_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without `--today` the pages leave the review date to the reader's browser; with it they
    keep that date, as the plugin does with its `today` option."""
    handbook = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    assert main(["build-md", str(handbook), str(tmp_path / "live")]) == 0
    assert main(["build-md", str(handbook), str(tmp_path / "kept"), "--today", "2026-11-24"]) == 0
    capsys.readouterr()
    live = (tmp_path / "live/sops/publish.md").read_text("utf-8")
    kept = (tmp_path / "kept/sops/publish.md").read_text("utf-8")
    assert "data-review-due=" in live and "data-review-today=" not in live
    assert 'data-review-today="2026-11-24"' in kept
