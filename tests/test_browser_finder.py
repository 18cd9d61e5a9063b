"""The SOP finder in real Chromium: filtered URLs show the rows the handbook gives, controls
rewrite the URL, counts and announcements follow, keyboard, instant navigation, no JavaScript,
a phone's width, hostile tags. Expectations come from the loaded handbook (tests/finder_expect.py).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.load import load_library

from .browser import DESKTOP, LIVE_MARKUP, PHONE, Site, Watch, browse
from .finder_expect import expected_facets, facets_for, matching
from .sites import HOSTILE, SHIPPED

pytestmark = pytest.mark.browser


VISIBLE_ROWS = """
() => Array.from(document.querySelectorAll("tr[data-sop]"))
  .filter((row) => row.getClientRects().length > 0)
  .map((row) => row.dataset.sop)
  .sort()
"""


def open_finder(page: Page, site: Site, params: list[tuple[str, str]]) -> None:
    query = urlencode(params)
    page.goto(site.url("sops/") + (f"?{query}" if query else ""), wait_until="load")
    ready(page, text=any(name == "q" for name, _ in params))


def ready(page: Page, text: bool = False) -> None:
    page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
    if text:
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-text=ready]", state="attached")


def visible_rows(page: Page) -> list[str]:
    rows: list[str] = page.evaluate(VISIBLE_ROWS)
    return rows


def query_of(page: Page) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(page.url).query))


def shipped_queries() -> list[list[tuple[str, str]]]:
    """Filtered URLs over the shipped handbook, chosen from what it holds."""
    library = load_library(SHIPPED)
    facets = {sop.id: expected_facets(library, sop) for sop in library.sops}
    usage = {
        name: Counter(v for f in facets.values() for v in f[name]) for name in ("role", "tool")
    }
    roles = [role for role, _ in usage["role"].most_common()]
    tools = [tool for tool, _ in usage["tool"].most_common()]
    # A role that takes part without owning anything: only its letters on steps can match it.
    helper = next(r for r in reversed(roles) if not any(s.owner == r for s in library.sops))
    first = library.sops[0]
    owner = library.roles[first.owner or ""]
    tag = first.tags[0]
    step_word = max(first.steps[-1].title.split(), key=len)
    return [
        [("role", helper)],
        [("role", next(r for r in reversed(roles) if r != helper)), ("role", helper)],
        [("role", roles[0]), ("tool", tools[-1])],
        [("tool", tools[0]), ("tool", tools[-1]), ("phase", first.phase)],
        [("team", (owner.team or "").upper())],
        [("owner", owner.id), ("status", "active")],
        [("tag", tag.upper()), ("review", "ok"), ("review", "due-soon")],
        [("review", "overdue")],
        [("q", step_word.upper())],
        [("q", f"{first.title.split()[0]} {step_word}".lower())],
        [("role", "nobody-has-this-role")],
    ]


def test_filtered_urls_show_exactly_the_sops_the_handbook_gives(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    library = load_library(SHIPPED)
    total = len(library.sops)
    seen_counts = set()
    for params in shipped_queries():
        watch.visiting = f"sops/?{urlencode(params)}"
        open_finder(page, shipped_site, params)
        expected = matching(library, params)
        assert visible_rows(page) == expected, params
        status = page.locator(".sopkit-finder__status")
        if expected:
            expect(status).to_have_text(f"Showing {len(expected)} of {total} SOPs.")
        else:
            expect(status).to_have_text(f"No SOP of {total} matches these filters.")
            expect(page.locator(".sopkit-finder__none")).to_be_visible()
        # The URL keeps the filters, and the controls show them.
        assert query_of(page) == sorted(params), params
        for name, value in params:
            if name == "q":
                expect(page.locator("input[name=q]")).to_have_value(value)
                # Material's search reads `q` too: here it stays closed, the finder has it.
                assert not page.locator("input[data-md-toggle=search]").is_checked()
                continue
            boxes = page.locator(f"input[type=checkbox][name={name}]")
            checked = [v.lower() for v in boxes.evaluate_all(_CHECKED)]
            if "nobody" not in value:
                assert value.lower() in checked, (name, value)
        seen_counts.add(len(expected))
    assert len(seen_counts) >= 4, "the chosen filters should give different results"
    assert watch.blocked == [] and watch.troubles() == []


_CHECKED = "(boxes) => boxes.filter((box) => box.checked).map((box) => box.value)"

COUNTS = """
(facet) => Object.fromEntries(
  Array.from(document.querySelectorAll(`input[type=checkbox][name=${facet}]`)).map((box) => [
    box.value, Number(box.parentElement.querySelector(".sopkit-finder__count").textContent),
  ])
)
"""


def test_keyboard_controls_rewrite_the_url_counts_and_announcement(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    library = load_library(SHIPPED)
    open_finder(page, shipped_site, [])
    total = len(library.sops)
    expect(page.locator("[role=status][aria-live=polite]")).to_have_text(f"All {total} SOPs.")
    # Every control is labelled.
    assert page.get_by_label("Search titles, objectives and step titles").count() == 1
    # Tab goes from the text box through each facet to the clear button.
    page.locator("input[name=q]").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    labels = [facet.capitalize() for facet in facets_for(library)]
    assert reached[: len(labels) + 1] == [*labels, "Clear all filters"]
    # Open the phase facet and tick its first choice with the keyboard.
    page.locator("details[data-facet=phase] > summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    phase = page.locator("input[name=phase]").first.get_attribute("value") or ""
    expected = matching(library, [("phase", phase)])
    assert query_of(page) == [("phase", phase)]
    assert visible_rows(page) == expected
    expect(page.locator("[role=status]")).to_have_text(f"Showing {len(expected)} of {total} SOPs.")
    expect(page.locator("details[data-facet=phase] .sopkit-finder__chosen")).to_have_text(
        "(1 chosen)"
    )
    # Each choice of another facet counts the SOPs it leaves, the phase kept; the phase facet
    # counts each phase as if it were the only one chosen.
    role_counts = page.evaluate(COUNTS, "role")
    assert role_counts == {
        role: len(matching(library, [("phase", phase), ("role", role)])) for role in role_counts
    }
    phase_counts = page.evaluate(COUNTS, "phase")
    assert phase_counts == {p: len(matching(library, [("phase", p)])) for p in phase_counts}
    # Typing narrows further and lands in the URL as `q`.
    word = library.sop(expected[0]).title.split()[-1]  # type: ignore[union-attr]
    page.locator("input[name=q]").fill(word)
    page.wait_for_selector("[data-sopkit-finder][data-sopkit-text=ready]", state="attached")
    both = matching(library, [("phase", phase), ("q", word)])
    assert visible_rows(page) == both
    assert query_of(page) == sorted([("phase", phase), ("q", word)])
    page.get_by_role("button", name="Clear all filters").click()
    assert visible_rows(page) == sorted(s.id for s in library.sops)
    assert urlsplit(page.url).query == ""
    assert watch.blocked == [] and watch.troubles() == []


def test_role_and_tool_pages_open_the_finder_filtered_with_instant_navigation(
    shipped: tuple[Page, Watch], shipped_site: Site
) -> None:
    page, watch = shipped
    library = load_library(SHIPPED)
    role = next(r for r in library.roles if matching(library, [("role", r)]))
    page.goto(shipped_site.url(f"roles/{role}/"), wait_until="load")
    page.evaluate("() => { window.sopkitStayed = true; }")
    page.get_by_role("link", name="Its SOPs in the finder").click()
    page.wait_for_url(f"**/sops/?role={role}")
    ready(page)
    assert visible_rows(page) == matching(library, [("role", role)])
    # Material's instant navigation swapped the page: the finder set itself up all the same.
    assert page.evaluate("() => window.sopkitStayed === true")
    tool = next(t for t in library.tools if matching(library, [("tool", t)]))
    page.goto(shipped_site.url(f"tools/{tool}/"), wait_until="load")
    page.get_by_role("link", name="The SOPs that use it, in the finder").click()
    page.wait_for_url(f"**/sops/?tool={tool}")
    ready(page)
    assert visible_rows(page) == matching(library, [("tool", tool)])
    assert watch.blocked == [] and watch.troubles() == []


def test_without_javascript_the_finder_is_the_full_table(
    chromium: Browser, shipped_site: Site
) -> None:
    library = load_library(SHIPPED)
    role = next(iter(library.roles))
    with browse(chromium, shipped_site, viewport=DESKTOP, java_script_enabled=False) as (page, _):
        page.goto(shipped_site.url(f"sops/?role={role}"), wait_until="load")
        assert visible_rows(page) == sorted(sop.id for sop in library.sops)
        expect(page.locator("form.sopkit-finder__controls")).to_be_hidden()


NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_at_390px_the_finder_never_scrolls_sideways(
    chromium: Browser, shipped_site: Site, hostile_site: Site
) -> None:
    for site in (shipped_site, hostile_site):
        with browse(chromium, site, viewport=PHONE) as (page, watch):
            open_finder(page, site, [])
            page.evaluate(
                "() => document.querySelectorAll('details').forEach((d) => d.open = true)"
            )
            width, viewport = page.evaluate(NO_SIDEWAYS)
            assert width <= viewport, f"{site.name}: {width}px wide in a {viewport}px window"
            first = page.locator("tr[data-sop] td").first
            assert first.bounding_box()["width"] <= viewport  # type: ignore[index]
            assert watch.blocked == [] and watch.troubles() == []


def test_hostile_tags_and_titles_stay_text_and_filter(
    chromium: Browser, hostile_site: Site
) -> None:
    library = load_library(HOSTILE)
    attack = library.sop("attack")
    assert attack is not None
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        for params in (
            [("tag", attack.tags[1])],
            [("tag", "EVIL")],
            [("q", "<script>alert('title')")],
            [("team", "TEAM {{ 7*7 }} <IMG SRC=X ONERROR=ALERT('TEAM')>")],
        ):
            watch.visiting = f"sops/?{urlencode(params)}"
            open_finder(page, hostile_site, params)
            assert visible_rows(page) == matching(library, params), params
            assert page.evaluate(LIVE_MARKUP) == []
        labels = page.locator("input[name=tag]").evaluate_all(
            "(boxes) => boxes.map((box) => box.parentElement.textContent.trim())"
        )
        shown = sorted(label.rsplit(" ", 1)[0] for label in labels)
        # `evil` and `Evil` are one tag, shown as first written in the handbook.
        tags: dict[str, str] = {}
        for sop in library.sops:
            for tag in sop.tags:
                tags.setdefault(tag.lower(), tag)
        assert shown == sorted(tags.values())
        row = page.locator("tr[data-sop=attack]")
        expect(row.locator("td").first).to_have_text(attack.title)
        expect(row.locator("td").nth(6)).to_have_text("".join(attack.tags))
        # Format 1.2: the Runs cell, last, holds the cadence and the trigger as text.
        expect(row.locator("td").last).to_have_text(f"Weekly {attack.trigger}")
        assert watch.dialogs == [] and watch.blocked == [] and watch.troubles() == []
