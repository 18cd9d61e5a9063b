"""The lifecycle map: every SOP in its phase's lane, with `next` and `requires` links.

Lanes are the phases that have SOPs, in the configured order (phases an SOP names that are not
configured come last). Within a lane, SOPs stack one per row in the order given (the callers
pass them in reading order: after the SOPs they require), so every lane is one column of boxes
as wide as the column allows. A `next` edge runs from an SOP to the one it hands
over to; a `requires` edge from the required SOP to the one that requires it (dashed); a
`calls` edge, labelled "runs", from an SOP to one its steps run as a sub-procedure (format 1.2).

A map with more SOPs than `detail_limit` no longer draws one box per SOP: it draws one box per
folder of each phase ("Content: 14 SOPs"), linked to that phase's list, with the links between
folders; so a 200-SOP handbook still gets a map a reader can follow.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sopkit.labels import ENGLISH, Labels
from sopkit.layout.grid import EdgeInput, LaneInput, Layout, NodeInput, layout_grid
from sopkit.model import Sop

DETAIL_LIMIT = 40
CALL_LABEL = "runs"


@dataclass(frozen=True)
class Group:
    """The SOPs of one folder within one phase, drawn as one box on a large map."""

    key: str
    phase: str
    folder: str
    sops: tuple[Sop, ...]


def phase_title(phase: str, t: Labels = ENGLISH) -> str:
    return t.phase(phase)


def folder_of(sop: Sop, sops_dir: str) -> str:
    """The folder of an SOP below the SOP folder (`content` for sops/content/x.md), or ""."""
    parent = posixpath.dirname(sop.file)
    base = sops_dir.strip("/")
    if parent == base:
        return ""
    rest = parent[len(base) + 1 :] if parent.startswith(base + "/") else parent
    return rest.split("/")[0]


def lifecycle_lanes(sops: Sequence[Sop], phases: Sequence[str]) -> list[str]:
    order = list(dict.fromkeys(phases))
    for sop in sops:
        if sop.phase not in order:
            order.append(sop.phase)
    used = {sop.phase for sop in sops}
    return [phase for phase in order if phase in used]


def lifecycle_layout(
    sops: Sequence[Sop],
    phases: Sequence[str],
    sop_href: Callable[[Sop], str] | None = None,
    phase_href: Callable[[str], str | None] | None = None,
    t: Labels = ENGLISH,
) -> Layout:
    """One box per SOP (`data-sop`), in its phase's lane."""
    unique: dict[str, Sop] = {}
    for sop in sops:
        unique.setdefault(sop.id, sop)
    items = list(unique.values())
    lane_keys = lifecycle_lanes(items, phases)
    lane_index = {phase: i for i, phase in enumerate(lane_keys)}
    edges = _sop_edges(items)
    ranks = _stacked([(s.id, s.phase) for s in items])
    nodes = [
        NodeInput(
            key=sop.id,
            lane=lane_index[sop.phase],
            rank=ranks[sop.id],
            shape="sop",
            title=sop.title,
            href=sop_href(sop) if sop_href is not None else None,
            tooltip=" ".join(sop.title.split()),
            attrs=(("data-sop", sop.id),),
        )
        for sop in items
    ]
    lanes = [_lane(phase, phase_href, t) for phase in lane_keys]
    return layout_grid(lanes, nodes, edges)


def folder_groups(sops: Sequence[Sop], sops_dir: str) -> list[Group]:
    groups: dict[tuple[str, str], list[Sop]] = {}
    for sop in sops:
        groups.setdefault((sop.phase, folder_of(sop, sops_dir)), []).append(sop)
    return [
        Group(f"{phase}/{folder}", phase, folder, tuple(members))
        for (phase, folder), members in groups.items()
    ]


TOOLTIP_SOPS = 10
"""The SOP titles a folder box's tooltip names; the box links to the page that lists them all."""


