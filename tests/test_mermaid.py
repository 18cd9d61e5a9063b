"""Mermaid diagrams: golden files, the shape of the emitted syntax, and hostile handbook text.

Golden cases live in tests/golden/mermaid/<case>/ (roles.yml, tools.yml, sops/) with one
`workflow-<sop-id>.mmd` per SOP and `lifecycle.mmd`. Run `pytest --regen-golden` to rewrite them,
then read the diff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sopkit.load import load_library, load_sop_file
from sopkit.model import DEFAULT_PHASES, Library, Settings, Sop, Step
from sopkit.render.escape import mermaid_id
from sopkit.render.mermaid import (
    NATURAL_SIZE,
    Diagram,
    DiagramLimits,
    lifecycle_diagram,
    workflow_diagram,
)
from tests.handbooks import write_handbook

GOLDEN = Path(__file__).parent / "golden" / "mermaid"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def step_href(step: Step) -> str:
    return f"#step-{step.id}"


def sop_href(sop: Sop) -> str:
    return "../" + sop.file.removesuffix(".md") + "/"


def diagrams_of(library: Library) -> dict[str, str]:
    """Every golden file of a case: file name -> Mermaid source."""
    out: dict[str, str] = {}
    for sop in library.sops:
        source = workflow_diagram(sop, library.roles, step_href).source
        assert source is not None
        out[f"workflow-{sop.id}.mmd"] = source
    source = lifecycle_diagram(library.sops, library.settings.phases, sop_href).source
    assert source is not None
    out["lifecycle.mmd"] = source
    return out


@pytest.mark.parametrize("case", CASES)
def test_golden_diagrams(case: str, regen_golden: bool) -> None:
    folder = GOLDEN / case
    library = load_library(folder)
    actual = diagrams_of(library)
    if regen_golden:
        for stale in folder.glob("*.mmd"):
            stale.unlink()
        for name, text in actual.items():
            (folder / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.mmd"))}
    assert actual == expected, "run `pytest --regen-golden` and review the diff"


# --- A strict reader of what the module may emit -------------------------------------------
# Every line must be one of these shapes; an injected keyword, bracket or quote makes a line
# that matches none of them, and the label groups cannot contain a double quote.

ID = r"[A-Za-z0-9_]+"
LABEL = r'"(?P<label>[^"]*)"'
LINE_SHAPES = {
    "header": re.compile(r"^flowchart TD$"),
    "subgraph": re.compile(rf"^    subgraph (?P<id>{ID})\[{LABEL}\]$"),
    "node": re.compile(rf"^        (?P<id>{ID})(?P<open>[(\[{{]){LABEL}(?P<close>[)\]}}])$"),
    "end": re.compile(r"^    end$"),
    "edge": re.compile(
        rf'^    (?P<src>{ID}) (?P<arrow>-->|-\.->)(?:\|"(?P<label>[^"]*)"\|)? (?P<dst>{ID})$'
    ),
    "classdef": re.compile(r"^    classDef (?P<name>approval|critical) [a-z0-9:#,-]+$"),
    "class": re.compile(rf"^    class (?P<ids>{ID}(?:,{ID})*) (?P<name>approval|critical)$"),
    "linkstyle": re.compile(r"^    linkStyle (?P<indexes>\d+(?:,\d+)*) [a-z0-9:#,-]+$"),
    "click": re.compile(rf'^    click (?P<id>{ID}) href "(?P<url>[A-Za-z0-9/#._~%-]*)"$'),
}
# What may never appear raw inside a label: Mermaid syntax, HTML, and line structure.
FORBIDDEN_IN_LABEL = set('"[](){};|<>:`\\&')
ENTITY = re.compile(r"#(\d+);")


@dataclass
class Edge:
    src: str
    arrow: str
    label: str | None
    dst: str


@dataclass
class Parsed:
    lanes: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    nodes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> shape, label, lane
    edges: list[Edge] = field(default_factory=list)
    classes: dict[str, set[str]] = field(default_factory=dict)
    link_styles: list[int] = field(default_factory=list)
    clicks: dict[str, str] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)


def parse(source: str) -> Parsed:
    assert source.endswith("\n") and not source.endswith("\n\n")
    lines = source[:-1].split("\n")
    assert lines[0] == NATURAL_SIZE, lines[0]
    assert LINE_SHAPES["header"].match(lines[1]), lines[1]
    parsed = Parsed()
    lane: str | None = None
    for line in lines[2:]:
        kind, match = next(
            ((k, m) for k, rx in LINE_SHAPES.items() if (m := rx.match(line))), (None, None)
        )
        assert match is not None, f"unexpected line: {line!r}"
        groups = match.groupdict()
        if groups.get("label") is not None:
            parsed.labels.append(groups["label"])
        if kind == "subgraph":
            assert lane is None, "subgraphs do not nest"
            lane = groups["id"]
            parsed.lanes.append((groups["id"], groups["label"]))
        elif kind == "node":
            assert lane is not None, "every node sits in a lane"
            shape = groups["open"] + groups["close"]
            assert shape in ("()", "{}", "[]"), line
            assert groups["id"] not in parsed.nodes, f"node declared twice: {line}"
            parsed.nodes[groups["id"]] = (shape, groups["label"], lane)
        elif kind == "end":
            assert lane is not None
            lane = None
        elif kind == "edge":
            parsed.edges.append(
                Edge(groups["src"], groups["arrow"], groups["label"], groups["dst"])
            )
        elif kind == "class":
            for node in groups["ids"].split(","):
                parsed.classes.setdefault(groups["name"], set()).add(node)
        elif kind == "linkstyle":
            parsed.link_styles.extend(int(i) for i in groups["indexes"].split(","))
        elif kind == "click":
            parsed.clicks[groups["id"]] = groups["url"]
    assert lane is None, "unclosed subgraph"
    lane_ids = [lane_id for lane_id, _ in parsed.lanes]
    assert len(set(lane_ids)) == len(lane_ids)
    assert not set(lane_ids) & set(parsed.nodes), "a lane id equals a node id"
    for edge in parsed.edges:
        assert edge.src in parsed.nodes and edge.dst in parsed.nodes, edge
    for label in parsed.labels:
        assert not set(ENTITY.sub("", label)) & FORBIDDEN_IN_LABEL, label
    if parsed.lanes and not parsed.lanes[0][0].startswith(("phase_", "unphased")):
        # Workflow lanes are declared right to left (so the first lies leftmost): reading order.
        parsed.lanes.reverse()
    return parsed


def decoded(label: str) -> str:
    """What a reader sees: Mermaid turns `#NN;` into the character NN."""
    return ENTITY.sub(lambda m: chr(int(m.group(1))), label)


def shown(text: str) -> str:
    return " ".join(text.split())


def step_text(step: Step) -> str:
    """The label a reader should see for a step, whitespace folded as Mermaid shows it."""
    text = f"{step.index + 1} · {step.title}"
    return shown(text + f" · {step.duration}" if step.hours is not None else text)


# --- Small handbooks ------------------------------------------------------------------------


def front_matter(data: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n"


def one_sop(tmp_path: Path, steps: list[dict[str, Any]], roles: dict[str, Any]) -> Library:
    sop = {"title": "T", "objective": "O", "phase": "develop", "owner": "lead", "steps": steps}
    return load_library(
        write_handbook(
            tmp_path,
            {
                "roles.yml": yaml.safe_dump(roles, allow_unicode=True),
                "sops/t.md": front_matter(sop),
            },
        )
    )


ROLES = {"lead": {"name": "Lead"}, "writer": {"name": "Writer"}, "editor": {"name": "Editor"}}


def golden_library(case: str) -> Library:
    return load_library(GOLDEN / case)


def workflow(library: Library, sop_id: str) -> Parsed:
    sop = library.sop(sop_id)
    assert sop is not None
    source = workflow_diagram(sop, library.roles, step_href).source
    assert source is not None
    return parse(source)


# --- Workflow properties --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "sop_id"),
    [("linear", "blog-post"), ("parallel", "campaign-launch"), ("hostile", "hostile")],
)
def test_one_lane_per_first_responsible_role(case: str, sop_id: str) -> None:
    library = golden_library(case)
    sop = library.sop(sop_id)
    assert sop is not None
    parsed = workflow(library, sop_id)
    first_r = [step.raci.responsible[0] if step.raci.responsible else None for step in sop.steps]
    expected_titles = [
        "Unassigned" if r is None else library.roles[r].name if r in library.roles else r
        for r in dict.fromkeys(first_r)
    ]
    assert [shown(decoded(label)) for _, label in parsed.lanes] == expected_titles
    lane_of_role = dict(zip(dict.fromkeys(first_r), (i for i, _ in parsed.lanes), strict=True))
    for step, role in zip(sop.steps, first_r, strict=True):
        node = [n for n, (_, label, _) in parsed.nodes.items() if decoded(label) == step_text(step)]
        assert len(node) == 1
        assert parsed.nodes[node[0]][2] == lane_of_role[role]


def test_lanes_of_the_parallel_case() -> None:
    parsed = workflow(golden_library("parallel"), "campaign-launch")
    assert [decoded(label) for _, label in parsed.lanes] == [
        "Marketing Manager",
        "Content Writer",  # the first of two R
        "Designer",
        "Unassigned",  # a step without R
        "agency-partner",  # a role missing from roles.yml shows its id
    ]


def test_node_shapes_and_labels() -> None:
    library = golden_library("parallel")
    sop = library.sop("campaign-launch")
    assert sop is not None
    parsed = workflow(library, "campaign-launch")
    for step in sop.steps:
        shape, label, _ = parsed.nodes[mermaid_id(step.id, "s")]
        assert shape == ("{}" if step.is_approval else "()")
        assert decoded(label) == step_text(step)
    assert decoded(parsed.nodes["s_sign_off"][1]) == "5 · Sign-off · 4h"
    assert parsed.classes["approval"] == {"s_sign_off"}


def test_edges_follow_after_and_approvals_say_approved() -> None:
    parsed = workflow(golden_library("parallel"), "campaign-launch")
    solid = [(e.src, e.label, e.dst) for e in parsed.edges if e.arrow == "-->"]
    assert solid == [
        ("s_kickoff", None, "s_copy"),
        ("s_kickoff", None, "s_visuals"),
        ("s_kickoff", None, "s_tracking"),  # `after: [kickoff, kickoff, nowhere]`: one link
        ("s_copy", None, "s_sign_off"),
        ("s_visuals", None, "s_sign_off"),
        ("s_tracking", None, "s_sign_off"),
        ("s_sign_off", "approved", "s_go_live"),
    ]


@pytest.mark.parametrize(
    ("case", "sop_id"),
    [("linear", "blog-post"), ("parallel", "campaign-launch"), ("hostile", "hostile")],
)
def test_reject_edge_is_dashed_and_labelled(case: str, sop_id: str) -> None:
    library = golden_library(case)
    sop = library.sop(sop_id)
    assert sop is not None
    parsed = workflow(library, sop_id)
    node_ids = {step.id: mermaid_id(step.id, "s") for step in sop.steps}
    expected = [
        (node_ids[step.id], node_ids[step.on_reject])
        for step in sop.approvals
        if step.on_reject in node_ids
    ]
    assert expected, "each case has an approval with a reject target"
    dashed = [e for e in parsed.edges if e.arrow == "-.->"]
    assert [(e.src, e.dst) for e in dashed] == expected
    assert all(e.label == "changes requested" for e in dashed)
    assert all(e.label in (None, "approved") for e in parsed.edges if e.arrow == "-->")


def assert_critical_path_styled(sop: Sop, parsed: Parsed, node_of: dict[str, str]) -> None:
    path_nodes = [node_of[s] for s in sop.critical_path]
    styled = [(parsed.edges[i].src, parsed.edges[i].dst) for i in parsed.link_styles]
    assert styled == list(pairwise(path_nodes))
    assert all(parsed.edges[i].arrow == "-->" for i in parsed.link_styles)
    assert parsed.link_styles == sorted(set(parsed.link_styles))
    assert parsed.classes.get("critical", set()) == set(path_nodes)


@pytest.mark.parametrize(
    ("case", "sop_id"),
    [("linear", "blog-post"), ("parallel", "campaign-launch"), ("hostile", "hostile")],
)
def test_critical_path_link_styles_point_at_its_edges(case: str, sop_id: str) -> None:
    library = golden_library(case)
    sop = library.sop(sop_id)
    assert sop is not None
    assert len(sop.critical_path) >= 3
    node_of = {step.id: mermaid_id(step.id, "s") for step in sop.steps}
    assert_critical_path_styled(sop, workflow(library, sop_id), node_of)


def test_critical_path_through_a_wide_dag(tmp_path: Path) -> None:
    # A diamond of diamonds: the longest chain zigzags, and reject loops sit between the
    # forward links in step order, so a wrong index would land on a neighbour.
    steps: list[dict[str, Any]] = [
        {"id": "s0", "title": "Start", "raci": {"R": "lead", "A": "lead"}}
    ]
    for layer in range(1, 6):
        previous = [f"l{layer - 1}a", f"l{layer - 1}b"] if layer > 1 else ["s0"]
        for branch, hours in (("a", layer), ("b", 6 - layer)):
            steps.append(
                {
                    "id": f"l{layer}{branch}",
                    "title": f"Layer {layer} {branch}",
                    "raci": {"R": "writer" if branch == "a" else "editor", "A": "lead"},
                    "duration": f"{hours}h",
                    "after": previous,
                }
            )
        steps.append(
            {
                "id": f"ok{layer}",
                "title": f"Check {layer}",
                "kind": "approval",
                "raci": {"R": "lead", "A": "lead"},
                "after": [f"l{layer}a"],
                "on_reject": f"l{layer}b",
            }
        )
    library = one_sop(tmp_path, steps, ROLES)
    sop = library.sops[0]
    # s0, five layers, then the last check (no duration, but it closes the longest chain).
    assert len(sop.critical_path) == 7
    assert sop.critical_path[-1] == "ok5"
    parsed = workflow(library, sop.id)
    assert_critical_path_styled(sop, parsed, {s.id: mermaid_id(s.id, "s") for s in sop.steps})


def test_click_links_and_their_escaping(tmp_path: Path) -> None:
    library = one_sop(
        tmp_path,
        [
            {"id": "a", "title": "A", "raci": {"R": "lead", "A": "lead"}},
            {"id": "b", "title": "B", "raci": {"R": "lead", "A": "lead"}},
        ],
        ROLES,
    )
    sop = library.sops[0]
    hostile = {"a": 'x" onclick="alert(1)', "b": "javascript:alert(1) é/#ok"}
    source = workflow_diagram(sop, library.roles, lambda step: hostile[step.id]).source
    assert source is not None
    parsed = parse(source)
    assert parsed.clicks == {
        "s_a": "x%22%20onclick%3D%22alert%281%29",
        "s_b": "javascript%3Aalert%281%29%20%C3%A9/#ok",
    }
    no_links = workflow_diagram(sop, library.roles).source
    assert no_links is not None and "click" not in no_links


def test_ids_that_mermaid_id_folds_together_stay_distinct(tmp_path: Path) -> None:
    # Invalid ids (the checker reports them) still reach the model; two nodes must not merge.
    library = one_sop(
        tmp_path,
        [
            {"id": "a-b", "title": "First", "raci": {"R": "a-b", "A": "lead"}},
            {"id": "a_b", "title": "Second", "raci": {"R": "a_b", "A": "lead"}},
            {"id": "a_b_2", "title": "Third", "raci": {"R": "lead", "A": "lead"}},
            {"id": "x", "title": "Fourth", "raci": {"R": "lead", "A": "lead"}, "after": ["a_b"]},
        ],
        ROLES,
    )
    parsed = workflow(library, library.sops[0].id)
    by_label = {decoded(label): node for node, (_, label, _) in parsed.nodes.items()}
    assert len(parsed.nodes) == 4 and len(parsed.lanes) == 3
    assert by_label["2 · Second"] not in ("s_a_b", "s_a_b_2")
    assert (by_label["2 · Second"], by_label["4 · Fourth"]) in [
        (e.src, e.dst) for e in parsed.edges
    ]


def test_output_is_deterministic_and_ends_with_a_newline() -> None:
    first = diagrams_of(golden_library("hostile"))
    second = diagrams_of(golden_library("hostile"))
    assert first == second
    assert all(text.endswith("\n") for text in first.values())


def test_nothing_to_draw_and_never_both() -> None:
    sop = load_sop_file(
        front_matter({"title": "Empty", "phase": "define", "steps": []}).encode(),
        "sops/empty.md",
        Settings(),
    ).sop
    assert sop is not None
    assert workflow_diagram(sop, {}) == Diagram(source=None, too_large=None)
    assert lifecycle_diagram([], DEFAULT_PHASES) == Diagram()
    with pytest.raises(ValueError, match="not both"):
        Diagram(source="flowchart TD\n", too_large="why")


# --- Limits ---------------------------------------------------------------------------------


def test_a_400_step_sop_is_too_large(tmp_path: Path) -> None:
    steps = [
        {"id": f"step-{i}", "title": f"Step {i}", "raci": {"R": "lead", "A": "lead"}}
        for i in range(400)
    ]
    library = one_sop(tmp_path, steps, ROLES)
    diagram = workflow_diagram(library.sops[0], library.roles, step_href)
    assert diagram.source is None
    assert diagram.too_large == (
        "400 steps and 399 links exceed the 150-node limit of a readable diagram"
    )


def test_edge_and_text_limits(tmp_path: Path) -> None:
    steps = [
        {"id": f"s{i}", "title": "A long title " * 5, "raci": {"R": "lead", "A": "lead"}}
        for i in range(4)
    ]
    sop = one_sop(tmp_path, steps, ROLES).sops[0]
    assert workflow_diagram(sop, {}, limits=DiagramLimits(max_edges=2)).too_large == (
        "4 steps and 3 links exceed the 2-link limit of a readable diagram"
    )
    small = workflow_diagram(sop, {}, limits=DiagramLimits(max_text=200))
    assert small.source is None and small.too_large is not None
    assert "over the 200-character limit" in small.too_large
    assert workflow_diagram(sop, {}, limits=DiagramLimits(max_nodes=4)).source is not None


def test_lifecycle_limit(tmp_path: Path) -> None:
    files = {
        f"sops/s{i}.md": front_matter(
            {"title": f"S{i}", "phase": "define", "steps": [{"title": "x"}], "next": [f"s{i + 1}"]}
        )
        for i in range(3)
    }
    library = load_library(write_handbook(tmp_path, files))
    diagram = lifecycle_diagram(library.sops, DEFAULT_PHASES, limits=DiagramLimits(max_nodes=2))
    assert diagram == Diagram(
        too_large="3 SOPs and 2 links exceed the 2-node limit of a readable diagram"
    )


# --- Hostile text ---------------------------------------------------------------------------

HOSTILE = [
    'say "hi"',
    "it's",
    "[x] (y) {z} {{w}} ((v)) [(u)] [[t]] >s] [/r/]",
    "end",
    "End",
    "graph TD",
    "flowchart LR",
    "subgraph x",
    "a; b; end; c",
    "a | b || c",
    "#quot; #35; #9829; # hash",
    "a --> b -.-> c ==> d --- e ~~~ f --o g --x h",
    "%% comment",
    "%%{init: {'theme': 'forest'}}%%",
    "<b>bold</b> <script>alert(1)</script> <br/> <img src=x onerror=alert(1)>",
    "&amp; &lt; &#60; &",
    "click s_x href 'javascript:alert(1)'",
    "style s_x fill:#f00;",
    "classDef critical fill:#f00;",
    "linkStyle 0 stroke:#f00;",
    "A:::critical",
    "`code` \\ backslash",
    "🚀 emoji ✅ 👩‍💻",
    "مراجعة المحتوى",
    "\u202eRTL override\u202c",
    "line\nbreak\ttab",
    "accTitle: x",
    "a@b",
]


def hostile_library(
    tmp_path: Path, texts: list[str], phases: tuple[str, ...] = DEFAULT_PHASES
) -> Library:
    roles = {f"r{i}": {"name": text} for i, text in enumerate(texts)}
    steps: list[dict[str, Any]] = [
        {
            "id": f"s{i}",
            "title": text,
            "kind": "approval" if i % 3 == 2 else "task",
            "raci": {"R": f"r{i}", "A": "r0"},
        }
        for i, text in enumerate(texts)
    ]
    sops = {
        f"sops/h{i}.md": front_matter(
            {
                "title": text,
                "phase": phases[i % len(phases)] if i % 7 else "no-such-phase",
                "steps": steps if i == 0 else [{"title": "x"}],
                "requires": [f"h{i - 1}"] if i else [],
                "next": [f"h{i + 1}"],
            }
        )
        for i, text in enumerate(texts)
    }
    files = {"roles.yml": yaml.safe_dump(roles, allow_unicode=True), **sops}
    return load_library(write_handbook(tmp_path, files))


def test_hostile_strings_stay_labels(tmp_path: Path) -> None:
    library = hostile_library(tmp_path, HOSTILE)
    sop = library.sop("h0")
    assert sop is not None
    source = workflow_diagram(sop, library.roles, step_href).source
    assert source is not None
    parsed = parse(source)
    assert len(parsed.nodes) == len(HOSTILE) and len(parsed.lanes) == len(HOSTILE)
    # Each label shows exactly its text: nothing lost, nothing added.
    assert [decoded(label) for _, label in parsed.lanes] == [shown(t) for t in HOSTILE]
    # (Nodes are declared lane by lane, right to left: compare them as a multiset.)
    assert sorted(decoded(label) for _, label, _ in parsed.nodes.values()) == sorted(
        step_text(step) for step in sop.steps
    )
    assert {shape for shape, _, _ in parsed.nodes.values()} == {"()", "{}"}


def test_hostile_strings_in_the_lifecycle(tmp_path: Path) -> None:
    phases = ("define", 'de"sign]', "end", "<b>deploy</b>", "%%")
    library = hostile_library(tmp_path, HOSTILE, phases)
    source = lifecycle_diagram(library.sops, phases, sop_href).source
    assert source is not None
    parsed = parse(source)
    assert sorted(decoded(label) for _, label, _ in parsed.nodes.values()) == sorted(
        shown(t) for t in HOSTILE
    )
    titles = [decoded(label) for _, label in parsed.lanes]
    assert titles == ["Define", 'De"sign]', "End", "<b>deploy</b>", "%%", "Other"]


def test_the_hostile_golden_case_parses() -> None:
    for name, text in diagrams_of(golden_library("hostile")).items():
        parsed = parse(text)
        assert parsed.nodes, name


TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
    min_size=1,
    max_size=40,
)


@settings(max_examples=75, deadline=None, database=None)
@given(title=TEXT, role=TEXT)
def test_any_text_stays_a_label(title: str, role: str) -> None:
    # The role is an id missing from roles.yml, so its lane is titled with the raw id.
    front = front_matter(
        {"title": title, "phase": "define", "steps": [{"title": title, "raci": {"R": role}}]}
    )
    sop = load_sop_file(front.encode(), "sops/t.md", Settings()).sop
    assert sop is not None
    parsed = parse(workflow_diagram(sop, {}, step_href).source or "")
    [(_, label, _)] = list(parsed.nodes.values())
    assert decoded(label) == step_text(sop.steps[0])
    assert decoded(parsed.lanes[0][1]) == shown(role)
    lifecycle = parse(lifecycle_diagram([sop], (title,), sop_href).source or "")
    assert [decoded(label) for _, label, _ in lifecycle.nodes.values()] == [shown(sop.title)]


# --- Lifecycle ------------------------------------------------------------------------------


def test_lifecycle_phases_links_and_clicks() -> None:
    library = golden_library("parallel")
    source = lifecycle_diagram(library.sops, library.settings.phases, sop_href).source
    assert source is not None
    parsed = parse(source)
    assert [decoded(label) for _, label in parsed.lanes] == ["Define", "Deploy", "Determine"]
    assert [(e.src, e.arrow, e.label, e.dst) for e in parsed.edges] == [
        ("sop_campaign_brief", "-->", "next", "sop_campaign_launch"),
        ("sop_campaign_launch", "-->", "next", "sop_campaign_retro"),
        # from the required SOP to the one requiring it; `no-such-sop` is left out
        ("sop_campaign_brief", "-.->", "requires", "sop_campaign_launch"),
        ("sop_campaign_launch", "-.->", "requires", "sop_campaign_retro"),
    ]
    assert parsed.clicks["sop_campaign_launch"] == "../sops/campaign-launch/"


def test_lifecycle_keeps_only_links_between_given_sops() -> None:
    library = golden_library("parallel")
    subset = [s for s in library.sops if s.id != "campaign-launch"]
    parsed = parse(lifecycle_diagram(subset, library.settings.phases).source or "")
    assert parsed.edges == [] and parsed.clicks == {}
    assert [decoded(label) for _, label in parsed.lanes] == ["Define", "Determine"]


def test_lifecycle_orders_phases_as_configured(tmp_path: Path) -> None:
    files = {
        f"sops/{name}.md": front_matter({"title": name, "phase": phase, "steps": [{"title": "x"}]})
        for name, phase in [("a", "run"), ("b", "plan"), ("c", "weird"), ("d", "plan")]
    }
    library = load_library(write_handbook(tmp_path, files))
    parsed = parse(lifecycle_diagram(library.sops, ["plan", "build", "run"], None).source or "")
    assert [decoded(label) for _, label in parsed.lanes] == ["Plan", "Run", "Other"]
    assert [(label, lane) for _, label, lane in parsed.nodes.values()] == [
        ("b", "phase_plan"),
        ("d", "phase_plan"),
        ("a", "phase_run"),
        ("c", "unphased"),
    ]


# --- Known gaps of `mermaid_label` (escape.py); these fail until it is fixed ----------------


def test_a_label_cannot_say_direction(tmp_path: Path) -> None:
    # flow.jison's `.*direction\s+(TB|BT|RL|LR)[^\n]*` rule runs before the lexer reaches the
    # quote, so it swallows the whole node line: the label is lost and the lane turns sideways.
    library = one_sop(
        tmp_path, [{"title": "Set direction LR", "raci": {"R": "lead", "A": "lead"}}], ROLES
    )
    source = workflow_diagram(library.sops[0], library.roles).source or ""
    assert not re.search(r"direction\s+(TB|BT|RL|LR)", source)


def test_a_label_cannot_become_markdown(tmp_path: Path) -> None:
    # Mermaid 11 runs plain quoted labels through Markdown (mermaid-js/mermaid#5824): a list or
    # rule shows as "Unsupported markdown: list" in several 11.x releases, `*x*` turns italic,
    # `$$x$$` is typeset by KaTeX (10.9+) and `www.x.org` becomes an unsupported link.
    titles = ["1. Kickoff", "- draft", "---", "*urgent*", "__init__", "$$x^2$$", "www.example.org"]
    files = {
        f"sops/m{i}.md": front_matter({"title": t, "phase": "define", "steps": [{"title": "x"}]})
        for i, t in enumerate(titles)
    }
    library = load_library(write_handbook(tmp_path, files))
    parsed = parse(lifecycle_diagram(library.sops, DEFAULT_PHASES).source or "")
    markdown = re.compile(r"^\s*(\d+[.)]\s|[-+*]\s|[-*_]{3})|[*_][^*_]+[*_]|\$\$|www\.")
    assert [label for _, label, _ in parsed.nodes.values() if markdown.search(label)] == []
