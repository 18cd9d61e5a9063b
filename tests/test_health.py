"""Handbook health: every figure of a small handbook computed by hand, in each output format."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import markdown
import pytest

from sopkit.cli import main
from sopkit.health import HealthReport, health_report
from sopkit.load import load_library
from sopkit.model import Library
from sopkit.render.health import health_json, health_markdown, health_text
from sopkit.render.health_page import Live
from sopkit.render.svg import bar_chart

from .handbooks import write_handbook

TODAY = dt.date(2026, 11, 24)

ROLES = """\
lead: {name: Lead}
writer: {name: Writer}
editor: {name: Editor}
client: {name: Client}
rnd: {name: "<b>R&D</b>"}
idle: {name: Idle}
"""
TOOLS = """\
docs: {name: Docs}
crm: {name: CRM}
legacy: {name: Legacy}
ga: {name: Analytics}
"""
KPIS = 'kpis:\n  - {name: Done, target: ">= 1"}\n'

# plan: goals -> {research | budget} -> draft (join) -> sign (approval, rejects to draft) -> kickoff
#   finish: goals 4, research 12, budget 6, draft 12+8=20, sign 36, kickoff 36 (no duration).
#   On equal finish the later-written step ends the path: kickoff (a closing step without a
#   duration still shows on it).
PLAN = f"""\
---
title: Plan
objective: A plan exists.
phase: define
owner: lead
reviewed: 2026-05-01
review_every: 90d
next: [brief]
tools: [docs]
steps:
  - {{id: goals, title: Goals, raci: {{R: lead, A: lead}}, duration: 4h}}
  - {{id: research, title: Research, raci: {{R: writer, A: lead}}, duration: 1d}}
  - id: budget
    title: Budget
    raci: {{R: [lead, writer], A: lead}}
    duration: 2h
    after: [goals]
  - id: draft
    title: Draft
    raci: {{R: writer, A: lead}}
    duration: 1d
    after: [research, budget]
  - id: sign
    title: Sign off
    kind: approval
    raci: {{R: writer, A: client}}
    duration: 2d
    criteria: [Sound]
    on_reject: draft
  - {{id: kickoff, title: Kick-off, raci: {{R: lead, A: lead}}}}
{KPIS}---
"""
# brief: write -> {legal (approval) | assets} -> final (approval, joins both, rejects to write).
#   finish: write 8, legal 12, assets 11, final 12+8=20. Two approvals in series: legal, final.
BRIEF = """\
---
title: Brief
objective: A brief exists.
phase: develop
owner: writer
reviewed: 2026-09-05
review_every: 90d
next: [produce, promote]
steps:
  - {id: write, title: Write, raci: {R: writer, A: lead}, duration: 1d}
  - id: legal
    title: Legal review
    kind: approval
    raci: {R: writer, A: rnd}
    duration: 4h
    criteria: [Lawful]
  - {id: assets, title: Assets, raci: {R: editor, A: lead}, duration: 3h, after: [write]}
  - id: final
    title: Final approval
    kind: approval
    raci: {R: lead, A: client}
    duration: 1d
    after: [legal, assets]
    on_reject: write
    criteria: [Good]
quiz:
  - {question: "Who gives the final approval?", choices: [Lead, Client], answer: Client}
---
"""
# On the writer's path: plan (no quiz), brief (a quiz), old (retired: not in force).
ONBOARDING = """\
writer:
  stages:
    - {name: First week, sops: [plan, brief, old]}
