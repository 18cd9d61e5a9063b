"""Workflow and lifecycle diagrams: golden SVG files and the geometry of their layouts.

Golden cases live in tests/golden/diagrams/<case>/ (roles.yml, tools.yml, sops/; the case
`shipped` reads sop_library/) with one `workflow-<sop-id>.svg` per SOP and `lifecycle.svg`,
stored one element per line for readable diffs. Run `pytest --regen-golden` to rewrite them,
then read the diff. The geometry tests check every layout of those cases without a browser.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import combinations, pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sopkit.labels import Labels
from sopkit.layout.grid import (
    BUDGET,
    FONT,
    INSET,
    TEXT_PAD,
    Box,
    EdgeInput,
    LaneInput,
    Layout,
    NodeInput,
    Point,
    layout_grid,
    outline_y,
)
from sopkit.layout.lifecycle import (
    TOOLTIP_SOPS,
    Group,
    collapsed_lifecycle_layout,
    folder_tooltip,
    lifecycle_layout,
)
from sopkit.layout.text import text_width, wrap
from sopkit.layout.workflow import step_lane, workflow_layout
from sopkit.load import load_library
from sopkit.model import Library, Sop, Step
from sopkit.render.context import sops_by_phase
from sopkit.render.diagrams import (
    Diagram,
    DiagramLimits,
    lifecycle_diagram,
    workflow_diagram,
)

from .handbooks import write_handbook
from .sites import SHIPPED

GOLDEN = Path(__file__).parent / "golden" / "diagrams"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "shipped")
SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"


def case_root(case: str) -> Path:
    return SHIPPED if case == "shipped" else GOLDEN / case


def step_href(step: Step) -> str:
    return f"#step-{step.id}"


def sop_href(sop: Sop) -> str:
    return "../" + sop.file.removesuffix(".md") + "/"


def role_href(role: str) -> str:
    return f"../roles/{role}/"


def ordered(library: Library) -> list[Sop]:
    return [sop for sops in sops_by_phase(library).values() for sop in sops]


def diagrams_of(library: Library) -> dict[str, str]:
    """Every golden file of a case: file name -> the diagram block, one element per line."""
    out: dict[str, str] = {}
    for sop in library.sops:
        html = workflow_diagram(sop, library.roles, step_href, role_href).html
        assert html is not None
        out[f"workflow-{sop.id}.svg"] = readable(html)
    html = lifecycle_diagram(
        ordered(library), library.settings.phases, sop_href, lambda p: f"#{p}"
    ).html
    assert html is not None
    out["lifecycle.svg"] = readable(html)
    return out


def readable(html: str) -> str:
    assert "\n" not in html
    return html.replace("><", ">\n<") + "\n"


@pytest.mark.parametrize("case", [*CASES, "shipped"])
def test_golden_diagrams(case: str, regen_golden: bool) -> None:
    folder = GOLDEN / case
    library = load_library(case_root(case))
    actual = diagrams_of(library)
    if regen_golden:
        folder.mkdir(exist_ok=True)
        for stale in folder.glob("*.svg"):
            stale.unlink()
        for name, text in actual.items():
            (folder / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.svg"))}
    assert actual == expected, "run `pytest --regen-golden` and review the diff"


def test_the_golden_cases_cover_the_hard_graphs() -> None:
    library = load_library(GOLDEN / "hard")
    lanes = {sop.id: len({step_lane(s) for s in sop.steps}) for sop in library.sops}
    steps = {sop.id: len(sop.steps) for sop in library.sops}
    assert lanes["single-lane"] == 1 and steps["one-step"] == 1
    assert steps["thirty"] == 30 and lanes["twelve-lanes"] == 12
    two_r = library.sop("two-r")
    assert two_r is not None and any(len(s.raci.responsible) == 2 + 1 for s in two_r.steps)


# --- well-formed, escaped, contract ----------------------------------------------------------


def all_layouts() -> list[tuple[str, Layout]]:
    found = []
    for case in [*CASES, "shipped"]:
        library = load_library(case_root(case))
        for sop in library.sops:
            found.append((f"{case}/{sop.id}", workflow_layout(sop, library.roles)))
        found.append(
            (f"{case}/lifecycle", lifecycle_layout(ordered(library), library.settings.phases))
        )
        found.append(
            (
                f"{case}/folders",
                collapsed_lifecycle_layout(ordered(library), library.settings.phases, "sops"),
            )
        )
    return found


LAYOUTS = all_layouts()


@pytest.mark.parametrize("case", [*CASES, "shipped"])
def test_each_diagram_is_well_formed_svg_with_the_data_contract(case: str) -> None:
    library = load_library(case_root(case))
    for sop in library.sops:
        html = workflow_diagram(sop, library.roles, step_href, role_href).html or ""
        root = ElementTree.fromstring(html)  # the whole block is well-formed XML
        svg = root.find(f".//{SVG}svg")
        # Linked steps: a group, whose links assistive technology reads (an image hides them).
        assert svg is not None and svg.get("role") == "group"
        assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
        steps = svg.findall(".//*[@data-step]")
        assert [s.get("data-step") for s in steps] == list(dict.fromkeys(s.id for s in sop.steps))
        for element in steps:
            step = sop.step(element.get("data-step") or "")
            assert step is not None
            assert element.get("data-kind") == step.kind
            assert ("critical" in (element.get("class") or "").split()) == (
                step.id in sop.critical_path
            )
            link = element.find(f"{SVG}a")
            assert link is not None and link.get(HREF) == f"#step-{step.id}"
        lanes = [e.get("data-lane") for e in svg.findall(".//*[@data-lane]")]
        named = list(dict.fromkeys(step_lane(s) for s in sop.steps))
        assert lanes == [lane for lane in named if lane] + [lane for lane in named if not lane]
        edges = svg.findall(".//*[@data-edge]")
        expected = {
            (p, s.id, edge_kind(sop, p, s.id)) for s in sop.steps for p in s.after if sop.step(p)
        } | {(s.id, s.on_reject, "rejected") for s in sop.approvals if s.on_reject}
        drawn = {(*(e.get("data-edge") or "").split("->"), e.get("data-kind")) for e in edges}
        assert drawn == expected
        # A decision's exits are labelled with their answers.
        for e in edges:
            if e.get("data-kind") == "branch":
                source, target = (e.get("data-edge") or "").split("->")
                decision = sop.step(source)
                assert decision is not None
                label = e.find(f"{SVG}text")
                answers = [b.when for b in decision.branches if b.to == target]
                assert label is not None and label.text == " / ".join(answers)
        assert all(e.find(f"{SVG}path") is not None for e in edges)


def edge_kind(sop: Sop, source: str, target: str) -> str:
    step = sop.step(source)
    assert step is not None
    if step.is_decision and any(b.to == target for b in step.branches):
        return "branch"
    return "approved" if step.is_approval else "flow"


def test_hostile_text_is_escaped_and_inert() -> None:
    library = load_library(GOLDEN / "hard")
    sop = library.sop("unicode-hostile")
    assert sop is not None
    html = workflow_diagram(sop, library.roles, step_href, role_href).html or ""
    root = ElementTree.fromstring(html)
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert tags <= {"div", "p", "svg", "title", "desc", "g", "rect", "a", "text", "path", "polygon"}
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert (
        "4. Tab and new line \u202e bidi bell · Approval · "
        'R: <img src=x onerror=alert(1)> & "Ops" · A: Role number 1 · SLA 1h'
    ) in titles
    assert any("</text><script>alert(1)</script><text>" in t for t in titles)
    assert "\x07" not in html
    # Every cut label keeps its whole text as a tooltip.
    long = root.find(".//*[@data-step='u3']")
    assert long is not None
    shown = " ".join(t.text or "" for t in long.iter(f"{SVG}text"))
    assert shown.endswith("…") or "…" in shown
    assert "to be cut" in (long.find(f".//{SVG}title").text or "")  # type: ignore[union-attr]


# --- geometry ---------------------------------------------------------------------------------


def segments(points: tuple[Point, ...]) -> list[tuple[Point, Point]]:
    return list(pairwise(points))


def crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the orthogonal segment a-b has a point strictly inside `box`."""
    if a.x == b.x:
        low, high = sorted((a.y, b.y))
        return box.x < a.x < box.right and low < box.bottom and high > box.y
    low, high = sorted((a.x, b.x))
    return box.y < a.y < box.bottom and low < box.right and high > box.x


