"""The checker: every rule of the format, one function each, all findings in one pass."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sopkit import graph
from sopkit.load import slugify
from sopkit.model import Branch, Diagnostic, Heading, Library, Location, PathPart, Sop, Step
from sopkit.parse import STEPS_HEADINGS
from sopkit.rules import RULE_SEVERITIES, WARNING_RULES, applied
from sopkit.schema import schema_findings
from sopkit.yaml_hints import misplaced_items

MAX_CONSULTED = 4


@dataclass(frozen=True)
class Context:
    library: Library
    today: dt.date

    def at(self, file: str, *path: PathPart) -> Location:
        return self.library.locate(file, *path)


Rule = Callable[[Context], Iterable[Diagnostic]]


def check_library(library: Library, today: dt.date | None = None) -> list[Diagnostic]:
    """Every finding for the handbook, sorted by file, line, column and rule.

    Each SOP's `allow` and the site's rule settings (`Settings.rules`) are applied.
    """
    context = Context(library, today or dt.date.today())
    findings = list(library.load_findings)
    for rule in RULES:
        findings.extend(rule(context))
    findings = applied(findings, library)
    # A file that cannot be read is the cause of what follows: its syntax errors come first.
    return sorted(
        findings,
        key=lambda d: (d.rule != "yaml-syntax", d.file, d.line, d.column, d.rule, d.message),
    )


def not_checked(library: Library) -> list[str]:
    """What the checker could not check because a file it depends on cannot be read.

    One line per cause ("role references not checked: roles.yml has an error"), instead of a
    finding for every reference that depends on it. These lines are not findings: they never
    fail a build; they say why the list of findings is short.
    """
    lines = []
    for registry, why in library.unread_registries.items():
        kind = {"roles.yml": "role", "tools.yml": "tool"}.get(registry)
        if kind:
            lines.append(f"{kind} references not checked: {registry} {why}")
    skipped = _skipped_sop_refs(library)
    for sop_id, file in library.unread_sops.items():
        if sop_id in skipped:
            lines.append(f'references to SOP "{sop_id}" not checked: {file} cannot be read')
    return lines


def _skipped_sop_refs(library: Library) -> set[str]:
    named = {ref for sop in library.sops for ref in (*sop.requires, *sop.next, *sop.calls())}
    named |= {ref for path in library.onboarding.values() for s in path.stages for ref in s.sops}
    return {ref for ref in named if ref in library.unread_sops and ref not in library.sop_index}


def summary(findings: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _hint(name: str, options: Iterable[str]) -> str | None:
    choices = list(options)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not close:
        folded = {choice.casefold(): choice for choice in choices}
        if name.casefold() in folded:
            close = [folded[name.casefold()]]
    return f"did you mean `{close[0]}`?" if close else None


def rule_schema(ctx: Context) -> Iterator[Diagnostic]:
    """missing-field, unknown-field, wrong-type, invalid-value from the JSON Schema."""
    for source in ctx.library.sources.values():
        misplaced = misplaced_items(source)
        for finding in schema_findings(source):
            hint = misplaced.get(finding.location) if finding.rule == "wrong-type" else None
            if hint:
                finding = Diagnostic(
                    finding.rule, finding.severity, finding.location, finding.message, hint
                )
            yield finding


def rule_sop_values(ctx: Context) -> Iterator[Diagnostic]:
    """invalid-value: phases the site does not configure, ids taken from bad file names."""
    phases = ctx.library.settings.phases
    for sop in ctx.library.sops:
        source = ctx.library.sources[sop.file].data
        phase = source.get("phase")
        if isinstance(phase, str) and phase not in phases:
            yield Diagnostic(
                "invalid-value",
                "error",
                ctx.at(sop.file, "phase"),
                f'`phase` is "{phase}"; expected one of: {", ".join(phases)}',
                _hint(phase, phases),
            )
        if "id" not in source and slugify(sop.id) != sop.id:
            yield Diagnostic(
                "invalid-value",
                "error",
                Location(sop.file),
                f'the file name gives the id "{sop.id}", which is not a valid id',
                f"rename the file to {slugify(sop.id) or 'an-id'}.md or add `id:`",
            )


def rule_duplicate_ids(ctx: Context) -> Iterator[Diagnostic]:
    """duplicate-id: SOPs, steps of one SOP, roles and tools (also when only the case differs)."""
    first: dict[str, Sop] = {}
    for sop in ctx.library.sops:
        key = sop.id.casefold()
        if key in first:
            other = first[key]
            how = "the same id" if other.id == sop.id else "ids that differ only in case"
            yield Diagnostic(
                "duplicate-id",
                "error",
                ctx.at(sop.file, "id"),
                f'"{sop.id}" and {other.file} ("{other.id}") have {how}',
                "give each SOP its own id (the file name, or `id:`)",
            )
        else:
            first[key] = sop
        seen_steps: dict[str, Step] = {}
        for step in sop.steps:
            if step.id.casefold() in seen_steps:
                earlier = seen_steps[step.id.casefold()]
                yield Diagnostic(
                    "duplicate-id",
                    "error",
                    ctx.at(sop.file, *step.path, "id"),
                    f'step id "{step.id}" is used twice in this SOP (first by "{earlier.title}")',
                    "give the step its own `id:`",
                )
            else:
                seen_steps[step.id.casefold()] = step
    for registry, items in (("roles.yml", ctx.library.roles), ("tools.yml", ctx.library.tools)):
        folded: dict[str, str] = {}
        for item_id in items:
            if item_id.casefold() in folded:
                yield Diagnostic(
                    "duplicate-id",
                    "error",
                    ctx.at(registry, item_id),
                    f'"{item_id}" and "{folded[item_id.casefold()]}" differ only in case',
                    "keep one id",
                )
            else:
                folded[item_id.casefold()] = item_id


def rule_references(ctx: Context) -> Iterator[Diagnostic]:
    """unknown-role, unknown-tool, unknown-sop: every id an SOP or onboarding.yml names."""
    lib = ctx.library
    # A reference to something that could not be read is not checked (see `not_checked`).
    sop_ids = set(lib.sop_index) | set(lib.unread_sops)
    roles_read = "roles.yml" not in lib.unread_registries

    def missing(
        rule: str, kind: str, ref: str, known: Iterable[str], where: Location
    ) -> Diagnostic:
        return Diagnostic(
            rule, "error", where, f'unknown {kind} "{ref}"', _hint(ref, known) or _list_hint(kind)
        )

    for sop in lib.sops:
        data = lib.sources[sop.file].data
        if roles_read and sop.owner and sop.owner not in lib.roles:
            yield missing("unknown-role", "role", sop.owner, lib.roles, ctx.at(sop.file, "owner"))
        for key in ("requires", "next"):
            for index, ref in enumerate(sop.requires if key == "requires" else sop.next):
                if ref not in sop_ids:
                    where = (
                        ctx.at(sop.file, key, index)
                        if isinstance(data.get(key), list)
                        else ctx.at(sop.file, key)
                    )
                    yield missing("unknown-sop", "SOP", ref, sop_ids, where)
        yield from _tool_refs(ctx, sop.file, ("tools",), sop.tools)
        for step in sop.steps:
            if step.sop and step.sop not in sop_ids:
                where = ctx.at(sop.file, *step.path, "sop")
                yield missing("unknown-sop", "SOP", step.sop, sop_ids, where)
            for letter, roles in step.raci.letters():
                for index, role in enumerate(roles):
                    if roles_read and role not in lib.roles:
                        where = ctx.at(sop.file, *step.path, "raci", letter, index)
                        yield missing("unknown-role", "role", role, lib.roles, where)
            yield from _tool_refs(ctx, sop.file, (*step.path, "tools"), step.tools)
        for kpi in sop.kpis:
            if _tools_read(ctx) and kpi.source and kpi.source not in lib.tools:
                yield missing(
                    "unknown-tool",
                    "tool",
                    kpi.source,
                    lib.tools,
                    ctx.at(sop.file, *kpi.path, "source"),
                )
    for role, path in lib.onboarding.items():
        if roles_read and role not in lib.roles:
            yield missing("unknown-role", "role", role, lib.roles, ctx.at("onboarding.yml", role))
        for stage in path.stages:
            for task in stage.tasks:
                where = ctx.at("onboarding.yml", *task.path, "tool")
                if _tools_read(ctx) and task.tool and task.tool not in lib.tools:
                    yield missing("unknown-tool", "tool", task.tool, lib.tools, where)
                where = ctx.at("onboarding.yml", *task.path, "role")
                if roles_read and task.role and task.role not in lib.roles:
                    yield missing("unknown-role", "role", task.role, lib.roles, where)
            for index, ref in enumerate(stage.sops):
                if ref not in sop_ids:
                    where = ctx.at("onboarding.yml", *stage.path, "sops", index)
                    yield missing("unknown-sop", "SOP", ref, sop_ids, where)
            for index, page in enumerate(stage.pages):
                if not (Path(lib.root) / page).is_file():
                    yield Diagnostic(
                        "invalid-value",
                        "error",
                        ctx.at("onboarding.yml", *stage.path, "pages", index),
                        f'page "{page}" does not exist in the handbook folder',
                        "write the path relative to the handbook folder, e.g. how-we-work.md",
                    )


def _list_hint(kind: str) -> str:
    registry = {"role": "roles.yml", "tool": "tools.yml"}.get(kind)
    return f"add it to {registry} or fix the id" if registry else "check the SOP's id"


def _tools_read(ctx: Context) -> bool:
    return "tools.yml" not in ctx.library.unread_registries


def _tool_refs(
    ctx: Context, file: str, path: tuple[PathPart, ...], tools: tuple[str, ...]
) -> Iterator[Diagnostic]:
    if not _tools_read(ctx):
        return
    for index, tool in enumerate(tools):
        if tool not in ctx.library.tools:
            yield Diagnostic(
                "unknown-tool",
                "error",
                ctx.at(file, *path, index),
                f'unknown tool "{tool}"',
                _hint(tool, ctx.library.tools) or _list_hint("tool"),
            )


def rule_steps(ctx: Context) -> Iterator[Diagnostic]:
    """unknown-step, raci-accountable, raci-responsible, self-approval, too-many-consulted."""
    for sop in ctx.library.sops:
        ids = [step.id for step in sop.steps]
        for step in sop.steps:
            here = ctx.at(sop.file, *step.path)
            raw = ctx.library.sources[sop.file].data["steps"][step.path[1]]
            for index, ref in enumerate(step.after if "after" in raw else ()):
                if ref not in ids:
                    where = ctx.at(sop.file, *step.path, "after", index)
                    yield Diagnostic(
                        "unknown-step",
                        "error",
                        where,
                        f'`after` names "{ref}", which is not a step of this SOP',
                        _hint(ref, ids),
                    )
            if step.on_reject and step.on_reject not in ids:
                yield Diagnostic(
                    "unknown-step",
                    "error",
                    ctx.at(sop.file, *step.path, "on_reject"),
                    f'`on_reject` names "{step.on_reject}", which is not a step of this SOP',
                    _hint(step.on_reject, ids),
                )
            raci_at = ctx.at(sop.file, *step.path, "raci")
            accountable = step.raci.accountable
            if not accountable:
                yield Diagnostic(
                    "raci-accountable",
                    "error",
                    raci_at if "raci" in raw else here,
                    f'step "{step.title}" has no Accountable (A)',
                    "name exactly one role, e.g. raci: {R: content-writer, A: content-lead}",
                )
            elif len(accountable) > 1:
                yield Diagnostic(
                    "raci-accountable",
                    "error",
                    ctx.at(sop.file, *step.path, "raci", "A"),
                    f'step "{step.title}" has {len(accountable)} Accountable roles '
                    f"({', '.join(accountable)}); exactly one is allowed",
                    "keep one A; move the others to C or R",
                )
            if not step.raci.responsible:
                yield Diagnostic(
                    "raci-responsible",
                    "error",
                    raci_at if "raci" in raw else here,
                    f'step "{step.title}" has no Responsible (R)',
                    "name who does the work, e.g. R: content-writer",
                )
            responsible = step.raci.responsible
            if step.is_approval and len(accountable) == 1 and responsible == accountable:
                yield Diagnostic(
                    "self-approval",
                    "warning",
                    ctx.at(sop.file, *step.path, "raci", "A"),
                    f'on approval step "{step.title}" the approver {accountable[0]} is also the '
                    "only Responsible: nobody else looks at the work",
                    "make R the person who submits the work",
                )
            if len(step.raci.consulted) > MAX_CONSULTED:
                yield Diagnostic(
                    "too-many-consulted",
                    "warning",
                    ctx.at(sop.file, *step.path, "raci", "C"),
                    f'step "{step.title}" consults {len(step.raci.consulted)} roles '
                    f"(more than {MAX_CONSULTED}): feedback rounds will stall",
                    "move roles who only need the result to I",
                )


def rule_decisions(ctx: Context) -> Iterator[Diagnostic]:
    """unknown-step, step-cycle and invalid-value of decisions (format 1.2): a branch to a step
    that does not exist or to the decision itself, two branches on one answer, `branches` on a
    step that is not a decision. Fewer than two branches is the schema's (`rule_schema`)."""
    for sop in ctx.library.sops:
        ids = [step.id for step in sop.steps]
        raw_steps = ctx.library.sources[sop.file].data.get("steps")
        if not sop.steps or not isinstance(raw_steps, list):
            continue
        for step in sop.steps:
            raw = raw_steps[int(step.path[1])]
            if "branches" in raw and not step.is_decision:
                yield Diagnostic(
                    "invalid-value",
                    "error",
                    ctx.at(sop.file, *step.path, "branches"),
                    f'step "{step.title}" has `branches` but is not a decision, so they are '
                    "not followed",
                    "add kind: decision to the step",
                )
                continue
            answers: dict[str, int] = {}
            for branch in step.branches:
                where = ctx.at(sop.file, *branch.path, "to")
                if branch.to == step.id:
                    yield Diagnostic(
                        "step-cycle",
                        "error",
                        where,
                        f'the branch "{branch.when}" of "{step.title}" goes to the decision itself',
                        "name the step that runs on this answer",
                    )
                elif branch.to not in ids:
                    yield Diagnostic(
                        "unknown-step",
                        "error",
                        where,
                        f'the branch "{branch.when}" goes to "{branch.to}", which is not a '
                        "step of this SOP",
                        _hint(branch.to, ids),
                    )
                written = raw["branches"][branch.path[-1]].get("when")
                folded = " ".join(branch.when.split()).casefold()
                if not isinstance(written, str):
                    continue  # a `when` of another type is the schema's finding
                if folded in answers:
                    yield Diagnostic(
                        "invalid-value",
                        "error",
                        ctx.at(sop.file, *branch.path, "when"),
                        f'two branches of "{step.title}" have the answer "{branch.when}" '
                        f"(branches {answers[folded]} and {int(branch.path[-1]) + 1}): the "
                        "person deciding cannot tell them apart",
                        "give each branch its own `when`",
                    )
                else:
                    answers[folded] = int(branch.path[-1]) + 1


