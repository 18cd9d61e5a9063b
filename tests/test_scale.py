"""A large handbook: pages that list it are summaries or paged, derived onboarding paths are
capped, aggregate pages stay out of search, and nothing is lost on the way.

The fast tests render a generated 150-SOP handbook without MkDocs, with small list pages so
that lists span several and build the shipped handbook for the search index. The slow test builds
a generated 1,000-SOP handbook and pins the page-size bound (`pytest -m slow`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import posixpath
import re
import sys
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from sopkit.health import health_report
from sopkit.load import load_library
from sopkit.model import Library
from sopkit.onboarding import DERIVED_ITEMS, role_paths
from sopkit.render import links, paging, passthrough
from sopkit.render.context import PageOptions
from sopkit.render.escape import md_html_text, md_text
from sopkit.render.health import health_markdown
from sopkit.render.onboarding_pages import ALSO_SHOWN
from sopkit.render.site_pages import generated_pages

from .sites import (
    BASE_CONFIG,
    SHIPPED,
    Build,
    build,
    build_config_file,
    copy_handbook,
    generated_handbook,
)

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
TODAY = dt.date(2026, 11, 24)
PAGE_LIMIT = 400 * 1024
LARGE = 150
"""SOPs of the fast tests' handbook; with the small pages of `OPTIONS`, lists span pages."""
OPTIONS = PageOptions(today=TODAY, list_page=20, raci_rows=12, raci_split=60, finder_part=40)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Library:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from corpus import generate  # type: ignore[import-not-found]
        from generate import write_sopkit  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(BENCHMARKS))
    handbook = write_sopkit(generate(LARGE, 1, True), tmp_path_factory.mktemp("scale"))
    return load_library(handbook)


@pytest.fixture(scope="module")
def pages(large: Library) -> dict[str, str]:
    generated = generated_pages(large, OPTIONS)
    return {src: page.markdown for src, page in generated.items()}


@functools.cache
def _soup(markdown: str) -> BeautifulSoup:
    """The raw HTML in a generated page's Markdown, parsed once."""
    return BeautifulSoup(markdown, "html.parser")


def _numbered(pages: dict[str, str], first: str) -> list[str]:
    """`first` and its numbered continuation pages, in order."""
    found = [first]
    while (nxt := paging.part_page(first, len(found) + 1)) in pages:
        found.append(nxt)
    return found


# -- paging ----------------------------------------------------------------------------------


def test_lists_split_into_even_runs_of_bounded_size() -> None:
    assert paging.split([], 3) == [[]]
    assert paging.split(list(range(3)), 3) == [[0, 1, 2]]
    assert paging.split(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]
    runs = paging.split(list(range(202)), 100)
    assert [len(r) for r in runs] == [68, 67, 67]
    assert [x for run in runs for x in run] == list(range(202))
    assert paging.part_page("roles/lead.md", 1) == "roles/lead.md"
    assert paging.part_page("roles/lead.md", 2) == "roles/lead/2.md"
    assert paging.part_page("raci/index.md", 3) == "raci/3.md"
    with pytest.raises(ValueError, match="at least 1"):
        paging.split([1], 0)


# -- raw HTML kept away from Python-Markdown ------------------------------------------------


def test_html_blocks_are_stashed_and_restored_in_order() -> None:
    o, c = passthrough.OPEN, passthrough.CLOSE
    markdown = f"# T\n\n{o}\n<p>one</p>\n{c}\n\nProse.\n\n{o}\n<ul><li>two</li></ul>\n{c}\n"
    text, blocks = passthrough.stash(markdown)
    assert blocks == ["<p>one</p>", "<ul><li>two</li></ul>"]
    assert text == "# T\n\n<!--sopkit:0-->\n\nProse.\n\n<!--sopkit:1-->\n"
    html = "<h1>T</h1>\n<!--sopkit:0-->\n<p>Prose.</p>\n<!--sopkit:1-->"
    assert passthrough.restore(html, blocks) == (
        "<h1>T</h1>\n<p>one</p>\n<p>Prose.</p>\n<ul><li>two</li></ul>"
    )
    # An opening marker without its end, and an unknown placeholder, are left alone.
    assert passthrough.stash(f"a\n{o}\nb\n") == (f"a\n{o}\nb\n", [])
    assert passthrough.restore("<!--sopkit:7-->", ["x"]) == "<!--sopkit:7-->"


