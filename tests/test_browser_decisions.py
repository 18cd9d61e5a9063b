"""Decisions and sub-procedures (format 1.2) as a reader meets them in real Chromium: the diamond
and its labelled exits in the swimlane diagram (desktop and phone), picking an answer on a run
page by keyboard, with the other branch skipped and undated, and the links to a called SOP.

Site: the shipped handbook (tests/conftest.py), whose publishing SOP decides after its go-live
check and whose social media SOP runs the approval workflow as a sub-procedure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit import schedule
from sopkit.load import load_library, step_tasks
from sopkit.model import Sop

from .browser import Site, Watch, browse, serve
from .handbooks import write_handbook
from .sites import SHIPPED, build

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SOP_ID = "publishing-distribution"
SOP_PAGE = "sops/content/publishing-distribution/"
RUN = f"run/{SOP_ID}/"
DECISION = "live-ok"
PASS, FIX, MONITOR = "live-monitoring", "fix-live-page", "live-monitoring"


def shipped_sop(sop_id: str) -> Sop:
    sop = load_library(SHIPPED).sop(sop_id)
    assert sop is not None
    return sop


@pytest.fixture
def desktop(chromium: Browser, shipped_site: Site) -> Iterator[tuple[Page, Watch]]:
    with browse(chromium, shipped_site, viewport=DESKTOP) as opened:
        yield opened


# Boxes of the decision, its exit edges and their labels, in page pixels.
DIAGRAM_FACTS = """
(decision) => {
  const svg = document.querySelector(".sopkit-diagram__svg--workflow");
  const node = svg.querySelector(`[data-step="${decision}"]`);
  const shape = node.querySelector(".sopkit-node__shape");
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const exits = [...svg.querySelectorAll(`[data-kind="branch"]`)]
    .filter((e) => e.dataset.edge.startsWith(decision + "->"));
  return {
    kind: node.dataset.kind,
    tag: shape.tagName,
    points: (shape.getAttribute("points") || "").trim().split(/\\s+/).length,
    svg: box(svg),
    exits: exits.map((e) => {
      const label = e.querySelector(".sopkit-edge__label");
      return {edge: e.dataset.edge, label: label ? label.textContent : null,
              box: label ? box(label) : null,
              stroke: label ? getComputedStyle(label).stroke : null};
    }),
  };
}
"""


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_decision_is_a_diamond_with_labelled_exits(
    chromium: Browser, shipped_site: Site, viewport: dict[str, int]
) -> None:
    sop = shipped_sop(SOP_ID)
    decision = sop.step(DECISION)
    assert decision is not None and decision.is_decision
    with browse(chromium, shipped_site, viewport=viewport) as (page, watch):
        page.goto(shipped_site.url(SOP_PAGE), wait_until="load")
        facts: dict[str, Any] = page.evaluate(DIAGRAM_FACTS, DECISION)
        assert facts["kind"] == "decision"
        assert facts["tag"] == "polygon" and facts["points"] == 4  # a diamond
        labels = {exit_["edge"]: exit_["label"] for exit_ in facts["exits"]}
        assert labels == {f"{DECISION}->{b.to}": b.when for b in decision.branches}
        boxes = [exit_["box"] for exit_ in facts["exits"]]
        # Each answer can be read: inside the drawing, not on top of the other.
        for box in boxes:
            assert box["w"] > 20 and box["x"] >= facts["svg"]["x"]
            assert box["x"] + box["w"] <= facts["svg"]["x"] + facts["svg"]["w"] + 0.5
        assert not overlaps(boxes[0], boxes[1])
        # Outlined in the page colour, so the exit lines behind them do not cut the text.
        assert all(exit_["stroke"] not in (None, "", "none") for exit_ in facts["exits"])
        # The step list says the same in words, linking each answer's step.
        branches = page.locator(f"#step-{DECISION} ~ ul .sopkit-branches [data-kind=branch]")
        expect(branches).to_have_count(len(decision.branches))
        for index, branch in enumerate(decision.branches):
            item = branches.nth(index)
            expect(item).to_contain_text(branch.when)
            expect(item.locator("a")).to_have_attribute("href", re.compile(f"#step-{branch.to}$"))
        fix = page.locator(f"#step-{FIX} ~ ul").first
        expect(fix).to_contain_text("Runs when")
        expect(fix).to_contain_text("Something is wrong")
        # The timeline marks the decision and says on which answer a step runs.
        mark = page.locator(f'[data-timeline-step="{DECISION}"]')
        expect(mark).to_have_attribute("data-kind", "decision")
        expect(page.locator(f'[data-timeline-step="{FIX}"]')).to_have_attribute(
            "data-branch", "“Something is wrong”"
        )
        assert watch.troubles() == []


def expected_dates(
    sop: Sop, choices: dict[str, str], start: str, holidays: list[dt.date]
) -> dict[str, str]:
    """Due dates by the Python rule for a run with `choices` (steps skipped have none)."""
    library = load_library(SHIPPED)
    tasks = step_tasks(sop.steps, {s.id: s.schedule for s in library.sops})
    skipped = schedule.skipped_steps(tasks, choices)
    plan = schedule.schedule(tasks, skipped)
    days = schedule.due_dates(plan, dt.date.fromisoformat(start), holidays)
    return {step: day.isoformat() for step, day in days.items()}


def shown(page: Page) -> dict[str, str | None]:
    steps = page.locator("[data-sopkit-run] [data-step]")
    return {
        steps.nth(i).get_attribute("data-step") or "": steps.nth(i).get_attribute("data-due")
        for i in range(steps.count())
    }


def test_the_runner_picks_an_answer_by_keyboard_and_the_other_branch_is_skipped(
    desktop: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = desktop
    sop = shipped_sop(SOP_ID)
    page.goto(shipped_site.url(RUN), wait_until="load")
    expect(page.locator(".sopkit-run__controls")).to_be_visible()
    written = page.locator("[data-sopkit-run]").get_attribute("data-holidays") or ""
    holidays = [dt.date.fromisoformat(day) for day in written.split()]
    page.get_by_label("Start date").fill("2026-11-30")
    page.get_by_label("Start date").dispatch_event("change")
    # Nothing decided yet: every branch has a date, the join waits for the longest.
    assert shown(page) == expected_dates(sop, {}, "2026-11-30", holidays)
    step = page.locator(f'[data-step="{DECISION}"]')
    expect(step).to_have_attribute("data-kind", "decision")
    decision = sop.step(DECISION)
    assert decision is not None
    group = page.get_by_role("group", name=f"Answer of step {decision.index + 1}")
    undecided = group.get_by_role("radio", name="Not decided yet")
    expect(undecided).to_be_checked()

    # Keyboard only: focus the group's checked radio, then the arrow keys pick the next answer.
    undecided.focus()
    page.keyboard.press("ArrowDown")
    passes = group.get_by_role("radio", name="Every check passes", exact=False)
    expect(passes).to_be_checked()
    expect(passes).to_be_focused()
    fix = page.locator(f'[data-step="{FIX}"]')
    expect(fix).to_have_attribute("data-skipped", "true")
    assert fix.get_attribute("data-due") is None
    expect(fix.locator(".sopkit-run__due")).to_have_text("Skipped: not on the branch picked")
    summary = page.locator("#sopkit-run-summary")
    expect(summary).to_have_attribute("aria-live", "polite")
    expect(summary).to_contain_text("1 step skipped by the answers picked")
    expect(summary).to_contain_text(f"0 of {len(sop.steps) - 1} steps done")
    dates = expected_dates(sop, {DECISION: PASS}, "2026-11-30", holidays)
    assert FIX not in dates
    assert {k: v for k, v in shown(page).items() if v} == dates

    # The other answer: the fix runs, monitoring waits for it.
    page.keyboard.press("ArrowDown")
    wrong = group.get_by_role("radio", name="Something is wrong", exact=False)
    expect(wrong).to_be_checked()
    expect(fix).not_to_have_attribute("data-skipped", "true")
    dates = expected_dates(sop, {DECISION: FIX}, "2026-11-30", holidays)
    assert shown(page) == dates
    assert dates[MONITOR] >= dates[FIX]
    expect(summary).not_to_contain_text("skipped")

    # The answer is kept in this browser with the rest of the run, and reset clears it.
    page.reload(wait_until="load")
    expect(group.get_by_role("radio", name="Something is wrong", exact=False)).to_be_checked()
    page.get_by_role("button", name="Reset progress").click()
    expect(group.get_by_role("radio", name="Not decided yet")).to_be_checked()
    assert watch.troubles() == []


def test_a_sub_procedure_links_to_its_sop(desktop: tuple[Page, Watch], shipped_site: Site) -> None:
    page, watch = desktop
    sop = shipped_sop("social-media-scheduling")
    called = shipped_sop("approval-workflow")
    step = next(s for s in sop.steps if s.sop)
    assert step.sop == called.id and step.duration is None
    # The step takes the called SOP's lead time.
    slot = sop.schedule.slots[step.id]
    assert slot.finish - slot.start == called.schedule.lead_minutes
    page.goto(shipped_site.url("sops/channels/social-media-scheduling/"), wait_until="load")
    facts = page.locator(f"#step-{step.id} ~ ul").first
    expect(facts).to_contain_text("Sub-procedure")
    facts.get_by_role("link", name=called.title).click()
    expect(page).to_have_url(shipped_site.url("sops/content/approval-workflow/"))
    page.goto(shipped_site.url("run/social-media-scheduling/"), wait_until="load")
    link = page.locator(f'[data-step="{step.id}"] [data-sopkit-sub="{called.id}"]')
    expect(link).to_have_text(called.title)
    minutes = page.locator(f'[data-step="{step.id}"]').get_attribute("data-minutes")
    assert minutes == str(called.schedule.lead_minutes)
    # The lifecycle map draws the call.
    page.goto(shipped_site.url("lifecycle/"), wait_until="load")
    call = page.locator(f'[data-edge="{sop.id}->{called.id}"][data-kind="calls"]')
    expect(call).to_have_count(1)
    expect(call.locator(".sopkit-edge__label")).to_have_text("runs")
    assert watch.troubles() == []


NESTED = """\
---
title: Nested
objective: A decision inside a branch of another.
phase: deploy
owner: lead
reviewed: 2026-10-01
steps:
  - id: outer
    title: Outer question
    kind: decision
    raci: {R: writer, A: lead}
    branches:
      - {when: Inside, to: inner}
      - {when: Quick, to: quick}
  - id: inner
    title: Inner question
    kind: decision
    raci: {R: writer, A: lead}
    branches:
      - {when: Left, to: left}
      - {when: Right, to: right}
  - {id: left, title: Left way, raci: {R: writer, A: lead}, duration: 1d}
  - {id: right, title: Right way, raci: {R: writer, A: lead}, duration: 2d}
  - {id: quick, title: Quick way, raci: {R: writer, A: lead}, duration: 1h}
  - id: done
    title: Sign off
    kind: approval
    raci: {R: writer, A: lead}
    after: [left, right, quick]
