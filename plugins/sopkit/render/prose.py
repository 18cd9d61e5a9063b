"""Author prose (SOP bodies) made safe for Python-Markdown while staying Markdown.

Authors write Markdown on purpose, so emphasis, lists, links, tables and code stay. What could run
or pull content in does not: raw HTML (`<script>`, `<img onerror>`, `<div markdown>`), attribute
lists (`{: onclick=...}`), snippet includes (`--8<--`). Code blocks and code spans are kept to the
letter. A link or image whose target could run script (`javascript:`, entity-encoded or not)
points to `#` instead, so the prose is safe in any Markdown site generator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from sopkit.render.escape import unsafe_url

_MD = MarkdownIt("commonmark")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]+)>")
# A link destination may hold balanced parentheses: `[x](javascript:alert(1))`.
_INLINE_TARGET = re.compile(r"(\]\(\s*<?)((?:[^\s()<>]|\([^\s()]*\))*)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s|$))", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# A fence needs ``` or ~~~; an indented code block needs a tab or four spaces, in any container.
_MAY_HOLD_CODE = re.compile(r"```|~~~|\t| {4}")


def safe_prose(markdown: str) -> str:
    """The same Markdown with raw HTML shown as text and attribute lists disabled."""
    if not markdown.strip():
        return ""
    return outside_code(markdown, _escape_text)


def map_link_targets(markdown: str, target: Callable[[str], str]) -> str:
    """The same Markdown with each inline and reference link target (outside code) mapped.

    Indented text counts as prose here: in hand-written pages it is mostly the body of an
    admonition or a tab, which Python-Markdown reads as Markdown.
    """

    def mapped(text: str) -> str:
        text = _INLINE_TARGET.sub(lambda m: m.group(1) + target(m.group(2)), text)
        return _REFERENCE.sub(lambda m: m.group(1) + target(m.group(2)) + m.group(3), text)

    return outside_code(markdown, mapped, indented_code=False)


def outside_code(markdown: str, change: Callable[[str], str], *, indented_code: bool = True) -> str:
    """`markdown` with `change` applied to all text but code blocks and code spans.

    Without `indented_code`, only fenced blocks count as code blocks.
    """
    kinds = ("fence", "code_block") if indented_code else ("fence",)
    lines = markdown.split("\n")
    code_lines: set[int] = set()
    # Parsing is most of the cost of an SOP page; prose without these has no code block.
    tokens = _MD.parse(markdown) if _MAY_HOLD_CODE.search(markdown) else []
    for token in tokens:
        if token.type in kinds and token.map:
            start, end = token.map
            code_lines.update(range(start, end))
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            out.append(_outside_code_spans("\n".join(block), change))
            block.clear()

    for index, line in enumerate(lines):
        if index in code_lines:
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n".join(out)


def _outside_code_spans(text: str, change: Callable[[str], str]) -> str:
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(change(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(change(text[position:]))
    return "".join(parts)


def _escape_text(text: str) -> str:
    kept: list[str] = []
    text = text.replace("\x00", "")

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _AUTOLINK.sub(keep, text)
    text = _INLINE_TARGET.sub(lambda m: m.group(1) + _safe_target(m.group(2)), text)
    text = _REFERENCE.sub(lambda m: m.group(1) + _safe_target(m.group(2)) + m.group(3), text)
    text = text.replace("<", "&lt;").replace("{", "\\{")
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _safe_target(url: str) -> str:
    return "#" if unsafe_url(url) else url
