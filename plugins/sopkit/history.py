"""Who changed each SOP, when and why, from one pass over the git history of the SOP folder.

One `git log` lists every commit that touched an SOP file, with the blob ids before and after;
one `git cat-file --batch` then reads the old and new versions the what's-new page compares.
Two processes for the whole handbook, however many SOPs it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sopkit import git
from sopkit.diff import SopChange, sop_change
from sopkit.load import load_sop_file
from sopkit.model import Settings, Sop

# Fields of one commit, after a record separator that starts each commit in the log's output.
_FORMAT = "%x1e%H%x1f%cI%x1f%aN%x1f%s"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.datetime
    """The commit date, in the committer's time zone."""
    author: str
    subject: str

    @property
    def day(self) -> dt.date:
        return self.date.date()


@dataclass(frozen=True)
class FileChange:
    """One commit's change to one SOP file. Paths are relative to the handbook."""

    commit: Commit
    status: str
    """A added, M modified, D deleted, R renamed (possibly also modified)."""
    path: str
    old_path: str | None
    old_blob: str | None
    new_blob: str | None
    current: str | None = None
    """The SOP file this change belongs to today (following renames), or None if it is gone."""


@dataclass(frozen=True)
class History:
    """What git knows about a handbook's SOPs; `available` is False outside a repository."""

    available: bool
    reason: str = ""
    """Why there is no history (when not available)."""
    shallow: bool = False
    changes: tuple[FileChange, ...] = ()
    """Every change to an SOP file, newest first."""
    by_file: Mapping[str, tuple[FileChange, ...]] = field(default_factory=dict)
    """Current SOP file -> its changes, newest first, following renames."""

    def of(self, sop_file: str) -> tuple[FileChange, ...]:
        return self.by_file.get(sop_file, ())


def read_history(docs_dir: Path, settings: Settings, sop_files: Iterable[str]) -> History:
    """The history of the SOP folder of the handbook in `docs_dir` (files relative to it)."""
    try:
        repository = git.repository_of(docs_dir)
        folder = f"{repository.prefix}{settings.sops_dir.strip('/')}/"
        out = git.git(
            [
                "log",
                "-z",
                "--raw",
                "--no-abbrev",
                "-M",
                "--no-merges",
                f"--format={_FORMAT}",
                "--",
                folder,
            ],
            repository.top,
        )
    except git.GitError as exc:
        return History(False, str(exc))
    prefix = repository.prefix
    changes = [
        FileChange(
            commit,
            status,
            path.removeprefix(prefix),
            old.removeprefix(prefix) if old else None,
            old_blob,
            new_blob,
        )
        for commit, status, path, old, old_blob, new_blob in _parse_log(out)
        if path.startswith(prefix) and path.endswith(".md") and not _is_index(path)
    ]
    followed = _follow_renames(changes, set(sop_files))
    by_file: dict[str, list[FileChange]] = {}
    for change in followed:
        if change.current is not None:
            by_file.setdefault(change.current, []).append(change)
    return History(
        True,
        shallow=repository.shallow,
        changes=tuple(followed),
        by_file={key: tuple(value) for key, value in by_file.items()},
    )


def _is_index(path: str) -> bool:
    return path == "index.md" or path.endswith("/index.md")


def _parse_log(
    out: bytes,
) -> Iterator[tuple[Commit, str, str, str | None, str | None, str | None]]:
    """(commit, status, path, old path, old blob, new blob) per file, newest commit first."""
    tokens = out.split(b"\0")
    commit: Commit | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if token.startswith(b"\x1e"):
            commit = _commit(token[1:])
            continue
        if not token.startswith(b":") or commit is None:
            continue
        meta = token[1:].decode("ascii", "replace").split()
        if len(meta) < 5:
            continue
        old_blob, new_blob, status = meta[2], meta[3], meta[4][:1]
        first = tokens[index].decode("utf-8", "surrogateescape") if index < len(tokens) else ""
        index += 1
        old: str | None = None
        path = first
        if status in ("R", "C"):
            old = first
            path = tokens[index].decode("utf-8", "surrogateescape") if index < len(tokens) else ""
            index += 1
        yield (
            commit,
            status,
            path,
            old,
            None if old_blob == _NO_BLOB else old_blob,
            None if new_blob == _NO_BLOB else new_blob,
        )


