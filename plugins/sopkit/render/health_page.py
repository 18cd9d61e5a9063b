"""The Markdown of the site's `health/` page: figures of a `HealthReport`, charts beside tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sopkit.health import HealthReport, ReviewDue, StepRef, upcoming_reviews
from sopkit.model import Library
from sopkit.render.escape import md_text
from sopkit.render.health_figures import (
    chain_text,
    hours_label,
    review_state,
    reviews_by_owner,
    runs_rule,
    spof_rule,
)
from sopkit.render.links import HEALTH, relative, role_page, sop_page, step_anchor, tool_page
from sopkit.render.refs import REVIEW_SOON_DAYS, review_attributes
from sopkit.render.svg import bar_chart

T = TypeVar("T")

LOOKAHEAD_DAYS = 60
"""The site's health page also lists the reviews due this many days after the window: the
browser moves their state on as the days pass."""
CHART_ROWS = 25  # bars per chart; the table beside it lists every row (up to `rows`)
SITE_ROWS = 50
"""Rows of a table or names of a list on the site's page, which must not grow with the handbook;
`sopkit health` lists every one."""
_MORE = "`sopkit health` lists all of them"


@dataclass(frozen=True)
class Live:
    """The site's page: review states the browser recomputes (sopkit-reviews.js) and the date
    of the build. `pinned`: the site sets `today`, so the states stay as of that date."""

    pinned: bool = False
    lookahead_days: int = LOOKAHEAD_DAYS


def health_markdown(
    report: HealthReport,
    library: Library,
    page: str = HEALTH,
    rows: int | None = None,
    live: Live | None = None,
) -> str:
    """The Markdown of the health page at `page`: names linked, every handbook string escaped.

    Charts are inline SVG inside `<figure class="sopkit-chart" markdown>` next to the table of
    their figures, so the page needs the `md_in_html` and `tables` extensions. With `rows`, each
    table and list that grows with the handbook shows at most that many, and says so. With
    `live` (the site's page), each review state carries its due date for the browser, the page
    says when it was built, and the reviews that come up after the window are listed too.
    """
    link = _Links(library, page, rows)
    out = [
        "# Handbook health",
        "",
        f"As of {report.today.isoformat()}, over the {report.sops} SOPs in force (retired SOPs "
        "are left out). Durations are working time: 1d = 8h, 1w = 5d; steps without a duration "
        "count as 0h.",
    ]
    if live is not None and not live.pinned:
        day = report.today.isoformat()
        out += [
            "",
            f'<p class="sopkit-built" data-built="{day}">This page was built on '
            f'<time datetime="{day}">{day}</time><span data-built-age></span>; review states '
            "below follow today's date.</p>",
        ]
    out += _reviews_md(report, link, live)
    out += _approvals_md(report, link)
    out += _load_md(report, link)
    out += _lead_time_md(report, link)
    out += _gaps_md(report, link)
    return "\n".join(out) + "\n"


class _Links:
    """Escaped, linked names of handbook things, relative to one page."""

    def __init__(self, library: Library, page: str, rows: int | None = None) -> None:
        self.rows = rows
        self.library = library
        self.page = page

    def role_name(self, role_id: str) -> str:
        role = self.library.roles.get(role_id)
        return role.name if role else role_id

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return "no owner"
        if role_id not in self.library.roles:
            return md_text(role_id)
        return f"[{md_text(self.role_name(role_id))}]({relative(self.page, role_page(role_id))})"

    def sop_title(self, sop_id: str) -> str:
        sop = self.library.sop(sop_id)
        return sop.title if sop else sop_id

    def sop(self, sop_id: str, step_id: str | None = None) -> str:
        sop = self.library.sop(sop_id)
        if sop is None:
            return md_text(sop_id)
        target = relative(self.page, sop_page(sop))
        if step_id is None:
            return f"[{md_text(sop.title)}]({target})"
        step = sop.step(step_id)
        title = step.title if step else step_id
        return f"[{md_text(sop.title)}: {md_text(title)}]({target}#{step_anchor(step_id)})"

    def step_title(self, sop_id: str, step_id: str) -> str:
        sop = self.library.sop(sop_id)
        step = sop.step(step_id) if sop else None
        return md_text(step.title if step else step_id)

    def tool(self, tool_id: str) -> str:
        tool = self.library.tools.get(tool_id)
        if tool is None:
            return md_text(tool_id)
        return f"[{md_text(tool.name)}]({relative(self.page, tool_page(tool_id))})"


def _chart(rows: Sequence[tuple[str, float]], title: str, unit: str, table: list[str]) -> list[str]:
    shown = rows[:CHART_ROWS]
    if len(rows) > len(shown):
        title = f"{title} (top {len(shown)} of {len(rows)})"
    svg = bar_chart(shown, title, unit)
    return [
        "",
        '<figure class="sopkit-chart" markdown>',
        f'<div class="sopkit-chart__plot">{svg}</div>',
        "",
        *table,
        "",
        "</figure>",
    ]


def _first(items: Sequence[T], link: _Links) -> tuple[Sequence[T], str]:
    """The items the page shows, and a sentence saying how many it leaves out (or "")."""
    if link.rows is None or len(items) <= link.rows:
        return items, ""
    return items[: link.rows], f"The first {link.rows} of {len(items)} are shown; {_MORE}."


def _md_table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> list[str]:
    """`align` has one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _state_cell(review: ReviewDue, report: HealthReport, live: Live | None) -> str:
    text = review_state(review.days_overdue)
    if live is None:
        return text
    days_left = -review.days_overdue
    state = "overdue" if days_left < 0 else "due-soon" if days_left <= REVIEW_SOON_DAYS else "ok"
    attributes = review_attributes(state, review.due, report.today, "days", pinned=live.pinned)
    return f'<span class="sopkit-review sopkit-review--{state}"{attributes}>{text}</span>'


def _reviews_table(
    reviews: Sequence[ReviewDue], report: HealthReport, link: _Links, live: Live | None
) -> list[str]:
    return _md_table(
        ("Owner", "SOP", "Due", "State"),
        "llll",
        [
            (link.role(r.owner), link.sop(r.sop), r.due.isoformat(), _state_cell(r, report, live))
            for r in reviews
        ],
    )


def _reviews_md(report: HealthReport, link: _Links, live: Live | None = None) -> list[str]:
    out = [
        "",
        "## Reviews",
        "",
        f"Reviews overdue or due within {report.review_window_days} days, by owner.",
        "",
    ]
    reviews, more = _first(reviews_by_owner(report.reviews), link)
    if reviews:
        out += _reviews_table(reviews, report, link, live)
        out += ["", more] if more else []
    else:
        out.append("None.")
    if live is not None:
        window = report.review_window_days
        upcoming, more = _first(
            upcoming_reviews(link.library, report.today, window, window + live.lookahead_days),
            link,
        )
        out += [
            "",
            f"Coming up: reviews due in the {live.lookahead_days} days after that, soonest first.",
            "",
        ]
        if upcoming:
            out += _reviews_table(upcoming, report, link, live)
            out += ["", more] if more else []
        else:
            out.append("None.")
    undated_ids, more = _first(report.without_review_date, link)
    undated = ", ".join(link.sop(sop_id) for sop_id in undated_ids) or "none"
    out += ["", f"SOPs with no review date: {undated}." + (f" {more}" if more else "")]
    return out


def _approvals_md(report: HealthReport, link: _Links) -> list[str]:
    out = [
        "",
        "## Approval bottlenecks",
        "",
        f"Approval gates per approver (the A of approval steps) across the "
        f"{report.sops_with_approvals} SOPs with an approval; SLA is the time the approver has, "
        "summed over their gates.",
    ]
    if report.approvers:
        out += _chart(
            [(link.role_name(a.role), float(a.gates)) for a in report.approvers],
            "Approval gates per approver",
            "",
            _md_table(
                ("Approver", "Gates", "SOPs", "SLA"),
                "lrrr",
                [
                    (
                        link.role(a.role)
                        + (" (single point of failure)" if a.single_point_of_failure else ""),
                        str(a.gates),
                        str(len(a.sops)),
                        hours_label(a.sla_hours),
                    )
                    for a in report.approvers
                ],
            ),
        )
    else:
        out += ["", "No SOP has an approval step."]
    spofs = [a for a in report.approvers if a.single_point_of_failure]
    named = ", ".join(f"{link.role(a.role)} ({len(a.sops)} SOPs)" for a in spofs) or "none"
    out += [
        "",
        f"**Single points of failure** (an approver who {spof_rule(report)}): {named}.",
        "",
        "### Approvals in series",
        "",
        "SOPs in which one run waits for two or more approvals, one after the other.",
        "",
    ]
    series, more = _first(report.approvals_in_series, link)
    if series:
        out += _md_table(
            ("SOP", "Approvals, in order", "SLA"),
            "llr",
            [
                (
                    link.sop(s.sop),
                    " → ".join(link.step_title(s.sop, step) for step in s.approvals),
                    hours_label(s.sla_hours),
                )
                for s in series
            ],
        )
        out += ["", more] if more else []
    else:
        out.append("None.")
    return out


def _load_md(report: HealthReport, link: _Links) -> list[str]:
    if report.weighted:
        return _yearly_load_md(report, link)
    out = [
        "",
        "## Role load",
        "",
        "Steps each role is responsible (R) and accountable (A) for, and the hours of work as R "
        "if every SOP ran once. A step with several R counts in full for each. Most loaded first.",
    ]
    out += _chart(
        [(link.role_name(load.role), load.responsible_hours) for load in report.load],
        "Hours of work as R per run of every SOP",
        "h",
        _md_table(
            ("Role", "Steps as R", "Steps as A", "Hours as R"),
            "lrrr",
            [
                (
                    link.role(load.role),
                    str(load.responsible_steps),
                    str(load.accountable_steps),
                    hours_label(load.responsible_hours),
                )
                for load in report.load
            ],
        ),
    )
    return out


def _yearly_load_md(report: HealthReport, link: _Links) -> list[str]:
    """The role load when SOPs say how often they run (format 1.2): a year of runs."""
    out = [
        "",
        "## Role load",
        "",
        "Steps each role is responsible (R) and accountable (A) for, the hours of work as R if "
        "every SOP ran once, and the hours as R in a year, where each SOP counts as often as its "
        f"cadence says it runs: {runs_rule(report)}. A step with several R counts in full for "
        "each. Most loaded in a year first.",
    ]
    out += _chart(
        [(link.role_name(load.role), load.responsible_hours_per_year) for load in report.load],
        "Hours of work as R a year, by the SOPs' cadence",
        "h",
        _md_table(
            ("Role", "Steps as R", "Steps as A", "Hours as R per run", "Hours as R a year"),
            "lrrrr",
            [
                (
                    link.role(load.role),
                    str(load.responsible_steps),
                    str(load.accountable_steps),
                    hours_label(load.responsible_hours),
                    hours_label(load.responsible_hours_per_year),
                )
                for load in report.load
            ],
        ),
    )
    return out


def _lead_time_md(report: HealthReport, link: _Links) -> list[str]:
    out = [
        "",
        "## Lead time",
        "",
        "The critical path of each SOP: the longest chain of steps that wait for each other. "
        "Reject loops are not counted. Working days: the days a run touches, 8 working hours a "
        "day, as its run page schedules it.",
    ]
    if any(time.hours_min is not None for time in report.lead_times):
        out[-1] += (
            " An SOP with decisions counts its longest way through them; where the quickest way "
            "differs, it is given in brackets."
        )
    out += _chart(
        [(link.sop_title(time.sop), time.hours) for time in report.lead_times],
        "Lead time per SOP",
        "h",
        _md_table(
            ("SOP", "Hours", "Working days", "Critical path"),
            "lrrl",
            [
                (
                    link.sop(time.sop),
                    hours_label(time.hours)
                    + (f" ({hours_label(time.hours_min)})" if time.hours_min is not None else ""),
                    str(time.working_days),
                    " → ".join(link.step_title(time.sop, step) for step in time.critical_path),
                )
                for time in _first(report.lead_times, link)[0]
            ],
        ),
    )
    if more := _first(report.lead_times, link)[1]:
        out += ["", more.replace(_MORE, f"every SOP page shows its own; {_MORE}")]
    out += [
        "",
        "### Chains",
        "",
        "SOPs that hand over to each other by `next`, end to end: the sum of their lead times.",
        "",
    ]
    if report.chains:
        out += _md_table(
            ("Chain", "Hours"),
            "lr",
            [
                (
                    chain_text(chain.sops, chain.loops_to, link.sop, " → "),
                    hours_label(chain.hours),
                )
                for chain in report.chains
            ],
        )
    else:
        out.append("None.")
    if report.chains_truncated:
        out += ["", f"Only the first {len(report.chains)} chains are listed."]
    return out


def _gaps_md(report: HealthReport, link: _Links) -> list[str]:
    gaps = report.gaps

    def item(label: str, names: Iterable[str]) -> str:
        listed = list(names)
        shown, more = _first(listed, link)
        return f"- **{label}:** {', '.join(shown) or 'none'}" + (f" ({more})" if more else "")

    def step(ref: StepRef) -> str:
        return link.sop(ref.sop, ref.step)

    return [
        "",
        "## Gaps",
        "",
        item("Phases without SOPs", (md_text(phase) for phase in gaps.phases)),
        item("Roles with no steps", (link.role(role) for role in gaps.roles)),
        item("Tools no SOP uses", (link.tool(tool) for tool in gaps.tools)),
        item("Steps without a duration", (step(ref) for ref in gaps.steps_without_duration)),
        item("SOPs without KPIs", (link.sop(sop) for sop in gaps.sops_without_kpis)),
        item("SOPs without approval", (link.sop(sop) for sop in gaps.sops_without_approval)),
        *_quiz_info(gaps.onboarding_sops_without_quiz, link),
    ]


def _quiz_info(sops: Sequence[str], link: _Links) -> list[str]:
    """Onboarding SOPs without a knowledge check: information for the owners, not a problem."""
    if not sops:
        return []
    shown, more = _first(sops, link)
    return [
        "",
        '!!! info "Onboarding SOPs without a quiz"',
        "",
        "    New hires read these SOPs on their onboarding path without a knowledge check to "
        "close them: "
        + ", ".join(link.sop(sop) for sop in shown)
        + ". A `quiz` is optional."
        + (f" {more}" if more else ""),
    ]
