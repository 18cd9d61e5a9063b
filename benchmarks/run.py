"""sopkit against the same handbook written by hand for plain MkDocs, side by side.

    python benchmarks/run.py                  # 200, 1,000 and 2,000 SOPs (about 20 minutes)
    python benchmarks/run.py --quick          # 50 and 200 SOPs (about 2 minutes)
    python benchmarks/run.py --sizes 200,1000 --repeat 3

For each size: generate the three sites (generate.py): sopkit, the twin (only the SOP pages,
written by hand: the headline reference) and the richer hand-written site (role, tool and index
pages too); build each with `mkdocs build` in a subprocess `--repeat` times, rotating which goes
first, and keep the median CPU time and peak memory; measure what the builds wrote (search index,
largest pages); time `sopkit check` against a bare PyYAML + markdown-it-py parse of the same files.
Then time a one-SOP edit under `mkdocs serve` on the `--serve-size` handbook (serve_rebuild.py).
Prints a table and writes benchmarks/results.json. The handbooks stay in benchmarks/out/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from corpus import TODAY
from generate import SITES, write_both
from measure import (
    PAGE_LIMIT,
    Timing,
    check_against_parse,
    dump,
    largest_pages,
    machine,
    median,
    mkdocs_build,
    output_sizes,
    sop_sources,
)

HERE = Path(__file__).resolve().parent
LIMITS = {
    "build_ratio": 1.5,
    "per_sop_growth": 1.2,
    "search_ratio": 1.3,
    "page_bytes": PAGE_LIMIT,
    "serve_ratio": 1.5,
    "memory_ratio": 1.5,
    "check_ratio": 3.0,
}


def build_sites(
    count: int, configs: dict[str, Path], repeat: int, sides: tuple[str, ...] = SITES
) -> dict[str, Any]:
    """Median CPU, wall and peak memory of each site; ratios of sopkit to the twin (headline)
    and to the richer hand-written site (when built)."""
    timings: dict[str, list[Timing]] = {side: [] for side in sides}
    for run in range(repeat):
        order = sides[run % len(sides) :] + sides[: run % len(sides)]
        for side in order:
            timing = mkdocs_build(configs[side])
            timings[side].append(timing)
            print(f"  {count:>5} SOPs  {side:<6} run {run + 1}: {timing.cpu:7.1f} s CPU"
                  f"  {timing.wall:7.1f} s wall  {timing.peak_mb:6.0f} MB", flush=True)  # fmt: skip
    result: dict[str, Any] = {"count": count}
    for side, runs in timings.items():
        middle = median(runs)
        result[side] = {
            "runs": [t.__dict__ for t in runs],
            "cpu": middle.cpu,
            "wall": middle.wall,
            "peak_mb": middle.peak_mb,
            "cpu_ms_per_sop": 1000 * middle.cpu / count,
        }
    for reference in ("twin", "plain"):
        if reference not in result:
            continue
        suffix = "" if reference == "twin" else "_plain"
        for key in ("cpu", "wall", "peak_mb"):
            ratio = result["sopkit"][key] / result[reference][key]
            result[f"ratio_{'memory' if key == 'peak_mb' else key}{suffix}"] = ratio
    return result


def serve_rebuild(config: Path, dirty: bool) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "serve_rebuild.py"), str(config)]
    if dirty:
        command.append("--dirty")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"serve_rebuild.py failed:\n{result.stdout}{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal with what was measured and whether it holds; references are the twin's."""
    rows: list[dict[str, Any]] = []

    def row(target: str, measured: float, limit: float) -> None:
        rows.append({"target": target, "measured": measured, "limit": limit})

    for build in report["builds"]:
        if build["count"] >= 1000:
            count = f"{build['count']:,} SOPs"
            row(f"build CPU sopkit / twin at {count}", build["ratio_cpu"], LIMITS["build_ratio"])
            row(f"peak memory sopkit / twin at {count}", build["ratio_memory"],
                LIMITS["memory_ratio"])  # fmt: skip
    builds = report["builds"]
    if len(builds) >= 2:
        small, large = builds[0], builds[-1]
        row(
            f"sopkit time per SOP at {large['count']:,} / at {small['count']:,}",
            large["sopkit"]["cpu_ms_per_sop"] / small["sopkit"]["cpu_ms_per_sop"],
            LIMITS["per_sop_growth"],
        )
    for pages in report["pages"]:
        if pages["count"] >= 1000:
            count = f"{pages['count']:,} SOPs"
            row(f"search index sopkit / twin at {count}", pages["search_ratio"],
                LIMITS["search_ratio"])  # fmt: skip
            row(f"largest sopkit page at {count} (bytes)", pages["sopkit"]["largest"][0]["bytes"],
                LIMITS["page_bytes"])  # fmt: skip
    for check in report["check"]:
        row(f"sopkit check / bare parse at {check['count']:,} SOPs", check["ratio_cpu"],
            LIMITS["check_ratio"])  # fmt: skip
    serve = report.get("serve")
    if serve:
        count = f"{serve['count']:,} SOPs"
        row(f"files read again after a one-SOP edit ({count})", serve["rebuild"]["files_read"], 1)
        if "rebuild_ratio_twin" in serve:
            row(f"serve rebuild after one edit / twin's full build ({count})",
                serve["rebuild_ratio_twin"], LIMITS["serve_ratio"])  # fmt: skip
    for item in rows:
        item["met"] = item["measured"] <= item["limit"]
    return rows


