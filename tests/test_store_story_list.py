"""The story list reads the newest stories a slice at a time: whatever the slices, it lists what counting every
story would list (order by last post then id, at least N sources, stories without posts left out, paged)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.store import stories as story_store
from watchfloor.store.tables import posts, sources, stories

START = datetime(2024, 5, 1, tzinfo=UTC)
CHANNELS = 6
STORIES = 330  # more than the first slice (at least 100 stories), so that paging crosses slices


@pytest.fixture
def archive(store: Engine, tmp_path: Path) -> Engine:
    """Posts from six channels in 330 stories of 1 to 6 channels; last_seen ties between stories; one story
    without posts."""
    rng = random.Random(7)
    for channel in range(CHANNELS):
        messages = [message(i + 1, f"Delegations met in Amman, bulletin {channel}-{i}.",
                            int((START + timedelta(minutes=i)).timestamp())) for i in range(200)]
        runner.import_telegram_export(store, write_export(tmp_path / f"c{channel}", 1900000800 + channel,
                                                          f"Wire {channel}", messages))
    with store.begin() as conn:
        by_source: dict[int, list[int]] = {}
        for post_id, source_id in conn.execute(sa.select(posts.c.id, posts.c.source_id).order_by(posts.c.id)):
            by_source.setdefault(source_id, []).append(post_id)
        pools = list(by_source.values())
        assignments: dict[int, int] = {}
        for story in range(STORIES):
            # mostly one or two channels, as in an archive; a few stories in many
            width = rng.choice([1, 1, 1, 2, 2, 3, 4, 6]) if story % 50 else CHANNELS
            for pool in rng.sample(pools, width):
                for _ in range(rng.randint(1, 2)):
                    if pool:
                        assignments[pool.pop()] = -(story + 1)
        story_store.apply_assignments(conn, assignments)
        ids = sorted(story_store.story_channels(conn, range(1, 10**6)))
        metas = []
        for number, story_id in enumerate(ids):
            moment = START + timedelta(hours=rng.randrange(120))  # many stories share a last_seen
            metas.append((story_id, f"story {number}", moment - timedelta(hours=1), moment))
        story_store.set_stories_meta(conn, metas)
        conn.execute(sa.insert(stories).values(title="no posts", first_seen=START + timedelta(days=9),
                                                           last_seen=START + timedelta(days=9), updated_at=START))
    return store


def _counted(store: Engine, min_sources: int) -> list[tuple[int, int, list[str]]]:
    """What counting every story gives: (id, posts, source keys), newest first."""
    with store.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT s.id, s.last_seen, count(*) AS n, count(DISTINCT p.source_id) AS c FROM stories s "
            "JOIN story_posts sp ON sp.story_id = s.id JOIN posts p ON p.id = sp.post_id "
            "GROUP BY s.id, s.last_seen")).all()
        keys: dict[int, set[str]] = {}
        for story_id, key in conn.execute(sa.text(
                "SELECT sp.story_id, so.key FROM story_posts sp JOIN posts p ON p.id = sp.post_id "
                "JOIN sources so ON so.id = p.source_id")):
            keys.setdefault(story_id, set()).add(key)
    kept = sorted((r for r in rows if r.c >= min_sources), key=lambda r: (r.last_seen, r.id), reverse=True)
    return [(r.id, int(r.n), sorted(keys[r.id])) for r in kept]


CASES = [(1, 50, 0), (1, 200, 0), (2, 50, 0), (2, 40, 120), (2, 1000, 0), (3, 25, 30), (4, 10, 0), (6, 5, 0),
         (6, 100, 2), (7, 10, 0), (1, 1, 329), (1, 10, 400)]  # (min_sources, limit, offset)


def test_list_matches_counting_every_story(archive: Engine) -> None:
    for min_sources, limit, offset in CASES:
        expected = _counted(archive, min_sources)[offset:offset + limit]
        with archive.connect() as conn:
            listed = story_store.list_stories(conn, min_sources, limit=limit, offset=offset)
        assert [(s.id, s.post_count, s.sources) for s in listed] == expected, (min_sources, limit, offset)
        assert len(listed) <= limit


def test_the_sliced_list_sees_every_qualifying_story(archive: Engine) -> None:
    """Stories of all six channels are one in fifty: a list of them must read past many slices."""
    with archive.connect() as conn:
        wide = story_store.list_stories(conn, CHANNELS, limit=1000)
        everything = story_store.list_stories(conn, 1, limit=10_000)
        all_keys = set(conn.execute(sa.select(sources.c.key)).scalars())
    assert len(wide) == len(_counted(archive, CHANNELS)) >= STORIES // 50
    assert all(set(s.sources) == all_keys for s in wide)
    assert "no posts" not in {s.title for s in everything}
    assert len(everything) == len({s.id for s in everything}) == len(_counted(archive, 1))
