"""A handbook as it is in a folder, or as it was in a git revision of the repository.

A revision's handbook is written into a temporary folder from one `git ls-tree` and one
`git cat-file --batch`, then loaded like any other: one loader, whatever the source.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from sopkit import git
from sopkit.model import Settings
from sopkit.rules import SettingsError
from sopkit.site import (
    DEFAULT_HANDBOOK,
    find_handbook,
    read_config,
    settings_from_options,
    sopkit_options,
)

WORKING_TREE = "working tree"


class RevisionError(Exception):
    """A BASE or HEAD that is neither a folder nor a revision, or a revision without a handbook."""


@dataclass(frozen=True)
class HandbookSource:
    """Where one side of a comparison was read from."""

    label: str
    root: Path
    settings: Settings


def handbook_source(
    spec: str | None, handbook: str | None, cwd: Path, scratch: Path
) -> HandbookSource:
    """The handbook that `spec` names: None (the working tree), a folder, or a git revision.

    A folder wins over a revision of the same name. A revision's files are written below
    `scratch`. `handbook` is `--handbook PATH` (relative to `cwd`).
    """
    if spec is None or (cwd / spec).is_dir():
        try:
            found = find_handbook(handbook if spec is None else str(cwd / spec), cwd)
        except SettingsError as exc:
            raise RevisionError(str(exc)) from None
        return HandbookSource(spec or WORKING_TREE, found.root, found.settings)
    commit = git.commit_of(spec, cwd)
    if commit is None:
        try:
            git.repository_of(cwd)
        except git.GitError as exc:
            raise RevisionError(
                f"{spec!r} is not a handbook folder, and {cwd} is not in a git repository "
                f"to read a revision from ({exc})"
            ) from None
        raise RevisionError(
            f"{spec!r} is neither a handbook folder nor a revision of the repository "
            f"(try a branch, a tag or a commit, e.g. origin/main)"
        )
    return _revision_source(spec, commit, handbook, cwd, scratch)


def _revision_source(
    spec: str, commit: str, handbook: str | None, cwd: Path, scratch: Path
) -> HandbookSource:
    repository = git.repository_of(cwd)
    config_blob = git.read_blobs([f"{commit}:{repository.prefix}mkdocs.yml"], cwd)
    config = read_config(next(iter(config_blob.values()))) if config_blob else {}
    if handbook is not None:
        folder = handbook
    elif config:
        folder = str(config.get("docs_dir", "docs"))
    else:
        folder = DEFAULT_HANDBOOK
    options = (
        sopkit_options(config)
        if config
        and (
            handbook is None
            or posixpath.normpath(handbook)
            == posixpath.normpath(str(config.get("docs_dir", "docs")))
        )
        else {}
    )
    in_repository = posixpath.normpath(posixpath.join(repository.prefix, folder))
    if in_repository.startswith("../") or in_repository == "..":
        raise RevisionError(f"{folder!r} is outside the repository")
    try:
        files = git.tree_files(commit, "" if in_repository == "." else in_repository, cwd)
    except git.GitError:
        raise RevisionError(f"revision {spec!r} has no handbook folder {folder!r}") from None
    contents = git.read_blobs(files.values(), cwd)
    root = scratch / f"side-{len(list(scratch.iterdir()))}"
    root.mkdir(parents=True)
    for rel, blob in sorted(files.items()):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents.get(blob, b""))
    try:
        settings = settings_from_options(options)
    except SettingsError as exc:
        raise RevisionError(f"mkdocs.yml of {spec}: sopkit option {exc}") from None
    return HandbookSource(spec, root, settings)
