"""Graph facts: cycles, topological order and chains of SOPs (the schedule is in `schedule`)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence


def find_cycle(nodes: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle as the list of its nodes in order, or None. `edges[n]` are n's predecessors."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for start in nodes:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            preds = [p for p in edges.get(node, ()) if p in edges or p in nodes]
            if index < len(preds):
                stack[-1] = (node, index + 1)
                nxt = preds[index]
                if state.get(nxt) == 1:
                    cycle = list(reversed(trail[trail.index(nxt) :]))
                    # Start at the node written first, so the message is stable.
                    rank = {node: i for i, node in enumerate(nodes)}
                    first = min(range(len(cycle)), key=lambda i: rank.get(cycle[i], len(rank)))
                    return cycle[first:] + cycle[:first]
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    trail.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                trail.pop()
    return None


def topological_order(
    nodes: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    key: Callable[[str], object] | None = None,
) -> list[str]:
    """Nodes so that every predecessor comes first; ties keep `key` (default: input) order.

    Nodes on a cycle are appended at the end in input order, so nothing is lost.
    """
    rank = {node: index for index, node in enumerate(nodes)}
    sort_key: Callable[[str], object] = key or (lambda node: rank[node])
    known = set(nodes)
    indegree = {node: 0 for node in nodes}
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for node in nodes:
        for pred in dict.fromkeys(edges.get(node, ())):
            if pred in known and pred != node:
                indegree[node] += 1
                successors[pred].append(node)
    order: list[str] = []
    heap = [(_Key(sort_key(n)), n) for n in nodes if indegree[n] == 0]
    heapq.heapify(heap)
    while heap:
        _, node = heapq.heappop(heap)
        order.append(node)
        for succ in successors[node]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                heapq.heappush(heap, (_Key(sort_key(succ)), succ))
    placed = set(order)
    order.extend(node for node in nodes if node not in placed)
    return order


class _Key:
    """Wraps an arbitrary sort key so heapq can compare it."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __lt__(self, other: _Key) -> bool:
        return self.value < other.value  # type: ignore[operator, no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


def successors_of(nodes: Iterable[str], after: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Invert `after`: for each node, the nodes that wait for it, in input order."""
    result: dict[str, list[str]] = {node: [] for node in nodes}
    for node in result:
        for pred in after.get(node, ()):
            if pred in result:
                result[pred].append(node)
    return result


Path = tuple[str, ...]


def maximal_paths(
    nodes: Sequence[str], successors: Mapping[str, Sequence[str]], limit: int
) -> tuple[list[tuple[Path, str | None]], bool]:
    """Every maximal simple path of two or more nodes, each with the node it loops back to.

    Paths start at nodes with successors and no predecessor; then, for the nodes no such start
    reaches, at the first (in `nodes` order) that lies on a cycle, until every linked node is
    reached, so a cycle is listed once rather than once per rotation. A path branches at every
    successor and ends at a node whose successors are all on it already (it loops back to the
    first of them) or that has none (None). Successors outside `nodes` and self-links are
    ignored. At most `limit` paths; the flag is False when more exist.
    """
    known = set(nodes)
    succ = {
        node: [n for n in dict.fromkeys(successors.get(node, ())) if n in known and n != node]
        for node in nodes
    }
    targets = {n for nexts in succ.values() for n in nexts}
    linked = [node for node in nodes if node in targets or succ[node]]
    found: dict[Path, str | None] = {}
    reached: set[str] = set()

    def walk(start: str) -> bool:
        stack: list[Path] = [(start,)]
        while stack:
            path = stack.pop()
            reached.add(path[-1])
            onward = [n for n in succ[path[-1]] if n not in path]
            if onward:
                stack.extend((*path, n) for n in reversed(onward))
                continue
            if len(path) < 2 or path in found:
                continue
            if len(found) >= limit:
                return False
            back = [n for n in succ[path[-1]] if n in path]
            found[path] = back[0] if back else None
        return True

    for start in linked:
        if start not in targets and not walk(start):
            return list(found.items()), False
    for start in linked:
        if start not in reached and _on_cycle(start, succ) and not walk(start):
            return list(found.items()), False
    return list(found.items()), True


def _on_cycle(node: str, succ: Mapping[str, Sequence[str]]) -> bool:
    """Whether `node` can reach itself."""
    seen: set[str] = set()
    todo = list(succ[node])
    while todo:
        current = todo.pop()
        if current == node:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(succ[current])
    return False