def test_generated_markdown_keeps_its_html_where_no_plugin_restores_it(
    pages: dict[str, str],
) -> None:
    """`sopkit build-md` writes these pages for any generator: the markers are HTML comments
    around complete raw HTML blocks."""
    role = next(src for src in pages if src.startswith("roles/") and src != links.ROLES_INDEX)
    markdown = pages[role]
    assert markdown.count(passthrough.OPEN) == markdown.count(passthrough.CLOSE) > 0
    for block in passthrough.stash(markdown)[1]:
        assert block.startswith("<") and block.endswith(">")


# -- role and tool pages: summaries, paged, nothing lost -------------------------------------


def _role_links(pages: dict[str, str], role_id: str) -> tuple[list[str], set[tuple[str, str]]]:
    """The role's pages, and every (SOP page, anchor) they link to from the SOP list."""
    own = _numbered(pages, links.role_page(role_id))
    targets: set[tuple[str, str]] = set()
    for src in own:
        for a in _soup(pages[src]).select("ul.sopkit-involvement a[href]"):
            url = urlsplit(urljoin(f"https://h/{links.page_url(src)}", str(a["href"])))
            targets.add((url.path.strip("/"), url.fragment))
    return own, targets


def test_role_pages_list_every_sop_and_step_of_the_role_on_bounded_pages(
    large: Library, pages: dict[str, str]
) -> None:
    paged = 0
    for role_id in large.roles:
        own, targets = _role_links(pages, role_id)
        paged += len(own) > 1
        expected: set[tuple[str, str]] = set()
        count = 0
        for sop in large.sops:
            url = links.page_url(sop.file).strip("/")
            steps = [s for s in sop.steps if s.raci.letters_of(role_id)]
            if steps or sop.owner == role_id:
                count += 1
                expected.add((url, ""))
            expected |= {(url, links.step_anchor(s.id)) for s in steps}
        assert targets == expected, role_id
        entries = sum(len(_soup(pages[src]).select("ul.sopkit-involvement > li")) for src in own)
        assert entries == count
        for src in own:
            assert len(_soup(pages[src]).select("ul.sopkit-involvement > li")) <= OPTIONS.list_page
            # Every page links to every other page of the list.
            pager = _soup(pages[src]).select_one("nav.sopkit-pager")
            if len(own) > 1:
                assert pager is not None
                assert len(pager.select("a")) == len(own) - 1
        # Counts per phase and the role's letters stay on the first page.
        assert "## Load" in pages[own[0]]
    assert paged, f"{LARGE} SOPs should give some role more SOPs than one page lists"


def test_tool_pages_link_every_step_and_kpi_that_uses_the_tool(
    large: Library, pages: dict[str, str]
) -> None:
    for tool_id in large.tools:
        own = _numbered(pages, links.tool_page(tool_id))
        html = "".join(pages[src] for src in own)
        soup = _soup(html)
        hrefs = {
            urlsplit(urljoin(f"https://h/{links.page_url(src)}", str(a["href"])))
            for src in own
            for a in _soup(pages[src]).select("ul.sopkit-involvement a[href]")
        }
        for sop in large.sops:
            url = "/" + links.page_url(sop.file)
            uses = [s for s in sop.steps if tool_id in s.tools]
            for step in uses:
                assert ("h", url, links.step_anchor(step.id)) in {
                    (h.netloc, h.path, h.fragment) for h in hrefs
                }
            for kpi in sop.kpis:
                if kpi.source == tool_id:
                    assert f"KPI source: {md_html_text(kpi.name)}" in html
        assert len(soup.select("ul.sopkit-involvement > li")) == sum(
            1
            for sop in large.sops
            if tool_id in sop.all_tools() or any(k.source == tool_id for k in sop.kpis)
        )


def test_raci_phase_pages_hold_at_most_a_page_of_sops_and_cover_every_sop(
    large: Library, pages: dict[str, str]
) -> None:
    rows: list[str] = []
    for src, markdown in pages.items():
        if src.startswith("raci/") and src != links.RACI_INDEX:
            found = _soup(markdown).select(".sopkit-matrix tbody th a")
            assert 0 < len(found) <= OPTIONS.raci_rows
            rows += [str(a.get_text()) for a in found]
    assert sorted(rows) == sorted(sop.title for sop in large.sops)
    index = pages[links.RACI_INDEX]
    for src in pages:
        if src.startswith("raci/") and src != links.RACI_INDEX:
            assert f"]({links.relative(links.RACI_INDEX, src)})" in index


