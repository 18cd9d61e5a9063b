"""What `mkdocs serve` does when an author saves one SOP, measured in one process.

    python benchmarks/serve_rebuild.py OUT/n1000/sopkit/mkdocs.yml [--dirty]

Like `mkdocs serve`: the config is loaded again for every build (MkDocs keeps the sopkit plugin
object, which defines `on_startup`, and sopkit keeps its parsed-file cache at module level), the
site goes to a temporary folder, and the first build starts from an empty cache. Between the
builds one SOP file is edited, twice; each rebuild should read only that file again. For the
ratio, the full build is repeated in the same warm process with sopkit's cache emptied. With
`--dirty`, one more rebuild runs as `mkdocs serve --dirty` does. The edited file is restored at
the end. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import CombinedEvent

from sopkit.mkdocs import plugin as sopkit_plugin

SERVE_URL = "http://127.0.0.1:8000/"


def _timed_on_files(spent: list[float]) -> None:
    """Record the seconds sopkit's `on_files` (load, check, generate pages) takes per build."""
    plugin = sopkit_plugin.SopkitPlugin
    original: Callable[..., Any] = plugin._generate_files

    @functools.wraps(original)  # keeps the event priority MkDocs reads from the method
    def generate_files(self: Any, files: Any, *, config: Any) -> Any:
        start = time.process_time()
        try:
            return original(self, files, config=config)
        finally:
            spent.append(time.process_time() - start)

    # `on_files` combines the handlers it was defined with: swap the timed one in.
    others = [m for m in plugin.__dict__["on_files"].methods if m is not original]
    plugin.on_files = CombinedEvent(generate_files, *others)


def _cache_counts() -> tuple[int, int]:
    caches = list(sopkit_plugin._CACHES.values())
    return sum(c.hits for c in caches), sum(c.misses for c in caches)


def measure(config_file: Path, dirty: bool) -> dict[str, Any]:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    spent: list[float] = []
    _timed_on_files(spent)
    site_dir = tempfile.mkdtemp(prefix="sopkit-serve-")
    handbook = config_file.parent / "handbook"
    sops = sorted(p for p in (handbook / "sops").rglob("*.md") if p.name != "index.md")
    edited = sops[len(sops) // 2]
    original_text = edited.read_text(encoding="utf-8")
    results: dict[str, Any] = {"edited": edited.relative_to(handbook).as_posix()}

    def one_build(name: str, with_dirty: bool, startup: bool = False) -> None:
        config = load_config(str(config_file), site_dir=site_dir)
        if startup:
            config.plugins.on_startup(command="serve", dirty=with_dirty)
        config.site_url = SERVE_URL
        hits, misses = _cache_counts()
        cpu, wall = time.process_time(), time.perf_counter()
        build(config, serve_url=SERVE_URL, dirty=with_dirty)
        new_hits, new_misses = _cache_counts()
        results[name] = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "sopkit_on_files_cpu": spent[-1],
            "files_reused": new_hits - hits,
            "files_read": new_misses - misses,
        }

    try:
        one_build("first_build", with_dirty=False, startup=True)
        for run in (1, 2):
            edited.write_text(original_text + f"\nEdit {run} by the author.\n", "utf-8")
            one_build(f"rebuild_{run}", with_dirty=False)
            if run == 1:
                # The same full build in the same warm process, with sopkit's cache emptied.
                sopkit_plugin._CACHES.clear()
                one_build("full_build_uncached", with_dirty=False)
        if dirty:
            edited.write_text(original_text + "\nEdit 3 by the author.\n", "utf-8")
            one_build("dirty_rebuild", with_dirty=True)
    finally:
        edited.write_text(original_text, encoding="utf-8")
    rebuilds = [results["rebuild_1"], results["rebuild_2"]]
    results["rebuild"] = {
        key: statistics.median(r[key] for r in rebuilds)
        for key in ("cpu", "wall", "sopkit_on_files_cpu")
    }
    results["rebuild"]["files_read"] = max(r["files_read"] for r in rebuilds)
    results["rebuild"]["files_reused"] = min(r["files_reused"] for r in rebuilds)
    full = results["full_build_uncached"]
    results["rebuild_ratio_cpu"] = results["rebuild"]["cpu"] / full["cpu"]
    results["rebuild_ratio_wall"] = results["rebuild"]["wall"] / full["wall"]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path, help="mkdocs.yml of a generated sopkit site")
    parser.add_argument("--dirty", action="store_true", help="also time a --dirty rebuild")
    args = parser.parse_args(argv)
    json.dump(measure(args.config.resolve(), args.dirty), sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
