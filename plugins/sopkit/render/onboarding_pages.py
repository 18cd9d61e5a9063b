"""Onboarding pages: one per role (`onboarding/<role>/`) and their index (`onboarding/`)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, OnboardingTask, Sop
from sopkit.onboarding import DERIVED_ITEMS, PathItem, PathStage, RolePath, role_paths
from sopkit.render import escape, links
from sopkit.render.context import SLUG_ONLY, GeneratedPage, PageOptions
from sopkit.render.quiz import ANCHOR, QuizView, quiz_view
from sopkit.render.refs import role_ref, sop_ref, tool_ref
from sopkit.render.templating import render

ALSO_SHOWN = 45
"""SOPs named under "Also involved in"; the role page lists every one."""


def _path_quiz(sop: Sop | None, site_key: str) -> QuizView | None:
    # The state sits in inline HTML (a table cell on the index): only a slug id goes there.
    # Any other id is an error the checker reports.
    if sop is None or not set(sop.id) <= SLUG_ONLY:
        return None
    return quiz_view(sop, site_key)


def _quiz_views(library: Library, path: RolePath, site_key: str) -> list[QuizView]:
    """The quizzes of the SOPs on a path, each once, in path order."""
    views: dict[str, QuizView] = {}
    for item in path.items:
        sop = library.sop(item.ref) if item.kind == "sop" else None
        if sop is not None and sop.id not in views and (view := _path_quiz(sop, site_key)):
            views[sop.id] = view
    return list(views.values())


def _item_view(library: Library, item: PathItem, site_key: str) -> dict[str, Any]:
    sop = library.sop(item.ref) if item.kind == "sop" else None
    return {
        "quiz": _path_quiz(sop, site_key),
        "quiz_anchor": ANCHOR,
        "kind": item.kind,
        "ref": item.ref,
        "title": item.title,
        "objective": item.objective,
        "minutes": item.minutes,
        "steps": item.steps,
        "page": links.sop_page(sop) if sop else item.ref,
    }


def _task_view(library: Library, task: OnboardingTask) -> dict[str, Any]:
    """A task with its tool (and how to get access to it) and the role that helps, resolved."""
    tool = library.tools.get(task.tool) if task.tool else None
    return {
        "key": task.key,
        "task": task.task,
        "url": task.url,
        "tool": tool_ref(library, task.tool) if task.tool else None,
        "access": tool.access if tool else None,
        "role": role_ref(library, task.role) if task.role else None,
    }


def stage_name(stage: PathStage, t: Labels = ENGLISH) -> str:
    """A stage's heading: as onboarding.yml names it, or a derived stage in the site's words."""
    if stage.derived == "consulted":
        return t("onboarding.stage_consulted")
    if stage.derived == "work":
        if not stage.phase:
            return t("onboarding.stage_work")
        return t("onboarding.stage_work_in", phase=t.phase(stage.phase))
    return stage.name


def onboarding_markdown(library: Library, path: RolePath, options: PageOptions) -> str:
    role = library.roles[path.role]
    t = options.labels
    return render(
        "onboarding.md.j2",
        options.templates,
        t=t,
        page=links.onboarding_page(path.role),
        use_directory_urls=options.use_directory_urls,
        role=role,
        role_page=links.role_page(path.role),
        count=len(path.items),
        tasks=len(path.tasks),
        quizzes=len(_quiz_views(library, path, options.site_key)),
        minutes=path.minutes,
        curated=path.curated,
        intro=path.intro,
        rule=t("onboarding.rule", limit=t.number(DERIVED_ITEMS), also=t("onboarding.also")),
        key=f"{options.site_key}/{path.role}",
        stages=[
            {
                "name": stage_name(stage, t),
                "entries": [_item_view(library, i, options.site_key) for i in stage.items],
                "tasks": [_task_view(library, task) for task in stage.tasks],
            }
            for stage in path.stages
        ],
        also=[sop_ref(library, sop_id) for sop_id in path.also[:ALSO_SHOWN]],
        also_count=len(path.also),
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
            "role": role,
            "name": library.roles[role].name,
            "team": library.roles[role].team or "",
            "page": links.onboarding_page(role),
            "count": len(path.items),
            "minutes": path.minutes,
            "curated": path.curated,
            "quizzes": _quiz_views(library, path, options.site_key),
        }
        for role, path in paths.items()
    ]
    pages[links.ONBOARDING_INDEX] = GeneratedPage(
        render(
            "onboarding_index.md.j2",
            options.templates,
            t=options.labels,
            page=links.ONBOARDING_INDEX,
            rows=rows,
        ),
        "onboarding.yml",
    )
    return pages


def with_start_here(markdown: str, t: Labels = ENGLISH) -> str:
    """The home page gets a "start here" pointer to onboarding unless it links there itself."""
    title = escape.html_text(t("onboarding.start_here_title"))
    link = Markup("[{}](onboarding/index.md)").format(
        Markup(escape.md_text(t("onboarding.start_here_link")))
    )
    note = f'!!! tip "{title}"\n\n    {t.md("onboarding.start_here", link=link)}\n\n'
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", note, *lines[index + 1 :]])
    return note + markdown