def _fmt(seconds: float) -> str:
    return f"{seconds:7.1f}"


def print_report(report: dict[str, Any]) -> None:
    info = report["machine"]
    versions = info["versions"]
    print()
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, "
        f"Python {info['python']}, MkDocs {versions['mkdocs']}, "
        f"Material {versions['mkdocs-material']}"
    )
    print(f"Medians of {report['settings']['repeat']} runs; CPU seconds (wall in the last column)")
    print()
    print(" SOPs    sopkit      twin     plain  /twin  /plain   ms/SOP sopkit  twin"
          "   peak MB sopkit  twin  plain  /twin")  # fmt: skip
    for b in report["builds"]:
        k, t = b["sopkit"], b["twin"]
        p = b.get("plain", {"cpu": float("nan"), "peak_mb": float("nan")})
        print(
            f"{b['count']:>5}  {_fmt(k['cpu'])}   {_fmt(t['cpu'])}   {_fmt(p['cpu'])}"
            f"  {b['ratio_cpu']:5.2f}  {b.get('ratio_cpu_plain', float('nan')):6.2f}"
            f"   {k['cpu_ms_per_sop']:13.1f} {t['cpu_ms_per_sop']:5.1f}"
            f"   {k['peak_mb']:14.0f} {t['peak_mb']:5.0f} {p['peak_mb']:6.0f}"
            f"  {b['ratio_memory']:5.2f}"
        )
    print()
    print(" SOPs   search index sopkit   twin    ratio   largest sopkit pages")
    for pages in report["pages"]:
        k, t = pages["sopkit"], pages["twin"]
        largest = ", ".join(f"{p['page']} {p['bytes'] / 1024:,.0f} KB" for p in k["largest"][:3])
        print(
            f"{pages['count']:>5}   {k['search_index_bytes'] / 1e6:16.2f} MB"
            f" {t['search_index_bytes'] / 1e6:6.2f} MB  {pages['search_ratio']:5.2f}   {largest}"
        )
    print()
    print(" SOPs   sops.json   search index/SOP      SOP page (article)")
    print("          per SOP     sopkit      twin      sopkit               twin")
    for s in report["sizes"]:
        k, p = s["sopkit"], s["twin"]
        index = k["search_index_bytes_per_sop"], p["search_index_bytes_per_sop"]
        print(
            f"{s['count']:>5}  {k['sops_json_bytes_per_sop']:8,.0f} B"
            f"  {index[0]:7,.0f} B  {index[1]:7,.0f} B"
            f"  {k['sop_page_html_bytes']:7,.0f} B ({k['sop_article_html_bytes']:6,.0f} B)"
            f"  {p['sop_page_html_bytes']:7,.0f} B ({p['sop_article_html_bytes']:6,.0f} B)"
        )
    print()
    print(" SOPs   sopkit check   bare parse   ratio   bare parse, libyaml   ratio")
    for c in report["check"]:
        print(
            f"{c['count']:>5}   {c['check']['cpu']:9.2f} s  {c['bare_parse']['cpu']:8.2f} s"
            f"   {c['ratio_cpu']:5.2f}   {c['bare_parse_libyaml']['cpu']:17.2f} s"
            f"   {c['ratio_cpu_libyaml']:5.2f}"
        )
    serve = report.get("serve")
    if serve:
        print()
        print(f"mkdocs serve, {serve['count']:,} SOPs, one SOP edited ({serve['edited']}):")
        for name in (
            "first_build",
            "rebuild_1",
            "full_build_uncached",
            "rebuild_2",
            "dirty_rebuild",
        ):
            if name in serve:
                step = serve[name]
                print(
                    f"  {name:<14} {_fmt(step['cpu'])} s CPU  {_fmt(step['wall'])} s wall"
                    f"   sopkit on_files {step['sopkit_on_files_cpu']:5.1f} s"
                    f"   files read {step['files_read']:>5}, reused {step['files_reused']:>5}"
                )
        print(f"  rebuild (median) / full build uncached: {serve['rebuild_ratio_cpu']:.2f}")
        if "rebuild_ratio_twin" in serve:
            print(f"  rebuild (median) / twin's full build: {serve['rebuild_ratio_twin']:.2f}")
    print()
    for row in report["targets"]:
        mark = "met" if row["met"] else "NOT MET"
        print(f"  {mark:<8} {row['target']}: {row['measured']:.2f} (limit {row['limit']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,2000", help="SOP counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="builds per site and size (>= 2)")
    parser.add_argument("--quick", action="store_true", help="50 and 200 SOPs")
    parser.add_argument("--serve-size", type=int, default=1000, help="handbook for the serve test")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement")
    parser.add_argument("--no-dirty", action="store_true", help="skip the --dirty rebuild")
    parser.add_argument(
        "--no-plain", action="store_true", help="skip the richer hand-written site (faster)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where handbooks go")
    parser.add_argument("--results", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    sizes = [50, 200] if args.quick else [int(s) for s in args.sizes.split(",")]
    sizes.sort()
    repeat = max(args.repeat, 2)
    serve_size = args.serve_size if args.serve_size in sizes else sizes[-1]
    started = time.perf_counter()
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {"sizes": sizes, "repeat": repeat, "seed": args.seed, "today": str(TODAY)},
        "builds": [],
        "sizes": [],
        "pages": [],
        "check": [],
    }
    for count in sizes:
        print(f"{count:,} SOPs: generating the sites", flush=True)
        written = write_both(count, args.out / f"n{count}", args.seed)
        configs = dict(zip(SITES, written, strict=True))
        sides = tuple(side for side in SITES if not (args.no_plain and side == "plain"))
        report["builds"].append(build_sites(count, configs, repeat, sides))
        sites = {side: config.parent / "site" for side, config in configs.items()}
        sources = sop_sources(configs["sopkit"].parent / "handbook")
        report["sizes"].append(
            {
                "count": count,
                **{side: output_sizes(sites[side], sources, side == "sopkit") for side in sides},
            }
        )
        pages = {side: largest_pages(sites[side]) for side in sides}
        search = pages["sopkit"]["search_index_bytes"] / pages["twin"]["search_index_bytes"]
        report["pages"].append({"count": count, **pages, "search_ratio": search})
        sopkit_config = configs["sopkit"]
        check = check_against_parse(sopkit_config.parent / "handbook", str(TODAY), repeat)
        report["check"].append({"count": count, **check})
        print(f"  {count:>5} SOPs  check {check['check']['cpu']:.2f} s CPU, bare parse "
              f"{check['bare_parse']['cpu']:.2f} s CPU", flush=True)  # fmt: skip
    if not args.no_serve:
        print(f"{serve_size:,} SOPs: mkdocs serve, one SOP edited", flush=True)
        config = args.out / f"n{serve_size}" / "sopkit" / "mkdocs.yml"
        serve = {"count": serve_size, **serve_rebuild(config, not args.no_dirty)}
        twin = next(b["twin"] for b in report["builds"] if b["count"] == serve_size)
        serve["rebuild_ratio_twin"] = serve["rebuild"]["cpu"] / twin["cpu"]
        report["serve"] = serve
    report["targets"] = targets(report)
    report["machine"]["load_average_after"] = machine()["load_average"]
    report["duration_seconds"] = round(time.perf_counter() - started)
    print_report(report)
    args.results.write_text(dump(report), encoding="utf-8")
    print(f"\nWritten: {args.results} ({report['duration_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
