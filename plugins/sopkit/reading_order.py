"""The reading order of a handbook site without a `nav` of its own, apart from any generator.

Hand-written pages come first, then the SOPs (one section per folder), then the single-page
views, then onboarding, roles and tools as their index pages only: their many pages are one
click away and stay out of every page's navigation, which keeps pages small in big handbooks.
The MkDocs adapter applies it to MkDocs' nav; `sopkit build-md --project` writes it as `nav`.
"""

from __future__ import annotations

import re

from sopkit.render.links import RUN_FOLDER

TITLES = {
    "raci": "RACI matrix",
    "lifecycle": "Lifecycle map",
    "health": "Handbook health",
    "whats-new": "What's new",
    "onboarding": "Onboarding",
    "roles": "Roles",
    "tools": "Tools",
}
SOPS_TITLE = "SOPs"
INDEX_ONLY = ("onboarding", "roles", "tools")
HIDDEN = (RUN_FOLDER,)
"""Folders whose pages are reached from other pages only: run pages, from their SOP's page."""
_H1 = re.compile(r"^# (.+)$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(.)")


def generated_sections(sops_dir: str) -> list[str]:
    """Top-level folders sopkit writes, in reading order, after the hand-written pages."""
    return [
        sops_dir.split("/")[0],
        "raci",
        "lifecycle",
        "health",
        "whats-new",
        "onboarding",
        "roles",
        "tools",
    ]


def heading_title(markdown: str) -> str | None:
    """The text of a page's first `# ` heading, without Markdown escapes."""
    match = _H1.search(markdown)
    return _MD_ESCAPE.sub(r"\1", match.group(1)).strip() if match else None
