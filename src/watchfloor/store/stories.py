"""Queries on stories: storing assignments, context for clustering, listing and showing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import NotFound
from watchfloor.models import Post, Story
from watchfloor.store.coding import coding_of
from watchfloor.store.db import insert_id
from watchfloor.store.posts import load_posts
from watchfloor.store.tables import posts, sources, stories, story_posts

__all__ = ["StorySummary", "context_posts", "apply_assignments", "set_story_meta", "list_stories",
           "get_story", "story_post_ids", "delete_story", "clear_stories", "story_channels"]


@dataclass
class StorySummary:
    """A story as listed: no posts, just counts and the sources."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    post_count: int
    sources: list[str]


def context_posts(conn: Connection, start: datetime, end: datetime, window: timedelta) -> list[Post]:
    """Posts that already belong to a story and lie within the window around [start, end]."""
    ids = conn.execute(sa.select(story_posts.c.post_id).join(posts, posts.c.id == story_posts.c.post_id)
                       .where(posts.c.posted_at >= start - window, posts.c.posted_at <= end + window)).scalars()
    return load_posts(conn, list(ids))


def apply_assignments(conn: Connection, assignments: Mapping[int, int]) -> set[int]:
    """Store post→story assignments, creating stories for negative ids; returns the story ids touched."""
    now = datetime.now(UTC)
    created: dict[int, int] = {}
    touched: set[int] = set()
    for post_id, story in assignments.items():
        if story < 0:
            if story not in created:
                created[story] = insert_id(conn, stories.insert().values(title="", first_seen=now, last_seen=now,
                                                                         updated_at=now))
            story = created[story]
        previous = conn.execute(sa.select(story_posts.c.story_id)
                                .where(story_posts.c.post_id == post_id)).scalar_one_or_none()
        if previous is not None:
            touched.add(previous)
            conn.execute(story_posts.delete().where(story_posts.c.post_id == post_id))
        conn.execute(story_posts.insert().values(post_id=post_id, story_id=story))
        touched.add(story)
    return touched


def story_post_ids(conn: Connection, story_id: int) -> list[int]:
    """The ids of a story's posts."""
    return list(conn.execute(sa.select(story_posts.c.post_id).where(story_posts.c.story_id == story_id)
                             .order_by(story_posts.c.post_id)).scalars())


def set_story_meta(conn: Connection, story_id: int, title: str, first_seen: datetime,
                   last_seen: datetime) -> None:
    """Update a story's title and time span."""
    conn.execute(stories.update().where(stories.c.id == story_id).values(
        title=title, first_seen=first_seen, last_seen=last_seen, updated_at=datetime.now(UTC)))


def list_stories(conn: Connection, min_sources: int = 1, limit: int = 50, offset: int = 0) -> list[StorySummary]:
    """Stories, most recent first, with at least ``min_sources`` sources."""
    source_count = sa.func.count(sa.distinct(posts.c.source_id))
    query: sa.Select[Any] = (
        sa.select(stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen,
                  sa.func.count(story_posts.c.post_id).label("post_count"), source_count.label("source_count"))
        .join(story_posts, story_posts.c.story_id == stories.c.id)
        .join(posts, posts.c.id == story_posts.c.post_id)
        .group_by(stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen)
        .having(source_count >= min_sources)
        .order_by(stories.c.last_seen.desc(), stories.c.id.desc()).limit(limit).offset(offset))
    rows = conn.execute(query).all()
    keys: dict[int, list[str]] = {row.id: [] for row in rows}
    if keys:
        for row in conn.execute(sa.select(story_posts.c.story_id, sources.c.key).distinct()
                                .join(posts, posts.c.id == story_posts.c.post_id)
                                .join(sources, sources.c.id == posts.c.source_id)
                                .where(story_posts.c.story_id.in_(list(keys))).order_by(sources.c.key)):
            keys[row.story_id].append(row.key)
    return [StorySummary(row.id, row.title, row.first_seen, row.last_seen, int(row.post_count), keys[row.id])
            for row in rows]


def get_story(conn: Connection, story_id: int) -> Story:
    """A story with its posts (and their mentions) and its stored coding."""
    row = conn.execute(sa.select(stories).where(stories.c.id == story_id)).first()
    if row is None:
        raise NotFound(f"no story {story_id}; see `watchfloor stories list`")
    return Story(id=row.id, title=row.title, first_seen=row.first_seen, last_seen=row.last_seen,
                 posts=load_posts(conn, story_post_ids(conn, story_id)), coding=coding_of(conn, story_id))


def delete_story(conn: Connection, story_id: int) -> None:
    """Delete a story (its post links go with it)."""
    conn.execute(stories.delete().where(stories.c.id == story_id))


def clear_stories(conn: Connection) -> None:
    """Delete every story and every post's place in one (before the pipeline runs again over everything)."""
    conn.execute(story_posts.delete())
    conn.execute(stories.delete())


def story_channels(conn: Connection, story_ids: Iterable[int]) -> dict[int, int]:
    """How many distinct sources tell each of the stories (a story with no posts is left out)."""
    wanted = sorted(set(story_ids))
    found: dict[int, int] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(sa.select(story_posts.c.story_id, sa.func.count(sa.distinct(posts.c.source_id)))
                            .join(posts, posts.c.id == story_posts.c.post_id)
                            .where(story_posts.c.story_id.in_(wanted[start:start + 500]))
                            .group_by(story_posts.c.story_id))
        found.update({int(story): int(count) for story, count in rows})
    return found
