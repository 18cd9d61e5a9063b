"""Accessibility of every page type, in real Chromium: the axe-core audit and a keyboard walk.

The audit runs axe-core (pinned, from the npm registry: `python3 tests/axe_bundle.py`) with the
WCAG 2.1 A and AA rules on one page of each type sopkit generates, on the shipped handbook and on
the hostile test handbook, in the light and the dark scheme, after the page's controls were used
(a quiz answered, boxes ticked, a start date set, a filter chosen), so the states a reader brings
about are audited too. A serious or critical violation fails, named by rule, page and element.
The keyboard walk tabs through an SOP page from the top and follows a diagram step with Enter.
Needs Debian's Chromium and npm; without them these tests are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sopkit.load import load_library

from .axe_bundle import AXE_VERSION, axe_bundle
from .browser import DESKTOP, PHONE, Site, browse, in_viewport
from .sites import SHIPPED

pytestmark = pytest.mark.browser

WCAG_21_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
# What a colour scheme changes: the page is the same, its colours are not. The light scheme gets
# every WCAG 2.1 A/AA rule, the dark one these (the costly part of an audit, run once less).
COLOUR_RULES = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
FAILING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}


# --- what a reader does on a page before the audit ------------------------------------------


def use_sop_page(page: Page) -> None:
    """Tick a checklist box and answer the quiz: the first question right, the second wrong."""
    boxes = page.locator(".task-list-control input[type=checkbox]")
    if boxes.count():
        page.locator(".task-list-control").first.click()  # the item's text, as a reader would
        expect(boxes.first).to_be_checked()
    questions = page.locator("[data-quiz-question]")
    if questions.count():
        expect(page.locator("[data-quiz-footer]")).to_be_visible()
        choose(questions.nth(0), right=True)
        expect(questions.nth(0)).to_have_attribute("data-quiz-state", "right")
        feedback = questions.nth(0).locator("[data-quiz-feedback]")
        expect(feedback).to_have_attribute("aria-live", "polite")
        expect(feedback).to_contain_text("Right.")
        expect(page.locator("[data-quiz-score]")).to_have_attribute("aria-live", "polite")
        if questions.count() > 1:
            choose(questions.nth(1), right=False)
            expect(questions.nth(1)).to_have_attribute("data-quiz-state", "wrong")


def choose(question: Locator, right: bool) -> None:
    """Pick the question's answer, or another choice (values are handbook text: no selector)."""
    answer = question.get_attribute("data-quiz-answer")
    radios = question.locator("input[type=radio]")
    for index in range(radios.count()):
        if (radios.nth(index).get_attribute("value") == answer) == right:
            radios.nth(index).check()
            return
    raise AssertionError("the question has no such choice")


def use_run_page(page: Page) -> None:
    """Pick a start date and tick the first step."""
    expect(page.locator(".sopkit-run__controls")).to_be_visible()
    status = page.get_by_role("status")
    before = status.inner_text()
    page.get_by_label("Start date").fill("2026-11-30")
    page.get_by_label("Start date").dispatch_event("change")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).not_to_have_text(before)
    expect(page.locator("[data-step] .sopkit-run__due").first).to_contain_text("Due:")
    page.locator(".sopkit-run__steps input[type=checkbox]").first.check()


def use_onboarding_path(page: Page) -> None:
    """Tick the first item off."""
    expect(page.locator("[data-sopkit-progress]")).to_be_visible()
    first = page.locator("[data-sopkit-item]").first.locator("a").first.inner_text()
    page.get_by_role("checkbox", name=f"Done: {first}").check()
    label = page.locator(".sopkit-progress__label")
    expect(label).to_have_attribute("aria-live", "polite")
    expect(label).to_contain_text("1 of")


def use_finder(page: Page) -> None:
    """Open the first filter, choose its first value, and search."""
    expect(page.locator(".sopkit-finder__controls")).to_be_visible()
    facet = page.locator("details.sopkit-finder__facet").first
    facet.locator("summary").click()
    status = page.get_by_role("status")
    before = status.inner_text()
    facet.locator("input[type=checkbox]").first.check()
    page.get_by_label("Search titles, objectives and step titles").fill("a")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).not_to_have_text(before)


Use = Callable[[Page], None]


def page_types(
    sop: str, role: str, tool: str, path: str, run: str
) -> dict[str, tuple[str, Use | None]]:
    """One page of each type sopkit generates: name -> (path, what a reader does there)."""
    folder = sop.rsplit("/", 2)[0] + "/"
    return {
        "home (start here)": ("", None),
        "SOP (checklists, diagram, timeline, quiz)": (sop, use_sop_page),
        "SOP folder index": (folder, None),
        "finder": ("sops/", use_finder),
        "role": (role, None),
        "roles index": ("roles/", None),
        "tool": (tool, None),
        "tools index": ("tools/", None),
        "RACI matrix": ("raci/", None),
        "lifecycle map": ("lifecycle/", None),
        "onboarding index": ("onboarding/", None),
        "onboarding path": (path, use_onboarding_path),
        "health (charts and tables)": ("health/", None),
        "run page": (run, use_run_page),
        "what's new": ("whats-new/", None),
    }


