"""Critical path, lead time and SOP order: parallel branches, joins and approval loops."""

from __future__ import annotations

from pathlib import Path

from sopkit import graph
from sopkit.load import load_library
from sopkit.model import Settings

from .handbooks import write_handbook


def test_linear_chain_sums_every_step() -> None:
    path, hours = graph.critical_path(
        ["a", "b", "c"], {"a": [], "b": ["a"], "c": ["b"]}, {"a": 1, "b": 2, "c": 3}
    )
    assert path == ("a", "b", "c")
    assert hours == 6


def test_parallel_branches_take_the_longer_one_into_the_join() -> None:
    after = {"start": [], "copy": ["start"], "design": ["start"], "join": ["copy", "design"]}
    hours = {"start": 1, "copy": 8, "design": 3, "join": 2}
    path, total = graph.critical_path(list(after), after, hours)
    assert path == ("start", "copy", "join")
    assert total == 11


def test_equal_branches_prefer_the_step_written_first() -> None:
    after = {"a": [], "b": ["a"], "c": ["a"], "d": ["c", "b"]}
    path, _ = graph.critical_path(list(after), after, {"a": 1, "b": 2, "c": 2, "d": 1})
    assert path == ("a", "b", "d")


def test_a_long_independent_start_can_be_the_critical_path() -> None:
    after = {"a": [], "b": ["a"], "side": []}
    path, total = graph.critical_path(list(after), after, {"a": 1, "b": 1, "side": 5})
    assert path == ("side",)
    assert total == 5


def test_cycle_has_no_critical_path_and_is_found() -> None:
    after = {"a": ["c"], "b": ["a"], "c": ["b"]}
    assert graph.critical_path(list(after), after, {"a": 1}) == ((), 0.0)
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
