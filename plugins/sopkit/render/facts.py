"""The facts of an SOP that say when it runs and the team's own `x-` fields (format 1.2), as
(label, HTML) rows for its page, its steps and its run page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sopkit.cadence import cadence_name
from sopkit.labels import ENGLISH, Labels
from sopkit.model import Sop
from sopkit.render.escape import md_html_text, url_attr


@dataclass(frozen=True)
class Fact:
    """One row of a facts table: `key` as written (`trigger`, `x-system-owner`), a label for
    people, and the value as HTML (escaped; an http(s) address is a link)."""

    key: str
    label: str
    html: str


def own_label(key: str) -> str:
    """`x-system-owner` -> `System owner`: the key without `x-`, words apart."""
    words = " ".join(re.split(r"[-_\s]+", key.removeprefix("x-"))).strip()
    return (words[:1].upper() + words[1:]) if words else key


def value_text(value: Any) -> str:
    """A YAML value as a reader reads it: lists joined by commas, mappings as `key: value`."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    return str(value)


def value_html(value: Any) -> str:
    """The value escaped for raw HTML in a Markdown page; an http(s) address becomes a link."""
    if isinstance(value, str) and (url := url_attr(value.strip())):
        return f'<a href="{md_html_text(url)}" rel="noopener">{md_html_text(value.strip())}</a>'
    return md_html_text(value_text(value))


def own_facts(fields: Mapping[str, Any]) -> list[Fact]:
    """The team's own `x-` fields, in written order."""
    return [Fact(key, own_label(key), value_html(value)) for key, value in fields.items()]


def cadence_label(cadence: str, t: Labels = ENGLISH) -> str:
    """A cadence in the site's language (`Weekly`); a value the checker rejects as written."""
    return t.known(f"cadence.{cadence}") or cadence_name(cadence)


def run_facts(sop: Sop, t: Labels = ENGLISH) -> list[Fact]:
    """What starts a run and how often it runs, when the SOP says."""
    facts = []
    if sop.trigger:
        facts.append(Fact("trigger", t("sop.trigger"), md_html_text(sop.trigger)))
    if sop.cadence:
        facts.append(Fact("cadence", t("sop.cadence"), md_html_text(cadence_label(sop.cadence, t))))
    return facts