PAGE_TYPES = {
    "shipped": page_types(
        "sops/content/content-production/",
        "roles/content-lead/",
        "tools/figma/",
        "onboarding/editor/",
        "run/content-production/",
    ),
    "hostile": page_types(
        "sops/evil/attack/", "roles/lead/", "tools/docs/", "onboarding/lead/", "run/attack/"
    ),
}


# --- the audit --------------------------------------------------------------------------------

AUDIT = """
async ([only, failing]) => {
  const result = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
  return result.violations
    .filter((rule) => failing.includes(rule.impact))
    .flatMap((rule) => rule.nodes.map((node) => ({
      rule: rule.id,
      impact: rule.impact,
      target: node.target.join(" "),
      html: node.html.slice(0, 160),
      summary: (node.failureSummary || "").split("\\n").slice(1, 2).join("").trim(),
    })));
}
"""


@pytest.fixture(scope="session")
def axe_js() -> str:
    """The pinned axe-core bundle, fetched once with `npm pack`; skips when that cannot work."""
    bundle = axe_bundle()
    if bundle is None:
        pytest.skip(
            f"axe-core could not be fetched: `npm pack axe-core@{AXE_VERSION}` needs npm and the "
            "npm registry (or set SOPKIT_AXE_JS to a local copy of axe.min.js)"
        )
    return Path(bundle).read_text(encoding="utf-8")


def audit(page: Page, axe: str, only: dict[str, Any]) -> list[dict[str, Any]]:
    """The serious and critical violations of the page as it is now, of the rules `only` names
    (axe's `runOnly`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe)
    found: list[dict[str, Any]] = page.evaluate(AUDIT, [only, list(FAILING)])
    return found


# Every box that scrolls sideways has been made reachable (sopkit.js does so after a resize).
SETTLED = """
() => Array.from(document.querySelectorAll(".md-typeset__scrollwrap, .sopkit-timeline"))
  .every((box) => box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex"))
"""


def settle(page: Page) -> None:
    """Let the page react to a new width; if it never does, the audit says what is missing."""
    with suppress(PlaywrightTimeout):
        page.wait_for_function(SETTLED, timeout=2_000)


def report(problems: list[str]) -> str:
    return f"{len(problems)} serious or critical WCAG 2.1 A/AA violation(s):\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_passes_the_wcag_21_aa_audit(
    request: pytest.FixtureRequest, chromium: Browser, axe_js: str, name: str, scheme: str
) -> None:
    """Each page type, used as a reader would, in one scheme: no serious or critical violation
    at desktop width, nor at a phone's width (where diagrams and tables scroll in their box and
    the navigation moves into a drawer)."""
    only = WCAG_21_AA if scheme == "light" else COLOUR_RULES
    site: Site = request.getfixturevalue(f"{name}_site")
    problems: list[str] = []
    # Reduced motion: Material then draws no transitions, so colours are audited as they end.
    options: dict[str, Any] = {
        "viewport": DESKTOP,
        "color_scheme": scheme,
        "reduced_motion": "reduce",
    }
    with browse(chromium, site, **options) as (page, watch):
        for kind, (path, use) in PAGE_TYPES[name].items():
            watch.visiting = path
            page.set_viewport_size(DESKTOP)
            page.goto(site.url(path), wait_until="load")
            shown = page.evaluate("() => document.body.dataset.mdColorScheme")
            assert shown == SCHEMES[scheme], f"{path}: the {scheme} scheme did not apply"
            if use is not None:
                use(page)
            for width, viewport in (("", DESKTOP), (" at 390px", PHONE)):
                page.set_viewport_size(viewport)
                page.mouse.move(viewport["width"] - 1, viewport["height"] - 1)  # hover nothing
                settle(page)
                for v in audit(page, axe_js, only):
                    problems.append(
                        f"{v['rule']} ({v['impact']}) on {kind} /{path}{width}, {scheme}: "
                        f"{v['target']}: {v['summary']} [{v['html']}]"
                    )
        assert watch.troubles() == []
    assert problems == [], report(problems)


# --- the keyboard -----------------------------------------------------------------------------

LIBRARY = load_library(SHIPPED)
SOP = LIBRARY.sop("content-production")
SOP_PAGE = "sops/content/content-production/"

# What has the focus: which diagram step or checklist box, where it sits in the document, and
# whether the focus shows: how the element, its parts and the box drawn beside it look focused
# and unfocused must differ (an outline, a thicker stroke, other colours).
FOCUSED = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const PROPS = ["outline-style", "outline-width", "outline-color", "box-shadow", "color",
                 "background-color", "opacity", "text-decoration-line", "stroke", "stroke-width",
                 "fill", "border-color"];
  const looks = () => {
    const parts = [element, ...Array.from(element.querySelectorAll("*")).slice(0, 30)];
    if (element.nextElementSibling) parts.push(element.nextElementSibling);
    if (element.parentElement) parts.push(element.parentElement);
    return parts.flatMap((part) => [null, "::before"].map((pseudo) => {
      const style = getComputedStyle(part, pseudo);
      return PROPS.map((name) => style.getPropertyValue(name)).join("|");
    })).join(" / ");
  };
  const focused = looks();
  element.blur();
  const shown = looks() !== focused;
  element.focus();
  const node = element.closest("[data-step]");
  const inDiagram = Boolean(element.closest(".sopkit-diagram"));
  const box = element.matches(".task-list-control input");
  return {
    content: Boolean(element.closest(".md-content")),
    step: inDiagram && node ? node.dataset.step : null,
    box: box ? element.closest("label").textContent.trim() : null,
    name: element.getAttribute("aria-label") || (element.labels && element.labels[0]
      ? element.labels[0].textContent.trim() : element.textContent.trim()).slice(0, 60)
      || element.outerHTML.slice(0, 80),
    order: Array.from(document.querySelectorAll("*")).indexOf(element),
    shown,
  };
}
"""


