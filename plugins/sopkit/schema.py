"""The JSON Schema of the format, and its errors as findings on the offending key's line."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from sopkit.model import GITHUB_HANDLE, Diagnostic, PathPart, SourceDoc
from sopkit.yaml_hints import bool_word_hint

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true/false",
    "null": "empty",
}


@cache
def schema_document() -> dict[str, Any]:
    """The shipped schema.json, as parsed JSON."""
    text = resources.files("sopkit").joinpath("schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema_for(kind: str) -> dict[str, Any]:
    """A standalone schema for one kind of file: sop, roles, tools or onboarding."""
    document = schema_document()
    if kind == "sop":
        return document
    return {
        "$schema": document["$schema"],
        "$id": f"{document['$id']}:{kind}",
        "title": document["$defs"][kind].get("title", kind),
        "$ref": f"#/$defs/{kind}",
        "$defs": document["$defs"],
    }


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(
        schema_for(kind), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


_ANNOTATIONS = frozenset(["title", "description", "examples", "default", "$comment"])


def _inlined(node: Any, defs: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local `$ref` replaced by the schema it names: the same constraints."""
    if isinstance(node, list):
        return [_inlined(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inlined(v, defs, seen) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix("#/$defs/")
        if name in seen or name not in defs:
            raise ValueError(f"cannot inline $ref {ref}")
        target = _inlined(defs[name], defs, (*seen, name))
        # Annotations beside a $ref add no constraint; anything else stays a separate schema.
        merge = set(out) <= _ANNOTATIONS and isinstance(target, dict)
        out = {**target, **out} if merge else {"allOf": [target], **out}
    return out


@cache
def _quick_validator(kind: str) -> Draft202012Validator | None:
    """A validator of the same schema without references, about 2.5x faster on a valid file.

    jsonschema looks every `$ref` up on every use; a handbook of 2,000 SOPs makes some 300,000
    lookups. The inlined schema accepts exactly what the original accepts, so a file it finds
    valid has no findings, and only a file with problems pays for the detailed pass.
    """
    schema = schema_for(kind)
    try:
        inlined = _inlined(schema, schema["$defs"])
    except ValueError:  # a recursive or non-local reference: keep the original only
        return None
    return Draft202012Validator(inlined, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_findings(source: SourceDoc) -> Iterator[Diagnostic]:
    """Validate one parsed file against its schema and name the line of every problem."""
    if source.data is None:
        yield Diagnostic(
            "missing-field",
            "error",
            source.start,
            f"{'the front matter' if source.kind == 'sop' else source.file} is empty",
            "an SOP needs at least title, objective, phase, owner and steps"
            if source.kind == "sop"
            else None,
        )
        return
    quick = _quick_validator(source.kind)
    if quick is not None and quick.is_valid(source.data):
        return
    seen: set[Diagnostic] = set()
    for error in _validator(source.kind).iter_errors(source.data):
        for finding in _findings(source, error):
            # jsonschema reports `required` once per missing key, each naming the whole list.
            if finding not in seen:
                seen.add(finding)
                yield finding


def _findings(source: SourceDoc, error: jsonschema.ValidationError) -> Iterator[Diagnostic]:
    path: tuple[PathPart, ...] = tuple(error.absolute_path)
    where = source.locate(*path)
    field = _field(path)
    value: Any = error.instance
    kind = error.validator
    rule_value: Any = error.validator_value
    rule_schema: dict[str, Any] = dict(error.schema) if isinstance(error.schema, Mapping) else {}
    if "propertyNames" in error.absolute_schema_path:
        yield Diagnostic(
            "invalid-value",
            "error",
            source.locate(*path, value),
            f'"{value}" is not a valid id: use lowercase letters, digits and single hyphens',
            _slug_hint(value),
        )
    elif kind == "required":
        present = set(value) if isinstance(value, dict) else set()
        for name in rule_value:
            if name in present:
                continue
            owner = f" in {field}" if field else ""
            yield Diagnostic(
                "missing-field",
                "error",
                where,
                f"`{name}` is required{owner} but missing",
                _example(rule_schema, name),
            )
    elif kind == "additionalProperties" and error.validator_value is False:
        known = list(rule_schema.get("properties", {}))
        # Where the format keeps the team's own `x-` keys (format 1.2), the hint says so.
        own = "^x-" in rule_schema.get("patternProperties", {})
        for name in value:
            if name in known or (own and name.startswith("x-")):
                continue
            hint = _did_you_mean(name, known)
            if hint is None:
                hint = f"known keys: {', '.join(known)}"
                if own:
                    own_name = "x-" + re.sub(r"^[xX][-_]", "", name)
                    hint += f"; to keep a field of the team's own, start it with x- ({own_name})"
            yield Diagnostic(
                "unknown-field",
                "warning",
                source.locate(*path, name),
                f"unknown key `{name}`{' in ' + field if field else ''}: the format does not "
                "know it, so it is not shown",
                hint,
            )
    elif kind == "type":
        expected = rule_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        yield Diagnostic(
            "wrong-type",
            "error",
            where,
            f"expected {wanted} for `{field or 'the file'}` but received {_describe(value)}",
            _bool_word_hint(source, path, value) or _type_hint(path, value),
        )
    elif kind == "enum":
        options = [str(option) for option in rule_value]
        yield Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}; expected one of: {', '.join(options)}",
            _did_you_mean(str(value), options),
        )
    elif kind == "pattern":
        yield _pattern_finding(error, where, field, value)
    elif kind == "format":
        yield Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}, which is not a real date",
            "write the date as YYYY-MM-DD, e.g. 2026-09-15",
        )
    elif kind in ("minItems", "maxItems") and isinstance(value, list) and value:
        count = len(value)
        bound = "at least" if kind == "minItems" else "at most"
        yield Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` has {count} item{'s' if count != 1 else ''}; expected {bound} {rule_value}",
            _items_hint(path),
        )
    elif kind == "uniqueItems" and isinstance(value, list):
        repeated = _first_repeat(value)
        yield Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` repeats {_describe(repeated)}: each item must be different",
            _items_hint(path) or "delete the repeated item",
        )
    elif kind in ("minItems", "minLength"):
        yield Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is empty",
            "at least one step is required" if field == "steps" else _items_hint(path),
        )
    else:
        yield Diagnostic("invalid-value", "error", where, f"`{field}`: {error.message}")


