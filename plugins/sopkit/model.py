"""The handbook as immutable data: what `load` builds and every later stage reads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from sopkit.schedule import Schedule

Severity = Literal["error", "warning"]
PathPart = str | int
DEFAULT_PHASES: tuple[str, ...] = ("define", "design", "develop", "deploy", "determine")
RACI_LETTERS: tuple[str, ...] = ("R", "A", "C", "I")


class SopError(Exception):
    """A handbook cannot be read at all (a missing folder, an unreadable file system)."""


@dataclass(frozen=True)
class Location:
    """A place in a handbook file: path relative to the handbook (POSIX), 1-based line/column."""

    file: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Diagnostic:
    """One finding of the checker."""

    rule: str
    severity: Severity
    location: Location
    message: str
    hint: str | None = None

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class SourceDoc:
    """The parsed YAML of one file (a registry or an SOP's front matter) with key positions.

    `positions` maps a JSON path (keys and list indexes) to where that key or item was written.
    """

    file: str
    kind: Literal["sop", "roles", "tools", "onboarding"]
    data: Any
    positions: Mapping[tuple[PathPart, ...], Location]
    start: Location
    bool_words: Mapping[tuple[PathPart, ...], str] = field(default_factory=dict)
    """Path -> the word as written of a plain value YAML 1.1 reads as true or false other than
    `true`/`false` themselves (`Yes`, `off`...), so a finding can show it quoted."""

    def locate(self, *path: PathPart) -> Location:
        """The location of `path`, or of its nearest written ancestor."""
        parts = tuple(path)
        while parts:
            found = self.positions.get(parts)
            if found is not None:
                return found
            parts = parts[:-1]
        return self.start


GITHUB_HANDLE = r"^@[A-Za-z0-9]+(-[A-Za-z0-9]+)*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$"
"""A GitHub user `@name` or team `@org/team` (format 1.2, a role's `github`)."""


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    team: str | None
    summary: str | None
    file: str
    path: tuple[PathPart, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    github: str | None = None
    """The GitHub user or team to mention (format 1.2), as written; see `mention`."""
    contact: str | None = None
    """How to reach the role (format 1.2): free text, a channel or a mailbox."""

    @property
    def mention(self) -> str | None:
        """`github` when it is a well-formed handle (the checker reports any other), else None:
        only a real handle is ever written where GitHub turns it into a notification."""
        if self.github and re.fullmatch(GITHUB_HANDLE, self.github):
            return self.github
        return None


@dataclass(frozen=True)
class Tool:
    id: str
    name: str
    url: str | None
    purpose: str | None
    file: str
    path: tuple[PathPart, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    access: str | None = None
    """How a new hire gets access (format 1.2): free text, shown on the tool page and tasks."""


@dataclass(frozen=True)
class Raci:
    """Role ids per letter, in the order written."""

    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()

    def letters(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (
            ("R", self.responsible),
            ("A", self.accountable),
            ("C", self.consulted),
            ("I", self.informed),
        )

    def roles(self) -> tuple[str, ...]:
        """Every role named, each once, in R, A, C, I order."""
        seen: dict[str, None] = {}
        for _, ids in self.letters():
            for role in ids:
                seen.setdefault(role, None)
        return tuple(seen)

    def letters_of(self, role: str) -> str:
        """The letters `role` holds here, e.g. "RA"."""
        # Spelled out: role pages, onboarding paths and the matrix ask this for every step.
        return (
            ("R" if role in self.responsible else "")
            + ("A" if role in self.accountable else "")
            + ("C" if role in self.consulted else "")
            + ("I" if role in self.informed else "")
        )

    @property
    def approver(self) -> str | None:
        return self.accountable[0] if len(self.accountable) == 1 else None


@dataclass(frozen=True)
class Branch:
    """One way out of a decision (format 1.2): the step that runs `when` this is the answer."""

    when: str
    to: str
    path: tuple[PathPart, ...]


@dataclass(frozen=True)
class Link:
    """A template, form or dashboard a step points to (format 1.2); `url` is http(s) only."""

    title: str
    url: str
    path: tuple[PathPart, ...]


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    index: int
    kind: str
    raci: Raci
    duration: str | None
    hours: float | None
    tools: tuple[str, ...]
    output: str | None
    after: tuple[str, ...]
    criteria: tuple[str, ...]
    on_reject: str | None
    checklist: tuple[str, ...]
    instructions: str
    path: tuple[PathPart, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    branches: tuple[Branch, ...] = ()
    """A decision's ways out, in written order (format 1.2); empty on other steps."""
    sop: str | None = None
    """The id of the SOP this step runs as a sub-procedure (format 1.2)."""
    links: tuple[Link, ...] = ()
    """Templates, forms and dashboards of the step with an http(s) URL (format 1.2)."""

    @property
    def is_approval(self) -> bool:
        return self.kind == "approval"

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"

    @property
    def own_fields(self) -> Mapping[str, Any]:
        """The team's own `x-` keys of the step (format 1.2), in written order."""
        return own_fields(self.extra)


def own_fields(extra: Mapping[str, Any]) -> dict[str, Any]:
    """The `x-` keys of a mapping of keys the format does not define, in written order."""
    return {key: value for key, value in extra.items() if key.startswith("x-")}


@dataclass(frozen=True)
class Kpi:
    name: str
    target: str | None
    source: str | None
    cadence: str | None
    path: tuple[PathPart, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuizQuestion:
    """One question of an SOP's knowledge check; `answer` is the text of the right choice."""

    question: str
    choices: tuple[str, ...]
    answer: str
    explain: str | None
    path: tuple[PathPart, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Heading:
    """A heading of an SOP body with its source line."""

    text: str
    level: int
    line: int
    plain: str = ""
    """The text without Markdown markup (`**Draft**` -> `Draft`); `text` is as written."""


@dataclass(frozen=True)
class OrphanSection:
    """A section below `## Steps` whose heading names no step: kept, and shown where written."""

    heading: Heading
    text: str
    after_step: str | None
    """The id of the step whose section the author wrote just before it (None: before all)."""


@dataclass(frozen=True)
class Sop:
    id: str
    title: str
    objective: str
    phase: str
    owner: str | None
    status: str
    reviewed: dt.date | None
    review_every: str
    review_days: int | None
    tags: tuple[str, ...]
    requires: tuple[str, ...]
    next: tuple[str, ...]
    tools: tuple[str, ...]
    steps: tuple[Step, ...]
    kpis: tuple[Kpi, ...]
    intro: str
    steps_intro: str
    outro: str
    orphan_headings: tuple[Heading, ...]
    schedule: Schedule
    """Start and finish of each step by the format's working-time rule (`sopkit.schedule`)."""
    file: str
    extra: Mapping[str, Any] = field(default_factory=dict)
    quiz: tuple[QuizQuestion, ...] = ()
    """The knowledge check (format 1.1), in written order; empty when the SOP has none."""
    orphan_sections: tuple[OrphanSection, ...] = ()
    headings: tuple[Heading, ...] = ()
    """Every heading of the body outside code, in order (for the steps-heading rule)."""
    steps_heading: Heading | None = None
    """The `## Steps` heading, when the body has one."""
    trigger: str | None = None
    """What starts a run (format 1.2), as written."""
    cadence: str | None = None
    """How often it runs (format 1.2): one of `sopkit.cadence.CADENCES`, or as written when it
    is not (the checker reports it)."""
    allow: tuple[str, ...] = ()
    """Rule names of checker warnings this SOP may skip (format 1.2), as written."""

    @property
    def own_fields(self) -> Mapping[str, Any]:
        """The team's own `x-` keys (format 1.2), in written order."""
        return own_fields(self.extra)

    @property
    def critical_path(self) -> tuple[str, ...]:
        return self.schedule.critical_path

    @property
    def lead_time_hours(self) -> float:
        """The lead time of the longest way through the SOP's decisions (the worst case)."""
        return self.schedule.lead_time_hours

    @property
    def lead_time_hours_min(self) -> float:
        """The lead time of the shortest way through the SOP's decisions (the best case)."""
        return self.schedule.lead_time_hours_min

    def calls(self) -> tuple[str, ...]:
        """The SOP ids the steps run as sub-procedures, each once, in step order."""
        return tuple(dict.fromkeys(step.sop for step in self.steps if step.sop))

    def step(self, step_id: str) -> Step | None:
        for step in self.steps:
            if step.id == step_id:
                return step
        return None

    @property
    def approvals(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.is_approval)

    @property
    def review_due(self) -> dt.date | None:
        if self.reviewed is None or self.review_days is None:
            return None
        return self.reviewed + dt.timedelta(days=self.review_days)

    def roles(self) -> tuple[str, ...]:
        """Every role with a letter in this SOP, each once, in step order."""
        seen: dict[str, None] = {}
        for step in self.steps:
            for role in step.raci.roles():
                seen.setdefault(role, None)
        return tuple(seen)

    def all_tools(self) -> tuple[str, ...]:
        """SOP-wide tools, then the tools of each step, each once."""
        seen: dict[str, None] = dict.fromkeys(self.tools)
        for step in self.steps:
            for tool in step.tools:
                seen.setdefault(tool, None)
        return tuple(seen)


@dataclass(frozen=True)
class OnboardingTask:
    """Something a new hire does rather than reads (format 1.2), e.g. getting access to a tool."""

    task: str
    tool: str | None
    url: str | None
    """An http(s) address only: anything else is left out (the checker reports it)."""
    role: str | None
    """The role that helps with the task (role id)."""
    key: str
    """Stable within its path: where a browser keeps the task's tick (`task:<key>`)."""
    path: tuple[PathPart, ...]


@dataclass(frozen=True)
class OnboardingStage:
    name: str
    sops: tuple[str, ...]
    pages: tuple[str, ...]
    path: tuple[PathPart, ...]
    tasks: tuple[OnboardingTask, ...] = ()


@dataclass(frozen=True)
class OnboardingPath:
    role: str
    intro: str | None
    stages: tuple[OnboardingStage, ...]
    path: tuple[PathPart, ...]


@dataclass(frozen=True)
class Settings:
    """What a site configures about its handbook (the plugin options the domain needs)."""

    sops_dir: str = "sops"
    phases: tuple[str, ...] = DEFAULT_PHASES
    review_every: str = "6mo"
    steps_headings: tuple[str, ...] = ("Steps",)
    """The level-2 headings that open an SOP's steps (`labels.steps_headings`); the first is
    the one the checker suggests."""
    rules: tuple[tuple[str, Literal["off", "warning", "error"]], ...] = ()
    """Severities the site sets, by rule name (`sopkit.rules.rule_settings` checks them)."""
    runs_per_year: tuple[tuple[str, float], ...] = ()
    """Runs a year the site sets, by cadence (`sopkit.cadence.runs_per_year_setting`)."""


@dataclass(frozen=True)
class Library:
    """A whole handbook. `sops` are in file-path order; dictionaries are never mutated."""

    root: str
    settings: Settings
    roles: Mapping[str, Role]
    tools: Mapping[str, Tool]
    sops: tuple[Sop, ...]
    onboarding: Mapping[str, OnboardingPath]
    sources: Mapping[str, SourceDoc]
    load_findings: tuple[Diagnostic, ...]
    sop_order: tuple[str, ...]
    sop_files: tuple[str, ...] = ()
    sop_index: Mapping[str, Sop] = field(default_factory=dict)
    unread_registries: Mapping[str, str] = field(default_factory=dict)
    """roles.yml or tools.yml -> why it could not be read ("has an error", "is missing")."""
    unread_sops: Mapping[str, str] = field(default_factory=dict)
    """Id an unreadable SOP file would have (its `id:` or file name) -> that file."""

    def sop(self, sop_id: str) -> Sop | None:
        return self.sop_index.get(sop_id)

    def locate(self, file: str, *path: PathPart) -> Location:
        source = self.sources.get(file)
        if source is None:
            return Location(file)
        return source.locate(*path)

    def required_by(self, sop_id: str) -> tuple[str, ...]:
        """Ids of the SOPs whose `requires` names `sop_id`, in file-path order."""
        return self._required_by.get(sop_id, ())

    def tag_name(self, tag: str) -> str:
        """The handbook's spelling of a tag: the first in file order. Tags are free text matched
        whatever their case, so `SEO` and `seo` are one tag, shown as first written."""
        return self._tag_names.get(tag.strip().lower(), tag)

    @cached_property
    def _tag_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for sop in self.sops:
            for tag in sop.tags:
                names.setdefault(tag.strip().lower(), tag)
        return names

    @cached_property
    def _required_by(self) -> dict[str, tuple[str, ...]]:
        # Built once: asked for every SOP page and catalogue entry, a scan each was O(N^2).
        found: dict[str, list[str]] = {}
        for sop in self.sops:
            for ref in dict.fromkeys(sop.requires):
                found.setdefault(ref, []).append(sop.id)
        return {ref: tuple(ids) for ref, ids in found.items()}