def test_lifecycle_phase_pages_list_every_sop_once_and_the_overview_links_each(
    large: Library, pages: dict[str, str]
) -> None:
    phase_pages = {src: md for src, md in pages.items() if src.startswith("lifecycle/")}
    phase_pages.pop(links.LIFECYCLE)
    assert phase_pages
    listed: list[str] = []
    for src, markdown in phase_pages.items():
        # `- **[Title](../sops/...)**: objective` lines, one per SOP of the page.
        found = re.findall(r"^- \*\*\[(.+?)\]\(", markdown, flags=re.MULTILINE)
        assert 0 < len(found) <= OPTIONS.list_page, src
        listed += found
    titles = sorted(md_text(sop.title) for sop in large.sops)
    assert sorted(listed) == titles
    overview = pages[links.LIFECYCLE]
    # The overview keeps an anchor per phase and links every page of each phase.
    for phase in large.settings.phases:
        assert f"{{ #{phase} }}" in overview
    for src in phase_pages:
        assert f"]({links.relative(links.LIFECYCLE, src)})" in overview
    assert "- **[" not in overview


def test_a_lifecycle_map_within_the_split_lists_every_sop_on_its_own_page(
    large: Library,
) -> None:
    options = dataclasses.replace(OPTIONS, lifecycle_split=len(large.sops))
    pages = {src: p.markdown for src, p in generated_pages(large, options).items()}
    assert [src for src in pages if src.startswith("lifecycle/")] == [links.LIFECYCLE]
    found = re.findall(r"^- \*\*\[", pages[links.LIFECYCLE], flags=re.MULTILINE)
    assert len(found) == len(large.sops)


def test_sop_folder_indexes_list_every_sop_of_the_folder_once_on_bounded_pages(
    large: Library, pages: dict[str, str]
) -> None:
    root = large.settings.sops_dir
    folders: dict[str, list[str]] = {}
    for sop in large.sops:
        folder = posixpath.dirname(sop.file)
        while folder.startswith(root + "/"):
            folders.setdefault(folder, []).append(links.page_url(sop.file))
            folder = posixpath.dirname(folder)
    paged = 0
    for folder, sops in folders.items():
        own = _numbered(pages, f"{folder}/index.md")
        paged += len(own) > 1
        listed = []
        for src in own:
            rows = _soup(pages[src]).select("tbody tr td:first-child a")
            assert 0 < len(rows) <= OPTIONS.list_page, src
            listed += [_site_path(src, str(a["href"])) for a in rows]
            pagers = _soup(pages[src]).select("nav.sopkit-pager")
            assert len(pagers) == (2 if len(own) > 1 else 0)
            for pager in pagers:
                linked = {_site_path(src, str(a["href"])) for a in pager.select("a")}
                assert linked == {links.page_url(p) for p in own if p != src}
        assert listed == sops, folder
    assert paged, f"{LARGE} SOPs should fill some folder past {OPTIONS.list_page}"


def _site_path(src: str, href: str) -> str:
    return urlsplit(urljoin(f"https://h/{links.page_url(src)}", href)).path.lstrip("/")


# -- onboarding ------------------------------------------------------------------------------


def test_derived_paths_are_capped_and_the_rest_is_also_involved_in(
    large: Library, pages: dict[str, str]
) -> None:
    paths = role_paths(large)
    capped = 0
    for role_id, path in paths.items():
        assert not path.curated
        items = [item.ref for item in path.items]
        assert len(items) <= DERIVED_ITEMS
        involved = [
            sop.id
            for sop in large.sops
            if sop.status != "retired"
            and set("".join(s.raci.letters_of(role_id) for s in sop.steps)) & set("RAC")
        ]
        assert sorted(items + list(path.also)) == sorted(involved)
        assert not set(items) & set(path.also)

        def weight(sop_id: str, role: str = role_id) -> tuple[int, int]:
            sop = large.sop(sop_id)
            assert sop is not None
            letters = "".join(s.raci.letters_of(role) for s in sop.steps)
            return letters.count("A") + letters.count("R"), letters.count("C")

        if path.also:
            capped += 1
            assert len(items) == DERIVED_ITEMS
            # What the path keeps weighs at least as much as anything it leaves out.
            assert min(map(weight, items)) >= max(map(weight, path.also))
        page = _soup(pages[links.onboarding_page(role_id)])
        assert len(page.select("[data-sopkit-item]")) == len(items)
        also = page.select("ul.sopkit-also a")
        assert len(also) == min(len(path.also), ALSO_SHOWN)
        if len(path.also) > ALSO_SHOWN:
            # The rest is on the role's page, which the "also" note links to.
            source = links.onboarding_page(role_id)
            role_link = links.relative(source, links.role_page(role_id))
            assert f"]({role_link})" in pages[source]
    assert capped


