"""`sopkit build-md --project`: a ready `mkdocs.yml` project that needs no sopkit plugin.

OUT/docs/ holds the pages `build-md` writes, with the macros of hand-written pages expanded;
OUT/mkdocs.yml carries over the source site's name, theme and extra assets, lists the Markdown
extensions the pages use, adds sopkit's styles and scripts and spells out the plugin's reading
order as `nav`. Pages are written as folder indexes (see `folder_pages`). Zensical and plain
MkDocs build it as it is.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sopkit.labels import ENGLISH, Labels
from sopkit.markdown_site import (
    ASSETS,
    MarkdownSite,
    OutputError,
    exports_enabled,
    handwritten_files,
    write_markdown_site,
)
from sopkit.model import Library
from sopkit.page_macros import PageExpander, PageProblem
from sopkit.reading_order import (
    HIDDEN,
    INDEX_ONLY,
    SOPS_TITLE,
    generated_sections,
    heading_title,
    section_title,
)
from sopkit.render.context import PageOptions
from sopkit.render.onboarding_pages import with_start_here
from sopkit.site import _TolerantLoader, sopkit_options

DOCS = "docs"
MERMAID_COPY = "assets/sopkit/mermaid.min.js"
CARRIED_OVER = (
    "site_name",
    "site_description",
    "site_author",
    "site_url",
    "copyright",
    "repo_url",
    "repo_name",
    "edit_uri",
    "use_directory_urls",
    "theme",
    "extra",
    "extra_css",
    "extra_javascript",
)
"""Settings of the source mkdocs.yml that a project keeps as they are."""

EXTENSIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("admonition", {}),
    ("attr_list", {}),
    ("md_in_html", {}),
    ("tables", {}),
    ("toc", {"permalink": True}),
    ("pymdownx.details", {}),
    ("pymdownx.tasklist", {"custom_checkbox": True}),
)
"""The Markdown extensions sopkit's pages use (the mermaid fence of superfences comes apart)."""


class MacroErrors(Exception):
    """Hand-written pages whose macros cannot be expanded; nothing was written."""

    def __init__(self, problems: list[PageProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class PythonName(str):
    """A `!!python/name:` value of mkdocs.yml (such as the mermaid fence's format), kept as is."""


class _ConfigLoader(_TolerantLoader):
    """Reads the source mkdocs.yml keeping `!!python/name:` and resolving `!ENV`."""


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix)


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1] or values, values[-1] if len(values) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_constructor("!ENV", _env)


class _ConfigDumper(yaml.SafeDumper):
    pass


def _represent_python_name(dumper: yaml.SafeDumper, data: PythonName) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{data}", "")


_ConfigDumper.add_representer(PythonName, _represent_python_name)


@dataclass(frozen=True)
class Project:
    """What `write_project` wrote: the pages (under docs/) and the config."""

    site: MarkdownSite
    config: str = "mkdocs.yml"


def read_source_config(config_file: Path) -> dict[str, Any]:
    """The source site's mkdocs.yml, with `!ENV` resolved and `!!python/name:` kept."""
    try:
        loaded = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise OutputError(f"{config_file}: cannot be read: {exc}") from None
    return loaded if isinstance(loaded, dict) else {}


def write_project(
    library: Library,
    out: Path,
    options: PageOptions,
    source: Mapping[str, Any],
    *,
    source_dir: Path | None = None,
    force: bool = False,
) -> Project:
    """Write OUT/mkdocs.yml and OUT/docs/. Raises `OutputError` or `MacroErrors`."""
    root = Path(library.root)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; expected a folder for the project")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(
            f"{out} is not empty; pass --force to write into it (files sopkit writes are replaced, "
            "others are left as they are)"
        )
    expander = PageExpander(library, options)
    pages: dict[str, str] = {}
    problems: list[PageProblem] = []
    for rel in handwritten_files(library):
        if not rel.endswith(".md"):
            continue
        text, found = expander.expand(rel, (root / rel).read_text(encoding="utf-8"))
        problems.extend(found)
        pages[rel] = text
    if problems:
        raise MacroErrors(problems)
    if options.onboarding and "index.md" in pages and "onboarding/" not in pages["index.md"]:
        pages["index.md"] = with_start_here(pages["index.md"], options.labels)
    docs = out / DOCS
    site = write_markdown_site(
        library,
        docs,
        options,
        exports=exports_enabled(source),
        force=True,
        handwritten=pages,
        folder_pages=True,
    )
    extra_js = _mermaid_copy(source, docs, source_dir or Path.cwd())
    config = project_config(source, library, docs, extra_js, site, options.labels)
    _copy_custom_dir(config, source_dir or Path.cwd(), out)
    text = yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True, width=100)
    (out / "mkdocs.yml").write_bytes(text.encode("utf-8"))
    return Project(site)


