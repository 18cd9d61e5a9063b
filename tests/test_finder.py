"""The SOP finder page as generated, free-text tags through every output, and the tag macro.

What a reader sees of the finder in a browser is in tests/test_browser_finder.py; here the
generated page is read as HTML and compared with the handbook, facet by facet.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

from sopkit.check import check_library
from sopkit.load import load_library
from sopkit.macros import HandbookMacros
from sopkit.markdown_site import write_markdown_site
from sopkit.model import Library
from sopkit.render.context import PageOptions
from sopkit.render.export import catalogue_json
from sopkit.render.finder import row_data
from sopkit.render.site_pages import generated_files, generated_pages
from sopkit.render.sop_page import sop_markdown

from .finder_expect import TODAY, expected_facets, facets_for
from .sites import HOSTILE, SHIPPED

GOLDEN_TAGS = Path(__file__).parent / "golden" / "check" / "tags" / "sops" / "free-text.md"


def finder_soup(library: Library) -> BeautifulSoup:
    page = generated_pages(library, PageOptions(today=TODAY))["sops/index.md"]
    return BeautifulSoup(page.markdown, "html.parser")


def choices(soup: BeautifulSoup, facet: str) -> list[str]:
    return [str(box["value"]) for box in soup.select(f"input[type=checkbox][name={facet}]")]


def read_rows(text: str, sizes: list[int]) -> list[list[list[int]]]:
    """`data-rows` read back as finder.js reads it (rows by space, facets by comma, positions
    in base 36 of the width the facet's number of checkboxes needs)."""
    widths = [1 if size <= 36 else 2 if size <= 36**2 else 3 for size in sizes]
    rows = []
    for row in text.split(" ") if text else []:
        fields = row.split(",")
        assert len(fields) == len(sizes)
        rows.append(
            [
                [int(field[at : at + width], 36) for at in range(0, len(field), width)]
                for field, width in zip(fields, widths, strict=True)
            ]
        )
    return rows


def test_row_data_is_compact_and_reads_back() -> None:
    rows = [[[0], [12, 3], []], [[4], [39], [2, 0]], [[1], [], [1]]]
    text = row_data(rows, [5, 40, 3])
    assert text == "0,0c03, 4,13,20 1,,1"
    assert read_rows(text, [5, 40, 3]) == rows
    assert read_rows(row_data(rows, [5, 1300, 3]), [5, 1300, 3]) == rows
    assert row_data([[[1296]]], [1297]) == "100"
    assert row_data([], [3]) == ""


def test_one_row_per_sop_with_what_the_handbook_says() -> None:
    library = load_library(SHIPPED)
    soup = finder_soup(library)
    rows = soup.select("tbody tr[data-sop]")
    assert sorted(str(row["data-sop"]) for row in rows) == sorted(s.id for s in library.sops)
    for row in rows:
        sop = library.sop(str(row["data-sop"]))
        assert sop is not None
        cells = row.find_all("td", recursive=False)
        assert len(cells) == 8
        link = cells[0].find("a")
        assert isinstance(link, Tag)
        assert link.get_text() == sop.title
        assert link["href"] == sop.file.removeprefix("sops/").removesuffix(".md") + "/"
        owner = library.roles[sop.owner or ""]
        assert [c.get_text() for c in cells[1:4]] == [
            sop.phase.capitalize(),
            owner.name,
            owner.team,
        ]
        assert cells[4].get_text().endswith(("working days", "working day", "hours", "minutes"))
        assert cells[5]["data-review"] in ("overdue", "due-soon", "ok", "none")
        assert [span.get_text() for span in cells[6].find_all("span")] == list(sop.tags)
        # Format 1.2: how often it runs, and the trigger below it.
        assert cells[7]["data-cadence"] == (sop.cadence or "")
        trigger = cells[7].find("small")
        assert (trigger.get_text() if trigger else None) == sop.trigger


def test_row_data_matches_each_facet_of_the_handbook() -> None:
    for root in (SHIPPED, HOSTILE):
        library = load_library(root)
        soup = finder_soup(library)
        finder = soup.select_one("[data-sopkit-finder]")
        assert finder is not None
        facets = facets_for(library)
        sizes = [len(choices(soup, facet)) for facet in facets]
        data = read_rows(str(finder["data-rows"]), sizes)
        assert [str(d["data-facet"]) for d in soup.select("details[data-facet]")] == facets
        rows = soup.select("tbody tr[data-sop]")
        assert len(rows) == len(data)
        keys = {
            facet: [value.strip().lower() for value in choices(soup, facet)] for facet in facets
        }
        for row, values in zip(rows, data, strict=True):
            sop = library.sop(str(row["data-sop"]))
            assert sop is not None
            got = {
                facet: {keys[facet][i] for i in indices}
                for facet, indices in zip(facets, values, strict=True)
            }
            expected = expected_facets(library, sop)
            assert got == {facet: expected[facet] for facet in facets}, sop.id
        # Every choice is labelled, and the review states are the documented four.
        assert keys["review"] == ["overdue", "due-soon", "ok", "none"]
        for facet in facets:
            legend = soup.select_one(f"details[data-facet={facet}] legend")
            assert legend is not None and legend.get_text()


def test_without_javascript_the_page_is_the_full_table() -> None:
    soup = finder_soup(load_library(SHIPPED))
    form = soup.select_one("form.sopkit-finder__controls")
    assert form is not None and form.has_attr("hidden")
    assert not soup.select("tbody tr[hidden]")
    status = soup.select_one("[aria-live=polite]")
    assert status is not None and status.get_text() == f"{len(load_library(SHIPPED).sops)} SOPs."


def test_finder_data_holds_positions_only_no_handbook_text() -> None:
    soup = finder_soup(load_library(HOSTILE))
    finder = soup.select_one("[data-sopkit-finder]")
    assert finder is not None
    assert set(str(finder["data-rows"])) <= set(", 0123456789abcdefghijklmnopqrstuvwxyz")
    assert not soup.select("script")


def test_search_text_file_has_objective_step_titles_and_trigger_per_row() -> None:
    library = load_library(SHIPPED)
    soup = finder_soup(library)
    ids = [str(row["data-sop"]) for row in soup.select("tbody tr[data-sop]")]
    texts = json.loads(generated_files(library)["sops/finder.json"])
    assert len(texts) == len(ids)
    for sop_id, text in zip(ids, texts, strict=True):
        sop = library.sop(sop_id)
        assert sop is not None
        trigger = [sop.trigger] if sop.trigger else []
        assert text.split("\n") == [sop.objective, *(step.title for step in sop.steps), *trigger]


def free_text_library(tmp_path: Path) -> Library:
    root = tmp_path / "handbook"
    shutil.copytree(Path(__file__).parent / "golden" / "check" / "_base", root)
    (root / "sops").mkdir()
    shutil.copy(GOLDEN_TAGS, root / "sops" / "free-text.md")
    second = GOLDEN_TAGS.read_text(encoding="utf-8").replace("title: Free-text tags", "title: B")
    second = second.replace('tags: ["Q&A", Social media', 'tags: ["q&a", Other')
    (root / "sops" / "second.md").write_text(second, encoding="utf-8")
    return load_library(root)


def test_free_text_tags_reach_page_front_matter_exports_and_finder(tmp_path: Path) -> None:
    library = free_text_library(tmp_path)
    assert [f for f in check_library(library, TODAY) if f.severity == "error"] == []
    sop = library.sop("free-text")
    assert sop is not None
    written = ["Q&A", "Social media", "SEO", "seo", "<b>Launch</b> {{ 7*7 }}", "Ünïcode 🚀"]
    assert list(sop.tags) == written
    entry = next(s for s in json.loads(catalogue_json(library))["sops"] if s["id"] == "free-text")
    assert entry["tags"] == written
    # Material's tags plugin prints names unescaped: they arrive as character references, one
    # tag per spelling whatever its case (the handbook's first spelling).
    markdown = sop_markdown(library, sop, PageOptions(today=TODAY, material_tags=True))
    front = yaml.safe_load(markdown.split("---\n")[1])
    assert front["tags"] == [
        "Develop",
        "Q&amp;A",
        "Social media",
        "SEO",
        "&lt;b&gt;Launch&lt;/b&gt; {{ 7*7 }}",
        "Ünïcode 🚀",
    ]
    other = library.sop("second")
    assert other is not None
    other_front = yaml.safe_load(
        sop_markdown(library, other, PageOptions(today=TODAY, material_tags=True)).split("---\n")[1]
    )
    assert other_front["tags"][1] == "Q&amp;A"  # written `q&a`, one tag with `Q&A`
    # Without Material's tags the page lists them, escaped, each linked to the finder.
    plain = sop_markdown(library, sop, PageOptions(today=TODAY))
    assert (
        '<a href="../?tag=%3Cb%3ELaunch%3C%2Fb%3E%20%7B%7B%207%2A7%20%7D%7D">'
        "#&lt;b&gt;Launch&lt;/b&gt; {{ 7*7 }}</a>"
    ) in plain
    soup = finder_soup(library)
    assert choices(soup, "tag") == [
        "<b>Launch</b> {{ 7*7 }}",
        "Other",
        "Q&A",
        "SEO",
        "Social media",
        "Ünïcode 🚀",
    ]


def test_sop_table_matches_tags_whatever_their_case(tmp_path: Path) -> None:
    library = free_text_library(tmp_path)
    macros = HandbookMacros(
        library=lambda: library,
        page=lambda: "index.md",
        options=lambda: PageOptions(today=TODAY),
    )
    both = macros.sop_table(tag="Q&A")
    assert "Free\\-text tags" in both and "| [B]" in both
    assert macros.sop_table(tag="social MEDIA").count("\n| [") == 1
    assert macros.sop_table(tag="nothing") == "_No SOP matches\\._"


def test_build_md_writes_the_finder_its_text_and_script(tmp_path: Path) -> None:
    library = load_library(SHIPPED)
    out = tmp_path / "out"
    write_markdown_site(library, out, PageOptions(today=TODAY))
    assert (out / "sops" / "finder.json").read_text(encoding="utf-8") == (
        generated_files(library)["sops/finder.json"]
    )
    assert (out / "assets" / "sopkit" / "finder.js").is_file()
    page = (out / "sops" / "index.md").read_text(encoding="utf-8")
    assert page.count('<tr data-sop="') == len(library.sops)
