"""Review reminders: the SOPs whose review is overdue or due soon, by owner, with whom to tell.

`sopkit report --due-within DAYS` writes them as text, JSON or Markdown; the Markdown is the body
of the "SOP reviews due" issue the workflow of `sopkit init` keeps up to date, so an owner's
GitHub user or team (a role's `github`, format 1.2) is mentioned once, above their SOPs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sopkit.health import HealthReport, ReviewDue
from sopkit.model import Library, Role
from sopkit.render import links
from sopkit.render.escape import md_cell, md_text
from sopkit.render.health_figures import review_state

NO_OWNER = "No owner"


@dataclass(frozen=True)
class Site:
    """Where the handbook is published, to link each SOP (`site_url` of mkdocs.yml), and where
    its files are from the reader's folder (`prefix`, as `sopkit check` names them)."""

    url: str | None = None
    use_directory_urls: bool = True
    prefix: str = ""


@dataclass(frozen=True)
class OwnerReviews:
    owner: str | None
    role: Role | None
    reviews: tuple[ReviewDue, ...]


def by_owner(report: HealthReport, library: Library) -> list[OwnerReviews]:
    """The report's reviews grouped by owner, owners in the order of their most overdue review
    (SOPs without an owner last); within an owner, most overdue first."""
    groups: dict[str | None, list[ReviewDue]] = {}
    for review in report.reviews:
        groups.setdefault(review.owner, []).append(review)
    order = sorted(groups, key=lambda owner: owner is None)
    return [
        OwnerReviews(owner, library.roles.get(owner or ""), tuple(groups[owner])) for owner in order
    ]


def _page_url(library: Library, sop_id: str, site: Site) -> str | None:
    sop = library.sop(sop_id)
    if sop is None or not site.url or not re.match(r"^https?://\S+$", site.url):
        return None
    return site.url.rstrip("/") + "/" + links.page_url(links.sop_page(sop), site.use_directory_urls)


def _owner_heading(group: OwnerReviews) -> str:
    if group.owner is None:
        return NO_OWNER
    name = md_text(group.role.name if group.role else group.owner)
    mention = group.role.mention if group.role else None
    return f"{name} {mention}" if mention else name


def reminder_markdown(report: HealthReport, library: Library, site: Site) -> str:
    """The reminder as GitHub Markdown: one section per owner, headed by the role's name and
    its GitHub mention, with its contact and a table of its SOPs. Handbook text is escaped."""
    days = report.review_window_days
    count = len(report.reviews)
    if not count:
        return (
            f"As of {report.today.isoformat()}, no SOP review is overdue or due within "
            f"{days} days.\n"
        )
    noun = "review is" if count == 1 else "reviews are"
    out = [
        f"As of {report.today.isoformat()}, {count} SOP {noun} overdue or due within {days} days.",
        "",
        "The owner of each SOP reviews it: reads it against how the work is done today, changes "
        "what is out of date, and sets `reviewed:` to the day of the review, in a pull request. "
        "This issue is updated every week and closed when no review is due.",
    ]
    for group in by_owner(report, library):
        out += ["", f"### {_owner_heading(group)}", ""]
        if group.role is not None and group.role.contact:
            out += [f"Contact: {md_text(group.role.contact)}", ""]
        out += ["| SOP | File | Due | State |", "| --- | --- | --- | --- |"]
        for review in group.reviews:
            sop = library.sop(review.sop)
            title = md_cell(sop.title if sop else review.sop)
            url = _page_url(library, review.sop, site)
            shown = f"[{title}]({url})" if url else title
            file = _code_cell(site.prefix + sop.file) if sop else ""
            state = review_state(review.days_overdue)
            out.append(f"| {shown} | {file} | {review.due.isoformat()} | {state} |")
    return "\n".join(out) + "\n"


def _code_cell(text: str) -> str:
    """A file path as code in a table cell; as escaped text when it holds what a code span
    cannot carry there (a backtick, a pipe, a line break)."""
    if re.search(r"[`|\x00-\x1f\x7f]", text):
        return md_cell(text)
    return f"`{text}`"


def reminder_json(report: HealthReport, library: Library, site: Site) -> dict[str, Any]:
    """The reminder as JSON data: `reviews` in the Markdown's order, each with its owner's
    name, GitHub handle (as written, or null), contact, the SOP's file and page URL."""
    reviews = []
    for group in by_owner(report, library):
        role = group.role
        for review in group.reviews:
            sop = library.sop(review.sop)
            reviews.append(
                {
                    "sop": review.sop,
                    "title": sop.title if sop else review.sop,
                    "file": site.prefix + sop.file if sop else None,
                    "url": _page_url(library, review.sop, site),
                    "owner": review.owner,
                    "owner_name": role.name if role else review.owner,
                    "github": role.github if role else None,
                    "contact": role.contact if role else None,
                    "reviewed": review.reviewed.isoformat(),
                    "due": review.due.isoformat(),
                    "days_overdue": review.days_overdue,
                }
            )
    return {
        "today": report.today.isoformat(),
        "due_within": report.review_window_days,
        "reviews": reviews,
    }


def reminder_text(report: HealthReport, library: Library, site: Site) -> str:
    """The reminder for a terminal: one line per SOP under its owner."""
    days = report.review_window_days
    lines = [f"Reviews overdue or due within {days} days, as of {report.today.isoformat()}"]
    groups = by_owner(report, library)
    for group in groups:
        name = group.role.name if group.role else (group.owner or NO_OWNER)
        handle = group.role.mention if group.role else None
        lines += ["", f"{name}{' ' + handle if handle else ''}"]
        if group.role is not None and group.role.contact:
            lines.append(f"  contact: {group.role.contact}")
        lines += _rows(group.reviews, library, site)
    if not groups:
        lines.append("  none")
    return "\n".join(_printable(line) for line in lines) + "\n"


def _rows(reviews: Sequence[ReviewDue], library: Library, site: Site) -> list[str]:
    rows = []
    for review in reviews:
        sop = library.sop(review.sop)
        where = site.prefix + sop.file if sop else review.sop
        rows.append(f"  {review.due.isoformat()}  {review_state(review.days_overdue)}: {where}")
    return rows


def _printable(line: str) -> str:
    """No control characters from a handbook reach the terminal."""
    return "".join(char if char.isprintable() else "?" for char in line)
