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
    return _put_back(_PLACEHOLDER, html, blocks)


def _put_back(placeholder: re.Pattern[str], html: str, parts: list[str]) -> str:
    """`html` with each `placeholder` (its group 1 an index into `parts`) replaced by its part;
    a placeholder with no part stays as it is."""
    if not parts:
        return html

    def part(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return parts[index] if index < len(parts) else match.group(0)

    return placeholder.sub(part, html)


# What a search index never reads: an inline SVG drawing, or an element marked
# `data-search-exclude` up to the first closing tag of its name (where Material's search ends
# the exclusion).
_UNSEARCHED = re.compile(
    r"<svg\b.*?</svg\s*>|<(\w+)\b[^>]*\sdata-search-exclude\b[^>]*>.*?</\1\s*>", re.DOTALL
)
_UNSEARCHED_PLACEHOLDER = re.compile(r"<!--sopkit:unsearched:(\d+)-->")
# Material's search removes these attributes (with a value) from the page once it has read it.
_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


def unsearched_apart(blocks: list[str]) -> tuple[list[str], list[str]]:
    """The blocks with each part a search index never reads (drawings, elements marked
    `data-search-exclude`) replaced by a placeholder comment, and those parts in order.

    The parts go back into the page (`restore_unsearched`) once the search plugin has read it:
    it would parse every tag of them only to skip their text, and drawings alone are half the
    tags of an SOP page.
    """
    parts: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        parts.append(_SEARCH_ATTRIBUTE.sub("", match.group(0)))
        return f"<!--sopkit:unsearched:{len(parts) - 1}-->"

    return [_UNSEARCHED.sub(placeholder, block) for block in blocks], parts


def restore_unsearched(html: str, parts: list[str]) -> str:
    """The page's HTML with each placeholder of `unsearched_apart` replaced by its part."""
    return _put_back(_UNSEARCHED_PLACEHOLDER, html, parts)
