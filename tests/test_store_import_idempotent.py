"""Importing Telegram exports: nothing stored twice, edits kept as revisions, bad input quarantined."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.settings import load_settings
from watchfloor.store import posts as post_store
from watchfloor.store.tables import import_errors, post_revisions, posts, sources

T0 = 1716458400  # 2024-05-23T10:00:00Z


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_same_export_twice_stores_each_message_once(store: Engine, tmp_path: Path) -> None:
    path = write_export(tmp_path / "a", 1900000101, "Sample Wire", [
        message(1, "The delegation arrived in Baghdad on Tuesday.", T0),
        message(2, "The spokesman said talks would continue.", T0 + 60),
    ])
    first = runner.import_telegram_export(store, path)
    second = runner.import_telegram_export(store, path)
    assert (first.counts.inserted, first.counts.unchanged) == (2, 0)
    assert (second.counts.inserted, second.counts.unchanged) == (0, 2)
    assert _count(store, posts) == 2
    with store.connect() as conn:
        key = conn.execute(sa.select(sources.c.key)).scalar_one()
    assert key == "telegram:1900000101"


def test_edited_message_keeps_earlier_text_as_revision(store: Engine, tmp_path: Path) -> None:
    original = message(7, "The meeting was held in Tehran on Wednesday.", T0)
    write_export(tmp_path / "v1", 1900000102, "Sample Wire", [original])
    runner.import_telegram_export(store, tmp_path / "v1")
    runner.process(store, load_settings())
    edited = message(7, "The meeting was held in Tehran on Wednesday evening.", T0,
                     edited="2024-05-23T11:00:00", edited_unixtime=str(T0 + 3600))
    write_export(tmp_path / "v2", 1900000102, "Sample Wire", [edited])
    report = runner.import_telegram_export(store, tmp_path / "v2")
    assert (report.counts.updated, report.counts.revisions) == (1, 1)
    with store.connect() as conn:
        row = conn.execute(sa.select(posts.c.id, posts.c.text, posts.c.processed_at)).one()
        assert row.text.endswith("Wednesday evening.")
        assert row.processed_at is None  # the new text will be analysed again
        assert post_store.revisions_of(conn, row.id)[0][0] == "The meeting was held in Tehran on Wednesday."
    # re-importing the older export afterwards does not roll the text back
    again = runner.import_telegram_export(store, tmp_path / "v1")
    assert again.counts.updated == 0
    with store.connect() as conn:
        assert conn.execute(sa.select(posts.c.text)).scalar_one().endswith("Wednesday evening.")
    assert _count(store, post_revisions) == 1


def test_malformed_message_is_quarantined_and_the_rest_imported(store: Engine, tmp_path: Path) -> None:
    good = write_export(tmp_path / "good", 1900000103, "Sample Wire", [message(1, "A statement was issued.", T0)])
    runner.import_telegram_export(store, good)
    bad_message = {"id": "not-a-number", "type": "message", "date_unixtime": str(T0), "text": "x"}
    write_export(tmp_path / "mixed", 1900000103, "Sample Wire",
                 [bad_message, message(2, "A second statement followed.", T0 + 5)])
    report = runner.import_telegram_export(store, tmp_path / "mixed")
    assert report.counts.inserted == 1
    assert len(report.errors) == 1 and "result.json" in report.errors[0]
    assert _count(store, posts) == 2  # the earlier post is still there
    assert _count(store, import_errors) == 1


def test_unreadable_file_is_a_clear_error_and_stores_nothing(store: Engine, tmp_path: Path) -> None:
    broken = tmp_path / "broken" / "result.json"
    broken.parent.mkdir()
    broken.write_text('{"name": "x", "messages": [', encoding="utf-8")
    try:
        runner.import_telegram_export(store, broken)
    except Exception as exc:  # noqa: BLE001 - the message is what matters
        assert "result.json" in str(exc)
    else:
        raise AssertionError("a truncated JSON file must be refused")
    assert _count(store, posts) == 0


def test_killed_import_loses_nothing_and_the_next_run_resumes(store: Engine, db_url: str, tmp_path: Path) -> None:
    total = 6000
    bulletins = [message(i, f"Bulletin number {i} on the talks in Baghdad.", T0 + i) for i in range(1, total + 1)]
    path = write_export(tmp_path / "big", 1900000104, "Sample Wire", bulletins)
    env = {**os.environ, "WATCHFLOOR_DB": db_url, "WATCHFLOOR_IMPORT_BATCH": "200"}
    child = subprocess.Popen([sys.executable, "-c", "from watchfloor.cli import main; main()",
                              "import", "telegram-export", str(path)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(store, posts) == 0 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = _count(store, posts)
    assert partial % 200 == 0 or partial == total  # whole batches only
    report = runner.import_telegram_export(store, path)
    assert _count(store, posts) == total
    assert report.counts.inserted == total - partial
    with store.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.select(posts.c.message_id).order_by(posts.c.message_id))]
    assert ids == list(range(1, total + 1))
    json.dumps(ids)  # plain ints
