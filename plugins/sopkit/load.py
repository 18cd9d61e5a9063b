"""Handbook files -> the immutable model, keeping where every key and heading was written.

Loading never stops at bad content: values of the wrong shape are left out of the model and the
checker reports them from the raw `SourceDoc`, with their lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sopkit import graph, schedule
from sopkit.model import (
    Branch,
    Diagnostic,
    Kpi,
    Library,
    Link,
    Location,
    OnboardingPath,
    OnboardingStage,
    OnboardingTask,
    OrphanSection,
    QuizQuestion,
    Raci,
    Role,
    Settings,
    Sop,
    SopError,
    SourceDoc,
    Step,
    Tool,
)
from sopkit.parse import Body, decode, parse_yaml, split_body, split_front_matter
from sopkit.units import duration_hours, interval_days

REGISTRIES = ("roles.yml", "tools.yml", "onboarding.yml")
SOP_KEYS = frozenset(
    [
        "title",
        "id",
        "objective",
        "phase",
        "owner",
        "status",
        "reviewed",
        "review_every",
        "tags",
        "requires",
        "next",
        "tools",
        "steps",
        "kpis",
        "quiz",
        "trigger",
        "cadence",
        "allow",
    ]
)
STEP_KEYS = frozenset(
    [
        "id",
        "title",
        "kind",
        "raci",
        "duration",
        "tools",
        "output",
        "after",
        "criteria",
        "on_reject",
        "checklist",
        "branches",
        "sop",
        "links",
    ]
)
KPI_KEYS = frozenset(["name", "target", "source", "cadence"])
QUIZ_KEYS = frozenset(["question", "choices", "answer", "explain"])
ROLE_KEYS = frozenset(["name", "team", "summary", "github", "contact"])
TOOL_KEYS = frozenset(["name", "url", "purpose", "access"])


def slugify(text: str) -> str:
    """`Keyword research!` -> `keyword-research`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class SopFile:
    """One SOP file read on its own: what a cache keeps between rebuilds."""

    sop: Sop | None
    source: SourceDoc | None
    findings: tuple[Diagnostic, ...]


