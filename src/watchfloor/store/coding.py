"""Queries on stories' stored coding: saving it when a story changes, reading it, finding stories to code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import StoryCoding
from watchfloor.store.tables import stories, story_coding, story_posts

__all__ = ["save_codings", "forget_codings", "codings_of", "coding_of", "stories_to_code",
           "uncoded_stories", "stories_of_posts"]


def save_codings(conn: Connection, codings: Mapping[int, StoryCoding], coder: str) -> None:
    """Store (or replace) each story's coding, made by ``coder`` (the cues' version): the old rows deleted and the
    new ones inserted in one statement each, not two statements a story (a run's end codes hundreds)."""
    if not codings:
        return
    forget_codings(conn, codings)
    now = datetime.now(UTC)
    conn.execute(story_coding.insert(), [
        {"story_id": story_id, "coder": coder, "event_type": coding.event_type, "votes": dict(coding.type_votes),
         "stances": {str(post_id): stance for post_id, stance in coding.stances.items()},
         "actors": list(coding.actors), "place": coding.place, "coded_at": now}
        for story_id, coding in sorted(codings.items())])


def forget_codings(conn: Connection, story_ids: Iterable[int]) -> None:
    """Delete the stories' codings (their posts changed: they are coded again from them)."""
    wanted = sorted(set(story_ids))
    for start in range(0, len(wanted), 500):
        conn.execute(story_coding.delete().where(story_coding.c.story_id.in_(wanted[start:start + 500])))


def codings_of(conn: Connection, story_ids: Iterable[int]) -> dict[int, StoryCoding]:
    """The stored coding of each story that has one."""
    ids = list(story_ids)
    if not ids:
        return {}
    rows = conn.execute(sa.select(story_coding).where(story_coding.c.story_id.in_(ids))).all()
    return {row.story_id: StoryCoding(event_type=row.event_type, type_votes=dict(row.votes or {}),
                                      stances={int(k): v for k, v in (row.stances or {}).items()},
                                      actors=list(row.actors or []), place=row.place) for row in rows}


def coding_of(conn: Connection, story_id: int) -> StoryCoding | None:
    """A story's stored coding, or None when it has not been coded yet."""
    return codings_of(conn, [story_id]).get(story_id)


def _story_ids_where(conn: Connection, condition: sa.ColumnElement[bool], limit: int, after_id: int) -> list[int]:
    """Ids of stories (after ``after_id``, in order, ``limit`` of them) whose coding, or its absence, meets
    ``condition``."""
    return list(conn.execute(sa.select(stories.c.id).outerjoin(story_coding, story_coding.c.story_id == stories.c.id)
                             .where(stories.c.id > after_id, condition).order_by(stories.c.id).limit(limit)).scalars())


def stories_to_code(conn: Connection, coder: str, limit: int = 500, after_id: int = 0) -> list[int]:
    """Ids of stories (after ``after_id``, in order) with no coding or one made by other cues than ``coder``."""
    return _story_ids_where(conn, sa.or_(story_coding.c.story_id.is_(None), story_coding.c.coder != coder),
                            limit, after_id)


def uncoded_stories(conn: Connection, limit: int = 500, after_id: int = 0) -> list[int]:
    """Ids of stories (after ``after_id``, in order) with no coding."""
    return _story_ids_where(conn, story_coding.c.story_id.is_(None), limit, after_id)


def stories_of_posts(conn: Connection, post_ids: Iterable[int]) -> set[int]:
    """The stories the posts belong to."""
    ids = list(post_ids)
    if not ids:
        return set()
    return set(conn.execute(sa.select(story_posts.c.story_id).distinct()
                            .where(story_posts.c.post_id.in_(ids))).scalars())
