"""Handbook health: reviews, approval bottlenecks, role load, lead times and gaps, from the model.

Every figure is computed once, here, from the immutable `Library`; `render.health` only writes it
out as JSON, text or the site's `health/` page. The definitions (what counts, what is left out,
how ties are broken) are on each dataclass and function below, and they are the contract the
tests pin.

Common rules:

- Only SOPs *in force* count: every SOP whose status is not `retired` (drafts count: they are
  about to be run). When two files share an SOP id, the first by file path counts, as everywhere
  on the site.
- Hours are working hours (1d = 8h, 1w = 5d); a step without a valid duration counts as 0 hours
  and is listed under `Gaps.steps_without_duration`.
- Reject loops (`on_reject`) are never edges: a run of an SOP goes through each step once.
- Every list has a documented, total order; ties fall back to ids, so the output is stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sopkit import graph
from sopkit.cadence import CADENCES, runs_per_year
from sopkit.model import Library, Sop, Step

REVIEW_WINDOW_DAYS = 30
SPOF_MIN_SOPS = 3
SPOF_SHARE = 0.4
MAX_CHAINS = 500


@dataclass(frozen=True)
class ReviewDue:
    """An SOP in force whose review is overdue or due within the window.

    `days_overdue` is `today - due` in calendar days: positive when overdue, 0 when due today,
    negative for the days left.
    """

    sop: str
    owner: str | None
    reviewed: dt.date
    due: dt.date
    days_overdue: int


@dataclass(frozen=True)
class ApproverLoad:
    """A role that is the A (the single final approver) of approval steps.

    `gates` counts approval steps, `sops` the distinct SOPs they sit in (sorted ids), and
    `sla_hours` sums the durations of those approval steps (the time the approver has).
    """

    role: str
    gates: int
    sops: tuple[str, ...]
    sla_hours: float
    single_point_of_failure: bool


@dataclass(frozen=True)
class SeriesApprovals:
    """An SOP in which one run waits for two or more approvals one after another.

    `approvals` are the approval steps on the path through the step graph that passes the most
    of them (in order), `sla_hours` the sum of their durations.
    """

    sop: str
    approvals: tuple[str, ...]
    sla_hours: float


@dataclass(frozen=True)
class RoleLoad:
    """What one run of every SOP in force asks of a role, and what a year of runs asks.

    `responsible_steps` and `accountable_steps` count the steps where the role is R and A.
    `responsible_hours` sums the duration of every step where the role is R, in full for each R:
    two roles that share a 1d step each spend the day on it (pairing, reviewing each other), so
    splitting the hours would understate both.
    """

    role: str
    responsible_steps: int
    accountable_steps: int
    responsible_hours: float
    responsible_hours_per_year: float = 0.0
    """`responsible_hours` with each SOP counted as often as it runs in a year, by its cadence
    (`sopkit.cadence.runs_per_year`; an SOP without one counts as on demand)."""


@dataclass(frozen=True)
class LeadTime:
    """An SOP's critical path (the longest chain of steps by `after`, in step ids) and its hours.

    `working_days` counts the working days a run touches (the due day of its last step, plus
    one), as the SOP page and the run page say. `steps_without_duration` counts the SOP's steps
    that have none: the hours are then a floor.
    """

    sop: str
    hours: float
    working_days: int
    critical_path: tuple[str, ...]
    steps_without_duration: int
    hours_min: float | None = None
    """The quickest way through the SOP's decisions (format 1.2), when it differs from `hours`,
    the longest."""


@dataclass(frozen=True)
class Chain:
    """SOPs that hand over to each other by `next`, end to end.

    A chain has two SOPs or more. `hours` is the sum of the SOPs' lead times. `loops_to` is the
    SOP on the chain that the last one hands back to (the chain is a cycle from there), or None
    when the chain simply ends.
    """

    sops: tuple[str, ...]
    hours: float
    loops_to: str | None


@dataclass(frozen=True)
class StepRef:
    sop: str
    step: str


@dataclass(frozen=True)
class Gaps:
    """What the handbook names but does not use, and SOPs missing what the format expects.

    - `phases`: configured phases no SOP in force is in (in configured order);
    - `roles`: roles of roles.yml that no step of an SOP in force names, under any letter;
    - `tools`: tools of tools.yml that no SOP in force names (SOP tools, step tools, KPI sources);
    - `steps_without_duration`: by SOP id, then in written order;
    - `sops_without_kpis`, `sops_without_approval`: SOP ids;
    - `onboarding_sops_without_quiz`: SOPs that onboarding.yml puts on a role's path and that
      have no quiz, by id. Information, not a problem: a knowledge check is optional.
    """

    phases: tuple[str, ...]
    roles: tuple[str, ...]
    tools: tuple[str, ...]
    steps_without_duration: tuple[StepRef, ...]
    sops_without_kpis: tuple[str, ...]
    sops_without_approval: tuple[str, ...]
    onboarding_sops_without_quiz: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthReport:
    """Every figure of the health page and of `sopkit report`, as of `today`.

    Orders: `reviews` most overdue first (then SOP id); `without_review_date` by id; `approvers`
    by gates, then SOPs, then SLA hours (each descending), then role id; `approvals_in_series` by
    SOP id; `load` by responsible hours a year, then per run, then R steps, then A steps
    (descending), then role id;
    `lead_times` by hours descending, then SOP id; `chains` by hours descending, then their ids.
    """

    today: dt.date
    sops: int
    review_window_days: int
    reviews: tuple[ReviewDue, ...]
    without_review_date: tuple[str, ...]
    approvers: tuple[ApproverLoad, ...]
    sops_with_approvals: int
    spof_min_sops: int
    spof_share: float
    approvals_in_series: tuple[SeriesApprovals, ...]
    load: tuple[RoleLoad, ...]
    lead_times: tuple[LeadTime, ...]
    chains: tuple[Chain, ...]
    chains_truncated: bool
    gaps: Gaps
    runs_per_year: Mapping[str, float] = field(default_factory=dict)
    """Runs a year by cadence, as the role load counts them (the site's settings applied)."""
    weighted: bool = False
    """Whether an SOP in force has a cadence: only then does a year differ from one run each."""


def health_report(
    library: Library,
    today: dt.date,
    *,
    review_window_days: int = REVIEW_WINDOW_DAYS,
    spof_min_sops: int = SPOF_MIN_SOPS,
    spof_share: float = SPOF_SHARE,
    max_chains: int = MAX_CHAINS,
) -> HealthReport:
    """The health of `library` as of `today`.

    An approver is a *single point of failure* when it gates approvals in at least
    `spof_min_sops` SOPs, or in at least `spof_share` of the SOPs that have an approval.
    At most `max_chains` chains are listed; `chains_truncated` says when more exist.
    """
    sops = in_force(library)
    reviews, undated = _reviews(sops, today, review_window_days)
    approvers, with_approvals = _approvers(sops, spof_min_sops, spof_share)
    chains, truncated = _chains(sops, library.sop_order, max_chains)
    return HealthReport(
        today=today,
        sops=len(sops),
        review_window_days=review_window_days,
        reviews=reviews,
        without_review_date=undated,
        approvers=approvers,
        sops_with_approvals=with_approvals,
        spof_min_sops=spof_min_sops,
        spof_share=spof_share,
        approvals_in_series=_series(sops),
        load=_load(library, sops),
        runs_per_year={c: runs_per_year(c, library.settings.runs_per_year) for c in CADENCES},
        weighted=any(sop.cadence for sop in sops.values()),
        lead_times=_lead_times(sops),
        chains=chains,
        chains_truncated=truncated,
        gaps=_gaps(library, sops),
    )


def in_force(library: Library) -> dict[str, Sop]:
    """SOPs that are not retired, by id (first file wins on a shared id), sorted by id."""
    return {
        sop_id: library.sop_index[sop_id]
        for sop_id in sorted(library.sop_index)
        if library.sop_index[sop_id].status != "retired"
    }


def _reviews(
    sops: Mapping[str, Sop], today: dt.date, window: int
) -> tuple[tuple[ReviewDue, ...], tuple[str, ...]]:
    """Reviews due by `today + window` days; and active SOPs with no due date at all.

    Drafts are not listed without a date (they have not been reviewed yet, as the checker's
    `missing-review` rule says); an unreadable `reviewed` or `review_every` counts as no date.
    """
    due_soon: list[ReviewDue] = []
    undated: list[str] = []
    horizon = today + dt.timedelta(days=window)
    for sop in sops.values():
        due = sop.review_due
        if due is None or sop.reviewed is None:
            if sop.status == "active":
                undated.append(sop.id)
            continue
        if due <= horizon:
            due_soon.append(ReviewDue(sop.id, sop.owner, sop.reviewed, due, (today - due).days))
    due_soon.sort(key=lambda review: (-review.days_overdue, review.sop))
    return tuple(due_soon), tuple(undated)


def upcoming_reviews(
    library: Library, today: dt.date, after_days: int, within_days: int
) -> tuple[ReviewDue, ...]:
    """Reviews of SOPs in force due more than `after_days` and at most `within_days` days after
    `today`, soonest first (then SOP id): what comes up after the report's window."""
    reviews, _ = _reviews(in_force(library), today, within_days)
    return tuple(review for review in reviews if -review.days_overdue > after_days)


def _approvers(
    sops: Mapping[str, Sop], min_sops: int, share: float
) -> tuple[tuple[ApproverLoad, ...], int]:
    """Approver loads, and how many SOPs have at least one approval step.

    An approval step whose A is not exactly one role has no approver (the checker reports it)
    and is left out.
    """
    gates: dict[str, int] = {}
    gated: dict[str, set[str]] = {}
    sla: dict[str, float] = {}
    with_approvals = 0
    for sop in sops.values():
        if sop.approvals:
            with_approvals += 1
        for step in sop.approvals:
            role = step.raci.approver
            if role is None:
                continue
            gates[role] = gates.get(role, 0) + 1
            gated.setdefault(role, set()).add(sop.id)
            sla[role] = sla.get(role, 0.0) + (step.hours or 0.0)
    loads = [
        ApproverLoad(
            role=role,
            gates=gates[role],
            sops=tuple(sorted(gated[role])),
            sla_hours=sla[role],
            single_point_of_failure=len(gated[role]) >= min_sops
            or len(gated[role]) >= share * with_approvals,
        )
        for role in gates
    ]
    loads.sort(key=lambda a: (-a.gates, -len(a.sops), -a.sla_hours, a.role))
    return tuple(loads), with_approvals


def series_approvals(sop: Sop) -> tuple[str, ...]:
    """The approval steps on the path of the step graph that passes the most of them.

    Paths follow `after` only. On equal counts the earlier-written predecessor and end step win.
    A step graph with a cycle has no paths: ().
    """
    after = {step.id: step.after for step in sop.steps}
    ids = list(dict.fromkeys(step.id for step in sop.steps))
    if graph.find_cycle(ids, after):
        return ()
    approval = {step.id for step in sop.steps if step.is_approval}
    best: dict[str, tuple[str, ...]] = {}
    for step_id in graph.topological_order(ids, after):
        upstream: tuple[str, ...] = ()
        for pred in after.get(step_id, ()):
            if len(best.get(pred, ())) > len(upstream):
                upstream = best[pred]
        best[step_id] = upstream + ((step_id,) if step_id in approval else ())
    longest: tuple[str, ...] = ()
    for step_id in ids:
        if len(best[step_id]) > len(longest):
            longest = best[step_id]
    return longest


def _series(sops: Mapping[str, Sop]) -> tuple[SeriesApprovals, ...]:
    found = []
    for sop in sops.values():
        approvals = series_approvals(sop)
        if len(approvals) >= 2:
            hours = sum((_hours(sop, step_id) for step_id in approvals), 0.0)
            found.append(SeriesApprovals(sop.id, approvals, hours))
    return tuple(found)


def _hours(sop: Sop, step_id: str) -> float:
    step = sop.step(step_id)
    return (step.hours or 0.0) if step else 0.0


def _load(library: Library, sops: Mapping[str, Sop]) -> tuple[RoleLoad, ...]:
    """Every role of roles.yml, and every other role that is R or A of a step."""
    r_steps: dict[str, int] = dict.fromkeys(library.roles, 0)
    a_steps: dict[str, int] = dict.fromkeys(library.roles, 0)
    r_hours: dict[str, float] = dict.fromkeys(library.roles, 0.0)
    r_year: dict[str, float] = dict.fromkeys(library.roles, 0.0)
    for sop in sops.values():
        runs = runs_per_year(sop.cadence, library.settings.runs_per_year)
        for step in sop.steps:
            for role in dict.fromkeys(step.raci.responsible):
                r_steps[role] = r_steps.get(role, 0) + 1
                r_hours[role] = r_hours.get(role, 0.0) + (step.hours or 0.0)
                r_year[role] = r_year.get(role, 0.0) + (step.hours or 0.0) * runs
            for role in dict.fromkeys(step.raci.accountable):
                a_steps[role] = a_steps.get(role, 0) + 1
    roles = set(r_steps) | set(a_steps)
    loads = [
        RoleLoad(
            role,
            r_steps.get(role, 0),
            a_steps.get(role, 0),
            r_hours.get(role, 0.0),
            r_year.get(role, 0.0),
        )
        for role in roles
    ]
    loads.sort(
        key=lambda load: (
            -load.responsible_hours_per_year,
            -load.responsible_hours,
            -load.responsible_steps,
            -load.accountable_steps,
            load.role,
        )
    )
    return tuple(loads)


def _timed(sop: Sop, step: Step) -> bool:
    """Whether a step without a duration still has its time: a decision (the time to decide is
    optional), or a sub-procedure whose SOP the schedule found."""
    slot = sop.schedule.slots.get(step.id)
    return step.is_decision or bool(step.sop and slot and slot.finish > slot.start)


def _lead_times(sops: Mapping[str, Sop]) -> tuple[LeadTime, ...]:
    """The lead time and critical path the model holds: `sopkit.schedule`'s rule, computed once
    by `load`, as the SOP page, the run page and `sops.json` show them."""
    times = [
        LeadTime(
            sop.id,
            sop.lead_time_hours,
            sop.schedule.days,
            sop.critical_path,
            # A decision may take no time, a sub-procedure takes its SOP's lead time.
            sum(1 for step in sop.steps if step.hours is None and not _timed(sop, step)),
            sop.lead_time_hours_min if sop.lead_time_hours_min != sop.lead_time_hours else None,
        )
        for sop in sops.values()
    ]
    times.sort(key=lambda time: (-time.hours, time.sop))
    return tuple(times)


def _chains(
    sops: Mapping[str, Sop], order: Sequence[str], limit: int
) -> tuple[tuple[Chain, ...], bool]:
    """Maximal runs of SOPs along `next` links between SOPs in force (`graph.maximal_paths`).

    Chains start at SOPs that no other SOP's `next` names; each cycle that no such start reaches
    is walked once, from its first SOP in the handbook's reading order (`Library.sop_order`).
    Links to unknown or retired SOPs and to the SOP itself are ignored.
    """
    reading = list(dict.fromkeys(sop_id for sop_id in [*order, *sops] if sop_id in sops))
    paths, complete = graph.maximal_paths(
        reading, {sop_id: sop.next for sop_id, sop in sops.items()}, limit
    )
    chains = [
        Chain(path, sum((sops[s].lead_time_hours for s in path), 0.0), loops_to)
        for path, loops_to in paths
    ]
    chains.sort(key=lambda chain: (-chain.hours, chain.sops))
    return tuple(chains), not complete


def _gaps(library: Library, sops: Mapping[str, Sop]) -> Gaps:
    used_phases = {sop.phase for sop in sops.values()}
    named_roles = {role for sop in sops.values() for role in sop.roles()}
    used_tools = {tool for sop in sops.values() for tool in sop.all_tools()}
    used_tools |= {kpi.source for sop in sops.values() for kpi in sop.kpis if kpi.source}
    onboarding = {
        sop_id
        for path in library.onboarding.values()
        for stage in path.stages
        for sop_id in stage.sops
    }
    return Gaps(
        phases=tuple(p for p in library.settings.phases if p not in used_phases),
        roles=tuple(sorted(set(library.roles) - named_roles)),
        tools=tuple(sorted(set(library.tools) - used_tools)),
        steps_without_duration=tuple(
            StepRef(sop.id, step.id)
            for sop in sops.values()
            for step in sop.steps
            if step.hours is None
        ),
        sops_without_kpis=tuple(sop.id for sop in sops.values() if not sop.kpis),
        sops_without_approval=tuple(sop.id for sop in sops.values() if not sop.approvals),
        onboarding_sops_without_quiz=tuple(
            sop_id for sop_id in sorted(onboarding) if sop_id in sops and not sops[sop_id].quiz
        ),
    )
