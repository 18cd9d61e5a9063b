"""Run pages and the SOP page's timeline in a real `mkdocs build`: what the HTML holds without
JavaScript, where pages are linked from, and that every figure comes from the one schedule rule.
What a reader sees with JavaScript is in test_browser_run.py."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sopkit.load import load_library
from sopkit.markdown_site import OutputError, page_options
from sopkit.model import Settings
from sopkit.render.export import catalogue_schema
from sopkit.render.timeline import MAX_STEPS, lanes, timeline

from .handbooks import write_handbook
from .sites import BASE_CONFIG, Build, build, text_of

ROLES = """\
lead: {name: Lead}
writer: {name: Writer}
designer: {name: "Designer <b>&amp;</b> Co"}
"""

FLOW = """\
---
title: "Launch <script>alert('t')</script> {{ 7*7 }}"
objective: "Ship it | fast & <b>well</b>"
phase: deploy
owner: lead
reviewed: 2026-11-01
steps:
  - {id: brief, title: Brief, raci: {R: lead, A: lead}, duration: 4h}
  - id: copy
    title: "Copy *em* [x](javascript:alert(1))"
    raci: {R: writer, A: lead}
    duration: 2d
    checklist: ["Spell <img src=x onerror=alert(1)>", "Links; checked, twice"]
  - {id: art, title: Art, raci: {R: designer, A: lead}, duration: 1d, after: [brief]}
  - id: ok
    title: Sign-off
    kind: approval
    raci: {R: writer, A: lead}
    duration: 4h
    after: [copy, art]
    criteria: ["On brand", "No typos"]
    on_reject: copy
  - {id: live, title: Go live, raci: {R: writer, A: lead}}
kpis:
  - {name: Signups, target: ">= 10"}
---
"""

DRAFT = """\
---
title: Someday
objective: Not yet.
phase: define
owner: lead
status: draft
steps:
  - {id: think, title: Think, raci: {R: writer, A: lead}, duration: 1h}
  - {id: ok, title: OK, kind: approval, raci: {R: writer, A: lead}, duration: 1h}
kpis:
  - {name: Ideas, target: "1"}
---
"""

HOLIDAYS_CONFIG = """\
site_name: Runs
docs_dir: {docs}
site_dir: {site}
theme: {{name: material, font: false}}
plugins:
  - search
  - sopkit:
      today: "2026-11-24"
      holidays: [2026-12-25, "2026-12-24", 2026-12-25]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp = tmp_path_factory.mktemp("runs")
    docs = write_handbook(
        tmp,
        {
            "roles.yml": ROLES,
            "index.md": "# Home\n",
            "sops/launch.md": FLOW,
            "sops/someday.md": DRAFT,
        },
        name="docs",
    )
    # Unquoted YAML dates, as an author writes them: mkdocs.yml is written by hand here.
    config = tmp / "mkdocs.yml"
    config.write_text(HOLIDAYS_CONFIG.format(docs=docs, site=tmp / "site"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp)},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return Build(0, run.stdout + run.stderr, tmp / "site")


def steps_of(page: Any) -> list[Any]:
    return page.select("[data-step]")


def test_active_sops_get_a_run_page_and_others_do_not(site: Build) -> None:
    assert (site.site / "run" / "launch" / "index.html").is_file()
    assert not (site.site / "run" / "someday").exists()


def test_the_sop_page_links_to_its_run_page(site: Build) -> None:
    links = [a for a in site.html("sops/launch/").select("a") if a.get_text() == "Run this SOP"]
    assert [a["href"] for a in links] == ["../../run/launch/"]
    draft = site.html("sops/someday/")
    assert not [a for a in draft.select("a") if "run/" in a.get("href", "")]


def test_run_pages_stay_out_of_the_nav_and_the_search_index(site: Build) -> None:
    home = site.html("")
    assert not [a for a in home.select(".md-nav a") if "run/" in a.get("href", "")]
    index = site.json("search/search_index.json")
    assert not [doc for doc in index["docs"] if doc["location"].startswith("run/")]
    # The SOP page is indexed; its timeline's SVG text is not (it repeats the step titles).
    timeline = [doc for doc in index["docs"] if doc["location"] == "sops/launch/#timeline"]
    assert timeline and "<svg" not in timeline[0]["text"] and "Go live" not in timeline[0]["text"]


