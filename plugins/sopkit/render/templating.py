"""The Jinja environment of generated pages: everything is escaped unless a filter says otherwise.

Templates produce Markdown. An expression's value is escaped with `md_text` when it is output,
so a template that forgets a filter still cannot let handbook text become markup. Filters that
produce markup (`cell`, `html`, `prose`, `link`) and macros return `Raw`, output as is.
(Jinja's autoescape machinery carries the "already escaped" mark through macros and filters;
`finalize` swaps its HTML escaping for Markdown escaping.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from sopkit.labels import ENGLISH
from sopkit.render import escape
from sopkit.render.links import relative, relative_url
from sopkit.render.prose import safe_prose
from sopkit.render.refs import letter_names

Raw = Markup
"""Text that is already in its destination syntax."""


def _finalize(value: Any) -> Markup:
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, int | float):
        return Markup(str(value))
    return Markup(escape.md_text(str(value)))


class _Generator(CodeGenerator):
    """Jinja's code generator, less the HTML escaping of output that `_finalize` has already
    escaped for Markdown: `escape(finalize(x))` would only copy the `Markup` that `_finalize`
    returns, about a million times in a large handbook's build. (Should Jinja rename these two
    hooks, its own code runs: the same output, with the copies.)"""

    def _output_child_pre(self, node: Any, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src:
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _Generator


def _cell(value: Any) -> Raw:
    return Raw("" if value is None else escape.md_cell(str(value)))


def _html(value: Any) -> Raw:
    return Raw("" if value is None else escape.md_html_text(str(value)))


def _attr(value: Any) -> Raw:
    """A double-quoted HTML attribute value that is safe in a Markdown table cell too."""
    return Raw("" if value is None else escape.html_text(str(value)).replace("|", "&#124;"))


def _prose(value: Any) -> Raw:
    return Raw(safe_prose(str(value or "")))


@jinja2.pass_context
def _hours(context: jinja2.runtime.Context, value: Any) -> Raw:
    """Working time in the page's language (`t`, the site's labels)."""
    return Raw(context["t"].duration(float(value or 0)))


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: str, anchor: str = "") -> Raw:
    """A Markdown link target from the page being rendered to `target` (a page source path)."""
    link = relative(context["page"], target)
    return Raw(link + (f"#{anchor}" if anchor else ""))


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str, anchor: str = "") -> Raw:
    """A browser URL from the page being rendered (for raw HTML and diagrams)."""
    url = relative_url(context["page"], target, context.get("use_directory_urls", True))
    return Raw(url + (f"#{anchor}" if anchor else ""))


def _query(value: Any) -> Raw:
    """A URL query value: every character but letters, digits and `-._~` percent-encoded."""
    return Raw(quote(str(value), safe=""))


def templates_folder() -> Path:
    return Path(str(resources.files("sopkit.templates")))


@cache
def environment(override: str | None = None) -> jinja2.Environment:
    """Templates from `override` (a site's folder) first, then the shipped ones."""
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.FileSystemLoader(str(templates_folder() / "pages")))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "cell": _cell,
        "html": _html,
        "attr": _attr,
        "prose": _prose,
        "hours": _hours,
        "link": _link,
        "url": _url,
        "raw": Raw,
        "query": _query,
    }
    env.filters.update(filters)
    # Pages whose renderer passes no `t` (the site's labels) read English.
    env.globals["t"] = ENGLISH
    env.globals["letter_names"] = letter_names(ENGLISH)
    return env


def render(template: str, override: str | None = None, **context: Any) -> str:
    text = environment(override).get_template(template).render(**context)
    return text.strip("\n") + "\n"
