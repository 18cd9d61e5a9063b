"""`sopkit export`: the site's sops.json and raci.csv, byte for byte, without building the site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sopkit.cli import main

from .handbooks import BROKEN_SOP, PUBLISH_SOP, write_handbook
from .sites import BASE_CONFIG, SHIPPED, Build, build

GOOD = PUBLISH_SOP
BAD = BROKEN_SOP


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    workdir = tmp_path_factory.mktemp("export")
    handbook = Path(shutil.copytree(SHIPPED, workdir / "sop_library"))
    result = build(handbook, workdir)
    assert result.returncode == 0, result.output
    return handbook, result


@pytest.mark.parametrize(("fmt", "name"), [("json", "sops.json"), ("csv", "raci.csv")])
def test_export_prints_the_bytes_the_site_gets(
    fmt: str,
    name: str,
    shipped_build: tuple[Path, Build],
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    handbook, site = shipped_build
    assert main(["export", str(handbook), "--format", fmt]) == 0
    printed = capsysbinary.readouterr().out
    assert printed == (site.site / name).read_bytes()


def test_output_writes_the_same_bytes(
    shipped_build: tuple[Path, Build], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook, site = shipped_build
    target = tmp_path / "catalogue.json"
    assert main(["export", str(handbook), "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_bytes() == (site.site / "sops.json").read_bytes()


def test_urls_follow_use_directory_urls_of_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": GOOD})
    config = dict(BASE_CONFIG, use_directory_urls=False)
    site = build(handbook, tmp_path, config)
    assert site.returncode == 0, site.output
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: handbook\nuse_directory_urls: false\nplugins: [sopkit]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 0
    printed = capsys.readouterr().out
    assert '"url": "sops/publish.html"' in printed
    assert printed.encode() == (site.site / "sops.json").read_bytes()


def test_a_handbook_with_errors_exports_nothing_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(tmp_path, {"sops/publish.md": BAD})
    assert main(["export", str(handbook), "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "sops/publish.md:5:1: error unknown-role: unknown role" in err
    assert "missing-review" not in err  # warnings do not stop an export and are not shown
    assert "nothing was written" in err

    target = tmp_path / "raci.csv"
    assert main(["export", str(handbook), "--format", "csv", "--output", str(target)]) == 1
    assert not target.exists()

    assert main(["export", str(handbook), "--format", "csv", "--force"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("phase,sop_id,sop_title,step_number,step_id,step_title,")
    assert "writing anyway (--force)" in err


def test_missing_handbook_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "nowhere")]) == 2
    assert "handbook folder not found" in capsys.readouterr().err
