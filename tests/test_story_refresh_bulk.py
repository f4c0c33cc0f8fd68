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
from watchfloor.models import Entity, Post, StoryCoding
from watchfloor.pipeline.coding import code_story
from watchfloor.pipeline.context import place_context
from watchfloor.store import coding as coding_store
from watchfloor.store import kb as kb_store
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


def test_every_story_of_the_sample_gets_its_own_title_span_and_coding(store: Engine) -> None:
    """Dozens of stories in one statement each way, half of them coded before and half not: no story takes
    another's values."""
    import_sample(store)
    ids = _story_ids(store)
    assert len(ids) > 20
    moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
    metas = [(i, f"Report number {n} on the talks", moment + timedelta(hours=n), moment + timedelta(hours=2 * n))
             for n, i in enumerate(ids)]
    made = {i: StoryCoding("statement" if n % 2 else None, {"statement": n}, {n: "report"}, [f"org:{n}"], None)
            for n, i in enumerate(ids)}
    with store.begin() as conn:
        coding_store.forget_codings(conn, ids[::2])
        story_store.set_stories_meta(conn, metas)
        coding_store.save_codings(conn, made, "test-coder")
    with store.connect() as conn:
        rows = {row.id: row for row in conn.execute(sa.select(stories).where(stories.c.id.in_(ids)))}
        stored = coding_store.codings_of(conn, ids)
        counted = conn.execute(sa.select(sa.func.count()).select_from(story_coding)
                               .where(story_coding.c.story_id.in_(ids))).scalar_one()
    for story_id, title, first, last in metas:
        assert rows[story_id].title == title
        assert rows[story_id].first_seen.replace(tzinfo=UTC) == first
        assert rows[story_id].last_seen.replace(tzinfo=UTC) == last
    assert stored == made and counted == len(ids)


def _coded_reading_every_mention(posts: list[Post], entities: dict[str, Entity]) -> StoryCoding:
    """``code_story`` as it was, reading the words before every mention, not only places' (the reference)."""
    coding = code_story(posts, entities)
    located: dict[str, int] = {}
    named: dict[str, int] = {}
    for post in posts:
        for entity_id in {m.entity_id for m in post.mentions}:
            named[entity_id] = named.get(entity_id, 0) + 1
        for entity_id in {m.entity_id for m in post.mentions if m.start >= 0 and place_context(post.text, m.start)}:
            located[entity_id] = located.get(entity_id, 0) + 1
    ranked = sorted(named, key=lambda i: (-named[i], i))
    places = [i for i in sorted(ranked, key=lambda i: -located.get(i, 0))
              if i in entities and entities[i].type == "place"]
    return StoryCoding(coding.event_type, coding.type_votes, coding.stances, coding.actors,
                       places[0] if places else None)


def test_a_storys_place_is_the_same_when_only_places_are_read(store: Engine) -> None:
    """Every story of the sample: the place ``code_story`` picks, reading the context of places only, is the one
    it picked reading every mention's."""
    import_sample(store)
    with store.connect() as conn:
        posts_of = story_store.stories_posts(conn, _story_ids(store))
        entities = kb_store.entities_by_id(conn, {m.entity_id for ps in posts_of.values() for p in ps
                                                  for m in p.mentions})
    assert sum(1 for ps in posts_of.values() if code_story(ps, entities).place) > 10
    for members in posts_of.values():
        assert code_story(members, entities) == _coded_reading_every_mention(members, entities)
