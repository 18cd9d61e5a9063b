"""A small handbook that uses the SOP- and site-level keys of format 1.2 (triggers, cadence,
`allow`, `x-` keys, onboarding tasks, tool access), with hostile text in every free-text field."""

from __future__ import annotations

from pathlib import Path

from .handbooks import PUBLISH_SOP, write_handbook

HOSTILE = "<img src=x onerror=alert(1)> {{ 7*7 }} **bold** | cell"
"""Text that would run, render or split a table if it were not escaped."""

ROLES = """\
lead:
  name: Lead
  team: Content
writer:
  name: Writer
  team: Content
it-support:
  name: IT Support
  team: Operations
"""
TOOLS = f"""\
docs:
  name: Docs
  url: https://example.com/docs
  access: "Ask IT for an invite. {HOSTILE}"
cms:
  name: CMS
"""
REPORT = f"""\
---
title: Weekly report
objective: Every client has the week's figures by Monday noon.
phase: determine
owner: lead
reviewed: 2026-10-01
trigger: "Monday 9:00, or when a client asks. {HOSTILE}"
cadence: weekly
x-system-owner: "Finance {HOSTILE}"
x-cost-centre: 4711
x-systems: [Looker, Sheets]
x-dashboard: https://example.com/dashboard
steps:
  - id: pull
    title: Pull the figures
    raci: {{R: writer, A: lead}}
    duration: 2h
    tools: [docs]
    x-sheet: "Weekly tab {HOSTILE}"
  - id: approve
    title: Approve the report
    kind: approval
    raci: {{R: writer, A: lead}}
    duration: 1h
    criteria: [Figures match the dashboard]
kpis:
  - {{name: On time, target: 100%}}
---
"""
INCIDENT = """\
---
title: Incident response
objective: An outage is fixed and the client told within four hours.
phase: deploy
owner: lead
reviewed: 2026-10-01
trigger: The uptime monitor alerts
cadence: on-demand
allow: [no-approval, no-kpis]
steps:
  - id: fix
    title: Fix the site
    raci: {R: writer, A: lead}
    duration: 2h
---
"""
PLAIN = PUBLISH_SOP
ONBOARDING = f"""\
writer:
  intro: Welcome.
  stages:
    - name: Day 1
      sops: [weekly-report]
      tasks:
        - task: "Get access to Docs {HOSTILE}"
          tool: docs
          url: "https://example.com/invite"
          role: it-support
        - {{task: Shadow a weekly report, role: lead}}
    - name: Week 1
      sops: [incident-response]
      tasks:
        - {{task: Shadow a weekly report}}
"""

FILES = {
    "roles.yml": ROLES,
    "tools.yml": TOOLS,
    "onboarding.yml": ONBOARDING,
    "sops/weekly-report.md": REPORT,
    "sops/incident-response.md": INCIDENT,
    "sops/publish.md": PLAIN,
    "index.md": "# Handbook\n",
}


def write_fields_handbook(tmp_path: Path, name: str = "handbook") -> Path:
    return write_handbook(tmp_path, FILES, name=name)
