"""Text measured without a browser: a safe over-estimate of the width a label takes.

The diagram is laid out at build time, so the font the reader's browser picks is unknown. An
advance of 0.6 em per character is wider than the average of every common sans-serif font for
Latin text; wide East Asian characters and emoji take a full em. Combining marks and invisible
format characters take none. A label measured this way never spills out of its box.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

NARROW_EM = 0.6
WIDE_EM = 1.0
ELLIPSIS = "\u2026"
MIN_TAIL = 3  # letters a hyphenated word carries to the next line, at least


def text_width(text: str, size: float) -> float:
    """The width `text` takes at font size `size` (in the same unit), over-estimated."""
    width = 0.0
    for char in text:
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):
            continue
        width += WIDE_EM if unicodedata.east_asian_width(char) in "WF" else NARROW_EM
    return width * size


@dataclass(frozen=True)
class Wrapped:
    """Lines of a label, and whether text was left out (the reader then needs a tooltip)."""

    lines: tuple[str, ...]
    cut: bool


def one_line(text: str) -> str:
    """Whitespace folded to single spaces; control characters dropped."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")
    return " ".join(kept.split())


def wrap(text: str, width: float, size: float, max_lines: int) -> Wrapped:
    """`text` in at most `max_lines` lines no wider than `width`; the last line ends with an
    ellipsis when text was left out. Words longer than a line are broken between characters."""
    words = one_line(text).split(" ") if one_line(text) else []
    lines: list[str] = []
    current = ""
    pending = list(words)
    while pending:
        word = pending.pop(0)
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
            pending.insert(0, word)
            continue
        # A single word wider than the line: break it.
        head, tail = _split_to_width(word, width, size)
        lines.append(head)
        if tail:
            pending.insert(0, tail)
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return Wrapped(tuple(lines), False)
    kept = lines[:max_lines]
    kept[-1] = _with_ellipsis(kept[-1], width, size)
    return Wrapped(tuple(kept), True)


def _split_to_width(word: str, width: float, size: float) -> tuple[str, str]:
    """The longest head of `word` that fits, with a hyphen when it splits between letters."""
    end = 1
    while end < len(word) and text_width(word[: end + 1] + "-", size) <= width:
        end += 1
    if end < len(word) and word[end - 1].isalpha() and word[end].isalpha() and end > 1:
        # Never leave a stub of one or two letters on the next line ("retrospecti-ve").
        end = max(min(end, len(word) - MIN_TAIL), 2)
        return word[:end] + "-", word[end:]
    return word[:end], word[end:]


def _with_ellipsis(line: str, width: float, size: float) -> str:
    while line and text_width(line + ELLIPSIS, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
