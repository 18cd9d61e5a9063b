"""The timeline of an SOP page: one bar per step on an axis of working days, drawn at build time.

Rows follow the lanes of the workflow diagram (a step sits in the lane of its first R, lanes in
the diagram's order; steps in written order within a lane). A bar runs from the step's start
to its finish by the schedule rule (`sopkit.schedule`), so the axis and the run page's due days
agree; a step without a duration is a diamond at its finish. The critical path is marked by a
thick outline and a triangle before the label, not by colour alone; approvals are hatched with a
dashed outline. A decision (format 1.2) is a hollow diamond where it is made; the steps of its
branches are drawn at their latest (the longest way) and say on which answer they run. Text is
`currentColor` and escaped here; the SVG is one line (an HTML block in
Markdown ends at a blank line), scales to its column and needs no script.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sopkit.labels import ENGLISH, Labels
from sopkit.layout.workflow import UNASSIGNED, role_name, step_lane
from sopkit.model import Role, Sop, Step
from sopkit.render.escape import css_class, html_text
from sopkit.render.svg import number
from sopkit.schedule import MINUTES_PER_DAY

MAX_STEPS = 150
"""Above this, the page shows a note instead (the run page lists every step with its due day)."""
WIDTH = 640
LABEL_RIGHT = 206  # step labels end here, right-aligned
PLOT_LEFT = 214
PLOT_RIGHT = WIDTH - 12
AXIS_TOP = 34  # the day numbers sit above this line
ROW = 20
BAR = 12
FONT = 11
MAX_LABEL = 32  # characters; longer titles are cut with an ellipsis (the step list has them)
CRITICAL_MARK = "\u25b2"  # a triangle before the label of a critical step
MILESTONE_HALF = 5


@dataclass(frozen=True)
class Timeline:
    """The SVG (empty when there is none) and, when there is none, why."""

    svg: str
    note: str = ""


def lanes(sop: Sop) -> list[tuple[str, list[Step]]]:
    """Steps grouped by lane, in the workflow diagram's lane order (`layout.workflow`): roles by
    first appearance as a first R, then "Unassigned" (`UNASSIGNED`); steps in written order."""
    grouped: dict[str, list[Step]] = {}
    for step in sop.steps:
        grouped.setdefault(step_lane(step), []).append(step)
    unassigned = grouped.pop(UNASSIGNED, None)
    return [*grouped.items(), *([(UNASSIGNED, unassigned)] if unassigned else [])]


def _tick_step(days: int) -> int:
    """Days between labelled ticks: at most about a dozen labels."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if days / step <= 12:
            return step
    return 1000


