"""Format 1.2 at SOP and site level: trigger, cadence, allow, `x-` keys, rule settings,
onboarding tasks and tool access, from loading to the checker, exports and the diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sopkit.cadence import runs_per_year, runs_per_year_setting
from sopkit.check import check_library
from sopkit.diff import sop_change
from sopkit.load import load_library
from sopkit.model import Settings
from sopkit.render.diff import MARKDOWN, TEXT, change_summary, sop_change_lines
from sopkit.render.export import catalogue
from sopkit.rules import WARNING_RULES, SettingsError, rule_settings

from .fields_handbook import HOSTILE, write_fields_handbook
from .handbooks import PUBLISH_SOP, write_handbook
from .sites import Build, build, text_of

TODAY = dt.date(2026, 11, 24)


def test_the_new_keys_reach_the_model_as_written(tmp_path: Path) -> None:
    library = load_library(write_fields_handbook(tmp_path))
    report = library.sop("weekly-report")
    assert report is not None
    assert report.trigger == f"Monday 9:00, or when a client asks. {HOSTILE}"
    assert report.cadence == "weekly"
    assert dict(report.own_fields) == {
        "x-system-owner": f"Finance {HOSTILE}",
        "x-cost-centre": 4711,
        "x-systems": ["Looker", "Sheets"],
        "x-dashboard": "https://example.com/dashboard",
    }
    assert dict(report.steps[0].own_fields) == {"x-sheet": f"Weekly tab {HOSTILE}"}
    incident = library.sop("incident-response")
    assert incident is not None and incident.allow == ("no-approval", "no-kpis")
    assert library.tools["docs"].access == f"Ask IT for an invite. {HOSTILE}"
    assert library.tools["cms"].access is None
    stages = library.onboarding["writer"].stages
    first = stages[0].tasks[0]
    assert (first.tool, first.url, first.role) == (
        "docs",
        "https://example.com/invite",
        "it-support",
    )
    # Keys are unique within a path: the same task twice keeps two ticks.
    assert [t.key for s in stages for t in s.tasks] == [
        "get-access-to-docs-img-src-x-onerror-alert-1-7-7-bold-cell",
        "shadow-a-weekly-report",
        "shadow-a-weekly-report-2",
    ]


def test_a_1_2_handbook_checks_clean_and_allow_skips_only_its_own_warnings(
    tmp_path: Path,
) -> None:
    library = load_library(write_fields_handbook(tmp_path))
    assert check_library(library, TODAY) == []
    # Without `allow`, the incident SOP has two warnings; `allow` skips them in its file only.
    root = write_fields_handbook(tmp_path / "without")
    text = (root / "sops/incident-response.md").read_text(encoding="utf-8")
    (root / "sops/incident-response.md").write_text(
        text.replace("allow: [no-approval, no-kpis]\n", ""), encoding="utf-8"
    )
    rules = {f.rule for f in check_library(load_library(root), TODAY)}
    assert rules == {"no-approval", "no-kpis"}


def test_site_rule_settings_turn_warnings_off_or_up(tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/p.md": _NO_REVIEW})
    plain = check_library(load_library(root), TODAY)
    assert [(f.rule, f.severity) for f in plain] == [("missing-review", "warning")]
    up = Settings(rules=rule_settings({"missing-review": "error"}))
    assert [f.severity for f in check_library(load_library(root, up), TODAY)] == ["error"]
    off = Settings(rules=rule_settings({"missing-review": False}))  # YAML 1.1's bare `off`
    assert check_library(load_library(root, off), TODAY) == []


_NO_REVIEW = PUBLISH_SOP.replace("reviewed: 2026-10-01\n", "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"unknown-sop": "warning"}, "`unknown-sop` is an error and cannot be set to warning"),
        ({"unknown-sop": False}, "`unknown-sop` is an error and cannot be set to off"),
        ({"no-kpi": "off"}, "unknown rule `no-kpi`; did you mean `no-kpis`?"),
        ({"no-kpis": True}, "`no-kpis` is set to true; expected off, warning or error"),
        ({"no-kpis": "erorr"}, 'set to "erorr"; expected off, warning or error; did you mean'),
        (["no-kpis"], "expected a mapping of rule names"),
    ],
)
def test_bad_rule_settings_say_what_was_expected(value: object, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        rule_settings(value)
    assert message in str(error.value)


def test_error_rules_may_be_set_to_error_and_every_warning_rule_may_be_turned_off() -> None:
    assert rule_settings({"unknown-sop": "error"}) == (("unknown-sop", "error"),)
    every = rule_settings(dict.fromkeys(WARNING_RULES, "off"))
    assert len(every) == len(WARNING_RULES) == 7


def test_runs_per_year_by_cadence_and_site_setting() -> None:
    expected = {"daily": 250, "weekly": 50, "monthly": 12, "quarterly": 4, "yearly": 1}
    for cadence, runs in expected.items():
        assert runs_per_year(cadence) == runs
    assert runs_per_year("on-demand") == runs_per_year(None) == 1
    site = runs_per_year_setting({"on-demand": 6})
    assert runs_per_year("on-demand", site) == runs_per_year(None, site) == 6
    assert runs_per_year("weekly", site) == 50
    for bad in ({"fortnightly": 26}, {"on-demand": 0}, {"on-demand": "often"}, [6]):
        with pytest.raises(SettingsError):
            runs_per_year_setting(bad)


def test_sops_json_carries_trigger_cadence_allow_extra_tasks_and_access(tmp_path: Path) -> None:
    document = catalogue(load_library(write_fields_handbook(tmp_path)))
    sops = {sop["id"]: sop for sop in document["sops"]}
    report = sops["weekly-report"]
    assert report["trigger"] == f"Monday 9:00, or when a client asks. {HOSTILE}"
    assert (report["cadence"], report["allow"]) == ("weekly", [])
    assert report["extra"]["x-systems"] == ["Looker", "Sheets"]
    assert report["steps"][0]["extra"] == {"x-sheet": f"Weekly tab {HOSTILE}"}
    assert sops["incident-response"]["allow"] == ["no-approval", "no-kpis"]
    assert sops["publish"]["trigger"] is sops["publish"]["cadence"] is None
    tools = {tool["id"]: tool for tool in document["tools"]}
    assert tools["docs"]["access"].startswith("Ask IT for an invite.")
    tasks = document["onboarding"]["writer"]["stages"][0]["tasks"]
    assert tasks[1] == {
        "task": "Shadow a weekly report",
        "tool": None,
        "url": None,
        "role": "lead",
        "key": "shadow-a-weekly-report",
    }


def test_diff_tells_cadence_and_trigger_changes_with_their_values(tmp_path: Path) -> None:
    base = load_library(write_fields_handbook(tmp_path / "base"))
    root = write_fields_handbook(tmp_path / "head")
    path = root / "sops/weekly-report.md"
    text = path.read_text(encoding="utf-8").replace("cadence: weekly", "cadence: monthly")
    text = text.replace("x-cost-centre: 4711", "x-cost-centre: 4712")
    path.write_text(text.replace("trigger: ", 'trigger: "First Monday" #', 1), encoding="utf-8")
    head = load_library(root)
    old, new = base.sop("weekly-report"), head.sop("weekly-report")
    assert old is not None and new is not None
    change = sop_change(old, new)
    assert set(change.fields) == {"cadence", "trigger", "x-cost-centre"}
    lines = sop_change_lines(change, TEXT, {})
    assert "Cadence: weekly -> monthly" in lines
    assert 'Trigger: "Monday 9:00, or when a client asks. ' in lines[1]
    assert lines[1].endswith('-> "First Monday"')
    assert lines[-1] == "Also changed: x-cost-centre"
    markdown = sop_change_lines(change, MARKDOWN, {})
    assert "&lt;img" in markdown[1] and "<img" not in markdown[1]
    summary = change_summary(change, TEXT)
    assert summary == "cadence weekly -> monthly; trigger changed; x-cost-centre changed"


# --- pages: one real build of the 1.2 handbook -------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    workdir = tmp_path_factory.mktemp("fields")
    built = build(write_fields_handbook(workdir), workdir)
    assert built.returncode == 0, built.output
    return built


def _facts(soup: BeautifulSoup) -> dict[str, tuple[str, str]]:
    rows = soup.select("[data-sopkit-facts] tr[data-sopkit-fact]")
    return {
        str(row["data-sopkit-fact"]): (
            row.select_one("th").get_text(" ", strip=True),
            row.select_one("td").get_text(" ", strip=True),
        )
        for row in rows
    }


def test_sop_page_shows_trigger_cadence_and_own_fields_escaped(site: Build) -> None:
    page = site.html("sops/weekly-report/")
    assert _facts(page) == {
        "trigger": ("Starts when", f"Monday 9:00, or when a client asks. {HOSTILE}"),
        "cadence": ("Runs", "Weekly"),
        "x-system-owner": ("System owner", f"Finance {HOSTILE}"),
        "x-cost-centre": ("Cost centre", "4711"),
        "x-systems": ("Systems", "Looker, Sheets"),
        "x-dashboard": ("Dashboard", "https://example.com/dashboard"),
    }
    link = page.select_one("[data-sopkit-fact='x-dashboard'] a")
    assert link is not None and link["href"] == "https://example.com/dashboard"
    chip = page.select_one("[data-sopkit-cadence]")
    assert chip is not None and chip["data-sopkit-cadence"] == "weekly"
    assert chip.get_text(strip=True) == "Runs: Weekly"
    # The step's own field is among the step's facts; nothing handbook-written became markup.
    assert f"Sheet: Weekly tab {HOSTILE}" in text_of(page)
    assert not page.select("article img") and "49" not in text_of(page)
    assert not page.select("article strong:-soup-contains('bold')")
    # An SOP that says neither has no facts table.
    assert site.html("sops/publish/").select("[data-sopkit-facts]") == []


def test_run_page_and_finder_show_when_an_sop_runs(site: Build) -> None:
    run = site.html("run/weekly-report/")
    facts = {
        str(p["data-sopkit-fact"]): p.get_text(" ", strip=True)
        for p in run.select(".sopkit-run__fact")
    }
    assert facts == {
        "trigger": f"Starts when: Monday 9:00, or when a client asks. {HOSTILE}",
        "cadence": "Runs: Weekly",
    }
    finder = site.html("sops/")
    headers = [th.get_text(strip=True) for th in finder.select("thead th")]
    assert headers[-1] == "Runs"
    cells = {str(row["data-sop"]): row.select("td")[-1] for row in finder.select("tr[data-sop]")}
    assert cells["weekly-report"]["data-cadence"] == "weekly"
    assert cells["weekly-report"].get_text(" ", strip=True).startswith("Weekly Monday 9:00")
    assert cells["publish"]["data-cadence"] == "" and cells["publish"].get_text() == ""
    facet = finder.select_one("[data-facet='cadence']")
    assert facet is not None
    assert [box["value"] for box in facet.select("input")] == ["on-demand", "weekly"]
    # `data-rows`: one row per SOP apart by a space, its facets apart by a comma.
    rows = str(finder.select_one("[data-sopkit-finder]")["data-rows"]).split(" ")
    assert len(rows) == len(cells)
    assert all(len(row.split(",")) == len(finder.select("[data-facet]")) for row in rows)
    texts = site.json("sops/finder.json")
    assert any("The uptime monitor alerts" in text for text in texts)


def test_onboarding_tasks_and_tool_access(site: Build) -> None:
    path = site.html("onboarding/writer/")
    tasks = path.select("li.sopkit-task[data-sopkit-item]")
    assert [t["data-sopkit-item"] for t in tasks] == [
        "task:get-access-to-docs-img-src-x-onerror-alert-1-7-7-bold-cell",
        "task:shadow-a-weekly-report",
        "task:shadow-a-weekly-report-2",
    ]
    first = tasks[0]
    # The text; the tick box labelled with it is added by the page's script (none without).
    text = first.select_one(".sopkit-task__text")
    assert text is not None and text.get_text() == f"Get access to Docs {HOSTILE}"
    assert text["data-sopkit-tick-id"] == "task-" + str(first["data-sopkit-item"])[5:]
    assert path.select("li.sopkit-task input") == []
    assert first.select_one("[data-sopkit-access]").get_text() == (
        f"(access: Ask IT for an invite. {HOSTILE})"
    )
    hrefs = [a["href"] for a in first.select("a")]
    assert hrefs == ["../../tools/docs/", "https://example.com/invite", "../../roles/it-support/"]
    assert not path.select("article img")
    progress = path.select_one("[data-sopkit-progress] progress")
    assert progress is not None and progress["max"] == "5"  # 2 SOPs to read, 3 tasks
    tool = site.html("tools/docs/")
    access = tool.select_one("[data-sopkit-access]")
    assert access is not None
    assert access.get_text() == f"How to get access: Ask IT for an invite. {HOSTILE}"
    assert site.html("tools/cms/").select("[data-sopkit-access]") == []


def test_health_weights_role_load_by_cadence_and_says_so(site: Build) -> None:
    page = site.html("health/")
    text = text_of(page)
    assert "counts as often as its cadence says it runs: daily 250, weekly 50, monthly 12" in text
    figure = page.select_one("#role-load ~ figure")
    assert figure is not None
    heads = [th.get_text(strip=True) for th in figure.select("table th")]
    assert heads[-2:] == ["Hours as R per run", "Hours as R a year"]
    rows = {
        tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in figure.select("table tbody tr")
    }
    # Writer: weekly report 2h + 1h (x50), incident 2h (on demand, x1), publish 1d (no cadence).
    assert rows["Writer"][-2:] == ["13h (1.6d)", "160h (20d)"]


def test_the_site_sets_runs_per_year_of_on_demand(tmp_path: Path) -> None:
    from sopkit.health import health_report

    settings = Settings(runs_per_year=runs_per_year_setting({"on-demand": 6}))
    library = load_library(write_fields_handbook(tmp_path), settings)
    loads = {load.role: load for load in health_report(library, TODAY).load}
    assert loads["writer"].responsible_hours_per_year == 150 + 2 * 6 + 8 * 6


def test_the_rule_registry_is_every_rule_with_the_severity_it_reports() -> None:
    """`sopkit.rules` decides what a site may turn off: it must know each rule as reported."""
    from sopkit.rules import RULE_SEVERITIES

    from .test_check_golden import GOLDEN, RULES

    assert set(RULE_SEVERITIES) == set(RULES)
    for rule, severity in RULE_SEVERITIES.items():
        expected = (GOLDEN / rule / "expected.txt").read_text(encoding="utf-8")
        assert f" {severity} {rule}: " in expected, rule
