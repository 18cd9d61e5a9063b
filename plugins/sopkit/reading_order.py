"""The reading order of a handbook site without a `nav` of its own, apart from any generator.

Hand-written pages come first, then the SOPs (one section per folder), then the single-page
views, then onboarding, roles and tools as their index pages only: their many pages are one
click away and stay out of every page's navigation, which keeps pages small in big handbooks.
The MkDocs adapter applies it to MkDocs' nav; `sopkit build-md --project` writes it as `nav`.
"""

from __future__ import annotations

import re

from sopkit.labels import ENGLISH, Labels
from sopkit.render.links import RUN_FOLDER

TITLES = {
    "raci": "raci.title",
    "lifecycle": "lifecycle.title",
    "health": "health.title",
    "whats-new": "news.title",
    "onboarding": "nav.onboarding",
    "roles": "roles.title",
    "tools": "tools.title",
}
"""The catalogue key of the navigation title of each folder sopkit writes."""
SOPS_TITLE = "nav.sops"
"""The catalogue key of the SOP section's navigation title."""
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


def section_title(folder: str, t: Labels = ENGLISH) -> str | None:
    """The navigation title of a top-level folder sopkit writes, in `t`'s language."""
    key = TITLES.get(folder)
    return t(key) if key else None


def heading_title(markdown: str) -> str | None:
    """The text of a page's first `# ` heading, without Markdown escapes."""
    match = _H1.search(markdown)
    return _MD_ESCAPE.sub(r"\1", match.group(1)).strip() if match else None
