"""The network page's view of the channels, computed once and kept until the data changes.

A request reads a fingerprint of the data (`store.network.network_fingerprint`: indexes and the sources
table) and gets the kept view while it is unchanged. When posts arrive the view is computed again from
counts made in the database; the embedding centroids and image hashes, the only parts that need every
post of a source, are read again only for the sources whose posts changed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from watchfloor.network.graph import build_graph
from watchfloor.network.layout import drawn_nodes, force_layout
from watchfloor.network.returns import Return, find_returns
from watchfloor.store.base import Connection
from watchfloor.store.network import (
    SourceVersion,
    affiliation_days,
    centroid,
    embedding_sums,
    image_hashes,
    network_fingerprint,
    source_profiles,
    source_versions,
)

__all__ = ["NetworkView", "NetworkCache", "DRAWN", "STRONGEST"]

DRAWN = 120  # nodes in the drawing; more is a hairball at 900 x 560 (the rest are listed on the page)
STRONGEST = 50  # links in the table of strongest links


@dataclass(frozen=True)
class NetworkView:
    """What the network page shows: the graph, its communities' labels (largest first), possible returns,
    posts per day by affiliation, the strongest links, and the drawn nodes' positions in [0, 1]²."""

    graph: nx.DiGraph
    groups: list[list[str]]
    returns: list[Return]
    activity: dict[str, list[tuple[date, int]]]
    edges: list[tuple[str, str, dict[str, Any]]]
    positions: dict[str, tuple[float, float]]
    seconds: float  # how long computing it took

    @property
    def left_out(self) -> int:
        """Nodes of the graph that the drawing leaves out."""
        return int(self.graph.number_of_nodes()) - len(self.positions)


class NetworkCache:
    """The last view computed, its fingerprint, and each source's embedding sum and images (kept between
    views so that only changed sources are read again). One per web app; thread-safe."""

    def __init__(self, drawn: int = DRAWN) -> None:
        self.drawn = drawn
        self._lock = threading.Lock()
        self._fingerprint: Any = None
        self._view: NetworkView | None = None
        self._versions: dict[str, SourceVersion] = {}
        self._sums: dict[str, tuple[Any, int]] = {}
        self._images: dict[str, set[str]] = {}
        self._media: Any = None
        self.computed = 0  # views computed, for tests and the benchmark

    def view(self, conn: Connection) -> NetworkView:
        """The kept view while the data is unchanged, else a new one."""
        fingerprint = network_fingerprint(conn)
        with self._lock:
            if self._view is None or fingerprint != self._fingerprint:
                self._view = self._compute(conn, fingerprint[1])
                self._fingerprint = fingerprint
                self.computed += 1
            return self._view

    def _refresh_content(self, conn: Connection, media_mark: Any) -> None:
        """Read the embeddings and images again for the sources whose posts changed (all of them at first)."""
        versions = source_versions(conn)
        changed = {key for key, version in versions.items() if self._versions.get(key) != version}
        gone = set(self._versions) - set(versions)
        everything = not self._versions or len(changed) > len(versions) // 2
        if everything:
            self._sums = {}
        for key in changed | gone:
            self._sums.pop(key, None)
        self._sums.update(embedding_sums(conn, None if everything else changed))
        if everything or media_mark != self._media:
            self._images = image_hashes(conn)
        else:
            for key in changed | gone:
                self._images.pop(key, None)
            self._images.update(image_hashes(conn, changed))
        self._versions, self._media = versions, media_mark

    def _compute(self, conn: Connection, media_mark: Any) -> NetworkView:
        started = time.perf_counter()
        self._refresh_content(conn, media_mark)
        profiles = source_profiles(conn, content=False)
        for key, profile in profiles.items():
            if key in self._sums:
                profile.centroid = centroid(self._sums[key][0])
            profile.images = self._images.get(key, set())
        graph = build_graph(conn, profiles)
        members: dict[int, list[str]] = {}
        for node, data in graph.nodes(data=True):
            members.setdefault(int(data.get("community", 0)), []).append(str(data.get("label", node)))
        groups = [sorted(members[c]) for c in sorted(members)]  # communities() numbers them largest first
        edges = sorted(graph.edges(data=True), key=lambda e: -e[2]["weight"])[:STRONGEST]
        positions = force_layout(graph, drawn_nodes(graph, self.drawn))
        return NetworkView(graph, groups, find_returns(conn, profiles=profiles), affiliation_days(conn), edges,
                           positions, time.perf_counter() - started)
