"""References between things of the handbook, resolved for every page that shows them.

A reference to an id the handbook does not define (possible while `mkdocs serve` keeps running
with errors) shows the id as text and links nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, Sop, Step
from sopkit.render import links
from sopkit.render.escape import html_text, md_cell, md_html_text
from sopkit.schedule import due_day
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


def lead_time_text(sop: Sop, t: Labels = ENGLISH) -> str:
    """`9 working days`, `about 6 hours`, `about 45 minutes` or `not estimated`.

    From a working day on, the figure is the days a run touches by the schedule rule (the due
    day of its last step, plus one), so it matches the run page's finish date and the timeline.
    """
    plan = sop.schedule
    text = _lead_text(plan.lead_minutes, plan.days, t)
    if plan.lead_minutes_min != plan.lead_minutes:
        # Decisions (format 1.2): the figure is the worst case; say the best one too.
        best = _lead_text(plan.lead_minutes_min, due_day(plan.lead_minutes_min) + 1, t)
        best = t("lead.no_time") if plan.lead_minutes_min == 0 else best
        if best != text:
            return t("lead.branches", longest=text, quickest=best)
    return text


def _lead_text(minutes: int, days: int, t: Labels) -> str:
    hours = minutes / 60
    if hours <= 0:
        return t("lead.not_estimated")
    if hours < 1:
        return t("lead.minutes", n=round(hours * 60))
    if hours < HOURS_PER_DAY:
        return t("lead.hours", n=round(hours * 2) / 2)
    return t("lead.days", n=days)


REVIEW_SOON_DAYS = 30
"""A review due within this many days is `due-soon` (the browser's copy: sopkit-reviews.js)."""


@dataclass(frozen=True)
class ReviewState:
    state: str  # ok | due-soon | overdue | none
    text: str


def review_attributes(
    state: str,
    due: dt.date | None,
    today: dt.date,
    fmt: str,
    *,
    pinned: bool = False,
    reviewed: dt.date | None = None,
    every: str | None = None,
    shared: bool = False,
) -> str:
    """The HTML attributes of an element that shows a review state, each with a leading space.

    `data-review` is the state as of `today` (the fallback without JavaScript). With a due date,
    `data-review-due` and `data-review-format` (`chip`, `short`, `days`: the wording of the
    text) let sopkit-reviews.js recompute state and text from the reader's date; `chip` also
    needs `data-reviewed` and `data-review-every`. A site that pins `today` gets
    `data-review-today`, the date the browser then uses instead of its clock. With `shared`,
    those two are left to an ancestor that holds them for all its review states
    (`shared_review_attributes`): a table of a thousand rows says them once.
    """
    attrs = {"data-review": state}
    if due is not None:
        attrs["data-review-due"] = due.isoformat()
        if not shared:
            attrs["data-review-format"] = fmt
        if reviewed is not None:
            attrs["data-reviewed"] = reviewed.isoformat()
        if every is not None:
            attrs["data-review-every"] = every
        if pinned and not shared:
            attrs["data-review-today"] = today.isoformat()
    return "".join(f' {name}="{md_html_text(value)}"' for name, value in attrs.items())


def shared_review_attributes(today: dt.date, fmt: str, pinned: bool = False) -> str:
    """`data-review-format` (and `data-review-today` on a site that pins `today`) for an
    element whose review states leave them out (`review_attributes(..., shared=True)`)."""
    attrs = {"data-review-format": fmt}
    if pinned:
        attrs["data-review-today"] = today.isoformat()
    return "".join(f' {name}="{md_html_text(value)}"' for name, value in attrs.items())


def sop_review_attributes(
    sop: Sop, today: dt.date, fmt: str, pinned: bool = False, shared: bool = False
) -> str:
    """`review_attributes` of an SOP's review state."""
    due = sop.review_due if sop.reviewed is not None else None
    return review_attributes(
        review_state(sop, today).state,
        due,
        today,
        fmt,
        pinned=pinned,
        reviewed=sop.reviewed if fmt == "chip" else None,
        every=sop.review_every if fmt == "chip" else None,
        shared=shared,
    )


def review_state(
    sop: Sop, today: dt.date, soon_days: int = REVIEW_SOON_DAYS, t: Labels = ENGLISH
) -> ReviewState:
    if sop.reviewed is None:
        return ReviewState("none", t("review.never"))
    due = sop.review_due
    reviewed = t.date(sop.reviewed)
    if due is None:
        return ReviewState("ok", t("review.reviewed", date=reviewed))
    every = t.interval(sop.review_every)
    shown: dict[str, Any] = {"date": reviewed, "due": t.date(due), "every": every}
    if due < today:
        return ReviewState("overdue", t("review.overdue", **shown))
    if (due - today).days <= soon_days:
        return ReviewState("due-soon", t("review.due_soon", **shown))
    return ReviewState("ok", t("review.next", **shown))


def letter_names(t: Labels = ENGLISH) -> dict[str, str]:
    """R, A, C and I in words, in the site's language."""
    return {letter: t(f"letter.{letter}") for letter in LETTER_NAMES}


def review_cell(
    sop: Sop, today: dt.date, pinned: bool = False, t: Labels = ENGLISH, html: bool = False
) -> str:
    """The review state of an SOP for a Markdown table cell (or, with `html`, an HTML one): its
    text (as on the SOP's chip) in a span with the attributes the browser recomputes it from."""
    state = review_state(sop, today, t=t)
    attributes = sop_review_attributes(sop, today, "chip", pinned)
    # No attribute value can hold a `|` that would split the cell: states, dates and a valid
    # interval (`review_every` is only written when it gives a due date).
    text = html_text(state.text) if html else md_cell(state.text)
    return f'<span class="sopkit-review sopkit-review--{state.state}"{attributes}>{text}</span>'


def review_short(sop: Sop, today: dt.date, t: Labels = ENGLISH) -> str:
    """The review state in a few words: `Overdue since Jan 5, 2026`, `Due Dec 1, 2026`."""
    state = review_state(sop, today).state
    due = sop.review_due
    if state == "none":
        return t("review.never")
    if due is None:
        return t("review.reviewed", date=t.date(sop.reviewed))
    if state == "overdue":
        return t("review.overdue_since", due=t.date(due))
    if state == "due-soon":
        return t("review.due", due=t.date(due))
    return t("review.ok_until", due=t.date(due))


def strongest_letter(letters: str) -> str:
    """A > R > C > I: the letter that says most about a role's part."""
    return max(letters, key=LETTER_STRENGTH.__getitem__) if letters else ""
