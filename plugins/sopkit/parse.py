"""Text -> data with positions: UTF-8 decoding, front matter, safe YAML, Markdown headings.

Nothing here raises for bad content: every problem becomes a `Diagnostic` naming file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt

from sopkit.model import Diagnostic, Heading, Location, PathPart, SourceDoc
from sopkit.yaml_compose import compose_yaml
from sopkit.yaml_hints import (
    merged_items,
    quote_fix,
    stray_anchors,
    syntax_hint,
    unclosed_flow_hint,
)

BOM = "\ufeff"
# A YAML alias can make a few lines expand into millions of values ("billion laughs").
MAX_NODES = 200_000
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (with or without BOM) to text with LF line ends."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic(
                "yaml-syntax",
                "error",
                Location(file, line, column),
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                "save the file as UTF-8",
            )
        ]
    text = text.removeprefix(BOM)
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between the opening and closing `---`, and the Markdown body after it."""

    yaml_text: str | None
    yaml_first_line: int
    body: str
    body_first_line: int
    closed: bool


def split_front_matter(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, 1, text, 1, closed=False)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return FrontMatter(
                "\n".join(lines[1:index]) + "\n",
                2,
                "\n".join(lines[index + 1 :]),
                index + 2,
                closed=True,
            )
    return FrontMatter("\n".join(lines[1:]) + "\n", 2, "", len(lines) + 1, closed=False)


