"""An export's messages are parsed batch by batch while the batch before is written: what is stored is still
what parsing the whole export first would store (an id written twice, refused messages in later batches), and
on PostgreSQL the full-text index is merged beside the writes and whole when the import returns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import import_reading, importer, runner
from watchfloor.sources import telegram_reader
from watchfloor.sources.telegram_reader import read_export
from watchfloor.store import index_upkeep
from watchfloor.store import search as search_store
from watchfloor.store.bulk_import import BulkWriter
from watchfloor.store.tables import import_errors, post_revisions, posts

T0 = 1716458400  # 2024-05-23T10:00:00Z
CHANNEL = 1900000870
PLACES = ["Baghdad", "Beirut", "Amman", "Doha", "Ankara"]


def _wire(i: int, note: str = "") -> dict[str, Any]:
    return message(i, f"Officials met in {PLACES[i % 5]} on Tuesday, the ministry said. ref{i:05d}{note}", T0 + i)


def _texts(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {int(mid): str(text) for mid, text in conn.execute(sa.select(posts.c.message_id, posts.c.text))}


def _search_ids(engine: Engine, words: str) -> list[int]:
    with engine.connect() as conn:
        return [p.message_id for p in search_store.search_posts(conn, words, limit=10)]


def test_the_first_batch_is_handed_to_the_writer_before_the_rest_is_parsed(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    handed: list[int] = []
    parse, prepare = telegram_reader.parse_message, import_reading.prepare

    def counting_parse(*args: Any) -> Any:
        parsed.append(1)
        return parse(*args)

    def noting_prepare(*args: Any) -> Any:
        handed.append(len(parsed))
        return prepare(*args)

    monkeypatch.setattr(telegram_reader, "parse_message", counting_parse)
    monkeypatch.setattr(import_reading, "prepare", noting_prepare)
    path = write_export(tmp_path / "x", CHANNEL, "Sample Wire", [_wire(i) for i in range(1, 61)])
    report = importer.import_telegram_export(store, path, batch_size=10)
    assert report.counts.inserted == 60 and len(parsed) == 60
    assert handed[0] <= 11  # ten posts and the one that shows the chat goes on
    assert handed == sorted(handed) and handed[-1] == 60
    assert len(_texts(store)) == 60


# (positions of the copies of id 7 among 40 messages, which copies are malformed, the copy that is the message)
TWICE = {
    "both-in-one-batch": ([7, 9], set(), 1),
    "across-batches": ([7, 33], set(), 1),
    "later-copy-malformed": ([7, 33], {1}, 0),
    "earlier-copy-malformed": ([7, 33], {0}, 1),
    "three-copies-last-at-the-end-malformed": ([7, 21, 40], {2}, 1),
    "three-copies-middle-malformed": ([3, 21, 38], {1}, 2),
}


@pytest.mark.parametrize("case", list(TWICE))
def test_an_id_written_twice_is_the_message_parsing_the_whole_export_gives(store: Engine, tmp_path: Path,
                                                                          case: str) -> None:
    at, malformed, winner = TWICE[case]
    messages = [_wire(i) for i in range(1, 41) if i not in at]
    for copy, position in enumerate(at):
        written = _wire(7, f" copy{copy}")
        if copy in malformed:
            written["date_unixtime"] = "not a time"
        messages.insert(position - 1, written)
    path = write_export(tmp_path / "x", CHANNEL, "Sample Wire", messages)
    whole = {p.message_id: p.text for p in read_export(path)[0].posts}
    assert whole[7].endswith(f" copy{winner}")
    report = importer.import_telegram_export(store, path, batch_size=8)
    assert _texts(store) == whole
    [chat] = report.chats
    assert (chat["messages"], chat["inserted"], chat["updated"], chat["errors"]) == (
        len(whole), len(whole), 0, len(malformed))
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(post_revisions)).scalar_one() == 0
        assert sorted(conn.execute(sa.select(import_errors.c.message_id)).scalars()) == [7] * len(malformed)


@pytest.mark.parametrize("bad", [[1], [15], [16, 17], [39, 40], [1, 20, 40]],
                         ids=["first", "middle", "across-a-boundary", "the-last-two", "first-middle-last"])
def test_messages_refused_in_any_batch_are_recorded_once_with_the_chat(store: Engine, tmp_path: Path,
                                                                      bad: list[int]) -> None:
    messages = [_wire(i) for i in range(1, 41)]
    for i in bad:
        messages[i - 1]["text"] = {"not": "text"}
    path = write_export(tmp_path / "x", CHANNEL, "Sample Wire", messages)
    for _ in range(2):
        report = importer.import_telegram_export(store, path, batch_size=8)
        [chat] = report.chats
        assert chat["errors"] == len(bad) and chat["messages"] == 40 - len(bad)
        assert len(report.errors) == len(bad) and all("text must be a string" in e for e in report.errors)
    assert sorted(_texts(store)) == [i for i in range(1, 41) if i not in bad]
    with store.connect() as conn:
        assert sorted(conn.execute(sa.select(import_errors.c.message_id)).scalars()) == bad


def _pending(engine: Engine) -> int:
    """Pages still in the full-text index's pending list (merging them now, so the answer is once only)."""
    with engine.begin() as conn:
        return int(conn.execute(sa.text("SELECT gin_clean_pending_list('ix_posts_fts'::regclass)")).scalar_one())


