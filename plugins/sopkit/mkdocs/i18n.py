"""Generated pages on sites that use mkdocs-static-i18n.

The i18n plugin rebuilds the file list of each language from the files inside `docs_dir` and
drops every other page (with a warning). Generated pages are therefore held back while it does
that and added after it, in the default language: in the build of another language they go to
that language's folder (`fr/roles/...`), beside the default-language copies of the SOPs.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def i18n_plugin(config: MkDocsConfig) -> Any | None:
    """The site's mkdocs-static-i18n plugin, if it has one."""
    plugin = config.plugins.get("i18n")
    if plugin is None or not hasattr(plugin, "current_language"):
        return None
    return plugin


def hold_back_pages(files: Files, generated_by: str) -> list[File]:
    """Take the pages `generated_by` made out of `files`; assets stay (i18n keeps those)."""
    pages = [
        file for file in files if file.generated_by == generated_by and file.is_documentation_page()
    ]
    for page in pages:
        files.remove(page)
    return pages


def add_in_language(files: Files, pages: list[File], plugin: Any) -> None:
    """Add held-back pages to the file list of the language being built."""
    current = getattr(plugin, "current_language", None)
    default = getattr(plugin, "default_language", None)
    folder = f"{current}/" if current and current != default else ""
    for page in pages:
        if folder:
            page.dest_uri = folder + page.dest_uri
        files.append(page)