"""
# produce: edit (two R) -> publish. 16 + 1 = 17. No approval, no review date.
PRODUCE = f"""\
---
title: Produce
objective: Work is produced.
phase: develop
owner: editor
next: [launch]
steps:
  - {{id: edit, title: Edit, raci: {{R: [writer, editor], A: lead}}, duration: 2d}}
  - {{id: publish, title: Publish, raci: {{R: writer, A: lead}}, duration: 1h}}
{KPIS}---
"""
# promote: start -> {social (approval) | email (approval, no duration)} -> send.
#   finish: start 0.5, social 1.5, email 0.5, send 3.5. Approvals in parallel: not in series.
PROMOTE = f"""\
---
title: Promote
objective: Work is promoted.
phase: deploy
owner: lead
reviewed: 2026-11-01
review_every: 1y
next: [launch, ghost]
steps:
  - {{id: start, title: Start, raci: {{R: writer, A: lead}}, duration: 30m}}
  - id: social
    title: Social approval
    kind: approval
    raci: {{R: writer, A: lead}}
    duration: 1h
    criteria: [On brand]
  - id: email
    title: Email approval
    kind: approval
    raci: {{R: writer, A: client}}
    after: [start]
    criteria: [On brand]
  - {{id: send, title: Send, raci: {{R: writer, A: lead}}, duration: 2h, after: [social, email]}}
{KPIS}---
"""
# launch: go (1w = 40h) -> go-live (approval, 2h) = 42. `next` names a retired SOP: ignored.
LAUNCH = f"""\
---
title: Launch
objective: Work is live.
phase: deploy
owner: lead
reviewed: 2026-08-26
review_every: 90d
next: [old]
steps:
  - {{id: go, title: Go, raci: {{R: lead, A: lead}}, duration: 1w}}
  - id: go-live
    title: Go-live approval
    kind: approval
    raci: {{R: lead, A: client}}
    duration: 2h
    criteria: [Ready]
{KPIS}---
"""
# review <-> retro: a cycle no chain start reaches. 3h each.
REVIEW = """\
---
title: Review
objective: Results are known.
phase: determine
owner: writer
reviewed: 2026-09-25
review_every: 90d
next: [retro]
steps:
  - {id: measure, title: Measure, raci: {R: rnd, A: lead}, duration: 3h}
kpis:
  - {name: Insights, target: ">= 1", source: ga}
---
"""
RETRO = """\
---
title: Retro
objective: Lessons are learnt.
phase: determine
owner: lead
reviewed: 2026-09-26
review_every: 90d
next: [review]
steps:
  - {id: meet, title: Meet, raci: {R: [lead, writer, editor], A: lead}, duration: 2h}
  - {id: decide, title: Decide, kind: approval, raci: {R: writer, A: editor}, duration: 1h}
---
"""
# Retired: counts nowhere (not its overdue review, its approval, its role, its tool or its link).
OLD = """\
---
title: Old
objective: Gone.
phase: define
owner: lead
status: retired
reviewed: 2020-01-01
next: [plan]
tools: [legacy]
steps:
  - {id: once, title: Once, kind: approval, raci: {R: idle, A: client}, duration: 1w}
