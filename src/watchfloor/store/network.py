"""What the channel network is built from: forwards and mentions between channels, and each source's profile.

Everything per post is counted in the database (GROUP BY source, origin, handle, day), so building the
network reads a few rows per channel, not one per post. The embedding centroids come from each source's
embeddings summed as its posts are analysed (``store.source_vectors.source_sums``), for the sources asked for, so
that a cache can read again only the sources whose posts changed (``changed_sources`` says which, from the
``network_marks`` it kept).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.schema import UTCDateTime, as_date, utc_day
from watchfloor.store.source_vectors import source_sums
from watchfloor.store.tables import media, post_media, posts, sources

__all__ = ["SourceProfile", "NetworkMarks", "source_profiles", "changed_sources",
           "image_hashes", "affiliation_days", "network_marks", "centroid", "NO_AFFILIATION"]

NO_AFFILIATION = "no affiliation recorded"
_MESSAGE = posts.c.kind == "message"


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
    images: set[str] = field(default_factory=set)  # PDQ hashes of the images it posted


@dataclass(frozen=True)
class NetworkMarks:
    """What changes when anything the network shows does, read from indexes and small tables."""

    newest_id: int  # the newest post
    posts: int  # how many posts (a source deleted with its posts lowers it)
    processed: datetime | None  # the newest processing (a post processed again raises it)
    media: tuple[int, int]  # posts' archived files, and images with a PDQ hash
    sources: int  # a hash of every source's id, key, names, channel id and affiliation (in this process)


def source_profiles(conn: Connection, content: bool = True) -> dict[str, SourceProfile]:
    """Every source's profile, counted in the database; ``content`` adds the embedding centroids and the
    image hashes (what `find_returns` compares; the graph does not need them)."""
    profiles = {row.key: SourceProfile(key=row.key, name=row.name, handle=row.handle, channel_id=row.channel_id,
                                       affiliation=row.affiliation)
                for row in conn.execute(sa.select(sources).order_by(sources.c.id))}
    activity = (sa.select(sources.c.key, sa.func.count().label("n"), sa.func.min(posts.c.posted_at).label("first"),
                          sa.func.max(posts.c.posted_at).label("last"))
                .join(sources, sources.c.id == posts.c.source_id).where(_MESSAGE).group_by(sources.c.key))
    for row in conn.execute(activity):
        profile = profiles[row.key]
        profile.posts, profile.first, profile.last = int(row.n), _moment(row.first), _moment(row.last)
    for key, origin, count in _forwards(conn):
        profiles[key].forwards[origin] += count
    for key, handle, count in _mentions(conn):
        profiles[key].mentions[handle] += count
    if content:
        for key, (total, _) in source_sums(conn).items():
            profiles[key].centroid = centroid(total)
        for key, hashes in image_hashes(conn).items():
            profiles[key].images = hashes
    return profiles


def centroid(total: Any) -> Any:
    """A sum of embeddings scaled to unit length (None for a zero sum)."""
    norm = float(np.linalg.norm(total))
    return total / norm if norm else None


def _moment(value: Any) -> datetime | None:
    """Aggregates lose the column's type on SQLite (a string comes back): read them as the column would."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return UTCDateTime().process_result_value(datetime.fromisoformat(str(value)), sa.engine.default.DefaultDialect())


def _forwards(conn: Connection) -> Iterable[tuple[str, str, int]]:
    """(source key, origin, posts) for each origin a source forwards, in the order it first forwarded each."""
    origin = sa.func.coalesce(sa.func.nullif(posts.c.forwarded_from_id, ""), sa.func.nullif(posts.c.forwarded_from, ""))
    query = (sa.select(sources.c.key, origin.label("origin"), sa.func.count().label("n"),
                       sa.func.min(posts.c.id).label("first_id"))
             .join(sources, sources.c.id == posts.c.source_id).where(_MESSAGE, origin.is_not(None))
             .group_by(sources.c.key, origin).order_by(sa.text("first_id")))
    return ((row.key, str(row.origin), int(row.n)) for row in conn.execute(query))


