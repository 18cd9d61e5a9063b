"""The benchmark's handbooks are valid and equivalent, and its scripts run. No timing here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
COUNT = 20
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=ENV,
        timeout=600,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    result = _run(sys.executable, BENCHMARKS / "generate.py", COUNT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def built(generated: Path) -> Path:
    for side in ("sopkit", "plain"):
        result = _run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=generated / side)
        assert result.returncode == 0, f"{side}: {result.stdout}{result.stderr}"
    return generated


def _sop_pages(handbook: Path) -> list[str]:
    return sorted(
        p.relative_to(handbook).as_posix()
        for p in (handbook / "sops").rglob("*.md")
        if p.name != "index.md"
    )


def test_the_generated_handbook_has_no_checker_errors(generated: Path) -> None:
    handbook = generated / "sopkit" / "handbook"
    result = _run(
        sys.executable, "-m", "sopkit.cli", "check", handbook, "--format", "json",
        "--today", "2026-11-24",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary == {"errors": 0, "warnings": 0, "sops": COUNT}


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    result = _run(sys.executable, BENCHMARKS / "generate.py", COUNT, tmp_path)
    assert result.returncode == 0, result.stderr
    for side in ("sopkit", "plain"):
        first = {p.relative_to(generated): p.read_bytes() for p in _files(generated / side)}
        second = {p.relative_to(tmp_path): p.read_bytes() for p in _files(tmp_path / side)}
        assert first == second


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "site" not in p.parts]


def test_both_sites_show_the_same_sops(built: Path) -> None:
    """Title, step headings and anchors, and the workflow diagram are the same on both sites."""
    pages = _sop_pages(built / "sopkit" / "handbook")
    assert len(pages) == COUNT
    for page in pages:
        url = page.removesuffix(".md") + "/index.html"
        sopkit, plain = (
            BeautifulSoup((built / side / "site" / url).read_text("utf-8"), "html.parser")
            for side in ("sopkit", "plain")
        )
        for soup in (sopkit, plain):
            assert soup.h1 is not None
        assert sopkit.h1.get_text(strip=True) == plain.h1.get_text(strip=True)  # type: ignore[union-attr]
        steps = [
            [(h["id"], h.get_text(strip=True)) for h in soup.select("h3[id^=step-]")]
            for soup in (sopkit, plain)
        ]
        assert steps[0] == steps[1]
        assert len(steps[0]) >= 6
        diagrams = [[str(svg) for svg in s.select(".sopkit-diagram svg")] for s in (sopkit, plain)]
        assert diagrams[0] == diagrams[1] and len(diagrams[0]) == 1


def test_the_benchmark_runs_with_one_command(generated: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    result = _run(
        sys.executable, BENCHMARKS / "run.py", "--sizes", str(COUNT), "--repeat", "2",
        "--no-dirty", "--out", tmp_path / "out", "--results", results,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(results.read_text(encoding="utf-8"))
    assert [b["count"] for b in report["builds"]] == [COUNT]
    assert report["check"][0]["exit_code"] == 0
    assert report["serve"]["rebuild"]["files_read"] == 1
    assert report["serve"]["rebuild"]["files_reused"] == COUNT - 1
    assert report["sizes"][0]["sopkit"]["sops_json_bytes_per_sop"] > 0
    assert {row["target"] for row in report["targets"]}


def test_the_profile_names_where_the_time_goes(generated: Path) -> None:
    result = _run(
        sys.executable, BENCHMARKS / "profile.py", str(COUNT), "--out", generated.parent / "prof",
        "--top", "3",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for part in ("sopkit's own events", "Markdown to HTML", "theme templates", "search"):
        assert part in result.stdout
