"""Full-text search is driven by the index: its cost follows the matches, whatever the word or filter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy import event
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, message, write_export
from watchfloor import runner
from watchfloor.store import posts as post_store
from watchfloor.store import search as search_store
from watchfloor.store import sources as source_store
from watchfloor.store.tables import entities, mentions, posts, sources
from watchfloor.web import workspace
from webclient import Reader

WIRE = "The delegation arrived in Baghdad on Tuesday for talks"
OTHER = "Ministers met in Doha on Thursday"


def _archive(store: Engine, tmp_path: Path) -> None:
    """Two channels: the first says Baghdad in 90 of 120 posts, the second in 6 of 10."""
    first = [message(i, f"{WIRE if i % 4 else OTHER} (report {i})", 1716458400 + i) for i in range(1, 121)]
    second = [message(i, f"{WIRE if i <= 6 else OTHER} (bulletin {i})", 1716458400 + i) for i in range(1, 11)]
    runner.import_telegram_export(store, write_export(tmp_path / "a", 1900000001, "Wire A", first))
    runner.import_telegram_export(store, write_export(tmp_path / "b", 1900000002, "Wire B", second))


def test_a_common_word_fills_the_page_with_matches_only(store: Engine, tmp_path: Path) -> None:
    _archive(store, tmp_path)
    with store.connect() as conn:
        found = search_store.search_posts(conn, "Baghdad", limit=50)
        assert len(found) == 50 and all("Baghdad" in p.text for p in found)
        assert len({p.id for p in found}) == 50
        assert len(search_store.search_posts(conn, "Baghdad", limit=500)) == 96


@pytest.mark.parametrize("word,expected", [("Baghdad", 6), ("Doha", 4), ("bulletin", 10), ("report", 0),
                                           ("Kandahar", 0)])
def test_a_filter_applies_before_the_page_is_cut(store: Engine, tmp_path: Path, word: str, expected: int) -> None:
    """The smaller channel's matches are found although the larger one's rank as well and come first by id."""
    _archive(store, tmp_path)
    with store.connect() as conn:
        found = search_store.search_posts(conn, word, post_store.PostFilter(source="telegram:1900000002"), limit=5)
        assert len(found) == min(expected, 5)
        assert all(p.source.key == "telegram:1900000002" and word in p.text for p in found)


def _statements_of_search(store: Engine, word: str,
                          flt: post_store.PostFilter | None = None) -> list[tuple[str, Any]]:
    """The SQL statements (with their parameters) that one search for ``word`` (and ``flt``) runs."""
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append((statement, parameters))

    event.listen(store, "before_cursor_execute", keep)
    try:
        with store.connect() as conn:
            search_store.search_posts(conn, word, flt, limit=10)
    finally:
        event.remove(store, "before_cursor_execute", keep)
    return statements


@pytest.mark.parametrize("flt", [post_store.PostFilter(), post_store.PostFilter(source="telegram:1900000001"),
                                 post_store.PostFilter(lang="en"), post_store.PostFilter(entity="Q1"),
                                 post_store.PostFilter(affiliation="state media")])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_reads_posts_by_id_from_the_index_never_by_a_scan(store: Engine, tmp_path: Path,
                                                                 flt: post_store.PostFilter) -> None:
    _archive(store, tmp_path)
    statements = _statements_of_search(store, "Baghdad", flt)
    with store.connect() as conn:
        [(statement, parameters)] = [s for s in statements if "posts_fts MATCH" in s[0]]
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        assert any("posts_fts VIRTUAL TABLE" in step for step in plan), plan
        assert not any(step.startswith("SCAN posts") and "posts_fts" not in step for step in plan), plan
        assert any(step.startswith("SEARCH posts USING INTEGER PRIMARY KEY") for step in plan), plan
        assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar_one() == 130


# A word in more posts than the search window: ranked among the newest window, every match still reachable.

PORT = ["Shipping resumed at the port of Basra on Monday, officials said (bulletin {n}).",
        "The Basra port authority said shipping resumed in Basra on Monday (bulletin {n}).",
        "Basra officials said shipping resumed in Basra and the Basra terminal stayed open (bulletin {n})."]
OIL = "Crude exports from Kirkuk rose in May, the oil ministry said (bulletin {n})."
WINDOW = 20
PASSWORD = "a long enough password"


@pytest.fixture
def window(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(search_store, "SEARCH_WINDOW", WINDOW)
    return WINDOW


def _port_archive(store: Engine, tmp_path: Path) -> dict[str, list[int]]:
    """Wire B first (the oldest ids, May 2024): six posts, the first the best match for Basra of all (four
    times); then Wire A (June 2024): forty posts naming Basra once to three times, Kirkuk in five of them."""
    best = PORT[2].replace("terminal", "terminal in Basra")
    second = [message(n, (best if n == 1 else PORT[n % 2]).format(n=n), 1714560000 + n) for n in range(1, 7)]
    first = [message(n, (PORT[n % 3] + (" " + OIL if n % 8 == 0 else "")).format(n=n), 1717200000 + n)
             for n in range(1, 41)]
    runner.import_telegram_export(store, write_export(tmp_path / "b", 1900000002, "Wire B", second))
    runner.import_telegram_export(store, write_export(tmp_path / "a", 1900000001, "Wire A", first))
    with store.begin() as conn:
        ids = {key: post_store.source_post_ids(conn, source_store.source_row_id(conn, key))
               for key in ("telegram:1900000001", "telegram:1900000002")}
    return {"a": ids["telegram:1900000001"], "b": ids["telegram:1900000002"]}


def _ids(conn: Any, word: str, flt: post_store.PostFilter | None = None, limit: int = 500,
         offset: int = 0) -> list[int]:
    return [p.id for p in search_store.search_posts(conn, word, flt, limit=limit, offset=offset)]


def _full_ranking(conn: Any, word: str, flt: post_store.PostFilter | None = None) -> list[int]:
    """Every match best first, as one window (what a search did before windows)."""
    saved = search_store.SEARCH_WINDOW
    search_store.SEARCH_WINDOW = 10**6
    try:
        return _ids(conn, word, flt)
    finally:
        search_store.SEARCH_WINDOW = saved


def test_a_common_word_is_ranked_among_the_newest_window_only(store: Engine, tmp_path: Path,
                                                              window: int) -> None:
    ids = _port_archive(store, tmp_path)
    with store.connect() as conn:
        full = _full_ranking(conn, "Basra")
        assert len(full) == 46 and full[0] == ids["b"][0]  # the oldest post is the best match of all
        newest = set(sorted(full, reverse=True)[:window])
        page = _ids(conn, "Basra", limit=10)
        assert page == [i for i in full if i in newest][:10]  # best first, within the window
        assert ids["b"][0] not in page  # ranking every match would have put it first


def test_paging_reaches_every_match_once_window_after_window(store: Engine, tmp_path: Path, window: int) -> None:
    _port_archive(store, tmp_path)
    with store.connect() as conn:
        full = _full_ranking(conn, "Basra")
        by_id = sorted(full, reverse=True)
        expected = [i for start in range(0, len(by_id), window) for i in full
                    if i in set(by_id[start:start + window])]
        paged = [i for offset in range(0, 60, 7) for i in _ids(conn, "Basra", limit=7, offset=offset)]
        assert paged == expected and len(set(paged)) == 46


@pytest.mark.parametrize("flt", [None, post_store.PostFilter(source="telegram:1900000001")])
@pytest.mark.parametrize("limit", [2, 5, 50])
def test_a_word_in_fewer_posts_than_the_window_is_ranked_in_full(store: Engine, tmp_path: Path, window: int,
                                                                 flt: post_store.PostFilter | None,
                                                                 limit: int) -> None:
    _port_archive(store, tmp_path)
    with store.connect() as conn:
        full = _full_ranking(conn, "Kirkuk", flt)
        assert len(full) == 5
        assert _ids(conn, "Kirkuk", flt, limit=limit) == full[:limit]
        assert _ids(conn, "Kirkuk Basra", flt, limit=limit) == _full_ranking(conn, "Kirkuk Basra", flt)[:limit]


def _mark_wire_b(store: Engine, ids: list[int]) -> None:
    """Wire B as a tagged state outlet writing in Arabic, its posts naming an entity."""
    with store.begin() as conn:
        conn.execute(sources.update().where(sources.c.key == "telegram:1900000002")
                     .values(affiliation="state media", tags=["iraq", "ports"]))
        conn.execute(posts.update().where(posts.c.id.in_(ids)).values(lang="ar"))
        conn.execute(entities.insert().values(id="Q48195", type="place", name="Basra", attrs={}, status="kb",
                                              updated_at=datetime(2024, 5, 1, tzinfo=UTC)))
        conn.execute(mentions.insert(), [{"post_id": i, "entity_id": "Q48195", "surface": "Basra", "span_start": 0,
                                          "span_end": 5, "score": 1.0} for i in ids])


@pytest.mark.parametrize("flt", [post_store.PostFilter(source="telegram:1900000002"),
                                 post_store.PostFilter(lang="ar"), post_store.PostFilter(entity="Q48195"),
                                 post_store.PostFilter(affiliation="state media"),
                                 post_store.PostFilter(tags=["ports"]), post_store.PostFilter(tags=["iraq", "ports"]),
                                 post_store.PostFilter(until=datetime(2024, 6, 1, tzinfo=UTC)),
                                 post_store.PostFilter(since=datetime(2024, 5, 1, tzinfo=UTC),
                                                       until=datetime(2024, 5, 2, tzinfo=UTC))])
def test_a_filter_reaches_matches_outside_the_unfiltered_window(store: Engine, tmp_path: Path, window: int,
                                                                flt: post_store.PostFilter) -> None:
    """Wire B's posts are the oldest matches, far outside the newest window; each filter finds them all,
    best first, because the window is cut after the filters."""
    ids = _port_archive(store, tmp_path)
    _mark_wire_b(store, ids["b"])
    with store.connect() as conn:
        assert not set(ids["b"]) & set(_ids(conn, "Basra", limit=window))
        found = search_store.search_posts(conn, "Basra", flt, limit=10)
        assert sorted(p.id for p in found) == ids["b"]
        assert [p.id for p in found] == _full_ranking(conn, "Basra", flt) and found[0].id == ids["b"][0]
        assert _ids(conn, "Basra", post_store.PostFilter(tags=["ports", "syria"])) == []


def test_a_tag_filter_fills_a_listing_page(store: Engine, tmp_path: Path) -> None:
    ids = _port_archive(store, tmp_path)
    _mark_wire_b(store, ids["b"])
    with store.connect() as conn:
        listed = post_store.list_posts(conn, post_store.PostFilter(tags=["ports"]), limit=4)
        assert [p.id for p in listed] == sorted(ids["b"], reverse=True)[:4]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_walks_the_window_in_index_order_and_ranks_only_its_rowid_range(store: Engine, tmp_path: Path,
                                                                               window: int) -> None:
    _port_archive(store, tmp_path)
    statements = _statements_of_search(store, "Basra")
    with store.connect() as conn:
        [(statement, parameters)] = [s for s in statements if "posts_fts MATCH" in s[0]]
        plan = [(row[0], row[1], row[3]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                         parameters)]
    [window_node] = [node for node, _, step in plan if step.startswith("MATERIALIZE search_window")]
    inside = {window_node}
    for node, parent, _ in plan:
        if parent in inside:
            inside.add(node)
    walk = [step for node, _, step in plan if node in inside]
    assert any("posts_fts VIRTUAL TABLE" in step for step in walk), plan
    assert not any("TEMP B-TREE" in step for step in walk), plan  # the index yields the ids newest first
    [ranking] = [step for node, _, step in plan if node not in inside and "posts_fts VIRTUAL TABLE" in step]
    bounds = ranking.rsplit(":", 1)[-1]
    assert ">" in bounds and "<" in bounds, plan  # FTS5 walks (and ranks) only the window's rowid range


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_ranks_no_more_rows_than_the_window(store: Engine, tmp_path: Path, window: int) -> None:
    _port_archive(store, tmp_path)
    statements = _statements_of_search(store, "Basra")
    [(statement, parameters)] = [s for s in statements if "ts_rank" in s[0]]
    with store.connect() as conn:
        [[plan]] = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).all()

    def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(n for child in node.get("Plans", []) for n in nodes(child))]

    sorts = [n for n in nodes(plan[0]["Plan"]) if "ts_rank" in " ".join(n.get("Sort Key", []))]
    assert sorts, plan
    assert all(child["Actual Rows"] <= window for n in sorts for child in n["Plans"]), plan


def test_every_surface_pages_a_search_through_every_match(store: Engine, tmp_path: Path, cli: Cli, window: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's offset and next_offset, the CLI's --offset and the feed's pages walk the same order."""
    _port_archive(store, tmp_path)
    with store.connect() as conn:
        expected = [(p.source.key, p.message_id) for p in search_store.search_posts(conn, "Basra", limit=100)]
    assert len(expected) == 46
    cli("users", "add", "desk@example.org", "--role", "analyst", input=PASSWORD + "\n")
    key = cli("apikey", "create", "desk@example.org").stdout.strip()
    monkeypatch.setattr(workspace, "PAGE", 20)
    server = LiveServer(store)
    api, analyst = Reader(server.url, api_key=key), Reader(server.url)
    try:
        through_api: list[tuple[str, int]] = []
        offset: int | None = 0
        while offset is not None:
            body = api.get(f"/api/v1/posts?q=Basra&limit=15&offset={offset}").json()
            through_api += [(item["source"], item["message_id"]) for item in body["items"]]
            offset = body["next_offset"]
            assert len(through_api) <= 46
        assert through_api == expected
        through_cli = [(item["source"], item["message_id"]) for start in range(0, 46, 12)
                       for item in cli.json("posts", "search", "Basra", "--limit", "12", "--offset", str(start))]
        assert through_cli == expected
        analyst.login("desk@example.org", PASSWORD)
        pages = [BeautifulSoup(analyst.get(f"/posts?q=Basra&page={page}").text, "html.parser") for page in (1, 3)]
        assert len(pages[0].select("article.post")) == 20 and pages[0].find("a", string="Next")
        assert len(pages[1].select("article.post")) == 6 and not pages[1].find("a", string="Next")
        assert pages[1].find("a", string="Previous")
    finally:
        api.close()
        analyst.close()
        server.stop()
