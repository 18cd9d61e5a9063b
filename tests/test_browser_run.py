"""Run pages in real Chromium: the browser's copy of the schedule rule on the shared cases, due
dates, progress kept across reloads and instant navigation, the Markdown and iCalendar downloads,
print, JavaScript off, hostile text and a phone's width. Sites: the session fixtures of
tests/conftest.py (the shipped handbook, with holidays in its mkdocs.yml, and the hostile one)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

import icalendar
from markdown_it import MarkdownIt
from playwright.sync_api import Browser, Page, expect

from sopkit import schedule
from sopkit.labels import ENGLISH
from sopkit.load import load_library
from sopkit.render.escape import md_text

from .browser import DESKTOP, LIVE_MARKUP, PHONE, Site, Watch, browse, shown_text
from .sites import HOSTILE, SHIPPED

pytestmark = pytest.mark.browser

RUN = "run/content-production/"
SOP = "sops/content/content-production/"
CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "schedule_cases.json").read_text(encoding="utf-8")
)["cases"]


def open_run(page: Page, site: Site, path: str = RUN) -> None:
    page.goto(site.url(path), wait_until="load")
    expect(page.locator(".sopkit-run__controls")).to_be_visible()


def set_start(page: Page, date: str) -> None:
    page.get_by_label("Start date").fill(date)
    page.get_by_label("Start date").dispatch_event("change")


def shown(day: dt.date) -> str:
    """A due date as an English page shows it; downloads keep ISO dates."""
    return f"{day:%a}, {ENGLISH.date(day)}"


def holidays_of(page: Page) -> list[dt.date]:
    text = page.locator("[data-sopkit-run]").get_attribute("data-holidays") or ""
    return [dt.date.fromisoformat(day) for day in text.split()]


def shown_dates(page: Page) -> dict[str, str | None]:
    steps = page.locator("[data-step]")
    return {
        steps.nth(i).get_attribute("data-step") or "": steps.nth(i).get_attribute("data-due")
        for i in range(steps.count())
    }


# --- the rule: the same cases as tests/test_schedule.py -------------------------------------

RUN_CASES = """
(cases) => cases.map((c) => {
  const rule = window.sopkitSchedule;
  const picked = c.choices ? rule.skippedSteps(c.steps, c.choices) : [];
  const plan = rule.schedule(c.steps, (c.skipped || []).concat(picked));
  const dates = rule.dueDates(plan, c.start, c.holidays || []);
  const days = {};
  plan.order.forEach((id) => { days[id] = plan.slots[id].dueDay; });
  return {leadMinutes: plan.leadMinutes, criticalPath: plan.criticalPath, days, dates,
          picked: picked.slice().sort()};
})
"""


def test_the_browser_rule_passes_the_shared_cases(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    open_run(page, shipped_site)
    results = page.evaluate(RUN_CASES, CASES)
    failures = []
    for case, got in zip(CASES, results, strict=True):
        expect_ = case["expect"]
        skipped = set(case.get("skipped", ())) | set(expect_.get("skipped", ()))
        scheduled = [s["id"] for s in case["steps"] if s["id"] not in skipped]
        checks = {
            "skipped by the choices": (got["picked"], expect_.get("skipped", [])),
            "lead": (got["leadMinutes"], expect_["lead_minutes"]),
            "path": (got["criticalPath"], expect_["critical_path"]),
            "days": ({k: got["days"].get(k) for k in expect_["due_day"]}, expect_["due_day"]),
            "dates": ({k: got["dates"].get(k) for k in expect_["due"]}, expect_["due"]),
            "every step dated": (list(got["dates"]), scheduled if expect_["due"] else []),
        }
        failures += [
            f"{case['name']}: {what}: got {a!r}, expected {b!r}"
            for what, (a, b) in checks.items()
            if a != b
        ]
    assert failures == []
    assert watch.troubles() == []


def test_browser_and_build_agree_on_every_shipped_sop(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    """The due days sops.json gives (Python) are those the browser computes for every SOP."""
    page, _ = shipped
    open_run(page, shipped_site)
    disagreements = page.evaluate(
        """async () => {
          const catalogue = await (await fetch("../../sops.json")).json();
          const found = [];
          for (const sop of catalogue.sops) {
            const steps = sop.steps.map((s) => ({
              id: s.id, after: s.after, minutes: s.minutes,
              branches: s.branches.map((b) => b.to)}));
            const plan = window.sopkitSchedule.schedule(steps);
            if (plan.leadMinutes !== Math.round(sop.lead_time_hours * 60)) found.push(sop.id);
            if (plan.criticalPath.join() !== sop.critical_path.join()) found.push(sop.id);
            for (const s of sop.steps) {
              if ((plan.slots[s.id] || {}).dueDay !== s.due_day) found.push(sop.id + "/" + s.id);
            }
          }
          return [catalogue.sops.length, found];
        }"""
    )
    assert disagreements[0] >= 10 and disagreements[1] == []


# --- a run: dates, progress, reset ----------------------------------------------------------


def test_a_run_gets_due_dates_and_keeps_its_progress(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    sop = load_library(SHIPPED).sop("content-production")
    assert sop is not None
    open_run(page, shipped_site)
    holidays = holidays_of(page)
    assert dt.date(2026, 12, 25) in holidays  # from the shipped mkdocs.yml
    assert set(shown_dates(page).values()) == {None}
    expect(page.locator(".sopkit-run__ics")).to_be_disabled()

    # A Saturday start before Christmas: the run starts Monday and skips the holidays.
    set_start(page, "2026-12-19")
    expected = schedule.due_dates(sop.schedule, dt.date(2026, 12, 19), holidays)
    assert shown_dates(page) == {step: day.isoformat() for step, day in expected.items()}
    finish = max(expected.values())
    summary = page.locator(".sopkit-run__summary")
    expect(summary).to_contain_text(f"Expected finish: {shown(finish)}")
    expect(summary).to_contain_text("work begins Mon, Dec 21, 2026")
    first = sop.steps[0]
    due = page.locator(f'[data-step="{first.id}"] .sopkit-run__due')
    expect(due).to_have_text(f"Due: {shown(expected[first.id])}")
    expect(page.locator(".sopkit-run__ics")).to_be_enabled()

    # Critical steps say so in words; approvals show their criteria and where work returns.
    for step in sop.steps:
        tag = page.locator(f'[data-step="{step.id}"] .sopkit-run__tag--critical')
        expect(tag).to_have_count(1 if step.id in sop.critical_path else 0)
    approval = next(step for step in sop.steps if step.is_approval and step.criteria)
    box = page.locator(f'[data-step="{approval.id}"]')
    for criterion in approval.criteria:
        expect(box.get_by_label(criterion, exact=True)).to_be_visible()
    expect(box.locator(".sopkit-run__reject")).to_contain_text("If changes are requested: back to")

    # Tick a step and a checklist item, by their accessible names.
    checked = next(step for step in sop.steps if step.checklist)
    page.get_by_role("checkbox", name=f"{first.index + 1}. {first.title}", exact=True).check()
    page.get_by_role("checkbox", name=checked.checklist[0], exact=True).check()
    expect(summary).to_contain_text(f"1 of {len(sop.steps)} steps done")
    expect(page.locator(".sopkit-run__progress")).to_have_js_property("value", 1)

    page.reload(wait_until="load")
    expect(page.get_by_label("Start date")).to_have_value("2026-12-19")
    expect(page.get_by_role("checkbox", name=checked.checklist[0], exact=True)).to_be_checked()
    assert shown_dates(page)[first.id] == expected[first.id].isoformat()

    # Instant navigation to the SOP page and back, by the "Run this SOP" link: no reload.
    page.evaluate("() => { window.__sopkitMarker = 'kept'; }")
    page.locator(".sopkit-run__about a").click()
    expect(page).to_have_url(shipped_site.url(SOP))
    expect(page.locator("#timeline")).to_be_visible()
    page.get_by_role("link", name="Run this SOP").click()
    expect(page).to_have_url(shipped_site.url(RUN))
    expect(page.locator(".sopkit-run__controls")).to_be_visible()
    assert page.evaluate("() => window.__sopkitMarker") == "kept", "the page was reloaded"
    expect(page.get_by_label("Start date")).to_have_value("2026-12-19")
    expect(page.get_by_role("checkbox", name=checked.checklist[0], exact=True)).to_be_checked()
    assert shown_dates(page)[first.id] == expected[first.id].isoformat()

    # Another SOP's run keeps its own progress.
    page.goto(shipped_site.url("run/publishing-distribution/"), wait_until="load")
    expect(page.get_by_label("Start date")).to_have_value("")

    open_run(page, shipped_site)
    page.get_by_role("button", name="Reset progress").click()
    expect(page.get_by_label("Start date")).to_have_value("")
    expect(page.locator("input.sopkit-run__tick:checked")).to_have_count(0)
    expect(summary).to_contain_text("Progress cleared")
    assert set(shown_dates(page).values()) == {None}
    page.reload(wait_until="load")
    expect(page.locator("input.sopkit-run__tick:checked")).to_have_count(0)
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes(':run:'))") == []
    assert watch.troubles() == []


# --- downloads ------------------------------------------------------------------------------


def download(page: Page, button: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = info.value.path()
    return Path(path).read_bytes().decode("utf-8")


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_downloads_keep_hostile_text_as_text(chromium: Browser, hostile_site: Site) -> None:
    sop = load_library(HOSTILE).sop("attack")
    assert sop is not None
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        open_run(page, hostile_site, "run/attack/")
        assert page.evaluate(LIVE_MARKUP) == []
        shown = shown_text(page, ".sopkit-run__name")
        assert shown == [" ".join(step.title.split()) for step in sop.steps]
        set_start(page, "2026-11-30")
        first = sop.steps[0]
        page.get_by_role("checkbox", name=first.checklist[0], exact=True).check()

        text = download(page, "Download as Markdown")
        html = MarkdownIt("commonmark").enable("table").render(text)
        assert "<script" not in html and "<img" not in html and "<b" not in html
        assert 'href="javascript' not in html
        assert f"- [x] {md_text(first.checklist[0])}" in text
        assert f"- [ ] {md_text(first.checklist[1])}" in text
        lines = text.splitlines()
        assert lines[0] == f"# Run: {md_text(sop.title)}"
        assert "- Start date: Mon 2026\\-11\\-30" in lines
        dates = schedule.due_dates(sop.schedule, dt.date(2026, 11, 30))
        for step in sop.steps:
            item = next(line for line in lines if line.startswith(f"- [ ] {step.index + 1}\\. "))
            assert md_text(step.title) in item and md_text(f"due {dates[step.id]:%a}") in item

        calendar = download(page, "Download calendar (.ics)")
        assert calendar.endswith("\r\n") and "\n" not in calendar.replace("\r\n", "")
        assert all(len(line.encode("utf-8")) <= 75 for line in calendar.split("\r\n"))
        events = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
        assert len(events) == len(sop.steps)
        for event, step in zip(events, sop.steps, strict=True):
            assert str(event["SUMMARY"]) == f"{step.index + 1}. {step.title} ({sop.title})"
            assert event.decoded("DTSTART") == dates[step.id]
            assert event.decoded("DTEND") == dates[step.id] + dt.timedelta(days=1)
            assert event["UID"] and event["DTSTAMP"]
        description = str(events[0]["DESCRIPTION"])
        assert f"[ ] {first.checklist[0]}" in description.split("\n")
        # Commas, semicolons and backslashes are escaped in the file itself (RFC 5545, 3.3.11).
        raw = next(line for line in unfold(calendar) if line.startswith("SUMMARY:"))
        assert re.search(r"(?<!\\)[;,]", raw.removeprefix("SUMMARY:")) is None
        assert watch.troubles() == []


# --- print, no JavaScript, phones -----------------------------------------------------------


def test_print_is_one_clean_checklist(shipped: tuple[Page, Watch], shipped_site: Site) -> None:
    page, _ = shipped
    open_run(page, shipped_site)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                  ".sopkit-run__buttons"].map((s) => {
          const element = document.querySelector(s);
          return element === null || getComputedStyle(element).display === "none";
        })"""
    )
    assert hidden == [True] * 5
    steps = page.locator("[data-step]")
    assert steps.count() >= 5
    assert steps.first.evaluate("(e) => getComputedStyle(e).breakInside") == "avoid"
    expect(steps.first.locator(".sopkit-run__name")).to_be_visible()
    expect(page.get_by_label("Start date")).to_be_visible()


