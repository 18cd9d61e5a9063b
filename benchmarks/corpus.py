"""A synthetic but realistic handbook of N SOPs: its registries, front matter and prose.

Everything comes from one `random.Random(seed)`, so the same N and seed give the same bytes.
Every SOP is valid against the format (no checker errors, no warnings as of `TODAY`): 6-12 steps,
one or two approvals with a different submitter and approver, a parallel branch in some SOPs,
RACI over the 20 roles of `ROLES`, tools from `TOOLS`, KPIs, `requires` and `next` links.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

TODAY = dt.date(2026, 11, 24)
"""The `today` both the build and the check run against, so no review is ever overdue."""
FOLDER_SIZE = 30
"""SOPs per folder: how a large handbook keeps each nav section short."""

# team -> (role id, name, summary); 20 roles in 6 teams.
ROLES: dict[str, list[tuple[str, str, str]]] = {
    "Finance": [
        ("finance-director", "Finance Director", "Owns the budget and signs off spending."),
        ("controller", "Controller", "Keeps the books closed on time and correct."),
        ("accountant", "Accountant", "Books, reconciles and reports the transactions."),
        ("payroll-specialist", "Payroll Specialist", "Runs payroll and its filings."),
    ],
    "People": [
        ("people-director", "People Director", "Owns hiring, pay and policy decisions."),
        ("hr-partner", "HR Partner", "Advises managers and runs people processes."),
        ("recruiter", "Recruiter", "Finds, screens and closes candidates."),
    ],
    "Operations": [
        ("operations-manager", "Operations Manager", "Runs the day-to-day operation."),
        ("logistics-coordinator", "Logistics Coordinator", "Plans shipments and stock."),
        ("quality-lead", "Quality Lead", "Owns inspections and corrective actions."),
        ("procurement-officer", "Procurement Officer", "Buys from approved suppliers."),
    ],
    "Sales": [
        ("sales-director", "Sales Director", "Owns the revenue target and pricing."),
        ("account-executive", "Account Executive", "Runs deals from first call to signature."),
        ("sales-ops-analyst", "Sales Ops Analyst", "Keeps the CRM, forecasts and reports."),
    ],
    "Marketing": [
        ("marketing-manager", "Marketing Manager", "Owns the plan and approves campaigns."),
        ("content-lead", "Content Lead", "Owns the editorial calendar."),
        ("designer", "Designer", "Produces visuals from the brand system."),
    ],
    "IT": [
        ("it-manager", "IT Manager", "Owns systems, access and IT spending."),
        ("systems-admin", "Systems Administrator", "Runs servers, accounts and backups."),
        ("security-officer", "Security Officer", "Owns security policy and incidents."),
    ],
}

# (tool id, name, purpose); 15 tools.
TOOLS: list[tuple[str, str, str]] = [
    ("erp", "ERP", "Orders, inventory, purchasing and the general ledger."),
    ("crm", "CRM", "Accounts, contacts, deals and the sales pipeline."),
    ("hris", "HR system", "Employee records, leave, pay and reviews."),
    ("service-desk", "Service desk", "Requests and incidents, with their queues and SLAs."),
    ("wiki", "Wiki", "Team pages, meeting notes and how-to articles."),
    ("spreadsheets", "Spreadsheets", "Models, trackers and one-off analyses."),
    ("bi-dashboards", "BI dashboards", "Shared dashboards on company data."),
    ("e-signature", "E-signature", "Contracts and approvals signed online."),
    ("team-chat", "Team chat", "Channels for quick questions and hand-overs."),
    ("email", "Email", "Mail with customers, suppliers and candidates."),
    ("project-tracker", "Project tracker", "Tasks, owners and due dates."),
    ("cms", "Website CMS", "Pages and posts of the public website."),
    ("design-suite", "Design suite", "Layouts, images and brand templates."),
    ("expense-tool", "Expense tool", "Receipts, expense claims and card spending."),
    ("password-vault", "Password vault", "Shared credentials with access control."),
]

AREAS: dict[str, list[str]] = {
    "Finance": ["payables", "receivables", "payroll", "closing", "budgeting", "tax",
                "treasury", "audit", "reporting", "expenses", "assets", "billing"],
    "People": ["hiring", "onboarding", "reviews", "leave", "compensation", "learning",
               "offboarding", "policy", "benefits", "relations", "wellbeing", "mobility"],
    "Operations": ["purchasing", "inventory", "shipping", "quality", "maintenance",
                   "suppliers", "safety", "planning", "returns", "facilities", "fleet",
                   "production"],
    "Sales": ["prospecting", "deals", "pricing", "contracts", "renewals", "forecasting",
              "partners", "territories", "proposals", "demos", "handover", "accounts"],
    "Marketing": ["campaigns", "content", "events", "brand", "social", "email",
                  "website", "research", "launches", "press", "seo", "ads"],
    "IT": ["access", "devices", "incidents", "changes", "backups", "security",
           "networks", "licences", "monitoring", "vendors", "data", "support"],
}  # fmt: skip

VERBS = ["Approve", "Prepare", "Review", "Reconcile", "Plan", "Run", "Audit", "Update",
         "Publish", "Onboard", "Close", "Renew", "Escalate", "Archive", "Schedule",
         "Test"]  # fmt: skip
OBJECTS = ["supplier invoices", "the monthly report", "new accounts", "purchase orders",
           "access requests", "the quarterly forecast", "customer contracts", "stock counts",
           "job offers", "expense claims", "release notes", "vendor assessments",
           "campaign briefs", "price changes", "backup restores", "incident reviews"]  # fmt: skip
QUALIFIERS = ["for Europe", "for North America", "for key accounts", "for small customers",
              "for the warehouse", "for head office", "for contractors", "for partners",
              "at year end", "at month end", "after an audit", "for new markets"]  # fmt: skip
STEP_TITLES = ["Collect the inputs", "Check the request", "Draft the document",
               "Agree the scope", "Estimate the cost", "Update the tracker",
               "Prepare the data", "Run the analysis", "Write the summary",
               "Book the entries", "Notify the stakeholders", "Schedule the work",
               "Test the result", "Fix the findings", "Record the decision",
               "Archive the evidence", "Publish the result", "Hand over to the owner",
               "Reconcile the totals", "Review the exceptions"]  # fmt: skip
APPROVAL_TITLES = ["Manager approval", "Final sign-off", "Budget approval",
                   "Quality approval", "Compliance approval"]  # fmt: skip
CHECKS = ["Totals match the source", "Every item has an owner", "Dates are in the future",
          "Evidence is attached", "The template was used", "Names are spelled right",
          "Figures are rounded the same way", "Links open for everyone"]  # fmt: skip
KPI_NAMES = ["Cycle time", "First-time-right rate", "Items late", "Cost per item",
             "Requests handled", "Satisfaction score", "Rework rate", "Backlog age"]  # fmt: skip
DURATIONS = ["30m", "1h", "2h", "4h", "1d", "2d", "3d", "1w"]
PROSE = (
    "the team checks each request against the agreed scope before work starts so that nothing "
    "is done twice and every owner knows what comes next when a figure looks wrong ask the "
    "person who sent it rather than guessing keep the evidence with the task and write down "
    "why a decision was taken because the next reviewer will need it most delays come from "
    "missing inputs so collect them first and say early when a deadline is at risk the "
    "template lists what good looks like and the checklist below is the minimum for sign off"
)
WORDS = PROSE.split()
PHASES = ["define", "design", "develop", "deploy", "determine"]


@dataclass(frozen=True)
class CorpusSop:
    """One generated SOP: where it lives, its front matter (format data) and its body."""

    path: str  # below the handbook folder, e.g. sops/finance/payables/fin-0001.md
    front: dict[str, Any]
    body: str


@dataclass(frozen=True)
class Corpus:
    roles: dict[str, dict[str, str]]
    tools: dict[str, dict[str, str]]
    sops: list[CorpusSop]

    @property
    def folders(self) -> list[str]:
        return sorted({sop.path.rsplit("/", 1)[0] for sop in self.sops})


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _prose(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        start = rng.randrange(len(WORDS) - 14)
        words = WORDS[start : start + rng.randint(9, 14)]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def role_registry() -> dict[str, dict[str, str]]:
    return {
        role_id: {"name": name, "team": team, "summary": summary}
        for team, roles in ROLES.items()
        for role_id, name, summary in roles
    }


def tool_registry() -> dict[str, dict[str, str]]:
    return {
        tool_id: {"name": name, "url": f"https://tools.example.com/{tool_id}", "purpose": purpose}
        for tool_id, name, purpose in TOOLS
    }


def generate(count: int, seed: int = 1, areas: bool = True) -> Corpus:
    """`count` SOPs spread over the 6 teams, in folders of about `FOLDER_SIZE` per team area.

    Without `areas`, every SOP of a team sits directly in the team's folder.
    """
    rng = random.Random(seed)
    teams = list(ROLES)
    per_team = math.ceil(count / len(teams))
    areas_per_team = min(len(AREAS[teams[0]]), max(1, math.ceil(per_team / FOLDER_SIZE)))
    titles: set[str] = set()
    sops: list[CorpusSop] = []
    by_folder: dict[str, list[str]] = {}
    all_roles = [role for roles in ROLES.values() for role, _, _ in roles]
    for index in range(count):
        team = teams[index % len(teams)]
        area = AREAS[team][(index // len(teams)) % areas_per_team]
        folder = f"sops/{slug(team)}/{area}" if areas else f"sops/{slug(team)}"
        sop_id = f"{slug(team)[:3]}-{index + 1:04d}"
        title = _title(rng, titles)
        team_roles = [role for role, _, _ in ROLES[team]]
        earlier = by_folder.setdefault(folder, [])
        front, body = _sop(rng, sop_id, title, team_roles, all_roles, earlier)
        sops.append(CorpusSop(f"{folder}/{sop_id}.md", front, body))
        earlier.append(sop_id)
    _link_next(rng, sops)
    return Corpus(role_registry(), tool_registry(), sops)


def _title(rng: random.Random, taken: set[str]) -> str:
    base = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
    title, counter = base, 1
    while title in taken:
        counter += 1
        title = f"{base} ({counter})"
    taken.add(title)
    return title


def _raci(rng: random.Random, team: list[str], cast: list[str]) -> Any:
    """R and A from the SOP's team (never the same role), C and I from the rest of its cast."""
    responsible, accountable = rng.sample(team, 2)
    others = [r for r in cast if r not in (responsible, accountable)]
    raci: dict[str, Any] = {"R": responsible, "A": accountable}
    picked = rng.sample(others, rng.randint(0, min(4, len(others))))
    if picked[:2]:
        raci["C"] = picked[:2]
    if picked[2:]:
        raci["I"] = picked[2:]
    return raci


