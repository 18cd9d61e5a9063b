"""Format 1.2 in the model: decisions, sub-procedures and links as `load` reads them."""

from __future__ import annotations

from pathlib import Path

from sopkit.check import check_library
from sopkit.load import load_library
from tests.handbooks import write_handbook


def sop(sop_id: str, steps: str) -> str:
    return f"""\
---
title: {sop_id.replace("-", " ").capitalize()}
objective: Done.
phase: deploy
owner: lead
reviewed: 2026-10-01
steps:
{steps}kpis:
  - {{name: Done, target: 100%}}
---
"""


OFFBOARDING = sop(
    "offboarding",
    """\
  - id: laptop
    title: Is the laptop back?
    kind: decision
    raci: {R: writer, A: lead}
    duration: 30m
    branches:
      - {when: Returned, to: wipe}
      - {when: "No", to: report-loss}
  - {id: wipe, title: Wipe, raci: {R: writer, A: lead}, duration: 2h}
  - id: report-loss
    title: Report the loss
    raci: {R: writer, A: lead}
    sop: lock-device
    links:
      - {title: Loss form, url: "https://forms.example.com/loss"}
      - {title: Not a link, url: "javascript:alert(1)"}
  - id: final-pay
    title: Final pay
    kind: approval
    raci: {R: writer, A: lead}
    duration: 1h
    after: [wipe, report-loss]
""",
)
LOCK = sop(
    "lock-device",
    """\
  - {id: lock, title: Lock it, raci: {R: writer, A: lead}, duration: 1h, sop: notify}
  - {id: ok, title: Confirm, kind: approval, raci: {R: writer, A: lead}, duration: 30m}
""",
)
NOTIFY = sop(
    "notify",
    """\
  - id: found
    title: Was it found?
    kind: decision
    raci: {R: writer, A: lead}
    branches:
      - {when: Found, to: close}
      - {when: Still lost, to: insurer}
  - {id: close, title: Close, raci: {R: writer, A: lead}}
  - {id: insurer, title: Tell the insurer, kind: approval, raci: {R: writer, A: lead}, duration: 4h}
""",
)


def test_branch_targets_wait_for_their_decision_and_keep_what_was_written(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path,
        {"sops/offboarding.md": OFFBOARDING, "sops/lock-device.md": LOCK, "sops/notify.md": NOTIFY},
    )
    library = load_library(root)
    offboarding = library.sop("offboarding")
    assert offboarding is not None
    steps = {step.id: step for step in offboarding.steps}
    assert steps["laptop"].is_decision
    assert [(b.when, b.to) for b in steps["laptop"].branches] == [
        ("Returned", "wipe"),
        ("No", "report-loss"),
    ]
    # Not the step above it (`wipe`, the other branch): the decision.
    assert steps["wipe"].after == ("laptop",)
    assert steps["report-loss"].after == ("laptop",)
    assert steps["report-loss"].sop == "lock-device"
    assert [(link.title, link.url) for link in steps["report-loss"].links] == [
        ("Loss form", "https://forms.example.com/loss")
    ]
    assert offboarding.calls() == ("lock-device",)
    findings = check_library(library)
    javascript = next(
        n for n, line in enumerate(OFFBOARDING.splitlines(), 1) if "javascript:" in line
    )
    assert [(f.rule, f.line) for f in findings if f.severity == "error"] == [
        ("invalid-value", javascript)
    ]


def test_sub_procedure_chains_take_the_called_lead_times(tmp_path: Path) -> None:
    root = write_handbook(
        tmp_path,
        {"sops/offboarding.md": OFFBOARDING, "sops/lock-device.md": LOCK, "sops/notify.md": NOTIFY},
    )
    library = load_library(root)
    notify, lock, offboarding = (library.sop(i) for i in ("notify", "lock-device", "offboarding"))
    assert notify is not None and lock is not None and offboarding is not None
    # notify: found (0) then close (0) or insurer (4h).
    assert (notify.lead_time_hours, notify.lead_time_hours_min) == (4.0, 0.0)
    # lock-device: lock has a duration of its own (1h), so the call does not change it.
    assert (lock.lead_time_hours, lock.lead_time_hours_min) == (1.5, 1.5)
    # offboarding: 30m, then wipe 2h or report-loss (lock-device: 1.5h), then 1h.
    assert offboarding.lead_time_hours == 3.5
    assert offboarding.lead_time_hours_min == 3.0
    assert offboarding.critical_path == ("laptop", "wipe", "final-pay")


def test_a_step_without_duration_takes_the_called_worst_and_best(tmp_path: Path) -> None:
    caller = sop(
        "caller",
        """\
  - {id: start, title: Start, raci: {R: writer, A: lead}, duration: 1h}
  - {id: run, title: Run notify, raci: {R: writer, A: lead}, sop: notify}
  - {id: ok, title: Approve, kind: approval, raci: {R: writer, A: lead}}
""",
    )
    top = sop(
        "top",
        """\
  - {id: go, title: Go, kind: approval, raci: {R: writer, A: lead}, sop: caller}
""",
    )
    root = write_handbook(
        tmp_path, {"sops/caller.md": caller, "sops/notify.md": NOTIFY, "sops/top.md": top}
    )
    library = load_library(root)
    caller_sop, top_sop = library.sop("caller"), library.sop("top")
    assert caller_sop is not None and top_sop is not None
    assert (caller_sop.lead_time_hours, caller_sop.lead_time_hours_min) == (5.0, 1.0)
    assert (top_sop.lead_time_hours, top_sop.lead_time_hours_min) == (5.0, 1.0)
    assert [f for f in check_library(library) if f.severity == "error"] == []


def test_a_loop_of_calls_is_reported_and_still_loads(tmp_path: Path) -> None:
    one = sop("one", "  - {title: Run two, kind: approval, raci: {R: writer, A: lead}, sop: two}\n")
    two = sop("two", "  - {title: Run one, kind: approval, raci: {R: writer, A: lead}, sop: one}\n")
    library = load_library(write_handbook(tmp_path, {"sops/one.md": one, "sops/two.md": two}))
    assert {s.id: s.lead_time_hours for s in library.sops} == {"one": 0.0, "two": 0.0}
    assert [(f.rule, f.file, f.line) for f in check_library(library)] == [
        ("sop-cycle", "sops/one.md", 8)
    ]