IN_VIEW = """
(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}
"""


@pytest.fixture
def sop_page(chromium: Browser, shipped_site: Site) -> Iterator[Page]:
    # Reduced motion: Material then draws no transitions, so a focus style shows at once.
    options: dict[str, Any] = {"viewport": DESKTOP, "reduced_motion": "reduce"}
    with browse(chromium, shipped_site, **options) as (page, watch):
        page.goto(shipped_site.url(SOP_PAGE), wait_until="load")
        yield page
        assert watch.troubles() == []


def test_tab_reaches_the_diagram_steps_then_the_checklist_boxes_in_reading_order(
    sop_page: Page,
) -> None:
    assert SOP is not None
    boxes = [item for step in SOP.steps for item in step.checklist]
    assert boxes, "the SOP has checklists to reach"
    walked: list[dict[str, Any]] = []
    for _ in range(400):
        sop_page.keyboard.press("Tab")
        focused = sop_page.evaluate(FOCUSED)
        if focused is None or (walked and focused["order"] <= walked[-1]["order"]):
            break  # past the end of the page: the focus left it or wrapped around
        walked.append(focused)
    steps = [f["step"] for f in walked if f["step"]]
    ticks = [f["box"] for f in walked if f["box"]]
    assert steps == [step.id for step in SOP.steps]
    assert ticks == [" ".join(text.split()) for text in boxes]
    first_box = next(i for i, f in enumerate(walked) if f["box"])
    last_step = max(i for i, f in enumerate(walked) if f["step"])
    assert last_step < first_box, "the diagram comes before the steps' checklists"
    hidden = [f["name"] for f in walked if f["content"] and not f["shown"]]
    assert hidden == [], f"focus not visible on: {hidden}"
    assert len([f for f in walked if f["content"]]) > len(steps) + len(ticks)


def test_enter_on_a_diagram_step_reaches_its_section(sop_page: Page) -> None:
    assert SOP is not None
    step = SOP.steps[3]
    link = sop_page.locator(f'.sopkit-diagram [data-step="{step.id}"] a')
    link.focus()
    sop_page.keyboard.press("Enter")
    expect(sop_page).to_have_url(f"{sop_page.url.split('#')[0]}#step-{step.id}")
    with suppress(PlaywrightTimeout):  # the page may scroll smoothly
        sop_page.wait_for_function(IN_VIEW, arg=f"h3#step-{step.id}", timeout=3_000)
    assert in_viewport(sop_page, f"h3#step-{step.id}")


def test_checklist_boxes_are_named_by_their_item_and_announce_their_state(
    sop_page: Page,
) -> None:
    assert SOP is not None
    item = next(text for step in SOP.steps for text in step.checklist)
    box = sop_page.get_by_role("checkbox", name=" ".join(item.split()), exact=True)
    expect(box).to_have_count(1)
    expect(box).not_to_be_checked()
    box.focus()
    sop_page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(sop_page.get_by_role("checkbox", name=item, checked=True)).to_have_count(1)


def test_charts_keep_their_data_tables(desktop: Page, shipped_site: Site) -> None:
    """Each chart of the health page is a named image followed by the table of its figures."""
    desktop.goto(shipped_site.url("health/"), wait_until="load")
    charts = desktop.locator("figure.sopkit-chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        image = chart.get_by_role("img")
        expect(image).to_have_count(1)
        name = image.get_attribute("aria-label") or ""
        rows = chart.locator("table tbody tr")
        assert rows.count() >= 1, name
        first = " ".join(rows.first.locator("td").first.inner_text().split())
        assert first and first.split(" (")[0] in name, (first, name)
