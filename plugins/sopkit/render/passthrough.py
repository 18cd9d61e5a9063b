"""Raw HTML blocks of generated pages, kept away from Python-Markdown and put back after it.

Generated pages write their fixed parts (badges, fact lists, tables, lists of SOPs) as raw HTML
between `OPEN` and `CLOSE` lines. As Markdown the page is complete: any generator passes raw
HTML through (this is what `sopkit build-md` writes). Python-Markdown, though, still runs every
tag of a raw block through its HTML parser to find where the block ends, which costs as much
as the Markdown it replaces. So the MkDocs plugin `stash`es each block behind a placeholder
comment before the page is converted and `restore`s it in the HTML. Every value inside a block
was escaped when the template wrote it; author prose cannot forge a marker (it shows raw HTML
as text). A stashed block's characters past U+00FF become character references
(`escape.html_latin1`), so that an ASCII handbook's pages are held at one byte a character.
"""

from __future__ import annotations

import re

from sopkit.render.escape import html_latin1

OPEN = "<!--sopkit:html-->"
CLOSE = "<!--/sopkit:html-->"
_PLACEHOLDER = re.compile(r"<!--sopkit:(\d+)-->")


def stash(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each marked HTML block replaced by a placeholder comment, and the
    blocks in order, each with its characters past U+00FF as character references. An `OPEN`
    without its `CLOSE` is left as it is."""
    head, *parts = markdown.split(OPEN)
    out = [head]
    blocks: list[str] = []
    for part in parts:
        html, found, rest = part.partition(CLOSE)
        if not found:
            out += [OPEN, part]
            continue
        out += [f"<!--sopkit:{len(blocks)}-->", rest]
        blocks.append(html_latin1(html.strip("\n")))
    return "".join(out), blocks


def restore(html: str, blocks: list[str]) -> str:
    """The page's HTML with each placeholder replaced by its block (Python-Markdown may wrap a
    placeholder in a paragraph only when it is not alone on its lines, which `stash` avoids)."""
    if not blocks:
        return html

    def block(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return blocks[index] if index < len(blocks) else match.group(0)

    return _PLACEHOLDER.sub(block, html)


_DRAWING = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_DRAWING_PLACEHOLDER = re.compile(r"<!--sopkit:svg:(\d+)-->")


def drawings_apart(blocks: list[str]) -> tuple[list[str], list[str]]:
    """The blocks with each inline SVG drawing replaced by a placeholder comment, and the
    drawings in order.

    A drawing is put back (`restore_drawings`) once the search index has read the page:
    its labels are never indexed, yet a search plugin parses every tag of the page, and the
    drawings hold half the tags of an SOP page.
    """
    drawings: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        drawings.append(match.group(0))
        return f"<!--sopkit:svg:{len(drawings) - 1}-->"

    return [_DRAWING.sub(placeholder, block) for block in blocks], drawings


def restore_drawings(html: str, drawings: list[str]) -> str:
    """The page's HTML with each drawing placeholder replaced by its drawing."""
    if not drawings:
        return html

    def drawing(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return drawings[index] if index < len(drawings) else match.group(0)

    return _DRAWING_PLACEHOLDER.sub(drawing, html)
