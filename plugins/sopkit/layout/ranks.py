"""Ranks: how far down the flow a node sits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sopkit.graph import topological_order


def longest_chain_ranks(nodes: Sequence[str], preds: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Rank of each node: the length of the longest chain of predecessors leading to it.

    A start node (no known predecessor) has rank 0. A link that would close a cycle is ignored,
    so every node gets a rank and every counted link points to a strictly higher rank.
    """
    ranks: dict[str, int] = {}
    for node in topological_order(nodes, preds):
        earlier = [ranks[p] for p in preds.get(node, ()) if p in ranks and p != node]
        ranks[node] = max(earlier, default=-1) + 1
    return ranks
