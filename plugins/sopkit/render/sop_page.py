"""The page of one SOP: the same layout for every SOP, from the `sop.md.j2` template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from sopkit.labels import Labels
from sopkit.model import RACI_LETTERS, Library, Sop, Step
from sopkit.render import links
from sopkit.render.context import SLUG_ONLY, PageOptions, phase_name
from sopkit.render.diagrams import Diagram, workflow_diagram
from sopkit.render.escape import md_html_text, tag_markup, yaml_string
from sopkit.render.facts import cadence_label, own_facts, run_facts
from sopkit.render.links import relative_url
from sopkit.render.quiz import quiz_view
from sopkit.render.refs import (
    RoleRef,
    lead_time_text,
    letter_names,
    review_state,
    role_ref,
    sop_ref,
    sop_review_attributes,
    step_number,
    tool_ref,
)
from sopkit.render.run_page import has_run_page
from sopkit.render.templating import render
from sopkit.render.timeline import CRITICAL_MARK, timeline


def page_steps_heading(options: PageOptions) -> str:
    """The steps heading of SOP pages: `labels:` if it sets one, else `steps_heading`, else the
    language's word."""
    t = options.labels
    if options.steps_heading and "steps.heading" not in t.overrides:
        return options.steps_heading
    return t("steps.heading")


def _html_link(text: str, href: str) -> str:
    return f'<a href="{md_html_text(href)}">{md_html_text(text)}</a>'


def _step_view(
    library: Library, sop: Sop, step: Step, page: str, t: Labels, use_directory_urls: bool = True
) -> dict[str, Any]:
    """What the template shows of a step; `facts` are (label, HTML) pairs."""
    facts: list[tuple[str, str]] = []
    if step.is_approval:
        kind = t("step.approval")
    else:
        kind = t("step.decision") if step.is_decision else t("step.task")
    if step.duration:
        if step.is_approval:
            label = t("step.sla")
        else:
            label = t("step.time_to_decide") if step.is_decision else t("step.duration")
        facts.append((label, md_html_text(t.duration(step.hours or 0))))
    if step.tools:
        refs = [tool_ref(library, tool_id) for tool_id in step.tools]
        facts.append(
            (
                t("step.tools"),
                ", ".join(
                    _html_link(r.name, relative_url(page, r.page, use_directory_urls))
                    if r.page
                    else md_html_text(r.name)
                    for r in refs
                ),
            )
        )
    if step.output:
        facts.append((t("step.output"), md_html_text(step.output)))
    if step.sop:
        called = sop_ref(library, step.sop)
        text = called.title
        link = Markup(
            _html_link(text, relative_url(page, called.page, use_directory_urls))
            if called.page
            else md_html_text(text)
        )
        facts.append(
            (
                t("step.sub_procedure"),
                t.html("step.runs", sop=link) + _called_time(library, step, t),
            )
        )
    if step.is_decision and step.branches:
        facts.append((t("step.decision"), _branches_html(sop, step)))
    gates = [s for s in sop.steps if s.is_decision and any(b.to == step.id for b in s.branches)]
    for gate in gates:
        answers = [b.when for b in gate.branches if b.to == step.id]
        gate_link = Markup(
            _html_link(f"{step_number(gate)}. {gate.title}", "#" + links.step_anchor(gate.id))
        )
        said = t("common.or").join(t("common.quoted", text=a) for a in answers)
        facts.append((t("step.runs_when"), t.html("step.answered", step=gate_link, answers=said)))
    if step.links:
        facts.append(
            (
                t("step.links"),
                ", ".join(
                    f'<a href="{md_html_text(link.url)}" data-sopkit-link>'
                    f"{md_html_text(link.title)}</a>"
                    for link in step.links
                ),
            )
        )
    default_after = (sop.steps[step.index - 1].id,) if step.index > 0 else ()
    gate_ids = tuple(gate.id for gate in gates)
    if step.after != default_after and not (gates and step.after == gate_ids):
        waits = [sop.step(ref) for ref in step.after]
        shown = [
            _html_link(f"{step_number(s)}. {s.title}", "#" + links.step_anchor(s.id))
            for s in waits
            if s
        ]
        facts.append(
            (
                t("step.starts_after"),
                ", ".join(shown) if shown else md_html_text(t("step.the_start")),
            )
        )
    if step.is_approval:
        target = sop.step(step.on_reject) if step.on_reject else None
        if target:
            back = f"{step_number(target)}. {target.title}"
            link = Markup(_html_link(back, "#" + links.step_anchor(target.id)))
            facts.append((t("step.changes_requested"), t.html("step.back_to", step=link)))
    facts += [(fact.label, fact.html) for fact in own_facts(step.own_fields)]
    return {
        "number": step_number(step),
        "title": step.title,
        "anchor": links.step_anchor(step.id),
        "kind": kind,
        "badges": [
            (letter, role_ref(library, role))
            for letter, roles in step.raci.letters()
            for role in roles
        ],
        "facts": facts,
        "criteria": step.criteria,
        "checklist": step.checklist,
        "instructions": step.instructions,
        "orphans": _orphans(sop, step.id),
    }