def project_config(
    source: Mapping[str, Any],
    library: Library,
    docs: Path,
    extra_js: list[str],
    site: MarkdownSite | None = None,
    t: Labels = ENGLISH,
) -> dict[str, Any]:
    """The project's mkdocs.yml, as data (`t`: the words of the titles of its nav)."""
    config: dict[str, Any] = {"site_name": "Handbook"}
    for key in CARRIED_OVER:
        if key in source and source[key] is not None:
            config[key] = source[key]
    config["docs_dir"] = DOCS
    theme = config.get("theme")
    if not isinstance(theme, dict):
        config["theme"] = {"name": theme if isinstance(theme, str) else "material"}
    config["extra_css"] = _with(config.get("extra_css"), [a for a in ASSETS if a.endswith(".css")])
    scripts = [a for a in ASSETS if a.endswith(".js")] + extra_js
    config["extra_javascript"] = _with(config.get("extra_javascript"), scripts)
    config["markdown_extensions"] = markdown_extensions(source.get("markdown_extensions"))
    locations = site.locations if site is not None else {}
    nav = source.get("nav")
    if nav:
        config["nav"] = _relocated(nav, locations)
    else:
        parts = site.parts if site is not None else frozenset()
        config["nav"] = reading_nav(docs, library.settings.sops_dir, locations, t, parts)
    return config


def _relocated(nav: Any, locations: Mapping[str, str]) -> Any:
    """A `nav` of the source site with its pages where the project wrote them."""
    if isinstance(nav, str):
        return locations.get(nav, nav)
    if isinstance(nav, list):
        return [_relocated(entry, locations) for entry in nav]
    if isinstance(nav, dict):
        return {key: _relocated(value, locations) for key, value in nav.items()}
    return nav


def markdown_extensions(source: Any) -> list[Any]:
    """The source site's extensions and settings, plus those sopkit's pages need."""
    entries: list[Any] = []
    names: set[str] = set()
    items = list(source.items()) if isinstance(source, dict) else list(source or [])
    for item in items:
        if isinstance(item, tuple):
            item = {item[0]: item[1]} if item[1] is not None else item[0]
        name = item if isinstance(item, str) else next(iter(item), None)
        if isinstance(name, str):
            names.add(name)
            entries.append(item)
    for name, settings in EXTENSIONS:
        if name not in names:
            entries.append({name: dict(settings)} if settings else name)
    fence = {"name": "mermaid", "class": "mermaid", "format": PythonName(_FENCE_FORMAT)}
    for index, entry in enumerate(entries):
        if entry == "pymdownx.superfences" or (
            isinstance(entry, dict) and "pymdownx.superfences" in entry
        ):
            settings = dict(entry["pymdownx.superfences"] or {}) if isinstance(entry, dict) else {}
            fences = list(settings.get("custom_fences") or [])
            if not any(isinstance(f, dict) and f.get("name") == "mermaid" for f in fences):
                fences.append(fence)
            settings["custom_fences"] = fences
            entries[index] = {"pymdownx.superfences": settings}
            break
    else:
        entries.append({"pymdownx.superfences": {"custom_fences": [fence]}})
    return entries


_FENCE_FORMAT = "pymdownx.superfences.fence_code_format"


