"""The words sopkit puts on pages, in the site's language: one message catalogue per language.

The catalogues are `messages/<language>.yml` in the package: a flat mapping of keys to messages.
A message is text with `{name}` placeholders, or a mapping of plural forms (`one`, `other`,
and any other CLDR category a language needs) chosen by the count `n`. English is complete and
the fallback: a language without a catalogue, or a key a catalogue lacks, reads English.
A site replaces any message with the plugin option `labels:`.

Dates and numbers on pages are formatted for the language by Babel; ISO dates stay in data
attributes and exports. The checker's messages are not here: they stay English.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from sopkit.render import escape
from sopkit.units import HOURS_PER_DAY, INTERVAL

FALLBACK = "en"
LANGUAGES = ("en", "de", "fr", "es")
"""The languages sopkit ships complete catalogues for."""

Message = str | Mapping[str, str]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class LabelError(ValueError):
    """A `labels:` option that names no message or uses a placeholder the message lacks."""


@cache
def catalogue(language: str) -> Mapping[str, Message]:
    """The shipped messages of one language ({} for a language sopkit has no catalogue of)."""
    if language not in LANGUAGES:
        return {}
    text = resources.files("sopkit").joinpath("messages", f"{language}.yml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    return dict(loaded) if isinstance(loaded, dict) else {}


def base_language(language: str | None) -> str:
    """`de` of `de`, `de_CH` or `de-AT`; English when the site names none."""
    return (language or FALLBACK).replace("-", "_").split("_")[0].lower() or FALLBACK


def placeholders(message: Message) -> set[str]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for name in _PLACEHOLDER.findall(str(form))}


def check_overrides(overrides: Mapping[str, Any]) -> list[str]:
    """What is wrong with a `labels:` option, one sentence per problem ([] when all is well)."""
    english = catalogue(FALLBACK)
    problems = []
    for key, value in overrides.items():
        if key not in english:
            close = difflib.get_close_matches(str(key), list(english), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(f"labels: {key!r} is not a label sopkit shows{hint}")
            continue
        plural = not isinstance(english[key], str)
        if isinstance(value, Mapping) and plural:
            if not value or not all(isinstance(v, str) for v in value.values()):
                problems.append(f"labels: {key}: expected text for each plural form")
                continue
        elif not isinstance(value, str):
            shape = "text, or a mapping of plural forms (one, other)" if plural else "text"
            problems.append(f"labels: {key}: expected {shape}, but received {value!r}")
            continue
        extra = placeholders(value) - placeholders(english[key])
        if extra:
            known = ", ".join(f"{{{name}}}" for name in sorted(placeholders(english[key])))
            problems.append(
                f"labels: {key}: unknown placeholder "
                + ", ".join(f"{{{name}}}" for name in sorted(extra))
                + (f" (this label knows {known})" if known else " (this label takes none)")
            )
    return problems


def _edges_kept(escape_text: Callable[[str], str]) -> Callable[[str], str]:
    """`escape_text` that keeps a piece's outer spaces (Markdown escaping folds them away)."""

    def escaped(text: str) -> str:
        core = text.strip()
        if not core:
            return " " if text else ""
        return (
            (" " if text[0].isspace() else "")
            + escape_text(core)
            + (" " if text[-1].isspace() else "")
        )

    return escaped