def test_without_javascript_every_step_and_item_is_listed(
    chromium: Browser, shipped_site: Site
) -> None:
    sop = load_library(SHIPPED).sop("content-production")
    assert sop is not None
    with browse(chromium, shipped_site, viewport=DESKTOP, java_script_enabled=False) as (page, _):
        page.goto(shipped_site.url(RUN), wait_until="load")
        expect(page.locator(".sopkit-run__controls")).to_be_hidden()
        names = shown_text(page, ".sopkit-run__name")
        assert names == [step.title for step in sop.steps]
        for step in sop.steps:
            for item in (*step.checklist, *step.criteria):
                expect(page.get_by_label(item, exact=True)).to_be_visible()
        assert set(shown_dates(page).values()) == {None}
        expect(page.locator(".sopkit-run__due").first).to_have_text("Due: end of working day 1")


def test_run_page_and_timeline_fit_a_phone(chromium: Browser, shipped_site: Site) -> None:
    with browse(chromium, shipped_site, viewport=PHONE, is_mobile=True, has_touch=True) as (
        page,
        watch,
    ):
        for path in (RUN, SOP):
            page.goto(shipped_site.url(path), wait_until="load")
            width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
            assert width[0] <= width[1], f"{path} is {width[0]}px wide on a {width[1]}px screen"
        timeline = page.locator(".sopkit-timeline").bounding_box()
        assert timeline is not None and timeline["x"] + timeline["width"] <= PHONE["width"]
        page.goto(shipped_site.url(RUN), wait_until="load")
        set_start(page, "2026-11-30")
        for name in ("Download as Markdown", "Reset progress"):
            button = page.get_by_role("button", name=name).bounding_box()
            assert button is not None and button["x"] + button["width"] <= PHONE["width"]
        assert watch.troubles() == []


