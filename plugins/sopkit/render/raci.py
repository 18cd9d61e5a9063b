"""The RACI matrix: SOPs x roles, grouped by phase, roles grouped by team."""

from __future__ import annotations

from typing import Any

from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, Sop
from sopkit.render import links, paging
from sopkit.render.context import (
    GeneratedPage,
    PageOptions,
    phase_anchor,
    phase_name,
    sops_by_phase,
)
from sopkit.render.refs import role_ref, step_number, strongest_letter
from sopkit.render.templating import render


def matrix_columns(
    library: Library, team: str | None = None, t: Labels = ENGLISH
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Roles that hold a letter anywhere, grouped by team in roles.yml order (roles without a
    team under the language's "Other roles", as on the roles index)."""
    used = {role for sop in library.sops for role in sop.roles()}
    by_team: dict[str, list[Any]] = {}
    for role in library.roles.values():
        if role.id in used and (team is None or role.team == team):
            other = t("roles.other_team")
            by_team.setdefault(role.team or other, []).append(role_ref(library, role.id))
    roles = [ref for refs in by_team.values() for ref in refs]
    teams = [{"name": name, "size": len(refs)} for name, refs in by_team.items()]
    return teams, roles


def matrix_rows(
    library: Library, sops: list[Sop], roles: list[Any], t: Labels = ENGLISH
) -> list[dict[str, Any]]:
    rows = []
    for sop in sops:
        cells: list[dict[str, str] | None] = []
        for ref in roles:
            letters = "".join(
                dict.fromkeys("".join(step.raci.letters_of(ref.id) for step in sop.steps))
            )
            letter = strongest_letter(letters)
            if not letter:
                cells.append(None)
                continue
            behind = [s for s in sop.steps if letter in s.raci.letters_of(ref.id)]
            cells.append(
                {
                    "letter": letter,
                    "anchor": links.step_anchor(behind[0].id),
                    "title": t(
                        "raci.cell",
                        role=ref.name,
                        letter=t(f"letter.{letter}"),
                        steps="; ".join(f"{step_number(s)}. {s.title}" for s in behind),
                    ),
                }
            )
        rows.append({"title": sop.title, "page": links.sop_page(sop), "cells": cells})
    return rows


def raci_pages(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    teams, roles = matrix_columns(library, t=options.labels)
    grouped = sops_by_phase(library)
    split = len(library.sops) > options.raci_split
    pages: dict[str, GeneratedPage] = {}
    t = options.labels
    common = {
        "t": t,
        "use_directory_urls": options.use_directory_urls,
        "teams": teams,
        "roles": roles,
    }

    def group(phase: str, sops: list[Sop]) -> dict[str, Any]:
        return {
            "name": phase_name(phase, t),
            "anchor": phase_anchor(phase),
            "rows": matrix_rows(library, sops, roles, t),
        }

    def page_markdown(
        page: str,
        title: str,
        parts: list[Any],
        groups: list[Any],
        pages: list[paging.Part] | None = None,
        part: paging.Part | None = None,
    ) -> GeneratedPage:
        csv_url = links.relative_file_url(page, "raci.csv", options.use_directory_urls)
        return GeneratedPage(
            render(
                "raci.md.j2",
                options.templates,
                page=page,
                title=title,
                csv_url=csv_url,
                parts=parts,
                groups=groups,
                pages=pages or [],
                **common,
            ),
            continues=part if part is not None and part.number > 1 else None,
        )

    if not split:
        groups = [group(p, s) for p, s in grouped.items() if s]
        pages[links.RACI_INDEX] = page_markdown(links.RACI_INDEX, t("raci.title"), [], groups)
        return pages
    parts = []
    for phase, sops in grouped.items():
        if not sops:
            continue
        runs = paging.split(sops, options.raci_rows)
        phase_pages = options.parts(links.raci_page(phase_anchor(phase)), len(runs))
        name = phase_name(phase, t)
        parts.append({"name": name, "pages": phase_pages, "count": len(sops)})
        for part, run in zip(phase_pages, runs, strict=True):
            title = t("raci.phase_title", phase=name)
            if len(runs) > 1:
                title = t("raci.phase_page_title", phase=name, page=part.number, pages=len(runs))
            pages[part.page] = page_markdown(
                part.page, title, [], [group(phase, run)], phase_pages, part
            )
    pages[links.RACI_INDEX] = page_markdown(links.RACI_INDEX, t("raci.title"), parts, [])
    return pages
