"""Mermaid flowcharts: the swimlane workflow of one SOP and the lifecycle map of a handbook.

Pure text generation, no MkDocs. Handbook strings reach the source only through `mermaid_label`
(inside double quotes) and `mermaid_id`; everything else written here is fixed syntax, so no
title, role name or id can add a node, close a subgraph or restyle the diagram.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal
from urllib.parse import quote

from sopkit.model import Role, Sop, Step
from sopkit.render.escape import mermaid_id, mermaid_label

# Orange keeps 3:1 contrast on Material's white and slate backgrounds, and the width alone marks
# the path for readers who cannot tell the colour. Fills stay the theme's, so text stays legible.
CRITICAL_STYLE = "stroke:#e8590c,stroke-width:4px"
APPROVAL_STYLE = "stroke-width:2px"
UNASSIGNED_LANE = "unassigned"  # not `lane_...`: mermaid_id(role, "lane") can never produce it
OTHER_PHASE = "unphased"  # likewise never `phase_...`

# Mermaid scales a diagram down to the page column by default, which leaves a wide workflow with
# unreadable text; at natural size it scrolls sideways inside its box instead.
NATURAL_SIZE = '%%{init: {"flowchart": {"useMaxWidth": false}}}%%'
EdgeKind = Literal["flow", "approved", "reject", "next", "requires"]
_ARROWS: Mapping[EdgeKind, tuple[str, str | None]] = {
    "flow": ("-->", None),
    "approved": ("-->", "approved"),
    "reject": ("-.->", "changes requested"),
    "next": ("-->", "next"),
    "requires": ("-.->", "requires"),
}


@dataclass(frozen=True)
class DiagramLimits:
    """How large a generated diagram may be before a page shows a reason instead of it.

    Mermaid's own ceilings are `maxTextSize` 50,000 characters and `maxEdges` 500, past which it
    draws an error box; well below them a dagre layout has stopped being readable.
    """

    max_nodes: int = 150
    """Steps (or SOPs) in one diagram; beyond this a layout is a wall of boxes."""
    max_edges: int = 300
    """Links in one diagram; Mermaid itself refuses more than 500."""
    max_text: int = 45_000
    """Characters of Mermaid source; Mermaid refuses more than 50,000."""


DEFAULT_LIMITS = DiagramLimits()


@dataclass(frozen=True)
class Diagram:
    """Mermaid flowchart source, or the reason it was not drawn; never both.

    Both are None when there is nothing to draw (an SOP without steps, no SOPs).
    """

    source: str | None = None
    too_large: str | None = None

    def __post_init__(self) -> None:
        if self.source is not None and self.too_large is not None:
            raise ValueError("a Diagram has either a source or a too_large reason, not both")


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    kind: EdgeKind

    def line(self) -> str:
        arrow, label = _ARROWS[self.kind]
        if label is None:
            return f"    {self.source} {arrow} {self.target}"
        return f'    {self.source} {arrow}|"{mermaid_label(label)}"| {self.target}'


def workflow_diagram(
    sop: Sop,
    roles: Mapping[str, Role],
    step_href: Callable[[Step], str] | None = None,
    limits: DiagramLimits = DEFAULT_LIMITS,
) -> Diagram:
    """The steps of `sop` as a flowchart with one lane per Responsible role.

    A step sits in the lane of its first R ("Unassigned" without one). Approvals are diamonds
    whose outgoing links read "approved", with a dashed "changes requested" link back to their
    `on_reject` step. The critical path is drawn thicker. `step_href(step)` makes each node a
    link (a relative URL or fragment such as `#step-draft`).
    """
    steps = sop.steps
    if not steps:
        return Diagram()
    node_ids = _unique_ids([step.id for step in steps], "s")
    node_of: dict[str, str] = {}
    for step, node in zip(steps, node_ids, strict=True):
        node_of.setdefault(step.id, node)  # a duplicated step id means its first step, as Sop.step
    edges = _workflow_edges(sop, node_ids, node_of)
    reason = _over_limit(len(steps), "step", len(edges), limits)
    if reason:
        return Diagram(too_large=reason)

    # Top-down: lanes become columns side by side and each step adds height, not width. Pages
    # are a narrow column that scrolls vertically, and an SOP has many more steps than lanes, so
    # left-to-right would shrink every label of a long SOP to fit the column.
    lines = [NATURAL_SIZE, "flowchart TD"]
    lanes: dict[str | None, list[int]] = {}
    for position, step in enumerate(steps):
        lanes.setdefault(step.raci.responsible[0] if step.raci.responsible else None, []).append(
            position
        )
    role_lanes = [role for role in lanes if role is not None]
    lane_ids = dict(zip(role_lanes, _unique_ids(role_lanes, "lane"), strict=True))
    # Dagre places the first-declared subgraph rightmost; declaring lanes in reverse puts the lane
    # of the first step on the left, where a reader starts.
    for role, positions in reversed(lanes.items()):
        if role is None:
            lane, title = UNASSIGNED_LANE, "Unassigned"
        else:
            lane, title = lane_ids[role], roles[role].name if role in roles else role
        lines.append(f'    subgraph {lane}["{mermaid_label(title)}"]')
        lines.extend(f"        {_step_node(steps[p], node_ids[p])}" for p in positions)
        lines.append("    end")
    lines.extend(edge.line() for edge in edges)

    approvals = [node for step, node in zip(steps, node_ids, strict=True) if step.is_approval]
    critical_nodes = list(dict.fromkeys(node_of[s] for s in sop.critical_path if s in node_of))
    critical_links = _critical_links(sop.critical_path, node_of, edges)
    # `critical` is defined after `approval` so its stroke wins on an approval on the path.
    if approvals:
        lines.append(f"    classDef approval {APPROVAL_STYLE}")
    if critical_nodes:
        lines.append(f"    classDef critical {CRITICAL_STYLE}")
    if approvals:
        lines.append(f"    class {','.join(approvals)} approval")
    if critical_nodes:
        lines.append(f"    class {','.join(critical_nodes)} critical")
    if critical_links:
        lines.append(f"    linkStyle {','.join(map(str, critical_links))} {CRITICAL_STYLE}")
    if step_href is not None:
        lines.extend(
            _click(node, step_href(step)) for step, node in zip(steps, node_ids, strict=True)
        )
    return _finish(lines, limits)


def lifecycle_diagram(
    sops: Sequence[Sop],
    phases: Sequence[str],
    sop_href: Callable[[Sop], str] | None = None,
    limits: DiagramLimits = DEFAULT_LIMITS,
) -> Diagram:
    """Every SOP in its phase, with solid "next" links and dashed "requires" links.

    A "requires" link runs from the required SOP to the SOP that requires it, so arrows follow
    the order to learn and run them. Links to SOPs outside `sops` are left out. Phases without
    SOPs get no box; SOPs in a phase not in `phases` share a last box, "Other".
    """
    if not sops:
        return Diagram()
    node_ids = _unique_ids([sop.id for sop in sops], "sop")
    node_of: dict[str, str] = {}
    for sop, node in zip(sops, node_ids, strict=True):
        node_of.setdefault(sop.id, node)
    edges: list[_Edge] = []
    for sop, node in zip(sops, node_ids, strict=True):
        edges.extend(
            _Edge(node, node_of[t], "next") for t in dict.fromkeys(sop.next) if t in node_of
        )
    for sop, node in zip(sops, node_ids, strict=True):
        edges.extend(
            _Edge(node_of[r], node, "requires") for r in dict.fromkeys(sop.requires) if r in node_of
        )
    reason = _over_limit(len(sops), "SOP", len(edges), limits)
    if reason:
        return Diagram(too_large=reason)

    known = list(dict.fromkeys(phases))
    groups: dict[str | None, list[int]] = {phase: [] for phase in known}
    for position, sop in enumerate(sops):
        groups.setdefault(sop.phase if sop.phase in groups else None, []).append(position)
    phase_ids = dict(zip(known, _unique_ids(known, "phase"), strict=True))
    # Top-down for the same reason as the workflow: phases become columns across the page.
    lines = [NATURAL_SIZE, "flowchart TD"]
    for phase, positions in groups.items():
        if not positions:
            continue  # an empty box says nothing and Mermaid lays it out as a stray node
        if phase is None:
            group, title = OTHER_PHASE, "Other"
        else:
            group, title = phase_ids[phase], phase[:1].upper() + phase[1:]
        lines.append(f'    subgraph {group}["{mermaid_label(title)}"]')
        lines.extend(f'        {node_ids[p]}["{mermaid_label(sops[p].title)}"]' for p in positions)
        lines.append("    end")
    lines.extend(edge.line() for edge in edges)
    if sop_href is not None:
        lines.extend(_click(node, sop_href(sop)) for sop, node in zip(sops, node_ids, strict=True))
    return _finish(lines, limits)


def _workflow_edges(sop: Sop, node_ids: Sequence[str], node_of: Mapping[str, str]) -> list[_Edge]:
    """DAG links in step order, then reject loops: the order linkStyle indexes count."""
    edges: list[_Edge] = []
    for step, node in zip(sop.steps, node_ids, strict=True):
        for pred_id in dict.fromkeys(step.after):
            pred = sop.step(pred_id)
            if pred is None:
                continue
            kind: EdgeKind = "approved" if pred.is_approval else "flow"
            edges.append(_Edge(node_of[pred_id], node, kind))
    for step, node in zip(sop.steps, node_ids, strict=True):
        if step.is_approval and step.on_reject is not None and step.on_reject in node_of:
            edges.append(_Edge(node, node_of[step.on_reject], "reject"))
    return edges


def _critical_links(
    path: Sequence[str], node_of: Mapping[str, str], edges: Sequence[_Edge]
) -> list[int]:
    """Indexes of the forward links joining consecutive critical steps, ascending."""
    index: dict[tuple[str, str], int] = {}
    for position, edge in enumerate(edges):
        if edge.kind != "reject":
            index.setdefault((edge.source, edge.target), position)
    found = {
        index[(node_of[a], node_of[b])]
        for a, b in pairwise(path)
        if a in node_of and b in node_of and (node_of[a], node_of[b]) in index
    }
    return sorted(found)


def _step_node(step: Step, node: str) -> str:
    # "3 · Title", not "3. Title": Mermaid 11 reads plain labels as Markdown and "3. " starts an
    # ordered list, which several 11.x releases draw as "Unsupported markdown: list"
    # (mermaid-js/mermaid#5824).
    text = f"{step.index + 1} · {step.title}"
    if step.duration and step.hours is not None:
        text += f" · {step.duration.strip()}"
    label = mermaid_label(text)
    return f'{node}{{"{label}"}}' if step.is_approval else f'{node}("{label}")'


def _click(node: str, url: str) -> str:
    # Only [A-Za-z0-9/#._~-] stay as written; `"`, `:`, spaces, `%` and non-ASCII are
    # percent-encoded, so the URL cannot end the string and cannot carry a scheme.
    return f'    click {node} href "{quote(url, safe="/#")}"'


def _unique_ids(names: Sequence[str], prefix: str) -> list[str]:
    """`mermaid_id` of each name, made distinct.

    `mermaid_id` maps `a-b` and `a_b` (or two non-ASCII ids) to one id, and two things sharing
    a Mermaid id silently merge. Later duplicates get `_2`, `_3`... avoiding every plain id.
    """
    plain = [mermaid_id(name, prefix) for name in names]
    reserved = set(plain)
    taken: set[str] = set()
    result = []
    for base in plain:
        candidate, counter = base, 1
        while candidate in taken or (candidate != base and candidate in reserved):
            counter += 1
            candidate = f"{base}_{counter}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _over_limit(nodes: int, noun: str, edges: int, limits: DiagramLimits) -> str | None:
    what = f"{_count(nodes, noun)} and {_count(edges, 'link')}"
    if nodes > limits.max_nodes:
        return f"{what} exceed the {limits.max_nodes}-node limit of a readable diagram"
    if edges > limits.max_edges:
        return f"{what} exceed the {limits.max_edges}-link limit of a readable diagram"
    return None


def _finish(lines: list[str], limits: DiagramLimits) -> Diagram:
    source = "\n".join(lines) + "\n"
    if len(source) > limits.max_text:
        return Diagram(
            too_large=f"the diagram source has {len(source):,} characters, over the "
            f"{limits.max_text:,}-character limit of a diagram Mermaid renders"
        )
    return Diagram(source=source)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