# --- screenshots (SOPKIT_SCREENSHOTS=1 pytest -m screenshots) --------------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.mark.screenshots
@pytest.mark.skipif(
    os.environ.get("SOPKIT_SCREENSHOTS") != "1",
    reason="screenshots are refreshed on demand: SOPKIT_SCREENSHOTS=1 pytest -m screenshots",
)
def test_run_screenshots(chromium: Browser, shipped_site: Site) -> None:
    """A run in progress, and the timeline of the same SOP."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browse(chromium, shipped_site, viewport=DESKTOP, color_scheme="light") as (page, watch):
        open_run(page, shipped_site)
        set_start(page, "2026-11-30")
        ticks = page.locator("input.sopkit-run__tick")
        for index in range(5):
            ticks.nth(index).check()
        page.locator("h1").scroll_into_view_if_needed()
        target = SCREENSHOTS / "run.png"
        page.screenshot(
            path=target,
            full_page=True,
            animations="disabled",
            clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 1400},
        )
        assert target.stat().st_size > 10_000
        page.goto(shipped_site.url(SOP), wait_until="load")
        block = page.locator(".sopkit-timeline")
        block.scroll_into_view_if_needed()
        box = block.bounding_box()
        legend = page.locator("#timeline ~ .sopkit-legend").first.bounding_box()
        assert box is not None and legend is not None
        target = SCREENSHOTS / "timeline.png"
        top = box["y"] - 50
        page.screenshot(
            path=target,
            animations="disabled",
            clip={
                "x": box["x"] - 16,
                "y": top,
                "width": box["width"] + 32,
                "height": legend["y"] + legend["height"] - top + 12,
            },
        )
        assert target.stat().st_size > 5_000
        assert watch.troubles() == []
