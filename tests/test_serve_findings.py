"""Under `mkdocs serve` every finding is on the page it concerns, a banner links to all of them
while errors exist, and nothing the author wrote is lost; `mkdocs build` stays as it was.

The serve builds run MkDocs' own build in this process with the command "serve", as
`mkdocs serve` does on every change (tests/test_browser_serve.py runs the real server).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sopkit.load import load_library
from sopkit.onboarding import role_paths

from .sites import BASE_CONFIG, SHIPPED, build, copy_handbook, line_of, text_of
from .test_serve import serve_build

SOP = "sops/content/content-production.md"


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _make_draft(root: Path, rel: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert "status: active" in text
    path.write_text(text.replace("status: active", "status: draft", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped handbook with an orphaned step heading, a role typo, a draft SOP
    and a near miss of `## Steps`, built as `mkdocs serve` builds it."""
    tmp_path = tmp_path_factory.mktemp("served")
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    sop = root / SOP
    text = sop.read_text(encoding="utf-8")
    text = text.replace("### Edit the draft", "### Editing the draft", 1)
    sop.write_text(text.replace("A: content-lead", "A: team-membr", 1), encoding="utf-8")
    _make_draft(root, "sops/content/content-calendar.md")
    seo = root / "sops/seo/on-page-seo.md"
    seo.write_text(seo.read_text(encoding="utf-8").replace("## Steps\n", "## Steps:\n", 1))
    config = dict(BASE_CONFIG, docs_dir=str(root), site_dir=str(tmp_path / "site"))
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    serve_build(tmp_path / "mkdocs.yml")
    return tmp_path / "site"


def _lines(served: Path) -> tuple[int, int, int, int]:
    """Where the test's mistakes are: role typo (line, column), orphan heading, `## Steps:`."""
    sop = (served.parent / "handbook" / SOP).read_text(encoding="utf-8")
    seo = (served.parent / "handbook/sops/seo/on-page-seo.md").read_text(encoding="utf-8")
    role = line_of(sop, "A: team-membr")
    return role[0], role[1], line_of(sop, "### Editing")[0], line_of(seo, "## Steps:")[0]


def test_a_page_shows_its_findings_and_keeps_what_the_author_wrote(served: Path) -> None:
    role, _, orphan_line, _ = _lines(served)
    page = _page(served, "sops/content/content-production")
    box = page.select_one("[data-sopkit-findings]")
    assert box is not None and box["data-sopkit-findings"] == "2"
    # Below the title, above the facts.
    assert box.find_previous("h1") is not None
    items = [
        (li["data-rule"], li["data-severity"], li["data-line"], " ".join(li.get_text().split()))
        for li in box.select("[data-sopkit-finding]")
    ]
    assert items == [
        (
            "unknown-role",
            "error",
            str(role),
            f'line {role} error unknown-role: unknown role "team-membr" '
            "hint: add it to roles.yml or fix the id",
        ),
        (
            "orphan-step-section",
            "error",
            str(orphan_line),
            f"line {orphan_line} error orphan-step-section: the heading "
            '"Editing the draft" under ## Steps matches no step title or id '
            "hint: did you mean `Edit the draft`?",
        ),
    ]
    # The orphaned section is still there, marked, right after the step written before it.
    orphan = page.select_one("[data-sopkit-orphan]")
    assert orphan is not None and orphan["data-sopkit-orphan"] == str(orphan_line)
    assert "Editing the draft" in orphan.get_text()
    assert "The editor works in suggestion mode" in orphan.get_text()
    assert orphan.find_previous("h3").get_text(strip=True).startswith("3. Write the draft")
    # The role typo is flagged on the step and in the RACI table, never passed off as a role.
    flagged = page.select("[data-sopkit-unknown-role]")
    assert {element["data-sopkit-unknown-role"] for element in flagged} == {"team-membr"}
    assert len(flagged) >= 2
    assert all("unknown role" in element.get_text() for element in flagged)
    raci = page.select_one(".sopkit-raci-table thead")
    assert raci is not None and raci.select_one("[data-sopkit-unknown-role]") is not None


def test_the_banner_links_to_every_finding(served: Path) -> None:
    role, column, orphan_line, steps_line = _lines(served)
    home = _page(served, "")
    banner = home.select_one("[data-sopkit-banner]")
    assert banner is not None and banner["data-sopkit-banner"] == "3"
    assert banner["role"] == "alert"
    assert banner.a is not None and banner.a["href"] == "findings/"
    findings = _page(served, "findings")
    lines = [" ".join(li.get_text().split()) for li in findings.select("[data-sopkit-finding]")]
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{served.parent.as_posix()}/handbook/sops/content/content-production.md:{role}:{column} "
        "error unknown-role",
        f"{served.parent.as_posix()}/handbook/sops/content/content-production.md:{orphan_line}:1 "
        "error orphan-step-section",
        f"{served.parent.as_posix()}/handbook/sops/seo/on-page-seo.md:{steps_line}:1 "
        "error steps-heading",
    ]
    # Each file heading links to the page that shows that file.
    links = [a["href"] for a in findings.select("h2 a")]
    assert links == ["../sops/content/content-production/", "../sops/seo/on-page-seo/"]
    # Reached from the banner, not listed in the navigation.
    assert not home.select('nav a[href$="findings/"]')


def test_a_near_miss_of_the_steps_heading_is_shown_on_its_page(served: Path) -> None:
    page = _page(served, "sops/seo/on-page-seo")
    (item,) = page.select("[data-sopkit-findings] [data-sopkit-finding]")
    assert item["data-rule"] == "steps-heading"
    assert "did you mean `## Steps`?" in item.get_text()


def test_a_draft_carries_a_banner_and_stays_out_of_derived_onboarding(served: Path) -> None:
    page = _page(served, "sops/content/content-calendar")
    draft = page.select_one('[data-sopkit-status="draft"]')
    assert draft is not None and "Draft" in draft.get_text()
    library = load_library(served.parent / "handbook")
    for path in role_paths(library).values():
        if not path.curated:
            assert "content-calendar" not in [item.ref for item in path.items], path.role


def test_a_clean_build_has_no_findings_page_and_no_banner(tmp_path: Path) -> None:
    root = copy_handbook(SHIPPED, tmp_path / "handbook")
    _make_draft(root, "sops/content/content-calendar.md")
    result = build(root, tmp_path)
    assert result.returncode == 0, result.output
    assert not (result.site / "findings").exists()
    page = result.html("sops/content/content-calendar/")
    assert page.select_one("[data-sopkit-banner]") is None
    assert page.select_one("[data-sopkit-findings]") is None
    assert "This SOP is a draft" in text_of(page)
    before = {
        path.role: [item.ref for item in path.items]
        for path in role_paths(load_library(SHIPPED)).values()
        if not path.curated
    }
    assert any("content-calendar" in refs for refs in before.values()), (
        "no derived path held the SOP before it became a draft: the test shows nothing"
    )
