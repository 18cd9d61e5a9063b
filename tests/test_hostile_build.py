"""A handbook whose every field is an attack builds, and every string lands as plain text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sopkit.render.escape import unsafe_url

from .sites import BASE_CONFIG, HOSTILE, Build, build, copy_handbook, text_of

CONFIG = {
    **BASE_CONFIG,
    # Material's tags plugin writes tag names into pages unescaped: the handbook's tags reach
    # it as character references.
    "plugins": ["search", "tags", {"sopkit": {"today": "2026-11-24"}}, "macros"],
    # Extensions a site might well enable; none may let handbook text through.
    "markdown_extensions": [
        "attr_list",
        "md_in_html",
        "abbr",
        "def_list",
        "pymdownx.emoji",
        "pymdownx.mark",
        "pymdownx.tilde",
        "pymdownx.caret",
        "pymdownx.keys",
    ],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("hostile")
    result = build(copy_handbook(HOSTILE, work / "handbook"), work, CONFIG)
    assert result.returncode == 0, result.output
    return result


def pages(result: Build) -> list[Path]:
    return sorted(result.site.rglob("*.html"))


def test_no_page_carries_an_event_handler_script_or_unsafe_link(hostile: Build) -> None:
    for path in pages(hostile):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{path}: <{element.name} {handlers}>"
            for attribute in ("href", "src", "action", "formaction"):
                value = element.get(attribute)
                if isinstance(value, str):
                    assert not unsafe_url(value, image=element.name == "img"), (path, value)
        for script in soup.find_all("script"):
            assert "alert" not in script.get_text(), f"{path}: {script}"
        assert not soup.find_all(["iframe", "svg"], attrs={"onload": True})


def test_every_hostile_string_is_shown_literally(hostile: Build) -> None:
    roles = yaml.safe_load((HOSTILE / "roles.yml").read_text(encoding="utf-8"))
    tools = yaml.safe_load((HOSTILE / "tools.yml").read_text(encoding="utf-8"))
    front = (HOSTILE / "sops/evil/attack.md").read_text(encoding="utf-8").split("---")[1]
    sop = yaml.safe_load(front)
    page = hostile.html("sops/evil/attack/")
    text = text_of(page)
    assert page.select_one("h1").get_text(strip=True) == sop["title"]  # type: ignore[union-attr]
    expected = [
        sop["objective"],
        roles["lead"]["name"],
        roles["writer"]["name"],
        tools["docs"]["name"],
    ]
    for step in sop["steps"]:
        expected += [step["title"], *step.get("criteria", []), *step.get("checklist", [])]
        expected += [step["output"]] if "output" in step else []
    for kpi in sop["kpis"]:
        expected += [kpi["name"], kpi["target"], kpi["cadence"]]
    for value in expected:
        assert " ".join(value.split()) in text, value
    role_page = text_of(hostile.html("roles/lead/"))
    assert roles["lead"]["summary"] in role_page
    assert roles["lead"]["team"] in role_page
    assert f"Contact: {roles['lead']['contact']}" in role_page
    lead = hostile.html("roles/lead/")
    github = lead.select_one("[data-role-github] a")
    assert github is not None and github["href"] == "https://github.com/orgs/acme/teams/leads"
    contact = lead.select_one("[data-role-contact]")
    assert contact is not None and contact.select("img, a") == []
    (exported,) = [r for r in hostile.json("sops.json")["roles"] if r["id"] == "lead"]
    assert (exported["github"], exported["contact"]) == (
        roles["lead"]["github"],
        roles["lead"]["contact"],
    )
    tool_page = hostile.html("tools/docs/")
    assert tools["docs"]["purpose"] in text_of(tool_page)
    link = tool_page.select_one("article a[rel=noopener]")
    assert link is not None and link["href"] == tools["docs"]["url"]


def test_triggers_own_fields_tasks_and_access_are_shown_literally(hostile: Build) -> None:
    """Format 1.2's free text: on the SOP page, the run page, the path and the tool page."""
    tools = yaml.safe_load((HOSTILE / "tools.yml").read_text(encoding="utf-8"))
    paths = yaml.safe_load((HOSTILE / "onboarding.yml").read_text(encoding="utf-8"))
    front = (HOSTILE / "sops/evil/attack.md").read_text(encoding="utf-8").split("---")[1]
    sop = yaml.safe_load(front)
    page = text_of(hostile.html("sops/evil/attack/"))
    for value in (
        sop["trigger"],
        sop["x-owner-note"],
        sop["x-link"],
        sop["steps"][0]["x-step-note"],
    ):
        assert value in page, value
    assert sop["trigger"] in text_of(hostile.html("run/attack/"))
    task = paths["writer"]["stages"][0]["tasks"][0]
    path_page = hostile.html("onboarding/writer/")
    label = path_page.select_one("li.sopkit-task .sopkit-task__text")
    assert label is not None and label.get_text() == task["task"]
    link = path_page.select_one("li.sopkit-task a[rel=noopener]")
    assert link is not None and link["href"] == task["url"]
    assert f"(access: {tools['docs']['access']})" in text_of(path_page)
    assert tools["docs"]["access"] in text_of(hostile.html("tools/docs/"))


def test_author_prose_keeps_markdown_but_not_html(hostile: Build) -> None:
    page = hostile.html("sops/evil/attack/")
    article = page.select_one("article")
    assert article is not None
    text = text_of(page)
    assert "Intro prose <script>alert('intro-prose')</script>" in text
    assert '<div markdown="1" onclick="alert(\'div\')">Raw div</div>' in text
    assert '--8<-- "/etc/passwd"' in text
    code = [c.get_text() for c in article.select("code")]
    assert "<script>alert('code-span')</script>" in code
    assert any("<script>alert('fence')</script>" in c for c in code)
    prose_links = [a for a in article.select("a:not(.md-tag)") if "link" in a.get_text()]
    assert prose_links and all(a["href"] == "#" for a in prose_links)


def test_handbook_text_is_never_evaluated_as_jinja(hostile: Build) -> None:
    """mkdocs-macros runs with its defaults, yet `{{ 7*7 }}` never becomes 49."""
    for url in ("sops/evil/attack/", "roles/lead/", "onboarding/writer/", "tools/docs/"):
        text = text_of(hostile.html(url))
        assert "{{ 7*7 }}" in text or "{{ config }}" in text, url
        assert "49" not in text, url
    sop_text = text_of(hostile.html("sops/evil/attack/"))
    assert "{% raw %}" in sop_text
    assert "{{ lipsum() }} {#- comment -#}" in sop_text


def test_diagrams_hold_only_escaped_text(hostile: Build) -> None:
    for url in ("sops/evil/attack/", "lifecycle/"):
        page = hostile.html(url)
        svgs = page.select(".sopkit-diagram svg")
        assert len(svgs) == 1, url
        elements = {element.name for element in svgs[0].find_all(True)}
        assert elements <= {"svg", "title", "desc", "g", "rect", "a", "text", "path", "polygon"}
        for element in svgs[0].find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")], element.name
        hrefs = [a["xlink:href"] for a in svgs[0].select("a")]
        assert hrefs and not [h for h in hrefs if "javascript" in h.lower()]
    steps = hostile.html("sops/evil/attack/").select("[data-step] a")
    assert all(re.fullmatch(r"#step-[a-z0-9-]+", a["xlink:href"]) for a in steps)