def _branches_html(sop: Sop, step: Step) -> str:
    """`<ul data-kind="branch">`: each answer and the step it leads to, linked."""
    items = []
    for branch in step.branches:
        target = sop.step(branch.to)
        where = (
            _html_link(f"{step_number(target)}. {target.title}", "#" + links.step_anchor(target.id))
            if target
            else md_html_text(branch.to)
        )
        items.append(
            f'<li data-kind="branch" data-to="{md_html_text(branch.to)}">'
            f"<strong>{md_html_text(branch.when)}</strong> → {where}</li>"
        )
    return '<ul class="sopkit-branches">' + "".join(items) + "</ul>"


def _called_time(library: Library, step: Step, t: Labels) -> str:
    """` (no duration of its own: ...)` when the step takes the called SOP's lead time."""
    called = library.sop(step.sop) if step.sop else None
    if called is None or step.duration is not None:
        return ""
    return " " + md_html_text(t("step.called_time", time=lead_time_text(called, t)))


def _orphans(sop: Sop, after_step: str | None) -> list[dict[str, Any]]:
    """Sections under `## Steps` that name no step, to show where the author wrote them."""
    return [
        {"title": o.heading.text, "line": o.heading.line, "text": o.text}
        for o in sop.orphan_sections
        if o.after_step == after_step
    ]


def _approval_view(library: Library, sop: Sop, step: Step, t: Labels) -> dict[str, Any]:
    reject = sop.step(step.on_reject) if step.on_reject else None
    approver = step.raci.accountable[0] if step.raci.accountable else None
    return {
        "number": step_number(step),
        "title": step.title,
        "anchor": links.step_anchor(step.id),
        "approver": (
            role_ref(library, approver) if approver else RoleRef("", t("common.nobody"), None, None)
        ),
        "submitters": [role_ref(library, role) for role in step.raci.responsible],
        "sla": t.duration(step.hours) if step.hours else t("common.not_set"),
        "reject": (
            {
                "number": step_number(reject),
                "title": reject.title,
                "anchor": links.step_anchor(reject.id),
            }
            if reject
            else None
        ),
        "criteria": step.criteria,
    }


RACI_MATRIX_ROLES = 8
"""The most roles the step-by-role RACI table has; past that, only the table by role is shown."""


def _raci_rows(library: Library, sop: Sop) -> tuple[list[RoleRef], list[dict[str, Any]]]:
    roles = [role_ref(library, role) for role in sop.roles()]
    rows = []
    for step in sop.steps:
        rows.append(
            {
                "number": step_number(step),
                "title": step.title,
                "anchor": links.step_anchor(step.id),
                "cells": [", ".join(step.raci.letters_of(r.id)) for r in roles],
            }
        )
    return roles, rows


def _raci_by_role(sop: Sop, roles: list[RoleRef]) -> list[dict[str, Any]]:
    """One row per role: for each letter, the steps where the role holds it."""
    result = []
    for ref in roles:
        letters: dict[str, list[dict[str, Any]]] = {letter: [] for letter in RACI_LETTERS}
        for step in sop.steps:
            for letter in step.raci.letters_of(ref.id):
                letters[letter].append(
                    {
                        "number": step_number(step),
                        "title": step.title,
                        "anchor": links.step_anchor(step.id),
                    }
                )
        result.append({"ref": ref, "letters": letters})
    return result


