"""A `HealthReport` as JSON data and as terminal text; `health_page` writes the site's page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sopkit.health import HealthReport
from sopkit.render.health_figures import (
    chain_text,
    hours_label,
    review_state,
    reviews_by_owner,
    runs_rule,
    spof_rule,
)
from sopkit.render.health_page import health_markdown

__all__ = ["health_json", "health_markdown", "health_text"]


def health_json(report: HealthReport) -> dict[str, Any]:
    """The report as JSON data: ids, ISO dates, hours rounded to 0.01 (whole hours as integers)."""
    gaps = report.gaps
    return {
        "today": report.today.isoformat(),
        "sops": report.sops,
        "reviews": [
            {
                "sop": review.sop,
                "owner": review.owner,
                "reviewed": review.reviewed.isoformat(),
                "due": review.due.isoformat(),
                "days_overdue": review.days_overdue,
            }
            for review in report.reviews
        ],
        "sops_without_review_date": list(report.without_review_date),
        "approvers": [
            {
                "role": approver.role,
                "gates": approver.gates,
                "sops": len(approver.sops),
                "sla_hours": _hours(approver.sla_hours),
                "sop_ids": list(approver.sops),
                "single_point_of_failure": approver.single_point_of_failure,
            }
            for approver in report.approvers
        ],
        "sops_with_approvals": report.sops_with_approvals,
        "approvals_in_series": [
            {"sop": s.sop, "approvals": list(s.approvals), "sla_hours": _hours(s.sla_hours)}
            for s in report.approvals_in_series
        ],
        "load": [
            {
                "role": load.role,
                "responsible_steps": load.responsible_steps,
                "accountable_steps": load.accountable_steps,
                "responsible_hours": _hours(load.responsible_hours),
                "responsible_hours_per_year": _hours(load.responsible_hours_per_year),
            }
            for load in report.load
        ],
        "runs_per_year": dict(report.runs_per_year),
        "lead_time": {
            "sops": [
                {
                    "sop": time.sop,
                    "hours": _hours(time.hours),
                    "working_days": time.working_days,
                    "critical_path": list(time.critical_path),
                    "steps_without_duration": time.steps_without_duration,
                    # Only an SOP with decisions whose quickest way differs has this key.
                    **({"hours_min": _hours(time.hours_min)} if time.hours_min is not None else {}),
                }
                for time in report.lead_times
            ],
            "chains": [
                {"sops": list(chain.sops), "hours": _hours(chain.hours), "loops_to": chain.loops_to}
                for chain in report.chains
            ],
            "chains_truncated": report.chains_truncated,
        },
        "gaps": {
            "phases": list(gaps.phases),
            "roles": list(gaps.roles),
            "tools": list(gaps.tools),
            "steps_without_duration": [
                {"sop": ref.sop, "step": ref.step} for ref in gaps.steps_without_duration
            ],
            "sops_without_kpis": list(gaps.sops_without_kpis),
            "sops_without_approval": list(gaps.sops_without_approval),
            "onboarding_sops_without_quiz": list(gaps.onboarding_sops_without_quiz),
        },
    }


def _hours(hours: float) -> float | int:
    rounded = round(hours, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def health_text(report: HealthReport) -> str:
    """Aligned sections for a terminal, with ids as written in the handbook."""
    out = [
        f"Handbook health on {report.today.isoformat()}: {report.sops} SOPs in force "
        "(working time: 1d = 8h, 1w = 5d)",
    ]

    out += ["", f"REVIEWS overdue or due within {report.review_window_days} days, by owner"]
    reviews = reviews_by_owner(report.reviews)
    out += _table(
        ("owner", "sop", "due", ""),
        [(r.owner or "-", r.sop, r.due.isoformat(), review_state(r.days_overdue)) for r in reviews],
    )
    out.append(f"  No review date: {_ids(report.without_review_date)}")

    out += ["", f"APPROVAL BOTTLENECKS ({report.sops_with_approvals} SOPs have an approval)"]
    out += _table(
        ("approver", "gates", "sops", "SLA", ""),
        [
            (
                a.role,
                str(a.gates),
                str(len(a.sops)),
                hours_label(a.sla_hours),
                "single point of failure" if a.single_point_of_failure else "",
            )
            for a in report.approvers
        ],
        numeric=(1, 2),
    )
    out.append(f"  Single point of failure: {spof_rule(report)}.")
    out.append("  Approvals in series:")
    out += [
        f"    {s.sop}: {' -> '.join(s.approvals)}, SLA {hours_label(s.sla_hours)}"
        for s in report.approvals_in_series
    ] or ["    none"]

    if report.weighted:
        out += ["", "ROLE LOAD per run of every SOP and a year of runs, most loaded first"]
        out.append(f"  Runs a year by cadence: {runs_rule(report)}.")
    else:
        out += ["", "ROLE LOAD per run of every SOP, most loaded first"]
    out += _table(
        ("role", "R steps", "A steps", "hours as R")
        + (("hours as R a year",) if report.weighted else ()),
        [
            (
                load.role,
                str(load.responsible_steps),
                str(load.accountable_steps),
                hours_label(load.responsible_hours),
            )
            + ((hours_label(load.responsible_hours_per_year),) if report.weighted else ())
            for load in report.load
        ],
        numeric=(1, 2),
    )

    out += ["", "LEAD TIME per SOP (critical path)"]
    out += _table(
        ("sop", "hours", "working days", "critical path"),
        [
            (
                time.sop,
                hours_label(time.hours)
                + (
                    f" ({hours_label(time.hours_min)} quickest)"
                    if time.hours_min is not None
                    else ""
                ),
                str(time.working_days),
                " -> ".join(time.critical_path),
            )
            for time in report.lead_times
        ],
        numeric=(2,),
    )
    out.append("  Chains of SOPs by `next`, end to end:")
    out += _table(
        ("hours", "chain"),
        [
            (hours_label(chain.hours), chain_text(chain.sops, chain.loops_to, str))
            for chain in report.chains
        ],
        indent="    ",
    )
    if report.chains_truncated:
        out.append("    (more chains exist; only the first ones are listed)")

    gaps = report.gaps
    steps = (f"{ref.sop}/{ref.step}" for ref in gaps.steps_without_duration)
    out += ["", "GAPS"]
    out += [
        f"  Phases without SOPs: {_ids(gaps.phases)}",
        f"  Roles with no steps: {_ids(gaps.roles)}",
        f"  Tools no SOP uses: {_ids(gaps.tools)}",
        f"  Steps without a duration: {_ids(steps)}",
        f"  SOPs without KPIs: {_ids(gaps.sops_without_kpis)}",
        f"  SOPs without approval: {_ids(gaps.sops_without_approval)}",
        f"  (information) Onboarding SOPs without a quiz: "
        f"{_ids(gaps.onboarding_sops_without_quiz)}",
    ]
    return "\n".join(_terminal(line) for line in out) + "\n"


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    indent: str = "  ",
) -> list[str]:
    if not rows:
        return [indent + "none"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids) or "none"


def _terminal(line: str) -> str:
    """No control characters from a handbook reach the terminal."""
    return "".join(char if char.isprintable() else "?" for char in line)
