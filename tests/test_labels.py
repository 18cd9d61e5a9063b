"""The handbook in the reader's language: the message catalogues, `labels:`, `steps_heading`,
and a German build of the shipped handbook with no English label of the catalogue left."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from sopkit.cli import main
from sopkit.labels import (
    FALLBACK,
    LANGUAGES,
    LabelError,
    Labels,
    catalogue,
    check_overrides,
    placeholders,
    site_labels,
    steps_headings,
)
from sopkit.load import load_library
from sopkit.render.context import PageOptions
from sopkit.render.site_pages import lifecycle_pages

from .browser import shipped_config
from .handbooks import PUBLISH_SOP, write_handbook
from .sites import BASE_CONFIG, SHIPPED, Build, build, copy_handbook, text_of

ENGLISH = catalogue(FALLBACK)


# --- the catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_in_every_language(language: str) -> None:
    """Each shipped catalogue has exactly the English keys, the same placeholders and, for a
    message with plural forms, the forms its language needs."""
    own = catalogue(language)
    assert sorted(own) == sorted(ENGLISH), (
        f"{language}.yml: missing {sorted(set(ENGLISH) - set(own))}, "
        f"extra {sorted(set(own) - set(ENGLISH))}"
    )
    for key, english in ENGLISH.items():
        message = own[key]
        assert placeholders(message) == placeholders(english), f"{language}.yml: {key}"
        assert isinstance(message, str) == isinstance(english, str), f"{language}.yml: {key}"
        if not isinstance(message, str):
            assert {"one", "other"} <= set(message), f"{language}.yml: {key}"
        assert not check_overrides({key: message}), f"{language}.yml: {key}"


def test_other_languages_read_english() -> None:
    """A language without a catalogue reads English words with its own date format."""
    t = Labels("pt_BR")
    assert t("sop.objective") == "Objective"
    assert t.date(dt.date(2026, 11, 30)) == "30 de nov. de 2026"
    assert Labels("de_CH")("sop.objective") == "Ziel"


def test_plurals_dates_and_numbers() -> None:
    de, fr, en = Labels("de"), Labels("fr"), Labels("en")
    assert de("lead.days", n=1) == "1 Arbeitstag"
    assert de("lead.days", n=9) == "9 Arbeitstage"
    assert de.duration(20) == "2,5 AT"
    assert en.duration(20) == "2.5d"
    assert fr("sop.history_more", n=0) == "et 0 modification antérieure"  # French: 0 is singular
    assert de.date(dt.date(2026, 11, 30)) == "30.11.2026"
    assert en.date(dt.date(2026, 11, 30)) == "Nov 30, 2026"
    assert de.number(1234.5) == "1.234,5"
    assert de.interval("6mo") == "6 Monate"


def test_messages_escape_their_values() -> None:
    """Handbook text put into a message is escaped for the syntax of the page."""
    t = Labels("en", {"common.unknown_role": "<b>{id}</b> (unknown)"})
    assert str(t.html("common.unknown_role", id="<script>")) == (
        "&lt;b&gt;&lt;script&gt;&lt;/b&gt; (unknown)"
    )
    # Placeholders are names only: no attribute or index access into the values.
    assert t("sop.owner", role="x") == "Owner: x"
    assert Labels("en", {"sop.owner": "{role.__class__}"})("sop.owner", role="x") == (
        "{role.__class__}"
    )


def test_override_problems_are_named() -> None:
    problems = check_overrides(
        {"sop.ownr": "Process owner", "sop.lead_time": "Lead {days}", "sop.kpis": ["KPIs"]}
    )
    assert problems == [
        "labels: 'sop.ownr' is not a label sopkit shows; did you mean 'sop.owner'?",
        "labels: sop.lead_time: unknown placeholder {days} (this label knows {time})",
        "labels: sop.kpis: expected text, but received ['KPIs']",
    ]
    with pytest.raises(LabelError):
        site_labels("de", {"nope": "x"})


def test_steps_headings_of_a_site() -> None:
    assert steps_headings(None) == ("Steps",)
    assert steps_headings("de") == ("Schritte", "Steps")
    assert steps_headings("fr_CA", "Déroulement") == ("Déroulement", "Étapes", "Steps")
    assert steps_headings("es") == ("Pasos", "Steps")


# --- a German build of the shipped handbook ---------------------------------------------------


@pytest.fixture(scope="module")
def german(mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    workdir = tmp_path_factory.mktemp("german")
    config = shipped_config(mermaid_js)
    config["theme"]["language"] = "de"
    result = build(copy_handbook(SHIPPED, workdir / "docs"), workdir, config)
    assert result.returncode == 0, result.output
    return result


def _fragments(english: str, translated: str) -> Iterator[str]:
    """Pieces of an English message that a page may show verbatim, and that its translation
    does not share (`Status` is German too)."""
    for piece in re.split(r"\{\w+\}", english):
        piece = piece.strip(" .,:;()·\u2013\u2014“”\"'")
        if len(piece) >= 4 and not _count(piece, translated) and not piece.isdigit():
            yield piece


def _forms(message: object) -> list[str]:
    return [message] if isinstance(message, str) else [str(v) for v in dict(message).values()]  # type: ignore[call-overload]


def english_fragments(language: str) -> dict[str, str]:
    """Each English fragment of the catalogue, with its key, that `language` translates."""
    own = catalogue(language)
    # A word the translations use too (`requires`, a front-matter key) says nothing.
    everything = " ".join(form for message in own.values() for form in _forms(message))
    found: dict[str, str] = {}
    for key, english in ENGLISH.items():
        translated = " ".join(_forms(own[key]))
        for form in _forms(english):
            for piece in _fragments(form, translated + " " + everything):
                found.setdefault(piece, key)
    return found


def _handbook_text() -> str:
    """Everything the shipped handbook's authors wrote: English that pages show as written."""
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(SHIPPED.rglob("*"))
        if path.suffix in (".md", ".yml")
    )


