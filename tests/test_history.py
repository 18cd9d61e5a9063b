"""SOP history and the what's-new page: real `mkdocs build` runs in real git repositories."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sopkit.history import read_history, recent_changes
from sopkit.labels import Labels
from sopkit.load import load_library
from sopkit.model import Settings
from sopkit.render.context import PageOptions
from sopkit.render.history import sop_history_view, whats_new_markdown
from sopkit.render.sop_page import sop_markdown

from .gitrepo import GIT_ENV, Repo
from .handbook_story import break_handbook, tell_story
from .handbooks import PUBLISH_SOP, write_handbook
from .sites import Build, text_of

GOLDEN = Path(__file__).parent / "golden" / "history"


def mkdocs_build(site: Path, strict: bool = True, name: str = "site") -> Build:
    """`mkdocs build` of the site whose mkdocs.yml is in `site`, as a user runs it there."""
    command = [sys.executable, "-m", "mkdocs", "build", "-d", str(site / name)]
    if strict:
        command.append("--strict")
    done = subprocess.run(
        command,
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(site), **GIT_ENV},
        timeout=600,
    )
    return Build(done.returncode, done.stdout + done.stderr, site / name)


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    repo = tell_story(tmp_path_factory.mktemp("history") / "repo")
    built = mkdocs_build(repo.path)
    assert built.returncode == 0, built.output
    return built


def _history_items(built: Build, url: str) -> list[str]:
    section = built.html(url).select_one(".sopkit-history")
    assert section is not None
    for time in section.select("time[datetime]"):
        time.replace_with(str(time["datetime"]))  # ISO, whatever the site's language
    section.smooth()
    return [" ".join(li.get_text(" ").split()) for li in section.select("li")]


def test_sop_page_says_when_who_and_why(story_site: Build) -> None:
    page = story_site.html("sops/campaigns/campaign-launch/")
    assert page.select_one("h2#history") is not None
    text = text_of(page)
    assert (
        "Last changed on Nov 20, 2026 by Cy Diaz: Add a smoke test; the client contact approves QA."
        in text
    )
    # The date as the site's language writes it, and ISO in the element's `datetime`.
    assert page.select_one("#history ~ div time[datetime='2026-11-20']") is not None
    assert _history_items(story_site, "sops/campaigns/campaign-launch/") == [
        "2026-11-20, Cy Diaz: Add a smoke test; the client contact approves QA",
        "2026-08-01, Ana Lopez: Start the handbook",
    ]


def test_history_follows_a_renamed_file(story_site: Build) -> None:
    assert _history_items(story_site, "sops/brand/brand-check/") == [
        "2026-10-05, Bo Berg: Move the brand check to the brand folder",
        "2026-08-01, Ana Lopez: Start the handbook",
    ]
    # The CRLF-only commit is in the file's history, as git has it.
    assert _history_items(story_site, "sops/windows/")[0] == (
        "2026-11-10, Ana Lopez: Line ends from a Windows editor"
    )


def test_whats_new_lists_process_changes_newest_first(story_site: Build) -> None:
    page = story_site.html("whats-new/")
    days = [h2.get_text(" ", strip=True).rstrip("¶").strip() for h2 in page.select("article h2")]
    assert days == ["Nov 20, 2026", "Nov 18, 2026"]
    # A day's anchor is its ISO date, in every language.
    assert [h2["id"] for h2 in page.select("article h2")] == ["2026-11-20", "2026-11-18"]
    items = [" ".join(li.get_text(" ").split()) for li in page.select("article li")]
    assert items[0] == (
        "Campaign launch : step Smoke test the live ads added; step Measure the first week "
        "removed; approver of Pre-launch QA changed; lead time 32 h -> 34 h (+2 h). "
        "By Cy Diaz: Add a smoke test; the client contact approves QA"
    )
    assert items[2].startswith("Kickoff : SOP removed.")
    link = page.select("article li")[0].find("a")
    assert link is not None and link["href"] == "../sops/campaigns/campaign-launch/"
    assert page.select("article li")[2].find("a") is None
    text = text_of(page)
    # Left out: the rename and the CRLF-only commit (no process change), and the first commit
    # (before the 90 days that end on `today: 2026-11-30`, written unquoted in mkdocs.yml).
    assert "Windows" not in text and "Brand check" not in text and "Start the handbook" not in text
    assert "from Sep 2, 2026 to Nov 30, 2026 (90 days)" in text
    nav = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a")]
    assert "What's new" in nav


def test_the_same_repository_builds_the_same_pages(tmp_path: Path, story_site: Build) -> None:
    repo_dir = story_site.site.parent
    again = mkdocs_build(repo_dir, name="again")
    assert again.returncode == 0, again.output
    for page in ("whats-new/index.html", "sops/campaigns/campaign-launch/index.html"):
        assert (again.site / page).read_bytes() == (story_site.site / page).read_bytes()
    shutil.rmtree(again.site)


def test_whats_new_golden_with_an_unreadable_file(tmp_path: Path, regen_golden: bool) -> None:
    repo = tell_story(tmp_path / "repo")
    break_handbook(repo)
    docs = repo.path / "handbook"
    library = load_library(docs)
    history = read_history(docs, Settings(), library.sop_files)
    assert history.available and not history.shallow
    until = dt.date(2026, 11, 30)
    summaries, unlisted = recent_changes(
        history, docs, Settings(), until - dt.timedelta(days=89), until, 200
    )
    markdown = whats_new_markdown(
        history, summaries, unlisted, 90, until, frozenset(library.sop_files)
    )
    german = whats_new_markdown(
        history, summaries, unlisted, 90, until, frozenset(library.sop_files), Labels("de")
    )
    for name, text in (("whats-new.md", markdown), ("whats-new.de.md", german)):
        expected = GOLDEN / name
        if regen_golden:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text(text, encoding="utf-8")
        assert text == expected.read_text(encoding="utf-8"), name
    # A limit lists the newest and counts the rest.
    first, rest = recent_changes(history, docs, Settings(), dt.date(2026, 9, 2), until, 1)
    assert [s.title for s in first] == ["Wiki notes"]
    assert rest == len([c for c in history.changes if c.commit.day >= dt.date(2026, 9, 2)]) - 1


def test_outside_git_the_site_builds_and_says_so_once(tmp_path: Path) -> None:
    site = tmp_path / "plain"
    write_handbook(site, {"sops/publish.md": PUBLISH_SOP})
    (site / "mkdocs.yml").write_text(
        "site_name: Plain\ndocs_dir: handbook\ntheme: {name: material, font: false}\n"
        "plugins:\n  - sopkit: {today: '2026-11-24'}\n",
        encoding="utf-8",
    )
    built = mkdocs_build(site)
    assert built.returncode == 0, built.output
    assert built.output.count("No git history") == 1
    assert built.html("sops/publish/").select_one("#history") is None
    assert "built without git history" in text_of(built.html("whats-new/"))


def test_a_shallow_clone_warns_that_history_is_partial(story_site: Build, tmp_path: Path) -> None:
    source = story_site.site.parent
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{source}", str(clone)],
        check=True,
        env={"PATH": "/usr/bin:/bin", **GIT_ENV},
    )
    built = mkdocs_build(clone, strict=False)
    assert built.returncode == 0, built.output
    assert "shallow clone" in built.output
    assert "History is partial" in text_of(built.html("whats-new/"))
    assert "History is partial" in text_of(built.html("sops/campaigns/campaign-launch/"))
    strict = mkdocs_build(clone, name="strict")
    assert strict.returncode != 0


def test_without_the_git_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "repo")
    write_handbook(repo.path, {"sops/publish.md": PUBLISH_SOP})
    repo.commit("Start", "2026-11-01T10:00:00+00:00")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    history = read_history(repo.path / "handbook", Settings(), ["sops/publish.md"])
    assert not history.available
    assert history.reason == "git is not installed (no `git` program on the PATH)"


def test_today_must_be_a_date(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_handbook(site, {"sops/publish.md": PUBLISH_SOP})
    (site / "mkdocs.yml").write_text(
        "site_name: S\ndocs_dir: handbook\nplugins:\n  - sopkit: {today: soon, history: false}\n",
        encoding="utf-8",
    )
    built = mkdocs_build(site)
    assert built.returncode != 0
    assert "sopkit: today: expected a date YYYY-MM-DD, but received 'soon'" in built.output


def test_commit_text_is_escaped(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    write_handbook(repo.path, {"sops/publish.md": PUBLISH_SOP})
    repo.commit("Start", "2026-11-01T10:00:00+00:00")
    hostile = "<script>alert(1)</script> [x](javascript:alert(2)) {{ config }}"
    repo.commit(
        hostile,
        "2026-11-02T10:00:00+00:00",
        {"handbook/sops/publish.md": PUBLISH_SOP.replace("duration: 1d", "duration: 2d")},
        author="<img src=x onerror=alert(3)>",
    )
    docs = repo.path / "handbook"
    library = load_library(docs)
    history = read_history(docs, Settings(), library.sop_files)
    until = dt.date(2026, 11, 30)
    summaries, _ = recent_changes(history, docs, Settings(), dt.date(2026, 9, 1), until, 10)
    pages = {
        "whats-new": whats_new_markdown(
            history, summaries, 0, 90, until, frozenset(library.sop_files)
        ),
        "sop": sop_markdown(
            library,
            library.sops[0],
            PageOptions(today=until),
            history=sop_history_view(history, "sops/publish.md"),
        ),
    }
    for name, markdown in pages.items():
        assert "<script>" not in markdown and "<img" not in markdown, name
        assert "](javascript" not in markdown and "{{" not in markdown, name
        assert "&lt;script&gt;" in markdown, name
    assert "lead time 8 h \\-&gt; 16 h \\(\\+8 h\\)" in pages["whats-new"]