def _limit(conn: Any) -> str:
    return str(conn.execute("SHOW gin_pending_list_limit").fetchone()[0])


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_the_index_is_merged_and_the_table_analysed_beside_the_writes(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_upkeep, "_ANALYZE_FROM", 100)  # a test-sized table, not a real backfill's 10,000
    with store.begin() as conn:
        server_limit = _limit(conn.connection.driver_connection)
        conn.execute(sa.text("ALTER TABLE posts SET (autovacuum_enabled = false)"))  # only the import analyses
    count = 1500
    path = write_export(tmp_path / "x", CHANNEL, "Sample Wire", [_wire(i) for i in range(1, count + 1)])
    report = importer.import_telegram_export(store, path, batch_size=300)
    assert report.counts.inserted == count
    assert _pending(store) == 0
    with store.connect() as conn:  # analysed at 300, 600 and 1,200 rows: the planner's count is at least half
        assert conn.execute(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'posts'")).scalar_one() >= 600
    for i in (1, 300, 301, 900, count):
        assert _search_ids(store, f"ref{i:05d}") == [i]
    writer = BulkWriter(store)
    driver = writer.conn.connection.driver_connection
    assert _limit(driver) != server_limit  # the writing session defers the merges
    writer.close()
    assert _limit(driver) == server_limit  # and gives the pool its connection back as it was


@pytest.fixture
def not_owner(store: Engine) -> Iterator[Engine]:
    """The same database through a role that may write the posts but does not own their index."""
    role = "watchfloor_test_writer"
    with store.begin() as conn:
        conn.execute(sa.text(f"DROP OWNED BY {role}")) if conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() else None
        conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    url = store.url.set(username=role)
    engine = runner.open_store(url.render_as_string(hide_password=False).replace("+psycopg", ""), migrate=False)
    yield engine
    engine.dispose()
    with store.begin() as conn:
        conn.execute(sa.text(f"DROP OWNED BY {role}"))
        conn.execute(sa.text(f"DROP ROLE {role}"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_a_role_that_may_not_merge_imports_as_before(store: Engine, not_owner: Engine,
                                                              tmp_path: Path) -> None:
    with store.connect() as conn:
        server_limit = _limit(conn.connection.driver_connection)
    with BulkWriter(not_owner) as writer:
        assert _limit(writer.conn.connection.driver_connection) == server_limit
    path = write_export(tmp_path / "x", CHANNEL, "Sample Wire", [_wire(i) for i in range(1, 401)])
    report = importer.import_telegram_export(not_owner, path, batch_size=100)
    assert report.counts.inserted == 400 and report.errors == []
    assert _search_ids(not_owner, "ref00400") == [400]


def test_the_progress_count_ends_at_the_posts_when_messages_are_refused_or_repeated(store: Engine,
                                                                                     tmp_path: Path) -> None:
    messages = [_wire(i) for i in range(1, 31)]
    messages[4]["text"] = {"not": "text"}  # refused
    messages[20]["date_unixtime"] = "not a time"  # refused
    messages.append(_wire(12, " again"))  # an id written twice: one post
    paths = [write_export(tmp_path / "a", CHANNEL, "Sample Wire", messages),
             write_export(tmp_path / "b", CHANNEL + 2, "Other Wire", [_wire(i) for i in range(1, 6)])]
    seen: list[tuple[int, int]] = []
    report = importer.import_telegram_exports(store, paths, lambda done, total: seen.append((done, total)),
                                              batch_size=8)
    assert report.counts.inserted == 28 + 5
    assert seen[-1] == (33, 33)
    assert all(done <= total for done, total in seen)