@cache
def _pieces(message: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """`message` cut at its placeholders: the texts around them (one more than there are
    placeholders), and each placeholder's name and its own text (`{name}`)."""
    texts: list[str] = []
    names: list[tuple[str, str]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(message):
        texts.append(message[at : match.start()])
        names.append((match.group(1), match.group(0)))
        at = match.end()
    texts.append(message[at:])
    return tuple(texts), tuple(names)


@cache
def _escaped_pieces(message: str, escape_text: Callable[[str], str]) -> tuple[str, ...]:
    """The texts around `message`'s placeholders, each through `escape_text` (outer spaces kept)."""
    kept = _edges_kept(escape_text)
    return tuple(kept(text) for text in _pieces(message)[0])


def _fill(
    message: str, values: Mapping[str, Any], escape_text: Callable[[str], str] | None = None
) -> str:
    """`message` with `{name}` replaced; text between placeholders passes `escape_text`."""
    texts, names = _pieces(message)
    if not names and escape_text is None:
        return message
    if escape_text is not None:
        texts = _escaped_pieces(message, escape_text)
        kept = _edges_kept(escape_text)
    out = [texts[0]]
    for (name, own), text in zip(names, texts[1:], strict=True):
        value = values.get(name, own)
        if escape_text is not None and not isinstance(value, Markup):
            value = kept(str(value))
        out.append(str(value))
        out.append(text)
    return "".join(out)


@dataclass(frozen=True)
class Labels:
    """The messages of one site: its language's catalogue, English below, its overrides above.

    `t("key", name=value)` gives plain text (templates escape it on output);
    `t.html(...)` and `t.md(...)` escape the message for raw HTML or Markdown and keep values
    that are already markup (links made by macros) as they are.
    """

    language: str = FALLBACK
    """The site's `theme.language` (`de`, `pt_BR`, ...): the locale of dates and numbers."""
    overrides: Mapping[str, Message] = field(default_factory=dict)

    @cached_property
    def _messages(self) -> Mapping[str, Message]:
        """Every message of the site: English, then its language's, then its overrides."""
        return {
            **catalogue(FALLBACK),
            **catalogue(base_language(self.language)),
            **self.overrides,
        }

    def message(self, key: str, n: float | None = None) -> str:
        found = self._messages[key]
        if isinstance(found, str):
            return found
        form = self._plural_form(n if n is not None else 0)
        return str(found.get(form, found.get("other", next(iter(found.values()), ""))))

    def known(self, key: str) -> str | None:
        """The message of `key` when sopkit has one (phase names of the default lifecycle)."""
        return self.message(key) if key in catalogue(FALLBACK) else None

    def phase(self, phase: str) -> str:
        """A phase as pages show it: the language's word for a phase of the default lifecycle,
        else the id with a capital letter."""
        if not phase:
            return self("common.no_phase")
        return self.known(f"phase.{phase}") or phase[:1].upper() + phase[1:]

    def __call__(self, key: str, /, n: float | None = None, **values: Any) -> str:
        if n is not None:
            values = {"n": self.number(n), **values}
        return _fill(self.message(key, n), values)

    def html(self, key: str, /, n: float | None = None, **values: Any) -> Markup:
        """The message as raw HTML inside Markdown: values that are `Markup` stay as they are."""
        if n is not None:
            values = {"n": self.number(n), **values}
        return Markup(_fill(self.message(key, n), values, escape.md_html_text))

    def md(self, key: str, /, n: float | None = None, **values: Any) -> Markup:
        """The message as Markdown text: values that are `Markup` stay as they are."""
        if n is not None:
            values = {"n": self.number(n), **values}
        return Markup(_fill(self.message(key, n), values, escape.md_text))

    def date(self, day: dt.date | None) -> str:
        """A date as the language writes it (`30.11.2026`, `Nov 30, 2026`)."""
        if day is None:
            return ""
        return str(format_date(day, format="medium", locale=self._locale()))

    def time(self, day: dt.date) -> Markup:
        """A `<time>` element: the date as the language writes it, ISO in `datetime`."""
        return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), self.date(day))

    def number(self, value: float) -> str:
        """`1.5` or `1,5`, `1,000` or `1.000`, as the language writes numbers."""
        return _number(self.language, value)

    def duration(self, hours: float) -> str:
        """Working time in short units: `45m`, `6h`, `2.5d` (`2,5 AT` in German)."""
        if hours <= 0:
            return self("unit.hours", n=0)
        if hours < 1:
            return self("unit.minutes", n=round(hours * 60))
        if hours < HOURS_PER_DAY:
            return self("unit.hours", n=round(hours, 1))
        return self("unit.days", n=round(hours / HOURS_PER_DAY, 1))

    def interval(self, text: str) -> str:
        """A review interval in words: `6mo` is `6 months`; text that is no interval stays."""
        match = INTERVAL.match(text.strip())
        if not match:
            return text
        key = _INTERVAL_KEYS[match.group(2)]
        return self(key, n=int(match.group(1)))

    def _locale(self) -> Locale:
        return _locale(self.language)

    def _plural_form(self, n: float) -> str:
        return _plural_form(self.language, n)

    def script_messages(self, keys: tuple[str, ...]) -> dict[str, str | dict[str, str]]:
        """The messages the site's scripts show (`SCRIPT_KEYS`), as the page's JSON island
        carries them: text, or the plural forms the script picks with `Intl.PluralRules`."""
        out: dict[str, str | dict[str, str]] = {}
        for key in keys:
            found = self._messages[key]
            out[key] = found if isinstance(found, str) else {k: str(v) for k, v in found.items()}
        return out


_INTERVAL_KEYS = {
    "d": "interval.days",
    "w": "interval.weeks",
    "mo": "interval.months",
    "y": "interval.years",
}


