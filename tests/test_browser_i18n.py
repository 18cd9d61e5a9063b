"""What the scripts write, in a German build of the shipped handbook, in real Chromium: a quiz
answered on an SOP page, its run page reached by instant navigation (the page head's island of
messages is swapped with the page), a run started with a box ticked and a branch picked, the
Markdown download, and an onboarding path's tick boxes and quiz states. Every text a script
wrote is the German catalogue's message, and no English message of the scripts shows."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from babel.dates import format_date
from playwright.sync_api import Browser, Locator, Page, expect

from sopkit import schedule
from sopkit.cli import main
from sopkit.labels import Labels, script_keys
from sopkit.load import load_library
from sopkit.model import Sop
from sopkit.render.escape import md_text

from .browser import DESKTOP, PHONE, Site, browse, serve, shipped_config
from .sites import SHIPPED, copy_handbook
from .test_labels import english_fragments

pytestmark = pytest.mark.browser

DE = Labels("de")
SOP_ID = "publishing-distribution"
SOP_PAGE = "sops/content/publishing-distribution/"
RUN = f"run/{SOP_ID}/"
PATH = "onboarding/content-writer/"
DECISION, PASS, FIX = "live-ok", "live-monitoring", "fix-live-page"
START = dt.date(2026, 11, 30)

# Everything the scripts wrote: texts of the elements they fill, and the names they gave.
SCRIPT_TEXTS = """
() => {
  const texts = [];
  const selectors = [
    "[data-quiz-feedback]", "[data-quiz-score]", ".sopkit-quiz-state__status",
    ".sopkit-quiz-tally__label", ".sopkit-progress__label", ".sopkit-progress__quizzes",
    ".sopkit-tick-label", ".sopkit-run__summary", ".sopkit-run__due", ".sopkit-run__progress",
  ];
  for (const element of document.querySelectorAll(selectors.join(", "))) {
    texts.push(element.textContent);
  }
  for (const element of document.querySelectorAll(
      "[data-sopkit-scrollbox][aria-label], input.sopkit-tick[aria-label]")) {
    texts.push(element.getAttribute("aria-label"));
  }
  return texts.map((text) => text.replace(/\\s+/g, " ").trim()).filter(Boolean);
}
"""


def shown(day: dt.date) -> str:
    """A due date as a German run page shows it (the script's words, from the catalogue)."""
    return DE("run.date", weekday=format_date(day, "EEE", locale="de"), date=DE.date(day))


def english_left(texts: list[str]) -> list[str]:
    """English pieces of the scripts' messages (those German translates) in `texts`."""
    keys = set(script_keys())
    fragments = {f: key for f, key in english_fragments("de").items() if key in keys}
    found = []
    for text in texts:
        for fragment, key in fragments.items():
            if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text):
                found.append(f"{key}: {fragment!r} in {text!r}")
    return found


def shipped_sop() -> Sop:
    sop = load_library(SHIPPED).sop(SOP_ID)
    assert sop is not None
    return sop


