"""Machine-readable exports: the `sops.json` catalogue and the `raci.csv` matrix.

Both are deterministic: the same handbook gives the same bytes (sorted keys, handbook order).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from sopkit import schedule
from sopkit.model import Library, Sop, Step
from sopkit.render import links
from sopkit.render.escape import csv_cell, json_chunks, json_text
from sopkit.render.run_page import has_run_page

CATALOGUE_FORMAT = "sopkit-catalogue"
CATALOGUE_VERSION = 1


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema that describes `sops.json`."""
    text = resources.files("sopkit").joinpath("catalogue.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _url(page: str, use_directory_urls: bool) -> str:
    return links.page_url(page, use_directory_urls)


def _step(step: Step, sop: Sop, use_directory_urls: bool) -> dict[str, Any]:
    return {
        "id": step.id,
        "number": step.index + 1,
        "title": step.title,
        "kind": step.kind,
        "raci": {letter: list(roles) for letter, roles in step.raci.letters()},
        "duration": step.duration,
        "hours": step.hours,
        "tools": list(step.tools),
        "output": step.output,
        "after": list(step.after),
        "criteria": list(step.criteria),
        "on_reject": step.on_reject,
        "checklist": list(step.checklist),
        "branches": [{"when": branch.when, "to": branch.to} for branch in step.branches],
        "sop": step.sop,
        "links": [{"title": link.title, "url": link.url} for link in step.links],
        "instructions": step.instructions,
        "critical": step.id in sop.critical_path,
        "due_day": slot.due_day if (slot := sop.schedule.slots.get(step.id)) else None,
        "minutes": slot.finish - slot.start if slot else schedule.minutes(step.hours),
        "url": _url(links.sop_page(sop), use_directory_urls) + "#" + links.step_anchor(step.id),
        "extra": dict(step.extra),
    }


def _sop(library: Library, sop: Sop, use_directory_urls: bool) -> dict[str, Any]:
    due = sop.review_due
    return {
        "id": sop.id,
        "title": sop.title,
        "objective": sop.objective,
        "phase": sop.phase,
        "owner": sop.owner,
        "status": sop.status,
        "reviewed": sop.reviewed.isoformat() if sop.reviewed else None,
        "review_every": sop.review_every,
        "review_due": due.isoformat() if due else None,
        "trigger": sop.trigger,
        "cadence": sop.cadence,
        "allow": list(sop.allow),
        "tags": list(sop.tags),
        "requires": list(sop.requires),
        "next": list(sop.next),
        "required_by": list(library.required_by(sop.id)),
        "tools": list(sop.tools),
        "lead_time_hours": sop.lead_time_hours,
        "lead_time_hours_min": sop.lead_time_hours_min,
        "critical_path": list(sop.critical_path),
        "calls": list(sop.calls()),
        "intro": sop.intro,
        "steps_intro": sop.steps_intro,
        "outro": sop.outro,
        "steps": [_step(step, sop, use_directory_urls) for step in sop.steps],
        "kpis": [
            {
                "name": kpi.name,
                "target": kpi.target,
                "source": kpi.source,
                "cadence": kpi.cadence,
                "extra": dict(kpi.extra),
            }
            for kpi in sop.kpis
        ],
        "quiz": [
            {
                "question": item.question,
                "choices": list(item.choices),
                "answer": item.answer,
                "explain": item.explain,
                "extra": dict(item.extra),
            }
            for item in sop.quiz
        ],
        "file": sop.file,
        "url": _url(links.sop_page(sop), use_directory_urls),
        "run_url": _url(links.run_page(sop.id), use_directory_urls)
        if has_run_page(library, sop)
        else None,
        "extra": dict(sop.extra),
    }


def catalogue(library: Library, use_directory_urls: bool = True) -> dict[str, Any]:
    """Everything the handbook says, with derived facts and page URLs (relative to the site)."""
    return {
        "format": CATALOGUE_FORMAT,
        "version": CATALOGUE_VERSION,
        "phases": list(library.settings.phases),
        "roles": [
            {
                "id": role.id,
                "name": role.name,
                "team": role.team,
                "summary": role.summary,
                "github": role.github,
                "contact": role.contact,
                "url": _url(links.role_page(role.id), use_directory_urls),
                "extra": dict(role.extra),
            }
            for role in library.roles.values()
        ],
        "tools": [
            {
                "id": tool.id,
                "name": tool.name,
                "link": tool.url,
                "purpose": tool.purpose,
                "access": tool.access,
                "url": _url(links.tool_page(tool.id), use_directory_urls),
                "extra": dict(tool.extra),
            }
            for tool in library.tools.values()
        ],
        "sops": [_sop(library, sop, use_directory_urls) for sop in library.sops],
        "sop_order": list(library.sop_order),
        "onboarding": {
            role: {
                "intro": path.intro,
                "stages": [
                    {
                        "name": stage.name,
                        "sops": list(stage.sops),
                        "pages": list(stage.pages),
                        "tasks": [
                            {
                                "task": task.task,
                                "tool": task.tool,
                                "url": task.url,
                                "role": task.role,
                                "key": task.key,
                            }
                            for task in stage.tasks
                        ],
                    }
                    for stage in path.stages
                ],
            }
            for role, path in library.onboarding.items()
        },
    }


def catalogue_json(library: Library, use_directory_urls: bool = True) -> str:
    return json_text(catalogue(library, use_directory_urls))


def catalogue_chunks(library: Library, use_directory_urls: bool = True) -> Iterator[str]:
    """`catalogue_json` in pieces, for writing straight to a file."""
    return json_chunks(catalogue(library, use_directory_urls))


def raci_csv(library: Library) -> str:
    """One row per step, one column per role (in roles.yml order), cells like `R` or `R, A`."""
    used = {role for sop in library.sops for role in sop.roles()}
    roles = [role for role in library.roles.values() if role.id in used]
    unknown = sorted(used - set(library.roles))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["phase", "sop_id", "sop_title", "step_number", "step_id", "step_title"]
    header += [role.name for role in roles] + unknown
    writer.writerow([csv_cell(cell) for cell in header])
    role_ids = [role.id for role in roles] + unknown
    for sop in library.sops:
        for step in sop.steps:
            row = [sop.phase, sop.id, sop.title, str(step.index + 1), step.id, step.title]
            row += [", ".join(step.raci.letters_of(role)) for role in role_ids]
            writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()
