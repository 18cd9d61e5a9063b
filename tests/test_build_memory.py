"""What a build holds: generated pages at one byte a character, released once MkDocs is done,
and what search never indexes out of what the search plugin parses.

MkDocs keeps every page's Markdown and HTML until the last page is written. A real build of a
small generated (ASCII) handbook runs with a MkDocs hook that records, after every other
handler, what each page still holds; the pages a reader gets are checked to be the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sopkit.render import passthrough
from sopkit.render.escape import html_latin1

from .sites import build_config_file, generated_handbook

SCALING = ("sops", "run", "roles", "tools", "raci", "onboarding")

# Runs after every handler (sopkit's last ones are at -100) and records what each page holds.
HOOK = """
import json
from pathlib import Path
from mkdocs.plugins import event_priority

held = {}

@event_priority(-1000)
def on_page_content(html, page, config, files):
    held[page.file.src_uri] = {
        "latin1": not any(ord(c) > 0xFF for c in html),
        "markdown_after_content": len(page.markdown or ""),
    }
    return html

@event_priority(1)
def on_page_context(context, page, config, nav):
    # Just before the search plugin (0) reads the page.
    content = page.content or ""
    held[page.file.src_uri]["svg_when_indexed"] = content.count("<svg")
    held[page.file.src_uri]["excluded_when_indexed"] = content.count("data-search-exclude")
    return context

@event_priority(-1000)
def on_post_page(output, page, config):
    article = output[output.find("<article") : output.find("</article>")]
    held[page.file.src_uri]["svg_written"] = article.count("<svg")
    held[page.file.src_uri]["content_after_page"] = len(page.content or "")
    return output

def on_post_build(config):
    Path(config.site_dir, "held.json").write_text(json.dumps(held), encoding="utf-8")
"""


def test_html_past_latin1_becomes_character_references_outside_raw_text() -> None:
    ascii_markup = '<p class="x">plain</p>'
    assert html_latin1(ascii_markup) is ascii_markup
    markup = (
        '<p title="1 \u2192 2">\u25b2 caf\u00e9 \u201cq\u201d \U0001f680</p>'
        '<script>var s = "\u2192";</script><STYLE>p::before { content: "\u25b2"; }</STYLE>'
    )
    out = html_latin1(markup)
    assert out == (
        '<p title="1 &#8594; 2">&#9650; caf\u00e9 &#8220;q&#8221; &#128640;</p>'
        '<script>var s = "\u2192";</script><STYLE>p::before { content: "\u25b2"; }</STYLE>'
    )
    # A browser (or Material's search) reads the same text back.
    soup = BeautifulSoup(out, "html.parser")
    assert soup.p is not None
    assert soup.p.get_text() == "\u25b2 caf\u00e9 \u201cq\u201d \U0001f680"
    assert soup.p["title"] == "1 \u2192 2"


def test_stashed_blocks_are_latin1_and_the_markdown_around_them_is_untouched() -> None:
    o, c = passthrough.OPEN, passthrough.CLOSE
    text, blocks = passthrough.stash(f"# A \u2192 B\n\n{o}\n<p>1 \u2192 2</p>\n{c}\n")
    assert blocks == ["<p>1 &#8594; 2</p>"]
    assert text.startswith("# A \u2192 B\n")


def test_unsearched_parts_wait_apart_and_come_back_as_material_leaves_them() -> None:
    blocks = [
        '<p>Read</p><svg viewBox="0 0 1 1"><text>Label</text></svg>'
        '<ul data-search-exclude="list"><li>Hidden</li></ul>'
        "<div data-search-exclude><div>a</div>b</div><p>End</p>"
    ]
    searched, parts = passthrough.unsearched_apart(blocks)
    assert searched == [
        "<p>Read</p><!--sopkit:unsearched:0--><!--sopkit:unsearched:1-->"
        "<!--sopkit:unsearched:2-->b</div><p>End</p>"
    ]
    # Material's search ends an exclusion at the first closing tag of its name, and removes
    # the marker (with a value) from the page once it has read it.
    assert parts == [
        '<svg viewBox="0 0 1 1"><text>Label</text></svg>',
        "<ul><li>Hidden</li></ul>",
        "<div data-search-exclude><div>a</div>",
    ]
    html = passthrough.restore_unsearched(searched[0], parts)
    assert html == (
        '<p>Read</p><svg viewBox="0 0 1 1"><text>Label</text></svg><ul><li>Hidden</li></ul>'
        "<div data-search-exclude><div>a</div>b</div><p>End</p>"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("memory")
    config = generated_handbook(30, out)
    (out / "sopkit" / "held_hook.py").write_text(HOOK, encoding="utf-8")
    config.write_text(
        config.read_text(encoding="utf-8") + "hooks:\n  - held_hook.py\n", encoding="utf-8"
    )
    build_config_file(config, out)
    site = out / "sopkit" / "site"
    held: dict[str, Any] = json.loads((site / "held.json").read_text(encoding="utf-8"))
    return site, held


def test_an_ascii_handbooks_pages_are_held_at_one_byte_a_character(
    built: tuple[Path, dict[str, Any]],
) -> None:
    _, held = built
    sop_pages = [src for src in held if src.startswith("sops/") and not src.endswith("index.md")]
    run_pages = [src for src in held if src.startswith("run/")]
    assert len(sop_pages) == 30 and len(run_pages) == 30
    # Every kind of page that grows in number with the handbook (the lifecycle map and the
    # health page are one page each, and their own Markdown has arrows and ellipses).
    scaling = [src for src in held if src.split("/")[0] in SCALING]
    assert len(scaling) > 100
    assert not [src for src in scaling if not held[src]["latin1"]]


def test_generated_pages_let_their_markdown_and_html_go_once_used(
    built: tuple[Path, dict[str, Any]],
) -> None:
    _, held = built
    generated = [src for src in held if src.split("/")[0] in ("sops", "run", "roles", "tools")]
    assert len(generated) > 60
    for src in generated:
        assert held[src]["markdown_after_content"] == 0, src
        assert held[src]["content_after_page"] == 0, src


def test_the_critical_path_marks_read_the_same(built: tuple[Path, dict[str, Any]]) -> None:
    """The arrow of the critical path and the timeline's triangle, now written as character
    references, are what a reader (and a screen reader) gets."""
    site, _ = built
    soups = (
        BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for page in sorted((site / "sops").rglob("index.html"))
    )
    soup = next(soup for soup in soups if soup.select_one(".sopkit-timeline"))
    legend = soup.select_one(".sopkit-timeline ~ .sopkit-legend")
    assert legend is not None
    assert "\u25b2 and a thick outline: the critical path (steps 1 \u2192 2" in legend.get_text()
    labels = [text.get_text() for text in soup.select(".sopkit-timeline svg text")]
    assert any(label.startswith("\u25b2 ") for label in labels)


def test_the_search_plugin_never_parses_what_it_would_not_index(
    built: tuple[Path, dict[str, Any]],
) -> None:
    """Drawings and parts marked `data-search-exclude` are never indexed; they come back into
    the page after the search plugin has read it, before the theme renders it."""
    _, held = built
    sop_pages = [src for src in held if src.startswith("sops/") and not src.endswith("index.md")]
    for src in sop_pages:
        # The workflow and the timeline, at least.
        assert held[src]["svg_when_indexed"] == 0, src
        assert held[src]["excluded_when_indexed"] == 0, src
        assert held[src]["svg_written"] >= 2, src
