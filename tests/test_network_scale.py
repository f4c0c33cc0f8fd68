"""The network at scale, on SQLite and PostgreSQL: the counts made in the database equal the per-post
aggregation they replaced (kept here as the oracle), a graph of 600+ channels draws its most linked nodes
and says how many it leaves out, and the page's kept view is the same page until a post arrives."""

from __future__ import annotations

import importlib
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.engine import Connection, Engine

from conftest import LiveServer, import_sample
from watchfloor.models import Role
from watchfloor.network import build_graph, find_returns
from watchfloor.network.view import DRAWN
from watchfloor.store import users as user_store
from watchfloor.store.network import NO_AFFILIATION, SourceProfile, affiliation_days, source_profiles
from watchfloor.store.tables import media, post_media, posts, sources
from watchfloor.web.auth import hash_password
from webclient import Reader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))  # the bench script and its helpers
bench = importlib.import_module("network_scale")
PASSWORD = "a long enough password"


def _old_profiles(conn: Connection) -> tuple[dict[str, SourceProfile], dict[str, Counter[date]]]:
    """The per-post aggregation in Python that `store.network.source_profiles` replaced (every message
    post read), and the posts per day by affiliation that the page counted from it."""
    profiles = {row.key: SourceProfile(key=row.key, name=row.name, handle=row.handle, channel_id=row.channel_id,
                                       affiliation=row.affiliation)
                for row in conn.execute(sa.select(sources).order_by(sources.c.id))}
    days: dict[str, Counter[date]] = defaultdict(Counter)
    sums: dict[str, Any] = {}
    query = (sa.select(sources.c.key, posts.c.posted_at, posts.c.forwarded_from, posts.c.forwarded_from_id,
                       posts.c.indicators, posts.c.embedding)
             .join(sources, sources.c.id == posts.c.source_id).where(posts.c.kind == "message").order_by(posts.c.id))
    for row in conn.execute(query):
        profile = profiles[row.key]
        profile.posts += 1
        profile.first = row.posted_at if profile.first is None else min(profile.first, row.posted_at)
        profile.last = row.posted_at if profile.last is None else max(profile.last, row.posted_at)
        days[profile.affiliation or NO_AFFILIATION][row.posted_at.date()] += 1
        if row.forwarded_from_id or row.forwarded_from:
            profile.forwards[str(row.forwarded_from_id or row.forwarded_from)] += 1
        for indicator in row.indicators or []:
            if indicator.get("kind") == "telegram_handle":
                profile.mentions[str(indicator["value"]).lstrip("@").lower()] += 1
        if row.embedding is not None:
            vector = np.frombuffer(row.embedding, dtype=np.float32).astype(np.float64)
            sums[row.key] = vector if row.key not in sums else sums[row.key] + vector
    for key, pdq in conn.execute(sa.select(sources.c.key, media.c.pdq).join(posts, posts.c.source_id == sources.c.id)
                                 .join(post_media, post_media.c.post_id == posts.c.id)
                                 .join(media, media.c.sha256 == post_media.c.sha256)
                                 .where(media.c.pdq.is_not(None), media.c.status == "ok")):
        profiles[key].images.add(str(pdq))
    for key, total in sums.items():
        profiles[key].centroid = total / np.linalg.norm(total)
    return profiles, days


def _assert_same_as_the_old_aggregation(engine: Engine) -> None:
    with engine.connect() as conn:
        old, old_days = _old_profiles(conn)
        new = source_profiles(conn)
        assert list(new) == list(old)
        for key, was in old.items():
            now = new[key]
            assert (now.posts, now.first, now.last, now.images) == (was.posts, was.first, was.last, was.images), key
            # the same counts in the same order (first forwarded or named first), so the graph is built alike
            assert list(now.forwards.items()) == list(was.forwards.items()), key
            assert list(now.mentions.items()) == list(was.mentions.items()), key
            assert (now.centroid is None) == (was.centroid is None), key
            if was.centroid is not None:
                assert np.allclose(now.centroid, was.centroid, atol=1e-6), key
        assert {name: dict(series) for name, series in affiliation_days(conn).items()} == \
            {name: dict(counts) for name, counts in old_days.items()}
        old_graph, new_graph = build_graph(conn, old), build_graph(conn)
        assert list(new_graph.nodes(data=True)) == list(old_graph.nodes(data=True))
        assert list(new_graph.edges(data=True)) == list(old_graph.edges(data=True))
        assert find_returns(conn) == find_returns(conn, profiles=old)


def test_the_sample_counts_equal_the_per_post_aggregation(store: Engine) -> None:
    import_sample(store)
    _assert_same_as_the_old_aggregation(store)


def test_synthetic_counts_equal_the_per_post_aggregation(store: Engine) -> None:
    bench.write_network(store, channels=60, total_posts=1800)
    with store.connect() as conn:
        assert find_returns(conn)  # the generator's successors are found, so the comparison compares something
    _assert_same_as_the_old_aggregation(store)


def _analyst(engine: Engine) -> tuple[LiveServer, Reader]:
    with engine.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password(PASSWORD), Role.ANALYST)
    server = LiveServer(engine)
    reader = Reader(server.url)
    reader.login("analyst@example.org", PASSWORD)
    return server, reader


