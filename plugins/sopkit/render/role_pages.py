"""Role and tool pages: a summary of the role's (tool's) part in the handbook, and its SOPs.

A role page counts the role's letters per phase and lists, by phase, every SOP where the role
has a letter or is the owner: one line per SOP with the letters (each a link to the first step
behind it), ownership and the approvals it gives. The steps themselves stay on the SOP pages.
Past `PageOptions.list_page` SOPs the list continues on numbered pages, so no page grows with the
handbook. Tool pages alike: one line per SOP with the steps and KPIs that use the tool.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, Sop
from sopkit.render import links, paging
from sopkit.render.context import GeneratedPage, PageOptions, all_phases, phase_name, sops_by_phase
from sopkit.render.refs import (
    review_short,
    review_state,
    sop_ref,
    sop_review_attributes,
    step_number,
)
from sopkit.render.templating import render

Entry = dict[str, Any]


def role_counts(library: Library) -> dict[str, dict[str, Any]]:
    """Per role: letters per phase and hours as R, and the ids of the SOPs where it has a
    letter or is the owner (`sops`), computed once for all role pages."""
    counts: dict[str, dict[str, Any]] = {
        role: {
            "phases": defaultdict(lambda: {"r": 0, "a": 0, "c": 0, "i": 0, "hours": 0.0}),
            "sops": set(),
        }
        for role in library.roles
    }
    for sop in library.sops:
        if sop.owner in counts:
            counts[sop.owner]["sops"].add(sop.id)
        for step in sop.steps:
            for letter, roles in step.raci.letters():
                for role in roles:
                    if role not in counts:
                        continue
                    counts[role]["sops"].add(sop.id)
                    row = counts[role]["phases"][sop.phase]
                    row[letter.lower()] += 1
                    if letter == "R":
                        row["hours"] += step.hours or 0.0
    return counts


def github_url(handle: str) -> str:
    """The GitHub page of a user `@name` or a team `@org/team`."""
    org, _, team = handle.removeprefix("@").partition("/")
    return f"https://github.com/orgs/{org}/teams/{team}" if team else f"https://github.com/{org}"


def role_entry(
    library: Library,
    sop: Sop,
    role_id: str,
    today: dt.date | None = None,
    pinned: bool = False,
    t: Labels = ENGLISH,
) -> Entry | None:
    """The role's part in one SOP, or None when it has none. With `today`, an SOP the role owns
    carries its review state (`review`: text and HTML attributes)."""
    letters: dict[str, list[Any]] = {}
    approvals = []
    for step in sop.steps:
        for letter in step.raci.letters_of(role_id):
            letters.setdefault(letter, []).append(step)
        if step.is_approval and step.raci.accountable == (role_id,):
            approvals.append(
                {
                    "number": step_number(step),
                    "title": step.title,
                    "anchor": links.step_anchor(step.id),
                    "sla": t.duration(step.hours) if step.hours else t("common.not_set"),
                    "criteria": len(step.criteria),
                }
            )
    owner = sop.owner == role_id
    if not (letters or owner):
        return None
    review = None
    if owner and today is not None:
        review = {
            "state": review_state(sop, today).state,
            "text": review_short(sop, today, t),
            "attributes": sop_review_attributes(sop, today, "short", pinned),
        }
    return {
        "sop": sop_ref(library, sop.id),
        "owner": owner,
        "review": review,
        "approvals": approvals,
        "letters": [
            {
                "letter": letter,
                "name": t(f"letter.{letter}"),
                "steps": [
                    {"number": step_number(s), "title": s.title, "anchor": links.step_anchor(s.id)}
                    for s in steps
                ],
            }
            for letter in "ARCI"
            if (steps := letters.get(letter))
        ],
    }


def tool_entry(library: Library, sop: Sop, tool_id: str) -> Entry | None:
    """Where one SOP uses the tool, or None when it does not."""
    steps = [
        {"number": step_number(s), "title": s.title, "anchor": links.step_anchor(s.id)}
        for s in sop.steps
        if tool_id in s.tools
    ]
    kpis = [kpi.name for kpi in sop.kpis if kpi.source == tool_id]
    if not (steps or kpis or tool_id in sop.tools):
        return None
    return {
        "sop": sop_ref(library, sop.id),
        "sop_wide": tool_id in sop.tools,
        "steps": steps,
        "kpis": kpis,
    }


def _entries_by_phase(
    library: Library, entry: Callable[[Sop], Entry | None], t: Labels = ENGLISH
) -> list[tuple[str, Entry]]:
    return [
        (phase_name(phase, t), found)
        for phase, sops in sops_by_phase(library).items()
        for sop in sops
        if (found := entry(sop)) is not None
    ]


def _listed(
    first: str, entries: list[tuple[str, Entry]], options: PageOptions
) -> list[tuple[paging.Part, list[dict[str, Any]]]]:
    """Each page of the list with its entries grouped by phase (a phase may span two pages)."""
    runs = paging.split(entries, options.list_page)
    pages = []
    for part, run in zip(options.parts(first, len(runs)), runs, strict=True):
        groups: list[dict[str, Any]] = []
        for phase, found in run:
            if not groups or groups[-1]["name"] != phase:
                groups.append({"name": phase, "entries": []})
            groups[-1]["entries"].append(found)
        pages.append((part, groups))
    return pages


def role_pages(
    library: Library,
    role_id: str,
    options: PageOptions,
    counts: dict[str, dict[str, Any]] | None = None,
) -> dict[str, GeneratedPage]:
    """The role's page and, in a large handbook, the further pages of its SOP list."""
    role = library.roles[role_id]
    counted = (counts or role_counts(library))[role_id]
    phases, involved = counted["phases"], counted["sops"]
    t = options.labels
    load = [{"phase": phase_name(p, t), **phases[p]} for p in all_phases(library) if p in phases]
    total = {key: sum(row[key] for row in load) for key in ("r", "a", "c", "i", "hours")}
    entries = _entries_by_phase(
        library,
        # Most SOPs do not name a given role: only those that do are looked at step by step.
        lambda sop: (
            role_entry(library, sop, role_id, options.today, options.today_pinned, t)
            if sop.id in involved
            else None
        ),
        t,
    )
    has_path = role_id in library.onboarding or any(e["letters"] for _, e in entries)
    onboarding = links.onboarding_page(role_id) if options.onboarding and has_path else None
    listed = _listed(links.role_page(role_id), entries, options)
    all_parts = [part for part, _ in listed]
    return {
        part.page: GeneratedPage(
            render(
                "role.md.j2",
                options.templates,
                page=part.page,
                use_directory_urls=options.use_directory_urls,
                t=t,
                role=role,
                github_url=github_url(role.mention) if role.mention else None,
                role_page=links.role_page(role_id),
                load=load,
                load_total=total,
                owned=sum(1 for _, e in entries if e["owner"]),
                approvals=sum(len(e["approvals"]) for _, e in entries),
                count=len(entries),
                part=part,
                parts=all_parts,
                groups=groups,
                onboarding_page=onboarding,
                finder_page=links.finder_page(library.settings.sops_dir),
            ),
            "roles.yml",
            continues=part if part.number > 1 else None,
        )
        for part, groups in listed
    }


def tool_pages(library: Library, tool_id: str, options: PageOptions) -> dict[str, GeneratedPage]:
    """The tool's page and, in a large handbook, the further pages of its list of uses."""
    tool = library.tools[tool_id]
    entries = _entries_by_phase(
        library, lambda sop: tool_entry(library, sop, tool_id), options.labels
    )
    listed = _listed(links.tool_page(tool_id), entries, options)
    all_parts = [part for part, _ in listed]
    return {
        part.page: GeneratedPage(
            render(
                "tool.md.j2",
                options.templates,
                t=options.labels,
                page=part.page,
                use_directory_urls=options.use_directory_urls,
                tool=tool,
                tool_page=links.tool_page(tool_id),
                finder_page=links.finder_page(library.settings.sops_dir),
                url=tool.url,
                count=len(entries),
                steps=sum(len(e["steps"]) for _, e in entries),
                part=part,
                parts=all_parts,
                groups=groups,
            ),
            "tools.yml",
            continues=part if part.number > 1 else None,
        )
        for part, groups in listed
    }
