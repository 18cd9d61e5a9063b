"""`sopkit init`: the files of a new handbook site that builds with `mkdocs build --strict`.

The files come from `templates/init/`, filled with `string.Template` like the SOP scaffolds. A
value lands in YAML, Markdown or plain text and is escaped for that syntax by the file's type.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sopkit.render.escape import md_text
from sopkit.scaffold import ScaffoldError, fill, template_text, yaml_scalar
from sopkit.schema import schema_for

SOPKIT_REPOSITORY = "https://pypi.org/project/sopkit/"
"""Where a team reads about sopkit and installs it from."""
SOPKIT_SOURCE = "git+<URL of the sopkit repository>"
"""What a team fills in to install sopkit from its source before it is on PyPI."""

INIT = "init"
# Template file -> where it goes in the new site. Templates carry no leading dots: hidden files
# and folders are easy to miss in a package's data.
STARTER_FILES: tuple[tuple[str, str], ...] = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("requirements.txt", "requirements.txt"),
    ("README.md", "README.md"),
    ("gitignore.txt", ".gitignore"),
    ("handbook/index.md", "handbook/index.md"),
    ("handbook/roles.yml", "handbook/roles.yml"),
    ("handbook/tools.yml", "handbook/tools.yml"),
    ("handbook/sops/example-sop.md", "handbook/sops/example-sop.md"),
    ("github-workflow.yml", ".github/workflows/handbook.yml"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("vscode-settings.json", ".vscode/settings.json"),
    ("vscode-extensions.json", ".vscode/extensions.json"),
)
SCHEMA_KINDS = ("sop", "roles", "tools", "onboarding")


def schema_file(kind: str) -> str:
    """Where a new site keeps the JSON Schema of one kind of file (relative to the site)."""
    return ".sopkit/schema.json" if kind == "sop" else f".sopkit/{kind}.schema.json"


def schema_text(kind: str) -> str:
    """The JSON Schema of `kind` (sop, roles, tools, onboarding) as a file's text."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def _escaped(values: Mapping[str, str], destination: str) -> dict[str, str]:
    suffix = PurePosixPath(destination).suffix
    if suffix in (".yml", ".yaml"):
        return {key: yaml_scalar(value) for key, value in values.items()}
    if suffix == ".md":
        return {key: md_text(value) for key, value in values.items()}
    return dict(values)


def starter_files(name: str, today: dt.date) -> dict[str, str]:
    """Path in the new site -> text, for every file `sopkit init` writes."""
    values = {"site_name": name}
    fixed = {
        "today": today.isoformat(),
        "sopkit_repository": SOPKIT_REPOSITORY,
        "sopkit_source": SOPKIT_SOURCE,
    }
    files = {
        destination: fill(
            template_text(INIT, *template.split("/")),
            {**fixed, **_escaped(values, destination)},
            template,
        )
        for template, destination in STARTER_FILES
    }
    for kind in SCHEMA_KINDS:
        files[schema_file(kind)] = schema_text(kind)
    return files


@dataclass(frozen=True)
class InitResult:
    created: tuple[str, ...]
    kept: tuple[str, ...]
    """Files that existed already and were left as they were."""


def init_site(
    target: Path, name: str = "Handbook", *, force: bool = False, today: dt.date | None = None
) -> InitResult:
    """Write a new handbook site into `target`; never overwrites a file. Raises `ScaffoldError`."""
    if not name.strip():
        raise ScaffoldError("--name: expected the site's name, e.g. --name 'Ops handbook'")
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file; expected a folder for the new site")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(
            f"{target} is not empty; pass --force to add the missing files "
            "(existing files are never overwritten)"
        )
    created: list[str] = []
    kept: list[str] = []
    for rel, text in starter_files(name.strip(), today or dt.date.today()).items():
        path = target / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        created.append(rel)
    return InitResult(tuple(created), tuple(kept))
