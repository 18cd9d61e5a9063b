"""Knowledge checks in real Chromium: answering on the SOP page, the state on onboarding paths.

Uses the session's shipped and hostile sites (tests/conftest.py). The hooks read here are the
public `data-quiz*` contract documented in the README.
"""

from __future__ import annotations

import os
import re

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Locator, Page, expect

from sopkit.load import load_library

from .browser import DESKTOP, LIVE_MARKUP, Site, Watch, browse, shown_text, wait_for_diagrams
from .sites import REPO, SHIPPED

pytestmark = pytest.mark.browser

SOP = "content-production"
SOP_PAGE = "sops/content/content-production/"
PATH = "onboarding/content-writer/"


def open_page(page: Page, site: Site, path: str) -> None:
    page.goto(site.url(path), wait_until="load")
    wait_for_diagrams(page, site.diagram_count(path))


def question(page: Page, number: int) -> Locator:
    return page.locator(f'[data-quiz-question="{number}"]')


def feedback(page: Page, number: int) -> str:
    return " ".join(question(page, number).locator("[data-quiz-feedback]").inner_text().split())


def quiz_items(page: Page) -> dict[str, str | None]:
    """`data-passed` of every `data-quiz` element on the page, by SOP id."""
    states: dict[str, str | None] = page.eval_on_selector_all(
        "[data-quiz]",
        "(els) => Object.fromEntries(els.map((e) => [e.dataset.quiz, e.dataset.passed || null]))",
    )
    return states