def test_every_step_carries_the_schedule_of_the_one_rule(site: Build) -> None:
    sop = load_library(site.site.parent / "docs", Settings()).sop("launch")
    assert sop is not None
    page = site.html("run/launch/")
    steps = steps_of(page)
    assert [s["data-step"] for s in steps] == ["brief", "copy", "art", "ok", "live"]
    for element, step in zip(steps, sop.steps, strict=True):
        assert element["data-after"].split() == list(step.after)
        assert int(element["data-minutes"]) == round((step.hours or 0) * 60)
        assert int(element["data-day"]) == sop.schedule.slots[step.id].due_day
        assert (element.get("data-critical") == "true") == (step.id in sop.critical_path)
        assert "data-due" not in element.attrs  # dates need a start date, in the browser
    # brief 4h -> copy 2d (the longer branch) -> sign-off 4h -> go live: 24h, due day 2.
    assert sop.critical_path == ("brief", "copy", "ok", "live")
    assert [int(s["data-day"]) for s in steps] == [0, 2, 1, 2, 2]
    assert "lead time: 3 working days" in text_of(page)
    box = page.select_one("[data-sopkit-run]")
    assert box is not None and box["data-holidays"] == "2026-12-24 2026-12-25"


def test_without_javascript_every_step_and_item_is_listed(site: Build) -> None:
    page = site.html("run/launch/")
    text = text_of(page)
    for expected in (
        "1. Brief",
        "Spell <img src=x onerror=alert(1)>",
        "Links; checked, twice",
        "On brand",
        "No typos",
        "If changes are requested: back to 2. Copy *em* [x](javascript:alert(1))",
        "5. Go live",
        "Due: end of working day 3",
    ):
        assert expected in text
    controls = page.select_one(".sopkit-run__controls")
    assert controls is not None and controls.has_attr("hidden")
    # Every checkbox has a label that names it.
    for box in page.select(".sopkit-run input[type=checkbox]"):
        label = page.select_one(f'label[for="{box["id"]}"]')
        assert label is not None and label.get_text(strip=True)
    start = page.select_one("input[type=date]")
    assert start is not None and page.select_one(f'label[for="{start["id"]}"]') is not None


def test_roles_are_linked_and_hostile_text_stays_text(site: Build) -> None:
    page = site.html("run/launch/")
    article = page.select_one("article")
    assert article is not None
    assert not article.select("script, img, em")
    assert not [a for a in article.select("a") if a.get("href", "").startswith("javascript")]
    roles = {a["data-role"]: a["href"] for a in article.select("a[data-role]")}
    assert roles == {
        "lead": "../../roles/lead/",
        "writer": "../../roles/writer/",
        "designer": "../../roles/designer/",
    }
    title = page.select_one("h1")
    assert title is not None and "Launch <script>alert('t')</script> {{ 7*7 }}" in title.get_text()
    assert "Designer <b>&amp;</b> Co" in text_of(page)


def test_the_timeline_draws_every_step_from_the_schedule(site: Build) -> None:
    sop = load_library(site.site.parent / "docs", Settings()).sop("launch")
    assert sop is not None
    svg = site.html("sops/launch/").select_one(".sopkit-timeline svg")
    assert svg is not None and svg["data-days"] == "3"
    bars = svg.select("[data-timeline-step]")
    # Lane order: lead (brief), writer (copy, ok, live), designer (art).
    assert [b["data-timeline-step"] for b in bars] == ["brief", "copy", "ok", "live", "art"]
    for bar in bars:
        slot = sop.schedule.slots[bar["data-timeline-step"]]
        assert int(bar["data-due-day"]) == slot.due_day
        assert (bar["data-critical"] == "true") == (bar["data-timeline-step"] in sop.critical_path)
    kinds = {b["data-timeline-step"]: b["data-kind"] for b in bars}
    assert kinds["ok"] == "approval" and kinds["copy"] == "task"
    # The critical path is marked by more than colour: a triangle and a thick outline.
    critical = svg.select_one('[data-timeline-step="copy"]')
    label = critical.select_one("text") if critical else None
    assert label is not None and label.get_text().startswith("\u25b2 2. Copy")
    assert 'stroke-width="2.5"' in str(critical)
    art = svg.select_one('[data-timeline-step="art"]')
    assert art is not None and "\u25b2" not in art.get_text() and 'stroke-width="1"' in str(art)
    assert "2. Copy *em* [x](javascript:alert(1))" in svg["aria-label"]
    assert not svg.select("script, a, foreignObject")


