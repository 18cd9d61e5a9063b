"""Where a handbook lives and how its site configures it, read from `mkdocs.yml` without MkDocs.

The CLI uses this so `sopkit check` sees the same folder, phases and review interval as the build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sopkit.cadence import runs_per_year_setting
from sopkit.labels import steps_headings
from sopkit.model import DEFAULT_PHASES, Settings
from sopkit.rules import SettingsError, rule_settings

DEFAULT_HANDBOOK = "sop_library"


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!ENV` and `!!python/name:` tags only MkDocs resolves."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        # `!ENV [NAME, default]`: the default is the value a plain reading can know.
        return values[-1] if values else None
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


@dataclass(frozen=True)
class Handbook:
    root: Path
    settings: Settings


def sopkit_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The options of the `sopkit` entry in a parsed mkdocs.yml's `plugins`."""
    plugins = config.get("plugins") or []
    items: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else list(plugins)
    for item in items:
        if isinstance(item, tuple) and item[0] == "sopkit":
            return dict(item[1] or {})
        if isinstance(item, dict) and "sopkit" in item:
            return dict(item["sopkit"] or {})
    return {}


def theme_language(config: Mapping[str, Any]) -> str | None:
    """The `theme.language` of a parsed mkdocs.yml (Material's setting), if it names one."""
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language) if language else None


def settings_from_options(options: Mapping[str, Any], language: str | None = None) -> Settings:
    """The handbook settings of the sopkit options (and the site's `theme.language`).

    Raises `SettingsError` naming the option when `rules` or `runs_per_year` cannot be used:
    a check with other severities than the build's would pass what the build fails.
    """
    phases = options.get("phases")
    heading = options.get("steps_heading")
    try:
        rules = rule_settings(options.get("rules"))
    except SettingsError as exc:
        raise SettingsError(f"rules: {exc}") from None
    try:
        runs = runs_per_year_setting(options.get("runs_per_year"))
    except SettingsError as exc:
        raise SettingsError(f"runs_per_year: {exc}") from None
    return Settings(
        sops_dir=str(options.get("sops_dir", "sops")).strip("/"),
        phases=tuple(str(p) for p in phases)
        if isinstance(phases, list) and phases
        else DEFAULT_PHASES,
        review_every=str(options.get("review_every", Settings.review_every)),
        steps_headings=steps_headings(language, heading if isinstance(heading, str) else None),
        rules=rules,
        runs_per_year=runs,
    )


def read_config(raw: bytes) -> dict[str, Any]:
    """A mkdocs.yml's settings; {} when it cannot be read (MkDocs itself reports why)."""
    try:
        loaded = yaml.load(raw.decode("utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def find_handbook(path: str | None, cwd: Path | None = None) -> Handbook:
    """HANDBOOK as given, else the docs_dir of ./mkdocs.yml, else ./sop_library.

    When a mkdocs.yml sits in the current folder (or beside the handbook), its sopkit options apply.
    Raises `SettingsError` ("mkdocs.yml: sopkit option rules: ...") for options it cannot use.
    """
    cwd = cwd or Path.cwd()
    config_file = cwd / "mkdocs.yml"
    config = read_config(config_file.read_bytes()) if config_file.is_file() else {}
    docs_dir = cwd / str(config.get("docs_dir", "docs")) if config else None
    if path is not None:
        root = Path(path)
        same_site = docs_dir is not None and root.resolve() == docs_dir.resolve()
        site = config if same_site else {}
    elif docs_dir is not None:
        root, site = docs_dir, config
    else:
        root, site = cwd / DEFAULT_HANDBOOK, {}
    try:
        settings = settings_from_options(sopkit_options(site), theme_language(site))
    except SettingsError as exc:
        raise SettingsError(f"{config_file}: sopkit option {exc}") from None
    return Handbook(root, settings)
