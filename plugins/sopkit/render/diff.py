"""A handbook diff as text for the terminal, Markdown for a pull request and JSON for tools.

The JSON shape is a stable interface (documented in docs/diff.md): keys are only ever added.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from sopkit.diff import (
    BODY,
    BranchChange,
    CallChange,
    HandbookDiff,
    RaciChange,
    SopChange,
    StepMove,
)
from sopkit.labels import ENGLISH, Labels
from sopkit.model import Diagnostic
from sopkit.render.escape import md_text

DIFF_FORMAT_VERSION = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def hours_text(hours: float) -> str:
    """`32 h`, `0.5 h`."""
    rounded = round(hours, 2)
    return f"{rounded:g} h"


def lead_time_change(base: float, head: float) -> str:
    """`32 h -> 34 h (+2 h)`."""
    delta = round(head - base, 2)
    sign = "+" if delta > 0 else "-"
    return f"{hours_text(base)} -> {hours_text(head)} ({sign}{hours_text(abs(delta))})"


def _field_name(key: str) -> str:
    return "the prose" if key == BODY else key


@dataclass(frozen=True)
class Words:
    """How handbook text is written into the output: emphasised names and plain text."""

    em: Callable[[str], str]
    plain: Callable[[str], str]
    markdown: bool = False
    """Whether the output is Markdown (the catalogue's words are then escaped too)."""

    def names(self, ids: tuple[str, ...], names: Mapping[str, str]) -> str:
        return ", ".join(self.plain(names.get(i, i)) for i in ids)

    def keys(self, keys: Iterable[str]) -> str:
        return ", ".join(self.plain(_field_name(key)) for key in keys)


MARKDOWN = Words(em=lambda text: f"*{md_text(text)}*", plain=md_text, markdown=True)
TEXT = Words(em=lambda text: f'"{text}"', plain=lambda text: text)


def raci_words(change: RaciChange, names: Mapping[str, str], words: Words) -> str:
    """`A of *Pre-launch QA*: Account Director -> Client Contact`."""
    where = f"{change.letter} of {words.em(change.title)}"
    removed = words.names(change.removed, names)
    added = words.names(change.added, names)
    if removed and added:
        return f"{where}: {removed} -> {added}"
    if added:
        return f"{where}: {added} added"
    return f"{where}: {removed} removed"


def _moved(moves: tuple[StepMove, ...], sop_id: str, step_id: str, out: bool) -> StepMove | None:
    for move in moves:
        if move.step == step_id and (move.source if out else move.target) == sop_id:
            return move
    return None


RUN_KEYS = ("cadence", "trigger")
"""SOP keys told with their values (`Cadence: monthly -> weekly`), not under "Also changed"."""


def _other_keys(fields: tuple[str, ...]) -> list[str]:
    return [key for key in fields if key not in RUN_KEYS]


def _not_set(value: str | None) -> str:
    return "not set" if value is None else value


def run_lines(change: SopChange, words: Words) -> list[str]:
    """`Cadence: monthly -> weekly`, `Trigger: "..." -> "..."` for what changed of the two."""
    lines = []
    if "cadence" in change.fields:
        before, after = _not_set(change.cadence_base), _not_set(change.cadence_head)
        lines.append(f"Cadence: {words.plain(before)} -> {words.plain(after)}")
    if "trigger" in change.fields:
        before = words.em(change.trigger_base) if change.trigger_base is not None else "not set"
        after = words.em(change.trigger_head) if change.trigger_head is not None else "not set"
        lines.append(f"Trigger: {before} -> {after}")
    return lines


def _step_keys(fields: tuple[str, ...]) -> list[str]:
    # RACI, branches and calls are told one by one instead.
    return [key for key in fields if key not in ("raci", "branches", "sop")]


def branch_words(change: BranchChange, words: Words) -> str:
    """`Branch "Lost" of *Is the laptop back?*: *Wipe* -> *Report the loss*`."""
    where = f'Branch "{words.plain(change.when)}" of {words.em(change.title)}'
    base = words.em(change.base_title or change.base) if change.base else None
    head = words.em(change.head_title or change.head) if change.head else None
    if base and head:
        return f"{where}: {base} -> {head}"
    if head:
        return f"{where} added, to {head}"
    return f"{where} removed (went to {base})"


def call_words(change: CallChange, titles: Mapping[str, str], words: Words) -> str:
    """`*Report the loss* runs *Lock a device* (was *Notify*)`."""
    base = words.em(titles.get(change.base, change.base)) if change.base else None
    head = words.em(titles.get(change.head, change.head)) if change.head else None
    step = words.em(change.title)
    if head:
        return f"{step} runs {head} as a sub-procedure" + (f" (was {base})" if base else "")
    return f"{step} no longer runs {base} as a sub-procedure"


def sop_change_lines(
    change: SopChange,
    words: Words,
    names: Mapping[str, str],
    moves: tuple[StepMove, ...] = (),
    titles: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per thing that changed in an SOP, for people (`titles`: SOP id -> title)."""
    titles = titles or {}
    lines = []
    for step in change.steps_added:
        move = _moved(moves, change.id, step.id, out=False)
        origin = f" (moved from {words.em(titles.get(move.source, move.source))})" if move else ""
        lines.append(f"Step {words.em(step.title)} added{origin}")
    for step in change.steps_removed:
        move = _moved(moves, change.id, step.id, out=True)
        goal = f" (moved to {words.em(titles.get(move.target, move.target))})" if move else ""
        lines.append(f"Step {words.em(step.title)} removed{goal}")
    for changed in change.steps_changed:
        keys = _step_keys(changed.fields)
        if keys:
            lines.append(f"Step {words.em(changed.title)} changed: {words.keys(keys)}")
    lines.extend(raci_words(raci, names, words) for raci in change.raci)
    lines.extend(branch_words(branch, words) for branch in change.branches)
    lines.extend(call_words(call, titles, words) for call in change.calls)
    if change.lead_time_base != change.lead_time_head:
        lines.append(f"Lead time: {lead_time_change(change.lead_time_base, change.lead_time_head)}")
    lines.extend(run_lines(change, words))
    if rest := _other_keys(change.fields):
        lines.append(f"Also changed: {words.keys(rest)}")
    return lines


def _say(t: Labels, words: Words, key: str, /, **values: Any) -> str:
    """A message of the catalogue with `values` already written by `words` (escaped)."""
    if words.markdown:
        marked: dict[str, Any] = {name: Markup(value) for name, value in values.items()}
        return str(t.md(key, **marked))
    return t(key, **values)


def _cadence_word(value: str | None, t: Labels) -> str:
    """`monthly`: a cadence as a phrase writes it (its name, lower case), or `not set`."""
    if value is None:
        return t("common.not_set")
    name = t.known(f"cadence.{value}") or value
    return name[:1].lower() + name[1:]


def _hours_change(base: float, head: float, t: Labels) -> tuple[str, str, str]:
    """`32 h`, `34 h`, `+2 h` in the language's words and numbers."""

    def hours(value: float) -> str:
        return t("news.hours", n=round(value, 2))

    delta = round(head - base, 2)
    return hours(base), hours(head), ("+" if delta > 0 else "-") + hours(abs(delta))


def change_summary(change: SopChange, words: Words = MARKDOWN, t: Labels = ENGLISH) -> str:
    """A short phrase list: `step *Smoke test* added; approver of *QA* changed`, in `t`'s
    language (the what's-new page)."""
    em = words.em

    def say(key: str, /, **values: str) -> str:
        return _say(t, words, key, **values)

    def keys(fields: Iterable[str]) -> str:
        return ", ".join(
            words.plain(t("news.field_body") if key == BODY else key) for key in fields
        )

    parts = [say("news.step_added", step=em(s.title)) for s in change.steps_added]
    parts += [say("news.step_removed", step=em(s.title)) for s in change.steps_removed]
    raci_steps: dict[str, tuple[str, bool, bool]] = {}
    for raci in change.raci:
        title, approver, others = raci_steps.get(raci.step, (raci.title, False, False))
        if raci.letter == "A" and raci.approval:
            approver = True
        else:
            others = True
        raci_steps[raci.step] = (title, approver, others)
    for title, approver, others in raci_steps.values():
        if approver:
            parts.append(say("news.approver_changed", step=em(title)))
        if others:
            parts.append(say("news.roles_changed", step=em(title)))
    for changed in change.steps_changed:
        if step_keys := _step_keys(changed.fields):
            parts.append(say("news.step_changed", step=em(changed.title), fields=keys(step_keys)))
    for title in dict.fromkeys(branch.title for branch in change.branches):
        parts.append(say("news.branches_changed", step=em(title)))
    for call in change.calls:
        parts.append(say("news.call_changed", step=em(call.title)))
    if change.lead_time_base != change.lead_time_head:
        before, after, delta = _hours_change(change.lead_time_base, change.lead_time_head, t)
        parts.append(
            say(
                "news.lead_time",
                before=words.plain(before),
                after=words.plain(after),
                change=words.plain(delta),
            )
        )
    if "cadence" in change.fields:
        parts.append(
            say(
                "news.cadence",
                before=words.plain(_cadence_word(change.cadence_base, t)),
                after=words.plain(_cadence_word(change.cadence_head, t)),
            )
        )
    if "trigger" in change.fields:
        parts.append(say("news.trigger_changed"))
    if rest := _other_keys(change.fields):
        parts.append(say("news.fields_changed", fields=keys(rest)))
    return "; ".join(parts) if parts else say("news.no_change")


def _finding_words(finding: Diagnostic, escape: Callable[[str], str]) -> str:
    return escape(
        f"{finding.file}:{finding.line}: {finding.severity} {finding.rule}: {finding.message}"
    )


def _counts(diff: HandbookDiff) -> str:
    parts = []
    if diff.sops_changed:
        parts.append(f"{_plural(len(diff.sops_changed), 'SOP')} changed")
    if diff.sops_added:
        parts.append(f"{len(diff.sops_added)} added")
    if diff.sops_removed:
        parts.append(f"{len(diff.sops_removed)} removed")
    if diff.sops_unreadable:
        parts.append(f"{len(diff.sops_unreadable)} unreadable")
    findings = []
    if diff.findings_new:
        findings.append(_plural(len(diff.findings_new), "new finding"))
    if diff.findings_fixed:
        findings.append(f"{len(diff.findings_fixed)} fixed")
    text = ", ".join(parts) or "No SOP changed"
    return f"{text}; {', '.join(findings)}." if findings else f"{text}."


def _entry_lines(kind: str, changes: Any) -> list[str]:
    lines = []
    for label, ids in (
        ("added", changes.added),
        ("removed", changes.removed),
        ("changed", changes.changed),
    ):
        if ids:
            lines.append(f"{kind} {label}: {', '.join(ids)}")
    return lines


def diff_markdown(diff: HandbookDiff) -> str:
    """Markdown for a pull request's summary or comment."""
    between = f"**{md_text(diff.base)}** and **{md_text(diff.head)}**"
    if not diff.process_changed and not (diff.findings_new or diff.findings_fixed):
        return f"No process changes between {between}.\n"
    out = [f"## Process changes between {between}", "", md_text(_counts(diff)), ""]
    for ref in diff.sops_added:
        out += [f"### Added: {md_text(ref.title)}", "", f"- File: {md_text(ref.file)}", ""]
    for change in diff.sops_changed:
        out += [f"### {md_text(change.title)}", ""]
        lines = sop_change_lines(change, MARKDOWN, diff.role_names, diff.moves, diff.sop_titles)
        out += [f"- {line}" for line in lines] + [""]
    for ref in diff.sops_removed:
        out += [f"### Removed: {md_text(ref.title)}", "", f"- File: {md_text(ref.file)}", ""]
    for ref in diff.sops_unreadable:
        out += [
            f"### Cannot be read: {md_text(ref.title)}",
            "",
            f"- File: {md_text(ref.file)} (see the findings)",
            "",
        ]
    entries = _entry_lines("Role", diff.roles) + _entry_lines("Tool", diff.tools)
    if entries:
        out += ["### Roles and tools", ""] + [f"- {md_text(line)}" for line in entries] + [""]
    if diff.findings_new or diff.findings_fixed:
        out += ["### Findings", ""]
        out += [f"- New: {_finding_words(f, md_text)}" for f in diff.findings_new]
        out += [f"- Fixed: {_finding_words(f, md_text)}" for f in diff.findings_fixed]
        out.append("")
    return "\n".join(out)


def diff_text(diff: HandbookDiff) -> str:
    """Plain text for the terminal."""
    if not diff.process_changed and not (diff.findings_new or diff.findings_fixed):
        return f"No process changes between {diff.base} and {diff.head}.\n"
    out = [f"Process changes between {diff.base} and {diff.head}: {_counts(diff)}"]
    for ref in diff.sops_added:
        out.append(f"+ {ref.id}: {ref.title} (added, {ref.file})")
    for change in diff.sops_changed:
        out.append(f"~ {change.id}: {change.title}")
        lines = sop_change_lines(change, TEXT, diff.role_names, diff.moves, diff.sop_titles)
        out += [f"    {line}" for line in lines]
    for ref in diff.sops_removed:
        out.append(f"- {ref.id}: {ref.title} (removed, {ref.file})")
    for ref in diff.sops_unreadable:
        out.append(f"! {ref.id}: {ref.title} (cannot be read, {ref.file}: see the findings)")
    out += _entry_lines("role", diff.roles) + _entry_lines("tool", diff.tools)
    out += [f"new finding: {_finding_words(f, str)}" for f in diff.findings_new]
    out += [f"fixed finding: {_finding_words(f, str)}" for f in diff.findings_fixed]
    return "\n".join(out) + "\n"


def _sop_change_json(change: SopChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "title": change.title,
        "file": change.file,
        "fields": list(change.fields),
        "steps": {
            "added": [{"id": s.id, "title": s.title} for s in change.steps_added],
            "removed": [{"id": s.id, "title": s.title} for s in change.steps_removed],
            "changed": [
                {"id": s.id, "title": s.title, "fields": list(s.fields)}
                for s in change.steps_changed
            ],
        },
        "raci": [
            {
                "step": r.step,
                "letter": r.letter,
                "removed": list(r.removed),
                "added": list(r.added),
            }
            for r in change.raci
        ],
        "lead_time_hours": {"base": change.lead_time_base, "head": change.lead_time_head},
        "branches": [
            {"step": b.step, "when": b.when, "base": b.base, "head": b.head}
            for b in change.branches
        ],
        "calls": [{"step": c.step, "base": c.base, "head": c.head} for c in change.calls],
        "cadence": {"base": change.cadence_base, "head": change.cadence_head},
        "trigger": {"base": change.trigger_base, "head": change.trigger_head},
    }


def diff_document(diff: HandbookDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (see docs/diff.md)."""

    def entries(changes: Any) -> dict[str, list[str]]:
        return {
            "added": list(changes.added),
            "removed": list(changes.removed),
            "changed": list(changes.changed),
        }

    return {
        "version": DIFF_FORMAT_VERSION,
        "base": diff.base,
        "head": diff.head,
        "sops": {
            "added": [ref.id for ref in diff.sops_added],
            "removed": [ref.id for ref in diff.sops_removed],
            "changed": [_sop_change_json(change) for change in diff.sops_changed],
            "unreadable": [ref.id for ref in diff.sops_unreadable],
        },
        "steps_moved": [{"step": m.step, "from": m.source, "to": m.target} for m in diff.moves],
        "roles": entries(diff.roles),
        "tools": entries(diff.tools),
        "findings": {
            "new": [f.as_dict() for f in diff.findings_new],
            "fixed": [f.as_dict() for f in diff.findings_fixed],
        },
    }


def diff_json(diff: HandbookDiff) -> str:
    return json.dumps(diff_document(diff), ensure_ascii=False, indent=2) + "\n"