def rule_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """step-cycle and sop-cycle."""
    lib = ctx.library
    for sop in lib.sops:
        after = {step.id: step.after for step in sop.steps}
        cycle = graph.find_cycle([step.id for step in sop.steps], after)
        back = _branch_back(ctx, sop, cycle) if cycle else None
        if cycle and back is not None:
            decision, branch = back
            yield Diagnostic(
                "step-cycle",
                "error",
                ctx.at(sop.file, *branch.path, "to"),
                f'the branch "{branch.when}" of "{decision.title}" goes back to "{branch.to}", '
                f"which leads to the decision: " + _waits(cycle, "comes after"),
                "a decision's branches go forward; for rework, use an approval step with "
                "on_reject, or add a step that fixes the work and then rejoins",
            )
        elif cycle:
            step = sop.step(cycle[0])
            path = (*step.path, "after") if step else ()
            yield Diagnostic(
                "step-cycle",
                "error",
                ctx.at(sop.file, *path),
                "the `after` links form a cycle: " + _waits(cycle, "comes after"),
                "a step cannot wait for itself; use on_reject for rework loops",
            )
    yield from _call_cycle(ctx)
    requires = {sop_id: sop.requires for sop_id, sop in lib.sop_index.items()}
    cycle = graph.find_cycle(list(lib.sop_index), requires)
    if cycle:
        sop = lib.sop_index[cycle[0]]
        yield Diagnostic(
            "sop-cycle",
            "error",
            ctx.at(sop.file, "requires"),
            "the `requires` links form a cycle: " + _waits(cycle, "requires"),
            "`requires` means 'read first'; use `next` for hand-overs that loop back",
        )


