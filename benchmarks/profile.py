"""Where the time of a build goes: `mkdocs build` of a generated handbook under cProfile.

    python benchmarks/profile.py N [--site sopkit|twin|plain] [--top 25] [--kinds-only]

Generates the N-SOP handbooks into benchmarks/out/nN when they are not there yet, builds one site
in this process under cProfile, and prints: the time by part (sopkit's own events, Markdown to
HTML, theme templates, search, the rest of MkDocs), sopkit's own work step by step, the time by
kind of page, and the top functions by cumulative and by internal time. cProfile slows Python
code down about twice, unevenly, and times by the clock, so that its shares mean little on a
loaded machine: read the shares, not the seconds, or use `--kinds-only` (process time by kind
of page, without cProfile).
"""

from __future__ import annotations

import argparse
import collections
import io
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# This script is named like the standard `profile` module, which `cProfile` imports: keep this
# folder off the path while the standard modules load.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
import cProfile  # noqa: E402
import pstats  # noqa: E402

sys.path.append(str(HERE))

from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.plugins import PluginCollection  # noqa: E402

from generate import write_both  # noqa: E402

Key = tuple[str, int, str]
# (label, file path suffix, function name prefix): entry points whose inclusive time is a part.
SOPKIT_STEPS = [
    ("read and parse the files (load_library)", "sopkit/load.py", "load_library"),
    ("check the handbook (check_library)", "sopkit/check.py", "check_library"),
    ("SOP pages to Markdown (sop_markdown)", "sopkit/render/sop_page.py", "sop_markdown"),
    ("other pages to Markdown (generated_pages)", "sopkit/render/site_pages.py", "generated_pages"),
    ("sops.json (catalogue_json)", "sopkit/render/export.py", "catalogue_json"),
    ("raci.csv (raci_csv)", "sopkit/render/export.py", "raci_csv"),
]


def _matching(stats: dict[Key, Any], suffix: str, prefix: str) -> list[Key]:
    return [k for k in stats if k[0].endswith(suffix) and k[2].startswith(prefix)]


def _inclusive(stats: dict[Key, Any], suffix: str, prefix: str) -> float:
    return float(sum(stats[k][3] for k in _matching(stats, suffix, prefix)))


def _called_from(stats: dict[Key, Any], callee: Key, suffix: str, name: str) -> float:
    """Inclusive time of `callee` when called by a function `name` of a file ending in `suffix`."""
    callers = stats[callee][4]
    return float(sum(v[3] for k, v in callers.items() if k[0].endswith(suffix) and k[2] == name))


def parts(stats: dict[Key, Any], total: float) -> list[tuple[str, float]]:
    """Inclusive time of each part of the build; the parts do not overlap."""
    sopkit = _inclusive(stats, "sopkit/mkdocs/plugin.py", "on_")
    markdown = _inclusive(stats, "mkdocs/structure/pages.py", "render")
    search = _inclusive(stats, "plugins/search/plugin.py", "on_") + _inclusive(
        stats, "contrib/search/__init__.py", "on_"
    )
    templates = _inclusive(stats, "mkdocs/commands/build.py", "_build_theme_template")
    for key in _matching(stats, "jinja2/environment.py", "render"):
        templates += _called_from(stats, key, "mkdocs/commands/build.py", "_build_page")
    rest = total - sopkit - markdown - search - templates
    return [
        ("sopkit's own events (on_files, on_post_build, ...)", sopkit),
        ("Markdown to HTML (Python-Markdown, extensions, links)", markdown),
        ("theme templates (Jinja, Material: nav, toc, page)", templates),
        ("search (Material's search plugin: index of every page)", search),
        ("the rest of MkDocs (files, nav, copying, writing)", rest),
    ]


def _kind(src: str) -> str:
    parts = src.split("/")
    if parts[0] == "sops":
        # An index page, or a numbered page of the finder or of a folder's index (`sops/2.md`).
        listing = parts[-1] == "index.md" or parts[-1].removesuffix(".md").isdigit()
        return "SOP index pages" if listing else "SOP pages"
    return f"{parts[0]}/" if len(parts) > 1 else "home page"


def _per_page(times: dict[str, float], counts: dict[str, int]) -> None:
    """Wrap MkDocs' two per-page steps to add up CPU time by kind of page."""
    originals: dict[str, Callable[..., Any]] = {
        "_populate_page": mkdocs_build._populate_page,
        "_build_page": mkdocs_build._build_page,
    }

    def wrap(name: str) -> Callable[..., Any]:
        original = originals[name]

        def timed(page: Any, *args: Any, **kwargs: Any) -> Any:
            kind = _kind(page.file.src_uri)
            start = time.process_time()
            try:
                return original(page, *args, **kwargs)
            finally:
                times[kind] += time.process_time() - start
                if name == "_build_page":
                    counts[kind] += 1

        return timed

    for name in originals:
        setattr(mkdocs_build, name, wrap(name))


