"""The workflow of one SOP as a swimlane grid: one lane per Responsible role, steps by rank.

Lanes: one per role that is the first R of some step, in order of first appearance along the
steps (a step without R goes to a last "Unassigned" lane). Ranks: the longest chain of `after`
from a start step; reject loops are not part of it. Approval exits read "approved"; the way back
on "changes requested" is a dashed loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise

from sopkit.labels import ENGLISH, Labels
from sopkit.layout.grid import EdgeInput, LaneInput, Layout, NodeInput, Shape, layout_grid
from sopkit.layout.ranks import longest_chain_ranks
from sopkit.model import Role, Sop, Step

UNASSIGNED = ""  # the lane of steps without R; never a role id (ids are non-empty slugs)
STEP_KINDS: Mapping[str, Shape] = {"task": "task", "approval": "approval", "decision": "decision"}
EDGE_LABELS = {"approved": "diagram.approved", "rejected": "diagram.changes_requested"}
"""The label keys (`sopkit.labels`) of the edges that have a label."""


def step_lane(step: Step) -> str:
    return step.raci.responsible[0] if step.raci.responsible else UNASSIGNED


def role_name(roles: Mapping[str, Role], role_id: str, t: Labels = ENGLISH) -> str:
    if role_id == UNASSIGNED:
        return t("diagram.unassigned")
    role = roles.get(role_id)
    return role.name if role is not None else role_id


def step_kind(step: Step) -> str:
    """The kind a diagram shows: `task`, `approval` or `decision`."""
    return step.kind if step.kind in STEP_KINDS else "task"


def workflow_edges(sop: Sop, t: Labels = ENGLISH) -> list[EdgeInput]:
    """Forward links in step order (`after`), then the reject loops of approvals."""
    known = {step.id for step in sop.steps}
    critical = set(pairwise(sop.critical_path))
    edges: list[EdgeInput] = []
    seen: set[str] = set()
    for step in sop.steps:
        if step.id in seen:
            continue
        seen.add(step.id)
        for pred_id in dict.fromkeys(step.after):
            pred = sop.step(pred_id)
            if pred is None or pred_id == step.id:
                continue
            answers = [b.when for b in pred.branches if b.to == step.id]
            if pred.is_decision and answers:
                label: str | None = branch_label(answers)
                kind = "branch"
            else:
                kind = "approved" if pred.is_approval else "flow"
                label = t(EDGE_LABELS[kind]) if kind in EDGE_LABELS else None
            edges.append(
                EdgeInput(
                    pred_id,
                    step.id,
                    kind,
                    label,
                    critical=(pred_id, step.id) in critical,
                )
            )
    for step in sop.steps:
        if step.is_approval and step.on_reject in known and step.on_reject != step.id:
            assert step.on_reject is not None
            edges.append(
                EdgeInput(
                    step.id, step.on_reject, "rejected", t(EDGE_LABELS["rejected"]), dashed=True
                )
            )
    return edges


MAX_BRANCH_LABEL = 24  # characters: a longer answer is cut (the step list has it whole)


def branch_label(answers: list[str]) -> str:
    """The label of a decision's exit: its answer (`Returned`), or answers (`Yes / Maybe`)."""
    text = " / ".join(" ".join(answer.split()) for answer in answers)
    if len(text) <= MAX_BRANCH_LABEL:
        return text
    return text[: MAX_BRANCH_LABEL - 1].rstrip() + "\u2026"


def workflow_layout(
    sop: Sop,
    roles: Mapping[str, Role],
    step_href: Callable[[Step], str] | None = None,
    role_href: Callable[[str], str | None] | None = None,
    t: Labels = ENGLISH,
) -> Layout:
    """Lay out the steps of `sop`. `step_href(step)` and `role_href(role_id)` give the links of
    steps and lane headers (None: no link)."""
    steps: list[Step] = []
    for step in sop.steps:
        if all(step.id != s.id for s in steps):
            steps.append(step)  # a repeated id (a reported error) means its first step
    lane_ids = list(dict.fromkeys(step_lane(s) for s in steps if step_lane(s) != UNASSIGNED))
    if any(step_lane(s) == UNASSIGNED for s in steps):
        lane_ids.append(UNASSIGNED)
    lane_index = {role: i for i, role in enumerate(lane_ids)}
    lanes = [
        LaneInput(
            role,
            role_name(roles, role, t),
            role_href(role) if role_href is not None and role != UNASSIGNED else None,
        )
        for role in lane_ids
    ]
    known = {step.id for step in steps}
    ranks = longest_chain_ranks(
        [s.id for s in steps], {s.id: [a for a in s.after if a in known] for s in steps}
    )
    critical = set(sop.critical_path)
    nodes = [
        NodeInput(
            key=step.id,
            lane=lane_index[step_lane(step)],
            rank=ranks[step.id],
            shape=STEP_KINDS[step_kind(step)],
            title=f"{step.index + 1}. {step.title}",
            meta=_meta(step, roles, t),
            href=step_href(step) if step_href is not None else None,
            tooltip=step_tooltip(step, roles, t),
            critical=step.id in critical,
            attrs=(("data-step", step.id), ("data-kind", step_kind(step))),
        )
        for step in steps
    ]
    return layout_grid(lanes, nodes, workflow_edges(sop, t))


def _meta(step: Step, roles: Mapping[str, Role], t: Labels) -> tuple[str, ...]:
    lines = []
    if step.is_approval:
        sla = t("diagram.sla", time=t.duration(step.hours)) if step.hours else None
        lines.append(sla or t("diagram.sla_not_set"))
    elif step.hours:
        lines.append(t.duration(step.hours))
    others = step.raci.responsible[1:]
    if others:
        lines.append(t("diagram.with", roles=", ".join(role_name(roles, r, t) for r in others)))
    return tuple(lines)


def step_tooltip(step: Step, roles: Mapping[str, Role], t: Labels = ENGLISH) -> str:
    """The full text of a step's box: number, title, kind, who, how long."""
    parts = [f"{step.index + 1}. {' '.join(step.title.split())}"]
    kind = step_kind(step)
    if kind != "task":
        parts.append(t.known(f"step.{kind}") or kind.capitalize())
    if step.raci.responsible:
        parts.append("R: " + ", ".join(role_name(roles, r, t) for r in step.raci.responsible))
    if step.raci.accountable:
        parts.append("A: " + ", ".join(role_name(roles, r, t) for r in step.raci.accountable))
    if step.hours:
        time = t.duration(step.hours)
        parts.append(t("diagram.sla", time=time) if step.is_approval else time)
    return " · ".join(parts)
