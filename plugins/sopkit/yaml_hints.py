"""Hints for the YAML people actually write: each names the line and shows it fixed.

PyYAML words a problem as a parser sees it ("expected chomping or indentation indicators, but
found '='"). An author needs the fix: `target: ">= 95%"`. These functions look at the written
line (and the lines above it) and return that fix, or None when no fix can be guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from sopkit.model import Location, PathPart, SourceDoc

# A value that starts with one of these is not read as plain text.
INDICATORS = ">|%@`*&!"
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[^\s\-#'\"{\[][^:#]*?|-[^\s:#][^:#]*?)"
    r"[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$"
)
_ITEM_LINE = re.compile(r"^(?P<indent> *)-(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_ANCHOR = re.compile(r"(?:^|:[ \t]|-[ \t])[ \t]*&(?P<name>[^\s,\[\]{}]+)[ \t]+\S")


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _previous(lines: list[str], index: int) -> int | None:
    """The index of the nearest line above `index` that holds something besides a comment."""
    for above in range(index - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


def quote_fix(line: str) -> str | None:
    """`target: >= 95%` -> `quote the value: target: ">= 95%"` (also for list items)."""
    match = _KEY_LINE.match(line)
    if match and match.group("value"):
        value = match.group("value")
        if value[0] in "'\"[{":
            return None
        prefix = line[: match.start("value")].lstrip(" \t")
        return f"quote the value: `{prefix}{quoted(value)}`"
    item = _ITEM_LINE.match(line)
    if item and item.group("value") and item.group("value")[0] not in "'\"[{":
        return f"quote the item: `- {quoted(item.group('value'))}`"
    return None


def bool_word_hint(key: str, word: str, value: bool) -> str:
    """`when: Yes` -> YAML 1.1 reads `Yes` as true: the fix is `when: "Yes"`."""
    return (
        f"YAML reads the word `{word}` as {str(value).lower()}, not as text: quote it, "
        f"`{key}: {quoted(word)}`"
    )


def syntax_hint(problem: str, lines: list[str], index: int, first_line: int = 1) -> str | None:
    """A fix for the parse error `problem` reported at line `index` (0-based) of `lines`.

    `first_line` is the file line of `lines[0]` (front matter starts on line 2).
    """
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    if "'\\t'" in problem or line[: _indent(line)].count("\t"):
        return _tab_fix(lines, index)
    if "mapping values are not allowed" in problem:
        return _colon_fix(lines, index, first_line)
    match = _KEY_LINE.match(line)
    value = (match.group("value") or "") if match else ""
    item = _ITEM_LINE.match(line)
    if item and not match:
        value = item.group("value") or ""
    if value and value[0] in INDICATORS:
        fix = quote_fix(line)
        if fix:
            first = "a backtick" if value[0] == "`" else f"`{value[0]}`"
            return f"a value that starts with {first} must be quoted; {fix}"
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        if item:
            return list_depth_hint(lines, index, first_line)
        return _key_depth_fix(lines, index, first_line)
    return None


def unclosed_flow_hint(
    context: str, lines: list[str], index: int, first_line: int = 1
) -> str | None:
    """`tags: [content, seo` (no `]`): the fix on the line where the list opened."""
    if not 0 <= index < len(lines):
        return None
    line = lines[index].rstrip()
    for name, kind, opening, closing in (
        ("list", "sequence", "[", "]"),
        ("mapping", "mapping", "{", "}"),
    ):
        if f"flow {kind}" in context and line.count(opening) > line.count(closing):
            return f"close the {name} on line {index + first_line}: `{line.lstrip()}{closing}`"
    return None


def _tab_fix(lines: list[str], index: int) -> str:
    line = lines[index]
    above = _previous(lines, index)
    width = 0
    if above is not None:
        width = _indent(lines[above]) + (2 if lines[above].rstrip().endswith(":") else 0)
    fixed = " " * width + line.lstrip(" \t")
    return f"indent with spaces, not tabs: `{fixed}`"


def _colon_fix(lines: list[str], index: int, first_line: int) -> str | None:
    line = lines[index]
    match = _KEY_LINE.match(line)
    value = match.group("value") if match else None
    if match and value and ": " in value:
        return "a value that contains `: ` must be quoted; " + (quote_fix(line) or "")
    # A key indented more than the key above it continues that key's value.
    above = _previous(lines, index)
    if match and above is not None and _indent(lines[above]) < _indent(line):
        prior = _KEY_LINE.match(lines[above])
        if prior and prior.group("value"):
            return _line_up(lines, above, index, first_line)
    if match and value is None:
        return None
    if match:
        return "a value that contains `: ` must be quoted; " + (quote_fix(line) or "")
    return None


def _line_up(lines: list[str], above: int, index: int, first_line: int) -> str:
    prior = _KEY_LINE.match(lines[above])
    key = (prior.group("key") if prior else "").strip()
    here = _KEY_LINE.match(lines[index])
    this = (here.group("key") if here else lines[index].strip()).strip()
    fixed = " " * _indent(lines[above]) + lines[index].lstrip(" \t")
    more = "more" if _indent(lines[index]) > _indent(lines[above]) else "less"
    return (
        f"`{this}:` is indented {more} than `{key}:` on line {above + first_line}; "
        f"line them up: `{fixed}`"
    )


def _key_depth_fix(lines: list[str], index: int, first_line: int) -> str | None:
    above = _previous(lines, index)
    if above is None or not _KEY_LINE.match(lines[index]):
        return None
    if _KEY_LINE.match(lines[above]) and _indent(lines[above]) != _indent(lines[index]):
        return _line_up(lines, above, index, first_line)
    return None


def list_depth_hint(lines: list[str], index: int, first_line: int = 1) -> str | None:
    """For a `- item` at the wrong depth: did it belong to the list above? (with the fix)."""
    line = lines[index]
    sibling = None
    for above in range(index - 1, -1, -1):
        stripped = lines[above].lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            sibling = above
            break
        # A key that opens a block between them: the item above is not the nearest list.
        if _KEY_LINE.match(lines[above]) and lines[above].rstrip().endswith(":"):
            break
    if sibling is None:
        return None
    depth = _indent(lines[sibling])
    if depth == _indent(line):
        return None
    owner = _list_owner(lines, sibling, depth)
    fixed = " " * depth + line.lstrip(" ")
    where = f"`{owner}`" if owner else f"the list on line {sibling + first_line}"
    return f"did this item belong to {where} above? indent it like its items: `{fixed}`"


def _list_owner(lines: list[str], item: int, depth: int) -> str | None:
    """The key whose list holds the item at line `item` (indented `depth`)."""
    for above in range(item - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(text)
        if match and not match.group("value") and _indent(text) <= depth:
            key: str = match.group("key").strip()
            return key
        if _indent(text) < depth and not text.lstrip().startswith("-"):
            return None
    return None


def merged_items(node_start: int, node_end: int, lines: list[str]) -> Iterator[tuple[int, str]]:
    """Lines inside one plain value that look like list items of their own.

    `- One` over `  - Two` (indented too far) is one item, "One - Two". Yields (index, hint)
    for each such continuation line.
    """
    first = lines[node_start] if node_start < len(lines) else ""
    if not _ITEM_LINE.match(first):
        return
    dash = _indent(first)
    for index in range(node_start + 1, min(node_end, len(lines) - 1) + 1):
        text = lines[index]
        if not _ITEM_LINE.match(text):
            continue
        fixed = " " * dash + text.lstrip(" ")
        yield index, f"make it an item of its own, indented like the item above: `{fixed}`"


def stray_anchors(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """Values such as `&nbsp; text`: YAML reads `&nbsp;` as an anchor and drops it.

    Only anchors that no alias uses are reported: a handbook may use anchors on purpose.
    Yields (index, anchor name, hint).
    """
    text = "\n".join(lines)
    for index, line in enumerate(lines):
        if "&" not in line:
            continue
        for match in _ANCHOR.finditer(line):
            name = match.group("name")
            if f"*{name}" in text:
                continue
            yield index, name, quote_fix(line) or "quote the value"


def misplaced_items(source: SourceDoc) -> Mapping[Location, str]:
    """Text items in a list of mappings, just after a mapping whose last value is a list.

    ```
    steps:
      - title: Publish
        checklist:
          - Links checked
      - Social posts scheduled     # meant for checklist, read as a step
    ```
    Location of the item -> a hint naming the list it probably belongs to.
    """
    found: dict[Location, str] = {}

    def visit(value: Any, path: tuple[PathPart, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                before = value[index - 1] if index else None
                if isinstance(item, str) and isinstance(before, dict) and before:
                    last_key = list(before)[-1]
                    inner = before[last_key]
                    if isinstance(inner, list) and inner:
                        where = source.positions.get((*path, index))
                        key_at = source.positions.get((*path, index - 1, last_key))
                        first = source.positions.get((*path, index - 1, last_key, 0))
                        # Only a block list (items on their own lines, deeper than the stray
                        # item) could have been meant: `answer: [Editor]` could not.
                        if (
                            where is not None
                            and key_at is not None
                            and first is not None
                            and first.line > key_at.line
                            and first.column > where.column
                        ):
                            # `first` is where the item's text starts, after `- `.
                            fixed = " " * max(first.column - 3, 0) + f"- {item}"
                            found[where] = (
                                f"did this item belong to `{last_key}` above? "
                                f"indent it like its items: `{fixed}`"
                            )
                visit(item, (*path, index))

    visit(source.data, ())
    return found
