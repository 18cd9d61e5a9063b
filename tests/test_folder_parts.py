"""An SOP folder of more than `list_page` SOPs: its index lists them on numbered pages.

Unit tests render the shipped handbook with small list pages; one real `mkdocs build` of a
handbook with a folder of 152 SOPs checks the pages a reader gets: `sops/<folder>/` and
`sops/<folder>/2/`, linked from each other, every SOP on exactly one of them, none of them in the
navigation. The same handbook has a file of its own at the address of two numbered pages (an SOP
`sops/bulk/2.md` and a hand-written `roles/seo-specialist/2.md`): each is kept, the numbered page
moves beside it, and the build names the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from sopkit.cli import main
from sopkit.labels import site_labels
from sopkit.load import load_library
from sopkit.model import Library
from sopkit.project import read_source_config
from sopkit.render import links, paging
from sopkit.render.context import PageOptions
from sopkit.render.site_pages import generated_pages, part_clashes, part_pages

from .sites import BASE_CONFIG, SHIPPED, Build, build, copy_handbook

TODAY = dt.date(2026, 11, 24)
SMALL = PageOptions(today=TODAY, list_page=2)
"""With 2 SOPs a page, the shipped handbook's folders of 3 and 4 SOPs span two pages."""
AREA = 151
"""SOPs of `sops/bulk/area/`; with `sops/bulk/2.md`, `sops/bulk/` holds 152."""


@pytest.fixture(scope="module")
def shipped() -> Library:
    return load_library(SHIPPED)


def _soup(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown, "html.parser")


def _rows(markdown: str) -> list[str]:
    """The SOP pages a folder page's table links to, as site URLs from its own."""
    return [str(a["href"]) for a in _soup(markdown).select("tbody tr td:first-child a")]


def _url(src: str, href: str) -> str:
    return urlsplit(urljoin(f"https://h/{links.page_url(src)}", href)).path.strip("/") + "/"


def _folders(library: Library) -> dict[str, list[str]]:
    """Each SOP folder's index page -> the URLs of the SOPs in it or below it."""
    found: dict[str, list[str]] = {}
    for sop in library.sops:
        folder = posixpath.dirname(sop.file)
        while folder.startswith(library.settings.sops_dir + "/"):
            found.setdefault(f"{folder}/index.md", []).append(links.page_url(sop.file))
            folder = posixpath.dirname(folder)
    return found


def test_a_folder_over_the_limit_lists_its_sops_on_even_numbered_pages(shipped: Library) -> None:
    pages = generated_pages(shipped, SMALL)
    split = 0
    for index, sops in _folders(shipped).items():
        folder = posixpath.dirname(index)
        own = [index] + [
            p
            for p in pages
            if posixpath.dirname(p) == folder and re.fullmatch(r"\d+\.md", posixpath.basename(p))
        ]
        runs = paging.split(sops, SMALL.list_page)
        assert len(own) == len(runs), index
        listed: list[str] = []
        for number, src in enumerate(own, start=1):
            assert src == paging.part_page(index, number)
            page = pages[src]
            rows = [_url(src, href) for href in _rows(page.markdown)]
            assert 0 < len(rows) <= SMALL.list_page
            listed += rows
            # Page 2, 3, ... are marked as the continuation of the list, page 1 is not.
            assert (page.continues is None) == (number == 1)
            pager = _soup(page.markdown).select("nav.sopkit-pager")
            if len(own) == 1:
                assert not pager
                assert f"{len(sops)} SOP" in page.markdown
                continue
            split += 1
            # Above and below the table, each page links every other and marks itself.
            assert len(pager) == 2
            for nav in pager:
                assert nav["aria-label"] == "Pages of this section's SOPs"
                hrefs = {_url(src, str(a["href"])) for a in nav.select("a")}
                assert hrefs == {links.page_url(p) for p in own if p != src}
                assert nav.select_one("strong[aria-current=page]").get_text() == str(number)
            first = sum(len(run) for run in runs[: number - 1]) + 1
            last = first + len(runs[number - 1]) - 1
            assert (
                f"{len(sops)} SOPs in this section, on {len(own)} pages\\. This is page "
                f"{number}, with SOPs {first} to {last}\\." in page.markdown
            )
        # Every SOP of the folder is on exactly one of its pages, in the order of the index.
        assert listed == sops, index
    assert split
    assert part_pages(pages) == {
        src for src, page in pages.items() if page.continues and page.continues.number > 1
    }


