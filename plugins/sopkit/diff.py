"""What a change does to the process: two loaded handbooks compared SOP by SOP and step by step.

SOPs and steps are matched by id, so a renamed file or a reordered list is not a removal and an
addition. Only what a reader of the process sees counts: line ends, key order and YAML style do
not. The same comparison serves `sopkit diff` and the site's what's-new page.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sopkit.model import RACI_LETTERS, Diagnostic, Library, Role, Sop, Step, Tool

# Model fields that are positions or facts derived from others, not things an author wrote.
_SOP_DERIVED = frozenset(
    [
        "id",
        "steps",
        "critical_path",
        "lead_time_hours",
        "schedule",
        "review_days",
        "file",
        "extra",
        "intro",
        "steps_intro",
        "outro",
        "orphan_headings",
        # Headings with their lines: the prose they hold is compared as `body` and instructions.
        "headings",
        "steps_heading",
    ]
)
_STEP_DERIVED = frozenset(["id", "index", "path", "hours", "extra"])
BODY = "body"
"""The name under which a change to an SOP's prose (outside step sections) is listed."""


def lead_time_hours(sop: Sop) -> float:
    """An SOP's lead time in working hours, by the handbook's one working-time rule."""
    return sop.lead_time_hours


@dataclass(frozen=True)
class StepRef:
    id: str
    title: str


@dataclass(frozen=True)
class StepChange:
    id: str
    title: str
    fields: tuple[str, ...]
    """The step's keys that changed (`instructions` for the text under its heading)."""


@dataclass(frozen=True)
class RaciChange:
    step: str
    title: str
    letter: str
    removed: tuple[str, ...]
    added: tuple[str, ...]
    approval: bool = False
    """Whether the step is an approval (its A is the approver)."""


@dataclass(frozen=True)
class BranchChange:
    """A way out of a decision added, removed or sent to another step (format 1.2)."""

    step: str
    title: str
    when: str
    base: str | None
    """The step the branch went to (None: the branch is new)."""
    head: str | None
    """The step it goes to now (None: the branch is gone)."""
    base_title: str | None = None
    head_title: str | None = None


@dataclass(frozen=True)
class CallChange:
    """A step that runs another SOP as a sub-procedure, or no longer does (format 1.2)."""

    step: str
    title: str
    base: str | None
    head: str | None


@dataclass(frozen=True)
class SopChange:
    """How one SOP present on both sides changed."""

    id: str
    title: str
    file: str
    fields: tuple[str, ...]
    steps_added: tuple[StepRef, ...]
    steps_removed: tuple[StepRef, ...]
    steps_changed: tuple[StepChange, ...]
    raci: tuple[RaciChange, ...]
    lead_time_base: float
    lead_time_head: float
    branches: tuple[BranchChange, ...] = ()
    calls: tuple[CallChange, ...] = ()
    cadence_base: str | None = None
    cadence_head: str | None = None
    trigger_base: str | None = None
    trigger_head: str | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.fields
            or self.steps_added
            or self.steps_removed
            or self.steps_changed
            or self.raci
            or self.branches
            or self.calls
            or self.lead_time_base != self.lead_time_head
        )


@dataclass(frozen=True)
class SopRef:
    id: str
    title: str
    file: str


@dataclass(frozen=True)
class StepMove:
    """A step id that left one SOP and appeared in another."""

    step: str
    title: str
    source: str
    target: str


@dataclass(frozen=True)
class EntryChanges:
    """Ids added, removed and changed in roles.yml or tools.yml."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class HandbookDiff:
    base: str
    head: str
    sops_added: tuple[SopRef, ...]
    sops_removed: tuple[SopRef, ...]
    sops_changed: tuple[SopChange, ...]
    sops_unreadable: tuple[SopRef, ...]
    """SOPs whose file is still there but can no longer be read (the findings say why)."""
    moves: tuple[StepMove, ...]
    roles: EntryChanges
    tools: EntryChanges
    findings_new: tuple[Diagnostic, ...]
    findings_fixed: tuple[Diagnostic, ...]
    role_names: Mapping[str, str] = field(default_factory=dict)
    """Role id -> name (the head's, else the base's), for text meant for people."""
    sop_titles: Mapping[str, str] = field(default_factory=dict)
    """SOP id -> title (the head's, else the base's)."""

    @property
    def process_changed(self) -> bool:
        return bool(
            self.sops_added
            or self.sops_removed
            or self.sops_changed
            or self.sops_unreadable
            or self.roles
            or self.tools
        )

    @property
    def empty(self) -> bool:
        return not (self.process_changed or self.findings_new or self.findings_fixed)


def _comparable(value: Any) -> Any:
    """A value with source positions left out (KPIs carry theirs)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (f.name, _comparable(getattr(value, f.name)))
            for f in dataclasses.fields(value)
            if f.name != "path"
        )
    if isinstance(value, tuple):
        return tuple(_comparable(item) for item in value)
    return value


