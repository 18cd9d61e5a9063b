"""Review states that follow the reader's date, in real Chromium: SOP chips, the finder (and its
`review` filter), the health page, role pages and the `sop_table` macro, with the browser's
clock set past review dates.

The same tiny handbook is built twice: once as a real site builds it (no `today` option: the
build date is today), and once with `today` pinned to the later date the browser's clock is set
to. Every review state the browser recomputes on the first site must read exactly as the
server wrote it on the second: the browser's copy of the rule is tested on the Python's cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.labels import ENGLISH

from .browser import Site, Watch, browse, serve
from .handbooks import write_handbook
from .sites import build

pytestmark = pytest.mark.browser

BUILT = dt.date.today()
LATER = BUILT + dt.timedelta(days=50)
"""The reader's date: past the reviews of `soon` (due in 10 days) and `later` (in 45)."""

ROLES = """\
lead:
  name: Lead
  team: Content
  github: "@acme/leads"
  contact: "#content on Slack"
writer:
  name: Writer
  team: Content
"""


def sop(title: str, owner: str, reviewed: dt.date, every: str) -> str:
    return f"""\
---
title: {title}
objective: Something is done well.
phase: develop
owner: {owner}
reviewed: {reviewed.isoformat()}
review_every: {every}
steps:
  - {{id: draft, title: Draft, raci: {{R: writer, A: lead}}, duration: 1d}}
  - {{id: ok, title: Approve, kind: approval, raci: {{R: writer, A: lead}}, criteria: [Good]}}
kpis:
  - {{name: Views, target: ">= 10"}}
---
"""


FILES = {
    "roles.yml": ROLES,
    "index.md": "# Reviews\n\n{{ sop_table() }}\n",
    "sops/soon.md": sop("Soon", "lead", BUILT - dt.timedelta(days=80), "90d"),
    "sops/later.md": sop("Later", "lead", BUILT - dt.timedelta(days=45), "90d"),
    "sops/steady.md": sop("Steady", "writer", BUILT, "1y"),
}


def config(today: dt.date | None, site_url: str) -> dict[str, object]:
    options = {"today": today.isoformat()} if today else {}
    return {
        "site_name": "Reviews",
        "site_url": site_url,
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"sopkit": options}, "macros"],
    }


@pytest.fixture(scope="module")
def sites(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, Site]]:
    """(built today as a real site is, built with `today` pinned to LATER), both served."""
    work = tmp_path_factory.mktemp("reviews")
    docs = write_handbook(work, FILES)
    live_root, pinned_root = work / "live", work / "pinned"
    live_root.mkdir()
    pinned_root.mkdir()
    with serve(live_root) as live_url, serve(pinned_root) as pinned_url:
        for name, today, url in (("live", None, live_url), ("pinned", LATER, pinned_url)):
            # On LATER two reviews are overdue: warnings, which only a --strict build fails on.
            result = build(docs, work, config(today, url), strict=today is None, name=name)
            assert result.returncode == 0, result.output
        yield Site("live", live_root, live_url), Site("pinned", pinned_root, pinned_url)


@pytest.fixture
def reader(chromium: Browser, sites: tuple[Site, Site]) -> Iterator[tuple[Page, Watch]]:
    with browse(chromium, sites[0], viewport={"width": 1280, "height": 900}) as opened:
        yield opened


def at(page: Page, day: dt.date) -> None:
    """The browser's clock reads noon of `day` from now on (timers keep running)."""
    page.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 12, 0))


# Per review element of a page: its place (the SOP it is about), state, text and classes.
REVIEWS = """
() => Array.from(document.querySelectorAll("[data-review-due]")).map((node) => {
  const row = node.closest("tr, li");
  const link = row ? row.querySelector("a[href*='sops/']") || row.querySelector("a") : null;
  return {
    about: link ? link.textContent.trim() : document.querySelector("h1").textContent.trim(),
    state: node.dataset.review,
    text: node.textContent.trim(),
    overdue: node.classList.contains("sopkit-review--overdue"),
  };
})
"""


def reviews(page: Page, site: Site, path: str) -> list[dict[str, object]]:
    page.goto(site.url(path), wait_until="load")
    page.wait_for_function("() => window.sopkitReviews !== undefined")
    found: list[dict[str, object]] = page.evaluate(REVIEWS)
    return sorted(found, key=lambda item: (str(item["about"]), str(item["text"])))


