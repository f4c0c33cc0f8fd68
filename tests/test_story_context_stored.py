"""The posts a new batch is placed against come back from the store with everything story placement reads: a
post placed against the posts of earlier batches is scored as it would be against posts of its own batch. Their
language matters since a candidate only one post names counts against a match in the same language only; it was
once left out, so posts of earlier batches never counted it. On the bundled sample, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from test_engine_dask import fresh_store
from watchfloor import runner
from watchfloor.settings import load_settings
from watchfloor.store.stories import context_posts
from watchfloor.store.tables import mentions, posts, story_posts


def test_context_posts_carry_what_placement_reads(db_url: str, tmp_path: Path) -> None:
    engine = fresh_store(db_url, tmp_path, "context")
    runner.process(engine, load_settings({"batch_size": "16"}, environ={}))
    with engine.connect() as conn:
        stored = {row.id: row for row in conn.execute(sa.select(posts.c.id, posts.c.lang, posts.c.text,
                                                                posts.c.posted_at))}
        named: dict[int, list[tuple[str, str]]] = {}
        for row in conn.execute(sa.select(mentions.c.post_id, mentions.c.entity_id, mentions.c.surface)
                                .order_by(mentions.c.post_id, mentions.c.span_start)):
            named.setdefault(row.post_id, []).append((row.entity_id, row.surface))
        first, last = min(r.posted_at for r in stored.values()), max(r.posted_at for r in stored.values())
        context = context_posts(conn, first, last, timedelta(hours=1))
    engine.dispose()
    assert len(context) > 40
    languages = {post.lang for post in context}
    assert {"ar", "en"} <= languages and None not in languages  # the sample is in several languages
    assert any(m.entity_id.startswith("candidate:") for post in context for m in post.mentions)
    for post in context:
        row = stored[post.id]
        assert post.lang == row.lang and post.text == row.text
        assert [(m.entity_id, m.surface) for m in post.mentions] == named.get(post.id, [])


def _groups(engine: sa.engine.Engine) -> list[list[int]]:
    with engine.connect() as conn:
        found: dict[int, list[int]] = {}
        for post_id, story_id in conn.execute(sa.select(story_posts.c.post_id, story_posts.c.story_id)):
            found.setdefault(story_id, []).append(post_id)
    return sorted(sorted(group) for group in found.values())


def test_stories_do_not_depend_on_the_batch_size(db_url: str, tmp_path: Path) -> None:
    """Small batches place most posts against the stored context, one large batch against its own posts."""
    grouped = []
    for size in ("3", "1000"):
        engine = fresh_store(db_url, tmp_path, f"batch-{size}")
        runner.process(engine, load_settings({"batch_size": size}, environ={}))
        grouped.append(_groups(engine))
        engine.dispose()
    assert any(len(group) > 1 for group in grouped[1])
    assert grouped[0] == grouped[1]
