"""Macros of hand-written pages, expanded without Jinja: what `sopkit build-md --project` writes.

A page's `{{ name(args) }}` is expanded only when `name` is one of sopkit's macros and every
argument is a literal (a string, number, true/false or None). Nothing else from a handbook is
evaluated: any other `{{ ... }}`, `{% ... %}` or `{# ... #}` is reported with the page and line,
as is an unknown macro or an id the handbook lacks, and the project is not written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import yaml

from sopkit.macros import MACRO_NAMES, HandbookMacros, MacroProblem
from sopkit.model import Library
from sopkit.render.context import PageOptions

_TEMPLATE = re.compile(r"\{\{-?(?P<call>.*?)-?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class PageProblem:
    """A template expression a page's macros cannot be expanded with."""

    page: str
    line: int
    macro: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.macro}: {self.message}"


@dataclass
class PageExpander:
    """Expands sopkit's macros in hand-written pages, for one library and page options."""

    library: Library
    options: PageOptions
    _page: str = "index.md"

    def __post_init__(self) -> None:
        self.macros = HandbookMacros(
            library=lambda: self.library, page=lambda: self._page, options=lambda: self.options
        )

    def expand(self, page: str, markdown: str) -> tuple[str, list[PageProblem]]:
        """The page with its macros expanded, and what could not be expanded."""
        if not _renders_macros(markdown):
            return markdown, []
        self._page = page
        problems: list[PageProblem] = []

        def replace(match: re.Match[str]) -> str:
            line = markdown.count("\n", 0, match.start()) + 1
            expression = match.group(0)
            call = match.group("call")
            if call is None:
                problems.append(PageProblem(page, line, _short(expression), _NOT_A_MACRO))
                return expression
            before = len(self.macros.problems)
            text, problem = self._call(call.strip())
            found: list[MacroProblem] = self.macros.problems[before:]
            if problem is not None:
                problems.append(PageProblem(page, line, _short(expression), problem))
                return expression
            problems.extend(PageProblem(page, line, p.macro, p.message) for p in found)
            return text

        return _TEMPLATE.sub(replace, markdown), problems

    def _call(self, source: str) -> tuple[str, str | None]:
        try:
            tree = ast.parse(source, mode="eval").body
        except SyntaxError:
            return "", _NOT_A_MACRO
        if isinstance(tree, ast.Name) and tree.id in MACRO_NAMES:
            return "", f"call it with parentheses: {{{{ {tree.id}() }}}}"
        if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
            return "", _NOT_A_MACRO
        name = tree.func.id
        if name not in MACRO_NAMES:
            return "", f'unknown macro "{name}"; expected one of {", ".join(MACRO_NAMES)}'
        values = [*tree.args, *(keyword.value for keyword in tree.keywords)]
        if any(not isinstance(value, ast.Constant) for value in values) or any(
            keyword.arg is None for keyword in tree.keywords
        ):
            return "", 'expected literal arguments, such as workflow("publish-blog-post")'
        args = [value.value for value in tree.args if isinstance(value, ast.Constant)]
        kwargs = {
            str(keyword.arg): keyword.value.value
            for keyword in tree.keywords
            if isinstance(keyword.value, ast.Constant)
        }
        try:
            return str(self.macros.functions()[name](*args, **kwargs)), None
        except TypeError as exc:
            return "", f"wrong arguments: {exc}"


_NOT_A_MACRO = (
    "not a sopkit macro call with literal arguments; the project has no template engine "
    "(expected e.g. {{ sop_table() }}; a page that shows braces as text sets render_macros: false)"
)


def _short(expression: str) -> str:
    text = " ".join(expression.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _renders_macros(markdown: str) -> bool:
    """False when the page's front matter says `render_macros: false`, as mkdocs-macros reads it."""
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return True
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return True
    return not (isinstance(meta, dict) and meta.get("render_macros") is False)
