"""`sopkit init`: the files of a new handbook site that builds with `mkdocs build --strict`.

The files come from `templates/init/`, filled with `string.Template` like the SOP scaffolds. A
value lands in YAML, Markdown or plain text and is escaped for that syntax by the file's type.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from sopkit.render.escape import md_text
from sopkit.scaffold import ScaffoldError, fill, template_text, yaml_scalar
from sopkit.schema import schema_for

SOPKIT_REPOSITORY = "https://pypi.org/project/sopkit/"
"""Where a team reads about sopkit and installs it from."""


@dataclass(frozen=True)
class Requirement:
    """The line of requirements.txt that installs a sopkit, and a comment on where it is from."""

    line: str
    source: str

    def comment(self) -> str:
        """Comment lines of requirements.txt that say where the line installs sopkit from."""
        text = f"The line below installs the sopkit that created the site, from {self.source}."
        return "\n".join("# " + line for line in textwrap.wrap(text, 94))


def requirement_from(version: str, direct_url: str | None) -> Requirement:
    """The requirement that installs the sopkit described by its distribution's metadata: its
    `version`, and the text of `direct_url.json` (PEP 610), which exists when it was installed
    from a URL, a folder or a VCS checkout rather than from a package index."""
    if not direct_url:
        return Requirement(f"sopkit=={version}", "the package index, at the version that made it")
    try:
        data = json.loads(direct_url)
    except ValueError:
        data = None
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(url, str) or not url:
        return Requirement(f"sopkit=={version}", "the package index, at the version that made it")
    fragment = f"#subdirectory={data['subdirectory']}" if data.get("subdirectory") else ""
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") and vcs.get("commit_id"):
        return Requirement(
            f"sopkit @ {vcs['vcs']}+{url}@{vcs['commit_id']}{fragment}",
            f"its {vcs['vcs']} repository, at the commit that made it",
        )
    archive = data.get("archive_info")
    if isinstance(archive, dict):
        hashes = archive.get("hashes")
        if isinstance(hashes, dict) and "sha256" in hashes:
            fragment = f"#sha256={hashes['sha256']}"
        elif isinstance(archive.get("hash"), str):
            fragment = "#" + archive["hash"]
        return Requirement(f"sopkit @ {url}{fragment}", "the archive that made it")
    editable = isinstance(data.get("dir_info"), dict) and data["dir_info"].get("editable")
    where = "the local folder" + (" (installed editable)" if editable else "")
    return Requirement(
        f"sopkit @ {url}{fragment}",
        f"{where} that made it. Only this machine has that folder: for CI, replace the line "
        "with sopkit's Git URL at a commit or a package index version",
    )


def installed_requirement() -> Requirement:
    """The requirement of the sopkit running now, from its installed distribution."""
    try:
        dist = metadata.distribution("sopkit")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return Requirement("sopkit", "the package index (the running sopkit is not installed)")
    return requirement_from(dist.version, dist.read_text("direct_url.json"))


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
    requirement = installed_requirement()
    fixed = {
        "today": today.isoformat(),
        "sopkit_repository": SOPKIT_REPOSITORY,
        "sopkit_requirement": requirement.line,
        "sopkit_requirement_comment": requirement.comment(),
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
