"""Channels that come back under a new identity.

A *return* is a source that went quiet and another that started soon after and looks like it: the
same things said (cosine of mean post embeddings), the same channels forwarded and named (Jaccard),
the same pictures re-posted (PDQ distance).
It is a lead for an analyst, never a conclusion: each pair carries its three scores.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from watchfloor.media.pdq import hamming
from watchfloor.store.base import Connection
from watchfloor.store.network import SourceProfile, source_profiles

__all__ = ["Return", "find_returns", "SAME_IMAGE"]

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
    candidates = sorted((p for p in known.values() if p.posts >= min_posts and p.first and p.last),
                        key=lambda p: (p.first, p.key))
    starts = [p.first for p in candidates if p.first is not None]
    found: list[Return] = []
    for old in candidates:
        assert old.last is not None
        # only the sources that started after this one's last post, within the gap (sorted by first post)
        for new in candidates[bisect_right(starts, old.last):bisect_right(starts, old.last + max_gap)]:
            assert new.first is not None
            gap = new.first - old.last
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
