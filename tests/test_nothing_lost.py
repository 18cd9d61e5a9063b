"""Nothing an author writes is lost: every front-matter value reaches the SOP's page and
`sops.json`, or the checker reports its key as unknown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sopkit.check import check_library
from sopkit.labels import ENGLISH
from sopkit.load import load_library
from sopkit.model import Library, Sop
from sopkit.units import duration_hours, format_hours

from .handbooks import write_handbook
from .sites import BASE_CONFIG, SHIPPED, Build, build, copy_handbook, text_of

TODAY = dt.date(2026, 11, 24)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def in_json(document: Any, value: Any) -> bool:
    return any(leaf == value for _, leaf in leaves(document))


def shown_as(library: Library, sop: Sop, path: tuple[Any, ...], value: Any) -> list[str]:
    """The texts a reader sees for one front-matter value (any one of them will do)."""
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    text = str(value)
    if key in ("owner", "R", "A", "C", "I"):
        return [library.roles[text].name]
    if key == "tools" or key == "source":
        return [library.tools[text].name]
    if key in ("requires", "next"):
        target = library.sop(text)
        return [target.title] if target else [text]
    if key == "sop":
        target = library.sop(text)
        return [target.title] if target else [text]
    if key in ("after", "on_reject", "to"):
        step = sop.step(text)
        return [step.title] if step else [text]
    if key == "duration":
        return [format_hours(duration_hours(text) or 0)]
    if key in ("phase", "status"):
        return [text.capitalize()]
    if key == "review_every":
        return [f"every {ENGLISH.interval(text)}"]
    if key == "tags":
        return [f"#{text}"]
    if key == "kind":
        return ["Approval process"] if text == "approval" else [""]
    if key == "id" and len(path) == 3:  # a step id: the anchor of its heading
        return [f'id="step-{text}"']
    return [" ".join(text.split())]


def assert_nothing_lost(result: Build, root: Path) -> int:
    library = load_library(root)
    unknown = {(f.file, f.line) for f in check_library(library, TODAY) if f.rule == "unknown-field"}
    catalogue = result.json("sops.json")
    checked = 0
    for sop in library.sops:
        source = library.sources[sop.file]
        page = result.html(sop.file.removesuffix(".md") + "/")
        text = text_of(page)
        raw_html = str(page.select_one("article"))
        exported = next(s for s in catalogue["sops"] if s["id"] == sop.id)
        for path, value in leaves(source.data):
            where = source.locate(*path)
            if (sop.file, where.line) in unknown:
                continue
            expected = shown_as(library, sop, path, value)
            assert any(e in text or e in raw_html for e in expected), (sop.file, path, value)
            assert in_json(exported, value) or in_json(exported, str(value)), (path, value)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    work = tmp_path_factory.mktemp("lost")
    root = copy_handbook(SHIPPED, work / "handbook")
    result = build(root, work, BASE_CONFIG)
    assert result.returncode == 0, result.output
    return result, root


def test_every_value_of_the_shipped_handbook_reaches_page_and_export(
    shipped: tuple[Build, Path],
) -> None:
    result, root = shipped
    assert assert_nothing_lost(result, root) > 1500


EVERY_KEY = """\
---
title: Every key
id: every-key
objective: Shows every key of the format at once.
phase: deploy
owner: lead
status: draft
reviewed: 2026-10-01
review_every: 12w
tags: [alpha, beta]
requires: [other]
next: [other]
tools: [docs]
colour: blue
steps:
  - id: one
    title: First step
    raci: {R: [writer, lead], A: lead, C: [writer], I: [lead]}
    duration: 90m
    tools: [docs]
    output: A first output
    checklist: [Item one, Item two]
    shoe_size: 42
  - id: gate
    title: The gate
    kind: approval
    raci: {R: writer, A: lead}
    duration: 1w
    after: [one]
    criteria: [Criterion one]
    on_reject: one
  - id: choose
    title: Which way?
    kind: decision
    raci: {R: writer, A: lead}
    duration: 15m
    branches:
      - {when: The short way, to: short}
      - {when: "No", to: long}
  - id: short
    title: Short way
    raci: {R: writer, A: lead}
    sop: other
    links:
      - {title: The template, url: "https://example.com/template"}
  - {id: long, title: Long way, raci: {R: writer, A: lead}, duration: 2d}
kpis:
  - {name: Speed, target: 12.5, source: docs, cadence: weekly, colour: red}
quiz:
  - question: Who signs the gate off?
    choices: [Lead, Writer]
    answer: Lead
    explain: The lead is the single approver of the gate.
    difficulty: easy
  - question: How many working days is the gate's deadline?
    choices: [1, 5, 10]
    answer: 5
---

Intro.

## Steps

### First step

Do it.
"""
OTHER = """\
---
title: Other
objective: Something else.
phase: define
owner: lead
reviewed: 2026-10-01
steps:
  - {title: Only, raci: {R: writer, A: lead}}
---
"""


def test_every_key_of_the_format_reaches_page_and_export(tmp_path: Path) -> None:
    root = write_handbook(tmp_path, {"sops/every-key.md": EVERY_KEY, "sops/other.md": OTHER})
    result = build(root, tmp_path, BASE_CONFIG, strict=False)
    assert result.returncode == 0, result.output
    assert "unknown key `colour`" in result.output
    assert "unknown key `shoe_size`" in result.output
    assert "unknown key `difficulty`" in result.output
    assert assert_nothing_lost(result, root) > 40
    exported = json.loads((result.site / "sops.json").read_text(encoding="utf-8"))
    sop = next(s for s in exported["sops"] if s["id"] == "every-key")
    assert sop["extra"] == {"colour": "blue"}
    assert sop["steps"][0]["extra"] == {"shoe_size": 42}
    assert sop["kpis"][0]["extra"] == {"colour": "red"}
    assert sop["quiz"][0]["extra"] == {"difficulty": "easy"}
    assert sop["quiz"][1]["choices"] == ["1", "5", "10"]
    choose, short = sop["steps"][2], sop["steps"][3]
    assert choose["branches"] == [
        {"when": "The short way", "to": "short"},
        {"when": "No", "to": "long"},
    ]
    assert short["sop"] == "other" and sop["calls"] == ["other"]
    assert short["links"] == [{"title": "The template", "url": "https://example.com/template"}]
    # The long way is the lead time, the short one (the other SOP takes no time) the minimum.
    assert sop["lead_time_hours"] == 1.5 + 40 + 0.25 + 16
    assert sop["lead_time_hours_min"] == 1.5 + 40 + 0.25
    page = result.html("sops/every-key/")
    questions = page.select("[data-quiz-question]")
    assert [q.select_one("legend").get_text() for q in questions] == [
        "1. Who signs the gate off?",
        "2. How many working days is the gate's deadline?",
    ]
    assert [r["value"] for r in questions[1].select("input[type=radio]")] == ["1", "5", "10"]
    assert [q["data-quiz-answer"] for q in questions] == ["Lead", "5"]
    assert "The lead is the single approver of the gate." in questions[0]["data-quiz-explain"]