def test_a_folder_within_the_limit_keeps_its_page(shipped: Library) -> None:
    pages = generated_pages(shipped, PageOptions(today=TODAY))
    index = pages["sops/content/index.md"].markdown
    assert "sopkit-pager" not in index and "\n# Content\n" in index
    assert "4 SOPs in this section\\." in index
    assert not part_pages(pages)


def test_the_first_page_keeps_the_folder_title_later_pages_say_which_page(
    shipped: Library,
) -> None:
    pages = generated_pages(shipped, SMALL)
    assert "\n# Content\n" in pages["sops/content/index.md"].markdown
    assert "\n# Content, page 2 of 2\n" in pages["sops/content/2.md"].markdown


@pytest.mark.parametrize(
    ("language", "title", "intro", "label"),
    [
        ("de", "Content, Seite 2 von 2", "4 SOPs in diesem Bereich, auf 2 Seiten", "Seiten der"),
        ("fr", "Content, page 2 sur 2", "4 procédures dans cette section, sur 2", "Pages des"),
        ("es", "Content, página 2 de 2", "4 procedimientos en esta sección, en 2", "Páginas de"),
    ],
)
def test_folder_pages_speak_the_site_language(
    shipped: Library, language: str, title: str, intro: str, label: str
) -> None:
    options = dataclasses.replace(SMALL, labels=site_labels(language))
    markdown = generated_pages(shipped, options)["sops/content/2.md"].markdown
    assert f"\n# {title}\n" in markdown
    assert intro in markdown
    assert _soup(markdown).select_one("nav.sopkit-pager")["aria-label"].startswith(label)


def test_a_file_of_the_site_at_a_numbered_page_keeps_it_and_the_page_moves(
    shipped: Library,
) -> None:
    """The address of `sops/content/2.md` is taken twice over: by an SOP file of that name and
    by a folder `sops/channels/2/` (whose index would be served at the same URL)."""
    files = [*shipped.sop_files, "sops/content/2.md", "sops/channels/2/x.md", "roles/x.md"]
    own = paging.addresses(files)
    options = dataclasses.replace(SMALL, taken=frozenset(own))
    pages = generated_pages(shipped, options)
    assert "sops/content/2.md" not in pages and "sops/channels/2.md" not in pages
    moved = pages["sops/content/page-2.md"]
    assert moved.continues is not None and moved.continues.planned == "sops/content/2.md"
    assert "sops/channels/page-2.md" in pages
    first = _soup(pages["sops/content/index.md"].markdown).select_one("nav.sopkit-pager a")
    assert first["href"] == "page-2/"
    clashes = part_clashes(pages, own)
    assert [(c.file, c.line, c.severity, c.rule) for c in clashes] == [
        ("sops/channels/2/x.md", 1, "warning", "page-address"),
        ("sops/content/2.md", 1, "warning", "page-address"),
    ]
    assert "served at /sops/content/page-2/ instead" in clashes[1].message
    # A free name is found however many are taken.
    taken = frozenset(paging.addresses(["a/2.md", "a/page-2.md", "a/page-2-2.md"]))
    assert [p.page for p in paging.parts("a.md", 2, taken)] == ["a.md", "a/page-2-3.md"]
    # Without directory URLs, `a/2.md` and `a/2/index.md` are different pages.
    for files, page in ((["a/2/index.md", "a/2/x.md"], "a/2.md"), (["a/2.md"], "a/page-2.md")):
        flat = frozenset(paging.addresses(files, use_directory_urls=False))
        assert paging.parts("a.md", 2, flat, use_directory_urls=False)[1].page == page


# -- a real build ----------------------------------------------------------------------------

