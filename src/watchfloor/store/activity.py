"""Counts behind the entity and source pages: activity over time, co-occurring entities, top entities."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.schema import as_date, utc_day
from watchfloor.store.tables import entities, entity_days, entity_pairs, mentions, posts, sources
from watchfloor.store.tables import entity_sources as counted

__all__ = ["entity_timeline", "co_mentioned", "entity_sources", "source_timeline", "source_top_entities"]


def entity_timeline(conn: Connection, entity_id: str) -> list[tuple[date, int]]:
    """Posts naming the entity, per day (UTC), as kept with its mentions (``entity_days``)."""
    rows = conn.execute(sa.select(entity_days.c.day, entity_days.c.posts)
                        .where(entity_days.c.entity_id == entity_id).order_by(entity_days.c.day))
    return [(as_date(day), int(n)) for day, n in rows]


def co_mentioned(conn: Connection, entity_id: str, limit: int = 15) -> list[tuple[str, str, str, int]]:
    """Entities named in the same posts: (id, name, type, posts in common), most frequent first."""
    rows = conn.execute(
        sa.select(entities.c.id, entities.c.name, entities.c.type, entity_pairs.c.posts)
        .join(entity_pairs, entity_pairs.c.other_id == entities.c.id).where(entity_pairs.c.entity_id == entity_id)
        .order_by(entity_pairs.c.posts.desc(), entities.c.id).limit(limit))
    return [(r.id, r.name, r.type, int(r.posts)) for r in rows]


def entity_sources(conn: Connection, entity_id: str) -> list[tuple[str, str | None, str | None, int]]:
    """Sources whose posts name the entity: (key, name, affiliation, posts), most first."""
    rows = conn.execute(
        sa.select(sources.c.key, sources.c.name, sources.c.affiliation, counted.c.posts)
        .join(counted, counted.c.source_id == sources.c.id).where(counted.c.entity_id == entity_id)
        .order_by(counted.c.posts.desc(), sources.c.key))
    return [(r.key, r.name, r.affiliation, int(r.posts)) for r in rows]


def source_timeline(conn: Connection, key: str) -> list[tuple[date, int]]:
    """A source's posts per day (UTC), counted in the database (a channel may hold tens of thousands)."""
    day = utc_day(conn.dialect.name, posts.c.posted_at)
    rows = conn.execute(sa.select(day.label("day"), sa.func.count().label("n"))
                        .join(sources, sources.c.id == posts.c.source_id)
                        .where(sources.c.key == key, posts.c.kind == "message").group_by(day).order_by(day))
    return [(as_date(row.day), int(row.n)) for row in rows]


def source_top_entities(conn: Connection, key: str, limit: int = 15) -> list[tuple[str, str, str, int]]:
    """The entities a source names most: (id, name, type, posts)."""
    n = sa.func.count(sa.distinct(posts.c.id))
    rows = conn.execute(
        sa.select(entities.c.id, entities.c.name, entities.c.type, n.label("n"))
        .join(mentions, mentions.c.entity_id == entities.c.id).join(posts, posts.c.id == mentions.c.post_id)
        .join(sources, sources.c.id == posts.c.source_id).where(sources.c.key == key)
        .group_by(entities.c.id, entities.c.name, entities.c.type).order_by(n.desc(), entities.c.id).limit(limit))
    return [(r.id, r.name, r.type, int(r.n)) for r in rows]
