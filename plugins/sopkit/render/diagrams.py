"""The workflow of an SOP and the lifecycle map of a handbook, drawn at build time as inline SVG.

Pure: no MkDocs. `layout/` places lanes, boxes and edges; `diagram_svg` draws them; this module
chooses what to draw, writes the words around it (title, description, legend) and wraps it in
the HTML block every page, macro and `sopkit build-md` emits. Handbook strings are escaped by
`svg_text` / `html_text`; no JavaScript is needed to see a diagram.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sopkit.layout.grid import Layout
from sopkit.layout.lifecycle import (
    DETAIL_LIMIT,
    Group,
    collapsed_lifecycle_layout,
    folder_groups,
    lifecycle_layout,
    phase_title,
)
from sopkit.layout.workflow import role_name, step_lane, workflow_edges, workflow_layout
from sopkit.model import Role, Sop, Step
from sopkit.render.diagram_svg import diagram_svg
from sopkit.render.escape import html_text
from sopkit.units import format_hours


@dataclass(frozen=True)
class DiagramLimits:
    """How large a generated diagram may be before a page shows a reason instead of it."""

    max_nodes: int = 150
    """Boxes in one diagram (steps, SOPs or folders); beyond this a drawing is a wall of boxes."""
    max_edges: int = 300
    """Arrows in one diagram."""
    lifecycle_detail: int = DETAIL_LIMIT
    """SOPs up to which the lifecycle map draws one box per SOP; above it, one per folder."""


DEFAULT_LIMITS = DiagramLimits()


@dataclass(frozen=True)
class Diagram:
    """A diagram as one HTML block, or the reason it was not drawn; never both.

    Both are None when there is nothing to draw (an SOP without steps, no SOPs).
    """

    html: str | None = None
    too_large: str | None = None

    def __post_init__(self) -> None:
        if self.html is not None and self.too_large is not None:
            raise ValueError("a Diagram has either html or a too_large reason, not both")


def workflow_diagram(
    sop: Sop,
    roles: Mapping[str, Role],
    step_href: Callable[[Step], str] | None = None,
    role_href: Callable[[str], str | None] | None = None,
    limits: DiagramLimits = DEFAULT_LIMITS,
) -> Diagram:
    """The steps of `sop` in one lane per Responsible role, each step linked by `step_href`."""
    if not sop.steps:
        return Diagram()
    reason = _over_limit(len(sop.steps), "step", len(workflow_edges(sop)), limits)
    if reason:
        return Diagram(too_large=reason)
    layout = workflow_layout(sop, roles, step_href, role_href)
    title = f"Workflow of {' '.join(sop.title.split())}"
    svg = diagram_svg(layout, title, workflow_description(sop, roles, layout), "workflow")
    numbers = {step.id: step.index + 1 for step in sop.steps}
    path = " → ".join(str(numbers[s]) for s in sop.critical_path if s in numbers) or "none"
    decisions = (
        " Diamonds: decisions, each way out labelled with its answer."
        if any(step.is_decision for step in sop.steps)
        else ""
    )
    worst = " (the longest way)" if decisions else ""
    legend = (
        "Lanes: who is Responsible. Rounded boxes: tasks; pointed boxes: approvals, with their "
        f"SLA.{decisions} Thick outline and arrows: the critical path{worst} (steps {path}). "
        "Dashed arrows: changes requested. Select a step to read it."
    )
    return Diagram(html=_block(svg, legend, "workflow", title))


def workflow_description(sop: Sop, roles: Mapping[str, Role], layout: Layout) -> str:
    """The flow in words, for readers who do not see the drawing."""
    numbers = {step.id: step.index + 1 for step in sop.steps}
    titles = {step.id: " ".join(step.title.split()) for step in sop.steps}
    out: dict[str, list[str]] = {}
    back: dict[str, str] = {}
    for edge in layout.edges:
        target = f"{numbers[edge.spec.target]}. {titles[edge.spec.target]}"
        if edge.spec.kind == "rejected":
            back[edge.spec.source] = target
        elif edge.spec.kind == "branch":
            decision = sop.step(edge.spec.source)
            answers = [
                " ".join(b.when.split())
                for b in (decision.branches if decision else ())
                if b.to == edge.spec.target
            ]
            out.setdefault(edge.spec.source, []).append(f"if {' or '.join(answers)}: {target}")
        else:
            out.setdefault(edge.spec.source, []).append(target)
    lanes = ", ".join(lane.spec.title for lane in layout.lanes)
    count = len(layout.nodes)
    sentences = [
        f"{count} step{'s' if count != 1 else ''} in {len(layout.lanes)} "
        f"lane{'s' if len(layout.lanes) != 1 else ''}: {lanes}."
    ]
    for node in layout.nodes:
        step = sop.step(node.spec.key)
        if step is None:
            continue
        facts = [role_name(roles, step_lane(step))]
        if step.is_approval:
            facts.append("approval")
        if step.is_decision:
            facts.append("decision")
        if step.hours:
            facts.append(format_hours(step.hours))
        text = f"{numbers[step.id]}. {titles[step.id]} ({', '.join(facts)})"
        nexts = out.get(step.id, [])
        if step.is_approval:
            text += ": approved, then " + ("; ".join(nexts) if nexts else "done")
            if step.id in back:
                text += f"; changes requested, back to {back[step.id]}"
        elif nexts:
            text += ", then " + "; ".join(nexts)
        sentences.append(text + ".")
    return " ".join(sentences)


def lifecycle_diagram(
    sops: Sequence[Sop],
    phases: Sequence[str],
    sop_href: Callable[[Sop], str] | None = None,
    phase_href: Callable[[str], str | None] | None = None,
    sops_dir: str = "sops",
    limits: DiagramLimits = DEFAULT_LIMITS,
) -> Diagram:
    """Every SOP in its phase's lane with `next` (solid) and `requires` (dashed) arrows.

    Above `limits.lifecycle_detail` SOPs, one box per folder of each phase, linked by
    `phase_href(phase)` (the phase's list of SOPs).
    """
    if not sops:
        return Diagram()
    detailed = len({sop.id for sop in sops}) <= limits.lifecycle_detail
    if detailed:
        layout = lifecycle_layout(sops, phases, sop_href, phase_href)
        noun = "SOP"
    else:

        def group_href(group: Group) -> str | None:
            return phase_href(group.phase) if phase_href else None

        layout = collapsed_lifecycle_layout(sops, phases, sops_dir, group_href, phase_href)
        noun = "folder"
    reason = _over_limit(len(layout.nodes), noun, len(layout.edges), limits)
    if reason:
        return Diagram(too_large=reason)
    title = "Lifecycle map"
    svg = diagram_svg(layout, title, _lifecycle_description(layout, sops), "lifecycle")
    legend = (
        "Lanes: phases. Solid arrow: hands over to (next). Dashed arrow: read first (requires)."
    )
    if any(edge.spec.kind == "calls" for edge in layout.edges):
        legend += " Arrow labelled “runs”: a step runs that SOP as a sub-procedure."
    if detailed:
        legend += " Select an SOP to open it."
    else:
        count = len(folder_groups(sops, sops_dir))
        legend += (
            f" {len({s.id for s in sops})} SOPs are too many for one box each: a box is one folder"
            f" of a phase ({count} boxes) with its number of SOPs; select it for the list."
        )
    return Diagram(html=_block(svg, legend, "lifecycle", title))


def _lifecycle_description(layout: Layout, sops: Sequence[Sop]) -> str:
    titles = {sop.id: " ".join(sop.title.split()) for sop in sops}
    names = {node.spec.key: titles.get(node.spec.key, node.spec.title) for node in layout.nodes}
    sentences = []
    for lane_index, lane in enumerate(layout.lanes):
        members = [names[n.spec.key] for n in layout.nodes if n.spec.lane == lane_index]
        sentences.append(f"{phase_title(lane.spec.key)}: {', '.join(members)}.")
    for edge in layout.edges:
        a, b = names[edge.spec.source], names[edge.spec.target]
        if edge.spec.kind == "next":
            sentences.append(f"{a} hands over to {b}.")
        elif edge.spec.kind == "calls":
            sentences.append(f"{a} runs {b} as a sub-procedure.")
        else:
            sentences.append(f"{b} requires {a}.")
    return " ".join(sentences)


def _block(svg: str, legend: str, kind: str, title: str) -> str:
    # One line: a Markdown HTML block ends at the first blank line. The scroll box is focusable
    # so a keyboard can scroll a diagram wider than the column. Search skips the drawing: the
    # page's own step list says the same and search results should point there.
    return (
        f'<div class="sopkit-diagram sopkit-diagram--{kind} sopkit-workflow" '
        'data-search-exclude="">'
        f'<div class="sopkit-diagram__scroll" tabindex="0" role="region" '
        f'aria-label="{html_text(title)}">{svg}</div>'
        f'<p class="sopkit-legend" data-search-exclude="">{html_text(legend)}</p></div>'
    )


def _over_limit(nodes: int, noun: str, edges: int, limits: DiagramLimits) -> str | None:
    what = f"{_count(nodes, noun)} and {_count(edges, 'link')}"
    if nodes > limits.max_nodes:
        return f"{what} exceed the {limits.max_nodes}-box limit of a readable diagram"
    if edges > limits.max_edges:
        return f"{what} exceed the {limits.max_edges}-link limit of a readable diagram"
    return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
