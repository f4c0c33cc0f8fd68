"""The network page's view of the channels, computed once and kept until the data changes.

A request reads the data's marks (`store.network.network_marks`: indexes, counts and the sources table)
and gets the kept view while they are unchanged. When posts arrive, the request still gets the kept view
at once, marked as being updated, while a thread computes the new one from counts made in the database; a
new view starts no sooner after the last than a few times what that one took, so a monitor writing posts all
the time does not keep a core busy with the network. Only the first request, when nothing is kept, waits:
`watchfloor serve` starts that computation as it starts and lets a request wait a moment for it
(``first_wait``), then answers that the view is being computed. The embedding centroids come from each source's sums,
kept by the store as posts are analysed; the image hashes, which need every image of a source, are read again
only for the sources whose posts changed.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from watchfloor.network.graph import build_graph
from watchfloor.network.layout import drawn_nodes, force_layout
from watchfloor.network.returns import Return, find_returns
from watchfloor.store.base import Connection, Engine
from watchfloor.store.network import (
    NetworkMarks,
    affiliation_days,
    centroid,
    changed_sources,
    image_hashes,
    network_marks,
    source_profiles,
)
from watchfloor.store.source_vectors import source_sums

log = logging.getLogger(__name__)
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
    updating: bool = False  # the data changed since: a newer view is being computed

    @property
    def left_out(self) -> int:
        """Nodes of the graph that the drawing leaves out."""
        return int(self.graph.number_of_nodes()) - len(self.positions)


class NetworkCache:
    """The last view computed and the marks of the data it was computed from, with each source's images (kept
    between views so that only changed sources are read again; the embedding sums are kept by the store). One
    per web app; thread-safe: at most one computation at a time, in a thread of its own.

    ``first_wait``: how long a request waits for the first view (None: until it is computed; 0: not at all).
    ``spacing``: a new view starts no sooner than this many times the last one's computing time after it ended.
    """

    def __init__(self, engine: Engine, drawn: int = DRAWN, first_wait: float | None = None,
                 spacing: float = 4.0) -> None:
        self.engine = engine
        self.drawn = drawn
        self.first_wait = first_wait
        self.spacing = spacing
        self._ended = 0.0  # time.monotonic() when the last computation ended
        self._took = 0.0  # and how long it took
        self._lock = threading.Lock()  # guards the view, its marks and the refreshing thread (one at a time)
        self._view: NetworkView | None = None
        self._marks: NetworkMarks | None = None
        self._refresh: threading.Thread | None = None
        self._content: NetworkMarks | None = None  # the marks the images below were read at
        self._images: dict[str, set[str]] = {}
        self.computed = 0  # views computed, for tests and the benchmark

    def view(self, conn: Connection) -> NetworkView | None:
        """The kept view; marked as updating (and a newer one started) when the data changed since. None when
        no view is kept yet and the first one took longer than ``first_wait`` (it goes on in the background)."""
        marks = network_marks(conn)
        with self._lock:
            view, kept = self._view, self._marks
        if view is None:  # the first view: computed in the thread, the request waits for it up to first_wait
            self.warm()
            self.settle(self.first_wait)
            return self._view
        if marks == kept:
            return view
        self.warm()
        return dataclasses.replace(view, updating=True)

    def warm(self) -> None:
        """Start computing a view of the data now in a thread, unless one is being computed (`watchfloor serve`
        calls it as it starts, so that the first request finds the view kept)."""
        with self._lock:
            if self._refresh is None or not self._refresh.is_alive():
                self._refresh = threading.Thread(target=self._refresh_now, daemon=True, name="network-view")
                self._refresh.start()

    def settle(self, timeout: float | None = None) -> None:
        """Wait for the view being computed, if any (for tests and the benchmark)."""
        with self._lock:
            refresh = self._refresh
        if refresh is not None:
            refresh.join(timeout)

    def _refresh_now(self) -> None:
        try:
            pause = self._ended + self.spacing * self._took - time.monotonic()
            if pause > 0:  # the posts that arrive meanwhile are in the next view
                time.sleep(pause)
            with self.engine.connect() as conn:
                marks = network_marks(conn)
            if self._marks != marks:
                self._compute(marks)
        except Exception:  # the kept view stays; the next request tries again
            log.exception("the network view could not be computed")

    def _refresh_images(self, conn: Connection, marks: NetworkMarks) -> None:
        """Read the images again for the sources whose posts changed (all of them at first, when a source was
        added, removed or renamed, and when files were archived or hashed)."""
        old = self._content
        if old is None or old.sources != marks.sources or old.posts > marks.posts or old.media != marks.media:
            self._images = image_hashes(conn)
        else:
            changed = changed_sources(conn, old)
            for key in changed:
                self._images.pop(key, None)
            if changed:
                self._images.update(image_hashes(conn, changed))
        self._content = marks

    def _compute(self, marks: NetworkMarks) -> None:
        started = time.perf_counter()
        with self.engine.connect() as conn:
            self._refresh_images(conn, marks)
            profiles = source_profiles(conn, content=False)
            sums = source_sums(conn)  # kept as posts are analysed: a row per source
            for key, profile in profiles.items():
                if key in sums:
                    profile.centroid = centroid(sums[key][0])
                profile.images = self._images.get(key, set())
            graph = build_graph(conn, profiles)
            returns = find_returns(conn, profiles=profiles)
            activity = affiliation_days(conn)
        members: dict[int, list[str]] = {}
        for node, data in graph.nodes(data=True):
            members.setdefault(int(data.get("community", 0)), []).append(str(data.get("label", node)))
        groups = [sorted(members[c]) for c in sorted(members)]  # communities() numbers them largest first
        edges = sorted(graph.edges(data=True), key=lambda e: -e[2]["weight"])[:STRONGEST]
        positions = force_layout(graph, drawn_nodes(graph, self.drawn))
        view = NetworkView(graph, groups, returns, activity, edges, positions, time.perf_counter() - started)
        with self._lock:
            self._view, self._marks = view, marks
            self.computed += 1
            self._ended, self._took = time.monotonic(), view.seconds
