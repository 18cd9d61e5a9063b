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

Decisions (format 1.2): the branches of a decision are alternatives. Which steps a choice skips
is `skipped_steps`: a step runs when one of the links into it is live, and a decision's link to
a branch it did not pick is not. `sop_schedule` gives the figures of a whole SOP: every
combination of choices is scheduled, the lead time and the critical path are those of the
longest (the worst case), the shortest is `lead_minutes_min`, and each step's slot is its latest
over the combinations in which it runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from sopkit import graph
from sopkit.units import HOURS_PER_DAY

MINUTES_PER_DAY = HOURS_PER_DAY * 60
WORKING_WEEKDAYS = frozenset(range(5))  # Monday .. Friday


MAX_COMBINATIONS = 512
"""Combinations of choices `sop_schedule` schedules one by one; beyond it every branch counts."""


@dataclass(frozen=True)
class Task:
    """What the rule needs of a step: its id, the steps it waits for, its working minutes.

    A decision lists the steps its branches go to in `branches` (each also waits for it, whether
    or not its `after` says so). `best_minutes` is the duration in the best case when it differs
    (a sub-procedure's shortest lead time); None: `minutes`.
    """

    id: str
    after: tuple[str, ...]
    minutes: int
    branches: tuple[str, ...] = ()
    best_minutes: int | None = None


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
    best_minutes: int | None = None
    """The lead time of the shortest combination of choices, when it differs (format 1.2)."""

    @property
    def lead_time_hours(self) -> float:
        return self.lead_minutes / 60

    @property
    def lead_minutes_min(self) -> int:
        return self.lead_minutes if self.best_minutes is None else self.best_minutes

    @property
    def lead_time_hours_min(self) -> float:
        return self.lead_minutes_min / 60

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
    waits = _waits_for(written.values())
    after = {
        task.id: tuple(p for p in waits[task.id] if p in written and p != task.id)
        for task in written.values()
    }
    cyclic = dict(waits)
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


def _waits_for(tasks: Iterable[Task]) -> dict[str, tuple[str, ...]]:
    """Each task's `after` and the decisions that branch to it, each once, in that order."""
    listed = list(tasks)
    waits = {task.id: list(dict.fromkeys(task.after)) for task in listed}
    for task in listed:
        for target in task.branches:
            if target in waits and task.id not in waits[target]:
                waits[target].append(task.id)
    return {task_id: tuple(preds) for task_id, preds in waits.items()}


def _step_graph(
    tasks: Sequence[Task],
) -> tuple[dict[str, Task], list[str], dict[str, tuple[str, ...]] | None]:
    """The tasks by id (the first written of a repeated id), their ids in order, and what each
    waits for; no waits when the steps form a cycle."""
    written: dict[str, Task] = {}
    for task in tasks:
        written.setdefault(task.id, task)
    ids = list(written)
    waits = _waits_for(written.values())
    return written, ids, None if graph.find_cycle(ids, waits) else waits


def skipped_steps(tasks: Sequence[Task], choices: Mapping[str, str]) -> frozenset[str]:
    """The steps a run skips when each decision in `choices` picked the step it maps to.

    A step that waits for others runs when at least one of the links into it is live: the link
    from a step that runs, except that a decision's link to a step its branch goes to is live
    only when the decision picked that step or is not in `choices` yet. A step without links
    always runs. A step graph with a cycle skips nothing.
    """
    written, ids, waits = _step_graph(tasks)
    if waits is None:
        return frozenset()
    preds = {i: [p for p in waits[i] if p in written and p != i] for i in ids}
    skipped: set[str] = set()
    for step in graph.topological_order(ids, preds):

        def live(pred: str, step: str = step) -> bool:
            if pred in skipped:
                return False
            return step not in written[pred].branches or choices.get(pred, step) == step

        if preds[step] and not any(live(pred) for pred in preds[step]):
            skipped.add(step)
    return frozenset(skipped)


def choice_combinations(
    tasks: Sequence[Task], limit: int = MAX_COMBINATIONS
) -> list[dict[str, str]]:
    """Every combination of choices a run can make, at most `limit`, the first-written branches
    first: decision id -> the step picked. A decision that a choice before it skips makes no
    choice, so nested decisions multiply only where they run."""
    written, ids, waits = _step_graph(tasks)
    if waits is None:
        return [{}]
    order = graph.topological_order(ids, {i: [p for p in waits[i] if p != i] for i in ids})
    decisions = [i for i in order if written[i].branches]
    found: list[dict[str, str]] = []

    def walk(index: int, choices: dict[str, str]) -> None:
        if len(found) > limit:
            return
        if index == len(decisions):
            found.append(choices)
            return
        decision = decisions[index]
        if decision in skipped_steps(tasks, choices):
            walk(index + 1, choices)
            return
        for target in dict.fromkeys(written[decision].branches):
            walk(index + 1, {**choices, decision: target})

    walk(0, {})
    return found


def sop_schedule(tasks: Sequence[Task]) -> Schedule:
    """The schedule of a whole SOP over every combination of its decisions' choices.

    Without decisions it is `schedule(tasks)`. With them, the lead time and critical path are the
    longest combination's, `best_minutes` the shortest's (with each task's `best_minutes`), and a
    step's slot its latest in any combination that runs it. More than `MAX_COMBINATIONS`: the
    schedule with nothing skipped, which no combination exceeds, and the shortest of those tried.
    """
    if not any(task.branches for task in tasks):
        plain = schedule(tasks)
        if all(task.best_minutes is None for task in tasks):
            return plain
        return replace(plain, best_minutes=schedule(_best(tasks)).lead_minutes)
    combinations = choice_combinations(tasks)
    best_tasks = _best(tasks)
    plans = []
    best: int | None = None
    for choices in combinations[:MAX_COMBINATIONS]:
        skipped = skipped_steps(tasks, choices)
        plans.append(schedule(tasks, skipped))
        shortest = schedule(best_tasks, skipped).lead_minutes
        best = shortest if best is None else min(best, shortest)
    if len(combinations) > MAX_COMBINATIONS:
        return replace(schedule(tasks), best_minutes=best)
    worst = max(plans, key=lambda plan: plan.lead_minutes)  # the first of equals
    if not worst.slots:
        return worst
    latest: dict[str, Slot] = {}
    for plan in plans:
        for step, slot in plan.slots.items():
            if step not in latest or slot.start > latest[step].start:
                latest[step] = slot
    order = [task.id for task in tasks if task.id in latest]
    slots = {step: latest[step] for step in dict.fromkeys(order)}
    return Schedule(slots, worst.critical_path, worst.lead_minutes, best)


def _best(tasks: Sequence[Task]) -> list[Task]:
    return [
        replace(task, minutes=task.best_minutes) if task.best_minutes is not None else task
        for task in tasks
    ]


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
