"""Pages written as folder indexes: `roles/analyst.md` as `roles/analyst/index.md`.

With directory URLs, the page `roles/analyst.md` is served at `roles/analyst/`, one folder below
its source. Links in raw HTML (badges, step lists, run pages) point from the page's URL, which is
how MkDocs leaves them; Zensical reads them from the page's source folder instead and adds one
`../` to each. Written as the index of its own folder, a page's source folder and URL folder are
the same, so both read every link alike and the URLs do not change. Markdown links, which point
from the source file, are rebased to the new place.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote, urlsplit

from sopkit.render.prose import map_link_targets

INDEX_NAMES = ("index.md", "README.md")


class FolderClash(Exception):
    """Two pages would be served at the same URL."""


def folder_index(src: str) -> str:
    """Where a page is written so that its source folder is its URL's folder."""
    if not src.endswith(".md") or posixpath.basename(src) in INDEX_NAMES:
        return src
    return posixpath.join(src[: -len(".md")], "index.md")


def folder_locations(pages: Iterable[str]) -> dict[str, str]:
    """Page source -> where it is written. Raises `FolderClash`."""
    pages = list(pages)
    taken = {page: page for page in pages if folder_index(page) == page}
    locations: dict[str, str] = {}
    for page in pages:
        location = folder_index(page)
        other = taken.setdefault(location, page)
        if other != page:
            raise FolderClash(
                f"{page} and {other} are both served at {posixpath.dirname(location)}/; "
                "rename one of them"
            )
        locations[page] = location
    return locations


def rebase_links(markdown: str, page: str, location: str, files: Mapping[str, str]) -> str:
    """`markdown` of `page`, written at `location`, with its Markdown links still resolving.

    `files` maps each file of the site to where it is written; a link to a file not in it (an
    external URL, an anchor, a missing page) stays as written.
    """
    here = posixpath.dirname(page)
    there = posixpath.dirname(location) or "."

    def target(link: str) -> str:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return link
        path = unquote(parts.path)
        resolved = posixpath.normpath(posixpath.join(here, path))
        written = files.get(resolved)
        if written is None:
            return link
        rebased = quote(posixpath.relpath(written, there), safe="/.-_~")
        query = f"?{parts.query}" if parts.query else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return rebased + query + fragment

    return map_link_targets(markdown, target)
