"""The SOP finder: the SOP folder's index page, one row per SOP, filtered by the URL's query.

Without JavaScript the page is the full table (past `PageOptions.finder_part` SOPs, part 1 of
it: the other rows are on numbered part pages, `finder_pages`). With it (`finder.js`), the
filters of the query (`?role=analyst&tool=looker-studio`) hide the rows that do not match; a
repeated parameter is OR, different parameters are AND. The page carries what the filters need
in one attribute, `data-rows` (`row_data`): for each row, per facet (in the order of the
controls), the positions of its choices among that facet's checkboxes: numbers only, no
handbook text. The text that `q` searches beyond titles (objectives and step titles) is a
separate file, fetched on first use, so the page stays small in a large handbook.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sopkit.cadence import CADENCES
from sopkit.labels import Labels
from sopkit.model import Library, Sop
from sopkit.render import links, paging
from sopkit.render.context import GeneratedPage, PageOptions, all_phases, phase_name, sops_by_phase
from sopkit.render.escape import css_string
from sopkit.render.facts import cadence_label
from sopkit.render.refs import (
    lead_time_text,
    review_short,
    review_state,
    shared_review_attributes,
    sop_review_attributes,
)
from sopkit.render.templating import render

TEXT_FILE = "finder.json"
"""Beside the finder page: per row, the objective, step titles and trigger `q` searches."""

FACETS = ("phase", "owner", "role", "team", "tool", "tag", "status", "review", "cadence")
"""The URL parameters of the finder, in the order of its controls (`q` is the text box).
`cadence` (format 1.2) is there only when an SOP of the handbook sets one."""

FACET_KEYS = {
    "phase": "index.phase",
    "owner": "index.owner",
    "role": "finder.role",
    "team": "finder.team",
    "tool": "finder.tool",
    "tag": "finder.tag",
    "status": "finder.status",
    "review": "index.review",
    "cadence": "finder.cadence",
}
"""The message of each facet's name (its control and legend)."""
STATUSES = ("draft", "active", "retired")
REVIEW_STATES = ("overdue", "due-soon", "ok", "none")
REVIEW_KEYS = {
    "overdue": "finder.review_overdue",
    "due-soon": "finder.review_due_soon",
    "ok": "finder.review_ok",
    "none": "review.never",
}


@dataclass(frozen=True)
class Choice:
    """One checkbox of a facet: the value the URL holds, its label, and its matching key."""

    value: str
    label: str
    key: str


def match_key(value: str) -> str:
    """How the finder compares a URL value with a choice: trimmed, whatever the case."""
    return value.strip().lower()


def sop_roles(sop: Sop) -> tuple[str, ...]:
    """Every role with an R/A/C/I letter on a step of the SOP, and its owner, each once."""
    roles = dict.fromkeys(sop.roles())
    if sop.owner:
        roles.setdefault(sop.owner, None)
    return tuple(roles)


def owner_team(library: Library, sop: Sop) -> str | None:
    role = library.roles.get(sop.owner or "")
    return role.team if role is not None and role.team else None


def _facet_values(library: Library, sop: Sop, today: dt.date) -> dict[str, tuple[str, ...]]:
    """The facet keys of one SOP (lowercase: the finder matches whatever the case)."""
    team = owner_team(library, sop)
    keys = {
        "phase": (sop.phase,),
        "owner": (sop.owner,) if sop.owner else (),
        "role": sop_roles(sop),
        "team": (team,) if team else (),
        "tool": sop.all_tools(),
        "tag": sop.tags,
        "status": (sop.status,),
        "review": (review_state(sop, today).state,),
        "cadence": (sop.cadence,) if sop.cadence else (),
    }
    return {facet: tuple(dict.fromkeys(map(match_key, found))) for facet, found in keys.items()}


def _role_choices(library: Library, ids: Iterable[str]) -> list[Choice]:
    found = set(ids)
    choices = [
        Choice(role.id, role.name, match_key(role.id))
        for role in library.roles.values()
        if match_key(role.id) in found
    ]
    known = {match_key(role_id) for role_id in library.roles}
    choices += [Choice(i, i, i) for i in sorted(found - known)]
    return sorted(choices, key=lambda c: (c.label.lower(), c.value))