def test_scripts_write_german(chromium: Browser, german_site: Site) -> None:
    sop = shipped_sop()
    quiz = sop.quiz[0]
    wrong = next(choice for choice in quiz.choices if choice != quiz.answer)
    written: list[str] = []
    with browse(chromium, german_site, viewport=DESKTOP) as (page, watch):
        # The quiz on the SOP page: a wrong answer, then the right one.
        page.goto(german_site.url(SOP_PAGE), wait_until="load")
        first = page.locator('[data-quiz-question="1"]')
        feedback = first.locator("[data-quiz-feedback]")
        first.get_by_label(wrong, exact=True).check()
        expect(feedback).to_have_text(DE("quiz.wrong", choice=wrong))
        score = page.locator("[data-quiz-score]")
        expect(score).to_have_text(DE("quiz.score_retry", right="0", total="3", wrong="1"))
        first.get_by_label(quiz.answer, exact=True).check()
        expect(feedback).to_have_text(DE("quiz.right_explained", explain=quiz.explain or ""))
        expect(score).to_have_text(DE("quiz.score", right="1", total="3"))
        # On a phone, boxes that scroll sideways take a name: the timeline's, or the table's.
        page.set_viewport_size(PHONE)
        boxes = page.locator("[data-sopkit-scrollbox][aria-label]")
        expect(boxes.first).to_be_attached()
        table = DE("script.table_named", name="").strip()
        for name in boxes.evaluate_all("(els) => els.map((e) => e.getAttribute('aria-label'))"):
            assert name == DE("sop.timeline") or name.startswith(table + " "), name
        written += page.evaluate(SCRIPT_TEXTS)
        page.set_viewport_size(DESKTOP)

        # The run page by its link: instant navigation brings the run's messages along.
        summary = run_by_link(page, german_site, sop)
        steps = len(sop.steps)
        expect(summary).to_contain_text(DE("run.steps_done", n=steps, done="0"))

        # Start a run, tick the first step, pick the branch that skips the fix.
        start = page.get_by_label(DE("run.start_date"))
        start.fill(START.isoformat())
        start.dispatch_event("change")
        dates = schedule.due_dates(sop.schedule, START, holidays(page))
        finish = max(dates.values())
        days = DE("lead.days", n=sop.schedule.days)
        expect(summary).to_contain_text(
            DE("run.dated", start=shown(START), finish=shown(finish), days=days)
        )
        head = sop.steps[0]
        due = page.locator(f'[data-step="{head.id}"] .sopkit-run__due')
        expect(due).to_have_text(DE("run.due", date=shown(dates[head.id])))
        page.get_by_role("checkbox", name=f"1. {head.title}", exact=True).check()
        decision = sop.step(DECISION)
        assert decision is not None
        group = page.get_by_role(
            "group", name=DE("run.answer_of", step=decision.index + 1), exact=True
        )
        expect(group.get_by_role("radio", name=DE("run.not_decided"))).to_be_checked()
        passes = next(b for b in decision.branches if b.to == PASS)
        group.get_by_role("radio", name=passes.when, exact=False).check()
        fix = page.locator(f'[data-step="{FIX}"] .sopkit-run__due')
        expect(fix).to_have_text(DE("run.skipped"))
        expect(summary).to_contain_text(DE("run.steps_done", n=steps - 1, done="1"))
        expect(summary).to_contain_text(DE("run.skipped_count", n=1))
        expect(page.locator(".sopkit-run__progress")).to_have_text(
            DE("run.progress", done="1", total=str(steps - 1))
        )
        written += page.evaluate(SCRIPT_TEXTS)

        # The Markdown download: the catalogue's words, ISO dates with a German weekday.
        with page.expect_download() as info:
            page.get_by_role("button", name=DE("run.download_md")).click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == "# " + md_text(DE("run.title", title=sop.title))
        assert "- " + md_text(DE("run.md_start", date="Mo. 2026-11-30")) in lines
        assert md_text(DE("run.md_skipped")) in text
        assert md_text(DE("run.md_due", date="Mo. 2026-11-30")) in text
        written += [text]

        # The onboarding path: tick boxes, progress and the quiz's state, in German.
        page.goto(german_site.url(PATH), wait_until="load")
        label = page.locator(".sopkit-progress__label")
        total = page.locator("[data-sopkit-item]").count()
        expect(label).to_have_text(DE("onboarding.progress", done="0", total=str(total)))
        item = page.locator(f'[data-sopkit-item="sop:{SOP_ID}"]')
        box = item.get_by_role("checkbox", name=DE("onboarding.done_item", item=sop.title))
        expect(item.locator(".sopkit-tick-label")).to_have_text(DE("onboarding.done"))
        box.check()
        expect(label).to_have_text(DE("onboarding.progress", done="1", total=str(total)))
        status = item.locator(".sopkit-quiz-state__status")
        expect(status).to_have_text(DE("quiz.state_score", right="1", total="3"))
        expect(page.locator(".sopkit-quiz-state__status").first).to_have_text(
            DE("quiz.state_untaken")
        )
        quizzes = page.locator("[data-quiz]").count()
        expect(page.locator(".sopkit-progress__quizzes")).to_have_text(
            DE("onboarding.quizzes_passed", n=quizzes, passed="0")
        )
        # On a phone the two counts wrap as one line of text: the separator that leads the
        # quizzes' count stays on the line of the first count, never starts a line.
        page.set_viewport_size(PHONE)
        tops = page.locator(".sopkit-progress__text").evaluate(
            """(text) => {
                const label = text.querySelector('.sopkit-progress__label').getClientRects();
                const quizzes = text.querySelector('.sopkit-progress__quizzes').getClientRects();
                return [label[label.length - 1].top, quizzes[0].top, quizzes.length];
            }"""
        )
        assert tops[0] == tops[1] and tops[2] > 1, tops
        page.set_viewport_size(DESKTOP)
        written += page.evaluate(SCRIPT_TEXTS)
        assert watch.troubles() == []

    assert written
    assert english_left(written) == []


def run_by_link(page: Page, site: Site, sop: Sop) -> Locator:
    """The run page, reached from the SOP page's run link by instant navigation (no reload),
    its summary in German: the run's messages came along with it."""
    page.evaluate("() => { window.__sopkitMarker = 'kept'; }")
    page.get_by_role("link", name=DE("sop.run")).click()
    expect(page).to_have_url(site.url(RUN))
    summary = page.locator("#sopkit-run-summary")
    expect(summary).to_contain_text(DE("run.takes", n=sop.schedule.days))
    assert page.evaluate("() => window.__sopkitMarker") == "kept", "the page was reloaded"
    return summary


def holidays(page: Page) -> list[dt.date]:
    text = page.locator("[data-sopkit-run]").get_attribute("data-holidays") or ""
    return [dt.date.fromisoformat(day) for day in text.split()]


def test_a_build_md_project_keeps_its_words_across_instant_navigation(
    chromium: Browser, mermaid_js: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sopkit build-md --project` of a German site: the island is in the page's body, which
    instant navigation swaps (no script of it is run as code), and the run page reads German."""
    config = shipped_config(mermaid_js)
    config["theme"]["language"] = "de"
    config["docs_dir"] = "docs"
    copy_handbook(SHIPPED, tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "project"
    assert main(["build-md", "docs", str(out), "--project", "--today", "2026-11-24"]) == 0
    site = out / "built"
    site.mkdir()
    sop = shipped_sop()
    with serve(site) as base_url:
        # Instant navigation follows the links of sitemap.xml, which needs the served address.
        settings = out / "mkdocs.yml"
        settings.write_text(settings.read_text("utf-8") + f"\nsite_url: {base_url}\n", "utf-8")
        built = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(settings), "-d", str(site)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert built.returncode == 0, built.stderr
        project = Site("project", site, base_url)
        with browse(chromium, project, viewport=DESKTOP) as (page, watch):
            page.goto(project.url(SOP_PAGE), wait_until="load")
            run_by_link(page, project, sop)
            start = page.get_by_label(DE("run.start_date"))
            start.fill(START.isoformat())
            start.dispatch_event("change")
            head = sop.steps[0]
            due = page.locator(f'[data-step="{head.id}"] .sopkit-run__due')
            expect(due).to_have_text(DE("run.due", date=shown(START)))
            assert english_left(page.evaluate(SCRIPT_TEXTS)) == []
            assert watch.troubles() == []
