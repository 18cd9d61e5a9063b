"""The Markdown of the site's `health/` page: figures of a `HealthReport`, charts beside tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup

from sopkit.health import HealthReport, ReviewDue, StepRef, upcoming_reviews
from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library
from sopkit.render.escape import html_text, md_cell, md_text
from sopkit.render.health_figures import (
    chain_text,
    hours_words,
    review_state_words,
    reviews_by_owner,
    runs_rule_words,
    spof_rule_words,
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
_COMMAND = Markup("`sopkit report`")
"""The command that lists every row (named in the page's "first N of M" notes)."""


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
    t: Labels = ENGLISH,
) -> str:
    """The Markdown of the health page at `page`: names linked, every handbook string escaped.

    Charts are inline SVG inside `<figure class="sopkit-chart" markdown>` next to the table of
    their figures, so the page needs the `md_in_html` and `tables` extensions. With `rows`, each
    table and list that grows with the handbook shows at most that many, and says so. With
    `live` (the site's page), each review state carries its due date for the browser, the page
    says when it was built, and the reviews that come up after the window are listed too.
    Every word is `t`'s (the site's language); dates and numbers are written as it writes them.
    """
    link = _Links(library, page, rows, t)
    out = [
        f"# {t.md('health.title')}",
        "",
        t.md("health.intro", n=report.sops, date=link.day(report.today)),
    ]
    if live is not None and not live.pinned:
        day = report.today.isoformat()
        built = t.html(
            "health.built",
            date=t.time(report.today),
            age=Markup("<span data-built-age></span>"),
        )
        out += ["", f'<p class="sopkit-built" data-built="{day}">{built}</p>']
    out += _reviews_md(report, link, live)
    out += _approvals_md(report, link)
    out += _load_md(report, link)
    out += _lead_time_md(report, link)
    out += _gaps_md(report, link)
    return "\n".join(out) + "\n"


class _Links:
    """Escaped, linked names of handbook things, relative to one page."""

    def __init__(
        self, library: Library, page: str, rows: int | None = None, t: Labels = ENGLISH
    ) -> None:
        self.rows = rows
        self.library = library
        self.page = page
        self.t = t

    def day(self, day: dt.date) -> Markup:
        """A date as the page's language writes it (ISO in the `<time>` element's `datetime`)."""
        return self.t.time(day)

    def hours(self, hours: float) -> Markup:
        return Markup(md_text(hours_words(hours, self.t)))

    def count(self, value: int) -> str:
        return md_text(self.t.number(value))

    def role_name(self, role_id: str) -> str:
        role = self.library.roles.get(role_id)
        return role.name if role else role_id

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return md_text(self.t("health.no_owner"))
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


def _chart(
    rows: Sequence[tuple[str, float]], title: str, unit: str, table: list[str], t: Labels
) -> list[str]:
    """A chart of `rows` beside `table`; `unit` is `h` (hours) or `` (a count)."""
    shown = rows[:CHART_ROWS]
    if len(rows) > len(shown):
        title = t("health.chart_top", title=title, shown=len(shown), total=len(rows))

    def figure(value: float) -> str:
        return t("unit.hours", n=round(value, 1)) if unit == "h" else t.number(value)

    svg = bar_chart(shown, title, unit, figure=figure, no_data=t("health.no_data"))
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
    return items[: link.rows], link.t.md(
        "health.more", shown=link.rows, total=len(items), command=_COMMAND
    )