def folder_tooltip(group: Group, t: Labels = ENGLISH) -> str:
    """The box's title and its first `TOOLTIP_SOPS` SOPs, then how many more there are: a
    folder of a large handbook would otherwise carry every title of the folder into the map."""
    titles = ", ".join(s.title for s in group.sops[:TOOLTIP_SOPS])
    more = len(group.sops) - TOOLTIP_SOPS
    if more > 0:
        titles = t("diagram.folder_more", n=more, titles=titles)
    return folder_title(group, t) + ": " + titles


def folder_title(group: Group, t: Labels = ENGLISH) -> str:
    name = group.folder.replace("-", " ").replace("_", " ").strip() or t("diagram.other_sops")
    sops = t("count.sops", n=len(group.sops))
    return t("diagram.folder_box", folder=name[:1].upper() + name[1:], sops=sops)


def collapsed_lifecycle_layout(
    sops: Sequence[Sop],
    phases: Sequence[str],
    sops_dir: str,
    group_href: Callable[[Group], str | None] | None = None,
    phase_href: Callable[[str], str | None] | None = None,
    t: Labels = ENGLISH,
) -> Layout:
    """One box per folder and phase (`data-folder`, `data-count`), with the links between them."""
    unique: dict[str, Sop] = {}
    for sop in sops:
        unique.setdefault(sop.id, sop)
    items = list(unique.values())
    groups = folder_groups(items, sops_dir)
    group_of = {sop.id: g.key for g in groups for sop in g.sops}
    lane_keys = lifecycle_lanes(items, phases)
    lane_index = {phase: i for i, phase in enumerate(lane_keys)}
    edges: list[EdgeInput] = []
    seen: set[tuple[str, str, str]] = set()
    for edge in _sop_edges(items):
        a, b = group_of[edge.source], group_of[edge.target]
        if a != b and (a, b, edge.kind) not in seen:
            seen.add((a, b, edge.kind))
            edges.append(EdgeInput(a, b, edge.kind, dashed=edge.dashed))
    ranks = _stacked([(g.key, g.phase) for g in groups])
    nodes = [
        NodeInput(
            key=group.key,
            lane=lane_index[group.phase],
            rank=ranks[group.key],
            shape="folder",
            title=folder_title(group, t),
            href=group_href(group) if group_href is not None else None,
            tooltip=folder_tooltip(group, t),
            attrs=(
                ("data-folder", group.folder),
                ("data-phase", group.phase),
                ("data-count", str(len(group.sops))),
            ),
        )
        for group in groups
    ]
    lanes = [_lane(phase, phase_href, t) for phase in lane_keys]
    return layout_grid(lanes, nodes, edges)


def _lane(
    phase: str, phase_href: Callable[[str], str | None] | None, t: Labels = ENGLISH
) -> LaneInput:
    return LaneInput(phase, phase_title(phase, t), phase_href(phase) if phase_href else None)


def _sop_edges(sops: Sequence[Sop]) -> list[EdgeInput]:
    """`next` links in SOP order, then `requires` links, to SOPs of the map only."""
    known = {sop.id for sop in sops}
    edges = [
        EdgeInput(sop.id, target, "next")
        for sop in sops
        for target in dict.fromkeys(sop.next)
        if target in known and target != sop.id
    ]
    # A hand-over that is also a "read first" is drawn once, as the hand-over.
    handed = {(edge.source, edge.target) for edge in edges}
    edges += [
        EdgeInput(required, sop.id, "requires", dashed=True)
        for sop in sops
        for required in dict.fromkeys(sop.requires)
        if required in known and required != sop.id and (required, sop.id) not in handed
    ]
    # Sub-procedures (format 1.2): an SOP whose step runs another, labelled so it reads apart
    # from a hand-over without colour.
    edges += [
        EdgeInput(sop.id, called, "calls", CALL_LABEL)
        for sop in sops
        for called in sop.calls()
        if called in known and called != sop.id
    ]
    return edges


def _stacked(items: list[tuple[str, str]]) -> dict[str, int]:
    """Rank = position among the items of the same phase."""
    seen: dict[str, int] = {}
    ranks = {}
    for key, phase in items:
        ranks[key] = seen.get(phase, 0)
        seen[phase] = ranks[key] + 1
    return ranks
