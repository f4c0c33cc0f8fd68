"""A large import reads its exports in a process of its own: what it stores is what reading them in the
importing process stores (every table, the report, edits and refusals included), on SQLite and PostgreSQL;
an error in the reading process is raised by the import after what was read before it is stored; a reading
process that dies is reported; one whose importer dies stops by itself."""

from __future__ import annotations

import dataclasses
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from test_import_many_exports import _archive, _fresh_engine, _settings, _stored
from watchfloor import import_reading, importer, runner
from watchfloor.errors import InvalidInput
from watchfloor.sources.telegram_html import open_any_export
from watchfloor.store.bulk_import import BulkWriter, _encode, post_from_row
from watchfloor.store.tables import posts, sources

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).parents[1] / "src" / "watchfloor" / "samples" / "telegram"
EXPORTS = [DATA / "telegram_export" / "single_chat.json", DATA / "telegram_export" / "full_account",
           DATA / "telegram_html" / "sample_channel_json", *sorted(p for p in SAMPLES.iterdir() if p.is_dir())]
T0 = 1716458400  # 2024-05-23T10:00:00Z


def _posts_of(paths: list[Path]) -> list[Any]:
    return [post for path in paths for reader in open_any_export(path) for post in reader.posts()]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_post_rebuilt_from_its_row_is_the_post(dialect: str) -> None:
    """Every post of the recorded exports (forwards, replies, edits, links, media, service messages, several
    languages): the post a row gives back is the one encoded, all but its service action (no column)."""
    found = _posts_of([*EXPORTS, DATA / "telegram_html" / "sample_channel"])
    assert len(found) > 60
    assert any(p.media for p in found) and any(p.links for p in found) and any(p.edited_at for p in found)
    assert any(p.forwarded_from for p in found) and any(p.reply_to for p in found)
    assert any(p.kind == "service" for p in found)
    for post in found:
        rebuilt = post_from_row(_encode(post, dialect).row)
        assert dataclasses.replace(rebuilt, action=post.action) == post
        assert rebuilt.posted_at.utcoffset() is not None


def test_an_encoded_post_crosses_a_process_as_its_row() -> None:
    """Pickled, a prepared post leaves its parsed form behind (half the bytes, no second copy of the text),
    and gives it back where asked; one that would not encode keeps its post, for the halving path."""
    [post] = [p for p in _posts_of([DATA / "telegram_export" / "single_chat.json"]) if p.media][:1]
    encoded = _encode(post, "sqlite")
    crossed = pickle.loads(pickle.dumps(encoded))
    assert crossed.row == encoded.row and crossed.content_hash == encoded.content_hash
    assert len(pickle.dumps(encoded)) < len(pickle.dumps((encoded.row, post))) * 0.7
    assert crossed.media() == post.media and crossed.message_id == post.message_id
    assert dataclasses.replace(crossed.parsed, action=post.action) == post
    kept = pickle.loads(pickle.dumps(type(encoded)("", (), post)))
    assert kept.parsed == post and kept.message_id == post.message_id


def _report(report: importer.ImportReport) -> tuple[Any, ...]:
    return report.chats, report.errors, report.counts, report.media


@pytest.mark.parametrize("batch_size", [10, 10_000])
def test_reading_apart_stores_what_reading_here_stores(db_url: str, tmp_path: Path, batch_size: int) -> None:
    """Many small exports (one channel twice with edits, refused messages, declared photos), the recorded
    exports (a whole account, an HTML export whose source is looked up on its own) and an import again:
    every row, the report and the search index alike."""
    paths = [*_archive(tmp_path / "archive"), *EXPORTS, DATA / "telegram_html" / "sample_channel"]
    settings = _settings(tmp_path)
    results = []
    for apart in (False, True):
        engine = _fresh_engine(db_url, tmp_path, f"apart{apart}")
        first = importer.import_telegram_exports(engine, paths, batch_size=batch_size, settings=settings,
                                                 apart=apart)
        again = importer.import_telegram_exports(engine, paths[:14], batch_size=batch_size, settings=settings,
                                                 apart=apart)
        with engine.connect() as conn:
            searched = conn.execute(sa.text("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'revised'")
                                    if engine.dialect.name == "sqlite" else
                                    sa.text("SELECT count(*) FROM posts WHERE fts_vector @@ "
                                            "plainto_tsquery('simple', 'revised')")).scalar_one()
        results.append((_stored(engine), _report(first), _report(again), searched))
        engine.dispose()
    assert results[1] == results[0]
    stored, first_report, again_report, searched = results[0]
    assert searched == 20 and first_report[2].revisions == 13 and again_report[2].updated == 26
    assert {(Path(file).name, mid) for _, file, mid, _ in stored["import errors"]} >= {
        ("result.json", None), ("single_chat.json", 8)}
    assert len(stored["media links"]) > 50
    assert [chat["file"] for chat in first_report[0]] == [reader.chat.file for path in paths
                                                          for reader in open_any_export(path)]
    html = [chat for chat in first_report[0] if chat["file"].endswith(".html")]
    assert html and all(chat["source"].startswith("telegram:") and chat["messages"] for chat in html)


def test_an_unreadable_export_read_apart_stops_the_import_after_the_ones_before(store: Engine,
                                                                               tmp_path: Path) -> None:
    good = [write_export(tmp_path / f"g{n}", 1900000980 + n, f"Wire {n}",
                         [message(i, f"The council met on day {i}.", T0 + i) for i in range(1, 5)]) for n in range(3)]
    broken = tmp_path / "broken" / "result.json"
    broken.parent.mkdir()
    broken.write_text('{"name": "x", "messages": [', encoding="utf-8")
    with pytest.raises(InvalidInput, match="broken/result.json"):
        importer.import_telegram_exports(store, [good[0], good[1], broken, good[2]], apart=True)
    with store.connect() as conn:
        stored = conn.execute(sa.select(sources.c.channel_id, sa.func.count()).join(posts)
                              .group_by(sources.c.channel_id).order_by(sources.c.channel_id)).all()
    assert [tuple(row) for row in stored] == [(1900000980, 4), (1900000981, 4)]


