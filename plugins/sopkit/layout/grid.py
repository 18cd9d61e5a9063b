"""A swimlane grid: lanes are columns, ranks are rows, edges run only through the gaps.

Every node sits in one cell (lane, rank); nodes sharing a cell sit side by side in slots. Between
lanes and between ranks lie gutters that hold no node. An edge leaves its source at the bottom,
runs in the rank gutter below it, and enters its target at the top from the rank gutter above
it; when those are different gutters it changes between them in a lane gutter beside the
target's lane. Vertical runs inside a lane stay in the source's or the target's own slot column,
so no edge ever passes through a node that is not one of its ends. Each edge has its own track
(a y in a rank gutter, an x in a lane gutter), so parallel runs never overlap.

The result is plain data (boxes, polylines, text lines with positions): tests assert on it, and
the SVG writer only draws it. The same input gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sopkit.graph import topological_order
from sopkit.layout.text import one_line, text_width, wrap

Shape = Literal["task", "approval", "decision", "sop", "folder"]
Anchor = Literal["start", "middle", "end"]

FONT = 12  # px: the smallest text a reader gets at 100 % zoom
LINE = 15  # px between baselines
BUDGET = 680  # px: the content column of Material at 1280 px, less the diagram's frame
MIN_SLOT = 88  # px: narrowest box when the diagram scrolls anyway (more than six lanes)
MIN_SLOT_FIT = 72  # px: narrowest box while up to six lanes must fit the column
FIT_LANES = 6
MAX_SLOT = 176  # px: widest box; wider boxes only spread the diagram out
PAD = 7  # px: inside a box, above and below the text
TEXT_PAD = 5  # px: inside a box, left and right of the text
INSET = 9  # px: how far an approval's pointed sides reach into its box
LANE_PAD = 4  # px: between a lane's edge and its boxes
SLOT_GAP = 10  # px: between boxes side by side in one cell
TRACK = 6  # px: between parallel edge runs in one gutter
MIN_GUTTER = 14  # px
LABEL_BAND = 16  # px: room for "approved" / "changes requested" under a rank
TITLE_LINES = 3
HEADER_LINES = 2
META_LINES = 2  # per meta text ("with Editor, SEO Specialist" may need two)
STACKED_LABELS = "branch"
"""The edge kind whose labels, several on one node's exits, each get a line of their own."""
ARROW = 7  # px: length of an arrowhead (the writer draws it; the entry run keeps room for it)


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def centre(self) -> Point:
        return Point(self.x + self.w / 2, self.y + self.h / 2)

    def contains(self, point: Point, margin: float = 0.0) -> bool:
        """Whether `point` lies strictly inside the box shrunk by `margin` on every side."""
        return (
            self.x + margin < point.x < self.right - margin
            and self.y + margin < point.y < self.bottom - margin
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text: `y` is the baseline, `x` the anchor point."""

    text: str
    x: float
    y: float
    anchor: Anchor = "middle"


@dataclass(frozen=True)
class LaneInput:
    key: str
    title: str
    href: str | None = None


@dataclass(frozen=True)
class NodeInput:
    """A node to place. `title` wraps over up to three lines; each `meta` line is one line."""

    key: str
    lane: int
    rank: int
    shape: Shape
    title: str
    meta: tuple[str, ...] = ()
    href: str | None = None
    tooltip: str = ""
    critical: bool = False
    attrs: tuple[tuple[str, str], ...] = ()
    """Data attributes of the drawn node (`data-step`, `data-kind`...), in order."""


@dataclass(frozen=True)
class EdgeInput:
    source: str
    target: str
    kind: str
    label: str | None = None
    critical: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class PlacedLane:
    spec: LaneInput
    band: Box
    header: tuple[TextLine, ...]
    cut: bool


@dataclass(frozen=True)
class PlacedNode:
    spec: NodeInput
    slot: int
    box: Box
    lines: tuple[TextLine, ...]
    meta_from: int
    """Index in `lines` of the first meta line (the title's lines come before it)."""
    cut: bool


@dataclass(frozen=True)
class PlacedEdge:
    spec: EdgeInput
    points: tuple[Point, ...]
    label: TextLine | None = None


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    header_height: float
    lanes: tuple[PlacedLane, ...]
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    node_index: dict[str, PlacedNode] = field(default_factory=dict, compare=False)


@dataclass
class _Route:
    edge: EdgeInput
    order: int
    exit_gutter: int
    entry_gutter: int
    lane_gutter: int | None
    exit_port: int = 0
    exit_ports: int = 1
    entry_port: int = 0
    entry_ports: int = 1
    exit_track: int = 0
    entry_track: int = 0
    lane_track: int = 0


def layout_grid(
    lanes: Sequence[LaneInput], nodes: Sequence[NodeInput], edges: Sequence[EdgeInput]
) -> Layout:
    """Place `nodes` in `lanes` by rank and route `edges` between them.

    Every node's lane is an index into `lanes` and its rank is >= 0. Edges whose ends are not
    both among `nodes`, and edges from a node to itself, are left out.
    """
    by_key: dict[str, NodeInput] = {}
    for node in nodes:
        by_key.setdefault(node.key, node)
    nodes = list(by_key.values())
    ranks = max((node.rank for node in nodes), default=-1) + 1

    # Slots: nodes sharing a cell, in input order.
    cells: dict[tuple[int, int], list[NodeInput]] = {}
    for node in nodes:
        cells.setdefault((node.lane, node.rank), []).append(node)
    slot_of = {n.key: i for cell in cells.values() for i, n in enumerate(cell)}
    slots = [1] * len(lanes)
    for (lane, _), cell in cells.items():
        slots[lane] = max(slots[lane], len(cell))

    routes = _routes(edges, by_key)
    _assign_ports(routes, by_key, slot_of)
    rank_tracks, label_gutters = _assign_rank_tracks(routes, ranks)
    lane_tracks = _assign_lane_tracks(routes, len(lanes))

    # Widths: one box width for the whole diagram, as wide as the column allows.
    lane_gutter_w = [max(MIN_GUTTER, TRACK * (count + 1)) for count in lane_tracks]
    fixed = sum(lane_gutter_w) + sum(2 * LANE_PAD + (s - 1) * SLOT_GAP for s in slots)
    narrowest = MIN_SLOT_FIT if len(lanes) <= FIT_LANES else MIN_SLOT
    slot_w = float(min(MAX_SLOT, max(narrowest, (BUDGET - fixed) // max(sum(slots), 1))))
    lane_w = [s * slot_w + (s - 1) * SLOT_GAP + 2 * LANE_PAD for s in slots]
    lane_x: list[float] = []
    x = 0.0
    for index, width in enumerate(lane_w):
        x += lane_gutter_w[index]
        lane_x.append(x)
        x += width
    total_w = x + (lane_gutter_w[len(lanes)] if lanes else MIN_GUTTER)

    # Texts, then heights.
    headers = [
        wrap(lane.title, lane_w[i] + lane_gutter_w[i] - 2 * TEXT_PAD, FONT, HEADER_LINES)
        for i, lane in enumerate(lanes)
    ]
    header_h = 2 * PAD + LINE * max((len(h.lines) for h in headers), default=1)
    texts: dict[str, tuple[tuple[str, ...], int, bool]] = {}
    heights: dict[str, float] = {}
    for node in nodes:
        inner = slot_w - 2 * TEXT_PAD - (2 * INSET if node.shape == "approval" else 0)
        if node.shape == "decision":
            # Text of width w/2 and height h/2 fits inside the diamond drawn in a w x h box.
            inner = slot_w / 2
        title = wrap(node.title, inner, FONT, TITLE_LINES)
        metas = [wrap(m, inner, FONT, META_LINES) for m in node.meta if one_line(m)]
        lines = title.lines + tuple(line for m in metas for line in m.lines)
        texts[node.key] = (lines, len(title.lines), title.cut or any(m.cut for m in metas))
        text_h = LINE * max(len(lines), 1) - (LINE - FONT) + 2
        heights[node.key] = 2 * text_h + PAD if node.shape == "decision" else 2 * PAD + text_h
    row_h = [0.0] * ranks
    for node in nodes:
        row_h[node.rank] = max(row_h[node.rank], heights[node.key])
    gutter_h = [
        max(MIN_GUTTER, LABEL_BAND * label_gutters.get(g, 0) + TRACK * (rank_tracks[g] + 1))
        for g in range(ranks + 1)
    ]
    row_y: list[float] = []
    y = float(header_h)
    for rank in range(ranks):
        y += gutter_h[rank]
        row_y.append(y)
        y += row_h[rank]
    total_h = y + gutter_h[ranks] if ranks else y + MIN_GUTTER
    gutter_y = [header_h if g == 0 else row_y[g - 1] + row_h[g - 1] for g in range(ranks + 1)]

    # Bands: lanes tile the width, the boundary between two lanes in the middle of their gutter.
    placed_lanes = []
    for i, lane_spec in enumerate(lanes):
        left = 0.0 if i == 0 else lane_x[i] - lane_gutter_w[i] / 2
        right = total_w if i == len(lanes) - 1 else lane_x[i] + lane_w[i] + lane_gutter_w[i + 1] / 2
        centre = (left + right) / 2
        header = tuple(
            TextLine(text, centre, PAD + FONT + LINE * n) for n, text in enumerate(headers[i].lines)
        )
        placed_lanes.append(
            PlacedLane(lane_spec, Box(left, 0.0, right - left, total_h), header, headers[i].cut)
        )

    placed: dict[str, PlacedNode] = {}
    for (lane, rank), cell in cells.items():
        spare = (slots[lane] - len(cell)) * (slot_w + SLOT_GAP) / 2
        for slot, node in enumerate(cell):
            height = heights[node.key]
            box = Box(
                lane_x[lane] + LANE_PAD + spare + slot * (slot_w + SLOT_GAP),
                row_y[rank] + (row_h[rank] - height) / 2,
                slot_w,
                height,
            )
            lines, title_count, cut = texts[node.key]
            top = box.y + (box.h - LINE * (len(lines) - 1) - FONT) / 2 + FONT - 1
            text_lines = tuple(
                TextLine(text, box.x + box.w / 2, top + LINE * n) for n, text in enumerate(lines)
            )
            placed[node.key] = PlacedNode(node, slot, box, text_lines, title_count, cut)

    exit_x = {r.order: _port(placed[r.edge.source], r.exit_port, r.exit_ports) for r in routes}
    entry_x = {r.order: _port(placed[r.edge.target], r.entry_port, r.entry_ports) for r in routes}
    _order_rank_tracks(routes, ranks, exit_x, entry_x)
    rank_track_y = [
        [
            gutter_y[g] + LABEL_BAND * label_gutters.get(g, 0) + TRACK * (t + 1)
            for t in range(rank_tracks[g])
        ]
        for g in range(ranks + 1)
    ]
    lane_track_x = [
        _lane_track_positions(
            (lane_x[j] - lane_gutter_w[j]) if j < len(lanes) else total_w - lane_gutter_w[j],
            lane_gutter_w[j],
            lane_tracks[j],
        )
        for j in range(len(lanes) + 1)
    ]
    placed_edges = []
    labelled: set[tuple[str, str]] = set()
    label_line: dict[tuple[str, str], int] = {}
    for route in sorted(routes, key=lambda r: (r.edge.source, r.exit_port)):
        if route.edge.label and route.edge.kind == STACKED_LABELS:
            key = (route.edge.source, route.edge.label)
            taken = {line for (src, _), line in label_line.items() if src == route.edge.source}
            label_line.setdefault(key, len(taken))
    for route in routes:
        source, target = placed[route.edge.source], placed[route.edge.target]
        xs, xt = exit_x[route.order], entry_x[route.order]
        ye = rank_track_y[route.exit_gutter][route.exit_track]
        points = [Point(xs, outline_y(source, xs, bottom=True)), Point(xs, ye)]
        if route.lane_gutter is None:
            points += [Point(xt, ye)]
        else:
            xv = lane_track_x[route.lane_gutter][route.lane_track]
            yn = rank_track_y[route.entry_gutter][route.entry_track]
            points += [Point(xv, ye), Point(xv, yn), Point(xt, yn)]
        points.append(Point(xt, outline_y(target, xt, bottom=False)))
        label = None
        if route.edge.label and (route.edge.source, route.edge.label) not in labelled:
            labelled.add((route.edge.source, route.edge.label))
            # Several labelled exits of one node (a decision's answers) each get their own line.
            line = label_line.get((route.edge.source, route.edge.label), 0)
            baseline = gutter_y[route.exit_gutter] + FONT + 1 + LABEL_BAND * line
            # Left of a port left of the centre, else right of it; never outside the drawing
            # (the measure over-estimates, so a label pushed inward rarely reaches its line).
            width = text_width(route.edge.label, FONT)
            start = xs - 4 - width if xs < source.box.centre.x - 0.5 else xs + 4
            start = max(2.0, min(start, total_w - 2 - width))
            label = TextLine(route.edge.label, round(start, 1), baseline, "start")
        placed_edges.append(PlacedEdge(route.edge, _simplify(points), label))

    ordered = tuple(placed[node.key] for node in nodes)
    return Layout(
        width=total_w,
        height=total_h,
        header_height=float(header_h),
        lanes=tuple(placed_lanes),
        nodes=ordered,
        edges=tuple(placed_edges),
        node_index=placed,
    )


def _routes(edges: Sequence[EdgeInput], nodes: dict[str, NodeInput]) -> list[_Route]:
    routes = []
    for order, edge in enumerate(edges):
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if source is None or target is None or source.key == target.key:
            continue
        exit_gutter, entry_gutter = source.rank + 1, target.rank
        lane_gutter: int | None = None
        if exit_gutter != entry_gutter:
            if source.lane < target.lane:
                lane_gutter = target.lane
            elif source.lane > target.lane:
                lane_gutter = target.lane + 1
            else:
                # Within a lane: long forward edges on the left, loops back up on the right.
                lane_gutter = target.lane if target.rank > source.rank else target.lane + 1
        routes.append(_Route(edge, order, exit_gutter, entry_gutter, lane_gutter))
    return routes


def _assign_ports(
    routes: list[_Route], nodes: dict[str, NodeInput], slot_of: dict[str, int]
) -> None:
    """Spread each node's exits over its bottom and entries over its top, left to right in the
    order of the other end's position; labelled back-loops leave rightmost."""
    outs: dict[str, list[_Route]] = {}
    ins: dict[str, list[_Route]] = {}
    for route in routes:
        outs.setdefault(route.edge.source, []).append(route)
        ins.setdefault(route.edge.target, []).append(route)
    for group in outs.values():
        group.sort(
            key=lambda r: (
                nodes[r.edge.target].rank <= nodes[r.edge.source].rank,
                nodes[r.edge.target].lane,
                slot_of[r.edge.target],
                r.order,
            )
        )
        for index, route in enumerate(group):
            route.exit_port, route.exit_ports = index, len(group)
    for group in ins.values():
        group.sort(
            key=lambda r: (
                nodes[r.edge.source].rank >= nodes[r.edge.target].rank,
                nodes[r.edge.source].lane,
                slot_of[r.edge.source],
                r.order,
            )
        )
        for index, route in enumerate(group):
            route.entry_port, route.entry_ports = index, len(group)


def _assign_rank_tracks(routes: list[_Route], ranks: int) -> tuple[list[int], dict[int, int]]:
    """A track per edge in each rank gutter it runs in: exits first (nearest their sources),
    then edges that run straight through, then entries (nearest their targets), so an exit's
    drop and an entry's drop in one column can never overlap. Also the lines of labels each
    gutter needs: the most different labels on the exits of one node."""
    groups: list[list[tuple[int, int, _Route, str]]] = [[] for _ in range(ranks + 1)]
    texts: dict[tuple[int, str], set[str]] = {}
    labels: dict[int, int] = {}
    for route in routes:
        if route.edge.label:
            labels[route.exit_gutter] = 1
            if route.edge.kind == STACKED_LABELS:
                key = (route.exit_gutter, route.edge.source)
                texts.setdefault(key, set()).add(route.edge.label)
    for (gutter, _), found in texts.items():
        labels[gutter] = max(labels[gutter], len(found))
    for route in routes:
        if route.lane_gutter is None:
            groups[route.exit_gutter].append((1, route.order, route, "both"))
        else:
            groups[route.exit_gutter].append((0, route.order, route, "exit"))
            groups[route.entry_gutter].append((2, route.order, route, "entry"))
    counts = []
    for group in groups:
        group.sort(key=lambda item: (item[0], item[1]))
        for track, (_, _, route, role) in enumerate(group):
            if role in ("both", "exit"):
                route.exit_track = track
            if role in ("both", "entry"):
                route.entry_track = track
        counts.append(len(group))
    return counts, labels


def _assign_lane_tracks(routes: list[_Route], lanes: int) -> list[int]:
    """A track per vertical run in each lane gutter, shared by runs whose spans of rank gutters
    do not meet (greedy by start: as few tracks as an interval colouring allows)."""
    counts = [0] * (lanes + 1)
    ends: list[list[int]] = [[] for _ in range(lanes + 1)]  # per gutter: last span end per track
    spans = []
    for route in routes:
        if route.lane_gutter is not None:
            low, high = sorted((route.exit_gutter, route.entry_gutter))
            spans.append((route.lane_gutter, low, high, route.order, route))
    for gutter, low, high, _, route in sorted(spans, key=lambda item: item[:4]):
        free = [t for t, end in enumerate(ends[gutter]) if end < low]
        if free:
            route.lane_track = free[0]
            ends[gutter][free[0]] = high
        else:
            route.lane_track = len(ends[gutter])
            ends[gutter].append(high)
        counts[gutter] = len(ends[gutter])
    return counts


def _order_rank_tracks(
    routes: list[_Route], ranks: int, xs: dict[int, float], xt: dict[int, float]
) -> None:
    """Order the tracks of each rank gutter so that no exit's drop (gutter top to its track)
    meets an entry's drop (its track to gutter bottom) in the same column: where one edge leaves
    at the x another enters, the leaving edge gets the higher track. Otherwise exits first, then
    edges that run straight through, then entries."""
    items: list[list[tuple[str, int, _Route, str]]] = [[] for _ in range(ranks + 1)]
    for route in routes:
        if route.lane_gutter is None:
            items[route.exit_gutter].append(("1", route.order, route, "both"))
        else:
            items[route.exit_gutter].append(("0", route.order, route, "exit"))
            items[route.entry_gutter].append(("2", route.order, route, "entry"))
    for group in items:
        group.sort(key=lambda item: (item[0], item[1]))
        names = [f"{item[3]}:{item[1]}" for item in group]
        rank = {name: index for index, name in enumerate(names)}
        preds: dict[str, list[str]] = {name: [] for name in names}
        for a, name_a in zip(group, names, strict=True):
            if a[3] == "entry":
                continue
            for b, name_b in zip(group, names, strict=True):
                if b is not a and b[3] != "exit" and xs[a[2].order] == xt[b[2].order]:
                    preds[name_b].append(name_a)
        order = topological_order(names, preds, key=rank.__getitem__)
        by_name = dict(zip(names, group, strict=True))
        for track, name in enumerate(order):
            _, _, route, role = by_name[name]
            if role in ("both", "exit"):
                route.exit_track = track
            if role in ("both", "entry"):
                route.entry_track = track


def _lane_track_positions(left: float, width: float, count: int) -> list[float]:
    """Tracks evenly inside a lane gutter, never on its middle (where two lane bands meet)."""
    middle = left + width / 2
    positions = []
    for index in range(count):
        step = TRACK / 2 + TRACK * (index // 2)
        positions.append(middle + step if index % 2 == 0 else middle - step)
    return positions


def _port(node: PlacedNode, index: int, count: int) -> float:
    box = node.box
    # A diamond's ports keep off its side corners, so every exit leaves below its middle.
    inset = box.w / 6 if node.spec.shape == "decision" else INSET
    span = box.w - 2 * inset
    return round(box.x + inset + span * (index + 1) / (count + 1), 1)


def outline_y(node: PlacedNode, x: float, bottom: bool) -> float:
    """Where a vertical line at `x` meets the node's outline: the bottom or top of its box, or
    of the diamond drawn in it for a decision."""
    box = node.box
    if node.spec.shape != "decision":
        return box.bottom if bottom else box.y
    reach = box.h / 2 * (1 - abs(x - box.centre.x) / (box.w / 2))
    return round(box.centre.y + reach if bottom else box.centre.y - reach, 1)


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Drop repeated points and middle points of straight runs."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2:
            a, b = kept[-2], kept[-1]
            if (a.x == b.x == point.x) or (a.y == b.y == point.y):
                kept[-1] = point
                continue
        kept.append(point)
    return tuple(kept)


def text_fits(line: TextLine, width: float) -> bool:
    """Whether a measured line is no wider than `width` (for tests)."""
    return text_width(line.text, FONT) <= width
