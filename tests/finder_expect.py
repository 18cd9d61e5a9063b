"""What the finder should show, computed from a loaded handbook in the format's own words.

Shared by the page tests (tests/test_finder.py) and the browser tests: the expectations come
from the model, never from the finder's code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sopkit.model import Library, Sop

TODAY = dt.date(2026, 11, 24)
FACETS = ["phase", "owner", "role", "team", "tool", "tag", "status", "review"]
"""The facets of every finder; `cadence` follows when an SOP says when or how often it runs."""


def facets_for(library: Library) -> list[str]:
    runs = any(sop.cadence or sop.trigger for sop in library.sops)
    return [*FACETS, "cadence"] if runs else list(FACETS)


def expected_facets(library: Library, sop: Sop) -> dict[str, set[str]]:
    """What the finder's URL parameters match for one SOP, from the format's words."""
    owner = library.roles.get(sop.owner or "")
    roles = {role for step in sop.steps for _, ids in step.raci.letters() for role in ids}
    due = sop.review_due
    if sop.reviewed is None:
        review = "none"
    elif due is not None and due < TODAY:
        review = "overdue"
    elif due is not None and (due - TODAY).days <= 30:
        review = "due-soon"
    else:
        review = "ok"
    return {
        "phase": {sop.phase},
        "owner": {sop.owner} if sop.owner else set(),
        "role": roles | ({sop.owner} if sop.owner else set()),
        "team": {owner.team.lower()} if owner and owner.team else set(),
        "tool": set(sop.tools) | {tool for step in sop.steps for tool in step.tools},
        "tag": {tag.lower() for tag in sop.tags},
        "status": {sop.status},
        "review": {review},
        "cadence": {sop.cadence} if sop.cadence else set(),
    }


def search_text(sop: Sop) -> str:
    """What `q` searches: title, objective, step titles and trigger, whatever their case."""
    words = [sop.title, sop.objective, *(step.title for step in sop.steps), sop.trigger or ""]
    return "\n".join(words).lower()


def matching(library: Library, params: list[tuple[str, str]]) -> list[str]:
    """Ids of the SOPs a finder URL with `params` shows: a repeated parameter is OR, different
    parameters are AND, values match whatever their case; `q` needs every word it holds."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for name, value in params:
        wanted[name].add(value.strip().lower())
    words = " ".join(wanted.pop("q", set())).split()
    found = []
    for sop in library.sops:
        facets = expected_facets(library, sop)
        if not all(values & {v.lower() for v in facets[name]} for name, values in wanted.items()):
            continue
        if all(word in search_text(sop) for word in words):
            found.append(sop.id)
    return sorted(found)
