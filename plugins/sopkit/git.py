"""The few git questions sopkit asks, each answered by one `git` process.

sopkit runs the `git` program itself rather than a Python library: it is the one git every
handbook repository already has (and that CI checks out with), it understands every repository
format, shallow clones and worktrees, and no library would save code here. It is run without a
shell, with arguments as a list: revisions and paths come from users and handbooks, and a shell
would read `;`, `$(...)` or spaces in them as commands and splits.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Output that does not depend on the user's git configuration or language.
_CONFIG = ("-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "color.ui=never")
_ENV = {"LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}


class GitError(Exception):
    """git is missing, the folder is not in a repository, or git refused the question."""


def git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run `git ARGS` in `cwd` and return its standard output. Raises `GitError`."""
    try:
        done = subprocess.run(
            ["git", *_CONFIG, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (no `git` program on the PATH)") from None
    except OSError as exc:
        raise GitError(f"git could not run: {exc.strerror}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout


@dataclass(frozen=True)
class Repository:
    """Where a folder sits in its repository."""

    top: Path
    prefix: str
    """The folder's path from the top of the repository, `""` or ending in `/`."""
    shallow: bool


def repository_of(folder: Path) -> Repository:
    """The repository holding `folder`. Raises `GitError` outside one (or without git)."""
    out = git(["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"], folder)
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3:
        raise GitError("git rev-parse gave no answer")
    return Repository(Path(lines[0]), lines[1], lines[2].strip() == "true")


def commit_of(revision: str, cwd: Path) -> str | None:
    """The commit a revision names (`main`, `HEAD~2`, a tag, a hash), or None."""
    if not revision or revision.startswith("-"):
        return None
    try:
        out = git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd)
    except GitError:
        return None
    return out.decode("ascii", "replace").strip() or None


def read_blobs(ids: Iterable[str], cwd: Path) -> dict[str, bytes]:
    """The contents of many objects by id, from one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    out = git(["cat-file", "--batch"], cwd, stdin="".join(f"{i}\n" for i in wanted).encode())
    found: dict[str, bytes] = {}
    position = 0
    for object_id in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[object_id] = out[position : position + size]
        position += size + 1  # the object, then a newline
    return found


def tree_files(commit: str, path: str, cwd: Path) -> dict[str, str]:
    """Path (below `path`, POSIX) -> blob id of every file in `path` at `commit`."""
    target = f"{commit}:{path.strip('/')}" if path.strip("/") else f"{commit}:"
    out = git(["ls-tree", "-r", "-z", target], cwd)
    files: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, object_id = meta.split()
        # Regular files only: a symlink in a revision is not followed out of the repository.
        if kind == b"blob" and mode in (b"100644", b"100755"):
            files[name.decode("utf-8", "surrogateescape")] = object_id.decode("ascii")
    return files
