"""The SOP finder in parts: past `PageOptions.finder_part` SOPs its table continues on numbered
part pages (`sops/2.md`, ...), each a full table of its rows with a pager and its own filter data.

Checked here on the generated Markdown with a small bound; what a reader sees of a large
handbook (the parts loaded into one table, a failed load, JavaScript off) is in
tests/test_browser_finder_pages.py.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from sopkit.labels import site_labels
from sopkit.load import load_library
from sopkit.model import Library
from sopkit.render import paging
from sopkit.render.context import PageOptions
from sopkit.render.finder import finder_order
from sopkit.render.site_pages import generated_pages, part_clashes, part_pages

from .finder_expect import TODAY
from .sites import HOSTILE, SHIPPED
from .test_finder import choices, read_rows

OPTIONS = PageOptions(today=TODAY)
DASH = "\u2013"
"""Between the first and the last SOP of a part (`SOPs 5-8 of 15`, with an en dash)."""


def finder_parts(library: Library, options: PageOptions) -> dict[str, str]:
    """The finder's pages (`sops/index.md`, `sops/2.md`, ...) in order of their number."""
    pages = generated_pages(library, options)
    found = {"sops/index.md": pages["sops/index.md"].markdown}
    number = 2
    while f"sops/{number}.md" in pages:
        found[f"sops/{number}.md"] = pages[f"sops/{number}.md"].markdown
        number += 1
    return found


def soup_of(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown, "html.parser")