def _branch_back(ctx: Context, sop: Sop, cycle: list[str]) -> tuple[Step, Branch] | None:
    """The branch that closes `cycle` when the `after` links as written have none."""
    members = set(cycle)
    raw_steps = ctx.library.sources[sop.file].data.get("steps")
    if not isinstance(raw_steps, list):
        return None
    found: list[tuple[bool, int, Step, Branch]] = []
    for step in sop.steps:
        if step.id not in members or not step.is_decision:
            continue
        for branch in step.branches:
            target = sop.step(branch.to)
            if target is None or branch.to not in members:
                continue
            raw = raw_steps[int(target.path[1])]
            if step.id not in (_written_ids(raw.get("after")) if "after" in raw else ()):
                # The branch to a step written above the decision is the one that goes back.
                found.append((target.index > step.index, len(found), step, branch))
    if not found:
        return None
    _, _, decision, branch = min(found, key=lambda item: (item[0], item[1]))
    return decision, branch


def _written_ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _call_cycle(ctx: Context) -> Iterator[Diagnostic]:
    """sop-cycle: SOPs that run each other as sub-procedures in a loop (or one runs itself)."""
    lib = ctx.library
    calls = {sop_id: sop.calls() for sop_id, sop in lib.sop_index.items()}
    for sop_id, sop in lib.sop_index.items():
        if sop_id in calls[sop_id]:
            step = next(s for s in sop.steps if s.sop == sop_id)
            yield Diagnostic(
                "sop-cycle",
                "error",
                ctx.at(sop.file, *step.path, "sop"),
                f'step "{step.title}" runs its own SOP as a sub-procedure',
                "name another SOP, or drop `sop:`",
            )
    others = {sop_id: [c for c in ids if c != sop_id] for sop_id, ids in calls.items()}
    cycle = graph.find_cycle(list(lib.sop_index), others)
    if cycle:
        waits = [cycle[0], *reversed(cycle[1:]), cycle[0]]
        sop = lib.sop_index[cycle[0]]
        step = next(s for s in sop.steps if s.sop == waits[1])
        yield Diagnostic(
            "sop-cycle",
            "error",
            ctx.at(sop.file, *step.path, "sop"),
            "the sub-procedures run each other in a loop: " + _waits(cycle, "runs"),
            "a sub-procedure cannot run the SOP that runs it; link the other SOP with `next`",
        )


