"""Huge input: a 400-step SOP builds, and its diagram gives way to a clear note, never an error."""

from __future__ import annotations

from pathlib import Path

from sopkit.load import load_library
from sopkit.render.diagrams import DEFAULT_LIMITS, workflow_diagram

from .handbooks import write_handbook
from .sites import BASE_CONFIG, build, text_of


def huge_sop(steps: int) -> str:
    lines = [
        "---",
        "title: Huge",
        "objective: A very long procedure.",
        "phase: develop",
        "owner: lead",
        "reviewed: 2026-11-01",
        "steps:",
    ]
    for index in range(steps):
        kind = ", kind: approval, criteria: [Fine]" if index % 50 == 49 else ""
        who = "writer" if index % 2 else "lead"
        lines.append(
            f"  - {{id: s{index}, title: Step number {index}, raci: {{R: {who}, A: lead}},"
            f" duration: 1h{kind}}}"
        )
    lines += ["kpis:", "  - {name: Done, target: all}", "---", "", "## Steps", ""]
    lines += [f"### Step number {i}\n\nDo step {i}.\n" for i in range(0, steps, 7)]
    return "\n".join(lines) + "\n"


def test_a_400_step_sop_builds_with_a_too_large_note(tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/huge.md": huge_sop(400)})
    library = load_library(root)
    sop = library.sops[0]
    diagram = workflow_diagram(sop, library.roles)
    assert diagram.html is None
    assert diagram.too_large is not None and "400 steps" in diagram.too_large
    result = build(root, tmp_path, BASE_CONFIG)
    assert result.returncode == 0, result.output
    page = result.html("sops/huge/")
    assert not page.select("[data-step]")
    note = page.select_one(".admonition.note")
    assert note is not None and "Too large to draw" in note.get_text()
    assert note.select_one("a[href='#steps']") is not None
    assert len(page.select("h3[id^=step-]")) == 400
    assert "Do step 399." in text_of(page)
    assert sop.lead_time_hours == 400


def test_a_diagram_just_under_the_limits_is_drawn(tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/big.md": huge_sop(DEFAULT_LIMITS.max_nodes)})
    library = load_library(root)
    diagram = workflow_diagram(library.sops[0], library.roles)
    assert diagram.html is not None
    assert diagram.html.count("data-step=") == DEFAULT_LIMITS.max_nodes