def front_matter(markdown: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    assert match is not None
    found = yaml.safe_load(match.group(1))
    assert isinstance(found, dict)
    return found


def row_ids(markdown: str) -> list[str]:
    return [str(row["data-sop"]) for row in soup_of(markdown).select("tbody tr[data-sop]")]


def test_a_handbook_at_or_under_the_bound_keeps_its_one_finder_page() -> None:
    library = load_library(SHIPPED)
    count = len(library.sops)
    whole = finder_parts(library, OPTIONS)
    at_bound = finder_parts(library, dataclasses.replace(OPTIONS, finder_part=count))
    assert list(whole) == list(at_bound) == ["sops/index.md"]
    assert at_bound == whole
    soup = soup_of(whole["sops/index.md"])
    assert not soup.select("[data-finder-parts], [data-finder-total], nav.sopkit-pager")
    status = soup.select_one(".sopkit-finder__status")
    assert status is not None and status.get_text() == f"{count} SOPs."


@pytest.mark.parametrize("bound", [1, 4, 7])
def test_past_the_bound_the_rows_go_in_order_to_even_parts(bound: int) -> None:
    library = load_library(SHIPPED)
    order = [sop.id for sop in finder_order(library)]
    whole = soup_of(finder_parts(library, OPTIONS)["sops/index.md"])
    pages = finder_parts(library, dataclasses.replace(OPTIONS, finder_part=bound))
    runs = paging.split(order, bound)
    assert len(pages) == len(runs) == -(-len(order) // bound)
    assert [row_ids(markdown) for markdown in pages.values()] == runs
    assert max(map(len, runs)) - min(map(len, runs)) <= 1
    # The rows are the finder's, cell for cell (links relative to their own page).
    whole_rows = {str(row["data-sop"]): row for row in whole.select("tbody tr[data-sop]")}
    for page, markdown in pages.items():
        for row in soup_of(markdown).select("tbody tr[data-sop]"):
            expected = whole_rows[str(row["data-sop"])]
            assert row.get_text("|") == expected.get_text("|")
            link, own = row.find("a"), expected.find("a")
            assert isinstance(link, Tag) and isinstance(own, Tag)
            prefix = "" if page == "sops/index.md" else "../"
            assert link["href"] == prefix + str(own["href"])
    # Each part's filter data is its rows' share of the whole, positions among the finder's
    # checkboxes: together, exactly the data of the one-page finder.
    facets = [str(d["data-facet"]) for d in whole.select("details[data-facet]")]
    sizes = [len(choices(whole, facet)) for facet in facets]
    data = []
    for markdown in pages.values():
        section = soup_of(markdown).select_one("section.sopkit-finder")
        assert section is not None
        part = read_rows(str(section["data-rows"]), sizes)
        assert len(part) == len(row_ids(markdown))
        data += part
    finder = whole.select_one("[data-sopkit-finder]")
    assert finder is not None
    assert data == read_rows(str(finder["data-rows"]), sizes)


def test_every_part_says_which_sops_it_holds_and_links_every_other() -> None:
    library = load_library(SHIPPED)
    total = len(library.sops)
    pages = finder_parts(library, dataclasses.replace(OPTIONS, finder_part=4))
    assert list(pages) == ["sops/index.md", "sops/2.md", "sops/3.md", "sops/4.md"]
    first = 1
    for number, markdown in enumerate(pages.values(), start=1):
        soup = soup_of(markdown)
        held = len(row_ids(markdown))
        said = f"SOPs {first}{DASH}{first + held - 1} of {total}."
        first += held
        # Two pagers (above and below the table), each linking every other part.
        pagers = soup.select("[data-finder-parts] nav.sopkit-pager")
        assert len(pagers) == 2
        for pager in pagers:
            current = pager.select_one("[aria-current=page]")
            assert current is not None and current.get_text() == str(number)
            links = [(a.get_text(), str(a["href"])) for a in pager.select("a")]
            expected = {"1": "./", "2": "2/", "3": "3/", "4": "4/"}
            if number > 1:
                expected = {k: "../" + v.removeprefix("./") for k, v in expected.items()}
            del expected[str(number)]
            assert links == list(expected.items())
        if number == 1:
            finder = soup.select_one("[data-sopkit-finder]")
            assert finder is not None and finder["data-finder-total"] == str(total)
            status = soup.select_one(".sopkit-finder__status")
            assert status is not None and status.get_text() == said
            assert "search" not in front_matter(markdown)
            continue
        # A part page: its rows and a link back to the finder; no controls, out of search.
        assert front_matter(markdown)["search"] == {"exclude": True}
        title = re.search(r"^# (.+)$", markdown, re.M)
        assert title is not None and title.group(1) == f"All SOPs, part {number} of 4"
        section = soup.select_one(f"section[data-finder-part='{number}']")
        assert section is not None and not section.has_attr("data-sopkit-finder")
        assert not soup.select("form, input, [data-sopkit-finder]")
        range_line = soup.select_one(".sopkit-finder__range")
        assert range_line is not None
        assert range_line.get_text().startswith(said)
        back = range_line.select_one("a")
        assert back is not None and back["href"] == "../"
        assert back.get_text() == f"Filter and search all {total} SOPs in the finder"


def test_part_pages_speak_the_site_language() -> None:
    library = load_library(SHIPPED)
    options = dataclasses.replace(OPTIONS, finder_part=4, labels=site_labels("de"))
    pages = finder_parts(library, options)
    part = pages["sops/2.md"]
    assert "# Alle SOPs, Teil 2 von 4" in part
    range_line = soup_of(part).select_one(".sopkit-finder__range")
    assert range_line is not None
    assert range_line.get_text().startswith(f"SOPs 5{DASH}8 von {len(library.sops)}.")
    status = soup_of(pages["sops/index.md"]).select_one(".sopkit-finder__status")
    assert status is not None and status.get_text() == f"SOPs 1{DASH}4 von {len(library.sops)}."


def test_hostile_titles_stay_text_on_part_pages() -> None:
    library = load_library(HOSTILE)
    pages = finder_parts(library, dataclasses.replace(OPTIONS, finder_part=1))
    assert len(pages) > 1
    titles = {sop.id: sop.title for sop in library.sops}
    for markdown in pages.values():
        soup = soup_of(markdown)
        assert not soup.select("script, img, iframe")
        for row in soup.select("tbody tr[data-sop]"):
            link = row.find("a")
            assert isinstance(link, Tag)
            assert link.get_text() == titles[str(row["data-sop"])]


def test_a_page_of_the_site_at_a_part_address_keeps_it_and_is_named() -> None:
    library = load_library(SHIPPED)
    # An author's SOP file at `sops/2.md`: part 2 moves beside it, and the clash is reported.
    taken = frozenset(paging.addresses([*library.sop_files, "sops/2.md"]))
    options = dataclasses.replace(OPTIONS, finder_part=4, taken=taken)
    pages = generated_pages(library, options)
    assert "sops/2.md" not in pages
    moved = pages["sops/page-2.md"]
    assert moved.continues is not None and moved.continues.number == 2
    assert [pages[f"sops/{n}.md"].continues for n in (3, 4)] != [None, None]
    pager = soup_of(pages["sops/index.md"].markdown).select_one("[data-finder-parts] nav")
    assert pager is not None
    assert [(a.get_text(), a["href"]) for a in pager.select("a")] == [
        ("2", "page-2/"),
        ("3", "3/"),
        ("4", "4/"),
    ]
    section = soup_of(moved.markdown).select_one("section[data-finder-part]")
    assert section is not None and section["data-finder-part"] == "2"
    [finding] = part_clashes(pages, paging.addresses([*library.sop_files, "sops/2.md"]))
    assert (finding.rule, finding.severity, finding.location.file) == (
        "page-address",
        "warning",
        "sops/2.md",
    )
    assert finding.message == (
        "this file takes the address /sops/2/ of page 2 of the list on /sops/; that page is "
        "served at /sops/page-2/ instead"
    )
    # Parts are left out of the navigation, the finder itself is not.
    assert part_pages(pages) >= {"sops/page-2.md", "sops/3.md", "sops/4.md"}
    assert "sops/index.md" not in part_pages(pages)
