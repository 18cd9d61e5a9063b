"""Format 1.2's SOP- and site-level fields in real Chromium, on the shipped handbook: onboarding
tasks are labelled tick boxes that work from the keyboard and keep their state with the reading
progress; trigger and cadence are visible among an SOP's facts and on its run page; the finder
shows and filters by cadence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.load import load_library

from .browser import LIVE_MARKUP, Site, Watch, browse
from .sites import SHIPPED

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WRITER_TASK = "Get an editor account in WordPress"


@pytest.fixture
def shipped(chromium: Browser, shipped_site: Site) -> Iterator[tuple[Page, Watch]]:
    with browse(chromium, shipped_site, viewport=DESKTOP) as opened:
        yield opened


def test_onboarding_task_ticks_by_keyboard_and_persists(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    library = load_library(SHIPPED)
    path = library.onboarding["content-writer"]
    tasks = [task for stage in path.stages for task in stage.tasks]
    items = sum(len(stage.sops) + len(stage.pages) for stage in path.stages)
    total = items + len(tasks)
    page.goto(shipped_site.url("onboarding/content-writer/"), wait_until="load")
    label = page.locator(".sopkit-progress__label")
    expect(label).to_have_text(f"0 of {total} done")
    box = page.get_by_role("checkbox", name=WRITER_TASK)
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    # Beside the task: its tool, how to get access to it, and who helps.
    task = page.locator(
        "li.sopkit-task[data-sopkit-item='task:get-an-editor-account-in-wordpress']"
    )
    expect(task.locator("[data-sopkit-access]")).to_be_visible()
    expect(task.locator("[data-sopkit-access]")).to_contain_text(
        library.tools["wordpress"].access or ""
    )
    expect(task.get_by_role("link", name="WordPress")).to_be_visible()
    expect(task.get_by_role("link", name="Content Lead")).to_be_visible()
    # Keyboard only: focus the box, then Space ticks it.
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(label).to_have_text(f"1 of {total} done")
    expect(task).to_have_class("sopkit-task sopkit-path-item--done")
    # A reading item's tick counts with it, in the same stored list.
    page.locator("[data-sopkit-item='sop:brand-governance'] input.sopkit-tick").check()
    expect(label).to_have_text(f"2 of {total} done")
    stored = page.evaluate(
        "() => JSON.parse(localStorage.getItem("
        "'sopkit:progress:' + document.querySelector('[data-sopkit-progress]')"
        ".dataset.sopkitProgress))"
    )
    assert sorted(stored) == ["sop:brand-governance", "task:get-an-editor-account-in-wordpress"]
    page.reload(wait_until="load")
    box = page.get_by_role("checkbox", name=WRITER_TASK)
    expect(box).to_be_checked()
    expect(page.locator(".sopkit-progress__label")).to_have_text(f"2 of {total} done")
    # Unticking keeps the other item; Reset clears both.
    box.uncheck()
    expect(page.locator(".sopkit-progress__label")).to_have_text(f"1 of {total} done")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".sopkit-progress__label")).to_have_text(f"0 of {total} done")
    assert page.evaluate(LIVE_MARKUP) == []
    assert watch.troubles() == [] and watch.blocked == []


def test_without_javascript_tasks_are_a_plain_list(chromium: Browser, shipped_site: Site) -> None:
    options = {"viewport": DESKTOP, "java_script_enabled": False}
    with browse(chromium, shipped_site, **options) as (page, _):
        page.goto(shipped_site.url("onboarding/content-writer/"), wait_until="load")
        task = page.locator("li.sopkit-task").first
        expect(task).to_be_visible()
        expect(task.locator(".sopkit-task__text")).to_have_text(WRITER_TASK)
        expect(task.locator("input")).to_have_count(0)
        expect(task.locator("[data-sopkit-access]")).to_be_visible()


def test_trigger_and_cadence_are_visible_on_the_sop_and_run_pages(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    sop = load_library(SHIPPED).sop("content-production")
    assert sop is not None and sop.trigger and sop.cadence == "weekly"
    page.goto(shipped_site.url("sops/content/content-production/"), wait_until="load")
    facts = page.locator("[data-sopkit-facts]")
    expect(facts).to_be_visible()
    expect(facts.locator("[data-sopkit-fact=trigger] td")).to_have_text(sop.trigger)
    expect(facts.locator("[data-sopkit-fact=cadence] td")).to_have_text("Weekly")
    # The caption heads the table from outside its border, and a line runs across the whole
    # first row (Material's inline-block tables drew the caption inside the border, as a cell).
    table = facts.locator("table").bounding_box()
    caption = facts.locator("caption").bounding_box()
    assert table is not None and caption is not None
    assert abs(caption["x"] - table["x"]) < 0.5 and caption["width"] >= table["width"] - 0.5
    borders = facts.locator("tr").first.evaluate(
        "row => [...row.cells].map(cell => getComputedStyle(cell).borderTopWidth)"
    )
    assert len(set(borders)) == 1 and borders[0] != "0px", borders
    expect(page.locator("[data-sopkit-cadence=weekly]")).to_have_text("Runs: Weekly")
    page.goto(shipped_site.url("run/content-production/"), wait_until="load")
    run_fact = page.locator(".sopkit-run__fact[data-sopkit-fact=trigger]")
    expect(run_fact).to_be_visible()
    expect(run_fact).to_have_text(f"Starts when: {sop.trigger}")
    expect(page.locator(".sopkit-run__fact[data-sopkit-fact=cadence]")).to_have_text("Runs: Weekly")
    assert watch.troubles() == [] and watch.blocked == []


VISIBLE_ROWS = """
() => Array.from(document.querySelectorAll("tr[data-sop]"))
  .filter((row) => row.getClientRects().length > 0)
  .map((row) => row.dataset.sop)
  .sort()
"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_finder_shows_and_filters_by_cadence(
    chromium: Browser, shipped_site: Site, viewport: dict[str, int]
) -> None:
    library = load_library(SHIPPED)
    monthly = sorted(sop.id for sop in library.sops if sop.cadence == "monthly")
    weekly = sorted(sop.id for sop in library.sops if sop.cadence == "weekly")
    assert monthly and weekly
    with browse(chromium, shipped_site, viewport=viewport) as (page, watch):
        page.goto(shipped_site.url("sops/?cadence=monthly"), wait_until="load")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
        assert page.evaluate(VISIBLE_ROWS) == monthly
        status = page.locator(".sopkit-finder__status")
        expect(status).to_have_text(f"Showing {len(monthly)} of {len(library.sops)} SOPs.")
        cell = page.locator("tr[data-sop=content-calendar] td[data-cadence=monthly]")
        expect(cell).to_be_visible()
        expect(cell).to_contain_text("Monthly")
        # Ticking Weekly as well is OR within the facet, and rewrites the address.
        facet = page.locator("details[data-facet=cadence]")
        facet.locator("summary").click()
        facet.get_by_role("checkbox", name="Weekly").check()
        assert page.evaluate(VISIBLE_ROWS) == sorted(monthly + weekly)
        assert "cadence=monthly" in page.url and "cadence=weekly" in page.url
        if viewport is PHONE:
            # On a phone each row is a card; the Runs cell says what it is.
            label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
            assert label == '"Runs: "'
        assert watch.troubles() == [] and watch.blocked == []