kpis:
  - {name: Done, target: 100%}
---
"""


def test_a_decision_on_a_branch_not_taken_has_nothing_to_decide(
    chromium: Browser, tmp_path: Path
) -> None:
    root = write_handbook(tmp_path, {"sops/nested.md": NESTED})
    result = build(root, tmp_path)
    assert result.returncode == 0, result.output
    with serve(result.site) as base_url:
        site = Site("nested", result.site, base_url)
        with browse(chromium, site, viewport=PHONE) as (page, watch):
            page.goto(site.url("run/nested/"), wait_until="load")
            expect(page.locator(".sopkit-run__controls")).to_be_visible()
            # A disabled fieldset disables its radios: the answers of the inner decision.
            inner = page.locator('[data-decision="inner"] input[type=radio]').nth(1)
            expect(inner).to_be_enabled()
            page.get_by_role("radio", name="Quick", exact=False).check()
            for step in ("inner", "left", "right"):
                expect(page.locator(f'[data-step="{step}"]')).to_have_attribute(
                    "data-skipped", "true"
                )
            expect(inner).to_be_disabled()
            summary = page.locator("#sopkit-run-summary")
            expect(summary).to_contain_text("3 steps skipped by the answers picked")
            page.get_by_role("radio", name="Inside", exact=False).check()
            expect(inner).to_be_enabled()
            page.get_by_role("radio", name="Right", exact=False).check()
            skipped = page.locator("[data-sopkit-run] [data-skipped]")
            expect(skipped).to_have_count(2)  # the left way and the quick way
            assert {skipped.nth(i).get_attribute("data-step") for i in range(skipped.count())} == {
                "left",
                "quick",
            }
            assert watch.troubles() == []


PARALLEL = """\
---
title: Parallel
objective: A decision whose quick answer moves the critical path to a step beside it.
phase: deploy
owner: lead
reviewed: 2026-10-01
steps:
  - {id: plan, title: Plan the release, raci: {R: writer, A: lead}, duration: 1h}
  - id: check
    title: Is the page broken?
    kind: decision
    raci: {R: writer, A: lead}
    duration: 1h
    branches:
      - {when: Broken, to: rebuild}
      - {when: Fine, to: tidy}
  - {id: rebuild, title: Rebuild the page, raci: {R: writer, A: lead}, duration: 2d}
  - {id: tidy, title: Tidy up, raci: {R: writer, A: lead}, duration: 1h, after: [check]}
  - {id: notes, title: Write the notes, raci: {R: writer, A: lead}, duration: 1d, after: [plan]}
  - id: ship
    title: Ship it
    kind: approval
    raci: {R: writer, A: lead}
    after: [rebuild, tidy, notes]