def _md_table(
    header: Sequence[str], align: str, rows: Sequence[Sequence[str]], t: Labels
) -> list[str]:
    """`header` holds catalogue keys; `align` has one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [
        "| " + " | ".join(md_cell(t(key)) for key in header) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _state_cell(review: ReviewDue, report: HealthReport, live: Live | None, t: Labels) -> str:
    text = md_text(review_state_words(review.days_overdue, t))
    if live is None:
        return text
    days_left = -review.days_overdue
    state = "overdue" if days_left < 0 else "due-soon" if days_left <= REVIEW_SOON_DAYS else "ok"
    attributes = review_attributes(state, review.due, report.today, "days", pinned=live.pinned)
    return f'<span class="sopkit-review sopkit-review--{state}"{attributes}>{text}</span>'


def _reviews_table(
    reviews: Sequence[ReviewDue], report: HealthReport, link: _Links, live: Live | None
) -> list[str]:
    t = link.t
    return _md_table(
        ("index.owner", "index.sop", "health.due", "health.state"),
        "llll",
        [
            (link.role(r.owner), link.sop(r.sop), link.day(r.due), _state_cell(r, report, live, t))
            for r in reviews
        ],
        t,
    )


def _reviews_md(report: HealthReport, link: _Links, live: Live | None = None) -> list[str]:
    t = link.t
    out = [
        "",
        f"## {t.md('health.reviews')}",
        "",
        t.md("health.reviews_intro", n=report.review_window_days),
        "",
    ]
    reviews, more = _first(reviews_by_owner(report.reviews), link)
    if reviews:
        out += _reviews_table(reviews, report, link, live)
        out += ["", more] if more else []
    else:
        out.append(t.md("health.none"))
    if live is not None:
        window = report.review_window_days
        upcoming, more = _first(
            upcoming_reviews(link.library, report.today, window, window + live.lookahead_days),
            link,
        )
        out += ["", t.md("health.coming_up", n=live.lookahead_days), ""]
        if upcoming:
            out += _reviews_table(upcoming, report, link, live)
            out += ["", more] if more else []
        else:
            out.append(t.md("health.none"))
    undated_ids, more = _first(report.without_review_date, link)
    undated = _names([link.sop(sop_id) for sop_id in undated_ids], t)
    out += ["", t.md("health.no_review_date", sops=undated) + (f" {more}" if more else "")]
    return out


def _names(names: Sequence[str], t: Labels) -> Markup:
    """Linked names (Markdown already), joined by commas, or the language's "none"."""
    return Markup(", ".join(names)) if names else Markup(md_text(t("health.nothing")))


def _approvals_md(report: HealthReport, link: _Links) -> list[str]:
    t = link.t
    out = [
        "",
        f"## {t.md('health.approvals')}",
        "",
        t.md("health.approvals_intro", n=report.sops_with_approvals),
    ]
    if report.approvers:
        out += _chart(
            [(link.role_name(a.role), float(a.gates)) for a in report.approvers],
            t("health.approvals_chart"),
            "",
            _md_table(
                ("health.approver", "health.gates", "index.sops", "step.sla"),
                "lrrr",
                [
                    (
                        t.md("health.spof_mark", role=Markup(link.role(a.role)))
                        if a.single_point_of_failure
                        else link.role(a.role),
                        link.count(a.gates),
                        link.count(len(a.sops)),
                        link.hours(a.sla_hours),
                    )
                    for a in report.approvers
                ],
                t,
            ),
            t,
        )
    else:
        out += ["", t.md("health.no_approvals")]
    spofs = [a for a in report.approvers if a.single_point_of_failure]
    named = _names(
        [t.md("health.spof_entry", n=len(a.sops), role=Markup(link.role(a.role))) for a in spofs],
        t,
    )
    label = Markup(f"**{md_text(t('health.spof_label'))}**")
    out += [
        "",
        t.md("health.spof", label=label, rule=spof_rule_words(report, t), names=named),
        "",
        f"### {t.md('health.series')}",
        "",
        t.md("health.series_intro"),
        "",
    ]
    series, more = _first(report.approvals_in_series, link)
    if series:
        out += _md_table(
            ("index.sop", "health.series_approvals", "step.sla"),
            "llr",
            [
                (
                    link.sop(s.sop),
                    " → ".join(link.step_title(s.sop, step) for step in s.approvals),
                    link.hours(s.sla_hours),
                )
                for s in series
            ],
            t,
        )
        out += ["", more] if more else []
    else:
        out.append(t.md("health.none"))
    return out


def _load_md(report: HealthReport, link: _Links) -> list[str]:
    if report.weighted:
        return _yearly_load_md(report, link)
    t = link.t
    out = ["", f"## {t.md('health.load')}", "", t.md("health.load_intro")]
    out += _chart(
        [(link.role_name(load.role), load.responsible_hours) for load in report.load],
        t("health.load_chart"),
        "h",
        _md_table(
            ("roles.role", "role.load_r", "role.load_a", "health.hours_r"),
            "lrrr",
            [
                (
                    link.role(load.role),
                    link.count(load.responsible_steps),
                    link.count(load.accountable_steps),
                    link.hours(load.responsible_hours),
                )
                for load in report.load
            ],
            t,
        ),
        t,
    )
    return out


