"""Property-based tests: any front matter gives findings, never an exception; escaping is exact."""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sopkit.check import check_library
from sopkit.load import load_library, load_sop_file
from sopkit.model import Diagnostic, Settings
from sopkit.parse import MAX_NODES
from sopkit.render import links
from sopkit.render.context import PageOptions
from sopkit.render.escape import csv_cell, html_text, md_cell, md_text, svg_text
from sopkit.render.sop_page import sop_markdown

from .handbooks import write_handbook

TODAY = __import__("datetime").date(2026, 11, 24)
KEYS = [
    "title", "id", "objective", "phase", "owner", "status", "reviewed", "review_every", "tags",
    "requires", "next", "tools", "steps", "kpis", "raci", "R", "A", "C", "I", "kind", "after",
    "on_reject", "criteria", "checklist", "duration", "name", "target", "source", "x", "quiz",
    "question", "choices", "answer", "explain",
]  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["lead", "writer", "develop", "2026-13-45", "2d", "approval", "docs"])
    | st.dates().map(str)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)
FRONT_MATTER = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12)


def findings_for(tmp_path: Path, name: str, raw: bytes) -> list[Diagnostic]:
    root = write_handbook(tmp_path, {}, name=name)
    sops = root / "sops"
    sops.mkdir(exist_ok=True)
    (sops / "random.md").write_bytes(raw)
    return check_library(load_library(root), TODAY)


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(data=FRONT_MATTER, body=st.text(max_size=200))
@example(data={"title": None, "steps": [None, {}]}, body="")  # a step after a non-step
def test_any_front_matter_yields_findings_not_exceptions(
    tmp_path: Path, data: dict[str, object], body: str
) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    findings = findings_for(tmp_path, f"h{abs(hash(text))}", text.encode("utf-8"))
    assert all(isinstance(f, Diagnostic) and f.line >= 1 for f in findings)
    if "title" not in data:
        assert any(f.rule == "missing-field" for f in findings)


@PROPERTY
@given(text=st.text(alphabet=string.printable + "é🚀\u202e&*!|[]{}<>", max_size=300))
def test_any_text_as_front_matter_is_reported_not_raised(tmp_path: Path, text: str) -> None:
    raw = ("---\n" + text + "\n---\nBody\n").encode("utf-8")
    loaded = load_sop_file(raw, "sops/random.md", Settings())
    assert all(f.location.file == "sops/random.md" for f in loaded.findings)
    findings_for(tmp_path, f"t{abs(hash(text))}", raw)


@PROPERTY
@given(raw=st.binary(max_size=300))
def test_any_bytes_are_reported_not_raised(raw: bytes) -> None:
    loaded = load_sop_file(b"---\n" + raw, "sops/random.md", Settings())
    assert all(f.severity in ("error", "warning") for f in loaded.findings)


@given(depth=st.integers(min_value=50, max_value=3000))
@settings(max_examples=4, deadline=None)
def test_deep_nesting_is_reported(depth: int) -> None:
    raw = ("---\ntitle: " + "[" * depth + "]" * depth + "\n---\n").encode()
    loaded = load_sop_file(raw, "sops/deep.md", Settings())
    assert loaded.sop is not None or loaded.findings


@given(fan=st.integers(min_value=2, max_value=12), levels=st.integers(min_value=2, max_value=9))
@example(fan=10, levels=7)  # the classic "billion laughs" shape
@settings(max_examples=8, deadline=None)
def test_alias_expansion_is_bounded(fan: int, levels: int) -> None:
    """Level n refers `fan` times to level n-1: the last level alone expands to fan**(levels-1)."""
    lines = ["---", 'a0: &a0 ["x"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * fan)
        lines.append(f"a{level}: &a{level} [{refs}]")
    raw = ("\n".join([*lines, "---", ""])).encode()
    loaded = load_sop_file(raw, "sops/bomb.md", Settings())
    if fan ** (levels - 1) > MAX_NODES:
        assert [f.rule for f in loaded.findings] == ["yaml-syntax"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


MARKDOWN_EXTENSIONS = [
    "attr_list", "md_in_html", "tables", "abbr", "def_list", "pymdownx.tilde", "pymdownx.caret",
    "pymdownx.mark", "pymdownx.emoji", "pymdownx.keys", "pymdownx.betterem", "pymdownx.magiclink",
]  # fmt: skip
SHOWN = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
    | st.sampled_from("*_`#|~^=:+-.![](){}<>&\\\"'"),
    max_size=80,
)


def rendered(source: str) -> _Text:
    parser = _Text()
    parser.feed(markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS))
    return parser


@settings(max_examples=150, deadline=None)
@given(text=SHOWN)
def test_markdown_text_shows_exactly_what_was_written(text: str) -> None:
    result = rendered(md_text(text))
    assert " ".join("".join(result.parts).split()) == " ".join(text.split())
    assert set(result.tags) <= {"p"}


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(SHOWN, min_size=1, max_size=4))
def test_table_cells_never_split_a_row(cells: list[str]) -> None:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    rule = "|" + "---|" * len(cells)
    row = "| " + " | ".join(md_cell(c) or " " for c in cells) + " |"
    html_out = markdown.markdown("\n".join([header, rule, row]), extensions=MARKDOWN_EXTENSIONS)
    body = html_out.split("<tbody>")[1]
    found = re.findall(r"<td>(.*?)</td>", body, flags=re.S)
    assert len(found) == len(cells)
    for shown, written in zip(found, cells, strict=True):
        parser = _Text()
        parser.feed(shown)
        assert " ".join("".join(parser.parts).split()) == " ".join(written.split())


