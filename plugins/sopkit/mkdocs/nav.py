"""The navigation of a handbook site whose mkdocs.yml has no `nav`: a reading order.

Hand-written pages come first, then the SOPs (one section per folder), then the single-page
views, then onboarding, roles and tools as their index pages only: their many pages are one
click away and stay out of every page's navigation, which keeps pages small in big handbooks.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

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
INDEX_ONLY = ("onboarding", "roles", "tools")
HIDDEN = (RUN_FOLDER,)
"""Folders whose pages are reached from other pages only: run pages, from their SOP's page."""
_H1 = re.compile(r"^# (.+)$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(.)")


def ordered_nav(items: list[Any], sops_dir: str) -> list[Any]:
    top = sops_dir.split("/")[0]
    order = [top, "raci", "lifecycle", "health", "whats-new", "onboarding", "roles", "tools"]
    generated: dict[str, Any] = {}
    result: list[Any] = []
    for item in items:
        key = _folder_of(item)
        if key in HIDDEN:
            continue
        if key in order:
            generated[key] = item
        else:
            result.append(item)
    for key in order:
        item = generated.get(key)
        if item is None:
            continue
        if isinstance(item, Section):
            if key == top:
                item.title = "SOPs"
                _title_sections(item)
            else:
                item.title = TITLES.get(key, item.title)
                # Further pages of a long list (`raci/define/2.md`) are reached by its pager.
                item.children = [c for c in item.children if not isinstance(c, Section)]
                index = _index_page(item)
                if index is not None and (key in INDEX_ONLY or len(item.children) == 1):
                    index.parent = None
                    item = index
        result.append(item)
    return result


def _title_sections(section: Section) -> None:
    """Sub-sections take the heading of their index page (`SEO`, not the folder's `Seo`)."""
    for child in section.children:
        if isinstance(child, Section):
            index = _index_page(child)
            if index is not None:
                match = _H1.search(index.file.content_string)
                if match:
                    child.title = _MD_ESCAPE.sub(r"\1", match.group(1)).strip()
            _title_sections(child)


def _index_page(section: Section) -> Page | None:
    for child in section.children:
        if isinstance(child, Page) and child.file.src_uri.endswith("index.md"):
            return child
    return None


def _folder_of(item: Any) -> str | None:
    if isinstance(item, Section):
        for child in item.children:
            folder = _folder_of(child)
            if folder:
                return folder
        return None
    if isinstance(item, Page):
        src = item.file.src_uri
        return src.split("/", 1)[0] if "/" in src else None
    return None