def test_curated_paths_are_unchanged() -> None:
    library = load_library(SHIPPED)
    paths = role_paths(library)
    assert library.onboarding
    for role_id, curated in library.onboarding.items():
        path = paths[role_id]
        assert path.curated and path.also == ()
        assert [stage.name for stage in path.stages] == [s.name for s in curated.stages]
        for stage, written in zip(path.stages, curated.stages, strict=True):
            refs = [item.ref for item in stage.items]
            known = [s for s in written.sops if library.sop(s) is not None]
            assert refs == [*written.pages, *known]


def test_generated_pages_stay_small_whatever_the_handbook_size(pages: dict[str, str]) -> None:
    """No generated page grows with the handbook: with lists of 20 SOPs a page (SOP folder
    indexes too), the finder's table in parts of 40 rows and 50 rows a health table, all are far
    below the 400 KB bound."""
    sizes = {src: len(text.encode()) for src, text in pages.items()}
    assert len(_numbered(pages, "sops/index.md")) == 4
    assert max(sizes.values()) < 80 * 1024, max(sizes, key=sizes.__getitem__)


def test_every_table_of_the_health_page_is_bounded_and_says_what_it_leaves_out(
    large: Library,
) -> None:
    """Reviews, approvals in series, lead times and chains of `next` links all grow with the
    handbook: the page shows at most `rows` of each and says how many there are."""
    report = health_report(large, TODAY)
    assert len(report.chains) > 3 and len(report.approvals_in_series) > 3
    text = health_markdown(report, large, links.HEALTH, rows=3)
    tables: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            tables[-1].append(line)
        elif tables[-1]:
            tables.append([])
    # Tables of SOPs (each row links one); tables of roles grow with the roles only.
    tables = [table for table in tables if any("](../sops/" in row for row in table)]
    assert len(tables) >= 3
    for table in tables:
        assert len(table) - 2 <= 3, table
    more = re.findall(r"The first 3 of (\d+) are shown", text)
    assert str(len(report.chains)) in more and str(len(report.approvals_in_series)) in more


# -- search ----------------------------------------------------------------------------------

CHART_PAGE = """# Chart notes

Findable paragraph about the chart below.

<figure><svg viewBox="0 0 100 20" role="img"><title>Axis label</title>
<text x="0" y="10">Quokka bar</text></svg></figure>
"""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Build:
    workdir = tmp_path_factory.mktemp("scale-shipped")
    handbook = copy_handbook(SHIPPED, workdir / "handbook")
    # A hand-written page with an inline chart, as the health page draws them.
    (handbook / "chart-notes.md").write_text(CHART_PAGE, encoding="utf-8")
    result = build(handbook, workdir, BASE_CONFIG)
    assert result.returncode == 0, result.output
    return result


def test_search_finds_sops_by_title_step_role_and_tool_but_not_aggregate_pages(
    shipped: Build,
) -> None:
    library = load_library(SHIPPED)
    docs: list[dict[str, Any]] = shipped.json("search/search_index.json")["docs"]
    locations = {doc["location"].split("#")[0] for doc in docs}
    for page in ("health/", "lifecycle/"):
        assert page not in locations
    assert not any(loc.startswith("onboarding/") and "#" in loc for loc in locations)
    sop = library.sops[0]
    url = links.page_url(sop.file)
    on_page = [doc for doc in docs if doc["location"].split("#")[0] == url]
    text = " ".join(doc["title"] + " " + doc["text"] for doc in on_page)
    assert sop.title in text
    for step in sop.steps:
        assert step.title in text
    owner = library.roles[sop.owner or ""]
    assert owner.name in text
    tool = library.tools[sop.all_tools()[0]]
    assert tool.name in text
    # Role and tool pages are found by their name, not by the SOP titles they list.
    role_docs = [doc for doc in docs if doc["location"].startswith("roles/")]
    assert any(doc["title"] == owner.name for doc in role_docs)
    assert not any(sop.title in doc["text"] for doc in role_docs)


