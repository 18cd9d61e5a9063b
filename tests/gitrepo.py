"""Real git repositories in temporary folders, with commits at fixed dates and authors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Git reads no configuration of the machine or the user: the same repository on every system.
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=self.path,
            capture_output=True,
            check=True,
            env={**os.environ, **GIT_ENV, **(env or {})},
        )
        return done.stdout.decode("utf-8", "replace")

    def write(self, files: dict[str, str | bytes | None]) -> None:
        """Write (text as UTF-8, bytes as given) or delete (None) files."""
        for rel, content in files.items():
            path = self.path / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))

    def commit(
        self,
        message: str,
        date: str,
        files: dict[str, str | bytes | None] | None = None,
        author: str = "Ana Lopez",
    ) -> str:
        """Commit everything at `date` (ISO 8601, e.g. 2026-11-20T10:00:00+00:00)."""
        if files:
            self.write(files)
        self.git("add", "-A")
        email = author.lower().replace(" ", ".") + "@example.com"
        self.git(
            "commit",
            "-q",
            "-m",
            message,
            env={
                "GIT_AUTHOR_NAME": author,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": author,
                "GIT_COMMITTER_EMAIL": email,
                "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_DATE": date,
            },
        )
        return self.git("rev-parse", "HEAD").strip()

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