def sop_markdown(
    library: Library,
    sop: Sop,
    options: PageOptions,
    diagram: Diagram | None = None,
    history: Mapping[str, Any] | None = None,
) -> str:
    """The Markdown of an SOP's page (with front matter for MkDocs, Material and mkdocs-macros).

    `history` is the SOP's git history block (`render.history.sop_history_view`), if any.
    """
    page = links.sop_page(sop)
    if diagram is None:
        diagram = workflow_diagram(
            sop,
            library.roles,
            step_href=lambda step: "#" + links.step_anchor(step.id),
            role_href=lambda role: (
                links.relative_url(page, links.role_page(role), options.use_directory_urls)
                if role in library.roles
                else None
            ),
            limits=options.limits,
            t=options.labels,
        )
    t = options.labels
    raci_roles, raci_rows = _raci_rows(library, sop)
    related = []
    for label, ids in (
        (t("sop.requires"), sop.requires),
        (t("sop.next"), sop.next),
        (t("sop.required_by"), library.required_by(sop.id)),
    ):
        if ids:
            related.append((label, [sop_ref(library, sop_id) for sop_id in ids]))
    # Material's tags: the phase (when it is an id) by its name in the site's language, and every
    # free-text tag, as front matter.
    phase_tags = [phase_name(sop.phase, t)] if sop.phase and set(sop.phase) <= SLUG_ONLY else []
    # One Material tag per tag whatever its case: the first spelling (the phase's, else the
    # handbook's).
    shown: dict[str, str] = {}
    for tag in [*phase_tags, *(library.tag_name(name) for name in sop.tags)]:
        shown.setdefault(tag.casefold(), tag)
    tags = [yaml_string(tag_markup(tag)) for tag in shown.values()]
    critical = [sop.step(step_id) for step_id in sop.critical_path]
    critical_text = " → ".join(f"{step_number(s)}" for s in critical if s)
    return render(
        "sop.md.j2",
        options.templates,
        page=page,
        use_directory_urls=options.use_directory_urls,
        t=t,
        steps_heading=page_steps_heading(options),
        letter_names=letter_names(t),
        material_tags=options.material_tags,
        sop=sop,
        tags=tags,
        phase_name=phase_name(sop.phase, t),
        status_name=t.known(f"status.{sop.status}") or sop.status.capitalize(),
        phase_anchor=sop.phase if set(sop.phase) <= SLUG_ONLY else "",
        lifecycle_page=links.LIFECYCLE,
        finder_page=links.finder_page(library.settings.sops_dir),
        owner=(
            role_ref(library, sop.owner)
            if sop.owner
            else RoleRef("", t("common.nobody"), None, None)
        ),
        review=review_state(sop, options.today, t=t),
        review_attributes=sop_review_attributes(
            sop, options.today, "chip", pinned=options.today_pinned
        ),
        cadence=cadence_label(sop.cadence, t) if sop.cadence else None,
        facts=[*run_facts(sop, t), *own_facts(sop.own_fields)],
        lead_time_text=lead_time_text(sop, t),
        critical_text=(
            t("sop.critical_steps", list=critical_text) if critical_text else t("common.none")
        ),
        tools=[tool_ref(library, tool_id) for tool_id in sop.tools],
        diagram=diagram,
        steps=[
            _step_view(library, sop, step, page, t, options.use_directory_urls)
            for step in sop.steps
        ],
        orphans_first=_orphans(sop, None),
        approvals=[_approval_view(library, sop, step, t) for step in sop.approvals],
        kpis=[
            {
                "name": kpi.name,
                "target": kpi.target,
                "source": tool_ref(library, kpi.source) if kpi.source else None,
                "cadence": kpi.cadence,
            }
            for kpi in sop.kpis
        ],
        raci_roles=raci_roles,
        raci_rows=raci_rows,
        raci_by_role=_raci_by_role(sop, raci_roles),
        raci_matrix=len(raci_roles) <= RACI_MATRIX_ROLES,
        related=related,
        quiz=quiz_view(sop, options.site_key),
        timeline=timeline(sop, library.roles, t),
        has_decisions=any(step.is_decision for step in sop.steps),
        critical_mark=CRITICAL_MARK,
        run_page=links.run_page(sop.id) if has_run_page(library, sop) else None,
        history=history,
    )
