"""What the channel network is built from: forwards and mentions between channels, and each source's profile."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.tables import media, post_media, posts, sources

__all__ = ["SourceProfile", "source_profiles"]


@dataclass
class SourceProfile:
    """One source's activity and habits: when it posted, what it forwards and names, what it says."""

    key: str
    name: str | None
    handle: str | None
    channel_id: int | None
    affiliation: str | None
    posts: int = 0
    first: datetime | None = None
    last: datetime | None = None
    forwards: Counter[str] = field(default_factory=Counter)  # origin (name or channel id) -> count
    mentions: Counter[str] = field(default_factory=Counter)  # @handle -> count
    centroid: Any = None  # mean embedding of its posts (numpy) or None
    days: Counter[str] = field(default_factory=Counter)  # ISO day -> posts
    images: set[str] = field(default_factory=set)  # PDQ hashes of the images it posted


def source_profiles(conn: Connection) -> dict[str, SourceProfile]:
    """Every source's profile, read in one pass over its message posts."""
    profiles = {row.key: SourceProfile(key=row.key, name=row.name, handle=row.handle, channel_id=row.channel_id,
                                       affiliation=row.affiliation)
                for row in conn.execute(sa.select(sources))}
    sums: dict[str, Any] = {}
    counts: dict[str, int] = defaultdict(int)
    query = (sa.select(sources.c.key, posts.c.posted_at, posts.c.forwarded_from, posts.c.forwarded_from_id,
                       posts.c.indicators, posts.c.embedding)
             .join(sources, sources.c.id == posts.c.source_id).where(posts.c.kind == "message"))
    for row in conn.execute(query):
        profile = profiles[row.key]
        profile.posts += 1
        profile.first = row.posted_at if profile.first is None else min(profile.first, row.posted_at)
        profile.last = row.posted_at if profile.last is None else max(profile.last, row.posted_at)
        profile.days[row.posted_at.date().isoformat()] += 1
        if row.forwarded_from_id or row.forwarded_from:
            profile.forwards[str(row.forwarded_from_id or row.forwarded_from)] += 1
        for indicator in row.indicators or []:
            if indicator.get("kind") == "telegram_handle":
                profile.mentions[str(indicator["value"]).lstrip("@").lower()] += 1
        if row.embedding is not None:
            vector = np.frombuffer(row.embedding, dtype=np.float32)
            sums[row.key] = vector.copy() if row.key not in sums else sums[row.key] + vector
            counts[row.key] += 1
    image_rows = conn.execute(sa.select(sources.c.key, media.c.pdq).join(posts, posts.c.source_id == sources.c.id)
                              .join(post_media, post_media.c.post_id == posts.c.id)
                              .join(media, media.c.sha256 == post_media.c.sha256)
                              .where(media.c.pdq.is_not(None), media.c.status == "ok"))
    for key, pdq in image_rows:
        profiles[key].images.add(str(pdq))
    for key, total in sums.items():
        norm = float(np.linalg.norm(total))
        profiles[key].centroid = total / norm if norm else None
    return profiles