@given(text=st.text(max_size=120))
def test_svg_text_is_well_formed_xml_showing_the_text_on_one_line(text: str) -> None:
    escaped = svg_text(text)
    assert not set(escaped) & set("<>\"'\n\r")
    element = ElementTree.fromstring(f'<text a="{escaped}">{escaped}</text>')
    allowed = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]", "", text)
    assert (element.text or "") == " ".join(allowed.split())
    assert element.get("a") == " ".join(allowed.split())


@given(text=st.text(max_size=120))
def test_html_text_round_trips(text: str) -> None:
    assert html.unescape(html_text(text)) == text
    assert not set(html_text(text)) & set("<>\"'")


@given(cells=st.lists(st.text(max_size=40), max_size=6))
def test_csv_cells_round_trip_and_never_start_a_formula(cells: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(c) for c in cells])
    read = next(csv.reader(io.StringIO(buffer.getvalue()))) if cells else []
    for written, back in zip(cells, read, strict=True):
        assert not back.startswith(("=", "+", "-", "@"))
        assert back.removeprefix("'") == written or back == written


# --- knowledge checks -----------------------------------------------------------------------

QUIZ_BASE = """\
---
title: Quiz
objective: Checks what a reader remembers.
phase: develop
owner: lead
reviewed: 2026-10-01
steps:
  - {title: Only, raci: {R: writer, A: lead}, kind: approval}
kpis:
  - {name: Done}
"""
QUIZ_ITEMS = st.lists(
    st.dictionaries(
        st.sampled_from(["question", "choices", "answer", "explain", "hint"]),
        VALUES | st.lists(SHOWN, max_size=8),
        max_size=5,
    )
    | VALUES,
    max_size=4,
)


@PROPERTY
@given(quiz=QUIZ_ITEMS | VALUES)
# NEL is a line break to PyYAML's marks, not to an editor: findings still name the file's lines.
@example(quiz=[{"question": ["\x85"]}, {"question": [], "choices": "\x85"}])
def test_any_quiz_yields_findings_at_its_lines_not_exceptions(tmp_path: Path, quiz: object) -> None:
    text = QUIZ_BASE + yaml.safe_dump({"quiz": quiz}, allow_unicode=True) + "---\n"
    findings = findings_for(tmp_path, f"q{abs(hash(text))}", text.encode("utf-8"))
    end = text.count("\n")
    assert all(isinstance(f, Diagnostic) and 1 <= f.line <= end for f in findings)
    quiz_lines = QUIZ_BASE.count("\n") + 1
    assert all(f.line >= quiz_lines for f in findings if f.file == "sops/random.md"), findings


@st.composite
def good_quizzes(draw: st.DrawFn) -> list[dict[str, str | list[str]]]:
    items = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        choices = draw(
            st.lists(SHOWN.filter(lambda t: t.strip() != ""), min_size=2, max_size=6, unique=True)
        )
        item: dict[str, str | list[str]] = {
            "question": draw(SHOWN.filter(lambda t: t.strip() != "")),
            "choices": choices,
            "answer": draw(st.sampled_from(choices)),
        }
        if draw(st.booleans()):
            item["explain"] = draw(SHOWN.filter(lambda t: t.strip() != ""))
        items.append(item)
    return items


@PROPERTY
@given(quiz=good_quizzes())
def test_a_well_formed_quiz_is_clean_and_shown_as_text(
    tmp_path: Path, quiz: list[dict[str, str | list[str]]]
) -> None:
    text = QUIZ_BASE + yaml.safe_dump({"quiz": quiz}, allow_unicode=True) + "---\n"
    root = write_handbook(tmp_path, {"sops/quiz.md": text}, name=f"g{abs(hash(text))}")
    library = load_library(root)
    assert check_library(library, TODAY) == []
    sop = library.sops[0]
    page = markdown.markdown(
        sop_markdown(library, sop, PageOptions(today=TODAY)).split("---\n", 2)[2],
        extensions=["attr_list", "md_in_html", "tables", "admonition", "toc"],
    )
    soup = BeautifulSoup(page, "html.parser")
    section = soup.select_one(".sopkit-quiz")
    assert section is not None
    assert {tag.name for tag in section.find_all(True)} <= QUIZ_TAGS
    questions = section.select("[data-quiz-question]")
    assert len(questions) == len(quiz)
    for number, (shown, item) in enumerate(zip(questions, quiz, strict=True), start=1):
        legend = shown.select_one("legend")
        assert legend is not None
        assert legend.get_text() == f"{number}. " + flat(str(item["question"]))
        radios = shown.select("input[type=radio]")
        assert [r["value"] for r in radios] == [flat(c) for c in item["choices"]]
        assert [r.parent.get_text().strip() for r in radios] == [flat(c) for c in item["choices"]]
        assert shown["data-quiz-answer"] == flat(str(item["answer"]))
        assert shown["data-quiz-answer"] in [r["value"] for r in radios]
        assert shown["data-quiz-explain"] == flat(str(item.get("explain", "")))


QUIZ_TAGS = {
    "div", "fieldset", "legend", "label", "input", "span", "p", "button", "details", "summary",
    "ol", "li", "strong",
}  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


PATH_PARTS = st.lists(st.sampled_from(["a", "b", "sops", "index.md", ".", "x.y", "run", ""]))


@given(PATH_PARTS, PATH_PARTS)
@example(["index.md"], ["."])
@example(["a", ""], ["a"])
def test_relpath_is_posix_relpath_without_the_working_directory(
    to: list[str], start: list[str]
) -> None:
    path, base = "/".join(to) or ".", "/".join(start) or "."
    assert links.relpath(path, base) == posixpath.relpath(path, base)
