"""`sopkit new`: a new SOP from a scaffold in `templates/scaffolds/`, ready to pass `sopkit check`.

Scaffolds are Markdown files with `string.Template` placeholders (`$id`, `$title`, `$phase`,
`$owner`, `$submitter`, `$today`; a literal dollar is `$$`), never Jinja: text that looks like
Jinja has no place in handbook files, which sites may render with mkdocs-macros. Every role slot
holds a role of the handbook, so the new file passes the checker before its author edits it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

import yaml

from sopkit.load import slugify
from sopkit.model import Library

SCAFFOLDS = "scaffolds"
DEFAULT_SCAFFOLD = "blank"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The phase of the default 5D lifecycle each scaffold belongs to; a site with its own phases
# gets its first phase instead.
PREFERRED_PHASES = {
    "campaign": "define",
    "content": "develop",
    "approval": "develop",
    "reporting": "determine",
}


class ScaffoldError(Exception):
    """A request that would do harm: a bad id, a taken id, a file in the way."""


def template_text(*parts: str) -> str:
    """A file shipped in `sopkit.templates` (the repository's `templates/` folder)."""
    return resources.files("sopkit.templates").joinpath(*parts).read_text(encoding="utf-8")


def scaffold_names() -> tuple[str, ...]:
    """The shipped scaffolds, by name (`blank`, `campaign`, ...)."""
    folder = resources.files("sopkit.templates").joinpath(SCAFFOLDS)
    return tuple(
        sorted(
            entry.name.removesuffix(".md")
            for entry in folder.iterdir()
            if entry.is_file() and entry.name.endswith(".md")
        )
    )


def fill(template: str, values: Mapping[str, str], name: str) -> str:
    """`template` with its `$name` placeholders replaced; an unknown placeholder is a bug."""
    try:
        return string.Template(template).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ScaffoldError(f"template {name}: bad placeholder {exc}") from None


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value that reads back as the same string: plain when it can be."""
    try:
        plain = " ".join(text.split()) == text and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    # A JSON string is a valid YAML double-quoted scalar, with the same escapes.
    return text if plain else json.dumps(text, ensure_ascii=False)


def slug_problem(value: str) -> str | None:
    """Why `value` is not a valid id, or None."""
    if SLUG.match(value):
        return None
    suggestion = slugify(value)
    hint = f" (did you mean `{suggestion}`?)" if suggestion and suggestion != value else ""
    return (
        f'"{value}" is not a valid id: use lowercase letters, digits and single hyphens, '
        f"e.g. content-refresh{hint}"
    )


def _did_you_mean(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"expected one of: {', '.join(options)}" if options else ""


@dataclass(frozen=True)
class NewSop:
    """What `sopkit new` writes, and what its author should know about it."""

    path: Path
    rel: str
    """The file's path relative to the handbook (POSIX)."""
    scaffold: str
    owner: str
    submitter: str
    phase: str
    text: str
    notes: tuple[str, ...]


def plan_sop(
    library: Library,
    sop_id: str,
    scaffold: str = DEFAULT_SCAFFOLD,
    *,
    phase: str | None = None,
    owner: str | None = None,
    title: str | None = None,
    folder: str | None = None,
    today: dt.date | None = None,
) -> NewSop:
    """The new SOP file for `sop_id`, checked against the handbook; raises `ScaffoldError`."""
    problem = slug_problem(sop_id)
    if problem:
        raise ScaffoldError(problem)
    if scaffold not in scaffold_names():
        raise ScaffoldError(
            f"no scaffold named {scaffold!r}; {_did_you_mean(scaffold, list(scaffold_names()))}"
        )
    roles = list(library.roles)
    if not roles:
        raise ScaffoldError(
            "roles.yml is missing or lists no roles, so the new SOP could name nobody: add a "
            "role first (see the format, section 2)"
        )
    owner = owner or roles[0]
    if owner not in library.roles:
        raise ScaffoldError(
            f"--owner: no role {owner!r} in roles.yml; {_did_you_mean(owner, roles)}"
        )
    phases = list(library.settings.phases)
    preferred = PREFERRED_PHASES.get(scaffold)
    phase = phase or (preferred if preferred in phases else phases[0])
    if phase not in phases:
        raise ScaffoldError(
            f"--phase: {phase!r} is not a phase of this site; {_did_you_mean(phase, phases)}"
        )
    rel = f"{_sop_folder(library, folder)}/{sop_id}.md"
    _refuse_taken(library, sop_id, rel)
    submitter = next((role for role in roles if role != owner), owner)
    values = {
        "id": sop_id,
        "title": yaml_scalar(title or sop_id.replace("-", " ").capitalize()),
        "phase": phase,
        "owner": owner,
        "submitter": submitter,
        "today": (today or dt.date.today()).isoformat(),
    }
    text = fill(template_text(SCAFFOLDS, f"{scaffold}.md"), values, f"{scaffold}.md")
    notes = [
        f"Every role slot is `{owner}` and the approval is submitted by `{submitter}`: "
        "replace them with the roles that really do each step."
    ]
    if submitter == owner:
        notes.append(
            f"roles.yml has one role, so `{owner}` approves its own work: `sopkit check` warns "
            "(self-approval) until another role submits the approval step."
        )
    return NewSop(
        path=Path(library.root) / rel,
        rel=rel,
        scaffold=scaffold,
        owner=owner,
        submitter=submitter,
        phase=phase,
        text=text,
        notes=tuple(notes),
    )


def _sop_folder(library: Library, folder: str | None) -> str:
    """`--dir` as a folder below the handbook that holds SOPs; default: the SOP folder."""
    sops_dir = library.settings.sops_dir
    if folder is None:
        return sops_dir
    path = PurePosixPath(folder.replace("\\", "/"))
    text = path.as_posix().strip("/")
    if path.is_absolute() or ".." in path.parts or any(p.startswith(".") for p in path.parts):
        raise ScaffoldError(
            f"--dir: expected a folder below the handbook such as {sops_dir}/campaigns, "
            f"but received {folder!r}"
        )
    if text != sops_dir and not text.startswith(sops_dir + "/"):
        raise ScaffoldError(
            f"--dir: {folder!r} is not below {sops_dir}/, so the file would not be an SOP; "
            f"did you mean {sops_dir}/{text}?"
        )
    return text


def _refuse_taken(library: Library, sop_id: str, rel: str) -> None:
    for sop in library.sops:
        if sop.id == sop_id:
            raise ScaffoldError(f'an SOP with id "{sop_id}" already exists: {sop.file}')
    loaded = {sop.file for sop in library.sops}
    for file in library.sop_files:
        # An SOP whose front matter cannot be read still owns the id of its file name.
        if file not in loaded and PurePosixPath(file).stem == sop_id:
            raise ScaffoldError(f'an SOP with id "{sop_id}" already exists: {file}')
    if (Path(library.root) / rel).exists():
        raise ScaffoldError(f"{rel} already exists; sopkit new never overwrites a file")


def write_new_file(path: Path, text: str) -> None:
    """Create `path` with `text`; raises `ScaffoldError` if it exists (even if it just appeared)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; sopkit never overwrites a file") from None