def _choices(
    library: Library, sops: list[Sop], values: list[dict[str, tuple[str, ...]]], t: Labels
) -> dict[str, list[Choice]]:
    used: dict[str, set[str]] = {facet: set() for facet in FACETS}
    for row in values:
        for facet, keys in row.items():
            used[facet].update(keys)
    phases = [p for p in all_phases(library) if match_key(p) in used["phase"]]
    teams: dict[str, str] = {}
    tags: dict[str, str] = {}
    for sop in sops:
        team = owner_team(library, sop)
        if team:
            teams.setdefault(match_key(team), team)
        for tag in sop.tags:
            tags.setdefault(match_key(tag), library.tag_name(tag))
    tools = [
        Choice(tool.id, tool.name, match_key(tool.id))
        for tool in library.tools.values()
        if match_key(tool.id) in used["tool"]
    ]
    known = {match_key(tool_id) for tool_id in library.tools}
    tools += [Choice(t, t, t) for t in used["tool"] - known]
    return {
        "phase": [Choice(p, phase_name(p, t), match_key(p)) for p in phases],
        "owner": _role_choices(library, used["owner"]),
        "role": _role_choices(library, used["role"]),
        "team": sorted(
            (Choice(name, name, key) for key, name in teams.items()), key=lambda c: c.key
        ),
        "tool": sorted(tools, key=lambda c: (c.label.lower(), c.value)),
        "tag": sorted((Choice(name, name, key) for key, name in tags.items()), key=lambda c: c.key),
        "status": [Choice(s, t(f"status.{s}"), s) for s in STATUSES],
        "review": [Choice(s, t(REVIEW_KEYS[s]), s) for s in REVIEW_STATES],
        # In the format's order; a value the checker rejects (possible under `serve`) last.
        "cadence": [
            Choice(c, cadence_label(c, t), c)
            for c in [*CADENCES, *sorted(used["cadence"] - set(CADENCES))]
            if c in used["cadence"]
        ],
    }


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def position_width(choices: int) -> int:
    """The base-36 digits every position of a facet with `choices` checkboxes takes."""
    width, largest = 1, 36
    while choices > largest:
        width, largest = width + 1, largest * 36
    return width


def base36(number: int, width: int) -> str:
    digits = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits = DIGITS[digit] + digits
    return digits


def row_data(rows: list[list[list[int]]], sizes: list[int]) -> str:
    """What `data-rows` holds, as compact as a thousand rows need it: rows apart by a space,
    a row's facets (in the order of the controls) apart by a comma, and within a facet the
    positions of the row's choices in base 36, each `position_width` digits wide for that
    facet's `sizes` (its number of checkboxes, which the script counts itself).
    `[[0], [12, 3], []]` with sizes `[5, 40, 3]` is `0,0c03,`."""
    widths = [position_width(size) for size in sizes]
    return " ".join(
        ",".join(
            "".join(base36(at, width) for at in positions)
            for positions, width in zip(row, widths, strict=True)
        )
        for row in rows
    )


CARD_LABELS = {
    "owner": "index.owner",
    "team": "finder.team",
    "lead-time": "index.lead_time",
    "runs": "sop.cadence",
}
"""The facts a narrow screen labels on each row's card (the table's header is hidden there)."""


def card_style(t: Labels) -> str:
    """The card labels as CSS custom properties (`--sopkit-finder-owner: "Owner: "`), for the
    table's `style`: sopkit.css shows them before the cells, in the site's language."""
    return ";".join(
        f"--sopkit-finder-{name}:{css_string(t('finder.card_label', label=t(key)))}"
        for name, key in CARD_LABELS.items()
    )


def finder_order(library: Library) -> list[Sop]:
    """The rows' order: by phase of the lifecycle, then SOPs after the SOPs they require."""
    return [sop for sops in sops_by_phase(library).values() for sop in sops]