class _Converter:
    """Turns a composed YAML node tree into plain data while recording key positions."""

    def __init__(self, file: str, first_line: int, lines: list[str] | None = None) -> None:
        self.file = file
        self.lines = lines or []
        self.offset = first_line - 1
        self.positions: dict[tuple[PathPart, ...], Location] = {}
        self.findings: list[Diagnostic] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.active: set[int] = set()
        self.bool_words: dict[tuple[PathPart, ...], str] = {}

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1 + self.offset, mark.column + 1)

    def error(self, rule: str, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.findings.append(Diagnostic(rule, "error", self.where(node), message, hint))

    def convert(self, node: yaml.Node, path: tuple[PathPart, ...]) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if node.tag not in _SAFE_TAGS:
            self.error(
                "yaml-syntax",
                node,
                f"the tag `{node.tag.replace('tag:yaml.org,2002:', '!!')}` is not allowed: "
                "sopkit reads plain YAML only and never constructs objects",
                self._tag_hint(node),
            )
            node = _untagged(node)
        if id(node) in self.active:
            self.error("yaml-syntax", node, "an alias refers to a value that contains it")
            return None
        if isinstance(node, yaml.MappingNode):
            self.active.add(id(node))
            try:
                return self.mapping(node, path)
            finally:
                self.active.discard(id(node))
        if isinstance(node, yaml.SequenceNode):
            self.active.add(id(node))
            try:
                items = []
                for index, item in enumerate(node.value):
                    self.positions.setdefault((*path, index), self.where(item))
                    items.append(self.convert(item, (*path, index)))
                return items
            finally:
                self.active.discard(id(node))
        value = self.scalar(node)
        if isinstance(value, bool) and str(node.value).lower() not in ("true", "false"):
            self.bool_words[path] = str(node.value)
        return value

    def _tag_hint(self, node: yaml.Node) -> str:
        line = node.start_mark.line
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag.startswith("!")
            and line < len(self.lines)
        ):
            fix = quote_fix(self.lines[line])
            if fix:
                return f"a value that starts with `!` must be quoted; {fix}"
        return "remove the tag"

    def _merged(self, node: yaml.Node) -> None:
        """A plain value over several lines whose later line looks like an item of its own."""
        start, end = node.start_mark.line, node.end_mark.line
        for index, hint in merged_items(start, end, self.lines):
            text = self.lines[index].strip()
            self.findings.append(
                Diagnostic(
                    "yaml-syntax",
                    "error",
                    Location(
                        self.file, index + 1 + self.offset, _column_of_text(self.lines[index])
                    ),
                    f"`{text}` is indented deeper than the item above, so YAML reads it as "
                    f'part of that item: "{" ".join(str(node.value).split())}"',
                    hint,
                )
            )

    def scalar(self, node: yaml.Node) -> Any:
        if (
            isinstance(node, yaml.ScalarNode)
            and not node.style  # plain (libyaml's events say "", PyYAML's None)
            and node.end_mark.line > node.start_mark.line
        ):
            self._merged(node)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            if node.tag.startswith("tag:yaml.org,2002:") and node.tag[18:] in (
                "timestamp",
                "int",
                "float",
            ):
                # An impossible date such as 2026-13-45: keep the text; the schema reports it.
                return str(node.value)
            self.error(
                "yaml-syntax",
                node,
                f"cannot read this value: {getattr(exc, 'problem', None) or exc}",
                "quote the value to keep it as text",
            )
            return str(node.value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return value

    def mapping(self, node: yaml.MappingNode, path: tuple[PathPart, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        self.constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(
                    "wrong-type", key_node, "a key must be plain text, not a list or mapping"
                )
                continue
            key = str(key_node.value)
            if key in first_seen:
                first = self.where(first_seen[key]).line
                self.error(
                    "duplicate-key",
                    key_node,
                    f"the key `{key}` is written twice (first at line {first}); "
                    "the later value is ignored",
                    "keep one of the two and delete the other",
                )
                continue
            first_seen[key] = key_node
            self.positions[(*path, key)] = self.where(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return result


def _column_of_text(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) + 1


class _TooLarge(Exception):
    pass


_SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "seq",
        "map",
        "binary",
        "merge",
    )
)


def _untagged(node: yaml.Node) -> yaml.Node:
    """The same node read as a plain string, list or mapping."""
    if isinstance(node, yaml.MappingNode):
        return yaml.MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark, node.end_mark)
    if isinstance(node, yaml.SequenceNode):
        return yaml.SequenceNode(
            "tag:yaml.org,2002:seq", node.value, node.start_mark, node.end_mark
        )
    return yaml.ScalarNode("tag:yaml.org,2002:str", node.value, node.start_mark, node.end_mark)


def parse_yaml(
    text: str, file: str, first_line: int, kind: Any
) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Safe YAML with positions. Returns no document when the text cannot be read at all."""
    start = Location(file, max(first_line - 1, 1), 1)
    try:
        node = compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "<stream end>" in (exc.problem or ""):
            # "expected ']' but got the end": where the unclosed thing opened is what helps.
            mark = exc.context_mark
        lines = text.split("\n")
        hint = None
        if exc.context_mark is not None and exc.context:
            hint = unclosed_flow_hint(exc.context, lines, exc.context_mark.line, first_line)
            if hint:
                # The list that was never closed is the mistake, not where YAML noticed it.
                mark = exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        column = (mark.column + 1) if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").replace(
            "'<stream end>'", "the end of the YAML"
        )
        context = ""
        if exc.context and exc.problem:
            started = exc.context_mark
            at = (
                f" that starts at line {started.line + first_line}"
                if started and mark and started.line != mark.line
                else ""
            )
            context = f" ({exc.context}{at})"
        return None, [
            Diagnostic(
                "yaml-syntax",
                "error",
                Location(file, line, column),
                f"invalid YAML: {problem}{context}",
                hint
                or syntax_hint(problem, lines, line - first_line, first_line)
                or _yaml_hint(problem),
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Diagnostic("yaml-syntax", "error", start, f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Diagnostic("yaml-syntax", "error", start, "the YAML is nested too deeply")]
    if node is None:
        return SourceDoc(file, kind, None, {}, start), []
    lines = text.split("\n")
    converter = _Converter(file, first_line, lines)
    try:
        data = converter.convert(node, ())
    except _TooLarge:
        return None, [
            Diagnostic(
                "yaml-syntax",
                "error",
                start,
                f"the YAML expands to more than {MAX_NODES:,} values (aliases repeated too often)",
            )
        ]
    except RecursionError:
        return None, [Diagnostic("yaml-syntax", "error", start, "the YAML is nested too deeply")]
    findings = converter.findings
    for index, name, hint in stray_anchors(lines):
        findings.append(
            Diagnostic(
                "yaml-syntax",
                "error",
                Location(file, index + first_line, lines[index].find("&" + name) + 1),
                f"`&{name}` is read as a YAML anchor and left out of the value",
                f"a value that starts with `&` must be quoted; {hint}",
            )
        )
    return SourceDoc(file, kind, data, converter.positions, start, converter.bool_words), findings


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return 'quote a value that contains ": ", e.g. target: "CTR: 4%"'
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return None


_MD = MarkdownIt("commonmark")


@dataclass(frozen=True)
class BodySection:
    """A heading and the Markdown lines under it (to the next heading)."""

    heading: Heading
    text: str


STEPS_HEADINGS: tuple[str, ...] = ("Steps",)
"""The level-2 headings that open the step sections (compared case-insensitively).

The one list of accepted spellings: `split_body` and the checker's near-miss rule
(`steps-heading`) both take it as a parameter, so a handbook in another language can pass its own.
"""


def is_steps_heading(heading: Heading, accepted: tuple[str, ...] = STEPS_HEADINGS) -> bool:
    folded = {text.casefold() for text in accepted}
    return heading.level == 2 and heading.plain.casefold() in folded


@dataclass(frozen=True)
class Body:
    """An SOP body cut at `## Steps`: prose before it, step sections, and prose after it."""

    intro: str
    steps_intro: str
    step_sections: tuple[BodySection, ...]
    outro: str
    headings: tuple[Heading, ...] = ()
    """Every heading of the body (not those in code), in order."""
    steps_heading: Heading | None = None


def split_body(
    body: str, first_line: int, steps_headings: tuple[str, ...] = STEPS_HEADINGS
) -> Body:
    """Find `## Steps` and the headings under it; code fences are never mistaken for headings."""
    lines = body.split("\n")
    found: list[tuple[int, Heading]] = []  # (body line index, heading)
    tokens = _MD.parse(body)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            inline = tokens[index + 1]
            raw = " ".join(inline.content.split())
            line = token.map[0]
            found.append((line, Heading(raw, int(token.tag[1]), line + first_line, _plain(inline))))
    headings = tuple(heading for _, heading in found)
    steps_at = next(
        (i for i, (_, heading) in enumerate(found) if is_steps_heading(heading, steps_headings)),
        None,
    )
    if steps_at is None:
        return Body(body.strip("\n"), "", (), "", headings)
    steps_line = found[steps_at][0]
    end_at = next(
        (i for i in range(steps_at + 1, len(found)) if found[i][1].level <= 2), len(found)
    )
    end_line = found[end_at][0] if end_at < len(found) else len(lines)
    inner = found[steps_at + 1 : end_at]
    first_inner = inner[0][0] if inner else end_line
    sections = []
    for position, (line, heading) in enumerate(inner):
        stop = inner[position + 1][0] if position + 1 < len(inner) else end_line
        sections.append(BodySection(heading, "\n".join(lines[line + 1 : stop]).strip("\n")))
    return Body(
        intro="\n".join(lines[:steps_line]).strip("\n"),
        steps_intro="\n".join(lines[steps_line + 1 : first_inner]).strip("\n"),
        step_sections=tuple(sections),
        outro="\n".join(lines[end_line:]).strip("\n"),
        headings=headings,
        steps_heading=found[steps_at][1],
    )


def _plain(inline: Any) -> str:
    children = inline.children or []
    parts = [child.content for child in children if child.type in ("text", "code_inline")]
    text = "".join(parts) if parts else inline.content
    return " ".join(text.split())
