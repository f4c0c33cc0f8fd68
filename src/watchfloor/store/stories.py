"""Queries on stories: storing assignments, context for clustering, listing and showing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import NotFound
from watchfloor.models import Mention, Post, Source, Story
from watchfloor.store.coding import coding_of
from watchfloor.store.db import insert_id
from watchfloor.store.posts import load_posts
from watchfloor.store.tables import mentions, posts, sources, stories, story_posts

__all__ = ["StorySummary", "context_posts", "apply_assignments", "set_stories_meta", "list_stories",
           "get_story", "story_post_ids", "stories_post_ids", "stories_posts", "delete_story", "clear_stories",
           "story_channels"]


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
    """Posts that already belong to a story and lie within the window around [start, end], in posted order,
    with what story placement reads (source, time, kind, text, language, forward, embedding, mentions, story) and the
    rest left empty."""
    rows = conn.execute(sa.select(posts.c.id, posts.c.message_id, posts.c.posted_at, posts.c.kind, posts.c.text,
                                  posts.c.lang, posts.c.forwarded_from, posts.c.embedding, story_posts.c.story_id,
                                  sources.c.key, sources.c.platform, sources.c.handle, sources.c.channel_id,
                                  sources.c.name)
                        .join(story_posts, story_posts.c.post_id == posts.c.id)
                        .join(sources, sources.c.id == posts.c.source_id)
                        .where(posts.c.posted_at >= start - window, posts.c.posted_at <= end + window)).all()
    named: dict[int, list[Mention]] = {row.id: [] for row in rows}
    ids = list(named)
    for first in range(0, len(ids), 500):  # by post id, through its index, whatever the planner knows
        for found_row in conn.execute(sa.select(mentions.c.post_id, mentions.c.entity_id, mentions.c.surface,
                                          mentions.c.span_start, mentions.c.span_end, mentions.c.score)
                                .where(mentions.c.post_id.in_(ids[first:first + 500]))
                                .order_by(mentions.c.post_id, mentions.c.span_start)):
            named[found_row.post_id].append(Mention(found_row.entity_id, found_row.surface, found_row.span_start,
                                                    found_row.span_end, found_row.score))
    channels: dict[str, Source] = {}
    found = []
    for row in rows:
        source = channels.setdefault(row.key, Source(key=row.key, platform=row.platform, handle=row.handle,
                                                     channel_id=row.channel_id, name=row.name))
        found.append(Post(id=row.id, source=source, message_id=row.message_id, posted_at=row.posted_at,
                          text=row.text, kind=row.kind, lang=row.lang, forwarded_from=row.forwarded_from,
                          mentions=named[row.id],
                          embedding=None if row.embedding is None else np.frombuffer(row.embedding, np.float32),
                          story_id=row.story_id))
    return sorted(found, key=lambda p: (p.posted_at, p.id))


def apply_assignments(conn: Connection, assignments: Mapping[int, int]) -> set[int]:
    """Store post→story assignments, creating stories for negative ids; returns the story ids touched. The
    links are read, deleted and written in bulk; new stories are made in the order they first appear."""
    now = datetime.now(UTC)
    created: dict[int, int] = {}
    for story in assignments.values():
        if story < 0 and story not in created:
            created[story] = insert_id(conn, stories.insert().values(title="", first_seen=now, last_seen=now,
                                                                     updated_at=now))
    post_ids = list(assignments)
    previous: dict[int, int] = {}
    for first in range(0, len(post_ids), 500):
        chunk = post_ids[first:first + 500]
        previous.update((int(post_id), int(story_id)) for post_id, story_id in conn.execute(
            sa.select(story_posts.c.post_id, story_posts.c.story_id).where(story_posts.c.post_id.in_(chunk))))
        replaced = [post_id for post_id in chunk if post_id in previous]
        if replaced:
            conn.execute(story_posts.delete().where(story_posts.c.post_id.in_(replaced)))
    links = [{"post_id": post_id, "story_id": created.get(story, story)} for post_id, story in assignments.items()]
    if links:
        conn.execute(story_posts.insert(), links)
    return set(previous.values()) | {link["story_id"] for link in links}


def story_post_ids(conn: Connection, story_id: int) -> list[int]:
    """The ids of a story's posts."""
    return stories_post_ids(conn, [story_id]).get(story_id, [])


