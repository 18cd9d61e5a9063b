"""One escaping function per destination syntax. Every string from a handbook passes one of these.

Generated pages are Markdown read by Python-Markdown (with attr_list and md_in_html) and then
shown as HTML; diagrams are inline SVG; exports are CSV and JSON.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

# Python-Markdown honours a backslash before exactly these characters. (A translation table:
# every generated page escapes thousands of strings, and `str.translate` is twice a regex's speed.)
_MD_BACKSLASH = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()#+-.!"})
# These have no backslash escape in every configuration (tables, pymdownx.mark/caret/tilde,
# emoji shortcodes), so they become numeric character references, which always show literally.
_MD_ENTITY = {"|": "&#124;", "~": "&#126;", "^": "&#94;", "=": "&#61;", ":": "&#58;"}
_MD_ENTITY_RUN = re.compile(r"[|~^=]|:(?=[\w+-]+:)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def html_text(text: str) -> str:
    """Text for an HTML element or a double-quoted attribute."""
    return html.escape(text, quote=True)


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def svg_text(text: str) -> str:
    """Text for an inline SVG element (`<text>`, `<title>`, `<desc>`) or a double-quoted
    attribute: characters XML forbids are dropped, whitespace folds to single spaces (a line
    break must not end the Markdown HTML block the drawing sits in), `<&>"'` become entities."""
    return html.escape(" ".join(_XML_INVALID.sub("", text).split()), quote=True)


def md_html_text(text: str) -> str:
    """Text for raw HTML inside a Markdown page (an element or a double-quoted attribute).

    As `html_text`, without control characters: Python-Markdown marks its placeholders with
    STX/ETX, which text in a raw HTML block must never forge.
    """
    return html.escape(_CONTROL.sub("", text), quote=True)


# Character references for what lies past U+00FF, outside `<script>` and `<style>` (raw text,
# where a reference would stay as typed). The first group of each match is a raw-text element.
_PAST_LATIN1 = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>)|[^\x00-\xff]",
    re.IGNORECASE | re.DOTALL,
)


def html_latin1(markup: str) -> str:
    """HTML with every character past U+00FF written as a numeric character reference: the
    same page to a browser, a search index or a screen reader. CPython stores a string at two
    bytes a character (four past U+FFFF) as soon as it holds one such character, so a generated
    block with an arrow or a triangle in it would double the memory its page takes in a build."""
    if markup.isascii():
        return markup
    return _PAST_LATIN1.sub(_character_reference, markup)


def _character_reference(match: re.Match[str]) -> str:
    raw_text = match.group(1)
    return raw_text if raw_text is not None else f"&#{ord(match.group(0))};"


_MD_PUNCTUATION = re.compile(r"[\\`*_\[\]()~]")
_TEXT_NODE = re.compile(r">([^<]+)<")


def md_inert_html(markup: str) -> str:
    """One line of escaped HTML that stays as it is where Markdown still parses it (indented
    into an admonition or a tab, where it is not a raw block): Markdown punctuation in the text
    between tags becomes character references, which a browser shows as the same characters,
    so a cut text such as `[y](ja…` cannot open a link across the markup."""
    return _TEXT_NODE.sub(
        lambda match: (
            ">" + _MD_PUNCTUATION.sub(lambda c: f"&#{ord(c.group(0))};", match.group(1)) + "<"
        ),
        markup,
    )


def md_text(text: str) -> str:
    """Text inside a Markdown paragraph, list item or heading, shown literally.

    `<` and `&` become entities (no raw HTML, no entity tricks), Markdown punctuation is
    backslash-escaped (no emphasis, links, attribute lists or Jinja-looking braces), and line
    breaks fold into spaces so the text cannot start a new block.
    """
    # Control characters never reach the page: Python-Markdown uses STX/ETX as placeholders.
    flat = " ".join(_CONTROL.sub("", text).split())
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.translate(_MD_BACKSLASH)
    return _MD_ENTITY_RUN.sub(lambda m: _MD_ENTITY[m.group(0)], escaped)


def md_cell(text: str) -> str:
    """Text inside a Markdown table cell. `md_text` already writes `|` as `&#124;` and folds line
    breaks, so a cell can never be split or ended by handbook text."""
    return md_text(text)


def css_string(text: str) -> str:
    """A double-quoted CSS string (a `content` value, through a custom property): backslashes
    and quotes escaped, line breaks as `\\a `, other control characters dropped. Escape the
    result again for the HTML attribute it sits in."""
    text = _CONTROL.sub("", text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"\r\n|[\n\r\f]", r"\\a ", text) + '"'


def css_class(text: str) -> str:
    """A CSS class fragment from an id (ids are slugs already; this is the guard)."""
    return re.sub(r"[^a-z0-9-]", "-", text.lower())


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"'}


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text` (front matter values)."""
    out = []
    for char in text:
        code = ord(char)
        if char in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[char])
        elif (
            code < 0x20
            or code in (0x7F, 0x85, 0xA0, 0x2028, 0x2029, 0xFEFF)
            or (0xD800 <= code <= 0xDFFF)
        ):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def tag_markup(tag: str) -> str:
    """A free-text tag as Material's tags plugin gets it: Material writes tag names into the
    page, its tag index and its table of contents without escaping them, so `&`, `<` and `>`
    arrive as character references and the browser shows the tag as written."""
    return html.escape(tag, quote=False)


def json_text(value: Any) -> str:
    """Deterministic JSON: sorted keys, UTF-8 kept, no trailing spaces."""
    return "".join(json_chunks(value))


def json_chunks(value: Any) -> Iterator[str]:
    """`json_text(value)` in pieces, to write a large document without holding all of it."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2)
    yield from encoder.iterencode(value)
    yield "\n"


_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A spreadsheet cell that can never run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_CSV_FORMULA) else text


_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file|blob):", re.IGNORECASE)
_SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpe?g|gif|webp);", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(url: str, image: bool = False) -> bool:
    """Whether a browser would treat `url` as something other than a place to go (script)."""
    plain = _INVISIBLE.sub("", html.unescape(html.unescape(url)))
    if image and _SAFE_IMAGE_DATA.match(plain):
        return False
    return bool(_UNSAFE_SCHEME.match(plain))


def url_attr(url: str) -> str | None:
    """An http(s) URL safe for an href, or None for anything else (javascript:, data:, ...)."""
    if re.match(r"^https?://[^\s\"'<>]+$", url):
        return url
    return None
