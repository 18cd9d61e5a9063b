"""The workflow of an SOP and the lifecycle map of a handbook, drawn at build time as inline SVG.

Pure: no MkDocs. `layout/` places lanes, boxes and edges; `diagram_svg` draws them; this module
chooses what to draw, writes the words around it (title, description, legend) and wraps it in
the HTML block every page, macro and `sopkit build-md` emits. Handbook strings are escaped by
`svg_text` / `html_text`; no JavaScript is needed to see a diagram.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sopkit.labels import ENGLISH, Labels
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
    t: Labels = ENGLISH,
) -> Diagram:
    """The steps of `sop` in one lane per Responsible role, each step linked by `step_href`."""
    if not sop.steps:
        return Diagram()
    reason = _over_limit(len(sop.steps), "count.steps", len(workflow_edges(sop)), limits, t)
    if reason:
        return Diagram(too_large=reason)
    layout = workflow_layout(sop, roles, step_href, role_href, t)
    title = t("diagram.workflow_title", title=" ".join(sop.title.split()))
    svg = diagram_svg(layout, title, workflow_description(sop, roles, layout, t), "workflow")
    numbers = {step.id: step.index + 1 for step in sop.steps}
    path = " → ".join(str(numbers[s]) for s in sop.critical_path if s in numbers)
    shown = t("sop.critical_steps", list=path) if path else t("common.none")
    if any(step.is_decision for step in sop.steps):
        legend = t("diagram.workflow_legend_decisions", path=shown)
    else:
        legend = t("diagram.workflow_legend", path=shown)
    return Diagram(html=_block(svg, legend, "workflow", title))


def workflow_description(
    sop: Sop, roles: Mapping[str, Role], layout: Layout, t: Labels = ENGLISH
) -> str:
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
            said = t("common.or").join(answers)
            out.setdefault(edge.spec.source, []).append(t("diagram.if", answers=said, step=target))
        else:
            out.setdefault(edge.spec.source, []).append(target)
    sentences = [
        t(
            "diagram.summary",
            steps=t("count.steps", n=len(layout.nodes)),
            lanes=t("count.lanes", n=len(layout.lanes)),
            names=", ".join(lane.spec.title for lane in layout.lanes),
        )
    ]
    for node in layout.nodes:
        step = sop.step(node.spec.key)
        if step is None:
            continue
        facts = [role_name(roles, step_lane(step), t)]
        if step.is_approval:
            facts.append(t("diagram.approval"))
        if step.is_decision:
            facts.append(t("diagram.decision"))
        if step.hours:
            facts.append(t.duration(step.hours))
        text = t(
            "diagram.step", step=f"{numbers[step.id]}. {titles[step.id]}", facts=", ".join(facts)
        )
        nexts = "; ".join(out.get(step.id, []))
        if step.is_approval and step.id in back:
            nexts = nexts or t("diagram.done")
            sentences.append(t("diagram.approved_back", step=text, next=nexts, back=back[step.id]))
        elif step.is_approval:
            sentences.append(t("diagram.approved_then", step=text, next=nexts or t("diagram.done")))
        elif nexts:
            sentences.append(t("diagram.then", step=text, next=nexts))
        else:
            sentences.append(text + ".")
    return " ".join(sentences)


def lifecycle_diagram(
    sops: Sequence[Sop],
    phases: Sequence[str],
    sop_href: Callable[[Sop], str] | None = None,
    phase_href: Callable[[str], str | None] | None = None,
    sops_dir: str = "sops",
    limits: DiagramLimits = DEFAULT_LIMITS,
    t: Labels = ENGLISH,
) -> Diagram:
    """Every SOP in its phase's lane with `next` (solid) and `requires` (dashed) arrows.

    Above `limits.lifecycle_detail` SOPs, one box per folder of each phase, linked by
    `phase_href(phase)` (the phase's list of SOPs).
    """
    if not sops:
        return Diagram()
    detailed = len({sop.id for sop in sops}) <= limits.lifecycle_detail
    if detailed:
        layout = lifecycle_layout(sops, phases, sop_href, phase_href, t)
        noun = "count.sops"
    else:

        def group_href(group: Group) -> str | None:
            return phase_href(group.phase) if phase_href else None

        layout = collapsed_lifecycle_layout(sops, phases, sops_dir, group_href, phase_href, t)
        noun = "count.folders"
    reason = _over_limit(len(layout.nodes), noun, len(layout.edges), limits, t)
    if reason:
        return Diagram(too_large=reason)
    title = t("diagram.lifecycle_title")
    svg = diagram_svg(layout, title, _lifecycle_description(layout, sops, t), "lifecycle")
    legend = t("diagram.lifecycle_legend")
    if any(edge.spec.kind == "calls" for edge in layout.edges):
        legend += " " + t("diagram.lifecycle_calls")
    if detailed:
        legend += " " + t("diagram.lifecycle_select")
    else:
        boxes = t("count.boxes", n=len(folder_groups(sops, sops_dir)))
        many = t("count.sops", n=len({s.id for s in sops}))
        legend += " " + t("diagram.lifecycle_folders", sops=many, boxes=boxes)
    return Diagram(html=_block(svg, legend, "lifecycle", title))


def _lifecycle_description(layout: Layout, sops: Sequence[Sop], t: Labels) -> str:
    titles = {sop.id: " ".join(sop.title.split()) for sop in sops}
    names = {node.spec.key: titles.get(node.spec.key, node.spec.title) for node in layout.nodes}
    sentences = []
    for lane_index, lane in enumerate(layout.lanes):
        members = [names[n.spec.key] for n in layout.nodes if n.spec.lane == lane_index]
        phase = phase_title(lane.spec.key, t)
        sentences.append(t("diagram.phase_members", phase=phase, members=", ".join(members)))
    for edge in layout.edges:
        a, b = names[edge.spec.source], names[edge.spec.target]
        if edge.spec.kind == "next":
            sentences.append(t("diagram.hands_over", sop=a, next=b))
        elif edge.spec.kind == "calls":
            sentences.append(t("diagram.calls", sop=a, called=b))
        else:
            sentences.append(t("diagram.requires", sop=b, first=a))
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


def _over_limit(nodes: int, noun: str, edges: int, limits: DiagramLimits, t: Labels) -> str | None:
    """Why a diagram is not drawn, if it is too large; `noun` is the label key of its boxes."""
    what: dict[str, Any] = {"boxes": t(noun, n=nodes), "links": t("count.links", n=edges)}
    if nodes > limits.max_nodes:
        return t("diagram.too_many_boxes", limit=limits.max_nodes, **what)
    if edges > limits.max_edges:
        return t("diagram.too_many_links", limit=limits.max_edges, **what)
    return None