def reading_nav(
    docs: Path,
    sops_dir: str,
    locations: Mapping[str, str] | None = None,
    t: Labels = ENGLISH,
    parts: Collection[str] = (),
) -> list[Any]:
    """The plugin's reading order of the pages under `docs`, as a mkdocs.yml `nav` (the
    titles of the sections sopkit writes in `t`'s language).

    `locations` maps a page to where it was written, when not at its own path; the order and
    titles follow the pages' own paths. `parts`, the numbered pages (2, 3, ...) of long lists,
    are left out: each list's pager reaches them.
    """
    written = {location: page for page, location in (locations or {}).items()}
    pages = (p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    sources = (written.get(page, page) for page in pages)
    tree = _tree(sorted(src for src in sources if src not in parts), locations or {})
    order = generated_sections(sops_dir)
    top = order[0]
    result: list[Any] = []
    generated: dict[str, Any] = {}
    for name, child in tree.items():
        if isinstance(child, dict) and name in HIDDEN:
            continue
        if isinstance(child, dict) and name in order:
            generated[name] = child
        else:
            result.append(_entry(docs, name, child))
    for key in order:
        section = generated.get(key)
        if section is None:
            continue
        if key == top:
            result.append({t(SOPS_TITLE): _children(docs, section, titled=True)})
            continue
        title = section_title(key, t) or _folder_title(key)
        index = section.get("index.md")
        if isinstance(index, str) and (key in INDEX_ONLY or len(section) == 1):
            result.append({title: index})
        else:
            result.append({title: _children(docs, section, titled=False)})
    return result


_Tree = dict[str, "str | _Tree"]


def _tree(paths: list[str], locations: Mapping[str, str]) -> _Tree:
    """Nested folders in MkDocs' order: a folder's index page, its pages, then its folders.

    The leaves are where each page was written.
    """
    tree: _Tree = {}
    for path in paths:
        branch = tree
        *folders, name = path.split("/")
        for folder in folders:
            node = branch.setdefault(folder, {})
            assert isinstance(node, dict)
            branch = node
        branch[name] = locations.get(path, path)
    return _sorted(tree)


def _sorted(tree: _Tree) -> _Tree:
    files = sorted((k for k, v in tree.items() if isinstance(v, str)), key=_file_key)
    folders = sorted(k for k, v in tree.items() if isinstance(v, dict))
    result: _Tree = {}
    for key in files:
        result[key] = tree[key]
    for key in folders:
        node = tree[key]
        assert isinstance(node, dict)
        result[key] = _sorted(node)
    return result


def _file_key(name: str) -> tuple[bool, str]:
    return (posixpath.splitext(name)[0] not in ("index", "README"), name)


def _entry(docs: Path, name: str, node: str | _Tree, titled: bool = False) -> Any:
    if isinstance(node, str):
        return node
    title = _folder_title(name)
    index = node.get("index.md")
    if titled and isinstance(index, str):
        title = heading_title((docs / index).read_text(encoding="utf-8")) or title
    return {title: _children(docs, node, titled)}


def _children(docs: Path, node: _Tree, titled: bool) -> list[Any]:
    return [_entry(docs, name, child, titled) for name, child in node.items()]


def _folder_title(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _with(existing: Any, added: list[str]) -> list[Any]:
    values = list(existing) if isinstance(existing, list) else []
    return values + [item for item in added if item not in values]


def _mermaid_copy(source: Mapping[str, Any], docs: Path, source_dir: Path) -> list[str]:
    """The plugin's `mermaid_js`: a URL is kept, a local bundle is copied beside the assets."""
    value = sopkit_options(source).get("mermaid_js")
    if not value:
        return []
    value = str(value)
    if value.startswith(("http://", "https://", "//")):
        return [value]
    path = source_dir / value
    if not path.is_file():
        raise OutputError(
            f"mkdocs.yml: sopkit: mermaid_js: expected a URL or the path of the Mermaid bundle, "
            f"but {path} does not exist"
        )
    (docs / MERMAID_COPY).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, docs / MERMAID_COPY)
    return [MERMAID_COPY]


def _copy_custom_dir(config: dict[str, Any], source_dir: Path, out: Path) -> None:
    """A theme's `custom_dir` (overrides) comes along into the project under the same name."""
    theme = config["theme"]
    custom = theme.get("custom_dir")
    if not custom:
        return
    folder = source_dir / str(custom)
    if not folder.is_dir():
        raise OutputError(f"mkdocs.yml: theme: custom_dir: the folder {folder} does not exist")
    name = Path(str(custom)).name
    shutil.copytree(folder, out / name, dirs_exist_ok=True)
    config["theme"] = {**theme, "custom_dir": name}