def test_sops_json_names_the_run_page_and_due_days(site: Build) -> None:
    catalogue = site.json("sops.json")
    jsonschema.validate(catalogue, catalogue_schema())
    by_id = {sop["id"]: sop for sop in catalogue["sops"]}
    assert by_id["launch"]["run_url"] == "run/launch/"
    assert by_id["someday"]["run_url"] is None
    assert [s["due_day"] for s in by_id["launch"]["steps"]] == [0, 2, 1, 2, 2]


def test_bad_holidays_fail_the_build_with_the_item(tmp_path: Path) -> None:
    docs = write_handbook(tmp_path, {"index.md": "# Home\n"}, name="docs")
    config = dict(BASE_CONFIG)
    config["plugins"] = ["search", {"sopkit": {"holidays": ["2026-12-25", "Christmas"]}}]
    result = build(docs, tmp_path, config)
    assert result.returncode != 0
    assert "holidays" in result.output and "item 2" in result.output
    assert "'Christmas'" in result.output and "Traceback" not in result.output


def test_a_long_sop_gets_a_note_instead_of_a_timeline(tmp_path: Path) -> None:
    steps = "\n".join(
        f"  - {{id: s{n}, title: Step {n}, raci: {{R: writer, A: lead}}, duration: 1h}}"
        for n in range(MAX_STEPS + 1)
    )
    text = FLOW.split("steps:\n")[0] + "steps:\n" + steps + "\n---\n"
    root = write_handbook(tmp_path, {"sops/long.md": text})
    sop = load_library(root, Settings()).sops[0]
    drawn = timeline(sop, {})
    assert drawn.svg == "" and f"{MAX_STEPS + 1} steps are too many" in drawn.note
    assert lanes(sop)[0][0] == "writer" and len(lanes(sop)[0][1]) == MAX_STEPS + 1


def test_no_date_is_written_at_build_time(site: Build) -> None:
    """Dates depend on the reader's start date; the built page holds working-day numbers."""
    html = (site.site / "run" / "launch" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", article.replace("2026-12-24 2026-12-25", ""))
    assert dt.date(2026, 12, 24).isoformat() in html


def test_build_md_reads_the_holidays_of_mkdocs_yml() -> None:
    config = {"plugins": [{"sopkit": {"holidays": [dt.date(2026, 12, 25), "2026-12-24"]}}]}
    options = page_options(config, today=dt.date(2026, 11, 24))
    assert options.holidays == (dt.date(2026, 12, 24), dt.date(2026, 12, 25))
    with pytest.raises(OutputError, match=r"holidays: item 1: expected a date YYYY-MM-DD"):
        page_options({"plugins": [{"sopkit": {"holidays": ["soon"]}}]})
    with pytest.raises(OutputError, match="expected a list of dates"):
        page_options({"plugins": [{"sopkit": {"holidays": "2026-12-25"}}]})


def test_timeline_lanes_follow_the_workflow_diagram(tmp_path: Path) -> None:
    """Lanes by first R in order of appearance; a step without R goes to a last lane."""
    text = FLOW.replace("raci: {R: lead, A: lead}, duration: 4h", "raci: {A: lead}, duration: 4h")
    sop = load_library(write_handbook(tmp_path, {"sops/x.md": text}), Settings()).sops[0]
    assert [(lane, [s.id for s in steps]) for lane, steps in lanes(sop)] == [
        ("writer", ["copy", "ok", "live"]),
        ("designer", ["art"]),
        ("", ["brief"]),
    ]
    svg = timeline(sop, {}).svg
    assert svg.index(">writer<") < svg.index(">designer<") < svg.index(">Unassigned<")