def _waits(cycle: list[str], verb: str) -> str:
    """`a requires c, which requires b, which requires a` from a cycle in flow order."""
    waits = [cycle[0], *reversed(cycle[1:]), cycle[0]]
    return f"{waits[0]} {verb} " + f", which {verb} ".join(waits[1:])


def rule_orphan_sections(ctx: Context) -> Iterator[Diagnostic]:
    """orphan-step-section: a heading under `## Steps` that names no step."""
    for sop in ctx.library.sops:
        names = [step.title for step in sop.steps] + [step.id for step in sop.steps]
        steps = f"## {sop.steps_heading.text}" if sop.steps_heading else "## Steps"
        for heading in sop.orphan_headings:
            yield Diagnostic(
                "orphan-step-section",
                "error",
                Location(sop.file, heading.line, 1),
                f'the heading "{heading.text}" under {steps} matches no step title or id',
                _hint(heading.text, names) or f"move general notes above {steps}",
            )


def rule_steps_heading(ctx: Context) -> Iterator[Diagnostic]:
    """steps-heading: no `## Steps`, but a near miss of it or headings that name steps."""
    accepted = ctx.library.settings.steps_headings or STEPS_HEADINGS
    wanted = f"## {accepted[0]}"
    for sop in ctx.library.sops:
        if sop.steps_heading is not None:
            continue
        near = next((h for h in sop.headings if near_steps_heading(h, accepted)), None)
        if near is not None:
            yield Diagnostic(
                "steps-heading",
                "error",
                Location(sop.file, near.line, 1),
                f'the heading "{"#" * near.level} {near.text}" is not `{wanted}`, so the '
                "sections under it are not attached to any step",
                f"did you mean `{wanted}`?",
            )
            continue
        names = {" ".join(n.split()).casefold() for s in sop.steps for n in (s.title, s.id)}
        named = [h for h in sop.headings if h.plain.casefold() in names]
        if named:
            first = named[0]
            more = f" (and {len(named) - 1} more)" if len(named) > 1 else ""
            yield Diagnostic(
                "steps-heading",
                "error",
                Location(sop.file, first.line, 1),
                f'the heading "{first.text}"{more} names a step, but there is no `{wanted}` '
                "heading above it, so its text is not attached to the step",
                f"add a line `{wanted}` above line {first.line}",
            )


