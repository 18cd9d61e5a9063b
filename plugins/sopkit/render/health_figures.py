"""How the figures of a health report read, the same in the terminal and on the site."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sopkit.health import HealthReport, ReviewDue
from sopkit.render.svg import number
from sopkit.units import HOURS_PER_DAY


def hours_label(hours: float) -> str:
    """`6h`, or `36h (4.5d)` from a working day on."""
    text = f"{number(hours)}h"
    return f"{text} ({number(hours / HOURS_PER_DAY)}d)" if hours >= HOURS_PER_DAY else text


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


def runs_rule(report: HealthReport) -> str:
    """`daily 250, weekly 50, monthly 12, quarterly 4, yearly 1, on demand 1 (also SOPs with no
    cadence)`: the runs a year each cadence counts for, the site's settings applied."""
    order = ("daily", "weekly", "monthly", "quarterly", "yearly", "on-demand")
    parts = [f"{c.replace('-', ' ')} {number(report.runs_per_year[c])}" for c in order]
    return ", ".join(parts) + " (also SOPs with no cadence)"


def reviews_by_owner(reviews: Sequence[ReviewDue]) -> list[ReviewDue]:
    """Reviews grouped by owner, owners in the order of their most overdue review."""
    first: dict[str, int] = {}
    for index, review in enumerate(reviews):
        first.setdefault(review.owner or "", index)
    return sorted(reviews, key=lambda review: first[review.owner or ""])


def chain_text(
    sops: Sequence[str], loops_to: str | None, name: Callable[[str], str], arrow: str = " -> "
) -> str:
    """`a -> b -> c`, and `-> back to a` when the last SOP hands back to one on the chain."""
    text = arrow.join(name(sop) for sop in sops)
    return f"{text}{arrow}back to {name(loops_to)}" if loops_to else text
