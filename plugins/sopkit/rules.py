"""The checker's rules by name, their default severities, and what a site and an SOP may change.

A site sets severities in its plugin config (`rules: {no-approval: off}`); an SOP lists in
`allow` the warnings it may skip. Only rules that are warnings by default may be turned off or
down, or allowed: an error always means the handbook cannot be trusted as written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Literal

from sopkit.model import Diagnostic, Library, Severity

RULE_SEVERITIES: Mapping[str, Severity] = {
    "yaml-syntax": "error",
    "duplicate-key": "error",
    "missing-field": "error",
    "unknown-field": "warning",
    "wrong-type": "error",
    "invalid-value": "error",
    "duplicate-id": "error",
    "unknown-role": "error",
    "unknown-tool": "error",
    "unknown-sop": "error",
    "unknown-step": "error",
    "raci-accountable": "error",
    "raci-responsible": "error",
    "step-cycle": "error",
    "sop-cycle": "error",
    "orphan-step-section": "error",
    "steps-heading": "error",
    "review-overdue": "warning",
    "missing-review": "warning",
    "no-approval": "warning",
    "no-kpis": "warning",
    "self-approval": "warning",
    "too-many-consulted": "warning",
}
"""Every rule of the checker and its severity unless a site says otherwise (format, section 4)."""

WARNING_RULES: tuple[str, ...] = tuple(
    rule for rule, severity in RULE_SEVERITIES.items() if severity == "warning"
)
"""The rules a site may turn off or down, and an SOP may `allow`."""

RuleSetting = Literal["off", "warning", "error"]
SETTINGS: tuple[RuleSetting, ...] = ("off", "warning", "error")
RuleSettings = tuple[tuple[str, RuleSetting], ...]


class SettingsError(ValueError):
    """A site setting that cannot be used; the message says what was expected."""


def did_you_mean(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def rule_settings(value: object) -> RuleSettings:
    """`rules:` of the plugin config, checked: rule name -> off, warning or error.

    YAML 1.1 (which mkdocs.yml is read as) turns an unquoted `off` into false: it means off.
    """
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise SettingsError(
            "expected a mapping of rule names to off, warning or error, such as "
            f"{{no-approval: off, too-many-consulted: error}}, but received {_shape(value)}"
        )
    settings: list[tuple[str, RuleSetting]] = []
    for rule, raw in value.items():
        name = str(rule)
        if name not in RULE_SEVERITIES:
            raise SettingsError(
                f"unknown rule `{name}`{did_you_mean(name, RULE_SEVERITIES)} "
                f"(the rules are listed in the format, section 4)"
            )
        setting = _setting(name, raw)
        if RULE_SEVERITIES[name] == "error" and setting != "error":
            raise SettingsError(
                f"`{name}` is an error and cannot be set to {setting}: only warnings may be "
                f"turned off or down ({', '.join(WARNING_RULES)})"
            )
        settings.append((name, setting))
    return tuple(sorted(settings))


def _setting(rule: str, raw: object) -> RuleSetting:
    if raw is False:
        return "off"
    if isinstance(raw, str):
        for setting in SETTINGS:
            if raw.strip().lower() == setting:
                return setting
    shown = f'"{raw}"' if isinstance(raw, str) else str(raw).lower()
    hint = did_you_mean(raw, SETTINGS) if isinstance(raw, str) else ""
    return _raise(f"`{rule}` is set to {shown}; expected off, warning or error{hint}")


def _raise(message: str) -> RuleSetting:
    raise SettingsError(message)


def _shape(value: object) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def applied(findings: Iterable[Diagnostic], library: Library) -> list[Diagnostic]:
    """The findings after each SOP's `allow` and the site's `rules` settings.

    `allow` drops the listed warnings of its own file, whatever severity the site gives them:
    the site sets the rule for the handbook, the SOP records its reasoned exception.
    """
    allowed = {sop.file: frozenset(sop.allow) & set(WARNING_RULES) for sop in library.sops}
    settings = dict(library.settings.rules)
    kept = []
    for finding in findings:
        if finding.rule in allowed.get(finding.file, ()):
            continue
        setting = settings.get(finding.rule)
        if setting == "off":
            continue
        if setting is not None and setting != finding.severity:
            finding = replace(finding, severity=setting)
        kept.append(finding)
    return kept