def near_steps_heading(heading: Heading, accepted: tuple[str, ...] = STEPS_HEADINGS) -> bool:
    """`## Steps:`, `## The steps`, `## Step`, `# Steps`: meant as the steps heading."""
    folded = [text.casefold() for text in accepted]
    text = heading.plain.casefold().strip().rstrip(":.!").strip()
    if text in folded:
        return heading.level != 2 or heading.plain.casefold() not in folded
    for article in ("the ", "our ", "all "):
        text = text.removeprefix(article)
    return bool(text) and bool(difflib.get_close_matches(text, folded, n=1, cutoff=0.8))


def rule_reviews(ctx: Context) -> Iterator[Diagnostic]:
    """review-overdue and missing-review."""
    for sop in ctx.library.sops:
        if sop.status == "retired":
            continue
        due = sop.review_due
        if due is not None and due < ctx.today:
            days = (ctx.today - due).days
            yield Diagnostic(
                "review-overdue",
                "warning",
                ctx.at(sop.file, "reviewed"),
                f"review overdue by {days} day{'s' if days != 1 else ''}: last reviewed "
                f"{sop.reviewed}, due {due} (every {sop.review_every})",
                f"the owner ({sop.owner}) reviews the SOP and updates `reviewed`",
            )
        source = ctx.library.sources[sop.file].data
        if sop.status == "active" and "reviewed" not in source:
            yield Diagnostic(
                "missing-review",
                "warning",
                ctx.at(sop.file, "title"),
                "this active SOP has no `reviewed` date",
                f"add reviewed: {ctx.today.isoformat()} once the owner has checked it",
            )


