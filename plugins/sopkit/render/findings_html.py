"""Checker findings shown on the pages they concern, for authors previewing a handbook.

`mkdocs serve` keeps building a handbook with errors; these put every finding where the author
looks: an admonition at the top of the page whose file it concerns, a banner on every page while
any error exists, and a findings page listing all of them. Public hooks (documented in the
README): `data-sopkit-findings` (the admonition; its value is the number of findings),
`data-sopkit-finding` with `data-rule`, `data-severity`, `data-line` (one finding),
`data-sopkit-banner` (the banner, value: the number of errors) and the page `findings/`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sopkit.model import Diagnostic, Library
from sopkit.render import links
from sopkit.render.escape import html_text

FINDINGS_PAGE = "findings.md"
"""Where the findings page is generated (only under `mkdocs serve`)."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def pages_of_files(library: Library) -> dict[str, str]:
    """Handbook file -> the page that shows it (an SOP's own page, a registry's index)."""
    pages = {rel: rel for rel in library.sop_files}
    pages["roles.yml"] = links.ROLES_INDEX
    pages["tools.yml"] = links.TOOLS_INDEX
    pages["onboarding.yml"] = links.ONBOARDING_INDEX
    return pages


def _item(finding: Diagnostic, where: str) -> str:
    hint = (
        f' <br><span class="sopkit-finding__hint">hint: {html_text(finding.hint)}</span>'
        if finding.hint
        else ""
    )
    return (
        f'<li data-sopkit-finding data-rule="{html_text(finding.rule)}" '
        f'data-severity="{finding.severity}" data-line="{finding.line}">'
        f"<code>{html_text(where)}</code> <strong>{finding.severity} "
        f"{html_text(finding.rule)}</strong>: {html_text(finding.message)}{hint}</li>"
    )


def page_findings_html(findings: Sequence[Diagnostic], shown_path: str) -> str:
    """The admonition at the top of a page: every finding of the file it shows.

    `shown_path` is the file as the terminal names it (relative to where the command ran).
    """
    errors = sum(1 for f in findings if f.severity == "error")
    kind = "failure" if errors else "warning"
    counts = ", ".join(
        part
        for part in (
            _plural(errors, "error") if errors else "",
            _plural(len(findings) - errors, "warning") if len(findings) > errors else "",
        )
        if part
    )
    items = "\n".join(_item(f, f"line {f.line}") for f in findings)
    return (
        f'<div class="admonition {kind} sopkit-findings" data-sopkit-findings="{len(findings)}">\n'
        f'<p class="admonition-title">{counts} in <code>{html_text(shown_path)}</code></p>\n'
        f"<ul>\n{items}\n</ul>\n</div>\n"
    )


def banner_html(findings: Sequence[Diagnostic], findings_url: str) -> str:
    """The site-wide banner while the handbook has errors ("" when it has none)."""
    errors = sum(1 for f in findings if f.severity == "error")
    if not errors:
        return ""
    warnings = len(findings) - errors
    also = f" and {_plural(warnings, 'warning')}" if warnings else ""
    return (
        f'<div class="sopkit-banner" role="alert" data-sopkit-banner="{errors}">'
        f"<strong>The handbook has {_plural(errors, 'error')}</strong>{also}: "
        f"<code>mkdocs build</code> fails until they are fixed. "
        f'<a href="{html_text(findings_url)}">See every finding</a></div>\n'
    )


def findings_page_markdown(
    findings: Sequence[Diagnostic],
    not_checked: Sequence[str],
    prefix: str,
    pages: Mapping[str, str],
    use_directory_urls: bool,
) -> str:
    """The findings page: every finding, grouped by file, each file linking to its page."""
    lines = [
        "---",
        "render_macros: false",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Findings",
        "",
    ]
    errors = sum(1 for f in findings if f.severity == "error")
    if not findings:
        lines.append('<p data-sopkit-findings="0">No problems found.</p>')
    else:
        lines.append(
            f'<p data-sopkit-findings="{len(findings)}">{_plural(errors, "error")}, '
            f"{_plural(len(findings) - errors, 'warning')}. Each line reads "
            "<code>path:line:column</code>, the path relative to where "
            "<code>mkdocs serve</code> runs.</p>"
        )
    by_file: dict[str, list[Diagnostic]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for file, items in by_file.items():
        shown = html_text(prefix + file)
        page = pages.get(file)
        title = (
            f'<a href="{links.relative_url(FINDINGS_PAGE, page, use_directory_urls)}">'
            f"<code>{shown}</code></a>"
            if page
            else f"<code>{shown}</code>"
        )
        lines += ["", f"<h2>{title}</h2>", "", "<ul>"]
        lines += [_item(f, f"{prefix}{f.file}:{f.line}:{f.column}") for f in items]
        lines.append("</ul>")
    if not_checked:
        lines += ["", "<h2>Not checked</h2>", "", "<ul>"]
        lines += [f"<li data-sopkit-not-checked>{html_text(line)}</li>" for line in not_checked]
        lines.append("</ul>")
    return "\n".join(lines) + "\n"
