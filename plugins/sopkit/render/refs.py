"""References between things of the handbook, resolved for every page that shows them.

A reference to an id the handbook does not define (possible while `mkdocs serve` keeps running
with errors) shows the id as text and links nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sopkit.model import Library, Sop, Step
from sopkit.render import links
from sopkit.units import HOURS_PER_DAY

LETTER_NAMES = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
LETTER_STRENGTH = {"A": 4, "R": 3, "C": 2, "I": 1}


@dataclass(frozen=True)
class RoleRef:
    id: str
    name: str
    team: str | None
    page: str | None
    known: bool = True
    """False for an id that roles.yml does not define: pages mark it instead of passing it off."""


@dataclass(frozen=True)
class ToolRef:
    id: str
    name: str
    purpose: str | None
    page: str | None


@dataclass(frozen=True)
class SopRef:
    id: str
    title: str
    page: str | None


def role_ref(library: Library, role_id: str) -> RoleRef:
    role = library.roles.get(role_id)
    if role is None:
        return RoleRef(role_id, role_id, None, None, known=False)
    return RoleRef(role.id, role.name, role.team, links.role_page(role.id))


def tool_ref(library: Library, tool_id: str) -> ToolRef:
    tool = library.tools.get(tool_id)
    if tool is None:
        return ToolRef(tool_id, tool_id, None, None)
    return ToolRef(tool.id, tool.name, tool.purpose, links.tool_page(tool.id))


def sop_ref(library: Library, sop_id: str) -> SopRef:
    sop = library.sop(sop_id)
    if sop is None:
        return SopRef(sop_id, sop_id, None)
    return SopRef(sop.id, sop.title, links.sop_page(sop))


def step_number(step: Step) -> int:
    return step.index + 1


def lead_time_text(sop: Sop) -> str:
    """`9 working days`, `about 6 hours`, `about 45 minutes` or `not estimated`.

    From a working day on, the figure is the days a run touches by the schedule rule (the due
    day of its last step, plus one), so it matches the run page's finish date and the timeline.
    """
    hours = sop.lead_time_hours
    if hours <= 0:
        return "not estimated"
    if hours < 1:
        return f"about {round(hours * 60)} minutes"
    if hours < HOURS_PER_DAY:
        shown = round(hours * 2) / 2
        return f"about {shown:g} hour{'s' if shown != 1 else ''}"
    days = sop.schedule.days
    return f"{days} working day{'s' if days != 1 else ''}"


@dataclass(frozen=True)
class ReviewState:
    state: str  # ok | due-soon | overdue | none
    text: str


def review_state(sop: Sop, today: dt.date, soon_days: int = 30) -> ReviewState:
    if sop.reviewed is None:
        return ReviewState("none", "Never reviewed")
    due = sop.review_due
    if due is None:
        return ReviewState("ok", f"Reviewed {sop.reviewed}")
    if due < today:
        return ReviewState(
            "overdue",
            f"Reviewed {sop.reviewed}, review overdue since {due} (every {sop.review_every})",
        )
    every = f" (every {sop.review_every})"
    if (due - today).days <= soon_days:
        return ReviewState("due-soon", f"Reviewed {sop.reviewed}, review due {due}{every}")
    return ReviewState("ok", f"Reviewed {sop.reviewed}, next review {due}{every}")


def strongest_letter(letters: str) -> str:
    """A > R > C > I: the letter that says most about a role's part."""
    return max(letters, key=LETTER_STRENGTH.__getitem__) if letters else ""