def _mentions(conn: Connection) -> Iterable[tuple[str, str, int]]:
    """(source key, handle, times named) from the `telegram_handle` indicators, in the order first named."""
    if conn.dialect.name == "postgresql":
        elements = ("json_array_elements(CASE WHEN json_typeof(p.indicators) = 'array' THEN p.indicators "
                    "ELSE '[]'::json END) AS e(v)")
        kind, value = "e.v ->> 'kind'", "e.v ->> 'value'"
    else:
        elements = "json_each(p.indicators) AS e"
        kind, value = "json_extract(e.value, '$.kind')", "json_extract(e.value, '$.value')"
    rows = conn.execute(sa.text(
        f"SELECT s.key AS key, {value} AS handle, count(*) AS n, min(p.id) AS first_id "  # noqa: S608 (no input)
        f"FROM posts p JOIN sources s ON s.id = p.source_id CROSS JOIN {elements} "
        f"WHERE p.kind = 'message' AND p.indicators IS NOT NULL AND {kind} = 'telegram_handle' "
        f"GROUP BY s.key, {value} ORDER BY first_id"))
    # the handle is folded here, not in SQL: SQLite's lower() folds ASCII only
    return ((row.key, str(row.handle).lstrip("@").lower(), int(row.n)) for row in rows)


def changed_sources(conn: Connection, marks: NetworkMarks) -> set[str]:
    """The sources with a post newer than ``marks`` or processed since (through the indexes on id and
    processed_at: a few rows when a few posts arrived)."""
    changed = posts.c.id > marks.newest_id
    if marks.processed is not None:
        changed = sa.or_(changed, posts.c.processed_at > marks.processed)
    query = sa.select(sources.c.key).distinct().join(posts, posts.c.source_id == sources.c.id).where(changed)
    return set(conn.execute(query).scalars())


def image_hashes(conn: Connection, keys: Collection[str] | None = None) -> dict[str, set[str]]:
    """The PDQ hashes of the images each source posted (every source, or those in ``keys``)."""
    query = (sa.select(sources.c.key, media.c.pdq).distinct().join(posts, posts.c.source_id == sources.c.id)
             .join(post_media, post_media.c.post_id == posts.c.id)
             .join(media, media.c.sha256 == post_media.c.sha256)
             .where(media.c.pdq.is_not(None), media.c.status == "ok"))
    if keys is not None:
        query = query.where(sources.c.key.in_(sorted(keys)))
    found: dict[str, set[str]] = {}
    for key, pdq in conn.execute(query):
        found.setdefault(key, set()).add(str(pdq))
    return found


def affiliation_days(conn: Connection) -> dict[str, list[tuple[date, int]]]:
    """Message posts per day (UTC) by the affiliation of their source, each series oldest first."""
    day = utc_day(conn.dialect.name, posts.c.posted_at)
    affiliation = sa.func.coalesce(sa.func.nullif(sources.c.affiliation, ""), NO_AFFILIATION)
    query = (sa.select(affiliation.label("affiliation"), day.label("day"), sa.func.count().label("n"))
             .join(sources, sources.c.id == posts.c.source_id).where(_MESSAGE)
             .group_by(affiliation, day).order_by(affiliation, day))
    series: dict[str, list[tuple[date, int]]] = {}
    for row in conn.execute(query):
        series.setdefault(str(row.affiliation), []).append((as_date(row.day), int(row.n)))
    return series


def network_marks(conn: Connection) -> NetworkMarks:
    """The marks of the data now: one statement over indexes and counts, and the sources table."""
    row = conn.execute(sa.select(
        sa.select(sa.func.max(posts.c.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(posts).scalar_subquery(),
        sa.select(sa.func.max(posts.c.processed_at)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(post_media).where(post_media.c.sha256.is_not(None)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(media).where(media.c.pdq.is_not(None)).scalar_subquery())).one()
    named = conn.execute(sa.select(sources.c.id, sources.c.key, sources.c.name, sources.c.handle,
                                   sources.c.channel_id, sources.c.affiliation).order_by(sources.c.id)).all()
    return NetworkMarks(int(row[0] or 0), int(row[1]), _moment(row[2]), (int(row[3]), int(row[4])),
                        hash(tuple(tuple(source) for source in named)))