def _page_words(soup: BeautifulSoup) -> str:
    """The article's text and the labels of its elements (title, aria-label, alt)."""
    article = soup.select_one("article") or soup
    attributes = [
        str(element.get(name))
        for element in article.find_all(True)
        for name in ("title", "aria-label", "alt", "placeholder")
        if element.get(name)
    ]
    return " ".join([text_of(soup), *attributes])


NOT_OURS = ("Permanent link", "raci.csv")
"""Text other parts of the site write (the `toc` extension's `permalink_title`)."""


@pytest.fixture(scope="module")
def marked(mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The shipped handbook with every label replaced by its key in brackets: what is left is
    what the authors wrote, and any text sopkit writes without its catalogue."""
    workdir = tmp_path_factory.mktemp("marked")
    config = shipped_config(mermaid_js)
    config["theme"]["language"] = "de"
    labels: dict[str, object] = {}
    for key, message in ENGLISH.items():
        names = " ".join(f"{{{name}}}" for name in sorted(placeholders(message)))
        text = f"⟦{key}⟧ {names} ⟦/⟧" if names else f"⟦{key}⟧"
        labels[key] = text if isinstance(message, str) else {"one": text, "other": text}
    next(p for p in config["plugins"] if isinstance(p, dict) and "sopkit" in p)["sopkit"][
        "labels"
    ] = labels
    result = build(copy_handbook(SHIPPED, workdir / "docs"), workdir, config)
    assert result.returncode == 0, result.output
    return result


def _pages(site: Path) -> list[Path]:
    """Every page of the site: each speaks the site's language."""
    return sorted(site.rglob("index.html"))


def _count(fragment: str, text: str) -> int:
    """How often `fragment` is in `text` as whole words (`Checklist` is not in `Checklists`)."""
    before = r"(?<!\w)" if fragment[:1].isalnum() else ""
    after = r"(?!\w)" if fragment[-1:].isalnum() else ""
    return len(re.findall(before + re.escape(fragment) + after, text))


def test_german_build_shows_no_english_label(german: Build, marked: Build) -> None:
    """An English piece of the catalogue shows on a German page no more often than on the
    same page with every label replaced: where it shows, the authors wrote it."""
    fragments = english_fragments("de")
    pages = _pages(german.site)
    assert len(pages) >= 30
    left = []
    for path in pages:
        rel = path.relative_to(german.site)
        words = _page_words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        same = _page_words(BeautifulSoup((marked.site / rel).read_text("utf-8"), "html.parser"))
        for fragment, key in fragments.items():
            if _count(fragment, words) > _count(fragment, same):
                left.append(f"{rel}: {key}: {fragment!r}")
    assert not left, "\n".join(left)


MARK = re.compile(r"⟦[^⟧]*⟧|⟦[^⟧]*$|^[^⟦]*⟧")
"""A label's mark, or the part of it a drawing's line shows (boxes wrap and cut text)."""


def _author_atoms() -> tuple[re.Pattern[str], set[str]]:
    """Every string the handbook's authors wrote (YAML values, Markdown lines, both with
    their Markdown marks dropped) as one pattern, longest first, and every word of them."""
    atoms: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            atoms.add(" ".join(str(value).split()))

    for path in sorted(SHIPPED.rglob("*")):
        if path.suffix not in (".md", ".yml"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md" and text.startswith("---\n"):
            front, _, text = text[4:].partition("\n---\n")
            walk(yaml.safe_load(front))
        elif path.suffix == ".yml":
            walk(yaml.safe_load(text))
        for line in text.split("\n"):
            line = re.sub(r"[*_`#>]|\[|\]\([^)]*\)|^\s*(?:[-+]|\d+\.)\s+", "", line)
            atoms.add(" ".join(line.split()))
    atoms = {atom for atom in atoms if re.search(r"[A-Za-z]{2}", atom)}
    ordered = sorted(atoms, key=len, reverse=True)
    words = {word for atom in atoms for word in re.findall(r"[A-Za-z']+", atom)}
    alternatives = "|".join(re.escape(atom) for atom in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), words


def _authored_nodes() -> dict[str, set[str]]:
    """Site page -> the text nodes of its author-written Markdown, rendered with the shipped
    site's extensions: a table cell, a bold lead-in or a link's text is a node of its own on
    the page, and a short one is the authors' only when it is one of these (on its own page)."""
    config = shipped_config(Path("mermaid.min.js"))
    extensions: list[str] = []
    settings: dict[str, object] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if options:
            settings[name] = options
    nodes: dict[str, set[str]] = {}
    for path in sorted(SHIPPED.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[4:].partition("\n---\n")[2]
        rel = path.relative_to(SHIPPED).with_suffix("")
        site_path = (rel.parent if rel.name == "index" else rel) / "index.html"
        html = markdown.markdown(text, extensions=extensions, extension_configs=settings)
        nodes[site_path.as_posix()] = {
            " ".join(str(node).split())
            for node in BeautifulSoup(html, "html.parser").find_all(string=True)
            if str(node).strip()
        }
    return nodes


def _leaf_texts(soup: BeautifulSoup) -> Iterator[tuple[str, bool]]:
    """(text, drawn in an SVG) of every text node and labelling attribute of the article."""
    article = soup.select_one("article") or soup
    for element in article.find_all(True):
        for name in ("title", "aria-label", "alt", "placeholder"):
            if element.get(name):
                yield str(element.get(name)), False
    for text in article.find_all(string=True):
        parent = text.parent
        if parent is not None and parent.name not in ("script", "style", "code"):
            yield str(text), parent.name in ("text", "tspan")


def test_no_text_outside_the_catalogue(marked: Build) -> None:
    """With every label replaced, a page shows only what the handbook's authors wrote."""
    atoms, vocabulary = _author_atoms()
    words_of_authors = " ".join(sorted(vocabulary))
    corpus = " ".join(re.sub(r"[*_`#>]|\]\([^)]*\)|\[", "", _handbook_text()).split())
    authored = _authored_nodes()
    left: set[str] = set()
    for path in _pages(marked.site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        own = authored.get(path.relative_to(marked.site).as_posix(), set())
        for text, drawn in _leaf_texts(soup):
            text = " ".join(text.split())
            if text in NOT_OURS or text in own:
                continue
            # A long piece may be author prose that spans lines; a short one must be a whole
            # string the authors wrote (below), not just a word of their prose.
            pieces = [
                p for p in MARK.split(text) if len(p.split()) < 4 or not _count(p.strip(), corpus)
            ]
            rest = atoms.sub(" ", " ".join(pieces))
            rest = re.sub(r"\S*…", " ", rest)
            words = re.findall(r"[A-Za-z][A-Za-z']+", rest)
            if drawn:  # a drawing wraps, hyphenates and cuts titles: its lines are pieces of them
                words = [word for word in words if word not in words_of_authors]
            if words:
                left.add(f"{path.relative_to(marked.site)}: {' '.join(words)!r} in {text!r}")
    assert not left, "\n".join(sorted(left)[:80])


def test_german_health_page_and_navigation(german: Build) -> None:
    """The sections sopkit writes have German titles in the navigation; the health page's
    words, dates, numbers and charts are German."""
    page = german.html("health/")
    nav = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a")]
    for title in ("RACI-Matrix", "Lebenszyklus", "Zustand des Handbuchs", "Neuigkeiten"):
        assert title in nav, title
    assert "Handbook health" not in nav and "What's new" not in nav
    assert page.select_one("article h1").get_text(strip=True).startswith("Zustand des Handbuchs")
    text = text_of(page)
    assert "Stand 24.11.2026 , über die 15 gültigen SOPs" in text  # `<time>`, then a comma
    assert "Engpässe bei Freigaben" in text and "Single Points of Failure" in text
    charts = [svg.select_one("title").get_text() for svg in page.select("svg.sopkit-chart__svg")]
    assert charts[0] == "Freigaben je freigebender Rolle"
    # Figures as German writes them: a decimal comma, "Std." and "AT" for hours and days.
    assert re.search(r"\d+,\d Std\. \(\d+(,\d)? AT\)", text)
    built = page.select_one("[data-built]")
    assert built is None  # the site pins `today`: no "built on" line
    # The macros of hand-written pages: sop_table's headers and cells, workflow's legend.
    tables = german.html("how-we-work/").select("article table")
    heads = [[th.get_text(strip=True) for th in found.select("th")] for found in tables]
    table = tables[heads.index(["SOP", "Phase", "Verantwortlich", "Durchlaufzeit", "Prüfung"])]
    assert "Arbeitstage" in table.get_text() and "Geprüft am" in table.get_text()
    legend = german.html("fixing-bottlenecks/").select_one("article .sopkit-legend")
    assert legend is not None and legend.get_text().startswith("Bahnen: wer durchführt.")
    news = german.html("whats-new/")
    assert news.select_one("article h1").get_text(strip=True).startswith("Neuigkeiten")
    # Outside git: git's own message, as code, in a German sentence.
    assert "Diese Website wurde ohne Git-Verlauf erstellt" in text_of(news)
    assert news.select_one("article .admonition code") is not None


def test_german_lifecycle_pages_of_a_large_handbook(tmp_path: Path) -> None:
    """Past the split, each phase's page has a German title, intro and pager, and the
    overview counts each phase's SOPs in German."""
    files = {
        f"sops/s{i}.md": PUBLISH_SOP.replace("title: Publish", f"title: S{i}").replace(
            "phase: deploy", f"phase: {'define' if i < 3 else 'deploy'}"
        )
        for i in range(4)
    }
    library = load_library(write_handbook(tmp_path, files))
    options = PageOptions(
        today=dt.date(2026, 11, 24), lifecycle_split=1, list_page=2, labels=Labels("de")
    )
    pages = {src: page.markdown for src, page in lifecycle_pages(library, options).items()}
    overview = pages["lifecycle/index.md"]
    assert "Dieses Handbuch ist groß, daher listet jede Phase ihre SOPs" in overview
    assert "[3 SOPs in Definieren](define.md), auf 2 Seiten \\([1](define.md), [2]" in overview
    assert "[1 SOP in Einführen](deploy.md)." in overview
    assert "Übergabe \\(`next`\\)" in overview  # `next` is code, in every language
    first = pages["lifecycle/define.md"]
    assert "# Lebenszyklus: Definieren, Seite 1 von 2" in first
    assert "Die SOPs dieser Phase in Lesereihenfolge" in first
    assert 'aria-label="Seiten dieser Phase"' in first
    assert "# Lebenszyklus: Einführen\n" in pages["lifecycle/deploy.md"]


def test_german_sop_page(german: Build) -> None:
    page = german.html("sops/content/content-production/")
    text = text_of(page)
    for words in (
        "Prozessverantwortung: Content Lead",
        "Durchlaufzeit: 9 Arbeitstage",
        "Geprüft am 27.10.2026",
        "Freigabeprozess",
        "abschließende Freigabe durch Marketing Manager",
    ):
        assert words in text
    assert page.select_one("h2#steps").get_text(strip=True).startswith("Schritte")
    # Anchors stay what they are in every language: links to them keep working.
    for anchor in ("tools", "workflow", "timeline", "steps", "approval-process", "kpis", "raci"):
        assert page.select_one(f"h2#{anchor}") is not None, anchor
    # Exports keep ISO dates and English keys.
    entry = next(s for s in german.json("sops.json")["sops"] if s["id"] == "content-production")
    assert entry["reviewed"] == "2026-10-27"


# --- labels: and steps_heading ----------------------------------------------------------------

GERMAN_SOP = (
    PUBLISH_SOP.replace("---\n", "---\n", 1)
    + """
## Schritte

### Draft

Write it.

### Approve

Check it.
"""
)


def _config(**options: object) -> dict[str, object]:
    config = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    config["theme"]["language"] = "de"
    config["plugins"][1]["sopkit"].update(options)
    return config  # type: ignore[no-any-return]


def test_labels_option_reaches_the_page(tmp_path: Path) -> None:
    docs = write_handbook(tmp_path, {"sops/publish.md": GERMAN_SOP})
    config = _config(labels={"sop.owner": "Prozesseigner: {role}", "sop.kpis": "Messgrößen"})
    result = build(docs, tmp_path, config)
    assert result.returncode == 0, result.output
    page = result.html("sops/publish/")
    text = text_of(page)
    assert "Prozesseigner: Lead" in text
    assert page.select_one("h2#kpis").get_text(strip=True).startswith("Messgrößen")
    # The German words sopkit ships for everything else; the steps under `## Schritte`.
    assert "Durchlaufzeit:" in text
    assert "Write it." in text
    assert page.select_one("[data-sopkit-orphan]") is None


def test_unknown_label_is_a_config_error(tmp_path: Path) -> None:
    docs = write_handbook(tmp_path, {"sops/publish.md": PUBLISH_SOP})
    result = build(docs, tmp_path, _config(labels={"sop.onwer": "Eigner: {role}"}))
    assert result.returncode != 0
    assert "labels: 'sop.onwer' is not a label sopkit shows; did you mean 'sop.owner'?" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_steps_heading_option(tmp_path: Path) -> None:
    sop = GERMAN_SOP.replace("## Schritte", "## Ablauf")
    docs = write_handbook(tmp_path, {"sops/publish.md": sop})
    result = build(docs, tmp_path, _config(steps_heading="Ablauf"))
    assert result.returncode == 0, result.output
    page = result.html("sops/publish/")
    assert page.select_one("h2#steps").get_text(strip=True).startswith("Ablauf")
    assert "Check it." in text_of(page)
    assert page.select_one("[data-sopkit-orphan]") is None


def test_check_reads_the_language_from_mkdocs_yml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sopkit check` accepts `## Schritte` in a German site, and its near-miss finding
    suggests the German heading."""
    docs = write_handbook(tmp_path, {"sops/publish.md": GERMAN_SOP}, name="docs")
    config = _config()
    config["docs_dir"] = "docs"
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def check(*args: str) -> tuple[int, str]:
        code = main(["check", *args, "--today", "2026-11-24"])
        return code, capsys.readouterr().out

    assert check() == (0, "No problems found in 1 SOP.\n")
    (docs / "sops/publish.md").write_text(GERMAN_SOP.replace("## Schritte", "## Schritt"), "utf-8")
    code, out = check()
    assert code == 1
    assert "did you mean `## Schritte`?" in out
    # Outside the German site, `## Schritte` opens no steps: its headings name steps.
    (docs / "sops/publish.md").write_text(GERMAN_SOP, "utf-8")
    monkeypatch.chdir(tmp_path.parent)
    code, out = check(str(docs))
    assert code == 1
    assert "there is no `## Steps` heading above it" in out
