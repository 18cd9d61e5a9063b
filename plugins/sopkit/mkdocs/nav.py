"""The navigation of a handbook site whose mkdocs.yml has no `nav`: sopkit's reading order
(`sopkit.reading_order`) applied to MkDocs' nav."""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence
from typing import Any

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from sopkit.labels import ENGLISH, Labels
from sopkit.reading_order import (
    HIDDEN,
    INDEX_ONLY,
    SOPS_TITLE,
    generated_sections,
    heading_title,
    section_title,
)


def ordered_nav(
    items: list[Any],
    sops_dir: str,
    t: Labels = ENGLISH,
    parts: Collection[str] = (),
    phases: Sequence[str] = (),
) -> list[Any]:
    """MkDocs' nav in sopkit's reading order, the sections it writes titled in `t`'s language.

    `parts` are the source paths of the numbered pages (2, 3, ...) of the long lists sopkit
    wrote (`GeneratedPage.continues`): each list's pager reaches them, so the nav leaves them out.
    `phases` are the page names of the lifecycle's phases in its order: a large handbook's RACI
    and lifecycle pages per phase follow it (Define, Design, Develop, ...), not the alphabet.
    """
    items = _without(items, frozenset(parts))
    order = generated_sections(sops_dir)
    top = order[0]
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
                item.title = t(SOPS_TITLE)
                _title_sections(item)
            else:
                item.title = section_title(key, t) or item.title
                if key in PHASE_SECTIONS:
                    _in_phase_order(item, phases)
                index = _index_page(item)
                if index is not None and (key in INDEX_ONLY or len(item.children) == 1):
                    index.parent = None
                    item = index
        result.append(item)
    return result


PHASE_SECTIONS = ("raci", "lifecycle")
"""The sections with a page per phase of the lifecycle on a large handbook."""


def _in_phase_order(section: Section, phases: Sequence[str]) -> None:
    """The section's index page first, then its pages in the lifecycle's order; pages of no
    phase keep their place after those."""
    rank = {phase: at for at, phase in enumerate(phases)}

    def key(child: Any) -> int:
        if isinstance(child, Page):
            stem = posixpath.splitext(posixpath.basename(child.file.src_uri))[0]
            return -1 if stem == "index" else rank.get(stem, len(rank))
        return len(rank)

    section.children = sorted(section.children, key=key)


def _without(items: list[Any], parts: frozenset[str]) -> list[Any]:
    """`items` without the pages in `parts`, and without the sections that held only those."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Page) and item.file.src_uri in parts:
            continue
        if isinstance(item, Section):
            item.children = _without(item.children, parts)
            if not item.children:
                continue
        kept.append(item)
    return kept


def _title_sections(section: Section) -> None:
    """Sub-sections take the heading of their index page (`SEO`, not the folder's `Seo`)."""
    for child in section.children:
        if isinstance(child, Section):
            index = _index_page(child)
            if index is not None:
                title = heading_title(index.file.content_string)
                if title:
                    child.title = title
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
