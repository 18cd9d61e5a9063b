"""The SOP finder at scale: page size, and how long a filter takes to apply in Chromium.

    python benchmarks/finder.py [--count 1000] [--out DIR] [--runs 21]

Generates an N-SOP handbook (generate.py's corpus), builds it with `mkdocs build`, serves the
site on 127.0.0.1 and opens the finder (`sops/`) in Debian's Chromium (`/usr/bin/chromium`,
headless), waiting until the other parts of its table (past 500 SOPs) are loaded into it.
Reports the bytes of the finder page and of each further part, of its row data and of the
search text file per SOP, and for each kind of filter the median time from the control's change
to the page laid out again (and to the next frame), and the renderer's CPU time a change. The
finder puts at most a page of matching rows on screen (200); the buttons under the table that
show the next 200 and all of them are timed the same way (each click followed by a return to
the first page, both counted). Each time is also given as a ratio against a reference run in
the same page: hiding every other row of the whole table by hand and laying the page out.
Figures, never assertions; results go to `benchmarks/finder-results.json`, with the machine's
load average.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import statistics
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from corpus import generate
from generate import write_sopkit
from measure import mkdocs_build

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent

# The reference hides every other row of the whole table by hand (none held back past the
# finder's first page of matches) and puts the finder's own state back afterwards.
REFERENCE = """
const saved = rows.map((row) => [row.hidden, row.hasAttribute("data-finder-later")]);
const reference = (i) => rows.forEach((row, n) => {
  row.removeAttribute("data-finder-later");
  row.hidden = (n + i) % 2 === 0;
});
const restore = () => rows.forEach((row, n) => {
  row.hidden = saved[n][0];
  if (saved[n][1]) row.setAttribute("data-finder-later", "");
});
"""

# One change, timed: to layout (the filter's work and the browser's restyle) and to the next
# frame (what a reader waits for). A change is a click on `selector` (a checkbox, on and off,
# or a button, with `reset` clicked every other time), or `text` typed into it and cleared.
ACT = """
const act = (i) => {
  if (text !== null) {
    input.value = i % 2 ? "" : text;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  } else if (reset && i % 2) {
    document.querySelector(reset).click();
  } else {
    document.querySelector(selector).click();
  }
};
"""

TIME_CHANGE = (
    """
