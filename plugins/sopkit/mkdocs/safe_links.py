"""A Markdown extension that keeps links and images from running script.

Handbook prose may contain `[x](javascript:alert(1))` or an entity-encoded variant; after
Python-Markdown has parsed a page, any `href` or `src` whose scheme could execute is replaced
by `#`. Ordinary links, relative links and `mailto:` are untouched.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sopkit.render.escape import unsafe_url


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and unsafe_url(value, image=element.tag == "img"):
                    element.set(attribute, "#")


class SafeLinksExtension(Extension):
    """Register with `markdown_extensions` (the sopkit plugin adds it itself)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline parsing (which creates links) and before serialisation.
        md.treeprocessors.register(_SafeLinks(md), "sopkit_safe_links", 1)
