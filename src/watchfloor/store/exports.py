"""Queries for exports: whole tables read in keyset-paged batches (never loaded at once), and the
content hashes of posts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import Entity, Post, Source
from watchfloor.store.kb import entities_by_id
from watchfloor.store.posts import load_posts
from watchfloor.store.sources import source_from_row
from watchfloor.store.stories import StorySummary
from watchfloor.store.tables import entities, mentions, posts, sources, stories, story_posts

__all__ = ["EXPORT_BATCH", "iter_posts", "iter_stories", "iter_entities", "iter_sources", "content_hashes",
           "table_count"]

EXPORT_BATCH = 500


def _id_batches(conn: Connection, column: sa.Column[Any], batch: int) -> Iterator[list[Any]]:
    """The keys of a table in ascending order, a batch at a time (keyset paging: no OFFSET scans)."""
    last: Any = None
    while True:
        query = sa.select(column).order_by(column).limit(batch)
        if last is not None:
            query = query.where(column > last)
        ids: list[Any] = list(conn.execute(query).scalars())
        if not ids:
            return
        yield ids
        last = ids[-1]


def iter_posts(conn: Connection, batch: int = EXPORT_BATCH) -> Iterator[list[Post]]:
    """Every post with its mentions, by id, a batch at a time."""
    for ids in _id_batches(conn, posts.c.id, batch):
        yield sorted(load_posts(conn, [int(i) for i in ids]), key=lambda p: p.id)


def iter_stories(conn: Connection, batch: int = EXPORT_BATCH) -> Iterator[list[StorySummary]]:
    """Every story as listed (counts and source keys, no posts), by id, a batch at a time."""
    for ids in _id_batches(conn, stories.c.id, batch):
        rows = conn.execute(
            sa.select(stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen,
                      sa.func.count(story_posts.c.post_id).label("post_count"))
            .outerjoin(story_posts, story_posts.c.story_id == stories.c.id)
            .where(stories.c.id.in_(ids))
            .group_by(stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen)
            .order_by(stories.c.id)).all()
        keys: dict[int, list[str]] = {row.id: [] for row in rows}
        for row in conn.execute(sa.select(story_posts.c.story_id, sources.c.key).distinct()
                                .join(posts, posts.c.id == story_posts.c.post_id)
                                .join(sources, sources.c.id == posts.c.source_id)
                                .where(story_posts.c.story_id.in_(ids)).order_by(sources.c.key)):
            keys[row.story_id].append(row.key)
        yield [StorySummary(row.id, row.title, row.first_seen, row.last_seen, int(row.post_count), keys[row.id])
               for row in rows]


def iter_entities(conn: Connection, batch: int = EXPORT_BATCH) -> Iterator[list[tuple[Entity, int]]]:
    """Every knowledge-base entry (any status) with its number of mentions, by id, a batch at a time."""
    for ids in _id_batches(conn, entities.c.id, batch):
        counts: dict[str, int] = dict(conn.execute(sa.select(mentions.c.entity_id, sa.func.count())
                                   .where(mentions.c.entity_id.in_(ids)).group_by(mentions.c.entity_id)).all())
        found = entities_by_id(conn, [str(i) for i in ids])
        yield [(found[str(i)], int(counts.get(i, 0))) for i in ids]


def iter_sources(conn: Connection, batch: int = EXPORT_BATCH) -> Iterator[list[tuple[Source, int]]]:
    """Every source with its number of posts, by key, a batch at a time."""
    count = sa.select(sa.func.count()).where(posts.c.source_id == sources.c.id).scalar_subquery()
    for keys in _id_batches(conn, sources.c.key, batch):
        rows = conn.execute(sa.select(sources, count.label("post_count")).where(sources.c.key.in_(keys))
                            .order_by(sources.c.key)).all()
        yield [(source_from_row(row), int(row.post_count)) for row in rows]


def content_hashes(conn: Connection, post_ids: Sequence[int]) -> dict[int, str]:
    """The SHA-256 of each post's message as collected (see store.posts.content_hash)."""
    found: dict[int, str] = {}
    for start in range(0, len(post_ids), EXPORT_BATCH):
        chunk = list(post_ids[start:start + EXPORT_BATCH])
        found.update((int(row.id), str(row.content_hash)) for row in conn.execute(
            sa.select(posts.c.id, posts.c.content_hash).where(posts.c.id.in_(chunk))))
    return found


def table_count(conn: Connection, kind: str) -> int:
    """How many rows an export of this kind writes."""
    table = {"posts": posts, "stories": stories, "entities": entities, "sources": sources}[kind]
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

