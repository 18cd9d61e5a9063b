"""Git history on the site: the history block of an SOP page and the what's-new page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from sopkit.history import ChangeSummary, FileChange, History
from sopkit.labels import ENGLISH, Labels
from sopkit.render.context import GeneratedPage
from sopkit.render.diff import MARKDOWN, change_summary
from sopkit.render.escape import html_text, md_html_text, md_text
from sopkit.render.links import relative

WHATS_NEW = "whats-new/index.md"
SOP_PAGE_CHANGES = 5
"""Changes listed on an SOP page (the newest first)."""
WHATS_NEW_LIMIT = 200
"""Entries on the what's-new page at most; the rest are counted."""


def _entry(change: FileChange) -> dict[str, Any]:
    return {
        "date": change.commit.day.isoformat(),
        "day": change.commit.day,
        "author": change.commit.author,
        "subject": change.commit.subject,
    }


def sop_history_view(history: History | None, sop_file: str) -> dict[str, Any] | None:
    """What the SOP page's history block shows; None when the site has no git history."""
    if history is None or not history.available:
        return None
    changes = history.of(sop_file)
    return {
        "changes": [_entry(change) for change in changes[:SOP_PAGE_CHANGES]],
        "more": max(0, len(changes) - SOP_PAGE_CHANGES),
        "partial": history.shallow,
    }


def _what_changed(summary: ChangeSummary, t: Labels) -> str:
    if summary.kind in ("added", "removed", "unreadable"):
        return t.md(f"news.{summary.kind}")
    if summary.diff is None:
        return t.md("news.changed")
    return change_summary(summary.diff, MARKDOWN, t)


def _title(summary: ChangeSummary, sop_files: frozenset[str]) -> str:
    current = summary.change.current
    title = f"**{md_text(summary.title)}**"
    if current is not None and current in sop_files and summary.kind != "removed":
        return f"[{title}]({relative(WHATS_NEW, current)})"
    return title


def whats_new_markdown(
    history: History,
    summaries: tuple[ChangeSummary, ...],
    unlisted: int,
    days: int,
    until: dt.date,
    sop_files: frozenset[str],
    t: Labels = ENGLISH,
) -> str:
    """The what's-new page: SOP changes of the last `days` days up to `until`, newest first,
    in `t`'s language. Each day's heading keeps its ISO date as anchor (`#2026-11-20`), so
    links to a day work in every language."""
    out = ["---", "render_macros: false", "---", "", f"# {t.md('news.title')}", ""]
    if not history.available:
        # git's own words, as it wrote them: code, not prose of the page.
        reason = Markup(f"<code>{md_html_text(history.reason)}</code>")
        out += [
            f'!!! note "{html_text(t("news.no_history_title"))}"',
            "",
            "    " + t.md("news.no_history", reason=reason),
            "",
        ]
        return "\n".join(out)
    since = until - dt.timedelta(days=days - 1)
    out += [t.md("news.intro", n=days, since=t.time(since), until=t.time(until)), ""]
    if history.shallow:
        out += [
            f'!!! warning "{html_text(t("news.partial_title"))}"',
            "",
            "    " + t.md("news.partial", fetch=Markup("`fetch-depth: 0`"), checkout=_CHECKOUT),
            "",
        ]
    if not summaries:
        out += [t.md("news.none", n=days), ""]
    day: str | None = None
    for summary in summaries:
        commit = summary.change.commit
        if commit.day.isoformat() != day:
            day = commit.day.isoformat()
            heading = md_text(t.date(commit.day))
            out += [*([""] if out[-1] else []), f"## {heading} {{ #{day} }}", ""]
        why = (
            t.md("news.by_why", author=commit.author, subject=commit.subject)
            if commit.subject
            else t.md("news.by", author=commit.author)
        )
        # A hard line break: who and why on a line of their own under what changed.
        out.append(f"- {_title(summary, sop_files)}: {_what_changed(summary, t)}.  ")
        out.append(f"  {why}")
    if unlisted:
        out += ["", t.md("news.unlisted", n=unlisted)]
    return "\n".join(out) + "\n"


_CHECKOUT = Markup("`actions/checkout`")


def whats_new_page(
    history: History,
    summaries: tuple[ChangeSummary, ...],
    unlisted: int,
    days: int,
    until: dt.date,
    sop_files: frozenset[str],
    t: Labels = ENGLISH,
) -> GeneratedPage:
    return GeneratedPage(
        whats_new_markdown(history, summaries, unlisted, days, until, sop_files, t)
    )
