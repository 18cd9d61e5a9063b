"""The page of one SOP: the same layout for every SOP, from the `sop.md.j2` template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sopkit.model import Library, Sop, Step
from sopkit.render import links
from sopkit.render.context import SLUG_ONLY, PageOptions
from sopkit.render.diagrams import Diagram, workflow_diagram
from sopkit.render.escape import md_html_text, tag_markup, yaml_string
from sopkit.render.links import relative_url
from sopkit.render.quiz import quiz_view
from sopkit.render.refs import (
    LETTER_NAMES,
    RoleRef,
    lead_time_text,
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
from sopkit.units import format_hours


def _html_link(text: str, href: str) -> str:
    return f'<a href="{md_html_text(href)}">{md_html_text(text)}</a>'


def _step_view(
    library: Library, sop: Sop, step: Step, page: str, use_directory_urls: bool = True
) -> dict[str, Any]:
    """What the template shows of a step; `facts` are (label, HTML) pairs."""
    facts: list[tuple[str, str]] = []
    kind = "Approval" if step.is_approval else "Decision" if step.is_decision else "Task"
    if step.duration:
        label = "SLA" if step.is_approval else "Time to decide" if step.is_decision else "Duration"
        facts.append((label, md_html_text(format_hours(step.hours or 0))))
    if step.tools:
        refs = [tool_ref(library, tool_id) for tool_id in step.tools]
        facts.append(
            (
                "Tools",
                ", ".join(
                    _html_link(r.name, relative_url(page, r.page, use_directory_urls))
                    if r.page
                    else md_html_text(r.name)
                    for r in refs
                ),
            )
        )
    if step.output:
        facts.append(("Output", md_html_text(step.output)))
    if step.sop:
        called = sop_ref(library, step.sop)
        text = called.title
        facts.append(
            (
                "Sub-procedure",
                "runs "
                + (
                    _html_link(text, relative_url(page, called.page, use_directory_urls))
                    if called.page
                    else md_html_text(text)
                )
                + _called_time(library, step),
            )
        )
    if step.is_decision and step.branches:
        facts.append(("Decision", _branches_html(sop, step)))
    gates = [s for s in sop.steps if s.is_decision and any(b.to == step.id for b in s.branches)]
    for gate in gates:
        answers = [b.when for b in gate.branches if b.to == step.id]
        facts.append(
            (
                "Runs when",
                _html_link(f"{step_number(gate)}. {gate.title}", "#" + links.step_anchor(gate.id))
                + " is answered "
                + " or ".join(f"“{md_html_text(a)}”" for a in answers),
            )
        )
    if step.links:
        facts.append(
            (
                "Links",
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
        facts.append(("Starts after", ", ".join(shown) if shown else "the start"))
    if step.is_approval:
        target = sop.step(step.on_reject) if step.on_reject else None
        if target:
            back = f"{step_number(target)}. {target.title}"
            facts.append(
                (
                    "Changes requested",
                    "back to " + _html_link(back, "#" + links.step_anchor(target.id)),
                )
            )
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


def _called_time(library: Library, step: Step) -> str:
    """` (its lead time: about 3 hours)` when the step takes the called SOP's lead time."""
    called = library.sop(step.sop) if step.sop else None
    if called is None or step.duration is not None:
        return ""
    return f" (no duration of its own: it takes that SOP's lead time, {lead_time_text(called)})"


def _orphans(sop: Sop, after_step: str | None) -> list[dict[str, Any]]:
    """Sections under `## Steps` that name no step, to show where the author wrote them."""
    return [
        {"title": o.heading.text, "line": o.heading.line, "text": o.text}
        for o in sop.orphan_sections
        if o.after_step == after_step
    ]


def _approval_view(library: Library, sop: Sop, step: Step) -> dict[str, Any]:
    reject = sop.step(step.on_reject) if step.on_reject else None
    approver = step.raci.accountable[0] if step.raci.accountable else None
    return {
        "number": step_number(step),
        "title": step.title,
        "anchor": links.step_anchor(step.id),
        "approver": role_ref(library, approver) if approver else RoleRef("", "nobody", None, None),
        "submitters": [role_ref(library, role) for role in step.raci.responsible],
        "sla": format_hours(step.hours) if step.hours else "not set",
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
        letters: dict[str, list[dict[str, Any]]] = {letter: [] for letter in LETTER_NAMES}
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
        )
    raci_roles, raci_rows = _raci_rows(library, sop)
    related = []
    for label, ids in (
        ("Read first", sop.requires),
        ("Hands over to", sop.next),
        ("Required by", library.required_by(sop.id)),
    ):
        if ids:
            related.append((label, [sop_ref(library, sop_id) for sop_id in ids]))
    # Material's tags: the phase (when it is an id) and every free-text tag, as front matter.
    phase_tags = [sop.phase] if sop.phase and set(sop.phase) <= SLUG_ONLY else []
    # One Material tag per tag whatever its case: the handbook's first spelling.
    shown = [*phase_tags, *(library.tag_name(t) for t in sop.tags)]
    tags = [yaml_string(tag_markup(t)) for t in dict.fromkeys(shown)]
    critical = [sop.step(step_id) for step_id in sop.critical_path]
    critical_text = " → ".join(f"{step_number(s)}" for s in critical if s) or "none"
    return render(
        "sop.md.j2",
        options.templates,
        page=page,
        use_directory_urls=options.use_directory_urls,
        letter_names=LETTER_NAMES,
        material_tags=options.material_tags,
        sop=sop,
        tags=tags,
        phase_name=sop.phase.capitalize() if sop.phase else "No phase",
        phase_anchor=sop.phase if set(sop.phase) <= SLUG_ONLY else "",
        lifecycle_page=links.LIFECYCLE,
        finder_page=links.finder_page(library.settings.sops_dir),
        owner=role_ref(library, sop.owner) if sop.owner else RoleRef("", "nobody", None, None),
        review=review_state(sop, options.today),
        review_attributes=sop_review_attributes(
            sop, options.today, "chip", pinned=options.today_pinned
        ),
        lead_time_text=lead_time_text(sop),
        critical_text=f"steps {critical_text}",
        tools=[tool_ref(library, tool_id) for tool_id in sop.tools],
        diagram=diagram,
        steps=[
            _step_view(library, sop, step, page, options.use_directory_urls) for step in sop.steps
        ],
        orphans_first=_orphans(sop, None),
        approvals=[_approval_view(library, sop, step) for step in sop.approvals],
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
        timeline=timeline(sop, library.roles),
        has_decisions=any(step.is_decision for step in sop.steps),
        critical_mark=CRITICAL_MARK,
        run_page=links.run_page(sop.id) if has_run_page(library, sop) else None,
        history=history,
    )
