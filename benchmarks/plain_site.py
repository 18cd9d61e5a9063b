"""The hand-written equivalent of a sopkit handbook: the pages a team would write for plain MkDocs.

What a person without sopkit writes, page for page:

- one page per SOP with the same visible content as sopkit's SOP page: title, a facts line
  (phase, status, owner, review, lead time), the objective in an admonition, the intro prose,
  the tools list, the same workflow diagram (pasted: sopkit's inline SVG, byte for byte), each
  step as a `###` heading with an anchor, its R/A/C/I roles as links, duration, tools, output,
  "starts after", criteria, a checklist (task list) and the instructions; the approval process,
  the KPI table, the RACI table (steps x roles) and the related SOPs;
- one page per role (its summary, the SOPs it owns, its approvals, a table of its steps by SOP)
  and per tool (the SOPs and steps that use it), with an index of roles and of tools;
- the home page, an index of all SOPs by phase, and one index per SOP folder.

It leaves out what only a generator keeps up to date: the RACI matrix, the lifecycle map, the
onboarding paths, the health page and the JSON/CSV exports.

The content is read from the sopkit model of the same handbook, so both sites say the same.

`write_twin_docs` writes the smaller twin the headline figures compare with: the home page and
the same SOP pages, plus a one-line page per role and per tool so that every link of an SOP page
resolves. It is the least a team would build by hand: nothing that lists the handbook.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from sopkit.model import Library, Sop, Step
from sopkit.render.diagrams import workflow_diagram
from sopkit.render.links import relative, relative_url, step_anchor
from sopkit.render.refs import lead_time_text
from sopkit.units import format_hours

LETTERS = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}


def _link(page: str, text: str, target: str, anchor: str = "") -> str:
    return f"[{text}]({relative(page, target)}{'#' + anchor if anchor else ''})"


def _role(library: Library, page: str, role_id: str) -> str:
    role = library.roles.get(role_id)
    return _link(page, role.name, f"roles/{role_id}.md") if role else role_id


def _tool(library: Library, page: str, tool_id: str) -> str:
    tool = library.tools.get(tool_id)
    return _link(page, tool.name, f"tools/{tool_id}.md") if tool else tool_id


def _sop(library: Library, page: str, sop_id: str) -> str:
    sop = library.sop(sop_id)
    return _link(page, sop.title, sop.file) if sop else sop_id


def _step_ref(step: Step) -> str:
    return f"[{step.index + 1}. {step.title}](#{step_anchor(step.id)})"


def sop_page(library: Library, sop: Sop, required_by: Iterable[str]) -> str:
    page = sop.file
    due = sop.review_due
    out = [
        f"# {sop.title}",
        "",
        f"**Phase:** {sop.phase.capitalize()} · **Status:** {sop.status.capitalize()} · "
        f"**Owner:** {_role(library, page, sop.owner or '')} · "
        f"**Reviewed:** {sop.reviewed}, next review {due} · "
        f"**Lead time:** {lead_time_text(sop)}",
        "",
        '!!! abstract "Objective"',
        "",
        f"    {sop.objective}",
        "",
        sop.intro,
        "",
    ]
    if sop.tools:
        out += ["## Tools", ""]
        for tool_id in sop.tools:
            tool = library.tools[tool_id]
            out.append(f"- {_tool(library, page, tool_id)}: {tool.purpose}")
        out.append("")
    diagram = workflow_diagram(
        sop,
        library.roles,
        step_href=lambda s: "#" + step_anchor(s.id),
        role_href=lambda r: relative_url(page, f"roles/{r}.md") if r in library.roles else None,
    )
    critical = [step for step in map(sop.step, sop.critical_path) if step]
    path = " → ".join(str(step.index + 1) for step in critical)
    out += ["## Workflow", "", diagram.html or "", ""]
    out += [f"Critical path: steps {path}.", ""]
    out += ["## Steps", ""]
    for step in sop.steps:
        out += _step(library, sop, step)
    if sop.approvals:
        out += ["## Approval process", ""]
        for step in sop.approvals:
            back = sop.step(step.on_reject) if step.on_reject else None
            submitters = ", ".join(_role(library, page, r) for r in step.raci.responsible)
            out += [
                f"**{_step_ref(step)}**: final approver "
                f"{_role(library, page, step.raci.accountable[0])}, work submitted by "
                f"{submitters}.",
                "",
                f"- **Deadline (SLA):** {format_hours(step.hours or 0)}",
                f"- **If changes are requested:** work goes back to {_step_ref(back)}"
                if back
                else "- **If changes are requested:** the work stops here",
                f"- **Criteria:** {'; '.join(step.criteria)}",
                "",
            ]
    out += ["## KPIs", "", "| KPI | Target | Source | Cadence |", "|---|---|---|---|"]
    for kpi in sop.kpis:
        source = _tool(library, page, kpi.source) if kpi.source else ""
        target = (kpi.target or "").replace(">", "&gt;")
        out.append(f"| {kpi.name} | {target} | {source} | {kpi.cadence or ''} |")
    out.append("")
    roles = sop.roles()
    out += ["## RACI", ""]
    out.append("| Step | " + " | ".join(_role(library, page, r) for r in roles) + " |")
    out.append("|---|" + ":-:|" * len(roles))
    for step in sop.steps:
        cells = " | ".join(", ".join(step.raci.letters_of(r)) for r in roles)
        out.append(f"| {_step_ref(step)} | {cells} |")
    out.append("")
    related = [
        ("Read first", sop.requires),
        ("Hands over to", sop.next),
        ("Required by", tuple(required_by)),
    ]
    if any(ids for _, ids in related):
        out += ["## Related SOPs", ""]
        for label, ids in related:
            if ids:
                out.append(f"- **{label}:** " + ", ".join(_sop(library, page, i) for i in ids))
        out.append("")
    return "\n".join(out)


def _step(library: Library, sop: Sop, step: Step) -> list[str]:
    page = sop.file
    out = [f"### {step.index + 1}. {step.title} {{ #{step_anchor(step.id)} }}", ""]
    out.append(
        " · ".join(
            f"**{letter}** {_role(library, page, role)}"
            for letter, roles in step.raci.letters()
            for role in roles
        )
    )
    out.append("")
    facts = []
    if step.hours:
        label = "SLA" if step.is_approval else "Duration"
        facts.append(f"- **{label}:** {format_hours(step.hours)}")
    if step.tools:
        facts.append("- **Tools:** " + ", ".join(_tool(library, page, t) for t in step.tools))
    if step.output:
        facts.append(f"- **Output:** {step.output}")
    default_after = (sop.steps[step.index - 1].id,) if step.index else ()
    if step.after != default_after:
        waits = [s for s in (sop.step(ref) for ref in step.after) if s]
        facts.append("- **Starts after:** " + ", ".join(_step_ref(s) for s in waits))
    if step.is_approval and step.on_reject and (back := sop.step(step.on_reject)):
        facts.append(f"- **Changes requested:** back to {_step_ref(back)}")
    if facts:
        out += [*facts, ""]
    if step.criteria:
        out += ["**Approval criteria**", "", *(f"1. {c}" for c in step.criteria), ""]
    if step.checklist:
        out += ["**Checklist**", "", *(f"- [ ] {c}" for c in step.checklist), ""]
    if step.instructions:
        out += [step.instructions, ""]
    return out


def role_page(library: Library, role_id: str) -> str:
    role = library.roles[role_id]
    page = f"roles/{role_id}.md"
    out = [f"# {role.name}", "", f"Team: {role.team}", "", role.summary or "", ""]
    owned = [sop for sop in library.sops if sop.owner == role_id]
    out += ["## SOPs this role owns", ""]
    out += [f"- {_link(page, sop.title, sop.file)}" for sop in owned] or ["None."]
    out += ["", "## Approvals this role gives", ""]
    approvals = [
        (sop, step)
        for sop in library.sops
        for step in sop.approvals
        if step.raci.accountable == (role_id,)
    ]
    if approvals:
        out += ["| SOP | Approval step | SLA |", "|---|---|--:|"]
        for sop, step in approvals:
            step_link = _link(
                page, f"{step.index + 1}. {step.title}", sop.file, step_anchor(step.id)
            )
            hours = format_hours(step.hours or 0)
            out.append(f"| {_link(page, sop.title, sop.file)} | {step_link} | {hours} |")
    else:
        out.append("None.")
    out += ["", "## Steps by SOP", ""]
    for sop in library.sops:
        steps = [s for s in sop.steps if s.raci.letters_of(role_id)]
        if not steps:
            continue
        out += [f"### {_link(page, sop.title, sop.file)}", ""]
        out += ["| Step | Role | Duration |", "|---|---|--:|"]
        for step in steps:
            letters = ", ".join(
                f"{letter} ({LETTERS[letter]})" for letter in step.raci.letters_of(role_id)
            )
            link = _link(page, f"{step.index + 1}. {step.title}", sop.file, step_anchor(step.id))
            out.append(f"| {link} | {letters} | {format_hours(step.hours or 0)} |")
        out.append("")
    return "\n".join(out)


def tool_page(library: Library, tool_id: str) -> str:
    tool = library.tools[tool_id]
    page = f"tools/{tool_id}.md"
    out = [f"# {tool.name}", "", tool.purpose or "", "", f"Open it: <{tool.url}>", ""]
    out += ["## Where it is used", ""]
    for sop in library.sops:
        steps = [s for s in sop.steps if tool_id in s.tools]
        kpis = [k.name for k in sop.kpis if k.source == tool_id]
        if not (steps or kpis or tool_id in sop.tools):
            continue
        out += [f"### {_link(page, sop.title, sop.file)}", ""]
        if tool_id in sop.tools:
            out += ["Used across the whole SOP.", ""]
        for step in steps:
            title = f"{step.index + 1}. {step.title}"
            out.append(f"- {_link(page, title, sop.file, step_anchor(step.id))}")
        out += [f"- KPI source: {name}" for name in kpis]
        out.append("")
    return "\n".join(out)


def _sop_table(library: Library, page: str, sops: Iterable[Sop]) -> list[str]:
    rows = ["| SOP | Objective | Owner | Lead time |", "|---|---|---|---|"]
    for sop in sops:
        rows.append(
            f"| {_link(page, sop.title, sop.file)} | {sop.objective} | "
            f"{_role(library, page, sop.owner or '')} | {lead_time_text(sop)} |"
        )
    return rows


def index_pages(library: Library) -> dict[str, str]:
    """The home page is copied from the sopkit handbook; these are the other index pages."""
    pages: dict[str, str] = {}
    out = ["# All SOPs", ""]
    for phase in library.settings.phases:
        sops = [sop for sop in library.sops if sop.phase == phase]
        out += [f"## {phase.capitalize()}", "", *_sop_table(library, "sops/index.md", sops), ""]
    pages["sops/index.md"] = "\n".join(out)
    folders: set[str] = set()
    for sop in library.sops:
        folder = posixpath.dirname(sop.file)
        while folder.startswith("sops/"):
            folders.add(folder)
            folder = posixpath.dirname(folder)
    for folder in sorted(folders):
        page = f"{folder}/index.md"
        nested = [sop for sop in library.sops if sop.file.startswith(folder + "/")]
        title = posixpath.basename(folder).capitalize()
        pages[page] = "\n".join([f"# {title}", "", *_sop_table(library, page, nested), ""])
    out = ["# Roles", "", "| Role | Team | What it does |", "|---|---|---|"]
    for role in library.roles.values():
        link = _link("roles/index.md", role.name, f"roles/{role.id}.md")
        out.append(f"| {link} | {role.team} | {role.summary} |")
    pages["roles/index.md"] = "\n".join(out)
    out = ["# Tools", "", "| Tool | What it is for |", "|---|---|"]
    for tool in library.tools.values():
        link = _link("tools/index.md", tool.name, f"tools/{tool.id}.md")
        out.append(f"| {link} | {tool.purpose} |")
    pages["tools/index.md"] = "\n".join(out)
    return pages


def write_plain_docs(library: Library, docs: Path, home: str) -> int:
    """Write every page of the hand-written site below `docs`; returns the number of pages."""
    required_by: dict[str, list[str]] = {}
    for sop in library.sops:
        for ref in sop.requires:
            required_by.setdefault(ref, []).append(sop.id)
    pages = {"index.md": home, **index_pages(library)}
    for sop in library.sops:
        pages[sop.file] = sop_page(library, sop, required_by.get(sop.id, ()))
    for role_id in library.roles:
        pages[f"roles/{role_id}.md"] = role_page(library, role_id)
    for tool_id in library.tools:
        pages[f"tools/{tool_id}.md"] = tool_page(library, tool_id)
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return len(pages)


def write_twin_docs(library: Library, docs: Path, home: str) -> int:
    """Write the SOP-pages-only twin below `docs`; returns the number of pages."""
    required_by: dict[str, list[str]] = {}
    for sop in library.sops:
        for ref in sop.requires:
            required_by.setdefault(ref, []).append(sop.id)
    pages = {"index.md": home}
    for sop in library.sops:
        pages[sop.file] = sop_page(library, sop, required_by.get(sop.id, ()))
    for role in library.roles.values():
        pages[f"roles/{role.id}.md"] = f"# {role.name}\n\nTeam: {role.team}. {role.summary or ''}"
    for tool in library.tools.values():
        pages[f"tools/{tool.id}.md"] = f"# {tool.name}\n\n{tool.purpose or ''} <{tool.url}>"
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return len(pages)
