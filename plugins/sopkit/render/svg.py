"""Charts as inline SVG, drawn at build time: no JavaScript, readable in dark mode and in print.

Text is `currentColor`, so it follows the page's text colour in either colour scheme and prints
black. Bars carry the class `sopkit-bar` for the site's CSS to colour them; without that CSS they
are a translucent `currentColor`, which still reads on a light or a dark page. The drawing has a
`viewBox` and no fixed size, so it scales to the column it sits in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sopkit.render.escape import html_text

WIDTH = 480
LABEL_RIGHT = 168  # labels end here, right-aligned
BAR_LEFT = 176
BAR_SPAN = 224  # the longest bar; the rest of the width holds its value
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 32  # room for the title
FONT_SIZE = 13
MAX_LABEL = 22  # characters; longer labels are cut with an ellipsis (the table has them whole)
CHAR_WIDTH = 0.62  # of FONT_SIZE: a generous average width of a character of the page's font
TITLE_LINE = 19  # px between the lines of a title that wraps


def bar_chart(
    rows: Sequence[tuple[str, float]],
    title: str,
    unit: str,
    figure: Callable[[float], str] | None = None,
    no_data: str = "No data",
) -> str:
    """A horizontal bar chart, one bar per `(label, value)` in the given order, as one SVG element.

    `unit` is appended to each value as given: "h" gives "12h", " SOPs" gives "12 SOPs";
    `figure`, when given, writes each value instead (in the page's language). `no_data` is what
    an empty chart says. Labels and the title are text, escaped here. The output is well-formed
    XML on a single line (an HTML block in Markdown ends at a blank line) and depends only on
    the arguments.
    """
    heading = _plain(title)
    peak = max((value for _, value in rows), default=0.0)
    # A title longer than the drawing is wide wraps (translations are often longer than English).
    lines = _wrapped(heading, int(WIDTH / (FONT_SIZE * CHAR_WIDTH)))
    first = TOP + TITLE_LINE * (len(lines) - 1)  # the top of the first bar
    height = first + ROW_HEIGHT * max(len(rows), 1) + 4
    write = figure or (lambda value: _figure(value, unit))
    shown = [write(value) for _, value in rows]
    # The longest bar leaves room for the widest figure after it ("1.748,5 Std." in German).
    widest = max((len(text) for text in shown), default=0) * FONT_SIZE * CHAR_WIDTH
    span = max(BAR_SPAN / 2, min(BAR_SPAN, WIDTH - BAR_LEFT - 6 - widest))
    names = [_plain(label) for label, _ in rows]
    described = "; ".join(f"{name}: {text}" for name, text in zip(names, shown, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sopkit-chart__svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{html_text(f"{heading}: {described}" if rows else heading)}" '
        f'font-size="{FONT_SIZE}">',
        f"<title>{html_text(heading)}</title>",
        *(
            f'<text x="0" y="{FONT_SIZE + 4 + TITLE_LINE * index}" fill="currentColor" '
            f'font-weight="bold">{html_text(line)}</text>'
            for index, line in enumerate(lines)
        ),
    ]
    if not rows:
        parts.append(
            f'<text x="0" y="{first + BAR_HEIGHT - 3}" fill="currentColor" font-style="italic">'
            f"{html_text(_plain(no_data))}</text>"
        )
    for index, (label, value) in enumerate(rows):
        top = first + index * ROW_HEIGHT
        baseline = top + BAR_HEIGHT - 4
        width = span * value / peak if peak > 0 and value > 0 else 0.0
        name = _plain(label)
        short = name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1].rstrip() + "\u2026"
        parts.append(
            f'<g class="sopkit-chart__row"><title>{html_text(f"{name}: {shown[index]}")}</title>'
            f'<text x="{LABEL_RIGHT}" y="{baseline}" text-anchor="end" fill="currentColor">'
            f"{html_text(short)}</text>"
            f'<rect class="sopkit-bar" x="{BAR_LEFT}" y="{top}" width="{number(width)}" '
            f'height="{BAR_HEIGHT}" rx="2" fill="currentColor" fill-opacity="0.55"/>'
            f'<text x="{number(BAR_LEFT + width + 6)}" y="{baseline}" '
            f'fill="currentColor">{html_text(shown[index])}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken between words."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _plain(text: str) -> str:
    """One line: a line break or blank line in a name must not end the HTML block."""
    return " ".join(text.split())


def number(value: float) -> str:
    """A figure rounded to one decimal, without a trailing `.0`: `3`, `2.5`."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _figure(value: float, unit: str) -> str:
    return number(value) + unit
