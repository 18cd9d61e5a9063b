"""Every page the handbook generates besides SOP pages: roles, tools, RACI, lifecycle, indexes.

`generated_pages` is the one entry point: the MkDocs plugin and `sopkit build-md` both call it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Mapping
from typing import Any

from sopkit.health import health_report
from sopkit.model import Diagnostic, Library, Location, Sop
from sopkit.render import links, paging
from sopkit.render.context import (
    GeneratedPage,
    PageOptions,
    all_phases,
    phase_anchor,
    phase_name,
    sops_by_phase,
)
from sopkit.render.diagrams import lifecycle_diagram
from sopkit.render.finder import TEXT_FILE, finder_pages, finder_text
from sopkit.render.health import health_markdown
from sopkit.render.health_page import SITE_ROWS, Live
from sopkit.render.onboarding_pages import onboarding_pages
from sopkit.render.raci import raci_pages
from sopkit.render.refs import (
    lead_time_text,
    review_cell,
    role_ref,
    sop_ref,
)
from sopkit.render.role_pages import role_counts, role_pages, tool_pages
from sopkit.render.run_page import run_pages
from sopkit.render.templating import render


def generated_pages(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    """Source path -> page, for every generated page except SOP pages."""
    pages: dict[str, GeneratedPage] = {}
    counts = role_counts(library)
    pages[links.ROLES_INDEX] = GeneratedPage(roles_index(library, options, counts), "roles.yml")
    for role_id in library.roles:
        pages.update(role_pages(library, role_id, options, counts))
    pages[links.TOOLS_INDEX] = GeneratedPage(tools_index(library, options), "tools.yml")
    for tool_id in library.tools:
        pages.update(tool_pages(library, tool_id, options))
    pages.update(raci_pages(library, options))
    pages.update(lifecycle_pages(library, options))
    pages.update(sop_indexes(library, options))
    pages.update(run_pages(library, options))
    if options.onboarding:
        pages.update(onboarding_pages(library, options))
    if options.health:
        report = health_report(library, options.today)
        body = health_markdown(
            report,
            library,
            links.HEALTH,
            rows=SITE_ROWS,
            live=Live(options.today_pinned),
            t=options.labels,
        )
        # A dashboard: its figures repeat SOP and role names, so it stays out of search.
        front = "render_macros: false\nsearch:\n  exclude: true\n"
        pages[links.HEALTH] = GeneratedPage(f"---\n{front}---\n\n{body}")
    return pages


def part_pages(pages: Mapping[str, GeneratedPage]) -> frozenset[str]:
    """The source paths of the numbered pages (2, 3, ...) of the lists among `pages`."""
    return frozenset(src for src, page in pages.items() if page.continues is not None)


def replaced_by_hand(pages: Mapping[str, GeneratedPage], own: Collection[str]) -> frozenset[str]:
    """The generated pages that files of the site's own (`own`, source paths) replace: a page
    at the same path, and every numbered page of a list whose first page is written by hand."""
    return frozenset(
        src
        for src, page in pages.items()
        if src in own or (page.continues is not None and page.continues.first in own)
    )


def part_clashes(
    pages: Mapping[str, GeneratedPage], owners: Mapping[str, str], use_directory_urls: bool = True
) -> list[Diagnostic]:
    """A warning for each numbered page of a list that a file of the site's own moved off its
    address (`owners`: `paging.addresses` of the site's files), at that file."""

    def url(src: str) -> str:
        return "/" + links.page_url(src, use_directory_urls)

    found = []
    for src, page in pages.items():
        part = page.continues
        if part is None or src == part.planned:
            continue
        owner = owners.get(paging.address(part.planned, use_directory_urls), part.planned)
        found.append(
            Diagnostic(
                "page-address",
                "warning",
                Location(owner),
                f"this file takes the address {url(part.planned)} of page {part.number} of "
                f"the list on {url(part.first)}; that page is served at {url(src)} instead",
                f"rename {posixpath.basename(owner)} (or its folder) to give the list's page "
                f"{part.number} its address back",
            )
        )
    return found


def generated_files(library: Library) -> dict[str, str]:
    """Site path -> text of the files generated pages fetch (not pages themselves)."""
    folder = posixpath.dirname(links.finder_page(library.settings.sops_dir))
    return {posixpath.join(folder, TEXT_FILE): finder_text(library)}


def roles_index(
    library: Library, options: PageOptions, counts: dict[str, dict[str, Any]] | None = None
) -> str:
    counts = counts or role_counts(library)
    teams: dict[str, list[dict[str, Any]]] = {}
    for role in library.roles.values():
        phases = counts[role.id]["phases"]
        teams.setdefault(role.team or options.labels("roles.other_team"), []).append(
            {
                "name": role.name,
                "page": links.role_page(role.id),
                "summary": role.summary or "",
                "r": sum(row["r"] for row in phases.values()),
                "a": sum(row["a"] for row in phases.values()),
                "owned": sum(1 for sop in library.sops if sop.owner == role.id),
            }
        )
    return render(
        "roles_index.md.j2",
        options.templates,
        t=options.labels,
        page=links.ROLES_INDEX,
        raci_page=links.RACI_INDEX,
        teams=[{"name": name, "roles": roles} for name, roles in teams.items()],
    )


def tools_index(library: Library, options: PageOptions) -> str:
    rows = []
    for tool in library.tools.values():
        sops = [sop for sop in library.sops if tool.id in sop.all_tools()]
        rows.append(
            {
                "name": tool.name,
                "page": links.tool_page(tool.id),
                "purpose": tool.purpose or "",
                "sops": len(sops),
                "steps": sum(1 for sop in sops for step in sop.steps if tool.id in step.tools),
            }
        )
    return render(
        "tools_index.md.j2",
        options.templates,
        t=options.labels,
        page=links.TOOLS_INDEX,
        tools=rows,
    )


def lifecycle_pages(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    """The lifecycle map; past `options.lifecycle_split` SOPs, an overview (the map and each
    phase's count) and the list of each phase's SOPs on pages of its own (`lifecycle/<phase>/`,
    continued on numbered pages past `options.list_page` SOPs)."""
    grouped = sops_by_phase(library)
    split = len(library.sops) > options.lifecycle_split
    parts: dict[str, list[paging.Part]] = {}
    pages: dict[str, GeneratedPage] = {}
    if split:
        for phase, sops in grouped.items():
            if not sops:
                continue
            runs = paging.split(sops, options.list_page)
            parts[phase] = options.parts(links.lifecycle_page(phase_anchor(phase)), len(runs))
            for part, run in zip(parts[phase], runs, strict=True):
                pages[part.page] = GeneratedPage(
                    _lifecycle_phase_markdown(library, options, phase, run, part, parts[phase]),
                    continues=part if part.number > 1 else None,
                )
    overview = lifecycle_markdown(library, options, parts if split else None)
    return {links.LIFECYCLE: GeneratedPage(overview), **pages}


def _lifecycle_entries(library: Library, sops: list[Sop]) -> list[dict[str, Any]]:
    def known(ids: tuple[str, ...]) -> list[Any]:
        return [sop_ref(library, i) for i in ids if library.sop(i) is not None]

    return [
        {
            "title": sop.title,
            "objective": sop.objective,
            "page": links.sop_page(sop),
            "requires": known(sop.requires),
            "next": known(sop.next),
        }
        for sop in sops
    ]


def lifecycle_markdown(
    library: Library,
    options: PageOptions,
    parts: dict[str, list[paging.Part]] | None = None,
) -> str:
    """The lifecycle map page: every SOP by phase, or with `parts`, each phase's count and the
    pages that list its SOPs."""
    page = links.LIFECYCLE
    grouped = sops_by_phase(library)

    def phase_href(phase: str) -> str:
        if parts and phase in parts:
            return links.relative_url(page, parts[phase][0].page, options.use_directory_urls)
        return "#" + phase_anchor(phase)

    diagram = lifecycle_diagram(
        [sop for sops in grouped.values() for sop in sops],
        all_phases(library),
        sop_href=lambda sop: links.relative_url(
            page, links.sop_page(sop), options.use_directory_urls
        ),
        phase_href=phase_href,
        sops_dir=library.settings.sops_dir,
        limits=options.limits,
        t=options.labels,
    )
    phases = [
        {
            "name": phase_name(phase, options.labels),
            "anchor": phase_anchor(phase),
            "count": len(sops),
            "pages": parts.get(phase, []) if parts is not None else [],
            "sops": [] if parts is not None else _lifecycle_entries(library, sops),
        }
        for phase, sops in grouped.items()
    ]
    return render(
        "lifecycle.md.j2",
        options.templates,
        t=options.labels,
        page=page,
        diagram=diagram,
        phases=phases,
        split=parts is not None,
    )


def _lifecycle_phase_markdown(
    library: Library,
    options: PageOptions,
    phase: str,
    sops: list[Sop],
    part: paging.Part,
    phase_parts: list[paging.Part],
) -> str:
    t = options.labels
    title = t("lifecycle.phase_title", phase=phase_name(phase, t))
    if len(phase_parts) > 1:
        title = t(
            "lifecycle.phase_page_title",
            phase=phase_name(phase, t),
            page=part.number,
            pages=len(phase_parts),
        )
    return render(
        "lifecycle_phase.md.j2",
        options.templates,
        t=options.labels,
        page=part.page,
        use_directory_urls=options.use_directory_urls,
        title=title,
        overview=links.LIFECYCLE,
        anchor=phase_anchor(phase),
        sops=_lifecycle_entries(library, sops),
        pages=phase_parts,
    )


def sop_rows(library: Library, sops: list[Sop], options: PageOptions) -> list[dict[str, Any]]:
    return [
        {
            "title": sop.title,
            "page": links.sop_page(sop),
            "objective": sop.objective,
            "owner": role_ref(library, sop.owner or ""),
            "lead_time": lead_time_text(sop, options.labels),
            "review": review_cell(
                sop, options.today, options.today_pinned, options.labels, html=True
            ),
        }
        for sop in sops
    ]


def folder_title(name: str) -> str:
    """`content-ops` -> `Content ops`; short names are taken as acronyms: `seo` -> `SEO`."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words.upper() if len(words) <= 3 else words.capitalize()


def sop_indexes(library: Library, options: PageOptions) -> dict[str, GeneratedPage]:
    """`sops/index.md`, the finder, and an index per SOP folder (the section's own page).

    A folder of more than `options.list_page` SOPs lists them on numbered pages:
    `sops/seo/index.md` is page 1, `sops/seo/2.md` page 2, and so on.
    """
    root = library.settings.sops_dir
    pages: dict[str, GeneratedPage] = {}
    index = links.finder_page(root)
    pages.update(finder_pages(library, options, index))
    folders: set[str] = set()
    for sop in library.sops:
        folder = posixpath.dirname(sop.file)
        while folder.startswith(root + "/"):
            folders.add(folder)
            folder = posixpath.dirname(folder)
    for folder in sorted(folders):
        pages.update(folder_index_pages(library, options, folder))
    return pages


def folder_index_pages(
    library: Library, options: PageOptions, folder: str
) -> dict[str, GeneratedPage]:
    """The index page of one SOP folder, and the numbered pages that continue its list."""
    t = options.labels
    nested = [s for s in library.sops if s.file.startswith(folder + "/")]
    name = folder_title(posixpath.basename(folder))
    runs = paging.split(nested, options.list_page)
    parts = options.parts(f"{folder}/index.md", len(runs))
    pages: dict[str, GeneratedPage] = {}
    first = 1
    for part, run in zip(parts, runs, strict=True):
        if len(parts) == 1:
            title, intro = name, t("index.section", n=len(nested))
        else:
            numbers = {"page": part.number, "pages": len(parts)}
            title = name if part.number == 1 else t("index.part_title", folder=name, **numbers)
            last = first + len(run) - 1
            intro = t(
                "index.part_intro",
                n=len(nested),
                first=t.number(first),
                last=t.number(last),
                **numbers,
            )
        first += len(run)
        pages[part.page] = GeneratedPage(
            render(
                "sops_index.md.j2",
                options.templates,
                t=t,
                page=part.page,
                use_directory_urls=options.use_directory_urls,
                title=title,
                intro=intro,
                parts=parts,
                groups=[{"name": t("index.sops"), "sops": sop_rows(library, run, options)}],
            ),
            continues=part if part.number > 1 else None,
        )
    return pages
