"""The bulk import path: the same rows as the ordinary path, a searchable index, faults isolated, many exports."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, message, write_export
from watchfloor import importer
from watchfloor.models import encode_raw
from watchfloor.sources.telegram_reader import read_export
from watchfloor.store import importing
from watchfloor.store import search as search_store
from watchfloor.store import sources as source_store
from watchfloor.store.bulk_import import BulkWriter
from watchfloor.store.tables import import_errors, posts

T0 = 1716458400  # 2024-05-23T10:00:00Z
SENTENCES = [
    "The delegation arrived in Baghdad on Tuesday for talks.",
    "وصل الوفد إلى بغداد يوم الثلاثاء لإجراء محادثات.",
    "هیئت روز سه‌شنبه برای گفت‌وگو وارد بغداد شد.",
    "The ministry said the crossing would reopen on Sunday.",
]
COMPARED = [c.name for c in posts.c if c.name not in ("id", "source_id", "imported_at", "updated_at")]


def _shaped(i: int) -> dict[str, Any]:
    """Message ``i`` in one of the shapes a channel export holds, with a word found in no other message."""
    words = f"{SENTENCES[i % 4]} ref{i:05d}"
    shape = i % 8
    if shape == 0:
        return message(i, words, T0 + i)
    if shape == 1:  # formatted text with a link entity and a text link
        return message(i, [{"type": "bold", "text": "Update: "}, words + " ",
                           {"type": "text_link", "text": "statement", "href": f"https://example.org/s/{i}"},
                           " ", {"type": "link", "text": f"https://example.org/n/{i}"}], T0 + i)
    if shape == 2:  # a photo, edited later
        return message(i, words, T0 + i, photo=f"photos/photo_{i}.jpg", width=1280, height=720,
                       edited="2024-05-23T11:00:00", edited_unixtime=str(T0 + i + 600))
    if shape == 3:  # a document
        return message(i, words, T0 + i, file=f"files/report_{i}.pdf", file_name=f"report {i}.pdf",
                       mime_type="application/pdf", file_size=20480 + i)
    if shape == 4:  # a forward with a signature
        return message(i, words, T0 + i, forwarded_from="Regional Desk", forwarded_from_id="channel42",
                       author="Desk Editor")
    if shape == 5:  # a reply
        return message(i, words, T0 + i, reply_to_message_id=max(1, i - 1))
    if shape == 6:  # a service message
        return {"id": i, "type": "service", "date": "2024-05-23T10:00:00", "date_unixtime": str(T0 + i),
                "actor": "Channel", "action": "pin_message", "message_id": max(1, i - 2), "text": "",
                "text_entities": []}
    return message(i, words, T0 + i, views=1000 + i, extra={"nested": [{"a": [i, None, True]}]})


def _rows(engine: Engine, source_id: int) -> dict[int, dict[str, Any]]:
    with engine.connect() as conn:
        found = conn.execute(sa.select(*[posts.c[c] for c in COMPARED]).where(posts.c.source_id == source_id))
        return {row.message_id: dict(row._mapping) for row in found}


def _integrity(engine: Engine) -> None:
    """SQLite: the full-text index holds exactly what the posts hold, and its insert trigger is in place."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)"))
        triggers = set(conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    assert {"posts_fts_ai", "posts_fts_ad", "posts_fts_au"} <= triggers


def _search_ids(engine: Engine, words: str) -> list[int]:
    with engine.connect() as conn:
        return [p.message_id for p in search_store.search_posts(conn, words, limit=10)]


@pytest.mark.parametrize("escape", ["", "\x00"], ids=["clean-file", "file-with-a-NUL-escape"])
def test_the_bulk_path_stores_what_the_ordinary_path_stores(store: Engine, tmp_path: Path, escape: str) -> None:
    """Every column of every shape of message, bulk-written against written by ``write_batch``, in one batch
    big enough for the bulk index build; the file that needs cleaning takes the parser's other branch."""
    count = 320
    path = write_export(tmp_path / "x", 1900000301, "Sample Wire" + escape, [_shaped(i) for i in range(1, count + 1)])
    [chat] = read_export(path)
    assert len(chat.posts) == count and chat.errors == []
    assert all((p.raw_json is not None) == (escape == "") for p in chat.posts)
    assert all(p.raw_json is None or p.raw_json == encode_raw(p.raw) for p in chat.posts)
    with store.begin() as conn:
        bulk_source = source_store.ensure_channel(conn, 1900000301, "Bulk")[0]
        plain_source = source_store.ensure_channel(conn, 1900000302, "Plain")[0]
    with BulkWriter(store) as writer:
        outcome = writer.write(bulk_source, chat.posts, chat.file)
        assert writer.fell_back == 0
    assert outcome.counts.inserted == count and outcome.failed == []
    plain = importing.write_batch(store, plain_source, chat.posts, chat.file)
    assert plain.counts.inserted == count
    bulk_rows, plain_rows = _rows(store, bulk_source), _rows(store, plain_source)
    assert sorted(bulk_rows) == list(range(1, count + 1))
    for message_id, row in plain_rows.items():
        assert bulk_rows[message_id] == row, f"message {message_id} differs"
    sent = {m["id"]: m for m in (_shaped(i) for i in range(1, count + 1))}
    assert all(row["raw"] == sent[mid] for mid, row in bulk_rows.items())  # the raw payload, as read
    _integrity(store)


@pytest.mark.parametrize("batch_size", [7, 250, 1000])
def test_a_bulk_import_is_searchable_at_once_and_after(store: Engine, tmp_path: Path, batch_size: int) -> None:
    """Words of messages in every batch (first, boundaries, last) are found; the index stays right for
    posts stored and edited later by the ordinary path."""
    count = 700
    path = write_export(tmp_path / "x", 1900000303, "Sample Wire", [_shaped(i) for i in range(1, count + 1)])
    report = importer.import_telegram_export(store, path, batch_size=batch_size)
    assert report.counts.inserted == count and report.errors == []
    for i in sorted({1, 2, batch_size, batch_size + 1, count // 2, count - 1, count} & set(range(1, count + 1))):
        if i % 8 == 6:  # service messages hold no sentence
            continue
        assert _search_ids(store, f"ref{i:05d}") == [i]
    _integrity(store)
    edited = [{**_shaped(9), "text": "The talks were postponed. ref09999", "text_entities": []},
              message(count + 1, "Officials met in Beirut. ref08888", T0 + count + 1)]
    again = importer.import_telegram_export(store, write_export(tmp_path / "y", 1900000303, "Sample Wire", edited))
    assert (again.counts.inserted, again.counts.updated, again.counts.revisions) == (1, 1, 1)
    assert _search_ids(store, "ref09999") == [9] and _search_ids(store, "ref00009") == []
    assert _search_ids(store, "ref08888") == [count + 1]
    _integrity(store)


@pytest.mark.parametrize("fault", ["surrogate-text", "id-beyond-64-bits", "date-beyond-year-9999-in-utc"])
def test_a_fault_no_check_knows_costs_only_its_message(store: Engine, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """With the checks switched off the database itself refuses the message: the bulk batch rolls back whole
    (the index and its trigger too), and the halving path stores the rest and records the one."""
    monkeypatch.setattr(importing, "storable_problem", lambda parsed: None)
    path_posts = read_export(write_export(tmp_path, 1900000304, "Sample Wire",
                                          [_shaped(i) for i in range(1, 301)]))[0].posts
    bad = path_posts[150]
    if fault == "surrogate-text":
        bad.text = "lone \ud800 half"
    elif fault == "id-beyond-64-bits":
        bad.message_id = 2**63
    else:
        bad.posted_at = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    with store.begin() as conn:
        source_id = source_store.ensure_channel(conn, 1900000304, "Sample Wire")[0]
    with BulkWriter(store) as writer:
        outcome = writer.write(source_id, path_posts, "faulty.json")
        assert writer.fell_back == 1
        assert [mid for mid, _ in outcome.failed] == [bad.message_id]
        again = writer.write(source_id, path_posts, "faulty.json")
    assert again.counts.unchanged == 299
    stored = set(_rows(store, source_id))
    assert stored == {p.message_id for p in path_posts} - {bad.message_id}
    with store.connect() as conn:
        recorded = conn.execute(sa.select(import_errors.c.reason)).scalars().all()
    assert len(recorded) == 1  # once, though written twice
    _integrity(store)


def test_several_exports_at_once_with_one_progress_count(store: Engine, tmp_path: Path) -> None:
    sizes = [40, 5, 130]
    paths = [write_export(tmp_path / f"e{n}", 1900000310 + n, f"Wire {n}",
                          [_shaped(i) for i in range(1, size + 1)]) for n, size in enumerate(sizes)]
    seen: list[tuple[int, int]] = []
    report = importer.import_telegram_exports(store, paths, lambda done, total: seen.append((done, total)),
                                              batch_size=16)
    assert [chat["inserted"] for chat in report.chats] == sizes
    assert seen[-1] == (sum(sizes), sum(sizes))  # the total is exact once the last export is read
    assert all(done <= total for done, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_cli_imports_several_exports_in_one_command(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    paths = [write_export(tmp_path / f"e{n}", 1900000320 + n, f"Wire {n}", [_shaped(i) for i in range(1, 12)])
             for n in range(3)]
    data = cli.json("import", "telegram-export", *map(str, paths))
    assert [chat["source"] for chat in data["chats"]] == [f"telegram:{1900000320 + n}" for n in range(3)]
    assert all(chat["inserted"] == 11 for chat in data["chats"]) and data["errors"] == []
    again = cli.json("import", "telegram-export", *map(str, paths))
    assert all(chat["unchanged"] == 11 and chat["inserted"] == 0 for chat in again["chats"])
