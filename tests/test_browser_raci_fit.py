"""An SOP's RACI table fits its column, and a table that scrolls shows that it does (Chromium).

The per-SOP table is step by role (`data-raci-view="steps"`) up to eight roles while the column
has room, and role by role (`data-raci-view="roles"`: the steps behind each letter) in a narrow
column or past eight roles, so no letter is ever off-screen without a cue. Both views are
compared with what the handbook says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.load import load_library
from sopkit.model import Sop

from .browser import DESKTOP, PHONE, Site, browse, serve
from .handbooks import write_handbook
from .sites import BASE_CONFIG, SHIPPED, build

pytestmark = pytest.mark.browser

SOP_PAGE = "sops/content/content-production/"
LONG_NAME = "Regional Marketing Operations Manager"

# The column a view sits in, the view's table and the cells that stick out of the column.
FIT = """(view) => {
  const box = view.closest(".sopkit-raci-table");
  const table = view.querySelector("table");
  const edge = box.getBoundingClientRect().right + 0.5;
  const out = [...table.querySelectorAll("th, td")]
    .filter((cell) => cell.getBoundingClientRect().right > edge)
    .map((cell) => cell.textContent.trim());
  return {box: box.clientWidth, table: table.getBoundingClientRect().width, out: out};
}"""

# Role-by-role view: role name -> letter -> step numbers linked in that cell.
BY_ROLE = """(view) => Object.fromEntries([...view.querySelectorAll("tbody tr")].map((row) => {
  const letters = ["R", "A", "C", "I"];
  const cells = [...row.querySelectorAll("td")];
  return [row.querySelector("th").textContent.trim(), Object.fromEntries(letters.map(
    (letter, i) => [letter, [...cells[i].querySelectorAll("a")].map(
      (a) => [a.textContent, new URL(a.href).hash])]))];
}))"""


def expected_by_role(sop: Sop, names: dict[str, str]) -> dict[str, dict[str, list[list[str]]]]:
    table: dict[str, dict[str, list[list[str]]]] = {}
    for role in sop.roles():
        row: dict[str, list[list[str]]] = {letter: [] for letter in "RACI"}
        for number, step in enumerate(sop.steps, 1):
            for letter in step.raci.letters_of(role):
                row[letter].append([str(number), f"#step-{step.id}"])
        table[names[role]] = row
    return table


@pytest.fixture
def phone(chromium: Browser, shipped_site: Site) -> Iterator[Page]:
    with browse(chromium, shipped_site, viewport=PHONE) as (page, watch):
        yield page
        assert watch.troubles() == []


def test_the_step_by_role_table_fits_the_column_at_1280(desktop: Page, shipped_site: Site) -> None:
    library = load_library(SHIPPED)
    sop = library.sop("content-production")
    assert sop is not None
    desktop.goto(shipped_site.url(SOP_PAGE), wait_until="load")
    steps = desktop.locator('[data-raci-view="steps"]')
    expect(steps).to_be_visible()
    expect(desktop.locator('[data-raci-view="roles"]')).to_be_hidden()
    fit = steps.evaluate(FIT)
    assert fit["out"] == [] and fit["table"] <= fit["box"] + 0.5, fit
    headers = steps.locator("thead th").all_inner_texts()
    names = [library.roles[role].name for role in sop.roles()]
    assert [" ".join(h.split()) for h in headers] == ["Step", *names]
    # The final approval's A, the letter that used to be off-screen, is in view.
    approval = steps.locator("tbody tr", has_text="Final approval")
    assert approval.locator("td").all_inner_texts()[names.index("Marketing Manager")] == "A"


def test_a_narrow_column_lists_the_steps_of_each_role(phone: Page, shipped_site: Site) -> None:
    library = load_library(SHIPPED)
    sop = library.sop("content-production")
    assert sop is not None
    phone.goto(shipped_site.url(SOP_PAGE), wait_until="load")
    expect(phone.locator('[data-raci-view="steps"]')).to_be_hidden()
    roles = phone.locator('[data-raci-view="roles"]')
    expect(roles).to_be_visible()
    assert roles.evaluate(FIT)["out"] == []
    names = {role.id: role.name for role in library.roles.values()}
    assert roles.evaluate(BY_ROLE) == expected_by_role(sop, names)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    link = roles.locator("tbody tr", has_text="Marketing Manager").locator("td a").first
    # Followed without scrolling to it first: a scroll still under way would move the page on.
    link.evaluate("(a) => a.click()")
    expect(phone).to_have_url(shipped_site.url(SOP_PAGE + "#step-approval"))
    expect(phone.locator("#step-approval")).to_be_in_viewport()


def test_a_table_that_scrolls_shows_it(phone: Page, shipped_site: Site) -> None:
    phone.goto(shipped_site.url("raci/"), wait_until="load")
    matrix = phone.locator(".sopkit-matrix").first
    expect(matrix).to_have_attribute("data-sopkit-scroll", "end")
    matrix.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    expect(matrix).to_have_attribute("data-sopkit-scroll", "start")
    matrix.evaluate("(box) => { box.scrollLeft = 40; }")
    expect(matrix).to_have_attribute("data-sopkit-scroll", "both")
    phone.set_viewport_size({"width": 1600, "height": 900})
    expect(matrix).not_to_have_attribute("data-sopkit-scroll", "end")


def wide_handbook(tmp_path: Path, count: int) -> Path:
    """One SOP with `count` roles of long names, each R on a step and A on the last."""
    roles = "".join(
        f"role-{n}:\n  name: {LONG_NAME} {n}\n  team: Team {n % 3}\n" for n in range(count)
    )
    steps = "".join(
        f"  - {{id: s{n}, title: Step {n} of the work, raci: {{R: role-{n}, A: role-0}}, "
        "duration: 1h}\n"
        for n in range(count)
    )
    approval = "  - {id: ok, title: Sign off, kind: approval, raci: {R: role-1, A: role-0}, "
    approval += "criteria: [Done]}\n"
    sop = (
        "---\ntitle: Wide\nobjective: Many hands.\nphase: develop\nowner: role-0\n"
        "reviewed: 2026-10-01\nkpis: [{name: Done on time, target: '>= 90%'}]\n"
        f"steps:\n{steps}{approval}---\n\n# Wide\n"
    )
    return write_handbook(tmp_path, {"roles.yml": roles, "sops/wide.md": sop})


@pytest.mark.parametrize(("count", "matrix"), [(8, True), (9, False)])
def test_eight_roles_fit_and_nine_switch_to_the_table_by_role(
    chromium: Browser, tmp_path: Path, count: int, matrix: bool
) -> None:
    docs = wide_handbook(tmp_path, count)
    root = tmp_path / "site"
    root.mkdir()
    with serve(root) as base_url:
        result = build(docs, tmp_path, {**BASE_CONFIG, "site_url": base_url})
        assert result.returncode == 0, result.output
        site = Site("wide", root, base_url)
        with browse(chromium, site, viewport=DESKTOP) as (page, watch):
            page.goto(site.url("sops/wide/"), wait_until="load")
            steps = page.locator('[data-raci-view="steps"]')
            roles = page.locator('[data-raci-view="roles"]')
            assert steps.count() == (1 if matrix else 0)
            shown = steps if matrix else roles
            expect(shown).to_be_visible()
            fit = shown.evaluate(FIT)
            assert fit["out"] == [] and fit["table"] <= fit["box"] + 0.5, fit
            if matrix:
                expect(roles).to_be_hidden()
            else:
                sop = load_library(docs).sop("wide")
                assert sop is not None
                names = {f"role-{n}": f"{LONG_NAME} {n}" for n in range(9)}
                assert roles.evaluate(BY_ROLE) == expected_by_role(sop, names)
            assert watch.troubles() == []
