"""Small handbooks written into temporary folders for tests."""

from __future__ import annotations

from pathlib import Path

ROLES = """\
lead:
  name: Lead
  team: Content
writer:
  name: Writer
  team: Content
"""
TOOLS = """\
docs:
  name: Docs
  url: https://example.com/docs
"""


def write_handbook(tmp_path: Path, files: dict[str, str], name: str = "handbook") -> Path:
    """A handbook folder with default roles.yml/tools.yml unless `files` gives its own."""
    root = tmp_path / name
    contents = {"roles.yml": ROLES, "tools.yml": TOOLS, **files}
    for rel, text in contents.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PUBLISH_SOP = """\
---
title: Publish
objective: A post is live.
phase: deploy
owner: lead
reviewed: 2026-10-01
steps:
  - {id: draft, title: Draft, raci: {R: writer, A: lead}, duration: 1d}
  - {id: ok, title: Approve, kind: approval, raci: {R: writer, A: lead}, criteria: [Good]}
kpis:
  - {name: Views, target: ">= 10"}
---
"""
"""A clean SOP for the default roles.yml and tools.yml."""
BROKEN_SOP = PUBLISH_SOP.replace("owner: lead", "owner: leed").replace("reviewed: 2026-10-01\n", "")
"""The same SOP with an unknown owner (an error) and no review date (a warning)."""