def timeline(sop: Sop, roles: Mapping[str, Role], t: Labels = ENGLISH) -> Timeline:
    """The timeline of `sop`, or a note saying why there is none."""
    plan = sop.schedule
    if not sop.steps:
        return Timeline("", t("timeline.no_steps"))
    if not plan.slots:
        return Timeline("", t("timeline.loop"))
    if len(sop.steps) > MAX_STEPS:
        count = t("count.steps", n=len(sop.steps))
        return Timeline("", t("timeline.too_many", steps=count, limit=MAX_STEPS))
    days = max(plan.days, 1)
    span = PLOT_RIGHT - PLOT_LEFT
    prefix = f"sopkit-tl-{css_class(sop.id)}"

    def x(minute: int) -> float:
        return PLOT_LEFT + span * minute / (days * MINUTES_PER_DAY)

    groups = lanes(sop)
    rows = sum(1 + len(steps) for _, steps in groups)
    height = AXIS_TOP + rows * ROW + 8
    critical = set(plan.critical_path)
    summary = t(
        "timeline.summary",
        steps=t("count.steps", n=len(sop.steps)),
        days=t("lead.days", n=days),
        path=", ".join(_label(sop, s) for s in plan.critical_path) or t("common.none"),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sopkit-timeline__svg" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{html_text(summary)}" '
        f'font-size="{FONT}" data-days="{days}">',
        f"<title>{html_text(summary)}</title>",
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="currentColor" '
        f'fill-opacity="0.12"/><line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" '
        f'stroke-width="2.5"/></pattern></defs>',
        f'<text x="{PLOT_LEFT}" y="11" fill="currentColor" font-weight="bold">'
        f"{html_text(t('timeline.axis'))}</text>",
    ]
    tick = _tick_step(days)
    bottom = height - 8
    for day in range(0, days + 1):
        left = number(x(day * MINUTES_PER_DAY))
        parts.append(
            f'<line x1="{left}" y1="{AXIS_TOP - 4}" x2="{left}" y2="{bottom}" '
            f'stroke="currentColor" stroke-opacity="{0.35 if day % tick == 0 else 0.12}"/>'
        )
        if day % tick == 0 and day < days:
            centre = number(x(day * MINUTES_PER_DAY + MINUTES_PER_DAY // 2))
            parts.append(
                f'<text x="{centre}" y="{AXIS_TOP - 8}" text-anchor="middle" '
                f'fill="currentColor">{day}</text>'
            )
    row = 0
    for lane, steps in groups:
        top = AXIS_TOP + row * ROW
        name = role_name(roles, lane, t)
        parts.append(
            f'<text x="4" y="{top + ROW - 6}" fill="currentColor" font-weight="bold" '
            f'font-style="italic">{html_text(_short(_plain(name), 40))}</text>'
        )
        row += 1
        for step in steps:
            parts.append(_bar(sop, step, AXIS_TOP + row * ROW, x, critical, prefix, t))
            row += 1
    parts.append("</svg>")
    return Timeline("".join(parts))


def _bar(
    sop: Sop,
    step: Step,
    top: int,
    x: Callable[[int], float],
    critical: set[str],
    prefix: str,
    t: Labels,
) -> str:
    slot = sop.schedule.slots[step.id]
    on_path = step.id in critical
    label = _label(sop, step.id)
    short = _short(label, MAX_LABEL)
    if on_path:
        short = f"{CRITICAL_MARK} {short}"
    start_day, due = slot.start // MINUTES_PER_DAY, slot.due_day
    if slot.finish == slot.start:
        when = t("timeline.no_duration", day=due)
    elif start_day == due:
        when = t("timeline.day", day=start_day)
    else:
        when = t("timeline.days", start=start_day, due=due)
    facts = [when]
    if step.hours:
        facts.append(t.duration(step.hours))
    if step.is_approval:
        facts.append(t("timeline.approval"))
    if step.is_decision:
        facts.append(t("timeline.decision", exits="; ".join(_exits(sop, step, t))))
    answers = _answers(sop, step, t)
    if answers:
        facts.append(t("timeline.only_when", answers=answers))
    if on_path:
        facts.append(t("timeline.critical"))
    described = f"{label}: {', '.join(facts)}"
    baseline = top + ROW - 6
    kind = "approval" if step.is_approval else "decision" if step.is_decision else "task"
    classes = "sopkit-timeline__bar" + (" sopkit-timeline__bar--critical" if on_path else "")
    stroke = (
        'stroke="currentColor" stroke-width="2.5"'
        if on_path
        else 'stroke="currentColor" stroke-width="1" stroke-opacity="0.6"'
    )
    if step.is_approval:
        stroke += ' stroke-dasharray="3 2"'
    bar_top = top + (ROW - BAR) / 2
    left, right = x(slot.start), x(slot.finish)
    decision = ""
    if step.is_decision:
        # A hollow diamond where the decision is made, after the time it takes (if any).
        cx, cy = right, top + ROW / 2
        half = MILESTONE_HALF + 2
        decision = (
            f'<path class="sopkit-timeline__decision" d="M{number(cx)} {number(cy - half)} '
            f"L{number(cx + half)} {number(cy)} L{number(cx)} {number(cy + half)} "
            f'L{number(cx - half)} {number(cy)} Z" fill="none" stroke="currentColor" '
            f'stroke-width="{2.5 if on_path else 1.5}"/>'
        )
    if step.is_decision and slot.finish == slot.start:
        shape = ""
    elif slot.finish == slot.start:
        cx, cy = right, top + ROW / 2
        half = MILESTONE_HALF + (1 if on_path else 0)
        shape = (
            f'<path class="{classes}" d="M{number(cx)} {number(cy - half)} '
            f"L{number(cx + half)} {number(cy)} L{number(cx)} {number(cy + half)} "
            f'L{number(cx - half)} {number(cy)} Z" fill="currentColor" {stroke}/>'
        )
    else:
        opacity = "0.8" if on_path else "0.4"
        fill = (
            f' fill="url(#{prefix}-hatch)"'
            if step.is_approval
            else f' fill="currentColor" fill-opacity="{opacity}"'
        )
        bar_class = "" if step.is_approval else f' class="{classes}"'
        shape = (
            f'<rect{bar_class} x="{number(left)}" y="{number(bar_top)}" '
            f'width="{number(max(right - left, 1.5))}" height="{BAR}" rx="2"{fill} {stroke}/>'
        )
    weight = ' font-weight="bold"' if on_path else ""
    branch = f' data-branch="{html_text(answers)}"' if answers else ""
    return (
        f'<g class="sopkit-timeline__step" data-timeline-step="{html_text(step.id)}" '
        f'data-kind="{kind}" data-critical="{"true" if on_path else "false"}" '
        f'data-start-day="{start_day}" data-due-day="{due}"{branch}>'
        f"<title>{html_text(described)}</title>"
        f'<text x="{LABEL_RIGHT}" y="{baseline}" text-anchor="end" fill="currentColor"{weight}>'
        f"{html_text(short)}</text>{shape}{decision}</g>"
    )


def _answers(sop: Sop, step: Step, t: Labels) -> str:
    """`"Returned"` (or `"Yes" or "Maybe"`): the answers of decisions that lead to `step`."""
    found = [
        f"“{_plain(b.when)}”"
        for gate in sop.steps
        if gate.is_decision
        for b in gate.branches
        if b.to == step.id
    ]
    return t("common.or").join(dict.fromkeys(found))


def _exits(sop: Sop, step: Step, t: Labels) -> list[str]:
    return [
        t("timeline.exit", answer=_plain(b.when), step=_label(sop, b.to)) for b in step.branches
    ]


def _label(sop: Sop, step_id: str) -> str:
    step = sop.step(step_id)
    return f"{step.index + 1}. {_plain(step.title)}" if step else step_id


def _plain(text: str) -> str:
    return " ".join(text.split())


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
