"""The site's pages and exports without MkDocs: what `sopkit build-md` and `sopkit export` write.

`build-md` writes the Markdown the sopkit plugin hands MkDocs (SOP pages, generated pages and
the hand-written pages beside them), so any Markdown site generator can publish a handbook.
The pages keep their front matter, raw HTML blocks (`<div markdown>`, the diagrams' inline SVG)
and attribute lists; the generator needs the equivalents of Python-Markdown's attr_list,
md_in_html, tables, admonition and pymdownx.tasklist (and a `mermaid` fence only for Mermaid
in hand-written pages).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sopkit.folder_pages import FolderClash, folder_locations, rebase_links
from sopkit.labels import LabelError, site_labels
from sopkit.load import REGISTRIES
from sopkit.model import Diagnostic, Library
from sopkit.render import paging
from sopkit.render.assets import SCRIPTS, STYLESHEETS, labels_in_body
from sopkit.render.context import GeneratedPage, PageOptions
from sopkit.render.export import catalogue_json, raci_csv
from sopkit.render.site_pages import (
    generated_files,
    generated_pages,
    part_clashes,
    part_pages,
    replaced_by_hand,
)
from sopkit.render.sop_page import sop_markdown
from sopkit.schedule import holiday_dates
from sopkit.site import _TolerantLoader, sopkit_options, theme_language

EXPORTS = ("sops.json", "raci.csv")
ASSETS = tuple(f"assets/sopkit/{name}" for name in (*STYLESHEETS, *SCRIPTS))
"""The plugin's styles and scripts; a generator lists them in its extra CSS and JavaScript."""


class OutputError(Exception):
    """The output cannot be written without harm: a folder in the way, a bad option."""


def site_config(handbook: str | None, cwd: Path | None = None) -> dict[str, Any]:
    """./mkdocs.yml, parsed, when it is the site of `handbook` (as `find_handbook` decides)."""
    cwd = cwd or Path.cwd()
    config_file = cwd / "mkdocs.yml"
    if not config_file.is_file():
        return {}
    try:
        loaded = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(loaded, dict) or not loaded:
        return {}
    docs_dir = cwd / str(loaded.get("docs_dir", "docs"))
    if handbook is not None and Path(handbook).resolve() != docs_dir.resolve():
        return {}
    return loaded


def use_directory_urls(config: Mapping[str, Any]) -> bool:
    value = config.get("use_directory_urls", True)
    return value if isinstance(value, bool) else True


def exports_enabled(config: Mapping[str, Any]) -> bool:
    value = sopkit_options(config).get("exports", True)
    return value if isinstance(value, bool) else True


def page_options(
    config: Mapping[str, Any],
    today: dt.date | None = None,
    directory_urls: bool | None = None,
    cwd: Path | None = None,
) -> PageOptions:
    """The options the plugin would build the site's pages with, from its mkdocs.yml."""
    options = sopkit_options(config)
    if today is None and options.get("today"):
        try:
            today = dt.date.fromisoformat(str(options["today"]))
        except ValueError:
            raise OutputError(
                f"mkdocs.yml: sopkit: today: expected a date YYYY-MM-DD, "
                f"but received {options['today']!r}"
            ) from None
    templates = options.get("templates")
    if templates is not None:
        folder = (cwd or Path.cwd()) / str(templates)
        if not folder.is_dir():
            raise OutputError(f"mkdocs.yml: sopkit: templates: the folder {folder} does not exist")
        templates = str(folder)
    defaults = PageOptions(today=dt.date.today())

    def flag(name: str, default: bool) -> bool:
        value = options.get(name, default)
        return value if isinstance(value, bool) else default

    split = options.get("raci_split", defaults.raci_split)
    try:
        holidays = holiday_dates(options.get("holidays"))
    except ValueError as error:
        raise OutputError(f"mkdocs.yml: sopkit: holidays: {error}") from None
    labels = options.get("labels") or {}
    if not isinstance(labels, dict):
        raise OutputError(f"mkdocs.yml: sopkit: labels: expected a mapping, received {labels!r}")
    try:
        words = site_labels(theme_language(config), labels)
    except LabelError as error:
        raise OutputError(f"mkdocs.yml: sopkit: {error}") from None
    heading = options.get("steps_heading")
    return PageOptions(
        today=today or defaults.today,
        # As the plugin: a date given (`--today`, or `today` in mkdocs.yml) is kept in the
        # browser too; without one, review states follow the reader's date.
        today_pinned=today is not None,
        templates=templates,
        use_directory_urls=use_directory_urls(config) if directory_urls is None else directory_urls,
        onboarding=flag("onboarding", defaults.onboarding),
        health=flag("health", defaults.health),
        site_key=str(config.get("site_name") or defaults.site_key),
        raci_split=split if isinstance(split, int) and not isinstance(split, bool) else 60,
        holidays=holidays,
        labels=words,
        steps_heading=heading if isinstance(heading, str) and heading.strip() else None,
    )


def handwritten_files(library: Library) -> list[str]:
    """Files of the handbook a site publishes as they are: pages, images, attachments."""
    root = Path(library.root)
    sops = set(library.sop_files)
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        name = rel.as_posix()
        if name in sops or name in REGISTRIES:
            continue
        found.append(name)
    return sorted(found)