def _sop(
    rng: random.Random,
    sop_id: str,
    title: str,
    team: list[str],
    everyone: list[str],
    earlier: list[str],
) -> tuple[dict[str, Any], str]:
    step_count = rng.randint(6, 12)
    approvals = sorted(rng.sample(range(2, step_count), rng.randint(1, 2)))
    task_titles = iter(rng.sample(STEP_TITLES, step_count))
    approval_titles = iter(rng.sample(APPROVAL_TITLES, len(approvals)))
    tool_ids = [tool for tool, _, _ in TOOLS]
    # Who takes part: the team's roles and two to four roles of other teams (5 to 8 in all).
    cast = team + rng.sample([r for r in everyone if r not in team], rng.randint(2, 4))
    steps: list[dict[str, Any]] = []
    # Some SOPs run two steps side by side after a common step and join them again.
    fork = rng.randrange(1, step_count - 3) if step_count >= 8 and rng.random() < 0.4 else None
    for position in range(step_count):
        is_approval = position in approvals
        step_title = next(approval_titles) if is_approval else next(task_titles)
        step: dict[str, Any] = {"id": slug(step_title), "title": step_title}
        if is_approval:
            step["kind"] = "approval"
        step["raci"] = _raci(rng, team, cast)
        step["duration"] = rng.choice(DURATIONS[:5] if is_approval else DURATIONS)
        if rng.random() < 0.6:
            step["tools"] = rng.sample(tool_ids, rng.randint(1, 2))
        if not is_approval and rng.random() < 0.5:
            step["output"] = _prose(rng, 1).rstrip(".")
        if fork is not None and position == fork + 2 and not is_approval:
            step["after"] = [steps[fork]["id"]]  # parallel with the step before it
        if fork is not None and position == fork + 3:
            step["after"] = [steps[fork + 1]["id"], steps[fork + 2]["id"]]
        if is_approval:
            step["criteria"] = rng.sample(CHECKS, rng.randint(2, 4))
            step["on_reject"] = steps[position - 1]["id"]
        elif rng.random() < 0.4:
            step["checklist"] = rng.sample(CHECKS, rng.randint(2, 4))
        steps.append(step)
    front: dict[str, Any] = {
        "title": title,
        "id": sop_id,
        "objective": _prose(rng, 2),
        "phase": rng.choice(PHASES),
        "owner": rng.choice(team),
        "status": "active",
        "reviewed": (TODAY - dt.timedelta(days=rng.randint(5, 300))).isoformat(),
        "review_every": "1y",
        "tags": sorted(rng.sample(["finance", "people", "quality", "customer", "risk"], 2)),
    }
    if earlier and rng.random() < 0.5:
        front["requires"] = sorted(rng.sample(earlier[-10:], min(len(earlier), rng.randint(1, 2))))
    front["tools"] = rng.sample(tool_ids, rng.randint(1, 3))
    front["steps"] = steps
    front["kpis"] = [
        {
            "name": name,
            "target": f">= {rng.randint(60, 99)}% of items",
            "source": rng.choice(tool_ids),
            "cadence": rng.choice(["weekly", "monthly", "quarterly"]),
        }
        for name in rng.sample(KPI_NAMES, rng.randint(1, 3))
    ]
    sections = [f"### {step['title']}\n\n{_prose(rng, rng.randint(2, 4))}" for step in steps]
    body = "\n\n".join([_prose(rng, 4), _prose(rng, 3), "## Steps", *sections]) + "\n"
    return front, body


def _link_next(rng: random.Random, sops: list[CorpusSop]) -> None:
    """A third of the SOPs hand over (`next`) to a later SOP of the same folder."""
    by_folder: dict[str, list[CorpusSop]] = {}
    for sop in sops:
        by_folder.setdefault(sop.path.rsplit("/", 1)[0], []).append(sop)
    for members in by_folder.values():
        for position, sop in enumerate(members[:-1]):
            if rng.random() < 0.33:
                target = members[rng.randint(position + 1, min(position + 5, len(members) - 1))]
                # Insert after `requires` so the front matter reads in the format's key order.
                items = list(sop.front.items())
                at = [key for key, _ in items].index("tools")
                items.insert(at, ("next", [target.front["id"]]))
                sop.front.clear()
                sop.front.update(items)
