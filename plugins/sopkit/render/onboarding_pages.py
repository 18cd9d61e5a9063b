"""Onboarding pages: one per role (`onboarding/<role>/`) and their index (`onboarding/`)."""

from __future__ import annotations

from typing import Any

from sopkit.model import Library
from sopkit.onboarding import DERIVED_RULE, PathItem, RolePath, role_paths
from sopkit.render import links
from sopkit.render.context import GeneratedPage, PageOptions
from sopkit.render.templating import render


def _item_view(library: Library, item: PathItem) -> dict[str, Any]:
    sop = library.sop(item.ref) if item.kind == "sop" else None
    return {
        "kind": item.kind,
        "ref": item.ref,
        "title": item.title,
        "objective": item.objective,
        "minutes": item.minutes,
        "steps": item.steps,
        "page": links.sop_page(sop) if sop else item.ref,
    }


def onboarding_markdown(library: Library, path: RolePath, options: PageOptions) -> str:
    role = library.roles[path.role]
    return render(
        "onboarding.md.j2",
        options.templates,
        page=links.onboarding_page(path.role),
        role=role,
        role_page=links.role_page(path.role),
        count=len(path.items),
        minutes=path.minutes,
        curated=path.curated,
        intro=path.intro,
        rule=DERIVED_RULE,
        key=f"{options.site_key}/{path.role}",
        stages=[
            {"name": stage.name, "entries": [_item_view(library, i) for i in stage.items]}
            for stage in path.stages
        ],
    )


def onboarding_pages(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    paths = role_paths(library)
    pages = {
        links.onboarding_page(role): GeneratedPage(
            onboarding_markdown(library, path, options),
            "onboarding.yml" if path.curated else None,
        )
        for role, path in paths.items()
    }
    rows = [
        {
            "name": library.roles[role].name,
            "team": library.roles[role].team or "",
            "page": links.onboarding_page(role),
            "count": len(path.items),
            "minutes": path.minutes,
            "curated": path.curated,
        }
        for role, path in paths.items()
    ]
    pages[links.ONBOARDING_INDEX] = GeneratedPage(
        render("onboarding_index.md.j2", options.templates, page=links.ONBOARDING_INDEX, rows=rows),
        "onboarding.yml",
    )
    return pages
