"""The measurements `run.py` combines: builds, output sizes, `sopkit check` against a bare parse.

Times are taken twice: wall-clock seconds, and CPU seconds (user + system) of the process that
did the work. On a shared machine the CPU time is the steadier of the two; both are reported.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from sopkit import cli

BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    peak_mb: float = 0.0
    """Peak resident memory of the process (its maximum RSS), for builds in a subprocess."""


def median(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall for t in timings),
        statistics.median(t.cpu for t in timings),
        statistics.median(t.peak_mb for t in timings),
    )


def mkdocs_build(config: Path) -> Timing:
    """`mkdocs build` of one site in a subprocess of this interpreter; raises if it fails.

    CPU time and peak memory are the build process's own (`wait4`), not summed over children.
    """
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config.resolve())]
    wall = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=config.parent, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - wall
        if process.returncode != 0:
            log.seek(0)
            output = log.read().decode("utf-8", "replace")
            raise RuntimeError(f"mkdocs build -f {config} failed:\n{output}")
    # Linux reports ru_maxrss in kilobytes.
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def in_process(function: Callable[[], object]) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    function()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


# -- sizes ---------------------------------------------------------------------------------------


def _page_html(site: Path, sop_sources: list[str]) -> tuple[int, int]:
    """Bytes of the SOP pages, and of their `<article>` (the page without theme and nav)."""
    total = article = 0
    for source in sop_sources:
        html = (site / source.removesuffix(".md") / "index.html").read_bytes()
        total += len(html)
        start, end = html.find(b"<article"), html.find(b"</article>")
        article += end - start if 0 <= start < end else 0
    return total, article


def output_sizes(site: Path, sop_sources: list[str], sopkit: bool) -> dict[str, float]:
    """Bytes per SOP of `sops.json` and the search index, and of an average SOP page."""
    count = len(sop_sources)
    pages, articles = _page_html(site, sop_sources)
    sizes = {
        "search_index_bytes_per_sop": (site / "search" / "search_index.json").stat().st_size
        / count,
        "sop_page_html_bytes": pages / count,
        "sop_article_html_bytes": articles / count,
        "site_bytes_per_sop": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / count,
    }
    if sopkit:
        sizes["sops_json_bytes_per_sop"] = (site / "sops.json").stat().st_size / count
    return sizes


PAGE_LIMIT = 400 * 1024
"""No generated HTML page may be larger at 1,000 SOPs."""


def largest_pages(site: Path, top: int = 5) -> dict[str, Any]:
    """The biggest HTML pages of a built site, the pages over `PAGE_LIMIT`, the search index."""
    pages = sorted(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")),
        reverse=True,
    )
    return {
        "largest": [{"page": name, "bytes": size} for size, name in pages[:top]],
        "over_limit": sum(1 for size, _ in pages if size > PAGE_LIMIT),
        "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
    }


def sop_sources(handbook: Path) -> list[str]:
    """Source paths (relative to the docs folder) of every SOP of a generated handbook."""
    return sorted(
        p.relative_to(handbook).as_posix()
        for p in (handbook / "sops").rglob("*.md")
        if p.name != "index.md"
    )


# -- sopkit check against a bare parse -----------------------------------------------------------

_FENCE = re.compile(r"^---\s*$", re.MULTILINE)


def bare_parse(handbook: Path, libyaml: bool = False) -> int:
    """What any tool must do to read the handbook at all: every file, YAML and Markdown parsed.

    Reads roles.yml and tools.yml, then every SOP: split the front matter, `yaml.safe_load` it
    (PyYAML's pure-Python loader; with `libyaml`, its C loader), and parse the body with
    markdown-it-py (CommonMark). Returns the number of SOPs read.
    """
    md = MarkdownIt("commonmark")
    loader = yaml.CSafeLoader if libyaml else yaml.SafeLoader
    for name in ("roles.yml", "tools.yml"):
        yaml.load((handbook / name).read_text(encoding="utf-8"), Loader=loader)
    count = 0
    for path in sorted((handbook / "sops").rglob("*.md")):
        if path.name == "index.md":
            continue
        text = path.read_text(encoding="utf-8")
        parts = _FENCE.split(text, maxsplit=2)
        front, body = (parts[1], parts[2]) if len(parts) == 3 else ("", text)
        yaml.load(front, Loader=loader)
        md.parse(body)
        count += 1
    return count


def sopkit_check(handbook: Path, today: str) -> int:
    """`sopkit check HANDBOOK --today DATE`, run in this process; returns its exit code."""
    with contextlib.redirect_stdout(io.StringIO()):
        return cli.main(["check", str(handbook), "--today", today])


def check_against_parse(handbook: Path, today: str, repeat: int) -> dict[str, Any]:
    """Median times of `sopkit check` and of the bare parses, in turns, after a warm-up.

    The target compares with the pure-Python parse (`yaml.safe_load`); the parse with
    libyaml's C loader is reported beside it, as the fastest a reader of these files can be.
    """
    runs: dict[str, Callable[[], object]] = {
        "check": lambda: sopkit_check(handbook, today),
        "bare_parse": lambda: bare_parse(handbook),
        "bare_parse_libyaml": lambda: bare_parse(handbook, libyaml=True),
    }
    exit_code = sopkit_check(handbook, today)
    for run in runs.values():
        run()
    timings: dict[str, list[Timing]] = {name: [] for name in runs}
    names = list(runs)
    for index in range(max(repeat, 3)):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            timings[name].append(in_process(runs[name]))
    result: dict[str, Any] = {"exit_code": exit_code}
    for name, values in timings.items():
        result[name] = median(values).__dict__
    result["ratio_cpu"] = result["check"]["cpu"] / result["bare_parse"]["cpu"]
    result["ratio_wall"] = result["check"]["wall"] / result["bare_parse"]["wall"]
    result["ratio_cpu_libyaml"] = result["check"]["cpu"] / result["bare_parse_libyaml"]["cpu"]
    return result


# -- the machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 1024**3, 1)
    except (ValueError, OSError):
        return None


def machine() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "versions": {
            name: version(name)
            for name in (
                "mkdocs",
                "mkdocs-material",
                "markdown",
                "pymdown-extensions",
                "pyyaml",
                "markdown-it-py",
                "jsonschema",
                "jinja2",
                "sopkit",
            )
        },
        "load_average": list(os.getloadavg()),
    }


def dump(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
