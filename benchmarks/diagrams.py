"""What drawing the workflow diagrams costs, per SOP, beside the rest of the SOP page.

    python benchmarks/diagrams.py                 # the shipped handbook and 200 generated SOPs
    python benchmarks/diagrams.py --count 1000 --repeat 5 --results out.json

For each handbook, in one process: lay out and draw every SOP's workflow (`workflow_diagram`:
layout and SVG), and render every SOP page without its diagram (the reference: the same page
renderer the plugin runs), `--repeat` times each, alternating, and keep the median. Prints CPU
milliseconds per SOP, the ratio diagram / page, and the lifecycle map once per handbook. The
target is under 5 ms per SOP; nothing here asserts it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus import TODAY, generate
from generate import write_sopkit
from sopkit.load import load_library
from sopkit.model import Library
from sopkit.render import links
from sopkit.render.context import PageOptions, sops_by_phase
from sopkit.render.diagrams import Diagram, lifecycle_diagram, workflow_diagram
from sopkit.render.sop_page import sop_markdown

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "sop_library"
TARGET_MS = 5.0


def _cpu_ms(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return 1000 * (time.process_time() - start)


def role_links(page: str) -> Callable[[str], str]:
    return lambda role: links.relative_url(page, links.role_page(role))


def draw_all(library: Library) -> None:
    """Every SOP's workflow, as the SOP page draws it."""
    for sop in library.sops:
        workflow_diagram(
            sop,
            library.roles,
            step_href=lambda step: "#" + links.step_anchor(step.id),
            role_href=role_links(links.sop_page(sop)),
        )


def pages_without_diagrams(library: Library, options: PageOptions) -> None:
    for sop in library.sops:
        sop_markdown(library, sop, options, diagram=Diagram())


def lifecycle(library: Library) -> None:
    sops = [sop for group in sops_by_phase(library).values() for sop in group]
    lifecycle_diagram(sops, library.settings.phases, lambda sop: sop.id, lambda p: f"#{p}")


def measure(name: str, library: Library, repeat: int) -> dict[str, Any]:
    options = PageOptions(today=TODAY)
    pages_without_diagrams(library, options)  # warm caches and templates
    draw_all(library)
    diagram, page = [], []
    for run in range(repeat):
        pair = [
            ("diagram", lambda: draw_all(library)),
            ("page", lambda: pages_without_diagrams(library, options)),
        ]
        for kind, function in pair if run % 2 == 0 else reversed(pair):
            (diagram if kind == "diagram" else page).append(_cpu_ms(function))
    count = len(library.sops)
    result = {
        "handbook": name,
        "sops": count,
        "steps": sum(len(sop.steps) for sop in library.sops),
        "diagram_ms_per_sop": statistics.median(diagram) / count,
        "page_ms_per_sop": statistics.median(page) / count,
        "lifecycle_ms": statistics.median(
            _cpu_ms(lambda: lifecycle(library)) for _ in range(repeat)
        ),
    }
    result["ratio"] = result["diagram_ms_per_sop"] / result["page_ms_per_sop"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="generated SOPs (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--results", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    rows = [measure("shipped", load_library(SHIPPED), args.repeat)]
    with tempfile.TemporaryDirectory() as work:
        handbook = write_sopkit(generate(args.count), Path(work) / "site")
        rows.append(measure(f"generated {args.count}", load_library(handbook), args.repeat))
    print("handbook          SOPs  steps  diagram ms/SOP  page ms/SOP  ratio  lifecycle ms")
    for row in rows:
        print(
            f"{row['handbook']:<16} {row['sops']:>5} {row['steps']:>6} "
            f"{row['diagram_ms_per_sop']:>15.2f} {row['page_ms_per_sop']:>12.2f} "
            f"{row['ratio']:>6.2f} {row['lifecycle_ms']:>13.1f}"
        )
    worst = max(row["diagram_ms_per_sop"] for row in rows)
    print(f"target: under {TARGET_MS:.0f} ms per SOP; measured at most {worst:.2f} ms")
    if args.results:
        args.results.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
