"""Lists that grow with the handbook, cut into pages of a bounded size.

A page that lists the handbook (a role's SOPs, a tool's uses, a RACI phase, an SOP folder) shows a
bounded number of entries (`PageOptions.list_page`, `raci_rows`); the rest go to numbered pages
beside it, each linked from every other: `roles/analyst.md` is page 1, `roles/analyst/2.md` page 2,
and so on. No page then grows with the handbook, and every entry stays one or two clicks away.

A writer of such a list takes its pages from `PageOptions.parts(first, count)` and marks pages
2, 3, ... with `GeneratedPage(continues=part)`: they are reached by the list's pager, and the
site (`ordered_nav`, `reading_nav`) leaves every page so marked out of its navigation. A page of
the site's own at the address of a numbered page is never replaced: `PageOptions.parts` gives the
numbered page a free address beside it (`roles/analyst/page-2.md`), and the site reports the
clash at that file (`site_pages.part_clashes`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

INDEX_NAMES = ("index", "README")


@dataclass(frozen=True)
class Part:
    """One page of a list: its number (from 1), its source path and the list's first page."""

    number: int
    page: str
    first: str = ""

    @property
    def planned(self) -> str:
        """The source path this page has unless a page of the site's own sits at its address."""
        return part_page(self.first or self.page, self.number)


def part_page(first: str, number: int) -> str:
    """The source path of page `number` of the list whose first page is `first`."""
    if number == 1:
        return first
    return f"{_stem(first)}/{number}.md"


def _stem(first: str) -> str:
    stem = first.removesuffix(".md")
    if posixpath.basename(stem) in INDEX_NAMES:
        stem = posixpath.dirname(stem)
    return stem


def address(src: str, use_directory_urls: bool = True) -> str:
    """What a source path is served at, as a key (`a/2.md` and `a/2/index.md` are both `a/2`
    with directory URLs)."""
    stem = src.removesuffix(".md")
    if posixpath.basename(stem) in INDEX_NAMES:
        return posixpath.dirname(stem)
    return stem if use_directory_urls else src


def addresses(files: Iterable[str], use_directory_urls: bool = True) -> dict[str, str]:
    """Address -> the file of the site's own served there, for the Markdown files among `files`
    and the folders that hold them (a folder of SOPs gets an index page at its address)."""
    found: dict[str, str] = {}
    for src in sorted(files):
        if not src.endswith(".md"):
            continue
        found.setdefault(address(src, use_directory_urls), src)
        folder = posixpath.dirname(src)
        while folder:
            found.setdefault(folder, src)
            folder = posixpath.dirname(folder)
    return found


def split(items: Sequence[T], size: int) -> list[list[T]]:
    """`items` in as few runs as fit `size` each, of even length (one empty run if no items)."""
    if size < 1:
        raise ValueError(f"expected a page size of at least 1, but received {size}")
    count = max(1, -(-len(items) // size))
    base, extra = divmod(len(items), count)
    runs, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        runs.append(list(items[start:end]))
        start = end
    return runs


def parts(
    first: str, count: int, taken: frozenset[str] = frozenset(), use_directory_urls: bool = True
) -> list[Part]:
    """The `count` pages of a list whose first page is `first`; a page whose address is in
    `taken` (see `addresses`) moves to the first free one of `page-N.md`, `page-N-2.md`, ..."""
    return [
        Part(number, _free(first, number, taken, use_directory_urls), first)
        for number in range(1, count + 1)
    ]


def _free(first: str, number: int, taken: frozenset[str], use_directory_urls: bool) -> str:
    page = part_page(first, number)
    if number == 1 or address(page, use_directory_urls) not in taken:
        return page
    stem, again = _stem(first), 1
    while True:
        suffix = "" if again == 1 else f"-{again}"
        page = f"{stem}/page-{number}{suffix}.md"
        if address(page, use_directory_urls) not in taken:
            return page
        again += 1