def rule_template(ctx: Context) -> Iterator[Diagnostic]:
    """no-approval and no-kpis: what the SOP template expects."""
    for sop in ctx.library.sops:
        if sop.status == "retired" or not sop.steps:
            continue
        if not sop.approvals:
            yield Diagnostic(
                "no-approval",
                "warning",
                ctx.at(sop.file, "steps"),
                "this SOP has no approval step: nobody signs the work off",
                "add a step with kind: approval and a single approver as A",
            )
        if not sop.kpis:
            yield Diagnostic(
                "no-kpis",
                "warning",
                ctx.at(sop.file, "title"),
                "this SOP has no KPIs: nobody can tell whether it works",
                'add kpis: [{name: ..., target: ">= ..."}]',
            )


def rule_quiz(ctx: Context) -> Iterator[Diagnostic]:
    """invalid-value: a quiz answer that is not the exact text of one of its choices.

    Missing keys, unknown keys and the number of choices are the schema's (`rule_schema`).
    """
    for sop in ctx.library.sops:
        raw = ctx.library.sources[sop.file].data.get("quiz")
        for question in sop.quiz:
            position = int(question.path[1])
            item = raw[position]
            if not isinstance(item.get("choices"), list) or not question.answer:
                continue
            if isinstance(item.get("answer"), bool) or question.answer in question.choices:
                continue
            number = position + 1
            quoted = ", ".join(f'"{choice}"' for choice in question.choices) or "none"
            yield Diagnostic(
                "invalid-value",
                "error",
                ctx.at(sop.file, *question.path, "answer"),
                f'the answer of question {number} is "{question.answer}", which is not one of '
                f"its choices ({quoted})",
                _hint(question.answer, question.choices)
                or "copy the right choice's text exactly into `answer`",
            )


def rule_allow(ctx: Context) -> Iterator[Diagnostic]:
    """invalid-value: `allow` naming a rule that does not exist or that is an error."""
    for sop in ctx.library.sops:
        raw = ctx.library.sources[sop.file].data.get("allow")
        names = raw if isinstance(raw, list) else [raw]
        for index, name in enumerate(names):
            if not isinstance(name, str) or name in WARNING_RULES:
                continue  # a wrong type is the schema's
            where = (
                ctx.at(sop.file, "allow", index)
                if isinstance(raw, list)
                else ctx.at(sop.file, "allow")
            )
            if name in RULE_SEVERITIES:
                yield Diagnostic(
                    "invalid-value",
                    "error",
                    where,
                    f'`allow` names "{name}", which is an error: only warnings may be allowed',
                    "fix what the error reports instead; warnings: " + ", ".join(WARNING_RULES),
                )
            else:
                yield Diagnostic(
                    "invalid-value",
                    "error",
                    where,
                    f'`allow` names "{name}", which is not a rule of the checker',
                    _hint(name, WARNING_RULES) or "name a warning: " + ", ".join(WARNING_RULES),
                )


RULES: tuple[Rule, ...] = (
    rule_schema,
    rule_sop_values,
    rule_duplicate_ids,
    rule_references,
    rule_steps,
    rule_decisions,
    rule_cycles,
    rule_orphan_sections,
    rule_steps_heading,
    rule_reviews,
    rule_template,
    rule_quiz,
    rule_allow,
)