BULK = """\
---
title: Bulk procedure {n}
id: bulk-{n}
objective: Keep bulk item {n} in order.
phase: develop
owner: seo-specialist
status: active
reviewed: 2026-11-10
review_every: 1y
trigger: A bulk item arrives.
cadence: on-demand
kpis:
  - {{name: Items done, target: ">= 1"}}
steps:
  - id: do
    title: Do the bulk work
    raci: {{R: seo-specialist, A: seo-specialist}}
    duration: 1h
    output: Bulk item {n} done
  - id: sign
    title: Sign the bulk work off
    kind: approval
    raci: {{R: content-lead, A: seo-specialist}}
    duration: 1h
    after: [do]
    criteria: [It is done]
---

The bulk procedure {n}.
"""
HAND_WRITTEN = "# Notes of the SEO specialist\n\nA page of the team's own.\n"


def bulk_handbook(target: Path, clashes: bool = True) -> Path:
    """The shipped handbook with `sops/bulk/area/` of `AREA` SOPs and, with `clashes`, a file at
    the address of two numbered pages."""
    handbook = copy_handbook(SHIPPED, target)
    area = handbook / "sops" / "bulk" / "area"
    area.mkdir(parents=True)
    for n in range(1, AREA + 1):
        (area / f"bulk-{n:03}.md").write_text(BULK.format(n=f"{n:03}"), encoding="utf-8")
    if not clashes:
        return handbook
    # An SOP whose file name is a number, and a page of the site's own where a role's list
    # continues: both at the address of a numbered page.
    numbered = BULK.format(n="000").replace("Bulk procedure 000", "Numbered procedure")
    (handbook / "sops" / "bulk" / "2.md").write_text(numbered, encoding="utf-8")
    (handbook / "roles" / "seo-specialist").mkdir(parents=True)
    (handbook / "roles" / "seo-specialist" / "2.md").write_text(HAND_WRITTEN, encoding="utf-8")
    return handbook


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Build:
    workdir = tmp_path_factory.mktemp("folder-parts")
    handbook = bulk_handbook(workdir / "handbook")
    config: dict[str, Any] = {**BASE_CONFIG, "site_url": "https://handbook.example/"}
    result = build(handbook, workdir, config, strict=False)
    assert result.returncode == 0, result.output
    return result


def _pager(page: BeautifulSoup, url: str) -> list[str]:
    navs = page.select("article nav.sopkit-pager")
    assert len(navs) == 2, url
    found = []
    for item in navs[0].children:
        if getattr(item, "name", None) == "a":
            found.append(_url_of(url, str(item["href"])))
        elif getattr(item, "name", None) == "strong":
            assert item["aria-current"] == "page"
            found.append(url)
    return found


def _url_of(page_url: str, href: str) -> str:
    return urlsplit(urljoin(f"https://h/{page_url}", href)).path.strip("/") + "/"


def _nav_urls(site: Build, url: str) -> set[str]:
    page = site.html(url)
    hrefs = [str(a["href"]) for a in page.select("nav.md-nav--primary a.md-nav__link[href]")]
    return {_url_of(url, href) for href in hrefs if not href.startswith("#")}


def test_a_large_folder_has_numbered_pages_that_link_each_other_and_list_every_sop(
    bulk: Build,
) -> None:
    for folder, count, second in (
        ("sops/bulk/area/", AREA, "sops/bulk/area/2/"),
        ("sops/bulk/", AREA + 1, "sops/bulk/page-2/"),
    ):
        pages = _pager(bulk.html(folder), folder)
        assert pages == [folder, second]
        assert _pager(bulk.html(second), second) == pages
        listed: list[str] = []
        for url in pages:
            page = bulk.html(url)
            rows = page.select("article table tbody tr td:first-child a")
            assert 0 < len(rows) <= PageOptions(today=TODAY).list_page
            listed += [_url_of(url, str(a["href"])) for a in rows]
            intro = page.select_one("article h1 + p").get_text()
            assert intro.startswith(f"{count} SOPs in this section, on 2 pages. This is page")
        expected = [f"sops/bulk/area/bulk-{n:03}/" for n in range(1, AREA + 1)]
        if folder == "sops/bulk/":
            expected = ["sops/bulk/2/", *expected]
        assert sorted(listed) == sorted(expected)
        assert len(set(listed)) == len(listed)
        for url in listed:
            assert (bulk.site / url / "index.html").is_file()
    assert bulk.html("sops/bulk/area/2/").select_one("h1").get_text() == "Area, page 2 of 2"


