"""The working-time rule (sopkit.schedule) on the cases the browser's copy is tested on too."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from sopkit import schedule
from sopkit.schedule import Task

CASES_FILE = Path(__file__).parent / "schedule_cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def case_tasks(case: dict[str, Any]) -> list[Task]:
    return [
        Task(s["id"], tuple(s["after"]), s["minutes"], tuple(s.get("branches", ())))
        for s in case["steps"]
    ]


def case_skipped(case: dict[str, Any]) -> frozenset[str]:
    """The case's `skipped`, and the steps its `choices` skip."""
    picked = schedule.skipped_steps(case_tasks(case), case.get("choices", {}))
    return frozenset(case.get("skipped", ())) | picked


def run_case(case: dict[str, Any]) -> tuple[schedule.Schedule, dict[str, dt.date]]:
    tasks = case_tasks(case)
    plan = schedule.schedule(tasks, skipped=case_skipped(case))
    holidays = [dt.date.fromisoformat(day) for day in case.get("holidays", ())]
    return plan, schedule.due_dates(plan, dt.date.fromisoformat(case["start"]), holidays)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_shared_case(case: dict[str, Any]) -> None:
    plan, dates = run_case(case)
    expect = case["expect"]
    assert plan.lead_minutes == expect["lead_minutes"]
    assert list(plan.critical_path) == expect["critical_path"]
    assert {step: plan.slots[step].due_day for step in expect["due_day"]} == expect["due_day"]
    assert {step: dates[step].isoformat() for step in expect["due"]} == expect["due"]
    skipped = case_skipped(case)
    if "choices" in case:
        assert sorted(skipped) == expect["skipped"]
    scheduled = [s["id"] for s in case["steps"] if s["id"] not in skipped]
    # Every step that runs has a date, unless the case has no schedule at all.
    assert list(dates) == (scheduled if expect["due"] else [])


def test_the_cases_cover_what_the_rule_must_handle() -> None:
    names = " ".join(case["name"] for case in CASES).lower()
    for topic in (
        "saturday",
        "holiday",
        "parallel",
        "zero durations",
        "long sop",
        "cycle",
        "branches inside branches",
        "a join of three branches",
        "a decision at the start",
        "a decision at the end",
    ):
        assert topic in names
    assert max(len(case["steps"]) for case in CASES) >= 400


def test_due_day_of_a_finish() -> None:
    assert [schedule.due_day(f) for f in (0, 1, 480, 481, 960, 961)] == [0, 0, 0, 1, 1, 2]


def test_minutes_are_whole_and_exact() -> None:
    assert schedule.minutes(None) == 0
    assert schedule.minutes(0.5) == 30
    assert schedule.minutes(1 / 60) == 1
    assert schedule.minutes(2.5 * 8) == 1200
    # Thirds of an hour add up exactly: three 20m steps make one hour, due on day 0.
    plan = schedule.schedule(
        [Task("a", (), schedule.minutes(1 / 3)), Task("b", ("a",), 20), Task("c", ("b",), 20)]
    )
    assert plan.lead_minutes == 60 and plan.lead_time_hours == 1.0


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = dt.date(2026, 12, 4)
    days = schedule.working_days(friday, 3, {dt.date(2026, 12, 7)})
    assert days == [friday, dt.date(2026, 12, 8), dt.date(2026, 12, 9)]


def test_days_a_run_touches() -> None:
    assert schedule.schedule([]).days == 0
    assert schedule.schedule([Task("a", (), 0)]).days == 1
    assert schedule.schedule([Task("a", (), 480)]).days == 1
    assert schedule.schedule([Task("a", (), 481)]).days == 2


def test_a_self_link_is_a_cycle_and_the_first_of_two_shared_ids_counts() -> None:
    assert schedule.schedule([Task("a", ("a",), 60)]).slots == {}
    plan = schedule.schedule([Task("a", (), 60), Task("a", (), 600), Task("b", ("a",), 0)])
    assert plan.lead_minutes == 60


# --- a whole SOP with decisions (format 1.2): worst case, best case, latest slots -------------


def by_id(plan: schedule.Schedule) -> dict[str, tuple[int, int]]:
    return {step: (slot.start, slot.finish) for step, slot in plan.slots.items()}


def test_an_sop_without_decisions_has_one_figure() -> None:
    tasks = [Task("a", (), 60), Task("b", ("a",), 30)]
    plan = schedule.sop_schedule(tasks)
    assert plan == schedule.schedule(tasks)
    assert plan.best_minutes is None and plan.lead_minutes_min == plan.lead_minutes == 90


def test_lead_time_is_the_worst_branch_and_the_minimum_the_best() -> None:
    tasks = [
        Task("laptop", (), 30, ("wipe", "report-loss")),
        Task("wipe", ("laptop",), 480),
        Task("reimage", ("wipe",), 480),
        Task("report-loss", ("laptop",), 60),
        Task("final-pay", ("reimage", "report-loss"), 60),
    ]
    plan = schedule.sop_schedule(tasks)
    assert plan.lead_minutes == 30 + 960 + 60
    assert plan.lead_minutes_min == 30 + 60 + 60
    assert plan.critical_path == ("laptop", "wipe", "reimage", "final-pay")
    # Every step keeps a slot: its latest in any combination that runs it.
    assert by_id(plan) == {
        "laptop": (0, 30),
        "wipe": (30, 510),
        "reimage": (510, 990),
        "report-loss": (30, 90),
        "final-pay": (990, 1050),
    }
    assert plan.lead_time_hours == 17.5 and plan.lead_time_hours_min == 2.5


