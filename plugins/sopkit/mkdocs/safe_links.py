"""A Markdown extension that keeps links and images from running script.

Handbook prose may contain `[x](javascript:alert(1))` or an entity-encoded variant; after
Python-Markdown has parsed a page, any `href` or `src` whose scheme could execute is replaced
by `#`. Ordinary links, relative links and `mailto:` are untouched.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_UNSAFE = re.compile(r"^(javascript|vbscript|data|file|blob):", re.IGNORECASE)
_SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpe?g|gif|webp);", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_unsafe_url(url: str, image: bool = False) -> bool:
    """Whether a browser would treat `url` as something other than a place to go."""
    plain = _INVISIBLE.sub("", html.unescape(html.unescape(url)))
    if image and _SAFE_IMAGE_DATA.match(plain):
        return False
    return bool(_UNSAFE.match(plain))


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and is_unsafe_url(value, image=element.tag == "img"):
                    element.set(attribute, "#")


class SafeLinksExtension(Extension):
    """Register with `markdown_extensions` (the sopkit plugin adds it itself)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline parsing (which creates links) and before serialisation.
        md.treeprocessors.register(_SafeLinks(md), "sopkit_safe_links", 1)