def test_six_hundred_channels_draw_the_most_linked_and_list_the_rest(store: Engine) -> None:
    bench.write_network(store, channels=620, total_posts=1860)
    with store.connect() as conn:
        graph = build_graph(conn)
    assert graph.number_of_nodes() > 620  # and outside channels, past the 500 where spring_layout needed scipy
    server, analyst = _analyst(store)
    try:
        response = analyst.get("/network")
        assert response.status_code == 200
        page = BeautifulSoup(response.text, "html.parser")
        assert len(page.select("svg.network circle.node")) == DRAWN
        assert int(page.select_one("#left-out").get_text()) == graph.number_of_nodes() - DRAWN
        assert sum(len(li.get_text().split(", ")) for li in page.select("ol li")) >= graph.number_of_nodes()
        assert 0 < len(page.select("svg.network line.edge")) < graph.number_of_edges()
    finally:
        analyst.close()
        server.stop()


_UPDATING = re.compile(r'<p class="muted" id="updating">.*?</p>')


def _content(html: str) -> str:
    return re.sub(r'name="csrf" value="[^"]*"', "", html)


def test_the_kept_view_is_the_same_page_until_a_post_arrives_then_computed_again(store: Engine) -> None:
    bench.write_network(store, channels=40, total_posts=400)
    server, analyst = _analyst(store)
    cache = server.server.config.app.state.network
    try:
        first, again = analyst.get("/network").text, analyst.get("/network").text
        assert _content(first) == _content(again) and cache.computed == 1
        with store.begin() as conn:
            source_id = conn.execute(sa.select(sources.c.id).where(sources.c.handle == "chan5")).scalar_one()
            vector = np.ones(384, np.float32).tobytes()
            conn.execute(sa.insert(posts), [bench._post(source_id, 999, datetime(2024, 7, 1, tzinfo=UTC), "New.",
                                                        ("channel1990000033", "Channel 33"), None, vector)])
        stale = analyst.get("/network").text  # the kept view at once, while the new one is computed
        assert 'id="updating"' in stale and _content(_UPDATING.sub("", stale)) == _content(first)
        cache.settle(60)
        changed = analyst.get("/network").text
        assert cache.computed == 2 and _content(changed) != _content(first) and 'id="updating"' not in changed
        assert "2024-07-01: 1" in changed  # the new post's day in its affiliation's chart
        with store.connect() as conn:
            graph = build_graph(conn)
        assert graph.edges["telegram:1990000005", "telegram:1990000033"]["forward"] >= 1
        assert _content(analyst.get("/network").text) == _content(changed) and cache.computed == 2
    finally:
        analyst.close()
        server.stop()


@pytest.mark.parametrize("channels", [1, 3])
def test_a_tiny_network_draws_every_node(store: Engine, channels: int) -> None:
    bench.write_network(store, channels=channels, total_posts=channels * 4)
    server, analyst = _analyst(store)
    try:
        page = BeautifulSoup(analyst.get("/network").text, "html.parser")
        with store.connect() as conn:
            assert len(page.select("svg.network circle.node")) == build_graph(conn).number_of_nodes()
        assert page.select_one("#left-out") is None
    finally:
        analyst.close()
        server.stop()


def test_the_first_request_need_not_wait_for_the_first_view(store: Engine) -> None:
    """As `watchfloor serve` sets it up: the view is started at once, and a request that comes before it is
    ready is told so at once, on a page that reloads itself, instead of waiting for it."""
    bench.write_network(store, channels=40, total_posts=400)
    server, analyst = _analyst(store)
    cache = server.server.config.app.state.network
    cache.first_wait = 0  # not at all: the page below is the one a request gets while the view is computed
    try:
        waiting = BeautifulSoup(analyst.get("/network").text, "html.parser")
        if cache.computed == 0:  # the thread started by the request may have finished already
            assert waiting.select_one("#computing") is not None and not waiting.select("svg.network")
            assert waiting.select_one('meta[http-equiv="refresh"]') is not None
        cache.settle(60)
        assert cache.computed == 1
        ready = BeautifulSoup(analyst.get("/network").text, "html.parser")
        assert ready.select_one("#computing") is None and ready.select_one('meta[http-equiv="refresh"]') is None
        assert ready.select("svg.network circle.node")
        cache.warm()  # nothing changed: warming again computes nothing
        cache.settle(60)
        assert cache.computed == 1
    finally:
        analyst.close()
        server.stop()


def test_a_new_view_waits_a_few_times_what_the_last_took(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A monitor writing posts all the time does not keep a core busy with the network: the next view starts
    no sooner than ``spacing`` times the last one's computing time after it ended."""
    from watchfloor.network import view as view_module

    bench.write_network(store, channels=40, total_posts=400)
    pauses: list[float] = []
    monkeypatch.setattr(view_module.time, "sleep", pauses.append)
    cache = view_module.NetworkCache(store, spacing=1e6)  # the pause is recorded, not slept
    with store.connect() as conn:
        first = cache.view(conn)
    assert first is not None and cache.computed == 1
    took = first.seconds
    with store.begin() as conn:
        source_id = conn.execute(sa.select(sources.c.id).where(sources.c.handle == "chan5")).scalar_one()
        conn.execute(sa.insert(posts), [bench._post(source_id, 999, datetime(2024, 7, 1, tzinfo=UTC), "New.",
                                                    None, None, None)])
    with store.connect() as conn:
        stale = cache.view(conn)
    assert stale is not None and stale.updating
    cache.settle(60)
    assert cache.computed == 2 and len(pauses) == 1 and 0 < pauses[0] <= 1e6 * took
    cache.spacing = 0.0  # and none when told so
    with store.begin() as conn:
        conn.execute(sa.insert(posts), [bench._post(source_id, 1000, datetime(2024, 7, 2, tzinfo=UTC), "Newer.",
                                                    None, None, None)])
    with store.connect() as conn:
        assert cache.view(conn).updating  # type: ignore[union-attr]
    cache.settle(60)
    assert cache.computed == 3 and len(pauses) == 1