def markdown_pages(
    library: Library,
    options: PageOptions,
    generated: Mapping[str, GeneratedPage] | None = None,
) -> dict[str, str]:
    """Source path -> Markdown of every page sopkit generates: SOP pages, then the views
    (`generated`, when already made)."""
    pages = {
        sop.file: sop_markdown(library, sop, options)
        for sop in library.sops
        if library.sop(sop.id) is sop
    }
    if generated is None:
        generated = generated_pages(library, options)
    for src, page in generated.items():
        pages[src] = page.markdown
    # The words of the scripts, in the site's language (the plugin puts them in the page head).
    island = labels_in_body(options.labels)
    return {src: f"{markdown}\n{island}\n" for src, markdown in pages.items()}


@dataclass(frozen=True)
class MarkdownSite:
    """What `write_markdown_site` wrote, relative to the output folder."""

    sop_pages: tuple[str, ...]
    generated: tuple[str, ...]
    copied: tuple[str, ...]
    exports: tuple[str, ...]
    assets: tuple[str, ...] = ASSETS
    locations: Mapping[str, str] = field(default_factory=dict)
    """Page source -> where it was written, for pages written as folder indexes."""
    parts: frozenset[str] = frozenset()
    """The numbered pages (2, 3, ...) of long lists: reached by each list's pager, not the nav."""
    findings: tuple[Diagnostic, ...] = ()
    """Hand-written files at the address of a numbered page (which moved beside it)."""

    @property
    def files(self) -> int:
        parts = (self.sop_pages, self.generated, self.copied, self.exports, self.assets)
        return sum(len(part) for part in parts)

    def location(self, page: str) -> str:
        return self.locations.get(page, page)


def write_markdown_site(
    library: Library,
    out: Path,
    options: PageOptions,
    *,
    exports: bool = True,
    force: bool = False,
    handwritten: Mapping[str, str] | None = None,
    folder_pages: bool = False,
) -> MarkdownSite:
    """Write the handbook as plain Markdown pages into `out`. Raises `OutputError`.

    `handwritten` gives the text of hand-written pages to write instead of copying them (their
    macros expanded); other hand-written files are copied as they are. With `folder_pages`, each
    page that is not an index is written as the index of its own folder (see `folder_pages`).
    """
    root = Path(library.root).resolve()
    target = out.resolve()
    if target == root or root in target.parents:
        raise OutputError(
            f"{out} is inside the handbook {library.root}; choose a folder outside it"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; expected a folder for the Markdown pages")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(
            f"{out} is not empty; pass --force to write into it (files sopkit writes are replaced, "
            "others are left as they are)"
        )
    copied = handwritten_files(library)
    pages: dict[str, str] = {}
    for rel in copied:
        if handwritten is not None and rel in handwritten:
            pages[rel] = handwritten[rel]
        elif folder_pages and rel.endswith(".md"):
            pages[rel] = (root / rel).read_text(encoding="utf-8")
        else:
            destination = out / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, destination)
    sop_files = {sop.file for sop in library.sops}
    own = paging.addresses([*copied, *library.sop_files], options.use_directory_urls)
    options = replace(options, taken=frozenset(own))
    generated = generated_pages(library, options)
    findings = part_clashes(generated, own, options.use_directory_urls)
    # As in the plugin, a hand-written page replaces the generated page of the same path, and
    # a hand-written first page of a list the whole list.
    skipped = replaced_by_hand(generated, set(copied))
    parts = part_pages(generated) - skipped
    written: dict[str, list[str]] = {"sop": [], "generated": []}
    for src, markdown in markdown_pages(library, options, generated).items():
        if src in skipped:
            continue
        pages[src] = markdown
        written["sop" if src in sop_files else "generated"].append(src)
    other_files = dict(generated_files(library))
    for src in list(other_files):
        if src in copied:
            del other_files[src]
        else:
            written["generated"].append(src)
    export_files = export_texts(library, options.use_directory_urls) if exports else {}
    locations: dict[str, str] = {}
    if folder_pages and options.use_directory_urls:
        try:
            locations = folder_locations(pages)
        except FolderClash as clash:
            raise OutputError(str(clash)) from None
        files = {name: name for name in (*copied, *other_files, *export_files, *ASSETS)}
        files.update(locations)
        for src, location in locations.items():
            # Every page: its own links and those to pages that moved.
            pages[src] = rebase_links(pages[src], src, location, files)
    for src, text in pages.items():
        _write(out / locations.get(src, src), text)
    for src, text in other_files.items():
        _write(out / src, text)
    for asset in ASSETS:
        name = asset.rsplit("/", 1)[-1]
        source = resources.files("sopkit.overrides").joinpath("assets", name)
        _write(out / asset, source.read_text(encoding="utf-8"))
    for name, text in export_files.items():
        _write(out / name, text)
    return MarkdownSite(
        tuple(written["sop"]),
        tuple(written["generated"]),
        tuple(copied),
        tuple(export_files),
        locations={src: loc for src, loc in locations.items() if loc != src},
        parts=parts,
        findings=tuple(findings),
    )


def export_texts(library: Library, directory_urls: bool = True) -> dict[str, str]:
    """`sops.json` and `raci.csv`, exactly as the plugin writes them into the site."""
    return {"sops.json": catalogue_json(library, directory_urls), "raci.csv": raci_csv(library)}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
