"""The working-time rule of the format (section 3, Schedules): one rule for every figure.

A run that starts on a date S is scheduled in working minutes: 8 hours a day, Monday to Friday,
skipping the site's holidays; a start on a day off starts on the next working day, whose
beginning is minute 0. A step starts when every step in its `after` has finished (reject loops
are not edges) and finishes its duration later (none: 0). A step that finishes at minute F is
due on working day ceil(F / 480) - 1 counted from day 0 (F = 0 is day 0). The lead time of an
SOP is the finish of its last step, its critical path the chain of steps that makes it.

Lead times (SOP pages, health, `sops.json`), due days (run pages, the timeline) and due dates
all come from here. The run page's JavaScript (`overrides/assets/sopkit-schedule.js`) is a copy
of this rule, tested on the same cases (`tests/schedule_cases.json`).

Times are whole minutes, so sums are exact and the browser's copy, which receives the same
integers, cannot drift by a rounding. A schedule can leave steps out (`skipped`): a run whose
person picks one branch of a decision (format 1.2) skips the others' steps, and a step that
waits for a skipped step waits only for the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sopkit import graph
from sopkit.units import HOURS_PER_DAY

MINUTES_PER_DAY = HOURS_PER_DAY * 60
WORKING_WEEKDAYS = frozenset(range(5))  # Monday .. Friday


@dataclass(frozen=True)
class Task:
    """What the rule needs of a step: its id, the steps it waits for, its working minutes."""

    id: str
    after: tuple[str, ...]
    minutes: int


@dataclass(frozen=True)
class Slot:
    """When a step runs, in working minutes from the start of day 0."""

    start: int
    finish: int

    @property
    def due_day(self) -> int:
        return due_day(self.finish)


@dataclass(frozen=True)
class Schedule:
    """Every scheduled step's slot (in written order), the critical path and the lead time.

    A step graph with a cycle has no schedule: no slots, no path, a lead time of 0.
    """

    slots: Mapping[str, Slot]
    critical_path: tuple[str, ...]
    lead_minutes: int

    @property
    def lead_time_hours(self) -> float:
        return self.lead_minutes / 60

    @property
    def days(self) -> int:
        """Working days a run touches: the due day of the last step, plus one (0 if no steps)."""
        return due_day(self.lead_minutes) + 1 if self.slots else 0


def minutes(hours: float | None) -> int:
    """Whole working minutes of a duration in hours (None: 0)."""
    return round((hours or 0.0) * 60)


def due_day(finish: int) -> int:
    """The working day (0 = the first) a step finishing at minute `finish` is due on."""
    return (finish - 1) // MINUTES_PER_DAY if finish > 0 else 0


def schedule(tasks: Sequence[Task], skipped: Collection[str] = ()) -> Schedule:
    """The schedule of `tasks` (in written order), leaving out the `skipped` step ids.

    Links to unknown or skipped steps are ignored. When two steps a step waits for finish
    together, the earlier-written one is on its critical path; when two steps end the run
    together, the later-written one ends the path, so a closing step without a duration (publish,
    hand over) is on it. When two tasks share an id, the first counts.
    """
    written: dict[str, Task] = {}
    for task in tasks:
        if task.id not in skipped:
            written.setdefault(task.id, task)
    ids = list(written)
    after = {
        task.id: tuple(p for p in task.after if p in written and p != task.id)
        for task in written.values()
    }
    cyclic = {task.id: task.after for task in written.values()}
    if graph.find_cycle(ids, cyclic):
        return Schedule({}, (), 0)
    rank = {step: index for index, step in enumerate(ids)}
    finish: dict[str, int] = {}
    start: dict[str, int] = {}
    best_pred: dict[str, str | None] = {}
    for step in graph.topological_order(ids, after):
        chosen: str | None = None
        for pred in sorted(after[step], key=rank.__getitem__):
            if chosen is None or finish[pred] > finish[chosen]:
                chosen = pred
        start[step] = finish[chosen] if chosen else 0
        finish[step] = start[step] + written[step].minutes
        best_pred[step] = chosen
    if not ids:
        return Schedule({}, (), 0)
    end = max(ids, key=lambda step: (finish[step], rank[step]))
    path: list[str] = []
    cursor: str | None = end
    while cursor is not None:
        path.append(cursor)
        cursor = best_pred[cursor]
    slots = {step: Slot(start[step], finish[step]) for step in ids}
    return Schedule(slots, tuple(reversed(path)), finish[end])


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() in WORKING_WEEKDAYS and day not in holidays


def working_days(start: dt.date, count: int, holidays: Collection[dt.date] = ()) -> list[dt.date]:
    """The dates of working days 0 .. count-1 of a run that starts on `start`."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if is_working_day(day, holidays):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def due_dates(
    plan: Schedule, start: dt.date, holidays: Iterable[dt.date] = ()
) -> dict[str, dt.date]:
    """The date each scheduled step is due on, for a run that starts on `start`."""
    off = frozenset(holidays)
    if not plan.slots:
        return {}
    calendar = working_days(start, max(slot.due_day for slot in plan.slots.values()) + 1, off)
    return {step: calendar[slot.due_day] for step, slot in plan.slots.items()}


def tasks_of(steps: Iterable[tuple[str, Sequence[str], float | None]]) -> list[Task]:
    """Tasks from `(id, after, hours)` triples, in the order given."""
    return [Task(step_id, tuple(after), minutes(hours)) for step_id, after, hours in steps]


def holiday_dates(value: object) -> tuple[dt.date, ...]:
    """The `holidays` option: a list of dates (YAML dates or `YYYY-MM-DD` strings), sorted, each
    once. Raises ValueError with what was wrong."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"expected a list of dates YYYY-MM-DD, but received {value!r}")
    days: set[dt.date] = set()
    for index, item in enumerate(value, start=1):
        if isinstance(item, dt.datetime):
            item = item.date()
        if isinstance(item, dt.date):
            days.add(item)
            continue
        try:
            days.add(dt.date.fromisoformat(str(item).strip()))
        except ValueError:
            raise ValueError(
                f"item {index}: expected a date YYYY-MM-DD such as 2026-12-25, "
                f"but received {item!r}"
            ) from None
    return tuple(sorted(days))