def _commit(header: bytes) -> Commit:
    sha, date, author, subject = (
        [*header.decode("utf-8", "replace").split("\x1f", 3), "", "", ""]
    )[:4]
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        when = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return Commit(sha, when, author, subject.strip())


def _follow_renames(changes: list[FileChange], current: set[str]) -> list[FileChange]:
    """Each change marked with the SOP file it belongs to today, walking from newest to oldest."""
    # The name a file had at this point of the walk -> the file it is today (None: deleted).
    names: dict[str, str | None] = {path: path for path in current}
    followed = []
    for change in changes:
        if change.path not in names:
            # Not seen yet going back: the file no longer exists today (deleted or renamed away).
            names[change.path] = None
        owner = names[change.path]
        followed.append(
            FileChange(
                change.commit,
                change.status,
                change.path,
                change.old_path,
                change.old_blob,
                change.new_blob,
                owner,
            )
        )
        if change.status == "R" and change.old_path is not None:
            del names[change.path]
            names[change.old_path] = owner
        elif change.status == "A":
            del names[change.path]
    return followed


@dataclass(frozen=True)
class ChangeSummary:
    """One entry of the what's-new page."""

    change: FileChange
    title: str
    kind: str
    """added, removed, changed, or unreadable (the new version cannot be read)."""
    diff: SopChange | None
    """What changed in the process (for `changed` when both versions can be read)."""


def recent_changes(
    history: History,
    docs_dir: Path,
    settings: Settings,
    since: dt.date,
    until: dt.date,
    limit: int,
) -> tuple[tuple[ChangeSummary, ...], int]:
    """Changes dated `since`..`until`, newest first, with what each did to the process.

    Changes that leave the process as it was (line ends, YAML style) are left out. At most
    `limit` are summarised; the second value counts the changes in the window not looked at.
    """
    window = [c for c in history.changes if since <= c.commit.day <= until]
    # One change's new version is often the next one's old version: each is read once.
    parsed: dict[tuple[str, str], Sop | None] = {}
    summaries: list[ChangeSummary] = []
    done = 0
    while done < len(window) and len(summaries) < limit:
        # Old and new versions of a batch of changes, read by one `git cat-file --batch`.
        batch = window[done : done + 2 * (limit - len(summaries))]
        blobs = git.read_blobs(
            (blob for c in batch for blob in (c.old_blob, c.new_blob) if blob), docs_dir
        )
        for change in batch:
            done += 1
            summary = _summary(change, blobs, settings, parsed)
            if summary is not None:
                summaries.append(summary)
                if len(summaries) == limit:
                    break
    return tuple(summaries), len(window) - done


def _sop_of(
    blob: str | None,
    path: str,
    blobs: Mapping[str, bytes],
    settings: Settings,
    parsed: dict[tuple[str, str], Sop | None],
) -> Sop | None:
    if blob is None:
        return None
    key = (blob, path)
    if key not in parsed:
        raw = blobs.get(blob)
        parsed[key] = None if raw is None else load_sop_file(raw, path, settings).sop
    return parsed[key]


def _summary(
    change: FileChange,
    blobs: Mapping[str, bytes],
    settings: Settings,
    parsed: dict[tuple[str, str], Sop | None],
) -> ChangeSummary | None:
    old = _sop_of(change.old_blob, change.old_path or change.path, blobs, settings, parsed)
    new = _sop_of(change.new_blob, change.path, blobs, settings, parsed)
    if change.new_blob is None:
        return ChangeSummary(change, old.title if old else change.path, "removed", None)
    if new is None:
        return ChangeSummary(change, old.title if old else change.path, "unreadable", None)
    if change.old_blob is None:
        return ChangeSummary(change, new.title, "added", None)
    if old is None:
        return ChangeSummary(change, new.title, "changed", None)
    diff = sop_change(old, new)
    if not diff.changed:
        return None
    return ChangeSummary(change, new.title, "changed", diff)
