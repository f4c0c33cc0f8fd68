"""The network of channels: who forwards and names whom, its communities, and channels that come back
under a new identity.

Edges run from a source to the channel it forwards from or names (`@handle`, t.me links). A target is
one of our sources when its channel id, handle or name matches one; otherwise it is an outside channel
node. Communities are Louvain communities of the undirected weighted graph (seeded, so stable).

A *return* is a source that went quiet and another that started soon after and looks like it: the
same things said (cosine of mean post embeddings), the same channels forwarded and named (Jaccard),
the same pictures re-posted (PDQ distance).
It is a lead for an analyst, never a conclusion: each pair carries its three scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import networkx as nx
import numpy as np

from watchfloor.ids import is_id
from watchfloor.media.pdq import hamming
from watchfloor.store.base import Connection
from watchfloor.store.network import SourceProfile, source_profiles

__all__ = ["build_graph", "communities", "Return", "find_returns", "resolve_target"]


def resolve_target(origin: str, profiles: Mapping[str, SourceProfile]) -> str:
    """The node id of a forward's origin or a named handle: a source key when it is ours, else `ext:...`."""
    cleaned = origin.strip()
    lowered = cleaned.lower().lstrip("@")
    digits = lowered.removeprefix("channel")
    for profile in profiles.values():
        if is_id(digits) and profile.channel_id == int(digits):
            return profile.key
        if profile.handle and profile.handle.lower() == lowered:
            return profile.key
        if profile.name and profile.name.strip().lower() == cleaned.lower():
            return profile.key
    return f"ext:{lowered}"


def build_graph(conn: Connection, profiles: Mapping[str, SourceProfile] | None = None) -> nx.DiGraph:
    """Sources and the outside channels they forward or name, with weighted forward/mention edges (from
    ``profiles`` when the caller has them already)."""
    profiles = source_profiles(conn) if profiles is None else profiles
    graph = nx.DiGraph()
    for profile in profiles.values():
        graph.add_node(profile.key, label=profile.name or profile.key, kind="source", posts=profile.posts,
                       affiliation=profile.affiliation or "")
    for profile in profiles.values():
        for relation, counter in (("forward", profile.forwards), ("mention", profile.mentions)):
            for origin, count in counter.items():
                target = resolve_target(origin, profiles)
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


SAME_IMAGE = 31  # PDQ distance under which two images are the same picture re-posted


def _image_overlap(old: set[str], new: set[str]) -> float:
    """The share of ``new``'s images that are a re-post (PDQ distance <= 31) of one of ``old``'s."""
    if not old or not new:
        return 0.0
    return sum(any(hamming(n, o) <= SAME_IMAGE for o in old) for n in new) / len(new)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class Return:
    """A source that may be another one come back: ``new`` started after ``old`` went quiet."""

    old: str
    new: str
    gap_days: float
    content: float  # cosine of mean post embeddings
    forwards: float  # Jaccard of forwarded origins
    mentions: float  # Jaccard of named handles
    score: float
    images: float = 0.0  # share of the newer source's images that the older one posted (PDQ distance)


def find_returns(conn: Connection, max_gap: timedelta = timedelta(days=60), threshold: float = 0.6,
                 min_posts: int = 3, profiles: Mapping[str, SourceProfile] | None = None) -> list[Return]:
    """Pairs where one source stopped before the other started (within ``max_gap``) and they look alike."""
    known = source_profiles(conn) if profiles is None else profiles
    candidates = [p for p in known.values() if p.posts >= min_posts and p.first and p.last]
    found: list[Return] = []
    for old in candidates:
        for new in candidates:
            if old.key == new.key or old.last is None or new.first is None or new.first <= old.last:
                continue
            gap = new.first - old.last
            if gap > max_gap:
                continue
            content = (float(np.dot(old.centroid, new.centroid))
                       if old.centroid is not None and new.centroid is not None else 0.0)
            forwards = _jaccard(set(old.forwards), set(new.forwards))
            mentions = _jaccard(set(old.mentions), set(new.mentions))
            # e5 cosines of unrelated news sit near 0.8: rescale so that 0.8 counts as nothing
            content_part = max(0.0, (content - 0.8) / 0.2)
            images = _image_overlap(old.images, new.images)
            habits = max(forwards, mentions, images)
            score = round(0.6 * content_part + 0.4 * habits, 3)
            if score >= threshold:
                found.append(Return(old.key, new.key, round(gap.total_seconds() / 86400, 1), round(content, 3),
                                    round(forwards, 3), round(mentions, 3), score, round(images, 3)))
    return sorted(found, key=lambda r: (-r.score, r.old, r.new))
