"""The graph of channels: sources and the channels they forward from or name, with Louvain communities.

Edges run from a source to the channel it forwards from or names (`@handle`, t.me links). A target is
one of our sources when its channel id, handle or name matches one; otherwise it is an outside channel
node. Communities are Louvain communities of the undirected weighted graph (seeded, so stable).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from watchfloor.ids import is_id
from watchfloor.store.base import Connection
from watchfloor.store.network import SourceProfile, source_profiles

__all__ = ["build_graph", "communities", "resolve_target", "Resolver"]


class Resolver:
    """Resolves origins and handles to node ids through three indexes, in place of a scan of every source
    per origin: the answer is the first source (in ``profiles``' order) that matches by channel id, handle
    or name, as a scan would give."""

    def __init__(self, profiles: Mapping[str, SourceProfile]) -> None:
        self.keys = [profile.key for profile in profiles.values()]
        self.by_id: dict[int, int] = {}
        self.by_handle: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for index, profile in enumerate(profiles.values()):
            if profile.channel_id is not None:
                self.by_id.setdefault(profile.channel_id, index)
            if profile.handle:
                self.by_handle.setdefault(profile.handle.lower(), index)
            if profile.name:
                self.by_name.setdefault(profile.name.strip().lower(), index)

    def __call__(self, origin: str) -> str:
        cleaned = origin.strip()
        lowered = cleaned.lower().lstrip("@")
        digits = lowered.removeprefix("channel")
        found = [self.by_handle.get(lowered), self.by_name.get(cleaned.lower())]
        if is_id(digits):
            found.append(self.by_id.get(int(digits)))
        matches = [index for index in found if index is not None]
        return self.keys[min(matches)] if matches else f"ext:{lowered}"


def resolve_target(origin: str, profiles: Mapping[str, SourceProfile]) -> str:
    """The node id of a forward's origin or a named handle: a source key when it is ours, else `ext:...`."""
    return Resolver(profiles)(origin)


def build_graph(conn: Connection, profiles: Mapping[str, SourceProfile] | None = None) -> nx.DiGraph:
    """Sources and the outside channels they forward or name, with weighted forward/mention edges (from
    ``profiles`` when the caller has them already)."""
    profiles = source_profiles(conn, content=False) if profiles is None else profiles
    resolve = Resolver(profiles)
    graph = nx.DiGraph()
    for profile in profiles.values():
        graph.add_node(profile.key, label=profile.name or profile.key, kind="source", posts=profile.posts,
                       affiliation=profile.affiliation or "")
    for profile in profiles.values():
        for relation, counter in (("forward", profile.forwards), ("mention", profile.mentions)):
            for origin, count in counter.items():
                target = resolve(origin)
                if target == profile.key:
                    continue
                if target not in graph:
                    graph.add_node(target, label=target.removeprefix("ext:"), kind="outside", posts=0,
                                   affiliation="")
                if graph.has_edge(profile.key, target):
                    data = graph.edges[profile.key, target]
                    data["weight"] += count
                    data[relation] = data.get(relation, 0) + count
                else:
                    graph.add_edge(profile.key, target, weight=count, **{relation: count})
    for index, members in enumerate(communities(graph)):
        for node in members:
            graph.nodes[node]["community"] = index
    return graph


def communities(graph: nx.DiGraph) -> list[set[str]]:
    """Louvain communities of the undirected weighted graph, largest first (isolated nodes alone)."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph.to_undirected(), weight="weight", seed=7)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))
