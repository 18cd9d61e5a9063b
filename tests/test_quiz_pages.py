"""Knowledge checks on generated pages, without a browser: what is written and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sopkit.load import load_library
from sopkit.model import Library
from sopkit.render.context import PageOptions
from sopkit.render.onboarding_pages import onboarding_pages
from sopkit.render.quiz import quiz_key, quiz_version
from sopkit.render.sop_page import sop_markdown

from .handbooks import PUBLISH_SOP, write_handbook

TODAY = dt.date(2026, 11, 24)
QUIZ = """\
quiz:
  - question: Who approves?
    choices: [Lead, Writer]
    answer: Lead
    explain: The lead is A of the approval.
"""


def library(tmp_path: Path, sop: str, name: str = "handbook") -> Library:
    return load_library(write_handbook(tmp_path, {"sops/publish.md": sop}, name=name))


def with_quiz(quiz: str = QUIZ) -> str:
    return PUBLISH_SOP.replace("kpis:", quiz + "kpis:")


def test_an_sop_without_a_quiz_has_no_check_yourself_section(tmp_path: Path) -> None:
    lib = library(tmp_path, PUBLISH_SOP)
    page = sop_markdown(lib, lib.sops[0], PageOptions(today=TODAY))
    assert "check-yourself" not in page and "data-quiz" not in page
    index = onboarding_pages(lib, PageOptions(today=TODAY))["onboarding/index.md"].markdown
    assert "Quizzes" not in index and "data-quiz" not in index
    path = onboarding_pages(lib, PageOptions(today=TODAY))["onboarding/lead.md"].markdown
    assert "data-quiz" not in path and "quizzes passed" not in path


def test_the_section_is_last_and_the_path_links_to_it(tmp_path: Path) -> None:
    lib = library(tmp_path, with_quiz() + "\nIntro.\n\n## Steps\n\n## After\n\nOutro.\n")
    page = sop_markdown(lib, lib.sops[0], PageOptions(today=TODAY, site_key="Our Handbook!"))
    assert page.index("Outro.") < page.index("## Check yourself { #check-yourself }")
    assert page.rstrip().endswith("</div>")
    assert 'data-quiz-key="our-handbook/publish"' in page
    pages = onboarding_pages(lib, PageOptions(today=TODAY, site_key="Our Handbook!"))
    path = pages["onboarding/lead.md"].markdown
    assert '<span class="sopkit-quiz-state" data-quiz="publish"' in path
    assert "[Check yourself](../sops/publish.md#check-yourself): 1 question " in path
    assert "0 of 1 quizzes passed" in path
    assert 'data-quiz-tally="lead"' in pages["onboarding/index.md"].markdown


def test_the_version_follows_what_decides_a_right_answer(tmp_path: Path) -> None:
    base = library(tmp_path, with_quiz(), "a").sops[0]
    reworded = library(tmp_path, with_quiz(QUIZ.replace("is A of", "approves")), "b").sops[0]
    moved = library(tmp_path, with_quiz(QUIZ.replace("answer: Lead", "answer: Writer")), "c")
    assert quiz_version(base) == quiz_version(reworded)  # `explain` decides nothing
    assert quiz_version(base) != quiz_version(moved.sops[0])


def test_storage_keys_hold_slug_characters_only(tmp_path: Path) -> None:
    sop = library(tmp_path, with_quiz()).sops[0]
    assert quiz_key("Marketing Operations Handbook", sop) == "marketing-operations-handbook/publish"
    for name in ("Справочник", "| ` <b> \\", "x" * 200):
        key = quiz_key(name, sop)
        assert set(key) <= set("abcdefghijklmnopqrstuvwxyz0123456789-/"), key
        assert key.endswith("/publish") and len(key) < 80
    assert quiz_key("Справочник", sop) != quiz_key("Manual", sop)