def test_branches_inside_branches_multiply_only_where_they_run() -> None:
    tasks = [
        Task("outer", (), 0, ("inner", "quick")),
        Task("inner", ("outer",), 60, ("deep-a", "deep-b")),
        Task("deep-a", ("inner",), 480),
        Task("deep-b", ("inner",), 960),
        Task("quick", ("outer",), 120),
        Task("join", ("deep-a", "deep-b", "quick"), 60),
    ]
    combos = schedule.choice_combinations(tasks)
    assert combos == [
        {"outer": "inner", "inner": "deep-a"},
        {"outer": "inner", "inner": "deep-b"},
        {"outer": "quick"},
    ]
    plan = schedule.sop_schedule(tasks)
    assert plan.lead_minutes == 60 + 960 + 60
    assert plan.lead_minutes_min == 120 + 60
    assert plan.critical_path == ("outer", "inner", "deep-b", "join")


def test_a_join_of_three_branches() -> None:
    tasks = [
        Task("route", (), 60, ("a", "b", "c")),
        Task("a", ("route",), 2400),
        Task("b", ("route",), 480),
        Task("c", ("route",), 960),
        Task("join", ("a", "b", "c"), 30),
    ]
    plan = schedule.sop_schedule(tasks)
    assert (plan.lead_minutes, plan.lead_minutes_min) == (2490, 570)
    assert plan.critical_path == ("route", "a", "join")
    assert by_id(plan)["join"] == (2460, 2490)


def test_a_decision_at_the_start_and_one_at_the_end() -> None:
    start = [
        Task("kind", (), 0, ("new", "renewal")),
        Task("new", ("kind",), 240),
        Task("renewal", ("kind",), 60),
        Task("report", ("new", "renewal"), 60),
    ]
    plan = schedule.sop_schedule(start)
    assert (plan.lead_minutes, plan.lead_minutes_min) == (300, 120)
    end = [
        Task("build", (), 480),
        Task("qa", ("build",), 60, ("publish", "fix")),
        Task("publish", ("qa",), 30),
        Task("fix", ("qa",), 240),
    ]
    plan = schedule.sop_schedule(end)
    assert (plan.lead_minutes, plan.lead_minutes_min) == (780, 570)
    assert plan.critical_path == ("build", "qa", "fix")


def test_equal_branches_keep_the_first_written_on_the_critical_path() -> None:
    tasks = [
        Task("d", (), 0, ("x", "y")),
        Task("x", ("d",), 60),
        Task("y", ("d",), 60),
        Task("z", ("x", "y"), 0),
    ]
    plan = schedule.sop_schedule(tasks)
    assert plan.critical_path == ("d", "x", "z") and plan.lead_minutes_min == 60


def test_a_branch_target_waits_for_its_decision_even_if_after_does_not_say_so() -> None:
    plan = schedule.schedule([Task("d", (), 120, ("x", "y")), Task("x", (), 60), Task("y", (), 0)])
    assert by_id(plan)["x"] == (120, 180)


def test_best_minutes_count_in_the_best_case_only() -> None:
    tasks = [Task("call", (), 600, best_minutes=60), Task("after", ("call",), 60)]
    plan = schedule.sop_schedule(tasks)
    assert (plan.lead_minutes, plan.lead_minutes_min) == (660, 120)


def test_too_many_combinations_fall_back_to_every_branch_counted() -> None:
    tasks: list[Task] = []
    previous: tuple[str, ...] = ()
    for n in range(12):  # 2**12 combinations, more than the limit
        d, a, b, j = f"d{n}", f"a{n}", f"b{n}", f"j{n}"
        tasks += [
            Task(d, previous, 0, (a, b)),
            Task(a, (d,), 60),
            Task(b, (d,), 120),
            Task(j, (a, b), 0),
        ]
        previous = (j,)
    assert len(schedule.choice_combinations(tasks)) == schedule.MAX_COMBINATIONS + 1
    plan = schedule.sop_schedule(tasks)
    assert plan.lead_minutes == 12 * 120 == schedule.schedule(tasks).lead_minutes
    assert plan.lead_minutes_min is not None and plan.lead_minutes_min < plan.lead_minutes


def test_a_branch_straight_to_the_join_counts_the_fix_only_on_its_answer() -> None:
    tasks = [
        Task("go-live", (), 30, ("monitor", "fix")),
        Task("fix", ("go-live",), 480),
        Task("monitor", ("go-live", "fix"), 120),
    ]
    plan = schedule.sop_schedule(tasks)
    assert (plan.lead_minutes, plan.lead_minutes_min) == (630, 150)
    assert plan.critical_path == ("go-live", "fix", "monitor")
