"""A handbook's git history told in commits at fixed dates, for the diff and history tests.

v1 (2026-08-01, Ana Lopez)  the handbook starts: campaign launch, client report (requires the
                            kickoff), kickoff, brand check (sops/old-place/), windows, notes
2026-10-05 (Bo Berg)        the brand check moves to sops/brand/ (a rename, nothing else)
2026-11-10 (Ana Lopez)      windows.md gets CRLF line ends (no process change)
2026-11-18 (Bo Berg)        the kickoff SOP is retired; the client report no longer requires it
2026-11-20 (Cy Diaz)        campaign launch: smoke test added, the client contact approves QA,
                            "Measure the first week" moves to the client report
`break_handbook` adds on top (2026-11-25): notes.md as Latin-1 bytes, and the client report
requires the retired kickoff again.
"""

from __future__ import annotations

from pathlib import Path

from .gitrepo import Repo

MKDOCS_YML = """\
site_name: Story handbook
docs_dir: handbook
theme:
  name: material
  font: false
plugins:
  - search
  - sopkit:
      today: 2026-11-30
"""
ROLES = """\
account-director: {name: Account Director, team: Accounts}
client-contact: {name: Client Contact, team: Client}
qa-lead: {name: QA Lead, team: Delivery}
writer: {name: Writer, team: Delivery}
analyst: {name: Analyst, team: Delivery}
"""
TOOLS = """\
ads-manager: {name: Ads Manager, url: "https://example.com/ads"}
"""
INDEX = "# Story handbook\n\nHow we launch and report.\n"


def sop(title: str, phase: str, steps: str, head: str = "", body: str = "") -> str:
    return (
        f"---\ntitle: {title}\n{head}objective: {title} is done well.\nphase: {phase}\n"
        "owner: account-director\nreviewed: 2026-07-01\nreview_every: 1y\n"
        f"steps:\n{steps}kpis:\n  - {{name: On time, target: 100%}}\n---\n{body}"
    )


APPROVE = (
    "  - {id: approve, title: Approve, kind: approval, raci: {R: writer, A: account-director}}\n"
)
LAUNCH_STEPS = """\
  - id: brief
    title: Confirm the brief
    raci: {R: writer, A: account-director}
    duration: 2d
  - id: pre-launch-qa
    title: Pre-launch QA
    kind: approval
    raci: {R: qa-lead, A: account-director, C: [writer]}
    duration: 1d
  - id: go-live
    title: Go live
    raci: {R: writer, A: account-director}
    duration: 1d
    tools: [ads-manager]
"""
MEASURE = """\
  - id: measure
    title: Measure the first week
    raci: {R: analyst, A: account-director}
"""
SMOKE = """\
  - id: smoke-test
    title: Smoke test the live ads
    raci: {R: qa-lead, A: account-director}
    duration: 2h
"""
LAUNCH_BODY = (
    "\nThe launch follows the signed brief.\n\n## Steps\n\n### Go live\n\nSwitch the ads on.\n"
)
REPORT_STEPS = """\
  - id: collect
    title: Collect the numbers
    raci: {R: analyst, A: account-director}
    duration: 4h
  - id: sign-off
    title: Sign off the report
    kind: approval
    raci: {R: analyst, A: account-director}
    duration: 2h
"""
LAUNCH = "handbook/sops/campaigns/campaign-launch.md"
REPORT = "handbook/sops/reporting/client-report.md"
KICKOFF = "handbook/sops/kickoff.md"
BRAND_OLD = "handbook/sops/old-place/brand-check.md"
BRAND_NEW = "handbook/sops/brand/brand-check.md"
WINDOWS = "handbook/sops/windows.md"
NOTES = "handbook/sops/notes.md"
WINDOWS_TEXT = sop("Windows SOP", "design", APPROVE, body="\nWritten on Windows.\n")


def tell_story(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit(
        "Start the handbook",
        "2026-08-01T09:00:00+00:00",
        {
            "mkdocs.yml": MKDOCS_YML,
            "handbook/index.md": INDEX,
            "handbook/roles.yml": ROLES,
            "handbook/tools.yml": TOOLS,
            LAUNCH: sop("Campaign launch", "deploy", LAUNCH_STEPS + MEASURE, body=LAUNCH_BODY),
            REPORT: sop("Client report", "determine", REPORT_STEPS, "requires: [kickoff]\n"),
            KICKOFF: sop("Kickoff", "define", APPROVE),
            BRAND_OLD: sop("Brand check", "design", APPROVE, "id: brand-check\n"),
            WINDOWS: WINDOWS_TEXT,
            NOTES: sop("Wiki notes", "define", APPROVE),
        },
    )
    repo.git("tag", "v1")
    repo.move(BRAND_OLD, BRAND_NEW)
    repo.commit(
        "Move the brand check to the brand folder", "2026-10-05T14:30:00+02:00", author="Bo Berg"
    )
    repo.commit(
        "Line ends from a Windows editor",
        "2026-11-10T08:00:00+00:00",
        {WINDOWS: WINDOWS_TEXT.replace("\n", "\r\n")},
    )
    repo.commit(
        "Retire the kickoff SOP",
        "2026-11-18T16:00:00+00:00",
        {KICKOFF: None, REPORT: sop("Client report", "determine", REPORT_STEPS)},
        author="Bo Berg",
    )
    launch = LAUNCH_STEPS.replace(
        "raci: {R: qa-lead, A: account-director, C: [writer]}",
        "raci: {R: qa-lead, A: client-contact, C: [writer]}",
    )
    repo.commit(
        "Add a smoke test; the client contact approves QA",
        "2026-11-20T11:00:00+00:00",
        {
            LAUNCH: sop("Campaign launch", "deploy", launch + SMOKE, body=LAUNCH_BODY),
            REPORT: sop("Client report", "determine", MEASURE + REPORT_STEPS),
        },
        author="Cy Diaz",
    )
    return repo


def break_handbook(repo: Repo) -> None:
    """A commit that leaves errors: undecodable bytes, and a requirement of a retired SOP."""
    report = sop("Client report", "determine", MEASURE + REPORT_STEPS, "requires: [kickoff]\n")
    repo.commit(
        "Paste notes from the old wiki",
        "2026-11-25T10:00:00+00:00",
        {NOTES: sop("Caf\u00e9 notes", "define", APPROVE).encode("latin-1"), REPORT: report},
    )