def stories_post_ids(conn: Connection, story_ids: Iterable[int]) -> dict[int, list[int]]:
    """The ids of each story's posts, in id order (a story with no posts is left out)."""
    wanted = sorted(set(story_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(wanted), 500):
        for story_id, post_id in conn.execute(sa.select(story_posts.c.story_id, story_posts.c.post_id)
                                              .where(story_posts.c.story_id.in_(wanted[start:start + 500]))
                                              .order_by(story_posts.c.story_id, story_posts.c.post_id)):
            found.setdefault(int(story_id), []).append(int(post_id))
    return found


def stories_posts(conn: Connection, story_ids: Iterable[int]) -> dict[int, list[Post]]:
    """Each story's posts, in posted order, read together (a story with no posts is left out)."""
    found: dict[int, list[Post]] = {}
    for post in load_posts(conn, [i for ids in stories_post_ids(conn, story_ids).values() for i in ids]):
        assert post.story_id is not None, "a story's post is read with its story"
        found.setdefault(post.story_id, []).append(post)
    return found


def set_stories_meta(conn: Connection, metas: Sequence[tuple[int, str, datetime, datetime]]) -> None:
    """Update each story's title and time span (story id, title, first seen, last seen), in one statement."""
    if not metas:
        return
    now = datetime.now(UTC)
    # the parameters' names differ from the columns' (SQLAlchemy keeps those for the SET clause)
    conn.execute(stories.update().where(stories.c.id == sa.bindparam("p_id")).values(
        title=sa.bindparam("p_title"), first_seen=sa.bindparam("p_first"), last_seen=sa.bindparam("p_last"),
        updated_at=now), [{"p_id": i, "p_title": title, "p_first": first, "p_last": last}
                          for i, title, first, last in metas])


def list_stories(conn: Connection, min_sources: int = 1, limit: int = 50, offset: int = 0) -> list[StorySummary]:
    """Stories, most recent first (by last post, then id), with at least ``min_sources`` sources and a post.

    The stories are read newest first through the ``last_seen`` index a slice at a time, and only a slice's
    posts are counted, so the newest page costs what its stories cost, not the archive (a slice grows fourfold
    while few stories qualify)."""
    wanted = offset + limit
    found: list[tuple[Any, int]] = []
    after: tuple[datetime, int] | None = None
    size = max(2 * wanted, 100)
    while len(found) < wanted:
        query = (sa.select(stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen)
                 .order_by(stories.c.last_seen.desc(), stories.c.id.desc()).limit(size))
        if after is not None:
            query = query.where(sa.tuple_(stories.c.last_seen, stories.c.id) < sa.tuple_(*after))
        rows = conn.execute(query).all()
        counts = _post_and_source_counts(conn, [row.id for row in rows])
        found += [(row, counts[row.id][0]) for row in rows
                  if row.id in counts and counts[row.id][1] >= min_sources]
        if len(rows) < size:
            break
        after, size = (rows[-1].last_seen, rows[-1].id), size * 4
    chosen = found[offset:wanted]
    keys: dict[int, list[str]] = {row.id: [] for row, _ in chosen}
    if keys:
        for row in conn.execute(sa.select(story_posts.c.story_id, sources.c.key).distinct()
                                .join(posts, posts.c.id == story_posts.c.post_id)
                                .join(sources, sources.c.id == posts.c.source_id)
                                .where(story_posts.c.story_id.in_(list(keys))).order_by(sources.c.key)):
            keys[row.story_id].append(row.key)
    return [StorySummary(row.id, row.title, row.first_seen, row.last_seen, post_count, keys[row.id])
            for row, post_count in chosen]


def _post_and_source_counts(conn: Connection, story_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Posts and distinct sources of each story that has posts, a few hundred ids a statement."""
    counted: dict[int, tuple[int, int]] = {}
    for start in range(0, len(story_ids), 500):
        counted.update({int(row.story_id): (int(row.n), int(row.channels)) for row in conn.execute(
            sa.select(story_posts.c.story_id, sa.func.count().label("n"),
                      sa.func.count(sa.distinct(posts.c.source_id)).label("channels"))
            .join(posts, posts.c.id == story_posts.c.post_id)
            .where(story_posts.c.story_id.in_(story_ids[start:start + 500])).group_by(story_posts.c.story_id))})
    return counted


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
    return {story: channels for story, (_, channels) in _post_and_source_counts(conn, sorted(set(story_ids))).items()}
