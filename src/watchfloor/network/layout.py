"""Where to draw each node: a seeded force-directed layout (Fruchterman and Reingold) in numpy.

networkx's `spring_layout` switches to scipy's sparse matrices at 500 nodes, and scipy is not a
dependency; this one is dense, O(n²) a step, for the few hundred nodes a drawing can show (the page
draws the most linked channels and lists the rest). Deterministic: the same graph gives the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np

__all__ = ["drawn_nodes", "force_layout"]


def drawn_nodes(graph: nx.DiGraph, limit: int) -> list[str]:
    """The ``limit`` nodes to draw: the most linked (forwards and mentions in and out), then the most
    active, then by id; all of them when there are no more than ``limit``."""
    def rank(node: str) -> tuple[float, int, str]:
        return (-float(graph.degree(node, weight="weight")), -int(graph.nodes[node].get("posts", 0)), node)
    return sorted(graph.nodes, key=rank)[:max(limit, 0)]


def force_layout(graph: nx.DiGraph, nodes: Sequence[str], iterations: int = 120,
                 seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for ``nodes`` from the undirected weighted edges among them; a little gravity
    keeps unconnected nodes on the page."""
    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.5, 0.5)}
    index = {node: i for i, node in enumerate(nodes)}
    weights = np.zeros((count, count))
    for a, b, data in graph.subgraph(nodes).edges(data=True):
        weight = float(data.get("weight", 1))
        weights[index[a], index[b]] += weight
        weights[index[b], index[a]] += weight
    if weights.max() > 0:
        weights = np.log1p(weights) / np.log1p(weights.max())  # one heavy link should not swallow the picture
    position = np.random.default_rng(seed).random((count, 2))
    k = 1.0 / np.sqrt(count)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        force = k * k / distance**2 - weights * distance / k  # repulsion minus attraction, over distance
        displacement = np.einsum("ijk,ij->ik", delta, force)
        displacement -= (position - 0.5) * 0.05 * count**0.5  # gravity towards the middle
        length = np.maximum(np.linalg.norm(displacement, axis=-1), 0.01)
        position += displacement * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    low, high = position.min(axis=0), position.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (position - low) / span
    return {node: (float(scaled[i, 0]), float(scaled[i, 1])) for node, i in index.items()}