def test_answer_wrong_then_right_reload_and_read_the_onboarding_state(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    sop = load_library(SHIPPED).sop(SOP)
    assert sop is not None and len(sop.quiz) == 3
    quizzed = [s.id for s in load_library(SHIPPED).sops if s.quiz]

    open_page(page, shipped_site, SOP_PAGE)
    section = page.locator(".sopkit-quiz")
    expect(page.locator("h2#check-yourself")).to_have_text(re.compile("Check yourself"))
    expect(page.locator("[data-quiz-question]")).to_have_count(3)
    expect(page.locator("[data-quiz-answers]")).to_be_hidden()  # the printed answers: no-JS only
    expect(page.locator("[data-quiz-reset]")).to_be_visible()
    first = question(page, 1)
    expect(first.locator("legend")).to_have_text("1. " + sop.quiz[0].question)
    assert [r.get_attribute("value") for r in first.locator("input[type=radio]").all()] == list(
        sop.quiz[0].choices
    )

    # Wrong first, by clicking the label's text.
    wrong = next(c for c in sop.quiz[0].choices if c != sop.quiz[0].answer)
    first.get_by_label(wrong, exact=True).check()
    assert feedback(page, 1) == f"Not right: “{wrong}” is not the answer. Try again."
    expect(first).to_have_attribute("data-quiz-state", "wrong")
    expect(page.locator("[data-quiz-feedback]").first).to_have_attribute("aria-live", "polite")

    # Then right; the explanation shows with the verdict.
    first.get_by_label(sop.quiz[0].answer, exact=True).check()
    assert feedback(page, 1) == f"Right. {sop.quiz[0].explain}"
    expect(first).to_have_attribute("data-quiz-state", "right")
    expect(section).to_have_attribute("data-passed", "false")
    assert "1 of 3 right" in page.locator("[data-quiz-score]").inner_text()

    # Question 2 with the keyboard only: Tab into the group, arrows pick, nothing else needed.
    second = question(page, 2)
    right_index = sop.quiz[1].choices.index(sop.quiz[1].answer)
    second.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    for _ in range(right_index):
        page.keyboard.press("ArrowDown")
    expect(second.locator("input[type=radio]").nth(right_index)).to_be_checked()
    assert feedback(page, 2).startswith("Right.")
    question(page, 3).get_by_label(sop.quiz[2].answer, exact=True).check()
    expect(section).to_have_attribute("data-passed", "true")
    expect(page.locator("[data-quiz-score]")).to_have_text("All 3 right: quiz passed.")

    page.reload(wait_until="load")
    expect(section).to_have_attribute("data-passed", "true")
    for number, item in enumerate(sop.quiz, start=1):
        expect(question(page, number).get_by_label(item.answer, exact=True)).to_be_checked()
        assert feedback(page, number).startswith("Right.")

    # The path shows the state of every quizzed SOP on it, and counts the passed ones.
    open_page(page, shipped_site, PATH)
    states = quiz_items(page)
    assert states[SOP] == "true"
    assert set(states) <= set(quizzed) and len(states) >= 5
    assert [sop_id for sop_id, passed in states.items() if passed != "false"] == [SOP]
    state = page.locator(f'[data-quiz="{SOP}"]')
    expect(state.locator(".sopkit-quiz-state__status")).to_have_text("passed")
    expect(page.locator(".sopkit-progress__quizzes")).to_have_text(
        f"1 of {len(states)} quizzes passed"
    )

    # Instant navigation to another SOP's quiz and back: set up on the swapped page, counted.
    page.evaluate("() => { window.__sopkitMarker = 'kept'; }")
    page.locator('[data-quiz="brand-governance"] a').click()
    expect(page).to_have_url(shipped_site.url("sops/brand/brand-governance/#check-yourself"))
    expect(page.locator("[data-quiz-answers]")).to_be_hidden()
    other = load_library(SHIPPED).sop("brand-governance")
    assert other is not None
    for number, entry in enumerate(other.quiz, start=1):
        question(page, number).get_by_label(entry.answer, exact=True).check()
    expect(page.locator(".sopkit-quiz")).to_have_attribute("data-passed", "true")
    page.go_back()
    expect(page).to_have_url(shipped_site.url(PATH))
    expect(page.locator(".sopkit-progress__quizzes")).to_have_text(
        f"2 of {len(states)} quizzes passed"
    )
    assert page.evaluate("() => window.__sopkitMarker") == "kept", "the page was reloaded"
    expect(page.locator('[data-quiz="brand-governance"]')).to_have_attribute("data-passed", "true")

    # The index counts passed quizzes per role.
    open_page(page, shipped_site, "onboarding/")
    tally = page.locator('[data-quiz-tally="content-writer"] .sopkit-quiz-tally__label')
    expect(tally).to_have_text(f"2 of {len(states)} passed")

    # Reset on the SOP page clears its state everywhere.
    open_page(page, shipped_site, SOP_PAGE)
    page.locator("[data-quiz-reset]").click()
    expect(section).to_have_attribute("data-passed", "false")
    expect(page.locator("[data-quiz-question] input:checked")).to_have_count(0)
    assert feedback(page, 1) == ""
    open_page(page, shipped_site, PATH)
    assert quiz_items(page)[SOP] == "false"
    expect(page.locator(".sopkit-progress__quizzes")).to_have_text(
        f"1 of {len(states)} quizzes passed"
    )
    assert watch.troubles() == []


def test_without_javascript_questions_show_with_the_answers_collapsed(
    chromium: Browser, shipped_site: Site
) -> None:
    sop = load_library(SHIPPED).sop(SOP)
    assert sop is not None
    with browse(chromium, shipped_site, viewport=DESKTOP, java_script_enabled=False) as (page, _):
        page.goto(shipped_site.url(SOP_PAGE), wait_until="load")
        for number, item in enumerate(sop.quiz, start=1):
            expect(question(page, number).locator("legend")).to_be_visible()
            for choice in item.choices:
                expect(question(page, number).get_by_label(choice, exact=True)).to_be_visible()
        answers = page.locator("details[data-quiz-answers]")
        expect(answers).to_be_visible()
        assert answers.get_attribute("open") is None
        expect(answers.locator("li").first).to_be_hidden()
        answers.locator("summary").click()
        assert [" ".join(t.split()) for t in answers.locator("li strong").all_inner_texts()] == [
            item.answer for item in sop.quiz
        ]
        expect(page.locator("[data-quiz-footer]")).to_be_hidden()


def test_hostile_quiz_text_stays_text(chromium: Browser, hostile_site: Site) -> None:
    sop = load_library(hostile_site.root.parent / "docs").sop("attack")
    assert sop is not None and sop.quiz
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        # A second tab on the onboarding path follows the answers given in the first.
        path = page.context.new_page()
        watch.attach(path)
        path.goto(hostile_site.url("onboarding/writer/"), wait_until="load")
        expect(path.locator('[data-quiz="attack"]')).to_have_attribute("data-passed", "false")
        open_page(page, hostile_site, "sops/evil/attack/")
        first, item = question(page, 1), sop.quiz[0]
        assert shown_text(page, '[data-quiz-question="1"] legend') == ["1. " + item.question]
        labels = first.locator("label").all_inner_texts()
        assert [" ".join(t.split()) for t in labels] == list(item.choices)
        wrong = item.choices[0]
        first.get_by_label(wrong, exact=True).check()
        assert feedback(page, 1) == f"Not right: “{wrong}” is not the answer. Try again."
        first.locator(f'input[value="{_css(item.answer)}"]').check()
        assert feedback(page, 1) == f"Right. {item.explain}"
        second = question(page, 2)
        second.locator("input[type=radio]").nth(1).check()
        assert feedback(page, 2) == "Right."  # the control character never reached the page
        expect(page.locator(".sopkit-quiz")).to_have_attribute("data-passed", "true")
        assert page.evaluate(LIVE_MARKUP) == []
        expect(path.locator('[data-quiz="attack"]')).to_have_attribute("data-passed", "true")
        expect(path.locator(".sopkit-progress__quizzes")).to_have_text("1 of 1 quizzes passed")
        open_page(page, hostile_site, "onboarding/writer/")
        assert quiz_items(page) == {"attack": "true"}
        assert page.evaluate(LIVE_MARKUP) == []
        assert watch.dialogs == []
        assert watch.troubles() == []


def _css(text: str) -> str:
    """`text` inside a double-quoted CSS attribute selector."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


# --- screenshots (refreshed on demand, like tests/test_browser.py's) ------------------------


@pytest.mark.screenshots
@pytest.mark.skipif(
    os.environ.get("SOPKIT_SCREENSHOTS") != "1",
    reason="screenshots are refreshed on demand: SOPKIT_SCREENSHOTS=1 pytest -m screenshots",
)
def test_quiz_screenshots(chromium: Browser, shipped_site: Site) -> None:
    sop = load_library(SHIPPED).sop(SOP)
    assert sop is not None
    target = REPO / "docs" / "screenshots"
    with browse(chromium, shipped_site, viewport=DESKTOP, color_scheme="light") as (page, watch):
        open_page(page, shipped_site, SOP_PAGE)
        question(page, 1).get_by_label(sop.quiz[0].answer, exact=True).check()
        wrong = next(c for c in sop.quiz[1].choices if c != sop.quiz[1].answer)
        question(page, 2).get_by_label(wrong, exact=True).check()
        heading = page.locator("h2#check-yourself")
        top = heading.evaluate("(h) => h.getBoundingClientRect().top + window.scrollY") - 16
        bottom = page.locator(".sopkit-quiz").evaluate(
            "(q) => q.getBoundingClientRect().bottom + window.scrollY"
        )
        page.screenshot(
            path=target / "quiz.png",
            full_page=True,
            clip={"x": 0, "y": top, "width": DESKTOP["width"], "height": bottom - top + 16},
            animations="disabled",
        )
        question(page, 2).get_by_label(sop.quiz[1].answer, exact=True).check()
        question(page, 3).get_by_label(sop.quiz[2].answer, exact=True).check()
        brand = load_library(SHIPPED).sop("brand-governance")
        assert brand is not None
        open_page(page, shipped_site, "sops/brand/brand-governance/")
        for number, entry in enumerate(brand.quiz, start=1):
            question(page, number).get_by_label(entry.answer, exact=True).check()
        open_page(page, shipped_site, PATH)
        page.locator("input.sopkit-tick").nth(0).check()
        expect(page.locator('[data-quiz="brand-governance"]')).to_have_attribute(
            "data-passed", "true"
        )
        page.screenshot(
            path=target / "onboarding-quiz.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 1000},
            animations="disabled",
        )
        assert watch.troubles() == []
