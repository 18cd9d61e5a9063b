"""Onboarding paths (curated and derived) and the macros of hand-written pages, in real builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sopkit.labels import Labels
from sopkit.load import load_library
from sopkit.macros import HandbookMacros
from sopkit.onboarding import role_paths
from sopkit.render.context import PageOptions
from sopkit.render.escape import md_text
from sopkit.render.onboarding_pages import stage_name

from .sites import BASE_CONFIG, SHIPPED, Build, build, copy_handbook, text_of

MACROS_CONFIG = {
    **BASE_CONFIG,
    "plugins": ["search", {"sopkit": {"today": "2026-11-24"}}, "macros"],
}

EVERY_MACRO = """\
# Views

{{ sop_link('content-production') }} is owned by {{ role_link('content-lead') }} and uses
{{ tool_link('semrush') }}.

## Develop SOPs of the content team

{{ sop_table(phase='develop', team='Content') }}

## SOPs tagged seo

{{ sop_table(tag='seo') }}

## Who does what in deploy

{{ raci_matrix(phase='deploy') }}

## The content team's columns

{{ raci_matrix(team='Content') }}

## A writer's path

{{ onboarding_path('content-writer') }}

## Content production

{{ workflow('content-production') }}

## Everything

{{ lifecycle_map() }}
"""


@pytest.fixture(scope="module")
def macro_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("macros")
    root = copy_handbook(SHIPPED, work / "handbook")
    (root / "guides").mkdir()
    (root / "guides" / "views.md").write_text(EVERY_MACRO, encoding="utf-8")
    result = build(root, work, MACROS_CONFIG)
    assert result.returncode == 0, result.output
    return result


def test_a_page_using_every_macro_builds_strict(macro_site: Build) -> None:
    page = macro_site.html("guides/views/")
    text = text_of(page)
    link = page.select_one("article a[href='../../sops/content/content-production/']")
    assert link is not None and link.get_text() == "Content production"
    assert page.select_one("article a[href='../../roles/content-lead/']") is not None
    assert page.select_one("article a[href='../../tools/semrush/']") is not None
    tables = page.select("article table")
    develop = [a.get_text() for a in tables[0].select("tbody tr td:first-child a")]
    assert develop == ["Content production"]  # the only develop SOP a Content role owns
    assert "On-page SEO" in tables[1].get_text()
    matrices = page.select(".sopkit-matrix")
    assert len(matrices) == 1 + 5  # deploy only; then one table per phase for the team
    team_roles = {a.get_text() for a in matrices[1].select("thead a")}
    assert team_roles == {"Content Lead", "Content Writer", "Editor"}
    assert "Week 2 - your core workflow" in text
    assert not page.select(".mermaid")
    diagrams = page.select(".sopkit-diagram svg[role=group]")  # linked: a group, not an image
    assert len(diagrams) == 2
    draft = diagrams[0].select_one("[data-step=draft] a")
    assert draft is not None
    assert draft["xlink:href"] == "../../sops/content/content-production/#step-draft"
    assert diagrams[0].select_one("[data-lane=content-writer] a")["xlink:href"] == (  # type: ignore[index]
        "../../roles/content-writer/"
    )
    assert diagrams[1].select_one("[data-lane=define]") is not None
    campaign = diagrams[1].select_one("[data-sop=campaign-planning] a")
    assert (
        campaign is not None and campaign["xlink:href"] == "../../sops/campaigns/campaign-planning/"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("{{ sop_link('nope') }}", 'guides/broken.md: sop_link: unknown SOP id "nope"'),
        ("{{ role_link('ghost') }}", 'guides/broken.md: role_link: unknown role id "ghost"'),
        ("{{ workflow('nope') }}", 'guides/broken.md: workflow: unknown SOP id "nope"'),
        ("{{ sop_table(phase='launch') }}", 'guides/broken.md: sop_table: unknown phase "launch"'),
    ],
)
def test_a_macro_with_an_unknown_id_fails_the_build(
    tmp_path: Path, call: str, message: str
) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    (root / "guides").mkdir()
    (root / "guides" / "broken.md").write_text(f"# Broken\n\n{call}\n", encoding="utf-8")
    result = build(root, tmp_path, MACROS_CONFIG, strict=False)
    assert result.returncode != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_curated_paths_keep_the_written_order_pages_first() -> None:
    paths = role_paths(load_library(SHIPPED))
    writer = paths["content-writer"]
    assert writer.curated
    assert [stage.name for stage in writer.stages][:2] == [
        "Day 1 - how we work and how we sound",
        "Week 1 - where your briefs come from",
    ]
    assert [item.ref for item in writer.stages[0].items] == [
        "how-we-work.md",
        "glossary.md",
        "brand-governance",
    ]
    assert writer.minutes == sum(item.minutes for item in writer.items)


def test_derived_paths_put_work_before_consultation_in_requires_order() -> None:
    library = load_library(SHIPPED)
    editor = role_paths(library)["editor"]
    assert not editor.curated
    names = [stage.name for stage in editor.stages]
    assert names == [
        "Your work in Design",
        "Your work in Develop",
        "Your work in Deploy",
        "Where you are consulted",
    ]
    develop = [item.ref for item in editor.stages[1].items]
    # content-production requires approval-workflow, so it comes after it.
    assert develop.index("approval-workflow") < develop.index("content-production")
    for item in editor.stages[-1].items:
        letters = "".join(letter for *_, letter in item.steps)
        assert "C" in letters and "R" not in letters and "A" not in letters


def test_onboarding_pages_link_both_ways_and_explain_derived_order(macro_site: Build) -> None:
    index = macro_site.html("onboarding/")
    rows = {tr.td.get_text(): tr for tr in index.select("article tbody tr")}
    assert "Curated" in rows["Content Writer"].get_text()
    assert "Derived" in rows["Editor"].get_text()
    editor = macro_site.html("onboarding/editor/")
    assert "Why this order" in text_of(editor)
    assert editor.select_one("article a[href='../../roles/editor/']") is not None
    role = macro_site.html("roles/editor/")
    assert role.select_one("article a[href='../../onboarding/editor/']") is not None
    items = editor.select("[data-sopkit-item]")
    assert items and all(i["data-sopkit-item"].startswith("sop:") for i in items)
    progress = editor.select_one("[data-sopkit-progress]")
    assert progress is not None and progress.has_attr("hidden")
    assert progress["data-sopkit-progress"] == "Test handbook/editor"


def test_home_page_gets_a_start_here_pointer_unless_it_has_one(tmp_path: Path) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    (root / "index.md").write_text("# Our handbook\n\nWelcome.\n", encoding="utf-8")
    result = build(root, tmp_path, BASE_CONFIG)
    assert result.returncode == 0, result.output
    home = result.html("")
    tip = home.select_one(".admonition.tip")
    assert tip is not None and "Start here" in tip.get_text()
    assert tip.select_one("a[href='onboarding/']") is not None


def test_a_derived_path_names_its_stages_in_the_sites_language() -> None:
    """The stage headings of a derived path are words of the site's language, on the path's
    page and in the `onboarding_path` macro alike; sops.json keeps them in English."""
    library = load_library(SHIPPED)
    german = Labels("de")
    macros = HandbookMacros(
        library=lambda: library,
        page=lambda: "index.md",
        options=lambda: PageOptions(today=dt.date(2026, 11, 24), labels=german),
    )
    path = role_paths(library)["editor"]
    assert [stage.name for stage in path.stages][-1] == "Where you are consulted"
    names = [stage_name(stage, german) for stage in path.stages]
    assert names[-1] == "Wo Sie konsultiert werden"
    assert names[0] == german("onboarding.stage_work_in", phase=german.phase(path.stages[0].phase))
    text = macros.onboarding_path("editor")
    for name in names:
        assert f"**{md_text(name)}**" in text
    assert "Your work" not in text