@cache
def _number(language: str, value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(format_decimal(int(value), locale=_locale(language)))
    return str(format_decimal(value, format="#,##0.##", locale=_locale(language)))


@cache
def _plural_form(language: str, n: float) -> str:
    return str(_locale(language).plural_form(abs(n)))


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(base_language(language))
        except (UnknownLocaleError, ValueError):
            return Locale.parse(FALLBACK)


def site_labels(language: str | None, overrides: Mapping[str, Any] | None = None) -> Labels:
    """The labels of a site; raises `LabelError` with every problem of `overrides`."""
    overrides = dict(overrides or {})
    problems = check_overrides(overrides)
    if problems:
        raise LabelError("\n".join(problems))
    return Labels(language or FALLBACK, overrides)


SCRIPT_KEYS = (
    "review.never",
    "review.reviewed",
    "review.overdue",
    "review.due_soon",
    "review.next",
    "review.overdue_since",
    "review.due",
    "review.ok_until",
    "review.days_today",
    "review.days_overdue",
    "review.days_left",
    "built.today",
    "built.ago",
    "interval.days",
    "interval.weeks",
    "interval.months",
    "interval.years",
)
"""The messages the site's scripts (overrides/assets) show on any page: every page carries them."""


@dataclass(frozen=True)
class ScriptWords:
    """Messages a script shows only on pages that hold what it works on."""

    marks: tuple[str, ...]
    """Text of a page's HTML (an attribute or class the script looks for): a page holding any
    of them carries `keys`."""
    keys: tuple[str, ...]


PAGE_SCRIPT_KEYS = (
    # sopkit.js names a box that scrolls sideways (tables, the timeline, diagrams, the matrix).
    ScriptWords(
        ("<table", "sopkit-timeline", "sopkit-diagram__scroll", "sopkit-matrix"),
        ("script.table", "script.table_named", "sop.timeline"),
    ),
    # sopkit.js: knowledge checks, and their states on onboarding paths and the index.
    ScriptWords(
        ("data-quiz",),
        (
            "quiz.right",
            "quiz.right_explained",
            "quiz.wrong",
            "quiz.all_right",
            "quiz.score",
            "quiz.score_retry",
            "quiz.cleared",
            "quiz.state_passed",
            "quiz.state_score",
            "quiz.state_untaken",
            "quiz.tally",
        ),
    ),
    # sopkit.js: the progress of an onboarding path and its tick boxes.
    ScriptWords(
        ("data-sopkit-progress",),
        (
            "onboarding.progress",
            "onboarding.quizzes_passed",
            "onboarding.done",
            "onboarding.done_item",
        ),
    ),
    # sopkit-run.js: due dates, progress and the downloads of a run page.
    ScriptWords(
        ("data-sopkit-run",),
        (
            "run.title",
            "run.takes",
            "run.progress",
            "run.due_day",
            "run.skipped",
            "run.due",
            "run.date",
            "run.dated",
            "run.work_begins",
            "run.steps_done",
            "run.skipped_count",
            "run.cleared",
            "run.md_sop",
            "run.md_start",
            "run.md_finish",
            "run.md_skipped",
            "run.md_due",
            "run.criterion",
            "run.on_critical",
            "run.critical",
            "run.critical_title",
            "lead.days",
            "common.not_set",
            "timeline.critical",
        ),
    ),
    # finder.js: the SOP finder's announcement of each change, its chosen counts, the
    # buttons that show more rows past the first page of matches, and the loading of the
    # other parts of a large handbook's table.
    ScriptWords(
        ("data-sopkit-finder",),
        (
            "finder.all",
            "finder.showing",
            "finder.none_of",
            "finder.titles_only",
            "finder.chosen",
            "finder.all_first",
            "finder.first",
            "finder.listed",
            "finder.more",
            "finder.last",
            "finder.show_all",
            "finder.part_loading",
            "finder.part_partial",
        ),
    ),
)
"""The messages scripts show on some pages only: a run page's island does not carry the
quiz's words, an SOP page's not the run's. (Material's instant navigation swaps the island in
the page head with the page; `sopkit-labels.js` reads the one in place.)"""


def script_keys(page: str | None = None) -> tuple[str, ...]:
    """The messages a page's island carries: `SCRIPT_KEYS`, and those of `PAGE_SCRIPT_KEYS`
    whose marks are in `page` (the page's HTML); all of them without a page."""
    keys = list(SCRIPT_KEYS)
    for words in PAGE_SCRIPT_KEYS:
        if page is None or any(mark in page for mark in words.marks):
            keys.extend(words.keys)
    return tuple(dict.fromkeys(keys))


ENGLISH = Labels()
"""The labels of a site that sets no language."""


def steps_headings(language: str | None, steps_heading: str | None = None) -> tuple[str, ...]:
    """The level-2 headings that open an SOP's steps: the option, the language's word, `Steps`.

    The first is the one the checker suggests.
    """
    own = catalogue(base_language(language)).get("steps.heading")
    english = str(catalogue(FALLBACK)["steps.heading"])
    found = [steps_heading, own if isinstance(own, str) else None, english]
    return tuple(dict.fromkeys(h.strip() for h in found if h and h.strip()))