async ({selector, text, reset, runs}) => {
  const frame = () => new Promise(
    (done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const input = document.querySelector(selector);
  const rows = Array.from(document.querySelectorAll("tr[data-sop]"));
  const layout = [], painted = [], reference_ = [];
"""
    + ACT
    + """
  for (let i = 0; i < runs; i += 1) {
    await frame();
    let start = performance.now();
    act(i);
    void document.body.offsetHeight;
    layout.push(performance.now() - start);
    await frame();
    painted.push(performance.now() - start);
    await frame();
"""
    + REFERENCE
    + """
    start = performance.now();
    reference(i);
    void document.body.offsetHeight;
    reference_.push(performance.now() - start);
    restore();
  }
  return {layout, painted, reference: reference_};
}
"""
)


# The same changes, untimed in the page: the renderer's CPU time over all of them is measured
# from outside (/proc), which a busy machine inflates far less than wall-clock time.
REPEAT_CHANGE = (
    """
async ({selector, text, reset, runs, reference: byHand}) => {
  const frame = () => new Promise(
    (done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const input = document.querySelector(selector);
  const rows = Array.from(document.querySelectorAll("tr[data-sop]"));
"""
    + ACT
    + REFERENCE
    + """
  for (let i = 0; i < runs; i += 1) {
    if (byHand) {
      reference(i);
    } else {
      act(i);
    }
    void document.body.offsetHeight;
    await frame();
  }
  if (byHand) restore();
}
"""
)


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    found, frontier = [], [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def renderer_cpu() -> float:
    """CPU seconds (user + system) of this script's Chromium renderer processes so far."""
    total = 0.0
    for pid in _descendants(os.getpid()):
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""


@contextmanager
def serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def sizes(site: Path, count: int) -> dict[str, Any]:
    """Bytes of the finder page and of each further part of its table (`sops/2/`, ...)."""
    page = (site / "sops" / "index.html").read_text(encoding="utf-8")
    rows = re.search(r'data-rows="([^"]*)"', page)
    held = page.count("<tr data-sop=")
    table = page[page.find("<tbody>") : page.find("</tbody>")]
    text = (site / "sops" / "finder.json").stat().st_size
    parts = []
    while (part := site / "sops" / str(len(parts) + 2) / "index.html").is_file():
        parts.append(part.stat().st_size)
    return {
        "page_bytes": len(page.encode("utf-8")),
        "rows_on_page": held,
        "part_page_bytes": parts,
        "table_bytes_per_sop": round(len(table.encode("utf-8")) / held),
        "row_data_bytes_per_sop": round(len(rows.group(1)) / held) if rows else None,
        "search_text_bytes": text,
        "search_text_bytes_per_sop": round(text / count),
    }


Change = tuple[str, str | None, str | None]
"""A control's selector, the text typed into it (or None: clicked), and the control clicked
every other time instead (or None)."""

CLEAR = ".sopkit-finder__clear"


def timings(
    site: Path, count: int, runs: int, cpu_runs: int, filters: dict[str, Change]
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "sops/", wait_until="load")
        # Ready once the other parts of the table are loaded into it: every SOP is a row.
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
        results["ready_ms"] = round(page.evaluate("() => performance.now()"))
        in_table = page.evaluate("() => document.querySelectorAll('tr[data-sop]').length")
        if in_table != count:
            raise SystemExit(f"expected {count} rows in the finder's table, but found {in_table}")
        page.focus("input[name=q]")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-text=ready]", state="attached")
        # Warm up (the first changes compile the script and lay out the whole table once).
        for selector, text, reset in filters.values():
            arguments = {"selector": selector, "text": text, "reset": reset, "runs": 4}
            page.evaluate(REPEAT_CHANGE, {**arguments, "reference": False})
            page.evaluate(f"() => document.querySelector('{CLEAR}').click()")
        for name, (selector, text, reset) in filters.items():
            # Each case starts from the page without filters (its first page of rows).
            page.evaluate(f"() => document.querySelector('{CLEAR}').click()")
            arguments = {"selector": selector, "text": text, "reset": reset, "runs": runs}
            found = page.evaluate(TIME_CHANGE, arguments)
            layout = statistics.median(found["layout"])
            reference = statistics.median(found["reference"])
            cpu = {}
            for kind in ("filter", "reference"):
                page.evaluate(f"() => document.querySelector('{CLEAR}').click()")
                before = renderer_cpu()
                arguments = {"selector": selector, "text": text, "reset": reset, "runs": cpu_runs}
                page.evaluate(REPEAT_CHANGE, {**arguments, "reference": kind == "reference"})
                cpu[kind] = (renderer_cpu() - before) / cpu_runs * 1000
            results[name] = {
                "cpu_ms": round(cpu["filter"], 1),
                "cpu_reference_ms": round(cpu["reference"], 1),
                "cpu_ratio": round(cpu["filter"] / cpu["reference"], 2)
                if cpu["reference"]
                else None,
                "layout_ms": round(layout, 1),
                "next_frame_ms": round(statistics.median(found["painted"]), 1),
                "min_layout_ms": round(min(found["layout"]), 1),
                "max_layout_ms": round(max(found["layout"]), 1),
                "reference_ms": round(reference, 1),
                "ratio": round(layout / reference, 2) if reference else None,
            }
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="number of SOPs (default 1000)")
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--runs", type=int, default=21, help="changes timed per filter")
    parser.add_argument(
        "--cpu-runs", type=int, default=60, help="changes per filter for the CPU time (default 60)"
    )
    parser.add_argument("--results", type=Path, default=HERE / "finder-results.json")
    parser.add_argument(
        "--reuse", action="store_true", help="time the site already built in OUT (no rebuild)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        out = args.out or Path(temporary)
        corpus = generate(args.count)
        site = out / "sopkit" / "site"
        build_seconds = None
        if not (args.reuse and args.out and (site / "sops" / "index.html").is_file()):
            write_sopkit(corpus, out / "sopkit")
            build_seconds = round(mkdocs_build(out / "sopkit" / "mkdocs.yml").wall, 1)
        first_role = next(iter(corpus.roles))
        # Filters are checked and unchecked in turn (every change counts); the buttons under
        # the table are clicked, and the page brought back to its first rows every other time.
        filters: dict[str, Change] = {
            "role": (f"input[name=role][value='{first_role}']", None, None),
            "tool": ("input[name=tool][value='erp']", None, None),
            "tag": ("input[name=tag][value='finance']", None, None),
            "review": ("input[name=review][value='ok']", None, None),
            "phase": ("input[name=phase][value='develop']", None, None),
            "q (text box)": ("input[name=q]", "invoices", None),
            "show 200 more (and back)": ("[data-finder-next]", None, CLEAR),
            "show all (and back)": ("[data-finder-all]", None, CLEAR),
        }
        load_before = os.getloadavg()[0]
        measured = timings(site, args.count, args.runs, args.cpu_runs, filters)
        report = {
            "count": args.count,
            "build_seconds": build_seconds,
            # The machine's 1-minute load average before and after the timings.
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            **sizes(site, args.count),
            "filters": measured,
        }
    args.results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    built = f"built in {build_seconds} s" if build_seconds is not None else "site reused"
    print(f"{args.count} SOPs, {built}")
    parts = ", ".join(f"{size / 1024:.0f} KB" for size in report["part_page_bytes"]) or "none"
    print(
        f"finder page {report['page_bytes'] / 1024:.0f} KB, {report['rows_on_page']} rows "
        f"({report['table_bytes_per_sop']} B of table and {report['row_data_bytes_per_sop']} B "
        f"of row data per row); further parts: {parts}; "
        f"search text {report['search_text_bytes'] / 1024:.0f} KB "
        f"({report['search_text_bytes_per_sop']} B per SOP, fetched on first use of q)"
    )
    print(f"ready {report['filters']['ready_ms']} ms after navigation")
    for name, figures in report["filters"].items():
        if isinstance(figures, dict):
            print(
                f"  {name:<14} {figures['cpu_ms']:>6} ms of renderer CPU "
                f"({figures['cpu_ratio']}x the reference's {figures['cpu_reference_ms']} ms); "
                f"{figures['layout_ms']:>6} ms to layout, "
                f"{figures['next_frame_ms']:>6} ms to next frame "
                f"(layout {figures['min_layout_ms']} to {figures['max_layout_ms']} ms), "
                f"{figures['ratio']}x the reference ({figures['reference_ms']} ms)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
