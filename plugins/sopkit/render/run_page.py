"""The run page of an active SOP (`run/<sop-id>/`): a checklist with due dates from a start date.

The page lists every step and checklist item at build time, so it reads and prints without
JavaScript. `overrides/assets/sopkit-run.js` adds the start date, due dates, progress kept in
the browser and the downloads; it computes dates with `sopkit-schedule.js`, the browser's copy
of `sopkit.schedule`, from the whole minutes and `after` links written on each step.

Public hooks (README, "Run pages"): `data-sopkit-run` on the run's box, `data-step="<id>"` on
each step's element and, once a start date is set, `data-due="YYYY-MM-DD"`. A decision's step
has `data-kind="decision"`, `data-branches="<step id> ..."` and a group of radio buttons
(`data-decision="<id>"`, one `data-answer="<step id>"` each and one `data-answer=""` for "not
decided yet"); a step the answers skip gets `data-skipped="true"` and no due date.
"""

from __future__ import annotations

from typing import Any

from sopkit import schedule
from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, Sop, Step
from sopkit.render import links
from sopkit.render.context import GeneratedPage, PageOptions
from sopkit.render.facts import run_facts
from sopkit.render.refs import lead_time_text, role_ref, sop_ref, step_number
from sopkit.render.templating import render


def has_run_page(library: Library, sop: Sop) -> bool:
    """Active SOPs get a run page; when two files share an id, the first one's."""
    return sop.status == "active" and library.sop(sop.id) is sop


def run_pages(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    return {
        links.run_page(sop.id): GeneratedPage(run_markdown(library, sop, options), sop.file)
        for sop in library.sops
        if has_run_page(library, sop)
    }


def _step_view(library: Library, sop: Sop, step: Step, t: Labels = ENGLISH) -> dict[str, Any]:
    slot = sop.schedule.slots.get(step.id)
    reject = sop.step(step.on_reject) if step.is_approval and step.on_reject else None
    return {
        "id": step.id,
        "number": step_number(step),
        "title": step.title,
        "kind": "approval" if step.is_approval else "decision" if step.is_decision else "task",
        "after": " ".join(dict.fromkeys(step.after)),
        "branches": [
            {
                "when": branch.when,
                "to": branch.to,
                "number": step_number(target),
                "title": target.title,
            }
            for branch in step.branches
            if step.is_decision and (target := sop.step(branch.to)) is not None
        ],
        "gates": [
            {"number": step_number(gate), "title": gate.title, "answers": answers}
            for gate in sop.steps
            if gate.is_decision and (answers := [b.when for b in gate.branches if b.to == step.id])
        ],
        "sop_call": sop_ref(library, step.sop) if step.sop else None,
        "links": step.links,
        # The schedule's minutes: a sub-procedure without a duration takes its SOP's lead time.
        "minutes": slot.finish - slot.start if slot else schedule.minutes(step.hours),
        "duration": t.duration(step.hours or 0) if step.duration else _called(step, slot, t),
        "day": slot.due_day if slot else None,
        "critical": step.id in sop.critical_path,
        "roles": [
            (letter, t(f"letter.{letter}"), [role_ref(library, role) for role in roles])
            for letter, roles in step.raci.letters()[:2]
            if roles
        ],
        "checklist": step.checklist,
        "criteria": step.criteria,
        "reject": {"number": step_number(reject), "title": reject.title, "id": reject.id}
        if reject
        else None,
        "anchor": links.step_anchor(step.id),
    }


def _called(step: Step, slot: schedule.Slot | None, t: Labels = ENGLISH) -> str | None:
    """`4h (the lead time of the SOP it runs)` for a sub-procedure without a duration."""
    if not step.sop or slot is None or slot.finish == slot.start:
        return None
    return t("run.called_duration", time=t.duration((slot.finish - slot.start) / 60))


def run_markdown(library: Library, sop: Sop, options: PageOptions) -> str:
    """The Markdown of `sop`'s run page."""
    t = options.labels
    return render(
        "run.md.j2",
        options.templates,
        t=t,
        page=links.run_page(sop.id),
        use_directory_urls=options.use_directory_urls,
        sop=sop,
        sop_page=links.sop_page(sop),
        key=f"{options.site_key}/{sop.id}",
        holidays=" ".join(day.isoformat() for day in options.holidays),
        lead_time_text=lead_time_text(sop, t),
        run_facts=run_facts(sop, t),
        days=sop.schedule.days,
        steps=[_step_view(library, sop, step, t) for step in sop.steps],
    )