---
"""

# Every figure, by hand (today 2026-11-24; 1d = 8h, 1w = 5d):
EXPECTED: dict[str, Any] = {
    "today": "2026-11-24",
    "sops": 7,  # old is retired
    # plan due 2026-05-01 + 90d = 07-30: 1 + 31 + 30 + 31 + 24 = 117 days overdue;
    # launch due 08-26 + 90d = 11-24 (today); brief due 09-05 + 90d = 12-04 (10 days left);
    # review due 09-25 + 90d = 12-24 (30 days left, the last day in the window);
    # retro due 12-25 (31 days left) and promote due 2027-11-01 are not listed.
    "reviews": [
        {
            "sop": "plan",
            "owner": "lead",
            "reviewed": "2026-05-01",
            "due": "2026-07-30",
            "days_overdue": 117,
        },
        {
            "sop": "launch",
            "owner": "lead",
            "reviewed": "2026-08-26",
            "due": "2026-11-24",
            "days_overdue": 0,
        },
        {
            "sop": "brief",
            "owner": "writer",
            "reviewed": "2026-09-05",
            "due": "2026-12-04",
            "days_overdue": -10,
        },
        {
            "sop": "review",
            "owner": "writer",
            "reviewed": "2026-09-25",
            "due": "2026-12-24",
            "days_overdue": -30,
        },
    ],
    "sops_without_review_date": ["produce"],
    # Approval steps: plan.sign client 16h, brief.legal rnd 4h, brief.final client 8h,
    # promote.social lead 1h, promote.email client 0h, launch.go-live client 2h, retro.decide
    # editor 1h (old.once is retired). 5 SOPs have an approval, so 40% is 2 SOPs: only client
    # (4 SOPs >= 3) is a single point of failure. Ties on gates, SOPs and SLA: by id.
    "approvers": [
        {
            "role": "client",
            "gates": 4,
            "sops": 4,
            "sla_hours": 26,
            "sop_ids": ["brief", "launch", "plan", "promote"],
            "single_point_of_failure": True,
        },
        {
            "role": "rnd",
            "gates": 1,
            "sops": 1,
            "sla_hours": 4,
            "sop_ids": ["brief"],
            "single_point_of_failure": False,
        },
        {
            "role": "editor",
            "gates": 1,
            "sops": 1,
            "sla_hours": 1,
            "sop_ids": ["retro"],
            "single_point_of_failure": False,
        },
        {
            "role": "lead",
            "gates": 1,
            "sops": 1,
            "sla_hours": 1,
            "sop_ids": ["promote"],
            "single_point_of_failure": False,
        },
    ],
    "sops_with_approvals": 5,
    "approvals_in_series": [{"sop": "brief", "approvals": ["legal", "final"], "sla_hours": 12}],
    # R hours in full for each R:
    # writer: research 8, budget 2, draft 8, sign 16 | write 8, legal 4 | edit 16, publish 1 |
    #         start 0.5, social 1, email 0, send 2 | meet 2, decide 1 = 14 steps, 69.5h; A 0
    # lead:   goals 4, budget 2, kickoff 0 | final 8 | go 40, go-live 2 | meet 2 = 7 steps, 58h;
    #         A: plan 5 (all but sign), brief 2, produce 2, promote 3, launch 1, review 1,
    #         retro 1 = 15
    # editor: assets 3, edit 16, meet 2 = 3 steps, 21h; A decide = 1
    # rnd:    measure 3 = 1 step, 3h; A legal = 1
    # client: A sign, final, email, go-live = 4; idle: nothing (only in the retired SOP)
    "load": [
        {
            "role": "writer",
            "responsible_steps": 14,
            "accountable_steps": 0,
            "responsible_hours": 69.5,
            "responsible_hours_per_year": 69.5,
        },
        {
            "role": "lead",
            "responsible_steps": 7,
            "accountable_steps": 15,
            "responsible_hours": 58,
            "responsible_hours_per_year": 58,
        },
        {
            "role": "editor",
            "responsible_steps": 3,
            "accountable_steps": 1,
            "responsible_hours": 21,
            "responsible_hours_per_year": 21,
        },
        {
            "role": "rnd",
            "responsible_steps": 1,
            "accountable_steps": 1,
            "responsible_hours": 3,
            "responsible_hours_per_year": 3,
        },
        {
            "role": "client",
            "responsible_steps": 0,
            "accountable_steps": 4,
            "responsible_hours": 0,
            "responsible_hours_per_year": 0,
        },
        {
            "role": "idle",
            "responsible_steps": 0,
            "accountable_steps": 0,
            "responsible_hours": 0,
            "responsible_hours_per_year": 0,
        },
    ],
    # No SOP has a cadence: each counts once, as on demand (format 1.2).
    "runs_per_year": {
        "on-demand": 1,
        "daily": 250,
        "weekly": 50,
        "monthly": 12,
        "quarterly": 4,
        "yearly": 1,
    },
    "lead_time": {
        "sops": [
            {
                "sop": "launch",
                "hours": 42,
                "working_days": 6,
                "critical_path": ["go", "go-live"],
                "steps_without_duration": 0,
            },
            {
                "sop": "plan",
                "hours": 36,
                "working_days": 5,
                "critical_path": ["goals", "research", "draft", "sign", "kickoff"],
                "steps_without_duration": 1,
            },
            {
                "sop": "brief",
                "hours": 20,
                "working_days": 3,
                "critical_path": ["write", "legal", "final"],
                "steps_without_duration": 0,
            },
            {
                "sop": "produce",
                "hours": 17,
                "working_days": 3,
                "critical_path": ["edit", "publish"],
                "steps_without_duration": 0,
            },
            {
                "sop": "promote",
                "hours": 3.5,
                "working_days": 1,
                "critical_path": ["start", "social", "send"],
                "steps_without_duration": 1,
            },
            {
                "sop": "retro",
                "hours": 3,
                "working_days": 1,
                "critical_path": ["meet", "decide"],
                "steps_without_duration": 0,
            },
            {
                "sop": "review",
                "hours": 3,
                "working_days": 1,
                "critical_path": ["measure"],
                "steps_without_duration": 0,
            },
        ],
        # plan is the only start (old, retired, does not count); brief branches; `ghost` does
        # not exist and `old` is retired. review <-> retro is reached from no start: it is
        # walked once from retro, the first of the two in reading order (same phase, file name).
        "chains": [
            {"sops": ["plan", "brief", "produce", "launch"], "hours": 115, "loops_to": None},
            {"sops": ["plan", "brief", "promote", "launch"], "hours": 101.5, "loops_to": None},
            {"sops": ["retro", "review"], "hours": 6, "loops_to": "retro"},
        ],
        "chains_truncated": False,
    },
    "gaps": {
        "phases": ["design"],
        "roles": ["idle"],
        "tools": ["crm", "legacy"],  # docs: plan's tools; ga: a KPI source; legacy: retired only
        "steps_without_duration": [
            {"sop": "plan", "step": "kickoff"},
            {"sop": "promote", "step": "email"},
        ],
        "sops_without_kpis": ["brief", "retro"],
        "sops_without_approval": ["produce", "review"],
        "onboarding_sops_without_quiz": ["plan"],
    },
}


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    return write_handbook(
        tmp_path,
        {
            "roles.yml": ROLES,
            "tools.yml": TOOLS,
            "sops/plan.md": PLAN,
            "sops/brief.md": BRIEF,
            "sops/produce.md": PRODUCE,
            "sops/promote.md": PROMOTE,
            "sops/launch.md": LAUNCH,
            "sops/review.md": REVIEW,
            "sops/retro.md": RETRO,
            "sops/old.md": OLD,
            "onboarding.yml": ONBOARDING,
        },
    )


@pytest.fixture
def library(handbook: Path) -> Library:
    return load_library(handbook)


@pytest.fixture
def report(library: Library) -> HealthReport:
    return health_report(library, TODAY)


def test_every_figure_by_hand(report: HealthReport) -> None:
    assert health_json(report) == EXPECTED


def test_the_handbook_loads_without_findings(library: Library) -> None:
    assert library.load_findings == ()
    assert len(library.sops) == 8


def test_single_point_of_failure_thresholds_are_parameters(library: Library) -> None:
    def spofs(**options: Any) -> list[str]:
        report = health_report(library, TODAY, **options)
        return [a.role for a in report.approvers if a.single_point_of_failure]

    # client gates 4 of 5 SOPs (80%); the others 1 of 5 (20%).
    assert spofs(spof_min_sops=5) == ["client"]  # by share alone
    assert spofs(spof_min_sops=5, spof_share=0.9) == []
    assert spofs(spof_min_sops=1) == ["client", "rnd", "editor", "lead"]
    assert spofs(spof_min_sops=5, spof_share=0.2) == ["client", "rnd", "editor", "lead"]


def test_review_window_is_a_parameter(library: Library) -> None:
    report = health_report(library, TODAY, review_window_days=31)
    assert [(r.sop, r.days_overdue) for r in report.reviews][-1] == ("retro", -31)
    assert [r.sop for r in health_report(library, TODAY, review_window_days=0).reviews] == [
        "plan",
        "launch",
    ]


def test_chains_stop_at_the_limit_and_say_so(library: Library) -> None:
    report = health_report(library, TODAY, max_chains=1)
    assert [chain.sops for chain in report.chains] == [("plan", "brief", "produce", "launch")]
    assert report.chains_truncated


def test_a_cycle_hanging_off_a_start_is_walked_from_the_start(tmp_path: Path) -> None:
    def sop(sop_id: str, phase: str, nxt: str) -> str:
        return (
            f"---\ntitle: {sop_id}\nobjective: o\nphase: {phase}\nowner: lead\nnext: {nxt}\n"
            f"steps:\n  - {{id: s, title: S, raci: {{R: writer, A: lead}}, duration: 1h}}\n---\n"
        )

    # a -> b -> c -> b, and c -> d: d comes first in reading order but is on no cycle.
    root = write_handbook(
        tmp_path,
        {
            "sops/a.md": sop("a", "design", "[b]"),
            "sops/b.md": sop("b", "design", "[c]"),
            "sops/c.md": sop("c", "design", "[b, d]"),
            "sops/d.md": sop("d", "define", "[a-missing]"),
        },
    )
    report = health_report(load_library(root), TODAY)
    assert [(c.sops, c.hours, c.loops_to) for c in report.chains] == [
        (("a", "b", "c", "d"), 4.0, None),
    ]


def test_text_format_shows_the_key_figures(report: HealthReport) -> None:
    text = health_text(report)
    lines = text.splitlines()
    assert lines[0] == (
        "Handbook health on 2026-11-24: 7 SOPs in force (working time: 1d = 8h, 1w = 5d)"
    )
    assert "  lead    plan    2026-07-30  117 days overdue" in lines
    assert "  lead    launch  2026-11-24  due today" in lines
    assert "  writer  review  2026-12-24  due in 30 days" in lines
    assert "  No review date: produce" in lines
    assert "  client        4     4  26h (3.2d)  single point of failure" in lines
    assert "    brief: legal -> final, SLA 12h (1.5d)" in lines
    assert "  writer       14        0  69.5h (8.7d)" in lines
    plan = "  plan     36h (4.5d)             5  goals -> research -> draft -> sign -> kickoff"
    assert plan in lines
    assert "    115h (14.4d)    plan -> brief -> produce -> launch" in lines
    assert "    6h              retro -> review -> back to retro" in lines
    assert "  Tools no SOP uses: crm, legacy" in lines
    assert "  Steps without a duration: plan/kickoff, promote/email" in lines
    assert all(line == line.rstrip() for line in lines)


def test_markdown_page_links_escapes_and_charts(report: HealthReport, library: Library) -> None:
    page = health_markdown(report, library)
    assert page.startswith("# Handbook health\n")
    for heading in ("Reviews", "Approval bottlenecks", "Role load", "Lead time", "Gaps"):
        assert f"\n## {heading}\n" in page
    # Dates as the language writes them, ISO in `datetime`; the catalogue's words escaped.
    assert (
        "| [Lead](../roles/lead.md) | [Plan](../sops/plan.md) | "
        '<time datetime="2026-07-30">Jul 30, 2026</time> | 117 days overdue |'
    ) in page
    assert (
        "| [Client](../roles/client.md) \\(single point of failure\\) | 4 | 4 | 26h \\(3\\.2d\\) |"
        in page
    )
    assert (
        "| [Brief](../sops/brief.md) | Legal review → Final approval | 12h \\(1\\.5d\\) |" in page
    )
    assert "| [Writer](../roles/writer.md) | 14 | 0 | 69\\.5h \\(8\\.7d\\) |" in page
    # The role named `<b>R&D</b>` is text in Markdown and in the chart, never markup.
    assert "[&lt;b&gt;R&amp;D&lt;/b&gt;](../roles/rnd.md)" in page
    assert "<b>" not in page
    assert (
        "| [Plan](../sops/plan.md) → [Brief](../sops/brief.md) → [Produce](../sops/produce.md) → "
        "[Launch](../sops/launch.md) | 115h \\(14\\.4d\\) |"
    ) in page
    assert "[Plan: Kick\\-off](../sops/plan.md#step-kickoff)" in page
    assert "- **Phases without SOPs:** Design" in page  # the phase's name, as everywhere
    assert '!!! info "Onboarding SOPs without a quiz"' in page
    assert "knowledge check to close them: [Plan](../sops/plan.md)\\." in page
    assert page.count('<figure class="sopkit-chart" markdown>') == 3
    # Each chart is one HTML block: no blank line inside it.
    for block in page.split('<div class="sopkit-chart__plot">')[1:]:
        assert "\n" not in block.split("</div>")[0]


def test_markdown_page_renders_charts_and_tables_intact(
    report: HealthReport, library: Library
) -> None:
    html = markdown.markdown(
        health_markdown(report, library), extensions=["md_in_html", "attr_list", "tables"]
    )
    root = ET.fromstring(f"<body>{html}</body>")
    svgs = root.findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svgs) == 3
    assert len(root.findall(".//figure/table")) == 3
    texts = {t.text for svg in svgs for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert "<b>R&D</b>" in texts
    assert "69.5h" in texts


def test_bar_chart_is_well_formed_accessible_and_escaped() -> None:
    svg = bar_chart(
        [("<b>R&D</b>", 12.0), ('Say "hi"\n\nnow', 3.5), ("Idle", 0.0)], "Load <h>", "h"
    )
    assert "\n" not in svg
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 480 108"
    assert root.get("aria-label") == 'Load <h>: <b>R&D</b>: 12h; Say "hi" now: 3.5h; Idle: 0h'
    assert root.find(f"{ns}title") is not None
    assert root.findtext(f"{ns}title") == "Load <h>"
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert labels == ["Load <h>", "<b>R&D</b>", "12h", 'Say "hi" now', "3.5h", "Idle", "0h"]
    bars = [rect for rect in root.iter(f"{ns}rect")]
    assert [bar.get("class") for bar in bars] == ["sopkit-bar"] * 3
    assert [bar.get("width") for bar in bars] == ["224", "65.3", "0"]
    assert all(t.get("fill") == "currentColor" for t in root.iter(f"{ns}text"))
    assert bar_chart([("a", 1.0)], "t", "h") == bar_chart([("a", 1.0)], "t", "h")


def test_bar_chart_cuts_long_labels_and_draws_no_data() -> None:
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(bar_chart([("A very long name of a role indeed", 1.0)], "T", ""))
    assert [t.text for t in root.iter(f"{ns}text")][1] == "A very long name of a\u2026"
    assert [t.text for t in ET.fromstring(bar_chart([], "T", "")).iter(f"{ns}text")] == [
        "T",
        "No data",
    ]


def test_bar_chart_makes_room_for_long_titles_and_figures() -> None:
    """A translated title wraps instead of running out of the drawing, and the longest bar
    leaves room for its figure however long the language writes it."""
    ns = "{http://www.w3.org/2000/svg}"
    title = "Heures de travail en R par déroulement de chaque procédure (25 premiers sur 40)"
    root = ET.fromstring(bar_chart([("A", 12345.5), ("B", 3.0)], title, "", lambda v: f"{v} Std."))
    texts = list(root.iter(f"{ns}text"))
    lines = [t.text or "" for t in texts if t.get("font-weight") == "bold"]
    assert " ".join(lines) == title and len(lines) == 2
    assert all(len(line) * 13 * 0.62 <= 480 for line in lines)
    assert root.findtext(f"{ns}title") == title
    bar = next(root.iter(f"{ns}rect"))
    figure = next(t for t in texts if t.text == "12345.5 Std.")
    assert float(figure.get("x") or 0) + len("12345.5 Std.") * 13 * 0.62 <= 480.5
    assert float(bar.get("y") or 0) >= 32 + 19  # the bars start below the second line


def test_cli_report_json(handbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(handbook), "--format", "json", "--today", "2026-11-24"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED


def test_cli_report_text_and_md(handbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(handbook), "--today", "2026-11-24"]) == 0
    assert "117 days overdue" in capsys.readouterr().out
    assert main(["report", str(handbook), "--format", "md", "--today", "2026-11-24"]) == 0
    assert capsys.readouterr().out.startswith("# Handbook health\n")


def test_cli_report_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "handbook folder not found" in capsys.readouterr().err


def test_site_page_states_carry_due_dates_and_list_what_comes_up(
    report: HealthReport, library: Library
) -> None:
    """The site's page (`live`): each state a span the browser recomputes, the build date, and
    the reviews due in the 60 days after the window; the terminal's Markdown has none of it."""
    page = health_markdown(report, library, live=Live())
    assert '<p class="sopkit-built" data-built="2026-11-24">' in page
    assert (
        '| <time datetime="2026-07-30">Jul 30, 2026</time> | '
        '<span class="sopkit-review sopkit-review--overdue" data-review="overdue" '
        'data-review-due="2026-07-30" data-review-format="days">117 days overdue</span> |'
    ) in page
    assert (
        'data-review="due-soon" data-review-due="2026-11-24" data-review-format="days">due today<'
        in page
    )
    reviews, coming_up = page.split("\nComing up: reviews due in the 60 days after that")
    coming_up = coming_up.split("\n## ")[0]
    assert (
        'data-review="ok" data-review-due="2026-12-25" data-review-format="days">due in 31 days<'
        in coming_up
    )
    assert "2026-12-25" not in reviews
    pinned = health_markdown(report, library, live=Live(pinned=True))
    assert "data-built" not in pinned
    assert pinned.count('data-review-today="2026-11-24"') == page.count("data-review-due=")
    plain = health_markdown(report, library)
    assert "<span" not in plain and "Coming up" not in plain and "data-built" not in plain
