"""Real `mkdocs build` runs: the shipped handbook, what every page shows, exports, failures."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from sopkit.load import load_library
from sopkit.render.export import catalogue_schema

from .sites import BASE_CONFIG, SHIPPED, Build, build, copy_handbook, text_of


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("shipped")
    config = {
        **BASE_CONFIG,
        "plugins": ["search", {"sopkit": {"today": "2026-11-24"}}, "macros"],
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables"],
    }
    result = build(SHIPPED, work, config)
    assert result.returncode == 0, result.output
    return result


def test_strict_build_has_no_warnings(shipped: Build) -> None:
    assert "WARNING" not in shipped.output


def test_every_url_of_the_format_exists(shipped: Build) -> None:
    library = load_library(SHIPPED)
    urls = ["raci/", "lifecycle/", "onboarding/", "health/", "roles/", "tools/", "sops/"]
    urls += [sop.file.removesuffix(".md") + "/" for sop in library.sops]
    urls += [f"roles/{role}/" for role in library.roles]
    urls += [f"tools/{tool}/" for tool in library.tools]
    urls += [f"onboarding/{role}/" for role in library.roles]
    missing = [url for url in urls if not (shipped.site / url / "index.html").is_file()]
    assert missing == []
    assert (shipped.site / "sops.json").is_file()
    assert (shipped.site / "raci.csv").is_file()


def test_every_step_criterion_checklist_and_kpi_is_on_its_page(shipped: Build) -> None:
    library = load_library(SHIPPED)
    for sop in library.sops:
        page = shipped.html(sop.file.removesuffix(".md") + "/")
        text = text_of(page)
        assert page.select_one("h1").get_text(strip=True) == sop.title  # type: ignore[union-attr]
        assert " ".join(sop.objective.split()) in text
        for step in sop.steps:
            heading = page.select_one(f"h3#step-{step.id}")
            assert heading is not None, f"{sop.id}: no heading for step {step.id}"
            assert f"{step.index + 1}. {step.title}" in heading.get_text()
            for item in (*step.criteria, *step.checklist):
                assert " ".join(item.split()) in text, f"{sop.id}/{step.id}: {item!r}"
        for kpi in sop.kpis:
            assert kpi.name in text and (kpi.target or "") in text


def test_sop_page_shows_raci_badges_linked_to_role_pages(shipped: Build) -> None:
    page = shipped.html("sops/content/content-production/")
    badges = page.select("#step-draft ~ div.sopkit-raci a.sopkit-badge")
    first = badges[0]
    assert first.get_text(" ", strip=True) == "R · Content Writer"
    assert first["href"] == "../../../roles/content-writer/"
    assert "sopkit-badge--r" in first["class"]
    owner = page.select_one(".sopkit-facts a[href='../../../roles/content-lead/']")
    assert owner is not None


def test_edit_links_open_the_handbook_file_behind_the_page(tmp_path: Path) -> None:
    config = {
        **BASE_CONFIG,
        "repo_url": "https://example.com/org/handbook",
        "edit_uri": "edit/main/handbook/",
        "theme": {"name": "material", "font": False, "features": ["content.action.edit"]},
    }
    result = build(copy_handbook(SHIPPED, tmp_path / "handbook"), tmp_path, config)
    assert result.returncode == 0, result.output
    sop = result.html("sops/content/content-production/")
    role = result.html("roles/editor/")
    edit = "a.md-content__button[href*='/edit/']"
    assert sop.select_one(edit)["href"].endswith(  # type: ignore[index]
        "edit/main/handbook/sops/content/content-production.md"
    )
    assert role.select_one(edit)["href"].endswith("edit/main/handbook/roles.yml")  # type: ignore[index]


def test_exports_are_complete_and_valid(shipped: Build) -> None:
    library = load_library(SHIPPED)
    catalogue = shipped.json("sops.json")
    jsonschema.Draft202012Validator(catalogue_schema()).validate(catalogue)
    assert [sop["id"] for sop in catalogue["sops"]] == [sop.id for sop in library.sops]
    for exported, sop in zip(catalogue["sops"], library.sops, strict=True):
        assert [s["title"] for s in exported["steps"]] == [s.title for s in sop.steps]
        assert [k["name"] for k in exported["kpis"]] == [k.name for k in sop.kpis]
        for step, original in zip(exported["steps"], sop.steps, strict=True):
            assert step["criteria"] == list(original.criteria)
            assert step["checklist"] == list(original.checklist)
            assert (shipped.site / step["url"].split("#")[0] / "index.html").is_file()
    rows = (shipped.site / "raci.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("phase,sop_id,sop_title,step_number,step_id,step_title,")
    assert len(rows) == 1 + sum(len(sop.steps) for sop in library.sops)


def test_search_finds_sops_by_title_step_role_and_tool(shipped: Build) -> None:
    index = shipped.json("search/search_index.json")["docs"]
    on_page = " ".join(
        d["text"] + " " + d["title"] for d in index if "ppc-campaign/" in d["location"]
    )
    for needle in (
        "Paid search campaign",
        "Write the ad copy",
        "Performance Marketer",
        "Google Ads",
    ):
        assert needle in on_page


def test_raci_matrix_has_strongest_letters_linked_to_steps(shipped: Build) -> None:
    page = shipped.html("raci/")
    row = next(
        tr
        for tr in page.select(".sopkit-matrix tbody tr")
        if "Content production" in tr.th.get_text()
    )
    table = row.find_parent("table")
    assert table is not None
    roles = [a.get_text() for a in table.select("thead a")]
    letters = {
        role: (td.a.get_text(), td.a["href"]) if td.a else None
        for role, td in zip(roles, row.select("td"), strict=True)
    }
    assert letters["Content Lead"] == (
        "A",
        "../sops/content/content-production/#step-keyword-research",
    )
    assert letters["Content Writer"] == ("R", "../sops/content/content-production/#step-draft")
    assert letters["Client Stakeholder"] is None


def test_handbook_errors_fail_the_build_with_every_finding(tmp_path: Path) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / "sops/content/content-production.md"
    text = sop.read_text(encoding="utf-8")
    text = text.replace("owner: content-lead", "owner: content-leed", 1)
    text = text.replace("phase: develop", "phase: build", 1)
    sop.write_text(text, encoding="utf-8")
    result = build(root, tmp_path, cwd=tmp_path)
    assert result.returncode != 0
    assert "sopkit found 2 errors in the handbook" in result.output
    # Paths relative to where the command ran, `path:line:col` as compilers print them.
    assert "handbook/sops/content/content-production.md:7:1: error invalid-value:" in (
        result.output
    )
    assert (
        "handbook/sops/content/content-production.md:8:1: error unknown-role: "
        'unknown role "content-leed"' in result.output
    )
    assert "Traceback" not in result.output


def test_warnings_fail_only_strict_builds(tmp_path: Path) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / "sops/seo/on-page-seo.md"
    sop.write_text(
        re.sub(r"reviewed: \S+", "reviewed: 2020-01-01", sop.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    strict = build(root, tmp_path, strict=True, name="strict")
    lenient = build(root, tmp_path, strict=False, name="lenient")
    assert strict.returncode != 0
    assert "review-overdue" in strict.output
    assert lenient.returncode == 0
    assert "WARNING" in lenient.output and "review-overdue" in lenient.output


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    first = build(root, tmp_path, name="one")
    second = build(root, tmp_path, name="two")
    assert first.returncode == second.returncode == 0
    compared = 0
    for path in sorted(first.site.rglob("*")):
        rel = path.relative_to(first.site)
        if path.is_dir() or rel.name.startswith("sitemap.xml"):
            continue  # MkDocs' sitemap carries the build date
        assert path.read_bytes() == (second.site / rel).read_bytes(), rel
        compared += 1
    assert compared > 80


def test_large_handbooks_get_one_raci_page_per_phase(tmp_path: Path) -> None:
    config = {
        **BASE_CONFIG,
        "plugins": ["search", {"sopkit": {"today": "2026-11-24", "raci_split": 5}}],
    }
    result = build(copy_handbook(SHIPPED, tmp_path / "handbook"), tmp_path, config)
    assert result.returncode == 0, result.output
    index = result.html("raci/")
    parts = {a.get_text(): a["href"] for a in index.select("article ul a")}
    assert parts == {
        phase: f"{phase.lower()}/"
        for phase in ("Define", "Design", "Develop", "Deploy", "Determine")
    }
    assert not index.select(".sopkit-matrix")
    develop = result.html("raci/develop/")
    rows = [tr.th.get_text() for tr in develop.select(".sopkit-matrix tbody tr")]
    assert "Content production" in rows and "Campaign planning" not in rows
    assert develop.select_one("a[download]")["href"] == "../../raci.csv"  # type: ignore[index]
    # The nav lists the phase pages in the lifecycle's order, after the overview.
    nav = [
        str(a["href"])
        for a in develop.select("nav.md-nav--primary a.md-nav__link[href]")
        if not str(a["href"]).startswith(("#", "../.."))
    ]
    assert nav == ["../", "../define/", "../design/", "./", "../deploy/", "../determine/"], nav