def _pattern_finding(
    error: jsonschema.ValidationError, where: Any, field: str, value: Any
) -> Diagnostic:
    pattern = str(error.validator_value)
    if "(m|h|d|w)" in pattern:
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}, which is not a duration",
            "a number and a unit: 30m, 4h, 2d (8 h) or 1w (5 d)",
        )
    if "(d|w|mo|y)" in pattern:
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}, which is not a review interval",
            "a number and a unit: 90d, 12w, 6mo or 1y",
        )
    if pattern == "\\S":
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is blank: a tag needs some text",
            "remove it, or write the tag, e.g. Q&A",
        )
    if pattern == GITHUB_HANDLE:
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}, which is not a GitHub user or team: expected "
            "@name or @org/team",
            _github_hint(value),
        )
    if pattern.startswith("^https?") and "links" in error.absolute_path:
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}; a link must start with http:// or https://",
            "e.g. url: https://forms.example.com/loss",
        )
    if pattern.startswith("^https?"):
        what = "a task's URL" if ".tasks[" in field else "a tool URL"
        return Diagnostic(
            "invalid-value",
            "error",
            where,
            f"`{field}` is {_describe(value)}; {what} must start with http:// or https://",
            "e.g. url: https://example.com",
        )
    return Diagnostic(
        "invalid-value",
        "error",
        where,
        f"`{field}` is {_describe(value)}, which is not a valid id: use lowercase letters, "
        "digits and single hyphens",
        _slug_hint(value),
    )


def _github_hint(value: Any) -> str:
    """The handle in a URL or without its `@`, quoted as YAML needs (`@` cannot start a value)."""
    text = str(value).strip()
    text = re.sub(r"^(https?://)?(www\.)?github\.com/", "", text).strip("/")
    text = re.sub(r"^(orgs/([^/]+)/teams/)", r"\2/", text)
    handle = "@" + text.lstrip("@")
    if text and re.fullmatch(GITHUB_HANDLE, handle):
        return f'did you mean `github: "{handle}"`?'
    return 'e.g. github: "@maria-lopez" or github: "@acme/content-team" (quoted)'


def _items_hint(path: tuple[PathPart, ...]) -> str | None:
    if path and path[-1] == "choices":
        return "give 2 to 6 different choices, e.g. choices: [Content lead, Marketing manager]"
    if path and path[-1] == "branches":
        return (
            "a decision has a branch for each answer, e.g. branches: "
            "[{when: Approved, to: publish}, {when: Changes needed, to: rework}]"
        )
    return None


def _first_repeat(items: list[Any]) -> Any:
    seen: list[Any] = []
    for item in items:
        # JSON equality, as uniqueItems has it: 1 and true differ, 1 and 1.0 do not.
        if any(
            item == other and isinstance(item, bool) == isinstance(other, bool) for other in seen
        ):
            return item
        seen.append(item)
    return None


def _field(path: tuple[PathPart, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if value is None:
        return "nothing"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _bool_word_hint(source: SourceDoc, path: tuple[PathPart, ...], value: Any) -> str | None:
    """`when: Yes` -> YAML reads `Yes` as true: quote it."""
    word = source.bool_words.get(path)
    if word is None or not isinstance(value, bool) or not path or not isinstance(path[-1], str):
        return None
    return bool_word_hint(path[-1], word, value)


def _type_hint(path: tuple[PathPart, ...], value: Any) -> str | None:
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    if name == "duration" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"add a unit: {value}d (working days) or {value}h (hours)"
    if name == "tags":
        return 'write one tag, or a list such as [Content, SEO, Q&A] (quote numbers: "2026")'
    if path[-2:-1] == ("tasks",) and isinstance(value, str):
        return f'write a task as a mapping: {{task: "{value}"}}'
    if name == "allow":
        return "write one rule name, or a list such as [no-approval, no-kpis]"
    if name in ("R", "C", "I", "A", "tools", "requires", "next", "after"):
        return "write one id, or a list such as [content-lead, editor]"
    if name == "reviewed":
        return "write the date as YYYY-MM-DD"
    if isinstance(value, bool):
        return 'quote words such as yes, no, on and off: "yes"'
    return None


def _slug_hint(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    from sopkit.load import slugify

    slug = slugify(value)
    return f"did you mean `{slug}`?" if slug and slug != value else None


def _did_you_mean(name: str, options: list[str]) -> str | None:
    folded = {option.casefold(): option for option in options}
    if name.casefold() in folded:
        return f"did you mean `{folded[name.casefold()]}`?"
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def _example(schema: dict[str, Any], name: str) -> str | None:
    prop = schema.get("properties", {}).get(name, {})
    examples = prop.get("examples")
    if examples:
        return f"e.g. {name}: {examples[0]}"
    description = prop.get("description")
    return f"{name}: {description}" if description else None