def test_the_navigation_holds_no_numbered_page_but_every_page_of_the_site(bulk: Build) -> None:
    numbered = {"sops/bulk/area/2/", "sops/bulk/page-2/", "roles/seo-specialist/page-2/"}
    for url in ("", "sops/bulk/area/", "sops/bulk/area/2/", "sops/bulk/page-2/"):
        nav = _nav_urls(bulk, url)
        assert not nav & numbered, url
        assert {"sops/bulk/", "sops/bulk/area/", "sops/bulk/2/"} <= nav
    # The numbered pages exist all the same.
    for url in numbered:
        assert (bulk.site / url / "index.html").is_file()


def test_a_file_at_a_numbered_page_address_is_kept_and_named(bulk: Build) -> None:
    warnings = sorted(line for line in bulk.output.splitlines() if "WARNING" in line)
    assert len(warnings) == 2, bulk.output
    assert "roles/seo-specialist/2.md:1:1: warning page-address:" in warnings[0]
    assert "served at /roles/seo-specialist/page-2/ instead" in warnings[0]
    assert "sops/bulk/2.md:1:1: warning page-address:" in warnings[1]
    assert "takes the address /sops/bulk/2/ of page 2" in warnings[1]
    assert "served at /sops/bulk/page-2/ instead" in warnings[1]
    assert "hint: rename 2.md (or its folder) to give" in bulk.output
    # The author's pages are where they were written.
    assert bulk.html("sops/bulk/2/").select_one("h1").get_text() == "Numbered procedure"
    notes = bulk.html("roles/seo-specialist/2/")
    assert notes.select_one("h1").get_text() == "Notes of the SEO specialist"
    # The role's list continues on the page that moved, and its pager links there.
    role = bulk.html("roles/seo-specialist/")
    assert "roles/seo-specialist/page-2/" in _pager(role, "roles/seo-specialist/")


def test_numbered_pages_are_in_search_like_the_folder_index(bulk: Build) -> None:
    docs = bulk.json("search/search_index.json")["docs"]
    locations = {doc["location"].split("#")[0] for doc in docs}
    assert "sops/bulk/area/" in locations
    assert "sops/bulk/area/2/" in locations


# -- build-md --project ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    workdir = tmp_path_factory.mktemp("folder-parts-project")
    handbook = bulk_handbook(workdir / "handbook")
    out = workdir / "project"
    here = Path.cwd()
    os.chdir(workdir)
    try:
        err = workdir / "err"
        with err.open("w", encoding="utf-8") as stream, contextlib.redirect_stderr(stream):
            assert main(["build-md", str(handbook), str(out), "--project"]) == 0
        yield out, err.read_text(encoding="utf-8")
    finally:
        os.chdir(here)
        shutil.rmtree(workdir / "handbook")


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for entry in nav for page in _nav_pages(entry)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def test_the_project_nav_holds_no_numbered_page(project: tuple[Path, str]) -> None:
    out, err = project
    docs = out / "docs"
    config = read_source_config(out / "mkdocs.yml")
    nav = _nav_pages(config["nav"])
    # Pages are written as folder indexes (`sops/bulk/area/2/index.md`).
    for page in ("sops/bulk/area/2/index.md", "sops/bulk/page-2/index.md"):
        assert (docs / page).is_file()
        assert page not in nav
    assert "sops/bulk/2/index.md" in nav and "sops/bulk/area/index.md" in nav
    assert "sops/bulk/2.md:1:1: warning page-address" in err
    assert "roles/seo-specialist/2.md:1:1: warning page-address" in err