@dataclass
class LoadCache:
    """Parsed files by path and content digest, so a rebuild re-reads only what changed."""

    files: dict[str, tuple[str, SopFile]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0


def sop_files(root: Path, settings: Settings) -> list[Path]:
    """Every SOP file: `.md` below the SOP folder except `index.md` and hidden paths."""
    folder = root / settings.sops_dir
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*.md"):
        rel = path.relative_to(folder).parts
        if path.name == "index.md" or any(part.startswith(".") for part in rel):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def load_library(
    root: Path | str,
    settings: Settings | None = None,
    cache: LoadCache | None = None,
) -> Library:
    """Read a handbook folder. Raises `SopError` only when the folder itself is missing."""
    root = Path(root)
    settings = settings or Settings()
    if not root.is_dir():
        raise SopError(f"handbook folder not found: {root}")
    findings: list[Diagnostic] = []
    sources: dict[str, SourceDoc] = {}

    registries: dict[str, Any] = {}
    unread_registries: dict[str, str] = {}
    for name in REGISTRIES:
        path = root / name
        if not path.is_file():
            if name != "onboarding.yml":
                unread_registries[name] = "is missing"
                findings.append(
                    Diagnostic(
                        "missing-field",
                        "error",
                        Location(name),
                        f"{name} is missing: every handbook lists its "
                        f"{name.removesuffix('.yml')} there",
                        f"create {name}; see the format, section 2",
                    )
                )
            continue
        kind = name.removesuffix(".yml")
        text, problems = decode(path.read_bytes(), name)
        findings.extend(problems)
        if text is None:
            continue
        doc, problems = parse_yaml(text, name, 1, kind)
        findings.extend(problems)
        if doc is not None:
            sources[name] = doc
            registries[kind] = doc.data
        if doc is None or any(p.rule == "yaml-syntax" for p in problems):
            unread_registries[name] = "has an error"

    roles = _roles(registries.get("roles"), "roles.yml")
    tools = _tools(registries.get("tools"), "tools.yml")
    onboarding = _onboarding(registries.get("onboarding"))

    if not (root / settings.sops_dir).is_dir():
        findings.append(
            Diagnostic(
                "missing-field",
                "error",
                Location(settings.sops_dir),
                f"the SOP folder `{settings.sops_dir}/` is missing",
                "create it and add one Markdown file per SOP",
            )
        )
    sops: list[Sop] = []
    unread_sops: dict[str, str] = {}
    seen_paths = set()
    for path in sop_files(root, settings):
        rel = path.relative_to(root).as_posix()
        seen_paths.add(rel)
        raw = path.read_bytes()
        loaded = _cached(cache, rel, raw, settings)
        findings.extend(loaded.findings)
        if loaded.source is not None:
            sources[rel] = loaded.source
        if loaded.sop is not None:
            sops.append(loaded.sop)
        else:
            for sop_id in _possible_ids(rel, raw):
                unread_sops.setdefault(sop_id, rel)
    if cache is not None:
        for stale in set(cache.files) - seen_paths:
            del cache.files[stale]

    sops = with_sub_procedures(sops)
    index: dict[str, Sop] = {}
    for sop in sops:
        index.setdefault(sop.id, sop)
    phase_rank = {phase: i for i, phase in enumerate(settings.phases)}
    order = graph.topological_order(
        list(index),
        {sop_id: sop.requires for sop_id, sop in index.items()},
        key=lambda sop_id: (
            phase_rank.get(index[sop_id].phase, len(phase_rank)),
            index[sop_id].file,
        ),
    )
    return Library(
        root=root.as_posix(),
        settings=settings,
        roles=roles,
        tools=tools,
        sops=tuple(sops),
        onboarding=onboarding,
        sources=sources,
        load_findings=tuple(findings),
        sop_order=tuple(order),
        sop_files=tuple(sorted(seen_paths)),
        sop_index=index,
        unread_registries={k: unread_registries[k] for k in sorted(unread_registries)},
        unread_sops={k: unread_sops[k] for k in sorted(unread_sops)},
    )


_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?[ \t]*(?:#.*)?$", re.M)


def _possible_ids(rel: str, raw: bytes) -> tuple[str, ...]:
    """The ids an SOP file that cannot be read would have: its file name, or its `id:` line."""
    ids = [rel.rsplit("/", 1)[-1].removesuffix(".md")]
    match = _ID_LINE.search(raw)
    if match:
        ids.append(match.group(1).decode())
    return tuple(dict.fromkeys(ids))


def _cached(cache: LoadCache | None, rel: str, raw: bytes, settings: Settings) -> SopFile:
    if cache is None:
        return load_sop_file(raw, rel, settings)
    digest = hashlib.blake2b(raw + repr(settings).encode(), digest_size=16).hexdigest()
    hit = cache.files.get(rel)
    if hit is not None and hit[0] == digest:
        cache.hits += 1
        return hit[1]
    cache.misses += 1
    loaded = load_sop_file(raw, rel, settings)
    cache.files[rel] = (digest, loaded)
    return loaded


def load_sop_file(raw: bytes, rel: str, settings: Settings) -> SopFile:
    """One SOP file -> its model (None when the front matter cannot be read) and findings."""
    text, findings = decode(raw, rel)
    if text is None:
        return SopFile(None, None, tuple(findings))
    front = split_front_matter(text)
    if front.yaml_text is None:
        findings.append(
            Diagnostic(
                "missing-field",
                "error",
                Location(rel),
                "no front matter: an SOP starts with YAML between two `---` lines"
                if text.strip()
                else "the file is empty",
                "start the file with ---, title:, objective:, phase:, owner:, steps:, then ---",
            )
        )
        return SopFile(None, None, tuple(findings))
    if not front.closed:
        findings.append(
            Diagnostic(
                "yaml-syntax",
                "error",
                Location(rel),
                "the front matter is not closed: no `---` line after the YAML",
                "add a line with --- after the last key",
            )
        )
    doc, problems = parse_yaml(front.yaml_text, rel, front.yaml_first_line, "sop")
    findings.extend(problems)
    if doc is None:
        return SopFile(None, None, tuple(findings))
    if not isinstance(doc.data, dict):
        return SopFile(None, doc, tuple(findings))
    body = split_body(front.body, front.body_first_line, settings.steps_headings)
    return SopFile(_sop(doc.data, rel, body, settings), doc, tuple(findings))


def _sop(data: Mapping[str, Any], rel: str, body: Body, settings: Settings) -> Sop:
    stem = rel.rsplit("/", 1)[-1].removesuffix(".md")
    steps = _steps(data.get("steps"))
    steps, orphans = _attach_instructions(steps, body)
    plan = schedule.sop_schedule(step_tasks(steps, {}))
    review_every = _text(data, "review_every") or settings.review_every
    return Sop(
        id=_text(data, "id") or stem,
        title=_text(data, "title") or stem,
        objective=_text(data, "objective") or "",
        phase=_text(data, "phase") or "",
        owner=_text(data, "owner"),
        status=_text(data, "status") or "active",
        reviewed=_date(data.get("reviewed")),
        review_every=review_every,
        review_days=interval_days(review_every),
        tags=_tags(data.get("tags")),
        requires=_ids(data.get("requires")),
        next=_ids(data.get("next")),
        tools=_ids(data.get("tools")),
        steps=steps,
        kpis=_kpis(data.get("kpis")),
        intro=body.intro,
        steps_intro=body.steps_intro,
        outro=body.outro,
        orphan_headings=tuple(section.heading for section in orphans),
        schedule=plan,
        file=rel,
        extra={k: v for k, v in data.items() if k not in SOP_KEYS},
        quiz=_quiz(data.get("quiz")),
        orphan_sections=orphans,
        headings=body.headings,
        steps_heading=body.steps_heading,
        trigger=_text(data, "trigger"),
        cadence=_text(data, "cadence"),
        allow=_ids(data.get("allow")),
    )


def _steps(raw: Any) -> tuple[Step, ...]:
    if not isinstance(raw, list):
        return ()
    steps: list[Step] = []
    used: set[str] = set()
    ids = {
        index: _text(item, "id") or slugify(_text(item, "title") or "") or f"step-{index + 1}"
        for index, item in enumerate(raw)
        if isinstance(item, dict)
    }
    # A step a decision branches to waits for that decision, not for the step written above it.
    deciders: dict[str, list[str]] = {}
    for index, step_id in ids.items():
        if _text(raw[index], "kind") != "decision":
            continue
        for branch in _branches(raw[index].get("branches"), index):
            if branch.to != step_id:
                deciders.setdefault(branch.to, []).append(step_id)
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        title = _text(item, "title") or ""
        step_id = ids[index]
        previous = steps[-1].id if steps else None
        kind = _text(item, "kind") or "task"
        gates = tuple(dict.fromkeys(deciders.get(step_id, ())))
        default_after = gates or ((previous,) if previous and previous != step_id else ())
        after = _ids(item["after"]) if "after" in item else default_after
        after += tuple(gate for gate in gates if gate not in after)
        on_reject = _text(item, "on_reject")
        if on_reject is None and kind == "approval" and previous:
            on_reject = previous
        duration = _text(item, "duration")
        steps.append(
            Step(
                id=step_id,
                title=title or step_id,
                index=len(steps),
                kind=kind,
                raci=_raci(item.get("raci")),
                duration=duration,
                hours=duration_hours(duration) if duration else None,
                tools=_ids(item.get("tools")),
                output=_text(item, "output"),
                after=after,
                criteria=_texts(item.get("criteria")),
                on_reject=on_reject,
                checklist=_texts(item.get("checklist")),
                instructions="",
                path=("steps", index),
                extra={k: v for k, v in item.items() if k not in STEP_KEYS},
                branches=_branches(item.get("branches"), index),
                sop=_text(item, "sop"),
                links=_links(item.get("links"), index),
            )
        )
        used.add(step_id)
    return tuple(steps)


def _branches(raw: Any, index: int) -> tuple[Branch, ...]:
    """Every branch that names a step; a `when` YAML read as true/false keeps that word."""
    if not isinstance(raw, list):
        return ()
    found = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        to = _text(item, "to")
        if not to:
            continue
        when = item.get("when")
        text = str(when).lower() if isinstance(when, bool) else _text(item, "when")
        found.append(
            Branch(text or f"Branch {position + 1}", to, ("steps", index, "branches", position))
        )
    return tuple(found)


def _links(raw: Any, index: int) -> tuple[Link, ...]:
    """Links with an http(s) URL; others are reported and never rendered as links."""
    if not isinstance(raw, list):
        return ()
    found = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        url = _text(item, "url")
        if url and _HTTP.match(url):
            title = _text(item, "title") or url
            found.append(Link(title, url, ("steps", index, "links", position)))
    return tuple(found)


_HTTP = re.compile(r"^https?://\S+$")


def step_tasks(
    steps: Iterable[Step], called: Mapping[str, schedule.Schedule]
) -> list[schedule.Task]:
    """The schedule's tasks of `steps`. A step that runs an SOP in `called` and has no duration
    takes that SOP's lead time (its shortest as the best case)."""
    tasks = []
    for step in steps:
        plan = called.get(step.sop) if step.sop and step.duration is None else None
        tasks.append(
            schedule.Task(
                step.id,
                step.after,
                plan.lead_minutes if plan else schedule.minutes(step.hours),
                tuple(branch.to for branch in step.branches) if step.is_decision else (),
                plan.lead_minutes_min if plan and plan.best_minutes is not None else None,
            )
        )
    return tasks


def with_sub_procedures(sops: list[Sop]) -> list[Sop]:
    """`sops` with the schedules of SOPs that run others as sub-procedures recomputed, callees
    first. Where SOPs call each other in a loop (a `sop-cycle` finding), the call that closes
    the loop counts as no time."""
    index: dict[str, Sop] = {}
    for sop in sops:
        index.setdefault(sop.id, sop)
    calls = {sop_id: [c for c in sop.calls() if c in index] for sop_id, sop in index.items()}
    if not any(calls.values()):
        return sops
    done: dict[str, schedule.Schedule] = {}
    for sop_id in graph.topological_order(list(index), calls):
        sop = index[sop_id]
        if calls[sop_id]:
            plan = schedule.sop_schedule(step_tasks(sop.steps, done))
            index[sop_id] = replace(sop, schedule=plan)
        done[sop_id] = index[sop_id].schedule
    return [index[sop.id] if index[sop.id].file == sop.file else sop for sop in sops]


def _attach_instructions(
    steps: tuple[Step, ...], body: Body
) -> tuple[tuple[Step, ...], tuple[OrphanSection, ...]]:
    """Give each step the text under its heading below `## Steps`; the rest are orphans.

    An orphan keeps its text and the step whose section came just before it, so a page can
    show it where the author wrote it.
    """
    by_name: dict[str, int] = {}
    for position, step in enumerate(steps):
        by_name.setdefault(_fold(step.title), position)
        by_name.setdefault(_fold(step.id), position)
    texts: dict[int, list[str]] = {}
    orphans: list[OrphanSection] = []
    previous: str | None = None
    for section in body.step_sections:
        heading = section.heading
        match = by_name.get(_fold(heading.text))
        if match is None:
            match = by_name.get(_fold(heading.plain))
        if match is None:
            orphans.append(OrphanSection(heading, section.text, previous))
            continue
        previous = steps[match].id
        texts.setdefault(match, []).append(section.text)
    updated = tuple(
        _replace_instructions(step, "\n\n".join(t for t in texts[i] if t)) if i in texts else step
        for i, step in enumerate(steps)
    )
    return updated, tuple(orphans)


def _replace_instructions(step: Step, text: str) -> Step:
    return replace(step, instructions=text)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _raci(raw: Any) -> Raci:
    if not isinstance(raw, dict):
        return Raci()
    return Raci(
        responsible=_ids(raw.get("R")),
        accountable=_ids(raw.get("A")),
        consulted=_ids(raw.get("C")),
        informed=_ids(raw.get("I")),
    )


def _kpis(raw: Any) -> tuple[Kpi, ...]:
    if not isinstance(raw, list):
        return ()
    kpis = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        target = item.get("target")
        kpis.append(
            Kpi(
                name=_text(item, "name") or "",
                target=str(target) if isinstance(target, str | int | float) else None,
                source=_text(item, "source"),
                cadence=_text(item, "cadence"),
                path=("kpis", index),
                extra={k: v for k, v in item.items() if k not in KPI_KEYS},
            )
        )
    return tuple(kpis)


def _quiz(raw: Any) -> tuple[QuizQuestion, ...]:
    """Every question written as a mapping; the checker reports what is missing or wrong."""
    if not isinstance(raw, list):
        return ()
    questions = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        questions.append(
            QuizQuestion(
                question=_text(item, "question") or "",
                choices=_choices(item.get("choices")),
                answer=_text(item, "answer") or "",
                explain=_text(item, "explain"),
                path=("quiz", index),
                extra={k: v for k, v in item.items() if k not in QUIZ_KEYS},
            )
        )
    return tuple(questions)


def _choices(raw: Any) -> tuple[str, ...]:
    """Texts and numbers as written (numbers as their text); anything else is reported."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        str(item)
        for item in raw
        if isinstance(item, str | int | float) and not isinstance(item, bool)
    )


def _roles(raw: Any, file: str) -> dict[str, Role]:
    if not isinstance(raw, dict):
        return {}
    roles = {}
    for role_id, item in raw.items():
        entry = item if isinstance(item, dict) else {}
        roles[role_id] = Role(
            id=role_id,
            name=_text(entry, "name") or role_id,
            team=_text(entry, "team"),
            summary=_text(entry, "summary"),
            file=file,
            path=(role_id,),
            extra={k: v for k, v in entry.items() if k not in ROLE_KEYS},
            github=_text(entry, "github"),
            contact=_text(entry, "contact"),
        )
    return roles


def _tools(raw: Any, file: str) -> dict[str, Tool]:
    if not isinstance(raw, dict):
        return {}
    tools = {}
    for tool_id, item in raw.items():
        entry = item if isinstance(item, dict) else {}
        tools[tool_id] = Tool(
            id=tool_id,
            name=_text(entry, "name") or tool_id,
            url=_http(_text(entry, "url")),
            purpose=_text(entry, "purpose"),
            file=file,
            path=(tool_id,),
            extra={k: v for k, v in entry.items() if k not in TOOL_KEYS},
            access=_text(entry, "access"),
        )
    return tools


def _onboarding(raw: Any) -> dict[str, OnboardingPath]:
    if not isinstance(raw, dict):
        return {}
    paths = {}
    for role_id, item in raw.items():
        if not isinstance(item, dict):
            continue
        stages = []
        keys: set[str] = set()
        raw_stages = item.get("stages")
        for index, stage in enumerate(raw_stages if isinstance(raw_stages, list) else []):
            if not isinstance(stage, dict):
                continue
            stages.append(
                OnboardingStage(
                    name=_text(stage, "name") or f"Stage {index + 1}",
                    sops=_ids(stage.get("sops")),
                    pages=_texts(stage.get("pages")),
                    path=(role_id, "stages", index),
                    tasks=_tasks(stage.get("tasks"), (role_id, "stages", index), keys),
                )
            )
        paths[role_id] = OnboardingPath(role_id, _text(item, "intro"), tuple(stages), (role_id,))
    return paths


def _tasks(raw: Any, stage: tuple[str, str, int], keys: set[str]) -> tuple[OnboardingTask, ...]:
    """A stage's tasks written as mappings with a `task` text; the checker reports the rest.

    `keys` holds the keys already given on this path, so each task's is unique within it.
    """
    if not isinstance(raw, list):
        return ()
    tasks = []
    for index, item in enumerate(raw):
        text = _text(item, "task") if isinstance(item, dict) else None
        if not text or not text.strip():
            continue
        tasks.append(
            OnboardingTask(
                task=text,
                tool=_text(item, "tool"),
                url=_http(_text(item, "url")),
                role=_text(item, "role"),
                key=_unique(slugify(text) or _digest(text), keys),
                path=(*stage, "tasks", index),
            )
        )
    return tuple(tasks)


def _unique(key: str, taken: set[str]) -> str:
    found, number = key, 2
    while found in taken:
        found, number = f"{key}-{number}", number + 1
    taken.add(found)
    return found


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=5).hexdigest()


def _http(url: str | None) -> str | None:
    # Only http(s) links are ever rendered: a `javascript:` URL must not become a link.
    return url if url and re.match(r"^https?://\S+$", url) else None


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _tags(value: Any) -> tuple[str, ...]:
    """Free-text tags as written; blank ones (reported by the checker) are left out."""
    return tuple(tag for tag in _ids(value) if tag.strip())


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, str | int | float))
    return ()


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
