"""A run's stories are titled and coded together: one statement for every story's title and time span, one
delete and one insert for their codings (``store.stories.set_stories_meta``, ``store.coding.save_codings``), on
SQLite and PostgreSQL. Each story gets its own values, a coding is replaced rather than doubled, and stories
left out are untouched; a refreshed story that lost its posts is deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import import_sample
from watchfloor.engine.driver import refresh_stories
from watchfloor.models import StoryCoding
from watchfloor.store import coding as coding_store
from watchfloor.store import stories as story_store
from watchfloor.store.tables import stories, story_coding, story_posts


def _story_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [s.id for s in story_store.list_stories(conn, limit=10_000)]


def test_codings_saved_together_replace_each_storys_own(store: Engine) -> None:
    import_sample(store)
    first, second, third = _story_ids(store)[:3]
    with store.connect() as conn:
        before = coding_store.codings_of(conn, [third])[third]
    made = {first: StoryCoding("attack_claim", {"attack_claim": 2}, {11: "claim"}, ["org:a"], "place:x"),
            second: StoryCoding(None, {}, {12: "report", 13: "denial"}, [], None)}
    for _ in range(2):  # saved twice: replaced, never doubled
        with store.begin() as conn:
            coding_store.save_codings(conn, made, "test-coder")
    with store.connect() as conn:
        stored = coding_store.codings_of(conn, [first, second, third])
        rows = conn.execute(sa.select(story_coding.c.story_id, sa.func.count()).group_by(story_coding.c.story_id)
                            .where(story_coding.c.story_id.in_([first, second, third]))).all()
        coders = dict(conn.execute(sa.select(story_coding.c.story_id, story_coding.c.coder)
                                   .where(story_coding.c.story_id.in_([first, second, third]))).all())
    assert stored == {first: made[first], second: made[second], third: before}
    assert sorted(count for _, count in rows) == [1, 1, 1]
    assert coders[first] == coders[second] == "test-coder" != coders[third]


def test_titles_and_spans_set_together_are_each_storys_own(store: Engine) -> None:
    import_sample(store)
    ids = _story_ids(store)[:3]
    with store.connect() as conn:
        untouched = conn.execute(sa.select(stories.c.title).where(stories.c.id == ids[2])).scalar_one()
    moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with store.begin() as conn:
        story_store.set_stories_meta(conn, [(ids[0], "Meeting reported in Doha", moment, moment + timedelta(hours=2)),
                                            (ids[1], "Statement on the ceasefire talks", moment - timedelta(days=1),
                                             moment)])
        story_store.set_stories_meta(conn, [])  # nothing to set: no statement
    with store.connect() as conn:
        rows = {row.id: row for row in conn.execute(sa.select(stories).where(stories.c.id.in_(ids)))}
    assert rows[ids[0]].title == "Meeting reported in Doha"
    assert rows[ids[1]].title == "Statement on the ceasefire talks"
    assert rows[ids[2]].title == untouched
    assert (rows[ids[0]].last_seen.replace(tzinfo=UTC) - rows[ids[0]].first_seen.replace(tzinfo=UTC)
            == timedelta(hours=2))
    assert rows[ids[1]].first_seen.replace(tzinfo=UTC) == moment - timedelta(days=1)


def test_a_refresh_deletes_the_story_that_lost_its_posts_and_codes_the_rest(store: Engine) -> None:
    import_sample(store)
    emptied, kept = _story_ids(store)[:2]
    with store.begin() as conn:
        conn.execute(story_posts.delete().where(story_posts.c.story_id == emptied))
        coding_store.forget_codings(conn, [kept])
    refresh_stories(store, {emptied, kept}, {}, {})
    with store.connect() as conn:
        left = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_([emptied, kept]))).scalars())
        coded = coding_store.codings_of(conn, [kept])
    assert left == {kept}
    assert kept in coded