kpis:
  - {name: Done, target: 100%}
---
"""


def test_the_critical_path_follows_the_branch_picked(chromium: Browser, tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/parallel.md": PARALLEL})
    result = build(root, tmp_path)
    assert result.returncode == 0, result.output
    library = load_library(root)
    sop = library.sop("parallel")
    assert sop is not None
    tasks = step_tasks(sop.steps, {s.id: s.schedule for s in library.sops})

    def path(choices: dict[str, str]) -> set[str]:
        skipped = schedule.skipped_steps(tasks, choices)
        return set(schedule.schedule(tasks, skipped).critical_path)

    def on_page(page: Page) -> set[str]:
        steps = page.locator("[data-sopkit-run] [data-step][data-critical=true]")
        return {steps.nth(i).get_attribute("data-step") or "" for i in range(steps.count())}

    def tag(page: Page, step: str) -> Any:
        return page.locator(f'[data-step="{step}"] .sopkit-run__tag--critical')

    assert path({}) == set(sop.critical_path) == {"plan", "check", "rebuild", "ship"}
    assert path({"check": "tidy"}) == {"plan", "notes", "ship"}
    with serve(result.site) as base_url:
        site = Site("parallel", result.site, base_url)
        with browse(chromium, site, viewport=DESKTOP) as (page, watch):
            page.goto(site.url("run/parallel/"), wait_until="load")
            expect(page.locator(".sopkit-run__controls")).to_be_visible()
            assert on_page(page) == set(sop.critical_path)
            expect(tag(page, "notes")).to_have_count(0)
            page.get_by_role("radio", name="Fine", exact=False).check()
            assert on_page(page) == path({"check": "tidy"})
            # The step beside the branches now sets the pace: it gets the tag, in the page's words.
            expect(tag(page, "notes")).to_be_visible()
            expect(tag(page, "notes")).to_have_text("Critical path")
            expect(tag(page, "notes")).to_have_attribute(
                "title", "On the critical path: a delay here delays the whole run"
            )
            expect(tag(page, "check")).to_be_hidden()
            expect(page.locator('[data-step="check"]')).not_to_have_class(re.compile("critical"))
            page.get_by_role("radio", name="Broken", exact=False).check()
            assert on_page(page) == path({"check": "rebuild"})
            expect(tag(page, "notes")).to_be_hidden()
            expect(tag(page, "check")).to_be_visible()
            # Undecided again: the build's worst case.
            page.get_by_role("radio", name="Not decided yet").check()
            assert on_page(page) == set(sop.critical_path)
            assert watch.troubles() == []