def test_chip_turns_overdue_when_the_clock_passes_the_review_date(
    reader: tuple[Page, Watch], sites: tuple[Site, Site]
) -> None:
    page, watch = reader
    live = sites[0]
    at(page, BUILT)
    page.goto(live.url("sops/later/"), wait_until="load")
    chip = page.locator(".sopkit-facts .sopkit-review")
    due = (BUILT + dt.timedelta(days=45)).isoformat()
    expect(chip).to_have_attribute("data-review-due", due)
    expect(chip).to_have_attribute("data-review", "ok")
    built_text = chip.text_content()
    shown = ENGLISH.date(BUILT + dt.timedelta(days=45))  # as the site's language writes it
    assert built_text is not None and f"next review {shown}" in built_text

    at(page, LATER)
    page.reload(wait_until="load")
    expect(chip).to_have_attribute("data-review", "overdue")
    expect(chip).to_have_class("sopkit-chip sopkit-review sopkit-review--overdue")
    expect(chip).to_contain_text(f"review overdue since {shown}")
    assert watch.troubles() == []


def test_every_review_state_reads_as_the_server_writes_it_on_that_date(
    chromium: Browser, reader: tuple[Page, Watch], sites: tuple[Site, Site]
) -> None:
    """SOP chips, the finder, the health page and role pages of the site built today, read on
    LATER, against the site built with `today: LATER`."""
    page, watch = reader
    live, pinned = sites
    at(page, BUILT)
    for path in ("sops/later/", "sops/", "health/", "roles/lead/", ""):
        # On the build date the browser changes nothing: the texts are the page's own.
        written = BeautifulSoup(live.html(path), "html.parser").select("[data-review-due]")
        shown = [str(item["text"]) for item in reviews(page, live, path)]
        assert sorted(shown) == sorted(node.get_text().strip() for node in written), path
        assert shown, path
    at(page, LATER)
    with browse(chromium, pinned) as (truth_page, truth_watch):
        compared = 0
        pages = ("sops/soon/", "sops/later/", "sops/steady/", "sops/", "roles/lead/", "")
        for path in pages:
            seen, expected = reviews(page, live, path), reviews(truth_page, pinned, path)
            assert seen == expected, path
            compared += len(seen)
        assert compared == 3 + 3 + 2 + 3
        # On the build date `later` was only coming up; on LATER its state moved on.
        truth = {item["about"]: item for item in reviews(truth_page, pinned, "health/")}
        assert truth_watch.troubles() == []
    health = {item["about"]: item for item in reviews(page, live, "health/")}
    assert set(health) == {"Soon", "Later"}
    assert health == truth
    built_line = page.locator("[data-built]")
    expect(built_line).to_contain_text(f"built on {ENGLISH.date(BUILT)} (50 days ago)")
    assert watch.troubles() == []


def test_finder_filters_by_the_recomputed_review_state(
    reader: tuple[Page, Watch], sites: tuple[Site, Site]
) -> None:
    page, watch = reader
    live, _ = sites
    rows = "() => Array.from(document.querySelectorAll('tr[data-sop]:not([hidden])'))" + (
        ".map((row) => row.dataset.sop).sort()"
    )
    at(page, BUILT)
    page.goto(live.url("sops/?review=overdue"), wait_until="load")
    page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
    assert page.evaluate(rows) == []
    at(page, LATER)
    for query, expected in (
        ("review=overdue", ["later", "soon"]),
        ("review=ok", ["steady"]),
        ("review=due-soon", []),
    ):
        page.goto(live.url(f"sops/?{query}"), wait_until="load")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
        assert page.evaluate(rows) == expected, query
        # The URL keeps the filter as written: the query is the contract.
        assert page.url.endswith(f"sops/?{query}")
    # The checkbox counts follow the recomputed states too.
    page.goto(live.url("sops/"), wait_until="load")
    page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
    overdue = page.locator("input[name=review][value=overdue]").locator("..")
    expect(overdue.locator(".sopkit-finder__count")).to_have_text("2")
    assert watch.troubles() == []


def test_pinned_today_and_no_javascript_keep_the_states_of_the_build(
    chromium: Browser, sites: tuple[Site, Site]
) -> None:
    live, pinned = sites
    with browse(chromium, pinned) as (page, watch):
        at(page, LATER + dt.timedelta(days=400))
        items = reviews(page, pinned, "sops/later/")
        assert [item["state"] for item in items] == ["overdue"]
        steady = reviews(page, pinned, "sops/steady/")
        assert [item["state"] for item in steady] == ["ok"], "pinned: the clock is not read"
        assert watch.troubles() == []
    with browse(chromium, live, java_script_enabled=False) as (page, _):
        page.goto(live.url("sops/later/"), wait_until="load")
        chip = page.locator(".sopkit-facts .sopkit-review")
        expect(chip).to_have_attribute("data-review", "ok")
        expect(chip).to_contain_text("next review")


def test_role_page_shows_contacts(reader: tuple[Page, Watch], sites: tuple[Site, Site]) -> None:
    page, _ = reader
    page.goto(sites[0].url("roles/lead/"), wait_until="load")
    github = page.locator("[data-role-github]")
    expect(github).to_have_text("GitHub: @acme/leads")
    expect(github.locator("a")).to_have_attribute(
        "href", "https://github.com/orgs/acme/teams/leads"
    )
    expect(page.locator("[data-role-contact]")).to_have_text("Contact: #content on Slack")
