"""Lists that grow with the handbook, cut into pages of a bounded size.

A page that lists the handbook (a role's SOPs, a tool's uses, a RACI phase) shows a bounded
number of entries (`PageOptions.list_page`, `raci_rows`); the rest go to numbered pages beside
it, each linked from every other: `roles/analyst.md` is page 1, `roles/analyst/2.md` page 2,
and so on. No page then grows with the handbook, and every entry stays one or two clicks away.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Part:
    """One page of a list: its number (from 1) and its source path."""

    number: int
    page: str


def part_page(first: str, number: int) -> str:
    """The source path of page `number` of the list whose first page is `first`."""
    if number == 1:
        return first
    stem = first.removesuffix(".md")
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return f"{stem}/{number}.md"


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


def parts(first: str, count: int) -> list[Part]:
    """The `count` pages of a list whose first page is `first`."""
    return [Part(number, part_page(first, number)) for number in range(1, count + 1)]
