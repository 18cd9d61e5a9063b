"""The finder in the site's language, in real Chromium: a German build of the shipped handbook.

What the build writes (controls, headers, the count without JavaScript) and what the scripts
write after it (the announcement of each change, the chosen counts, the review cells) are German,
with the words of the message catalogue and German numbers.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Route, expect

from sopkit.labels import Labels, catalogue
from sopkit.load import load_library
from sopkit.render.refs import review_short

from .browser import DESKTOP, PHONE, Site, browse
from .finder_expect import TODAY, facets_for, matching
from .sites import SHIPPED

pytestmark = pytest.mark.browser

DE = Labels("de")
STATUS = "[data-sopkit-finder] [role=status][aria-live=polite]"


def english_words() -> list[str]:
    """The pieces of the finder's English messages that its German ones do not share."""
    english, german = catalogue("en"), catalogue("de")

    def forms(message: object) -> list[str]:
        return [message] if isinstance(message, str) else list(dict(message).values())  # type: ignore[call-overload]

    found = []
    for key, message in english.items():
        if key.startswith("finder."):
            pieces = [p for form in forms(message) for p in re.split(r"\{\w+\}", form)]
            found += [p.strip(" .()") for p in pieces if p.strip(" .()") not in str(german[key])]
    return [word for word in dict.fromkeys(found) if len(word) >= 4]


def test_the_german_finder_speaks_german(chromium: Browser, german_site: Site) -> None:
    library = load_library(SHIPPED)
    total = len(library.sops)
    with browse(chromium, german_site, viewport=DESKTOP) as (page, watch):
        page.goto(german_site.url("sops/"), wait_until="load")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
        expect(page.locator("h1")).to_have_text(re.compile(r"^Alle SOPs"))
        expect(page.locator(STATUS)).to_have_text(f"Alle {total} SOPs.")
        assert page.get_by_label("Titel, Ziele und Schritttitel durchsuchen").count() == 1
        summaries = page.locator("details[data-facet] > summary").all_inner_texts()
        names = {
            "phase": "Phase",
            "owner": "Verantwortlich",
            "role": "Rolle",
            "team": "Team",
            "tool": "Werkzeug",
            "tag": "Tag",
            "status": "Status",
            "review": "Prüfung",
            "cadence": "Turnus",
        }
        assert [s.strip() for s in summaries] == [names[f] for f in facets_for(library)]
        headers = page.locator("[data-sopkit-finder] thead th").all_inner_texts()
        assert headers[:7] == [
            "SOP",
            "Phase",
            "Verantwortlich",
            "Team",
            "Durchlaufzeit",
            "Prüfung",
            "Tags",
        ]
        # The review cells, rewritten by sopkit-reviews.js from the table's wording and date.
        cells = page.evaluate(
            """() => Object.fromEntries(Array.from(document.querySelectorAll("tr[data-sop]"))
                .map((row) => [row.dataset.sop, row.querySelector("[data-review]").textContent]))"""
        )
        assert cells == {sop.id: review_short(sop, TODAY, DE) for sop in library.sops}

        # A choice ticked: the announcement and the facet's summary, in German.
        phase = library.sops[0].phase
        page.locator("details[data-facet=phase] > summary").click()
        page.locator(f"input[name=phase][value='{phase}']").check()
        shown = len(matching(library, [("phase", phase)]))
        expect(page.locator(STATUS)).to_have_text(f"Angezeigt: {shown} von {total} SOPs.")
        expect(page.locator("details[data-facet=phase] .sopkit-finder__chosen")).to_have_text(
            "(1 gewählt)"
        )
        page.get_by_role("button", name="Alle Filter zurücksetzen").click()
        expect(page.locator(STATUS)).to_have_text(f"Alle {total} SOPs.")

        # Nothing left.
        page.goto(german_site.url("sops/?role=niemand"), wait_until="load")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-ready]", state="attached")
        expect(page.locator(STATUS)).to_have_text(
            f"Keine der {total} SOPs passt zu diesen Filtern."
        )
        expect(page.locator(".sopkit-finder__none")).to_have_text(
            "Keine SOP passt zu diesen Filtern."
        )
        article = page.locator("article").inner_text()
        left = [word for word in english_words() if word in article]
        assert not left, left
        # At a phone's width each row is a card, its facts labelled in German.
        page.set_viewport_size(PHONE)
        expect(page.locator(".sopkit-finder__clear")).to_have_text("Alle Filter zurücksetzen")
        before = page.evaluate(
            """() => Array.from(document.querySelector("tr[data-sop]").cells)
                .map((cell) => getComputedStyle(cell, "::before").content)"""
        )
        assert before[2:5] == ['"Verantwortlich: "', '"Team: "', '"Durchlaufzeit: "']
        assert before[7] == '"Turnus: "'
        assert watch.blocked == [] and watch.troubles() == []


def test_the_german_finder_says_when_it_searched_titles_only(
    chromium: Browser, german_site: Site
) -> None:
    """The search text cannot be loaded: the announcement says so, in German."""
    library = load_library(SHIPPED)
    word = library.sops[0].title.split()[0]
    with browse(chromium, german_site, viewport=DESKTOP) as (page, _):

        def refuse(route: Route) -> None:
            route.fulfill(status=404, body="")

        page.route("**/finder.json", refuse)
        page.goto(german_site.url(f"sops/?q={word}"), wait_until="load")
        page.wait_for_selector("[data-sopkit-finder][data-sopkit-text=failed]", state="attached")
        shown = sum(word.lower() in sop.title.lower() for sop in library.sops)
        total = len(library.sops)
        expect(page.locator(STATUS)).to_have_text(
            f"Angezeigt: {shown} von {total} SOPs. "
            "Ziele und Schritte ließen sich nicht laden: Nur die Titel wurden durchsucht."
        )
