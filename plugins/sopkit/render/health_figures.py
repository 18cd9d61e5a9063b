"""How the figures of a health report read, the same in the terminal and on the site."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sopkit.health import HealthReport, ReviewDue
from sopkit.labels import Labels
from sopkit.render.svg import number
from sopkit.units import HOURS_PER_DAY

RUN_ORDER = ("daily", "weekly", "monthly", "quarterly", "yearly", "on-demand")
"""The cadences as the runs rule lists them: the most frequent first, on demand last."""


def hours_label(hours: float) -> str:
    """`6h`, or `36h (4.5d)` from a working day on."""
    text = f"{number(hours)}h"
    return f"{text} ({number(hours / HOURS_PER_DAY)}d)" if hours >= HOURS_PER_DAY else text


def hours_words(hours: float, t: Labels) -> str:
    """`hours_label` in the page's language: `6h`, `36h (4.5d)`; `36 Std. (4,5 AT)` in German."""
    text = t("unit.hours", n=round(hours, 1))
    if hours >= HOURS_PER_DAY:
        text += f" ({t('unit.days', n=round(hours / HOURS_PER_DAY, 1))})"
    return text


def review_state_words(days_overdue: int, t: Labels) -> str:
    """`review_state` in the page's language (the words sopkit-reviews.js uses too)."""
    if days_overdue == 0:
        return t("review.days_today")
    if days_overdue > 0:
        return t("review.days_overdue", n=days_overdue)
    return t("review.days_left", n=-days_overdue)


def review_state(days_overdue: int) -> str:
    if days_overdue == 0:
        return "due today"
    if days_overdue > 0:
        return f"{days_overdue} day{'s' if days_overdue != 1 else ''} overdue"
    return f"due in {-days_overdue} day{'s' if days_overdue != -1 else ''}"


def spof_rule(report: HealthReport) -> str:
    return (
        f"approves in {report.spof_min_sops} or more SOPs, or in {number(report.spof_share * 100)}%"
        f" or more of the {report.sops_with_approvals} SOPs with an approval"
    )


def spof_rule_words(report: HealthReport, t: Labels) -> str:
    """`spof_rule` in the page's language."""
    return t(
        "health.spof_rule",
        n=report.sops_with_approvals,
        min=t.number(report.spof_min_sops),
        share=t.number(round(report.spof_share * 100, 1)),
    )


def runs_rule_words(report: HealthReport, t: Labels) -> str:
    """`runs_rule` in the page's language: each cadence's name, lower case, and its runs."""
    parts = []
    for cadence in RUN_ORDER:
        name = t(f"cadence.{cadence}")
        runs = t.number(round(report.runs_per_year[cadence], 1))
        parts.append(f"{name[:1].lower()}{name[1:]} {runs}")
    return t("health.runs_rule", runs=", ".join(parts))


def runs_rule(report: HealthReport) -> str:
    """`daily 250, weekly 50, monthly 12, quarterly 4, yearly 1, on demand 1 (also SOPs with no
    cadence)`: the runs a year each cadence counts for, the site's settings applied."""
    parts = [f"{c.replace('-', ' ')} {number(report.runs_per_year[c])}" for c in RUN_ORDER]
    return ", ".join(parts) + " (also SOPs with no cadence)"


def reviews_by_owner(reviews: Sequence[ReviewDue]) -> list[ReviewDue]:
    """Reviews grouped by owner, owners in the order of their most overdue review."""
    first: dict[str, int] = {}
    for index, review in enumerate(reviews):
        first.setdefault(review.owner or "", index)
    return sorted(reviews, key=lambda review: first[review.owner or ""])


def chain_text(
    sops: Sequence[str],
    loops_to: str | None,
    name: Callable[[str], str],
    arrow: str = " -> ",
    back: Callable[[str], str] = lambda name: f"back to {name}",
) -> str:
    """`a -> b -> c`, and `-> back to a` when the last SOP hands back to one on the chain
    (`back` words that last part from the SOP's name)."""
    text = arrow.join(name(sop) for sop in sops)
    return f"{text}{arrow}{back(name(loops_to))}" if loops_to else text