def _changed_keys(
    base: Any, head: Any, skip: frozenset[str], extra_base: Mapping[str, Any], extra_head: Any
) -> list[str]:
    keys = [
        f.name
        for f in dataclasses.fields(base)
        if f.name not in skip
        and _comparable(getattr(base, f.name)) != _comparable(getattr(head, f.name))
    ]
    for key in sorted(set(extra_base) | set(extra_head)):
        if extra_base.get(key, _MISSING) != extra_head.get(key, _MISSING):
            keys.append(key)
    return keys


_MISSING = object()


def _step_fields(base: Step, head: Step) -> tuple[str, ...]:
    return tuple(_changed_keys(base, head, _STEP_DERIVED, base.extra, head.extra))


def _raci_changes(base: Step, head: Step) -> list[RaciChange]:
    changes = []
    for letter, (_, before), (_, after) in zip(
        RACI_LETTERS, base.raci.letters(), head.raci.letters(), strict=True
    ):
        removed = tuple(role for role in dict.fromkeys(before) if role not in after)
        added = tuple(role for role in dict.fromkeys(after) if role not in before)
        if removed or added:
            changes.append(
                RaciChange(head.id, head.title, letter, removed, added, head.is_approval)
            )
    return changes


def _branch_changes(
    base: Step | None, head: Step, base_sop: Sop, head_sop: Sop
) -> list[BranchChange]:
    """Branches matched by their answer (`when`): new, gone, or going to another step."""
    before = {b.when: b.to for b in reversed(base.branches)} if base else {}
    after = {b.when: b.to for b in reversed(head.branches)}

    def title(sop: Sop, step_id: str | None) -> str | None:
        step = sop.step(step_id) if step_id else None
        return step.title if step else step_id

    changes = []
    for branch in head.branches:
        old = before.get(branch.when)
        if after[branch.when] == branch.to and old != branch.to:
            changes.append(
                BranchChange(
                    head.id,
                    head.title,
                    branch.when,
                    old,
                    branch.to,
                    title(base_sop, old),
                    title(head_sop, branch.to),
                )
            )
    for branch in base.branches if base else ():
        if branch.when not in after and before[branch.when] == branch.to:
            changes.append(
                BranchChange(
                    head.id,
                    head.title,
                    branch.when,
                    branch.to,
                    None,
                    title(base_sop, branch.to),
                )
            )
    return changes


def sop_change(base: Sop, head: Sop) -> SopChange:
    """How `base` became `head` (two versions of one SOP)."""
    fields = _changed_keys(base, head, _SOP_DERIVED, base.extra, head.extra)
    if (base.intro, base.steps_intro, base.outro, _headings(base)) != (
        head.intro,
        head.steps_intro,
        head.outro,
        _headings(head),
    ):
        fields.append(BODY)
    before = {step.id: step for step in reversed(base.steps)}
    after = {step.id: step for step in reversed(head.steps)}
    changed: list[StepChange] = []
    raci: list[RaciChange] = []
    branches: list[BranchChange] = []
    calls: list[CallChange] = []
    for step in head.steps:
        old = before.get(step.id)
        if after[step.id] is not step:
            continue
        branches.extend(_branch_changes(old, step, base, head))
        if (old.sop if old else None) != step.sop:
            calls.append(CallChange(step.id, step.title, old.sop if old else None, step.sop))
        if old is None:
            continue
        keys = _step_fields(old, step)
        if keys:
            changed.append(StepChange(step.id, step.title, keys))
        raci.extend(_raci_changes(old, step))
    return SopChange(
        id=head.id,
        title=head.title,
        file=head.file,
        fields=tuple(fields),
        steps_added=tuple(
            StepRef(s.id, s.title) for s in head.steps if s.id not in before and after[s.id] is s
        ),
        steps_removed=tuple(
            StepRef(s.id, s.title) for s in base.steps if s.id not in after and before[s.id] is s
        ),
        steps_changed=tuple(changed),
        raci=tuple(raci),
        lead_time_base=lead_time_hours(base),
        lead_time_head=lead_time_hours(head),
        branches=tuple(branches),
        calls=tuple(calls),
        cadence_base=base.cadence,
        cadence_head=head.cadence,
        trigger_base=base.trigger,
        trigger_head=head.trigger,
    )


def _headings(sop: Sop) -> tuple[str, ...]:
    return tuple(heading.text for heading in sop.orphan_headings)


