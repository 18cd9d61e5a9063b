"""Onboarding paths: what a new hire in each role reads, in which order, and for how long.

A role's path is curated when `onboarding.yml` names it, in the order written. Otherwise it is
derived from the handbook (see `_derived_stages`; pages explain the rule in the words of
the `onboarding.rule` message).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from sopkit.model import Library, OnboardingTask, Sop

WORDS_PER_MINUTE = 200
DERIVED_ITEMS = 15
"""At most this many SOPs on a derived path: what a new hire can read in their first weeks."""
_WORD = re.compile(r"[\w'\u2019-]+")


@dataclass(frozen=True)
class PathItem:
    """One thing to read: an SOP (with this role's part in it) or a hand-written page."""

    kind: str  # "sop" | "page"
    ref: str  # SOP id or page path
    title: str
    objective: str
    minutes: int
    steps: tuple[tuple[int, str, str, str], ...] = ()  # (number, step id, title, letters)


@dataclass(frozen=True)
class PathStage:
    name: str
    items: tuple[PathItem, ...]
    tasks: tuple[OnboardingTask, ...] = ()
    """Things to do rather than read (format 1.2), as onboarding.yml lists them."""
    derived: str = ""
    """What a derived stage holds, for pages to name it in their language: `work` (the SOPs of
    `phase` where the role is R or A) or `consulted`; "" for a stage onboarding.yml names."""
    phase: str = ""


@dataclass(frozen=True)
class RolePath:
    role: str
    curated: bool
    intro: str | None
    stages: tuple[PathStage, ...]
    also: tuple[str, ...] = ()
    """SOP ids a derived path leaves out past `DERIVED_ITEMS`, in path order."""

    @property
    def items(self) -> tuple[PathItem, ...]:
        return tuple(item for stage in self.stages for item in stage.items)

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def tasks(self) -> tuple[OnboardingTask, ...]:
        return tuple(task for stage in self.stages for task in stage.tasks)


def reading_minutes(text: str) -> int:
    """Minutes to read `text` at 200 words a minute, at least one."""
    return max(1, math.ceil(len(_WORD.findall(text)) / WORDS_PER_MINUTE))


def sop_words(sop: Sop) -> str:
    """Everything a reader reads on an SOP's page."""
    parts = [sop.title, sop.objective, sop.intro, sop.steps_intro, sop.outro]
    for step in sop.steps:
        parts += [step.title, step.output or "", step.instructions, *step.criteria, *step.checklist]
    parts += [f"{kpi.name} {kpi.target or ''}" for kpi in sop.kpis]
    return "\n".join(parts)


def _sop_item(sop: Sop, role: str, minutes: dict[str, int]) -> PathItem:
    steps = tuple(
        (step.index + 1, step.id, step.title, step.raci.letters_of(role))
        for step in sop.steps
        if step.raci.letters_of(role)
    )
    return PathItem("sop", sop.id, sop.title, sop.objective, minutes[sop.id], steps)


def _page_title(library: Library, page: str) -> str:
    """A hand-written page's first `# ` heading, else its file name."""
    path = Path(library.root) / page
    try:
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except (OSError, UnicodeDecodeError):
        pass
    return path.stem.replace("-", " ").capitalize()


def role_paths(library: Library) -> dict[str, RolePath]:
    """A path for every role in roles.yml (curated or derived), in roles.yml order."""
    minutes = {sop.id: reading_minutes(sop_words(sop)) for sop in library.sops}
    paths: dict[str, RolePath] = {}
    for role in library.roles:
        curated = library.onboarding.get(role)
        if curated is not None:
            stages = []
            for stage in curated.stages:
                # Background pages come before the SOPs that build on them.
                items = [
                    PathItem("page", p, _page_title(library, p), "", _page_minutes(library, p))
                    for p in stage.pages
                ]
                items += [
                    _sop_item(sop, role, minutes)
                    for sop_id in stage.sops
                    if (sop := library.sop(sop_id)) is not None
                ]
                stages.append(PathStage(stage.name, tuple(items), stage.tasks))
            paths[role] = RolePath(role, True, curated.intro, tuple(stages))
        else:
            derived, also = _derived_stages(library, role, minutes)
            paths[role] = RolePath(role, False, None, derived, also)
    return paths


def _page_minutes(library: Library, page: str) -> int:
    try:
        return reading_minutes((Path(library.root) / page).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return 1


def _weight(sop: Sop, role: str) -> tuple[int, int]:
    """How much of the role's work an SOP holds: steps as A or R, then steps as C."""
    letters = "".join(step.raci.letters_of(role) for step in sop.steps)
    return (letters.count("A") + letters.count("R"), letters.count("C"))


def _derived_stages(
    library: Library, role: str, minutes: dict[str, int]
) -> tuple[tuple[PathStage, ...], tuple[str, ...]]:
    """The stages of a derived path, and the SOPs left out of it past `DERIVED_ITEMS`.

    First the SOPs where the role is R or A, one stage per phase, then those where it is C;
    within a stage, an SOP after the SOPs it requires. Drafts and retired SOPs are left out.
    Past `DERIVED_ITEMS`, the SOPs with most of the role's work stay (steps as A or R, then C).
    """
    order = {sop_id: index for index, sop_id in enumerate(library.sop_order)}
    core: dict[str, list[Sop]] = {}
    consulted: list[Sop] = []
    for sop in sorted(library.sops, key=lambda s: order.get(s.id, len(order))):
        if sop.status in ("retired", "draft"):
            continue  # a new hire learns the agreed way of working, not a proposal
        letters = "".join(step.raci.letters_of(role) for step in sop.steps)
        if "A" in letters or "R" in letters:
            core.setdefault(sop.phase, []).append(sop)
        elif "C" in letters:
            consulted.append(sop)
    phases = list(library.settings.phases) + [p for p in core if p not in library.settings.phases]
    in_order = [sop for phase in phases for sop in core.get(phase, [])] + consulted
    position = {sop.id: index for index, sop in enumerate(in_order)}
    # R/A SOPs first (a consulted SOP weighs (0, n)), the most work first, then path order.
    ranked = sorted(in_order, key=lambda s: (_weight(s, role), -position[s.id]), reverse=True)
    kept = {sop.id for sop in ranked[:DERIVED_ITEMS]}
    stages = []
    for phase in phases:
        chosen = [sop for sop in core.get(phase, []) if sop.id in kept]
        if chosen:
            name = f"Your work in {phase.capitalize()}" if phase else "Your work"
            items = tuple(_sop_item(sop, role, minutes) for sop in chosen)
            stages.append(PathStage(name, items, derived="work", phase=phase))
    chosen = [sop for sop in consulted if sop.id in kept]
    if chosen:
        stages.append(
            PathStage(
                "Where you are consulted",
                tuple(_sop_item(sop, role, minutes) for sop in chosen),
                derived="consulted",
            )
        )
    also = tuple(sop.id for sop in in_order if sop.id not in kept)
    return tuple(stages), also
