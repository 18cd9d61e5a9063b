"""Git history on the site: the history block of an SOP page and the what's-new page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sopkit.history import ChangeSummary, FileChange, History
from sopkit.render.context import GeneratedPage
from sopkit.render.diff import MARKDOWN, change_summary
from sopkit.render.escape import md_text
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


def _what_changed(summary: ChangeSummary) -> str:
    if summary.kind == "added":
        return "new SOP"
    if summary.kind == "removed":
        return "SOP removed"
    if summary.kind == "unreadable":
        return "this version cannot be read (the checker names the problem)"
    if summary.diff is None:
        return "changed"
    return change_summary(summary.diff, MARKDOWN)


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
) -> str:
    """The what's-new page: SOP changes of the last `days` days up to `until`, newest first."""
    out = ["---", "render_macros: false", "---", "", "# What's new", ""]
    if not history.available:
        out += [
            '!!! note "No history"',
            "",
            f"    This site was built without git history ({md_text(history.reason)}), so it "
            "cannot list what changed.",
            "",
        ]
        return "\n".join(out)
    since = until - dt.timedelta(days=days - 1)
    out += [
        f"Changes to SOPs from {since.isoformat()} to {until.isoformat()} ({days} days), newest "
        "first, with what each did to the process. Each SOP page lists its own history.",
        "",
    ]
    if history.shallow:
        out += [
            '!!! warning "History is partial"',
            "",
            "    The site was built from a shallow clone, so older changes are missing. Fetch the "
            "whole history (`fetch-depth: 0` with `actions/checkout`).",
            "",
        ]
    if not summaries:
        out += [f"No SOP changed in these {days} days.", ""]
    day: str | None = None
    for summary in summaries:
        commit = summary.change.commit
        if commit.day.isoformat() != day:
            day = commit.day.isoformat()
            out += [*([""] if out[-1] else []), f"## {day}", ""]
        why = f"By {commit.author}: {commit.subject}" if commit.subject else f"By {commit.author}"
        # A hard line break: who and why on a line of their own under what changed.
        out.append(f"- {_title(summary, sop_files)}: {_what_changed(summary)}.  ")
        out.append(f"  {md_text(why)}")
    if unlisted:
        out += [
            "",
            f"{unlisted} older change{'s' if unlisted != 1 else ''} in this period "
            f"{'are' if unlisted != 1 else 'is'} not listed.",
        ]
    return "\n".join(out) + "\n"


def whats_new_page(
    history: History,
    summaries: tuple[ChangeSummary, ...],
    unlisted: int,
    days: int,
    until: dt.date,
    sop_files: frozenset[str],
) -> GeneratedPage:
    return GeneratedPage(whats_new_markdown(history, summaries, unlisted, days, until, sop_files))
