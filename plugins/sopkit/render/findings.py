"""Checker findings as text for people, JSON for tools, and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sopkit.model import Diagnostic


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: Sequence[Diagnostic], sops: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not findings:
        return f"No problems found in {_plural(sops, 'SOP')}."
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(sops, 'SOP')}."


def findings_text(findings: Sequence[Diagnostic], sops: int, prefix: str = "") -> str:
    """`path:line:col: severity rule: message`, a hint line where there is one, then a summary."""
    lines = []
    for f in findings:
        lines.append(f"{prefix}{f.file}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    lines.append(summary_line(findings, sops))
    return "\n".join(lines) + "\n"


def findings_json(findings: Sequence[Diagnostic], sops: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    document = {
        "findings": [f.as_dict() for f in findings],
        "summary": {"errors": errors, "warnings": len(findings) - errors, "sops": sops},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def findings_github(findings: Sequence[Diagnostic], sops: int, prefix: str = "") -> str:
    """`::error file=F,line=L,col=C,title=RULE::MESSAGE` lines (GitHub Actions annotations)."""
    lines = []
    for f in findings:
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(
            f"::{f.severity} file={_github_property(prefix + f.file)},line={f.line},"
            f"col={f.column},title={_github_property(f.rule)}::{_github_data(message)}"
        )
    lines.append(summary_line(findings, sops))
    return "\n".join(lines) + "\n"
