"""YAML text -> node tree, with libyaml's speed where it reads YAML exactly as PyYAML does.

PyYAML's pure-Python scanner and parser are most of the time `load` spends on a handbook. When
PyYAML was built with libyaml, plain front matter is scanned and parsed in C and composed by
PyYAML's own Python composer and resolver: the same nodes, tags and line/column marks as the
pure-Python loader, and deep nesting stays a `RecursionError` (libyaml's C composer would crash).

libyaml and PyYAML disagree on the edges of YAML: tags, anchors and aliases, complex keys, merge
keys, directives and document markers, tabs, byte-order marks and other special characters, a
comment glued to a block scalar header. A text with any of these, and any text libyaml rejects,
goes to the pure-Python loader, so every finding keeps its wording and its line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

_PYTHON_ONLY = re.compile(
    # Anything but newlines, printable ASCII and printable non-ASCII (no NEL, LS, PS, BOM).
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|[!&*?]|<<"  # tags, anchors, aliases, complex keys (flow `?` too), merge keys
    r"|^(?:%|---|\.\.\.)"  # directives, document markers
    r"|[|>][0-9+-]*#",  # `>#`: libyaml takes a comment where PyYAML wants a space first
    re.MULTILINE,
)


def _libyaml_events() -> type[Any] | None:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class LibyamlEvents(Composer, CParser, Resolver):
        """libyaml's events under PyYAML's composer (first in the MRO) and resolver."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

    return LibyamlEvents


_LIBYAML_EVENTS = _libyaml_events()


def compose_yaml(text: str) -> yaml.Node | None:
    """`yaml.compose(text, Loader=yaml.SafeLoader)`, faster; raises what that raises.

    Lines are counted as editors count them, by `\n` (see `editor_lines`)."""
    if _LIBYAML_EVENTS is not None and not _PYTHON_ONLY.search(text):
        try:
            return yaml.compose(text, Loader=_LIBYAML_EVENTS)
        except (yaml.YAMLError, RecursionError):
            pass  # the pure-Python loader words the problem, and places it, as it always has
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        editor_lines(text, [error.problem_mark, error.context_mark])
        raise
    if node is not None and _OTHER_BREAKS.search(text):
        editor_lines(text, _marks(node))
    return node


_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
"""Characters PyYAML's marks count as line breaks (NEL, LS, PS) and editors do not."""


def editor_lines(text: str, marks: list[yaml.Mark | None]) -> None:
    """Each mark's line and column as counted by `\n`, from its index in `text`, when the text
    has a character PyYAML counts as a line break besides `\n` (findings name editors' lines)."""
    if not _OTHER_BREAKS.search(text):
        return
    for mark in marks:
        if mark is not None and 0 <= mark.index <= len(text):
            mark.line = text.count("\n", 0, mark.index)
            mark.column = mark.index - (text.rfind("\n", 0, mark.index) + 1)


def _marks(root: yaml.Node) -> list[yaml.Mark | None]:
    """The start and end marks of every node of the tree (iteratively: trees may be deep)."""
    marks: list[yaml.Mark | None] = []
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        marks += [node.start_mark, node.end_mark]
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return list({id(mark): mark for mark in marks}.values())