def test_a_reading_process_that_dies_is_reported(tmp_path: Path) -> None:
    """A reading process that ends without its last word (killed, out of memory): the import raises an
    error that says so and what to do, and does not wait for it."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    channel = context.Queue()
    reader = context.Process(target=os._exit, args=(3,))
    reader.start()
    started = time.monotonic()
    with pytest.raises(import_reading.ReaderStopped, match="exit code 3.*import again"):
        list(import_reading._received(channel, reader))
    assert time.monotonic() - started < 10
    reader.join()


def test_a_large_import_is_read_apart_only_with_a_core_to_spare() -> None:
    big = import_reading.APART_FROM_BYTES
    assert import_reading.reads_apart([big // 2, big // 2], cores=2)
    assert not import_reading.reads_apart([big // 2, big // 2 - 1], cores=2)
    assert not import_reading.reads_apart([big * 4], cores=1)
    assert not import_reading.reads_apart([], cores=8)


_ORPHAN = """
import multiprocessing, sys, time
from pathlib import Path
from watchfloor import import_reading
paths = [Path(p) for p in sys.argv[1:]]
events = import_reading.read_apart(paths, [0] * len(paths), 5, "sqlite", None)
next(events)
print(multiprocessing.active_children()[0].pid, flush=True)
time.sleep(60)
"""


def test_a_reading_process_stops_when_its_importer_is_killed(tmp_path: Path) -> None:
    """The importer killed with SIGKILL while its reader has batches ready: the reader stops by itself."""
    paths = [write_export(tmp_path / f"e{n}", 1900000990 + n, f"Wire {n}",
                          [message(i, f"The delegation arrived on day {i}.", T0 + i) for i in range(1, 40)])
             for n in range(6)]
    with subprocess.Popen([sys.executable, "-c", _ORPHAN, *map(str, paths)], stdout=subprocess.PIPE,
                          text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}) as importing:
        assert importing.stdout is not None
        reader_pid = int(importing.stdout.readline())
        os.kill(importing.pid, signal.SIGKILL)
        importing.wait(10)
        deadline = time.monotonic() + 20
        while _alive(reader_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(reader_pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(") ", 1)[1].startswith("Z"))


def test_an_sqlite_import_s_connection_gets_its_own_settings_back(tmp_path: Path) -> None:
    """The import's connections have a large page cache and rare checkpoints as long as the import lasts: each
    goes back to the pool as it came, and the log is checkpointed at the end."""
    engine = runner.open_store(f"sqlite:///{tmp_path / 'settings.sqlite3'}", migrate=True)

    def settings(conn: Any) -> tuple[int, int]:
        return (conn.exec_driver_sql("PRAGMA cache_size").scalar_one(),
                conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())

    with engine.connect() as conn:
        before = settings(conn)
    path = write_export(tmp_path / "w", 1900000995, "Wire", [message(i, f"Talks resumed, day {i}.", T0 + i)
                                                              for i in range(1, 300)])
    seen: list[tuple[int, int]] = []
    with BulkWriter(engine) as writer:
        seen.append(settings(writer.conn))
        writer.conn.rollback()
        with engine.connect() as other:  # the media bookkeeping's: its commits would checkpoint as often
            seen.append(settings(other))
        with engine.connect() as other:
            seen.append(settings(other))
    assert seen == [(-262_144, 65_536)] * 3 and before != seen[0]
    with engine.connect() as conn, engine.connect() as second:
        assert settings(conn) == settings(second) == before
    report = importer.import_telegram_export(engine, path)
    assert report.counts.inserted == 299
    with engine.connect() as conn:
        assert settings(conn) == before
        busy, log, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and log == done
    engine.dispose()


@pytest.mark.parametrize("path, key", [
    (DATA / "telegram_html" / "sample_channel", "telegram:1900000777"),  # HTML: the channel named by --source
    (DATA / "telegram_html" / "sample_channel", "telegram:@harbour_desk"),  # a handle, a source made for it
    (DATA / "telegram_export" / "single_chat.json", "telegram:1900000555"),  # JSON under another source's name
])
def test_a_source_named_by_hand_is_the_same_read_apart(db_url: str, tmp_path: Path, path: Path, key: str) -> None:
    """``--source``: the chat's source is resolved on its own before its first batch, here or across processes;
    a source that would be refused stops both alike, with nothing of the chat stored."""
    results = []
    for apart in (False, True):
        engine = _fresh_engine(db_url, tmp_path, f"key{apart}")
        try:
            report = importer.import_telegram_exports(engine, [path], batch_size=4, source_key=key, apart=apart)
            outcome: Any = _report(report)
        except InvalidInput as exc:
            outcome = str(exc)
        results.append((_stored(engine), outcome))
        engine.dispose()
    assert results[1] == results[0]
    stored, outcome = results[0]
    if key.endswith("555"):  # the export names its own channel: refused, and nothing stored
        assert "not of telegram:1900000555" in outcome and stored["posts"] == [] and stored["sources"] == []
    else:
        assert [chat["source"] for chat in outcome[0]] == [key.replace("@", "")]
        assert len(stored["posts"]) == outcome[0][0]["inserted"] > 0 and len(stored["sources"]) == 1
