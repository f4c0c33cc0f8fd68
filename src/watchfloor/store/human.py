"""Human translations: an analyst's English for a post, kept with its author and time, never overwritten by
a machine (the post's ``translation`` record says ``backend: human``; every version stays in the table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Post
from watchfloor.store.tables import human_translations, posts, translation_queue

__all__ = ["HUMAN", "MAX_CHARS", "human_record", "set_human", "history", "save_machine"]

HUMAN = "human"
MAX_CHARS = 20_000


def human_record(author: str, at: datetime, source_sha: str, source_lang: str | None) -> dict[str, Any]:
    """The ``posts.translation`` record of a human translation."""
    return {"backend": HUMAN, "model": author, "author": author, "at": at.isoformat(), "source_sha": source_sha,
            "label": f"human translation by {author}", "flags": [], "source_lang": source_lang}


def set_human(conn: Connection, post_id: int, text_en: str, author: str, source_sha: str) -> dict[str, Any]:
    """Store an analyst's English for a post (it becomes the post's translation; the queue lets go of the
    post); returns the new translation record."""
    text = text_en.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput("the English text is empty; write the translation, or leave the machine's in place")
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"the English text is {len(text)} characters; at most {MAX_CHARS}")
    if not author.strip():
        raise InvalidInput("a human translation needs its author")
    row = conn.execute(sa.select(posts.c.id, posts.c.lang).where(posts.c.id == post_id)).first()
    if row is None:
        raise NotFound(f"no post {post_id}")
    now = datetime.now(UTC)
    conn.execute(human_translations.insert().values(post_id=post_id, text_en=text, author=author.strip(),
                                                    source_sha=source_sha, created_at=now))
    record = human_record(author.strip(), now, source_sha, row.lang)
    conn.execute(posts.update().where(posts.c.id == post_id).values(text_en=text, translation=record))
    conn.execute(translation_queue.update().where(translation_queue.c.post_id == post_id,
                                                  translation_queue.c.status.in_(("queued", "failed"))).values(
        status="done", done_at=now, last_error="superseded by a human translation", segments=0))
    return record


def history(conn: Connection, post_id: int) -> list[dict[str, Any]]:
    """Every human translation of a post, newest first."""
    rows = conn.execute(sa.select(human_translations).where(human_translations.c.post_id == post_id)
                        .order_by(human_translations.c.id.desc())).all()
    return [{"text_en": r.text_en, "author": r.author, "at": r.created_at.isoformat(), "source_sha": r.source_sha}
            for r in rows]


def save_machine(conn: Connection, batch: Sequence[Post]) -> int:
    """Write machine translations (and the quotes' English), except over a human translation that an analyst
    saved meanwhile; returns how many posts were written."""
    backend = posts.c.translation["backend"].as_string()
    written = 0
    for post in batch:
        written += conn.execute(posts.update().where(
            posts.c.id == post.id, sa.or_(posts.c.translation.is_(None), backend.is_(None), backend != HUMAN)
        ).values(text_en=post.text_en, translation=post.translation,
                 quotes=[asdict(quote) for quote in post.quotes])).rowcount
    return written