@pytest.mark.parametrize(("name", "layout"), LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_no_edge_passes_through_a_box_that_is_not_its_end(name: str, layout: Layout) -> None:
    boxes = {node.spec.key: node.box for node in layout.nodes}
    through = []
    for edge in layout.edges:
        assert all(a.x == b.x or a.y == b.y for a, b in segments(edge.points)), "not orthogonal"
        for key, box in boxes.items():
            if key in (edge.spec.source, edge.spec.target):
                continue
            if any(crosses(a, b, box) for a, b in segments(edge.points)):
                through.append(f"{edge.spec.source}->{edge.spec.target} through {key}")
        # It starts on its source's bottom and ends on its target's top (a decision's: on the
        # lower and upper outline of its diamond).
        source, target = boxes[edge.spec.source], boxes[edge.spec.target]
        first, last = edge.points[0], edge.points[-1]
        assert first.y == outline_y(layout.node_index[edge.spec.source], first.x, bottom=True)
        assert last.y == outline_y(layout.node_index[edge.spec.target], last.x, bottom=False)
        assert source.centre.y < first.y <= source.bottom and source.x < first.x < source.right
        assert target.y <= last.y < target.centre.y and target.x < last.x < target.right
        # Between its ends it never enters either end box.
        for a, b in segments(edge.points)[1:-1]:
            assert not crosses(a, b, source) and not crosses(a, b, target)
    assert through == []


@pytest.mark.parametrize(("name", "layout"), LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_parallel_runs_of_different_edges_never_overlap(name: str, layout: Layout) -> None:
    runs = []
    for index, edge in enumerate(layout.edges):
        for a, b in segments(edge.points):
            runs.append((index, a, b))
    overlapping = []
    for (i, a, b), (j, c, d) in combinations(runs, 2):
        if i == j:
            continue
        if a.x == b.x == c.x == d.x:
            lo1, hi1 = sorted((a.y, b.y))
            lo2, hi2 = sorted((c.y, d.y))
        elif a.y == b.y == c.y == d.y:
            lo1, hi1 = sorted((a.x, b.x))
            lo2, hi2 = sorted((c.x, d.x))
        else:
            continue
        if min(hi1, hi2) - max(lo1, lo2) > 0.5:
            overlapping.append((layout.edges[i].spec, layout.edges[j].spec))
    assert overlapping == []


@pytest.mark.parametrize(("name", "layout"), LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_lanes_tile_and_every_node_sits_inside_its_lane(name: str, layout: Layout) -> None:
    bands = [lane.band for lane in layout.lanes]
    assert bands[0].x == 0 and bands[-1].right == pytest.approx(layout.width)
    for left, right in pairwise(bands):
        assert left.right == pytest.approx(right.x)
        assert left.y == right.y == 0 and left.h == right.h == layout.height
    for node in layout.nodes:
        band = bands[node.spec.lane]
        box = node.box
        assert band.x < box.x and box.right < band.right, node.spec.key
        assert layout.header_height < box.y and box.bottom < band.bottom, node.spec.key
        assert band.contains(box.centre)
    for a, b in combinations(layout.nodes, 2):
        overlap_x = min(a.box.right, b.box.right) - max(a.box.x, b.box.x)
        overlap_y = min(a.box.bottom, b.box.bottom) - max(a.box.y, b.box.y)
        assert overlap_x <= 0 or overlap_y <= 0, (a.spec.key, b.spec.key)


@pytest.mark.parametrize(("name", "layout"), LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_text_fits_its_box_and_is_never_below_12px(name: str, layout: Layout) -> None:
    assert FONT >= 12
    for node in layout.nodes:
        inset = 2 * INSET if node.spec.shape in ("approval", "decision") else 0
        room = node.box.w - 2 * TEXT_PAD - inset
        for line in node.lines:
            assert text_width(line.text, FONT) <= room, (node.spec.key, line.text)
            assert node.box.y < line.y - FONT + 2 and line.y < node.box.bottom
    for edge in layout.edges:
        if edge.label is not None:
            width = text_width(edge.label.text, FONT)
            start = edge.label.x - (width if edge.label.anchor == "end" else 0)
            assert start >= 0 and start + width <= layout.width, edge.label
    for lane in layout.lanes:
        for line in lane.header:
            assert text_width(line.text, FONT) <= lane.band.w
            assert line.y < layout.header_height


def test_steps_come_after_their_after_steps_down_the_flow() -> None:
    for case in [*CASES, "shipped"]:
        library = load_library(case_root(case))
        for sop in library.sops:
            layout = workflow_layout(sop, library.roles)
            boxes = {node.spec.key: node.box for node in layout.nodes}
            for step in sop.steps:
                for before in step.after:
                    if before in boxes:
                        assert boxes[before].bottom < boxes[step.id].y, (sop.id, step.id)


def test_up_to_six_lanes_fit_the_content_column() -> None:
    for case in [*CASES, "shipped"]:
        library = load_library(case_root(case))
        for sop in library.sops:
            layout = workflow_layout(sop, library.roles)
            if len(layout.lanes) <= 6:
                assert layout.width <= BUDGET, (sop.id, layout.width)
        lifecycle = lifecycle_layout(ordered(library), library.settings.phases)
        assert lifecycle.width <= BUDGET


def test_a_step_with_several_r_sits_in_its_first_r_lane_and_names_the_others() -> None:
    library = load_library(GOLDEN / "hard")
    sop = library.sop("two-r")
    assert sop is not None
    layout = workflow_layout(sop, library.roles)
    pair = layout.node_index["pair"]
    assert layout.lanes[pair.spec.lane].spec.key == "r2"
    meta = " ".join(line.text for line in pair.lines[pair.meta_from :])
    assert meta.startswith("2h with Très long nom")
    others = "Très long nom de rôle avec accents et plus encore, コンテンツ責任者"
    assert f"R: Role number 2, {others}" in pair.spec.tooltip


def test_the_same_handbook_gives_the_same_bytes() -> None:
    first = diagrams_of(load_library(SHIPPED))
    second = diagrams_of(load_library(SHIPPED))
    assert first == second


# --- text -------------------------------------------------------------------------------------


def test_wrap_never_cuts_silently() -> None:
    assert wrap("Publish in WordPress", 80, 12, 3).lines == ("Publish in", "WordPress")
    assert wrap("Retrospective", 72, 12, 3).lines == ("Retrospec-", "tive")
    cut = wrap("one two three four five six seven eight nine ten", 60, 12, 2)
    assert cut.cut and cut.lines[-1].endswith("…") and len(cut.lines) == 2
    long = wrap("x" * 40, 60, 12, 3)
    assert long.cut and all(text_width(line, 12) <= 60 for line in long.lines)
    assert wrap("", 60, 12, 3).lines == ()
    assert text_width("内容", 12) == 24 and text_width("ab", 12) == pytest.approx(14.4)


# --- limits and the large lifecycle map --------------------------------------------------------


def test_nothing_to_draw_and_too_large() -> None:
    library = load_library(GOLDEN / "hard")
    thirty = library.sop("thirty")
    assert thirty is not None
    assert lifecycle_diagram([], ("define",)) == Diagram()
    small = workflow_diagram(thirty, library.roles, limits=DiagramLimits(max_nodes=29))
    assert small.html is None and small.too_large == (
        "30 steps and 32 links exceed the 29-box limit of a readable diagram"
    )


def big_handbook(tmp_path: Path, count: int) -> Path:
    files = {}
    phases = ("define", "design", "develop", "deploy", "determine")
    for index in range(count):
        folder = f"team-{index % 9}"
        phase = phases[index % 5]
        extra = f"next: [sop-{index + 1}]\n" if index + 1 < count and index % 3 else ""
        extra += f"requires: [sop-{index - 7}]\n" if index >= 7 and index % 4 == 0 else ""
        files[f"sops/{folder}/sop-{index}.md"] = (
            f"---\ntitle: SOP {index}\nobjective: Do it.\nphase: {phase}\nowner: lead\n"
            f"reviewed: 2026-10-01\n{extra}steps:\n"
            "  - {title: Work, raci: {R: writer, A: lead}}\n---\n"
        )
    return write_handbook(tmp_path, files)


def test_a_200_sop_lifecycle_map_draws_one_box_per_folder_and_phase(tmp_path: Path) -> None:
    library = load_library(big_handbook(tmp_path, 200))
    sops = ordered(library)
    diagram = lifecycle_diagram(sops, library.settings.phases, sop_href, lambda p: f"#{p}")
    assert diagram.html is not None
    root = ElementTree.fromstring(diagram.html)
    folders = root.findall(".//*[@data-folder]")
    assert len(folders) == 45  # 9 folders x 5 phases
    assert sum(int(f.get("data-count") or 0) for f in folders) == 200
    assert not root.findall(".//*[@data-sop]")
    for folder in folders:
        link = folder.find(f"{SVG}a")
        assert link is not None and link.get(HREF) == f"#{folder.get('data-phase')}"
    assert "200 SOPs are too many for one box each" in diagram.html
    layout = collapsed_lifecycle_layout(sops, library.settings.phases, "sops")
    assert layout.width <= BUDGET
    assert re.search(r"data-kind=\"next\"", diagram.html)


def test_a_folder_box_names_its_first_sops_and_counts_the_rest(tmp_path: Path) -> None:
    """The box's tooltip would carry every title of a folder into the map, which then grew with
    the handbook: it names the first ten and how many more there are (the box links to them)."""
    sops = ordered(load_library(big_handbook(tmp_path, 40)))
    big = folder_tooltip(Group("define/team", "define", "team", tuple(sops[:25])))
    assert (
        big
        == "Team: 25 SOPs: "
        + ", ".join(s.title for s in sops[:TOOLTIP_SOPS])
        + f" and {25 - TOOLTIP_SOPS} more"
    )
    small = folder_tooltip(Group("define/team", "define", "team", tuple(sops[:TOOLTIP_SOPS])))
    assert small == "Team: 10 SOPs: " + ", ".join(s.title for s in sops[:TOOLTIP_SOPS])
    german = folder_tooltip(Group("define/team", "define", "team", tuple(sops[:12])), Labels("de"))
    assert german.endswith(" und 2 weitere")


def test_a_lifecycle_map_within_the_detail_limit_draws_every_sop(tmp_path: Path) -> None:
    library = load_library(big_handbook(tmp_path, 40))
    diagram = lifecycle_diagram(ordered(library), library.settings.phases, sop_href)
    root = ElementTree.fromstring(diagram.html or "")
    assert len(root.findall(".//*[@data-sop]")) == 40


def test_edges_to_unknown_nodes_and_self_loops_are_left_out() -> None:
    layout = layout_grid(
        [LaneInput("a", "A")],
        [NodeInput("x", 0, 0, "task", "X"), NodeInput("y", 0, 1, "task", "Y")],
        [EdgeInput("x", "y", "flow"), EdgeInput("x", "x", "flow"), EdgeInput("x", "z", "flow")],
    )
    assert [(e.spec.source, e.spec.target) for e in layout.edges] == [("x", "y")]


def test_the_drawing_benchmark_runs(tmp_path: Path) -> None:
    """benchmarks/diagrams.py prints and writes its figures (no time is asserted)."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "diagrams.py"
    results = tmp_path / "diagrams.json"
    run = subprocess.run(
        [sys.executable, str(script), "--count", "12", "--repeat", "1", "--results", str(results)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "target: under 5 ms per SOP" in run.stdout
    rows = json.loads(results.read_text(encoding="utf-8"))
    assert [row["sops"] for row in rows][1] == 12
    assert all(row["diagram_ms_per_sop"] > 0 and row["ratio"] > 0 for row in rows)