def test_chart_and_diagram_text_is_never_indexed(shipped: Build) -> None:
    index = (shipped.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Findable paragraph" in index
    assert "Quokka" not in index and "Axis label" not in index
    page = (shipped.site / "chart-notes" / "index.html").read_text(encoding="utf-8")
    assert "Quokka bar" in page
    # Material removes the marker once it has read it.
    assert "data-search-exclude" not in page


# -- the bound, on a real 1,000-SOP build ----------------------------------------------------


def _reachable(site: Path, start: str) -> set[str]:
    """Pages and anchors linked from `start` (a site URL) or from the pages of the sections it
    links to (roles, tools, RACI, onboarding, lifecycle), within the site."""
    seen: set[str] = set()
    anchors: set[str] = set()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        html = (site / url / "index.html").read_text(encoding="utf-8")
        article = html[html.find("<article") : html.find("</article>")]
        for href in re.findall(r'href="([^"]+)"', article):
            target = urlsplit(urljoin(f"https://h/{url}", href))
            if target.netloc != "h" or target.path.endswith((".csv", ".json")):
                continue
            path = target.path.strip("/") + "/" if target.path.strip("/") else ""
            anchors.add(path)
            if target.fragment:
                anchors.add(f"{path}#{target.fragment}")
            if path.split("/")[0] in ("roles", "tools", "raci", "onboarding", "lifecycle"):
                queue.append(path)
    return anchors | seen


@pytest.mark.slow
def test_a_1000_sop_handbook_has_no_page_over_400_kb_and_loses_nothing(tmp_path: Path) -> None:
    config = generated_handbook(1000, tmp_path)
    build_config_file(config, tmp_path, timeout=1800)
    site = config.parent / "site"
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    # The SOP finder too: its table in two parts of 500 rows.
    assert "sops/index.html" in sizes and "sops/2/index.html" in sizes
    over = {page: size for page, size in sizes.items() if size > PAGE_LIMIT}
    assert not over
    library = load_library(config.parent / "handbook")
    reachable = _reachable(site, "roles/") | _reachable(site, "tools/")
    reachable |= _reachable(site, "raci/") | _reachable(site, "onboarding/")
    lifecycle = _reachable(site, "lifecycle/")
    for sop in library.sops:
        url = links.page_url(sop.file)
        for step in sop.steps:
            assert f"{url}#{links.step_anchor(step.id)}" in reachable
    for role_id in library.roles:
        assert f"roles/{role_id}/" in reachable
        assert f"onboarding/{role_id}/" in reachable
    for tool_id in library.tools:
        assert f"tools/{tool_id}/" in reachable
    for sop in library.sops:
        assert links.page_url(sop.file) in lifecycle
    # Each SOP folder's index pages, reached from its first page's pager, list each of its SOPs
    # once, at most a list page each.
    root = library.settings.sops_dir + "/"
    folders = {posixpath.dirname(sop.file) for sop in library.sops}
    folders |= {posixpath.dirname(folder) for folder in folders}
    for folder in sorted(f for f in folders if f.startswith(root)):
        listed = _folder_listing(site, folder + "/")
        inside = [s.file for s in library.sops if s.file.startswith(folder + "/")]
        assert sorted(listed) == sorted(map(links.page_url, inside)), folder


def _folder_listing(site: Path, first: str) -> list[str]:
    """The SOP pages the index pages of a folder list (site URLs), page after page."""
    html = (site / first / "index.html").read_text(encoding="utf-8")
    pager = re.search(r'<nav class="sopkit-pager".*?</nav>', html)
    hrefs = re.findall(r'href="([^"]+)"', pager.group(0)) if pager else []
    listed: list[str] = []
    for url in [first, *(urljoin(f"https://h/{first}", h)[len("https://h/") :] for h in hrefs)]:
        page = (site / url / "index.html").read_text(encoding="utf-8")
        table = page[page.find("<tbody>") : page.find("</tbody>")]
        rows = re.findall(r'<tr>\s*<td><a href="([^"]+)"', table)
        assert 0 < len(rows) <= PageOptions(today=TODAY).list_page, url
        listed += [urljoin(f"https://h/{url}", h)[len("https://h/") :] for h in rows]
    return listed
