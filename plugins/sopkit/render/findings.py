"""Checker findings as text for people, JSON for tools, and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sopkit.model import Diagnostic


def display_prefix(root: Path | str, cwd: Path | str | None = None) -> str:
    """What goes before a handbook-relative path so that the terminal names files as
    compilers do: relative to the directory the command ran in (`sop_library/`, or "" inside
    the handbook); a handbook outside that directory by its absolute path."""
    here = (Path(cwd) if cwd is not None else Path.cwd()).resolve()
    folder = Path(root).resolve()
    try:
        rel = folder.relative_to(here).as_posix()
    except ValueError:
        rel = folder.as_posix()
    return "" if rel in ("", ".") else rel.rstrip("/") + "/"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: Sequence[Diagnostic], sops: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not findings:
        return f"No problems found in {_plural(sops, 'SOP')}."
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(sops, 'SOP')}."


def finding_line(finding: Diagnostic, prefix: str = "") -> str:
    """`path:line:col: severity rule: message`: the form compilers use, which editors and
    terminals (VS Code's among them) turn into a link to the line."""
    f = finding
    return f"{prefix}{f.file}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}"


def finding_text(finding: Diagnostic, prefix: str = "") -> str:
    """`finding_line`, and the hint indented on the next line where there is one."""
    line = finding_line(finding, prefix)
    return line + (f"\n    hint: {finding.hint}" if finding.hint else "")


def findings_text(
    findings: Sequence[Diagnostic],
    sops: int,
    prefix: str = "",
    not_checked: Sequence[str] = (),
) -> str:
    """A line per finding, a hint line where there is one, what was not checked, a summary."""
    lines = [finding_text(f, prefix) for f in findings]
    lines.extend(not_checked)
    lines.append(summary_line(findings, sops))
    return "\n".join(lines) + "\n"


def findings_json(
    findings: Sequence[Diagnostic], sops: int, not_checked: Sequence[str] = ()
) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    document = {
        "findings": [f.as_dict() for f in findings],
        "summary": {"errors": errors, "warnings": len(findings) - errors, "sops": sops},
        "not_checked": list(not_checked),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def findings_github(
    findings: Sequence[Diagnostic],
    sops: int,
    prefix: str = "",
    not_checked: Sequence[str] = (),
) -> str:
    """`::error file=F,line=L,col=C,title=RULE::MESSAGE` lines (GitHub Actions annotations)."""
    lines = []
    for f in findings:
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(
            f"::{f.severity} file={_github_property(prefix + f.file)},line={f.line},"
            f"col={f.column},title={_github_property(f.rule)}::{_github_data(message)}"
        )
    lines.extend(f"::notice::{_github_data(line)}" for line in not_checked)
    lines.append(summary_line(findings, sops))
    return "\n".join(lines) + "\n"
