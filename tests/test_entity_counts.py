"""The counts kept per entry (posts per day, per source, posts shared with another entry) always equal what
counting the stored mentions from scratch gives: after processing, after a batch is written again with other
mentions (dropped, doubled, new), after a merge and after a rejection; and the entry pages read them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from conftest import import_sample
from watchfloor.models import Mention
from watchfloor.store import activity, entity_counts
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store.tables import entity_days, entity_pairs, entity_sources, entity_totals, mentions, posts


def _kept(conn: Connection) -> dict[str, set[tuple[Any, ...]]]:
    return {table.name: {tuple(row) for row in conn.execute(sa.select(table))}
            for table in (entity_days, entity_totals, entity_sources, entity_pairs)}


def _fresh(conn: Connection) -> dict[str, set[tuple[Any, ...]]]:
    """Counting from scratch in Python, from the mentions and posts rows."""
    named: dict[int, Counter[str]] = {}
    for post_id, entity_id in conn.execute(sa.select(mentions.c.post_id, mentions.c.entity_id)):
        named.setdefault(post_id, Counter())[entity_id] += 1
    where = {row.id: row for row in conn.execute(sa.select(posts.c.id, posts.c.posted_at, posts.c.source_id))}
    days: Counter[tuple[str, Any]] = Counter()
    said: Counter[tuple[str, Any]] = Counter()
    by_source: Counter[tuple[str, int]] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for post_id, entities in named.items():
        day = where[post_id].posted_at.astimezone(UTC).date()
        for entity, n in entities.items():
            days[(entity, day)] += 1
            said[(entity, day)] += n
            by_source[(entity, where[post_id].source_id)] += 1
        pairs.update((a, b) for a in entities for b in entities if a != b)
    totals: dict[str, list[int]] = {}
    for (e, d), n in days.items():
        totals.setdefault(e, [0, 0])
        totals[e][0] += n
        totals[e][1] += said[(e, d)]
    return {"entity_days": {(e, d, n, said[(e, d)]) for (e, d), n in days.items()},
            "entity_totals": {(e, n, m) for e, (n, m) in totals.items()},
            "entity_sources": {(e, s, n) for (e, s), n in by_source.items()},
            "entity_pairs": {(a, b, n) for (a, b), n in pairs.items()}}


def _check(conn: Connection) -> None:
    kept = _kept(conn)
    assert kept == _fresh(conn)
    entity_counts.recount(conn)  # counting again in SQL gives the same rows
    assert _kept(conn) == kept


def test_counts_follow_every_write_of_mentions(store: Engine) -> None:
    import_sample(store)
    with store.begin() as conn:
        kept = _kept(conn)
        assert len(kept["entity_days"]) > 20 and kept["entity_pairs"]  # the sample names many entries together
        _check(conn)
        batch = post_store.load_posts(conn, list(conn.execute(
            sa.select(mentions.c.post_id).distinct().order_by(mentions.c.post_id)).scalars())[:12])
        busiest = Counter(m.entity_id for p in batch for m in p.mentions).most_common(1)[0][0]
        for number, post in enumerate(batch):  # each post written again with other mentions
            if number % 3 == 0:
                post.mentions = post.mentions[1:]  # one dropped
            elif number % 3 == 1 and post.mentions:
                post.mentions.append(Mention(post.mentions[0].entity_id, "again", 0, 5))  # one named twice
            else:
                post.mentions.append(Mention(busiest, "added", 0, 5))
        post_store.save_analysis(conn, batch, {"test": "1"})
        _check(conn)
        post_store.save_analysis(conn, batch[:4], {"test": "2"})  # written again unchanged: nothing moves
        _check(conn)
        for post in batch[4:8]:
            post.mentions = []
        post_store.save_analysis(conn, batch[4:8], {"test": "3"})
        _check(conn)
        ranked = [e.id for e, _ in kb_store.list_entities(conn, None, "kb", 50)]
        kb_store.merge_entities(conn, ranked[1], ranked[0], str.casefold)
        _check(conn)
        assert not conn.execute(sa.select(entity_days).where(entity_days.c.entity_id == ranked[1])).first()
        kb_store.set_status(conn, ranked[2], "rejected")
        _check(conn)


def test_entry_pages_read_the_kept_counts(store: Engine) -> None:
    import_sample(store)
    with store.connect() as conn:
        busiest = kb_store.list_entities(conn, None, "kb", 1)[0][0].id
        naming = set(conn.execute(sa.select(mentions.c.post_id).where(mentions.c.entity_id == busiest)).scalars())
        rows = conn.execute(sa.select(posts.c.id, posts.c.posted_at, posts.c.source_id)
                            .where(posts.c.id.in_(naming))).all()
        timeline = activity.entity_timeline(conn, busiest)
        assert timeline == sorted(Counter(r.posted_at.astimezone(UTC).date() for r in rows).items())
        assert sum(n for _, n in timeline) == len(naming)
        sources = activity.entity_sources(conn, busiest)
        assert sorted(n for *_, n in sources) == sorted(Counter(r.source_id for r in rows).values())
        together = activity.co_mentioned(conn, busiest, limit=100)
        shared = Counter(entity for post_id, entity in conn.execute(
            sa.select(mentions.c.post_id, mentions.c.entity_id).distinct().where(mentions.c.post_id.in_(naming)))
            if entity != busiest)
        assert {(i, n) for i, _, _, n in together} == set(shared.items())
        listed = dict((e.id, n) for e, n in kb_store.list_entities(conn, None, "kb", 500))
        said = Counter(conn.execute(sa.select(mentions.c.entity_id)).scalars())
        assert {i: n for i, n in listed.items() if n} == {i: n for i, n in said.items() if i in listed}


def test_posts_naming_an_entry_are_the_same_whichever_way_they_are_read(store: Engine,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry's posts are read first when they are few, else found walking the newest posts: same pages."""
    import_sample(store)
    with store.connect() as conn:
        ranked = [e.id for e, n in kb_store.list_entities(conn, None, "kb", 500) if n]
        for entity in (ranked[0], ranked[len(ranked) // 2], ranked[-1]):
            naming = set(conn.execute(sa.select(mentions.c.post_id).where(mentions.c.entity_id == entity)).scalars())
            newest_first = [row.id for row in conn.execute(sa.select(posts.c.id, posts.c.posted_at)
                                                           .where(posts.c.id.in_(naming))
                                                           .order_by(posts.c.posted_at.desc(), posts.c.id.desc()))]
            pages = {}
            for few in (True, False):
                monkeypatch.setattr(post_store, "_few_posts", lambda conn, entity_id, few=few: few)
                flt = post_store.PostFilter(entity=entity)
                pages[few] = [[p.id for p in post_store.list_posts(conn, flt, limit=3, offset=offset)]
                              for offset in (0, 3)]
            assert pages[True] == pages[False] == [newest_first[:3], newest_first[3:6]]
    monkeypatch.undo()
    with store.connect() as conn:  # the sample is small: every entry's posts count as few
        assert post_store._few_posts(conn, ranked[0])