SITE_EVENTS = ("config", "pre_build", "files", "nav", "env", "post_build")
"""The events of a build that run once, outside any page."""


def _per_event(times: dict[str, float]) -> None:
    """Wrap MkDocs' event runner to add up the CPU time of the site-wide events, all plugins."""
    original = PluginCollection.run_event

    def timed(self: PluginCollection, name: str, item: Any = None, **kwargs: Any) -> Any:
        if name not in SITE_EVENTS:
            return original(self, name, item, **kwargs)
        start = time.process_time()
        try:
            return original(self, name, item, **kwargs)
        finally:
            times[f"on_{name}"] += time.process_time() - start

    PluginCollection.run_event = timed  # type: ignore[method-assign]


def _print_kinds(title: str, times: dict[str, float], counts: dict[str, int], total: float) -> None:
    """Each kind of page's time, its share of `total` and its time a page, largest first."""
    print(title)
    for kind, seconds in sorted(times.items(), key=lambda item: -item[1]):
        pages = counts[kind]
        print(f"  {seconds:7.1f} s  {100 * seconds / total:5.1f} %  {pages:>5} {kind}"
              f"  ({1000 * seconds / max(pages, 1):.0f} ms a page)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, metavar="N", help="number of SOPs")
    parser.add_argument("--site", choices=("sopkit", "twin", "plain"), default="sopkit")
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    parser.add_argument(
        "--kinds-only",
        action="store_true",
        help="no cProfile: only the CPU time by kind of page (process time, true under load)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    folder = args.out / f"n{args.count}"
    config_file = folder / args.site / "mkdocs.yml"
    if not config_file.is_file():
        write_both(args.count, folder, args.seed)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    times: dict[str, float] = collections.defaultdict(float)
    counts: dict[str, int] = collections.defaultdict(int)
    _per_page(times, counts)
    if args.kinds_only:
        events: dict[str, float] = collections.defaultdict(float)
        _per_event(events)
        start = time.process_time()
        mkdocs_build.build(config)
        cpu = time.process_time() - start
        print(f"{args.site} build of {args.count:,} SOPs: {cpu:.1f} s CPU\n")
        _print_kinds("By kind of page (Markdown to HTML, then template and search; CPU)",
                     times, counts, cpu)  # fmt: skip
        print("Site-wide events, every plugin (CPU)")
        for name in SITE_EVENTS:
            seconds = events[f"on_{name}"]
            print(f"  {seconds:7.1f} s  {100 * seconds / cpu:5.1f} %  on_{name}")
        rest = cpu - sum(times.values()) - sum(events.values())
        share = 100 * rest / cpu
        print(f"  {rest:7.1f} s  {share:5.1f} %  the rest of MkDocs (reading files, nav, writing)")
        return 0
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    mkdocs_build.build(config)
    profiler.disable()
    cpu = time.process_time() - start
    stats = pstats.Stats(profiler)
    raw: dict[Key, Any] = stats.stats  # type: ignore[attr-defined]
    # Shares are of the build as cProfile timed it, so that the parts add up.
    total = sum(
        v[3] for k, v in raw.items() if k[0].endswith("commands/build.py") and k[2] == "build"
    )

    print(f"{args.site} build of {args.count:,} SOPs under cProfile: {cpu:.1f} s CPU\n")
    print("Where the time goes")
    for label, seconds in parts(raw, total):
        print(f"  {seconds:7.1f} s  {100 * seconds / total:5.1f} %  {label}")
    if args.site == "sopkit":
        print("\nsopkit's own work")
        for label, suffix, name in SOPKIT_STEPS:
            seconds = _inclusive(raw, suffix, name)
            print(f"  {seconds:7.1f} s  {100 * seconds / total:5.1f} %  {label}")
    _print_kinds("\nBy kind of page (Markdown to HTML, then template and search; CPU under "
                 "cProfile)", times, counts, total)  # fmt: skip
    for order in ("cumulative", "tottime"):
        print(f"\nTop {args.top} functions by {order} time")
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats(order).print_stats(args.top)
        listing = buffer.getvalue()
        print(listing[listing.find("   ncalls") :].rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
