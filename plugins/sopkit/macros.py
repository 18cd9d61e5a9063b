"""Functions for hand-written pages under mkdocs-macros: the generated views, anywhere.

They read the library the plugin built for this build (no second parse). Each returns Markdown
for the page that calls it, with links relative to that page. An id the handbook does not know
is recorded as a problem (the plugin fails the build with it) and shows as a marked placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from sopkit.labels import Labels
from sopkit.model import Library, Sop
from sopkit.onboarding import role_paths
from sopkit.render import links
from sopkit.render.context import PageOptions, phase_anchor, phase_name, sops_by_phase
from sopkit.render.diagrams import Diagram, lifecycle_diagram, workflow_diagram
from sopkit.render.escape import html_text, md_cell, md_inert_html, md_text
from sopkit.render.onboarding_pages import stage_name
from sopkit.render.raci import matrix_columns, matrix_rows
from sopkit.render.refs import lead_time_text, review_cell
from sopkit.render.templating import render

MACRO_NAMES = (
    "sop_table",
    "raci_matrix",
    "onboarding_path",
    "workflow",
    "lifecycle_map",
    "sop_link",
    "role_link",
    "tool_link",
)


@dataclass(frozen=True)
class MacroProblem:
    page: str
    macro: str
    message: str


@dataclass
class HandbookMacros:
    """The macros, bound to the current build's library and the page being rendered."""

    library: Callable[[], Library | None]
    page: Callable[[], str]
    options: Callable[[], PageOptions]
    problems: list[MacroProblem] = field(default_factory=list)

    def functions(self) -> dict[str, Callable[..., str]]:
        return {name: getattr(self, name) for name in MACRO_NAMES}

    def _library(self) -> Library:
        library = self.library()
        if library is None:
            raise RuntimeError("the sopkit plugin has not loaded the handbook yet")
        return library

    def _problem(self, macro: str, message: str) -> str:
        self.problems.append(MacroProblem(self.page(), macro, message))
        return f"**[{md_text(macro)}: {md_text(message)}]**"

    def _link(self, text: str, target: str, anchor: str = "") -> str:
        href = links.relative(self.page(), target) + (f"#{anchor}" if anchor else "")
        return f"[{md_text(text)}]({href})"

    def sop_link(self, sop_id: str) -> str:
        """`[Title](path/to/sop.md)` for an SOP id."""
        sop = self._library().sop(sop_id)
        if sop is None:
            return self._problem("sop_link", f'unknown SOP id "{sop_id}"')
        return self._link(sop.title, links.sop_page(sop))

    def role_link(self, role_id: str) -> str:
        role = self._library().roles.get(role_id)
        if role is None:
            return self._problem("role_link", f'unknown role id "{role_id}"')
        return self._link(role.name, links.role_page(role.id))

    def tool_link(self, tool_id: str) -> str:
        tool = self._library().tools.get(tool_id)
        if tool is None:
            return self._problem("tool_link", f'unknown tool id "{tool_id}"')
        return self._link(tool.name, links.tool_page(tool.id))

    def _check_filters(self, macro: str, phase: str | None, team: str | None) -> str | None:
        library = self._library()
        if phase is not None and phase not in library.settings.phases:
            return self._problem(macro, f'unknown phase "{phase}"')
        teams = {role.team for role in library.roles.values()}
        if team is not None and team not in teams:
            return self._problem(macro, f'unknown team "{team}"')
        return None

    def sop_table(
        self, phase: str | None = None, team: str | None = None, tag: str | None = None
    ) -> str:
        """SOPs with phase, owner, lead time and review status; filtered by phase, owner's team
        or tag (tags match whatever their case)."""
        problem = self._check_filters("sop_table", phase, team)
        if problem:
            return problem
        library = self._library()
        options = self.options()
        t = options.labels
        header = ("index.sop", "index.phase", "index.owner", "index.lead_time", "index.review")
        rows = [
            "| " + " | ".join(md_cell(t(key)) for key in header) + " |",
            "|---|---|---|---|---|",
        ]
        for sop in _ordered(library):
            owner = library.roles.get(sop.owner or "")
            if phase is not None and sop.phase != phase:
                continue
            if team is not None and (owner is None or owner.team != team):
                continue
            if tag is not None and tag.lower() not in {t.lower() for t in sop.tags}:
                continue
            owner_cell = md_cell(sop.owner or "")
            if owner is not None:
                owner_cell = self._link(owner.name, links.role_page(owner.id))
            cells = [
                self._link(sop.title, links.sop_page(sop)),
                md_cell(phase_name(sop.phase, t)),
                owner_cell,
                md_cell(lead_time_text(sop, t)),
                review_cell(sop, options.today, options.today_pinned, t),
            ]
            rows.append("| " + " | ".join(cells) + " |")
        if len(rows) == 2:
            return f"_{md_text(t('index.no_match'))}_"
        return "\n".join(rows)

    def raci_matrix(self, phase: str | None = None, team: str | None = None) -> str:
        """The RACI matrix (SOPs x roles), for one phase and/or the roles of one team."""
        problem = self._check_filters("raci_matrix", phase, team)
        if problem:
            return problem
        library = self._library()
        options = self.options()
        t = options.labels
        teams, roles = matrix_columns(library, team, t)
        parts = []
        for group_phase, sops in sops_by_phase(library).items():
            if not sops or (phase is not None and group_phase != phase):
                continue
            group = {
                "name": phase_name(group_phase, t),
                "rows": matrix_rows(library, sops, roles, t),
            }
            parts.append(
                render(
                    "raci_table.md.j2",
                    options.templates,
                    t=t,
                    page=self.page(),
                    use_directory_urls=options.use_directory_urls,
                    group=group,
                    teams=teams,
                    roles=roles,
                )
            )
        return "\n".join(parts)

    def onboarding_path(self, role: str) -> str:
        """A role's onboarding path as a compact list of stages, reading then tasks (no progress
        boxes)."""
        library = self._library()
        if role not in library.roles:
            return self._problem("onboarding_path", f'unknown role id "{role}"')
        t = self.options().labels
        path = role_paths(library)[role]
        lines = []
        for stage in path.stages:
            lines.append(f"**{md_text(stage_name(stage, t))}**\n")
            for item in stage.items:
                sop = library.sop(item.ref) if item.kind == "sop" else None
                target = links.sop_page(sop) if sop else item.ref
                minutes = t.md("macro.minutes", n=item.minutes)
                lines.append(f"1. {self._link(item.title, target)} ({minutes})")
            if stage.tasks:
                lines.append("")
                lines += [f"- {t.md('macro.to_do', task=task.task)}" for task in stage.tasks]
            lines.append("")
        link = Markup(self._link(t("macro.path_link"), links.onboarding_page(role)))
        lines.append(t.md("macro.full_path", link=link))
        return "\n".join(lines)

    def workflow(self, sop_id: str) -> str:
        """The SOP's workflow diagram; nodes link to the steps on the SOP's page."""
        library = self._library()
        sop = library.sop(sop_id)
        if sop is None:
            return self._problem("workflow", f'unknown SOP id "{sop_id}"')
        options = self.options()
        target = links.relative_url(self.page(), links.sop_page(sop), options.use_directory_urls)
        page = self.page()
        diagram = workflow_diagram(
            sop,
            library.roles,
            step_href=lambda step: f"{target}#{links.step_anchor(step.id)}",
            role_href=lambda role: (
                links.relative_url(page, links.role_page(role), options.use_directory_urls)
                if role in library.roles
                else None
            ),
            limits=options.limits,
            t=options.labels,
        )
        return _block(diagram, options.labels)

    def lifecycle_map(self) -> str:
        """Every SOP by phase with `requires` and `next` links."""
        library = self._library()
        options = self.options()
        page = self.page()
        lifecycle = links.relative_url(page, links.LIFECYCLE, options.use_directory_urls)
        diagram = lifecycle_diagram(
            _ordered(library),
            list(library.settings.phases),
            sop_href=lambda sop: links.relative_url(
                page, links.sop_page(sop), options.use_directory_urls
            ),
            phase_href=lambda phase: f"{lifecycle}#{phase_anchor(phase)}",
            sops_dir=library.settings.sops_dir,
            limits=options.limits,
            t=options.labels,
        )
        return _block(diagram, options.labels)


def _ordered(library: Library) -> list[Sop]:
    return [sop for sops in sops_by_phase(library).values() for sop in sops]


def _block(diagram: Diagram, t: Labels) -> str:
    """The diagram's HTML block (one line, so it can be indented into an admonition or tab)."""
    if diagram.html:
        # A hand-written page may indent it into an admonition or tab, where Markdown parses it.
        return md_inert_html(diagram.html)
    if diagram.too_large:
        title = html_text(t("sop.too_large_title"))
        return f'!!! note "{title}"\n\n    {md_text(diagram.too_large)}.'
    return ""


def macro_problems_for(problems: list[MacroProblem], page: str) -> list[MacroProblem]:
    return [problem for problem in problems if problem.page == page]
