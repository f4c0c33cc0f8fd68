"""Full-text search is driven by the index: its cost follows the matches, whatever the word or filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.store import posts as post_store

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
        found = post_store.search_posts(conn, "Baghdad", limit=50)
        assert len(found) == 50 and all("Baghdad" in p.text for p in found)
        assert len({p.id for p in found}) == 50
        assert len(post_store.search_posts(conn, "Baghdad", limit=500)) == 96


@pytest.mark.parametrize("word,expected", [("Baghdad", 6), ("Doha", 4), ("bulletin", 10), ("report", 0),
                                           ("Kandahar", 0)])
def test_a_filter_applies_before_the_page_is_cut(store: Engine, tmp_path: Path, word: str, expected: int) -> None:
    """The smaller channel's matches are found although the larger one's rank as well and come first by id."""
    _archive(store, tmp_path)
    with store.connect() as conn:
        found = post_store.search_posts(conn, word, post_store.PostFilter(source="telegram:1900000002"), limit=5)
        assert len(found) == min(expected, 5)
        assert all(p.source.key == "telegram:1900000002" and word in p.text for p in found)


@pytest.mark.parametrize("flt", [post_store.PostFilter(), post_store.PostFilter(source="telegram:1900000001"),
                                 post_store.PostFilter(lang="en"), post_store.PostFilter(entity="Q1"),
                                 post_store.PostFilter(affiliation="state media")])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_reads_posts_by_id_from_the_index_never_by_a_scan(store: Engine, tmp_path: Path,
                                                                 flt: post_store.PostFilter) -> None:
    _archive(store, tmp_path)
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append((statement, parameters))

    event.listen(store, "before_cursor_execute", keep)
    try:
        with store.connect() as conn:
            post_store.search_posts(conn, "Baghdad", flt, limit=10)
    finally:
        event.remove(store, "before_cursor_execute", keep)
    with store.connect() as conn:
        [(statement, parameters)] = [s for s in statements if "posts_fts MATCH" in s[0]]
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        assert any("posts_fts VIRTUAL TABLE" in step for step in plan), plan
        assert not any(step.startswith("SCAN posts") and "posts_fts" not in step for step in plan), plan
        assert any(step.startswith("SEARCH posts USING INTEGER PRIMARY KEY") for step in plan), plan
        assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar_one() == 130
