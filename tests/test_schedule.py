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


def run_case(case: dict[str, Any]) -> tuple[schedule.Schedule, dict[str, dt.date]]:
    tasks = [Task(s["id"], tuple(s["after"]), s["minutes"]) for s in case["steps"]]
    plan = schedule.schedule(tasks, skipped=frozenset(case.get("skipped", ())))
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
    skipped = set(case.get("skipped", ()))
    scheduled = [s["id"] for s in case["steps"] if s["id"] not in skipped]
    # Every step that runs has a date, unless the case has no schedule at all.
    assert list(dates) == (scheduled if expect["due"] else [])


def test_the_cases_cover_what_the_rule_must_handle() -> None:
    names = " ".join(case["name"] for case in CASES).lower()
    for topic in ("saturday", "holiday", "parallel", "zero durations", "long sop", "cycle"):
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