def runs_shown(library: Library) -> bool:
    """Whether the finder has the `cadence` filter and the Runs column: when an SOP says when
    or how often it runs (format 1.2). A handbook without either keeps the page it had."""
    return any(sop.cadence or sop.trigger for sop in library.sops)


def finder_pages(library: Library, options: PageOptions, first: str) -> dict[str, GeneratedPage]:
    """The finder page (`first`) and, past `options.finder_part` SOPs, its numbered part pages.

    The rows go in `finder_order`, split evenly into parts of at most `finder_part`: the finder
    has the controls and part 1's rows; part k (`sops/k.md`) has its rows and their filter data
    only, with a pager linking every part, so no page grows with the handbook. finder.js loads
    the other parts' rows into the finder's table. The choices' positions are over every SOP.
    """
    today = options.today
    t = options.labels
    sops = finder_order(library)
    runs = runs_shown(library)
    facets = [f for f in FACETS if f != "cadence" or runs]
    values = [_facet_values(library, sop, today) for sop in sops]
    choices = _choices(library, sops, values, t)
    index = {facet: {c.key: i for i, c in enumerate(items)} for facet, items in choices.items()}
    sizes = [len(choices[facet]) for facet in facets]
    data = [
        [[index[facet][key] for key in row[facet] if key in index[facet]] for facet in facets]
        for row in values
    ]
    rows = [_row(library, sop, options) for sop in sops]
    runs_of_rows = paging.split(list(range(len(sops))), options.finder_part)
    all_parts = options.parts(first, len(runs_of_rows))
    shared = {
        "use_directory_urls": options.use_directory_urls,
        "t": t,
        "count": len(sops),
        "runs": runs,
        "review_attributes": shared_review_attributes(today, "short", options.today_pinned),
        "card_style": card_style(t),
        "parts": all_parts,
        "finder_page": first,
    }
    pages: dict[str, GeneratedPage] = {}
    for part, run in zip(all_parts, runs_of_rows, strict=True):
        held = {
            "page": part.page,
            "part": part,
            "range": t(
                "finder.part_range",
                n=len(sops),
                first=t.number(run[0] + 1) if run else "0",
                last=t.number(run[-1] + 1) if run else "0",
            ),
            "rows": [rows[i] for i in run],
            "data": row_data([data[i] for i in run], sizes),
        }
        if part.number == 1:
            markdown = render(
                "finder.md.j2",
                options.templates,
                **shared,
                **held,
                facets=[
                    {"name": facet, "label": t(FACET_KEYS[facet]), "choices": choices[facet]}
                    for facet in facets
                ],
                text_file=TEXT_FILE,
            )
        else:
            markdown = render("finder_part.md.j2", options.templates, **shared, **held)
        pages[part.page] = GeneratedPage(markdown, continues=part if part.number > 1 else None)
    return pages


def _row(library: Library, sop: Sop, options: PageOptions) -> dict[str, Any]:
    """What one row of the finder's table shows."""
    t = options.labels
    owner = library.roles.get(sop.owner or "")
    return {
        "id": sop.id,
        "title": sop.title,
        "page": links.sop_page(sop),
        "status": t(f"status.{sop.status}") if sop.status != "active" else "",
        "phase": phase_name(sop.phase, t),
        "owner": owner.name if owner else (sop.owner or ""),
        "team": owner_team(library, sop) or "",
        "lead_time": lead_time_text(sop, t),
        "review_attributes": sop_review_attributes(
            sop, options.today, "short", pinned=options.today_pinned, shared=True
        ),
        "review": review_short(sop, options.today, t),
        "tags": sop.tags,
        "cadence": sop.cadence or "",
        "cadence_name": cadence_label(sop.cadence, t) if sop.cadence else "",
        "trigger": sop.trigger or "",
    }


def finder_text(library: Library) -> str:
    """What `q` searches besides titles, per row: the objective, each step's title, and the
    trigger when the SOP has one."""
    texts = [
        "\n".join([sop.objective, *(s.title for s in sop.steps), *filter(None, [sop.trigger])])
        for sop in finder_order(library)
    ]
    return json.dumps(texts, ensure_ascii=False, separators=(",", ":")) + "\n"
