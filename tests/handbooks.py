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