def _yearly_load_md(report: HealthReport, link: _Links) -> list[str]:
    """The role load when SOPs say how often they run (format 1.2): a year of runs."""
    t = link.t
    out = [
        "",
        f"## {t.md('health.load')}",
        "",
        t.md("health.load_intro_yearly", runs=runs_rule_words(report, t)),
    ]
    out += _chart(
        [(link.role_name(load.role), load.responsible_hours_per_year) for load in report.load],
        t("health.load_chart_yearly"),
        "h",
        _md_table(
            (
                "roles.role",
                "role.load_r",
                "role.load_a",
                "health.hours_r_run",
                "health.hours_r_year",
            ),
            "lrrrr",
            [
                (
                    link.role(load.role),
                    link.count(load.responsible_steps),
                    link.count(load.accountable_steps),
                    link.hours(load.responsible_hours),
                    link.hours(load.responsible_hours_per_year),
                )
                for load in report.load
            ],
            t,
        ),
        t,
    )
    return out


def _lead_time_md(report: HealthReport, link: _Links) -> list[str]:
    t = link.t
    out = ["", f"## {t.md('index.lead_time')}", "", t.md("health.lead_time_intro")]
    if any(time.hours_min is not None for time in report.lead_times):
        out[-1] += " " + t.md("health.lead_time_decisions")
    out += _chart(
        [(link.sop_title(time.sop), time.hours) for time in report.lead_times],
        t("health.lead_time_chart"),
        "h",
        _md_table(
            ("index.sop", "health.hours", "health.working_days", "health.critical_path"),
            "lrrl",
            [
                (
                    link.sop(time.sop),
                    link.hours(time.hours)
                    + (f" ({link.hours(time.hours_min)})" if time.hours_min is not None else ""),
                    link.count(time.working_days),
                    " → ".join(link.step_title(time.sop, step) for step in time.critical_path),
                )
                for time in _first(report.lead_times, link)[0]
            ],
            t,
        ),
        t,
    )
    if link.rows is not None and len(report.lead_times) > link.rows:
        out += [
            "",
            t.md(
                "health.more_lead_times",
                shown=link.rows,
                total=len(report.lead_times),
                command=_COMMAND,
            ),
        ]
    out += [
        "",
        f"### {t.md('health.chains')}",
        "",
        t.md("health.chains_intro", next=Markup("`next`")),
        "",
    ]
    chains, more = _first(report.chains, link)
    if chains:
        out += _md_table(
            ("health.chain", "health.hours"),
            "lr",
            [
                (
                    chain_text(
                        chain.sops,
                        chain.loops_to,
                        link.sop,
                        " → ",
                        lambda name: t.md("step.back_to", step=Markup(name)),
                    ),
                    link.hours(chain.hours),
                )
                for chain in chains
            ],
            t,
        )
    else:
        out.append(t.md("health.none"))
    if more:
        out += ["", more]
    if report.chains_truncated:
        out += ["", t.md("health.chains_truncated", n=len(report.chains))]
    return out


def _gaps_md(report: HealthReport, link: _Links) -> list[str]:
    gaps = report.gaps
    t = link.t

    def item(key: str, names: Iterable[str]) -> str:
        shown, more = _first(list(names), link)
        return f"- **{t.md(key)}** {_names(shown, t)}" + (f" ({more})" if more else "")

    def step(ref: StepRef) -> str:
        return link.sop(ref.sop, ref.step)

    return [
        "",
        f"## {t.md('health.gaps')}",
        "",
        item("health.gap_phases", (md_text(t.phase(phase)) for phase in gaps.phases)),
        item("health.gap_roles", (link.role(role) for role in gaps.roles)),
        item("health.gap_tools", (link.tool(tool) for tool in gaps.tools)),
        item("health.gap_steps", (step(ref) for ref in gaps.steps_without_duration)),
        item("health.gap_kpis", (link.sop(sop) for sop in gaps.sops_without_kpis)),
        item("health.gap_approval", (link.sop(sop) for sop in gaps.sops_without_approval)),
        *_quiz_info(gaps.onboarding_sops_without_quiz, link),
    ]


def _quiz_info(sops: Sequence[str], link: _Links) -> list[str]:
    """Onboarding SOPs without a knowledge check: information for the owners, not a problem."""
    if not sops:
        return []
    shown, more = _first(sops, link)
    t = link.t
    names = Markup(", ".join(link.sop(sop) for sop in shown))
    return [
        "",
        f'!!! info "{html_text(t("health.quiz_title"))}"',
        "",
        "    "
        + t.md("health.quiz_text", sops=names, quiz=Markup("`quiz`"))
        + (f" {more}" if more else ""),
    ]
