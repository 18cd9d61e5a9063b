"""The words scripts write come from the catalogue: every message a script names is in the
island of the pages it works on, and each page's island carries only its own scripts' words."""

from __future__ import annotations

import json
import re

import pytest

from sopkit.labels import FALLBACK, PAGE_SCRIPT_KEYS, SCRIPT_KEYS, Labels, catalogue, script_keys
from sopkit.render.assets import labels_island
from sopkit.render.onboarding_pages import with_start_here

from .sites import REPO

ASSETS = REPO / "overrides" / "assets"
_LITERAL = re.compile(r'"([a-z]+\.[a-z_.-]+)"')
_NAMESPACES = {key.split(".")[0] for key in catalogue(FALLBACK)}
"""`run` of `run.due`: a string literal of a script in one of them names a message."""


def _words(mark: str) -> tuple[str, ...]:
    return next(words.keys for words in PAGE_SCRIPT_KEYS if mark in words.marks)


# A script, and the marks of the pages it writes on (besides `SCRIPT_KEYS`, on every page).
SCRIPTS = {
    "sopkit-run.js": ("data-sopkit-run",),
    "sopkit.js": ("<table", "data-quiz", "data-sopkit-progress"),
    "sopkit-reviews.js": (),
    "finder.js": ("data-sopkit-finder",),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_message_a_script_names_is_in_its_pages_island(script: str) -> None:
    source = ASSETS.joinpath(script).read_text(encoding="utf-8")
    named = {key for key in _LITERAL.findall(source) if key.split(".")[0] in _NAMESPACES}
    assert named, f"{script} names no message"
    unknown = named - set(catalogue(FALLBACK))
    assert not unknown, f"{script}: not in the catalogue: {sorted(unknown)}"
    carried = set(SCRIPT_KEYS).union(*(_words(mark) for mark in SCRIPTS[script]))
    assert named <= carried, f"{script}: not in its pages' island: {sorted(named - carried)}"


def test_each_page_carries_the_words_of_its_own_scripts() -> None:
    run_page = '<div class="sopkit-run" data-sopkit-run="handbook/x">'
    keys = script_keys(run_page)
    assert "run.skipped" in keys and "review.never" in keys
    assert "quiz.wrong" not in keys and "onboarding.done" not in keys
    quiz_page = '<table></table><div class="sopkit-quiz" data-quiz-key="handbook/x">'
    keys = script_keys(quiz_page)
    assert "quiz.wrong" in keys and "script.table" in keys and "run.skipped" not in keys
    assert set(script_keys()) == set(SCRIPT_KEYS).union(*(w.keys for w in PAGE_SCRIPT_KEYS))
    # What a run page's island holds: the language and the messages, nothing else.
    island = labels_island(Labels("de"), script_keys(run_page))
    data = json.loads(re.sub(r"^<script[^>]*>|</script>$", "", island))
    assert data["lang"] == "de"
    assert data["messages"]["run.skipped"] == "Übersprungen: nicht auf dem gewählten Zweig"
    assert set(data["messages"]) == set(script_keys(run_page))


def test_the_home_page_pointer_speaks_the_sites_language() -> None:
    home = with_start_here("# Willkommen\n\nText.\n", Labels("de"))
    assert '!!! tip "Neu hier? Hier beginnen"' in home
    assert "Öffnen Sie [den Einarbeitungspfad Ihrer Rolle](onboarding/index.md):" in home
    assert home.index("# Willkommen") < home.index("!!! tip")
