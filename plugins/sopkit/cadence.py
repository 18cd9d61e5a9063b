"""How often an SOP runs (`cadence`, format 1.2), and what that weighs in a year."""

from __future__ import annotations

from collections.abc import Mapping

from sopkit.rules import SettingsError, did_you_mean

CADENCES: tuple[str, ...] = ("on-demand", "daily", "weekly", "monthly", "quarterly", "yearly")
"""The values `cadence` takes, from the least to the most regular and then by period."""

DEFAULT_RUNS_PER_YEAR: Mapping[str, float] = {
    "on-demand": 1,
    "daily": 250,
    "weekly": 50,
    "monthly": 12,
    "quarterly": 4,
    "yearly": 1,
}
"""Runs a year by cadence: working days (250) and weeks (50); a site may set its own."""

CADENCE_NAMES: Mapping[str, str] = {
    "on-demand": "On demand",
    "daily": "Daily",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "yearly": "Yearly",
}

RunsPerYear = tuple[tuple[str, float], ...]


def cadence_name(cadence: str) -> str:
    """`on-demand` -> `On demand`; an unknown value (reported by the checker) as written."""
    return CADENCE_NAMES.get(cadence, cadence)


def runs_per_year_setting(value: object) -> RunsPerYear:
    """`runs_per_year:` of the plugin config, checked: cadence -> runs a year (a number > 0)."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise SettingsError(
            "expected a mapping of cadences to runs a year, such as {on-demand: 6}, "
            "but received " + ("a list" if isinstance(value, list) else repr(value))
        )
    found: list[tuple[str, float]] = []
    for key, runs in value.items():
        cadence = str(key)
        if cadence not in CADENCES:
            raise SettingsError(
                f"unknown cadence `{cadence}`{did_you_mean(cadence, CADENCES)} "
                f"(one of: {', '.join(CADENCES)})"
            )
        if isinstance(runs, bool) or not isinstance(runs, int | float) or not runs > 0:
            raise SettingsError(
                f"`{cadence}` is set to {runs!r}; expected a number of runs a year above 0, "
                f"e.g. {cadence}: {DEFAULT_RUNS_PER_YEAR[cadence]:g}"
            )
        found.append((cadence, float(runs)))
    return tuple(sorted(found))


def runs_per_year(cadence: str | None, settings: RunsPerYear = ()) -> float:
    """How many runs a year an SOP of `cadence` counts for; no cadence counts as on demand."""
    table = {**DEFAULT_RUNS_PER_YEAR, **dict(settings)}
    return float(table.get(cadence or "on-demand", table["on-demand"]))
