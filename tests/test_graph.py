"""Cycles, topological order, SOP order, and the loaded lead time (rule: test_schedule.py)."""

from __future__ import annotations

from pathlib import Path

from sopkit import graph
from sopkit.load import load_library
from sopkit.model import Settings

from .handbooks import write_handbook


def test_cycle_is_found_from_the_node_written_first() -> None:
    after = {"a": ["c"], "b": ["a"], "c": ["b"]}
    assert graph.find_cycle(list(after), after) == ["a", "b", "c"]
    assert graph.find_cycle(["a", "b"], {"a": [], "b": ["a"]}) is None


def test_topological_order_keeps_written_order_between_independent_nodes() -> None:
    edges = {"x": ["z"], "y": [], "z": []}
    assert graph.topological_order(["x", "y", "z"], edges) == ["y", "z", "x"]


def test_loaded_sop_ignores_reject_loops_and_uses_working_days(tmp_path: Path) -> None:
    """research 1d -> (draft 3d | design 2d) -> edit 2d (rejects to draft) -> publish 30m."""
    root = write_handbook(
        tmp_path,
        {
            "sops/flow.md": """\
---
title: Flow
objective: Shows the path.
phase: develop
owner: lead
steps:
  - {id: research, title: Research, raci: {R: writer, A: lead}, duration: 1d}
  - {id: draft, title: Draft, raci: {R: writer, A: lead}, duration: 3d}
  - {id: design, title: Design, raci: {R: writer, A: lead}, duration: 2d, after: [research]}
  - id: edit
    title: Edit
    kind: approval
    raci: {R: writer, A: lead}
    duration: 2d
    after: [draft, design]
    on_reject: draft
  - {id: publish, title: Publish, raci: {R: writer, A: lead}, duration: 30m}
---
"""
        },
    )
    sop = load_library(root, Settings()).sops[0]
    assert sop.critical_path == ("research", "draft", "edit", "publish")
    assert sop.lead_time_hours == 8 + 24 + 16 + 0.5
    assert sop.step("edit") is not None and sop.step("edit").on_reject == "draft"  # type: ignore[union-attr]
    assert sop.step("publish").after == ("edit",)  # type: ignore[union-attr]


def test_sop_order_puts_requirements_first_then_phase(tmp_path: Path) -> None:
    def sop(sop_id: str, phase: str, requires: str = "[]") -> str:
        return f"""\
---
title: {sop_id}
objective: x
phase: {phase}
owner: lead
requires: {requires}
steps: [{{title: One, raci: {{R: writer, A: lead}}}}]
---
"""

    root = write_handbook(
        tmp_path,
        {
            "sops/a-report.md": sop("a-report", "determine", "[c-build]"),
            "sops/b-plan.md": sop("b-plan", "define"),
            "sops/c-build.md": sop("c-build", "develop", "[b-plan]"),
            "sops/d-design.md": sop("d-design", "design"),
        },
    )
    library = load_library(root, Settings())
    assert library.sop_order == ("b-plan", "d-design", "c-build", "a-report")
