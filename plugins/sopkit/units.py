"""Durations and review intervals as the format defines them."""

from __future__ import annotations

import re

HOURS_PER_DAY = 8
DAYS_PER_WEEK = 5
_WORK_HOURS = {
    "m": 1 / 60,
    "h": 1.0,
    "d": float(HOURS_PER_DAY),
    "w": float(HOURS_PER_DAY * DAYS_PER_WEEK),
}
# Review intervals are calendar time: "1y" is a year from the last review, whatever the workdays.
_CALENDAR_DAYS = {"d": 1, "w": 7, "mo": 30, "y": 365}
DURATION = re.compile(r"^(\d+(?:\.\d+)?)(m|h|d|w)$")
INTERVAL = re.compile(r"^(\d+)(d|w|mo|y)$")


def duration_hours(text: str) -> float | None:
    """Working hours of a duration such as `30m`, `4h`, `2d` (8 h) or `1w` (5 d)."""
    match = DURATION.match(text.strip())
    if not match:
        return None
    return float(match.group(1)) * _WORK_HOURS[match.group(2)]


def interval_days(text: str) -> int | None:
    """Calendar days of a review interval such as `90d`, `6mo` or `1y`."""
    match = INTERVAL.match(text.strip())
    if not match:
        return None
    return int(match.group(1)) * _CALENDAR_DAYS[match.group(2)]


def format_hours(hours: float) -> str:
    """A short human figure: `45m`, `6h`, `3d`, `2.5d`."""
    if hours <= 0:
        return "0h"
    if hours < 1:
        return f"{round(hours * 60)}m"
    if hours < HOURS_PER_DAY:
        return f"{_trim(hours)}h"
    return f"{_trim(hours / HOURS_PER_DAY)}d"


def _trim(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)
