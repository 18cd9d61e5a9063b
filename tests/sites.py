"""Real `mkdocs build` runs of test handbooks, and reading what they produced."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "sop_library"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"

BASE_CONFIG: dict[str, Any] = {
    "site_name": "Test handbook",
    "theme": {"name": "material", "font": False, "features": ["navigation.indexes"]},
    "plugins": ["search", {"sopkit": {"today": "2026-11-24"}}],
}


@dataclass(frozen=True)
class Build:
    """The outcome of one `mkdocs build`."""

    returncode: int
    output: str
    site: Path

    def html(self, url: str) -> BeautifulSoup:
        """The page at a site URL such as `roles/lead/`."""
        path = self.site / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def json(self, name: str) -> Any:
        return json.loads((self.site / name).read_text(encoding="utf-8"))


def copy_handbook(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def build(
    docs_dir: Path,
    workdir: Path,
    config: dict[str, Any] | None = None,
    strict: bool = True,
    name: str = "site",
    cwd: Path | None = None,
) -> Build:
    """Write mkdocs.yml beside `docs_dir`, run `mkdocs build` in a subprocess (in `cwd`, by
    default this process's working directory), return the site."""
    settings = dict(config if config is not None else BASE_CONFIG)
    settings["docs_dir"] = str(docs_dir)
    settings["site_dir"] = str(workdir / name)
    config_file = workdir / f"{name}-mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)]
    if strict:
        command.append("--strict")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(workdir)},
        timeout=600,
        cwd=cwd,
    )
    return Build(result.returncode, result.stdout + result.stderr, workdir / name)


def generated_handbook(count: int, out: Path) -> Path:
    """`benchmarks/generate.py`'s handbook of `count` SOPs in `out`: its (sopkit) mkdocs.yml."""
    benchmarks = Path(__file__).resolve().parent.parent / "benchmarks"
    result = subprocess.run(
        [sys.executable, str(benchmarks / "generate.py"), str(count), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return out / "sopkit" / "mkdocs.yml"


def build_config_file(config_file: Path, home: Path, timeout: int = 600) -> None:
    """`mkdocs build --strict -q` of a site whose mkdocs.yml is written (a generated
    handbook's), in a subprocess; fails the test with MkDocs' output when the build fails."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(home)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def line_of(text: str, needle: str) -> tuple[int, int]:
    """(line, column), 1-based, where `needle` first appears in `text`: test handbooks are
    copies of the shipped one, whose lines move as it grows."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} is not in the text")


def text_of(soup: BeautifulSoup) -> str:
    """What a reader sees of the page's article, whitespace folded."""
    article = soup.select_one("article") or soup
    return " ".join(article.get_text(" ").split())
