"""Draw a laid-out swimlane grid as inline SVG: lanes, nodes and edges, nothing computed here.

The drawing is one line of HTML (a Markdown HTML block ends at a blank line) and depends only on
the layout: the same handbook gives the same bytes. Every handbook string passes `svg_text`.
Colours come from classes styled by the site's CSS with Material's variables; the presentation
attributes written here (`currentColor`, a translucent band) are what a page without that CSS
shows, readable on light and dark backgrounds alike.

The structure is a public contract (tests and site styling rely on it):
lanes `<g data-lane>`, nodes `<g data-step data-kind>` or `<g data-sop>` holding the link,
edges `<g data-edge="<from>-><to>" data-kind>` drawn with a `path`.

Links use `xlink:href`, which every browser follows like `href`: Material's instant navigation
rewrites every element matching `[href]` by assigning its `href` property, which an SVG link
only has as a read-only object (the assignment throws).
"""

from __future__ import annotations

from sopkit.layout.grid import (
    ARROW,
    FONT,
    INSET,
    Box,
    Layout,
    PlacedEdge,
    PlacedLane,
    PlacedNode,
    Point,
    TextLine,
)
from sopkit.render.escape import svg_text
from sopkit.render.svg import number

XLINK = "http://www.w3.org/1999/xlink"


def diagram_svg(layout: Layout, title: str, description: str, kind: str) -> str:
    """The `<svg>` element of `layout`, at its natural size (one user unit is one CSS pixel,
    so text is never drawn below 12 px); `kind` names the diagram in a class."""
    width, height = number(layout.width), number(layout.height)
    # An image's content is one picture to assistive technology: its links would be lost. A
    # diagram with links is a group (named by its title), whose links are read and followed.
    linked = any(n.spec.href is not None for n in layout.nodes) or any(
        lane.spec.href for lane in layout.lanes
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" class="sopkit-diagram__svg '
        f'sopkit-diagram__svg--{kind}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="{"group" if linked else "img"}" '
        f'font-size="{FONT}">',
        f"<title>{svg_text(title)}</title>",
        f"<desc>{svg_text(description)}</desc>",
        '<g class="sopkit-lanes">',
        *(_lane(lane, index, layout.header_height) for index, lane in enumerate(layout.lanes)),
        '</g><g class="sopkit-edges">',
        *(_edge(edge) for edge in layout.edges),
        '</g><g class="sopkit-nodes">',
        *(_node(node) for node in layout.nodes),
        "</g></svg>",
    ]
    return "".join(parts)


def _lane(lane: PlacedLane, index: int, header_height: float) -> str:
    band = lane.band
    head = Box(band.x, band.y, band.w, header_height)
    texts = "".join(_text(line, "sopkit-lane__title") for line in lane.header)
    if lane.cut:
        texts = f"<title>{svg_text(lane.spec.title)}</title>{texts}"
    if lane.spec.href:
        texts = f'<a xlink:href="{svg_text(lane.spec.href)}">{texts}</a>'
    parity = "even" if index % 2 == 0 else "odd"
    return (
        f'<g class="sopkit-lane sopkit-lane--{parity}" data-lane="{svg_text(lane.spec.key)}">'
        f'<rect class="sopkit-lane__band" {_rect(band)} fill="currentColor" '
        f'fill-opacity="{"0.03" if parity == "even" else "0.07"}" stroke="currentColor" '
        f'stroke-opacity="0.2"/>'
        f'<rect class="sopkit-lane__head" {_rect(head)} fill="currentColor" '
        f'fill-opacity="0.08"/>{texts}</g>'
    )


def _node(node: PlacedNode) -> str:
    spec = node.spec
    classes = f"sopkit-node sopkit-node--{spec.shape}" + (" critical" if spec.critical else "")
    attrs = "".join(f' {name}="{svg_text(value)}"' for name, value in spec.attrs)
    inner = f"<title>{svg_text(spec.tooltip)}</title>{_shape(node)}" + "".join(
        _text(line, "sopkit-node__meta" if i >= node.meta_from else "sopkit-node__title")
        for i, line in enumerate(node.lines)
    )
    if spec.href is not None:
        inner = f'<a xlink:href="{svg_text(spec.href)}">{inner}</a>'
    return f'<g class="{classes}"{attrs}>{inner}</g>'


def _shape(node: PlacedNode) -> str:
    box = node.box
    width = "3" if node.spec.critical else "1.5"
    paint = f'fill="none" stroke="currentColor" stroke-width="{width}"'
    if node.spec.shape == "approval":
        # Pointed left and right ends: an approval reads apart from a task without colour.
        mid = box.y + box.h / 2
        points = [
            Point(box.x + INSET, box.y),
            Point(box.right - INSET, box.y),
            Point(box.right, mid),
            Point(box.right - INSET, box.bottom),
            Point(box.x + INSET, box.bottom),
            Point(box.x, mid),
        ]
        return f'<polygon class="sopkit-node__shape" points="{_points(points)}" {paint}/>'
    if node.spec.shape == "decision":
        c = box.centre
        points = [
            Point(c.x, box.y),
            Point(box.right, c.y),
            Point(c.x, box.bottom),
            Point(box.x, c.y),
        ]
        return f'<polygon class="sopkit-node__shape" points="{_points(points)}" {paint}/>'
    radius = "2" if node.spec.shape == "folder" else "6"
    return f'<rect class="sopkit-node__shape" {_rect(box)} rx="{radius}" {paint}/>'


def _edge(edge: PlacedEdge) -> str:
    spec = edge.spec
    classes = "sopkit-edge" + (" sopkit-edge--dashed" if spec.dashed else "")
    classes += " critical" if spec.critical else ""
    width = "2.5" if spec.critical else "1.5"
    dash = ' stroke-dasharray="5 4"' if spec.dashed else ""
    path = "M" + " L".join(f"{number(p.x)} {number(p.y)}" for p in edge.points)
    label = _text(edge.label, "sopkit-edge__label") if edge.label else ""
    return (
        f'<g class="{classes}" data-edge="{svg_text(spec.source)}-&gt;{svg_text(spec.target)}" '
        f'data-kind="{svg_text(spec.kind)}">'
        f'<path class="sopkit-edge__line" d="{path}" fill="none" stroke="currentColor" '
        f'stroke-width="{width}"{dash}/>'
        f'<path class="sopkit-edge__head" d="{_arrowhead(edge.points)}" fill="currentColor"/>'
        f"{label}</g>"
    )


def _arrowhead(points: tuple[Point, ...]) -> str:
    tip, before = points[-1], points[-2]
    dx, dy = tip.x - before.x, tip.y - before.y
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    ux, uy = dx / length, dy / length
    base = Point(tip.x - ux * ARROW, tip.y - uy * ARROW)
    half = ARROW / 2
    left = Point(base.x - uy * half, base.y + ux * half)
    right = Point(base.x + uy * half, base.y - ux * half)
    return (
        f"M{number(tip.x)} {number(tip.y)} L{number(left.x)} {number(left.y)} "
        f"L{number(right.x)} {number(right.y)} Z"
    )


def _text(line: TextLine, css: str) -> str:
    return (
        f'<text class="{css}" x="{number(line.x)}" y="{number(line.y)}" '
        f'text-anchor="{line.anchor}" fill="currentColor">{svg_text(line.text)}</text>'
    )


def _rect(box: Box) -> str:
    return (
        f'x="{number(box.x)}" y="{number(box.y)}" width="{number(box.w)}" height="{number(box.h)}"'
    )


def _points(points: list[Point]) -> str:
    return " ".join(f"{number(p.x)},{number(p.y)}" for p in points)
