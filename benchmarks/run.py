"""sopkit against the same handbook written by hand for plain MkDocs, side by side.

    python benchmarks/run.py                  # 200, 1,000 and 2,000 SOPs (about 20 minutes)
    python benchmarks/run.py --quick          # 50 and 200 SOPs (about 2 minutes)
    python benchmarks/run.py --sizes 200,1000 --repeat 3

For each size: generate both sites (generate.py), build each with `mkdocs build` in a subprocess
`--repeat` times, alternating which goes first, and keep the median; measure what the builds
wrote; time `sopkit check` against a bare PyYAML + markdown-it-py parse of the same files. Then
time a one-SOP edit under `mkdocs serve` on the `--serve-size` handbook (serve_rebuild.py).
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
from generate import write_both
from measure import (
    Timing,
    check_against_parse,
    dump,
    machine,
    median,
    mkdocs_build,
    output_sizes,
    sop_sources,
)

HERE = Path(__file__).resolve().parent
LIMITS = {"build_ratio": 1.15, "per_sop_growth": 1.2, "check_ratio": 3.0}


def build_pair(count: int, configs: dict[str, Path], repeat: int) -> dict[str, Any]:
    timings: dict[str, list[Timing]] = {"sopkit": [], "plain": []}
    for run in range(repeat):
        order = ["sopkit", "plain"] if run % 2 == 0 else ["plain", "sopkit"]
        for side in order:
            timing = mkdocs_build(configs[side])
            timings[side].append(timing)
            print(f"  {count:>5} SOPs  {side:<6} run {run + 1}: {timing.cpu:7.1f} s CPU"
                  f"  {timing.wall:7.1f} s wall", flush=True)  # fmt: skip
    result: dict[str, Any] = {"count": count}
    for side, runs in timings.items():
        middle = median(runs)
        result[side] = {
            "runs": [t.__dict__ for t in runs],
            "cpu": middle.cpu,
            "wall": middle.wall,
            "cpu_ms_per_sop": 1000 * middle.cpu / count,
        }
    result["ratio_cpu"] = result["sopkit"]["cpu"] / result["plain"]["cpu"]
    result["ratio_wall"] = result["sopkit"]["wall"] / result["plain"]["wall"]
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
    """Each target of the issue with what was measured (CPU seconds) and whether it holds."""
    rows: list[dict[str, Any]] = []
    for build in report["builds"]:
        if build["count"] >= 1000:
            rows.append(
                {
                    "target": f"build time sopkit / plain at {build['count']:,} SOPs",
                    "measured": build["ratio_cpu"],
                    "limit": LIMITS["build_ratio"],
                }
            )
    builds = report["builds"]
    if len(builds) >= 2:
        small, large = builds[0], builds[-1]
        rows.append(
            {
                "target": f"sopkit time per SOP at {large['count']:,} / at {small['count']:,}",
                "measured": large["sopkit"]["cpu_ms_per_sop"] / small["sopkit"]["cpu_ms_per_sop"],
                "limit": LIMITS["per_sop_growth"],
            }
        )
    for check in report["check"]:
        rows.append(
            {
                "target": f"sopkit check / bare parse at {check['count']:,} SOPs",
                "measured": check["ratio_cpu"],
                "limit": LIMITS["check_ratio"],
            }
        )
    serve = report.get("serve")
    if serve:
        rows.append(
            {
                "target": f"files read again after a one-SOP edit ({serve['count']:,} SOPs)",
                "measured": serve["rebuild"]["files_read"],
                "limit": 1,
            }
        )
    for row in rows:
        row["met"] = row["measured"] <= row["limit"]
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
    print(" SOPs    sopkit     plain   ratio   ms/SOP sopkit   ms/SOP plain   wall ratio")
    for b in report["builds"]:
        print(
            f"{b['count']:>5}  {_fmt(b['sopkit']['cpu'])}   {_fmt(b['plain']['cpu'])}"
            f"   {b['ratio_cpu']:5.2f}   {b['sopkit']['cpu_ms_per_sop']:13.1f}"
            f"   {b['plain']['cpu_ms_per_sop']:12.1f}   {b['ratio_wall']:10.2f}"
        )
    print()
    print(" SOPs   sops.json   search index/SOP      SOP page (article)")
    print("          per SOP     sopkit     plain      sopkit               plain")
    for s in report["sizes"]:
        k, p = s["sopkit"], s["plain"]
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
        "check": [],
    }
    for count in sizes:
        print(f"{count:,} SOPs: generating both sites", flush=True)
        sopkit_config, plain_config = write_both(count, args.out / f"n{count}", args.seed)
        configs = {"sopkit": sopkit_config, "plain": plain_config}
        report["builds"].append(build_pair(count, configs, repeat))
        sources = sop_sources(sopkit_config.parent / "handbook")
        report["sizes"].append(
            {
                "count": count,
                "sopkit": output_sizes(sopkit_config.parent / "site", sources, sopkit=True),
                "plain": output_sizes(plain_config.parent / "site", sources, sopkit=False),
            }
        )
        check = check_against_parse(sopkit_config.parent / "handbook", str(TODAY), repeat)
        report["check"].append({"count": count, **check})
        print(f"  {count:>5} SOPs  check {check['check']['cpu']:.2f} s CPU, bare parse "
              f"{check['bare_parse']['cpu']:.2f} s CPU", flush=True)  # fmt: skip
    if not args.no_serve:
        print(f"{serve_size:,} SOPs: mkdocs serve, one SOP edited", flush=True)
        config = args.out / f"n{serve_size}" / "sopkit" / "mkdocs.yml"
        report["serve"] = {"count": serve_size, **serve_rebuild(config, not args.no_dirty)}
    report["targets"] = targets(report)
    report["machine"]["load_average_after"] = machine()["load_average"]
    report["duration_seconds"] = round(time.perf_counter() - started)
    print_report(report)
    args.results.write_text(dump(report), encoding="utf-8")
    print(f"\nWritten: {args.results} ({report['duration_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