def _entry_changes(
    base: Mapping[str, Role] | Mapping[str, Tool], head: Mapping[str, Role] | Mapping[str, Tool]
) -> EntryChanges:
    def facts(entry: Role | Tool) -> Any:
        return tuple(
            (f.name, getattr(entry, f.name))
            for f in dataclasses.fields(entry)
            if f.name not in ("file", "path")
        )

    return EntryChanges(
        added=tuple(key for key in head if key not in base),
        removed=tuple(key for key in base if key not in head),
        changed=tuple(key for key in head if key in base and facts(base[key]) != facts(head[key])),
    )


def _finding_key(finding: Diagnostic) -> tuple[str, str, str, str, str]:
    # Lines move with every edit above a finding; the finding is the same one if the rest is.
    return (finding.file, finding.rule, finding.severity, finding.message, finding.hint or "")


def finding_changes(
    base: Sequence[Diagnostic], head: Sequence[Diagnostic]
) -> tuple[tuple[Diagnostic, ...], tuple[Diagnostic, ...]]:
    """(new, fixed): findings only in `head`, and only in `base`, counted as multisets."""
    base_left = Counter(_finding_key(f) for f in base)
    head_left = Counter(_finding_key(f) for f in head)
    new = []
    for finding in head:
        key = _finding_key(finding)
        if base_left[key] > 0:
            base_left[key] -= 1
        else:
            new.append(finding)
    fixed = []
    for finding in base:
        key = _finding_key(finding)
        if head_left[key] > 0:
            head_left[key] -= 1
        else:
            fixed.append(finding)
    return tuple(new), tuple(fixed)


def _moves(
    removed: Iterable[tuple[str, StepRef]], added: Iterable[tuple[str, StepRef]]
) -> tuple[StepMove, ...]:
    arrivals: dict[str, list[tuple[str, StepRef]]] = {}
    for sop_id, step in added:
        arrivals.setdefault(step.id, []).append((sop_id, step))
    moves = []
    for source, step in removed:
        for index, (target, arrived) in enumerate(arrivals.get(step.id, [])):
            if target != source:
                moves.append(StepMove(step.id, arrived.title, source, target))
                del arrivals[step.id][index]
                break
    return tuple(moves)


def handbook_diff(
    base: Library,
    head: Library,
    base_findings: Sequence[Diagnostic],
    head_findings: Sequence[Diagnostic],
    base_label: str = "base",
    head_label: str = "head",
) -> HandbookDiff:
    """Everything that changed between two handbooks, SOPs in the head's file order."""
    base_sops = {sop.id: sop for sop in base.sops if base.sop(sop.id) is sop}
    head_sops = {sop.id: sop for sop in head.sops if head.sop(sop.id) is sop}
    added = tuple(
        SopRef(s.id, s.title, s.file) for s in head_sops.values() if s.id not in base_sops
    )
    gone = [s for s in base_sops.values() if s.id not in head_sops]
    head_files = {sop.file for sop in head.sops}
    # A file that is still there but yields no SOP has not been removed: it cannot be read.
    unreadable = tuple(
        SopRef(s.id, s.title, s.file)
        for s in gone
        if s.file in head.sop_files and s.file not in head_files
    )
    unreadable_ids = {ref.id for ref in unreadable}
    removed = tuple(SopRef(s.id, s.title, s.file) for s in gone if s.id not in unreadable_ids)
    changes = [
        change
        for sop_id, sop in head_sops.items()
        if sop_id in base_sops and (change := sop_change(base_sops[sop_id], sop)).changed
    ]
    left = [(c.id, s) for c in changes for s in c.steps_removed]
    left += [(ref.id, StepRef(s.id, s.title)) for ref in removed for s in base_sops[ref.id].steps]
    arrived = [(c.id, s) for c in changes for s in c.steps_added]
    arrived += [(ref.id, StepRef(s.id, s.title)) for ref in added for s in head_sops[ref.id].steps]
    new, fixed = finding_changes(base_findings, head_findings)
    names = {role.id: role.name for role in base.roles.values()}
    names.update({role.id: role.name for role in head.roles.values()})
    titles = {sop.id: sop.title for sop in base_sops.values()}
    titles.update({sop.id: sop.title for sop in head_sops.values()})
    return HandbookDiff(
        base=base_label,
        head=head_label,
        sops_added=added,
        sops_removed=removed,
        sops_changed=tuple(changes),
        sops_unreadable=unreadable,
        moves=_moves(left, arrived),
        roles=_entry_changes(base.roles, head.roles),
        tools=_entry_changes(base.tools, head.tools),
        findings_new=new,
        findings_fixed=fixed,
        role_names=names,
        sop_titles=titles,
    )
