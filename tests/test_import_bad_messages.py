"""One bad message costs only itself: values that pass a parser but not the database, at parse time and at
write time, on SQLite and PostgreSQL; every good message stored, every bad one recorded with its reason."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, message, write_export
from watchfloor import import_reading, runner
from watchfloor.models import Media, ParsedPost
from watchfloor.store import importing
from watchfloor.store import sources as source_store
from watchfloor.store.tables import import_errors, post_revisions, posts

T0 = 1716458400  # 2024-05-23T10:00:00Z
CHANNEL = 1900000550
JSON_SAMPLE = Path(__file__).parent / "data" / "telegram_html" / "sample_channel_json"


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"next": value}
    return value


# Each is one message's fields over a good message's, which the parser or the database refuses. The
# classes from the issue, several members each: ids and times beyond 64 bits or the datetime range,
# digits str.isdigit() accepts and int() refuses, strings a database cannot hold, absurd structures.
BAD_FIELDS: dict[str, dict[str, Any]] = {
    "id 2^63": {"id": 2**63},
    "id 2^64+1": {"id": 2**64 + 1},
    "id of 30 digits": {"id": 10**30},
    "id of 5000 digits": {"id": "RAW:" + "9" * 5000},
    "id 0": {"id": 0},
    "id negative": {"id": -5},
    "id float": {"id": 7.5},
    "id NaN": {"id": "RAW:NaN"},
    "id Infinity": {"id": "RAW:Infinity"},
    "id 1e400": {"id": "RAW:1e400"},
    "id string of superscript": {"id": "\u00b2"},
    "unixtime superscript two": {"date_unixtime": "\u00b2"},
    "unixtime superscript in digits": {"date_unixtime": "171645\u00b3400"},
    "unixtime arabic-indic digits": {"date_unixtime": "\u0661\u0667\u0661\u0666"},
    "unixtime devanagari digits": {"date_unixtime": "\u0967\u096d\u0967\u096c"},
    "unixtime fullwidth digits": {"date_unixtime": "\uff11\uff17\uff11\uff16"},
    "unixtime circled digit": {"date_unixtime": "\u2460"},
    "unixtime 2^63": {"date_unixtime": str(2**63)},
    "unixtime 10^20": {"date_unixtime": "1" + "0" * 20},
    "unixtime of 5000 digits": {"date_unixtime": "9" * 5000},
    "unixtime year 10000": {"date_unixtime": "253402300800"},
    "unixtime before year 1": {"date_unixtime": "-62135596801"},
    "unixtime negative 2^62": {"date_unixtime": str(-(2**62))},
    "date year 1 east of UTC": {"date_unixtime": None, "date": "0001-01-01T00:00:00+05:00"},
    "date year 9999 west of UTC": {"date_unixtime": None, "date": "9999-12-31T23:59:59-05:00"},
    "date year 0": {"date_unixtime": None, "date": "0000-01-01T00:00:00"},
    "date month 13": {"date_unixtime": None, "date": "2024-13-01T00:00:00"},
    "edited beyond 64 bits": {"edited_unixtime": str(2**64)},
    "edited year 10000": {"edited_unixtime": "253402300800"},
    "edited superscript": {"edited_unixtime": "\u00b9\u00b2"},
    "nested 65 levels": {"extra": _deep(65)},
    "nested 500 levels": {"extra": _deep(500)},
    "text nested in a list 100 deep": {"text": [_deep(100)]},
    "text of 1,000,001 characters": {"text": "x" * 1_000_001},
    "text a number": {"text": 12},
    "entity text not a string": {"text": [{"type": "bold", "text": ["nested"]}]},
    "type unknown": {"type": "poll\x00"},
}


def _good(index: int) -> dict[str, Any]:
    return message(index, f"Bulletin {index}: the delegation met officials in Baghdad.", T0 + index)


def _write_raw_export(folder: Path, messages: list[dict[str, Any]]) -> Path:
    """An export whose messages may carry what json.dumps cannot write (marked "RAW:...")."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for msg in messages:
        text = json.dumps(msg, ensure_ascii=True)
        for value in msg.values():
            if isinstance(value, str) and value.startswith("RAW:"):
                text = text.replace(json.dumps(value), value[4:])
        parts.append(text)
    body = f'{{"name": "Sample Wire", "type": "public_channel", "id": {CHANNEL}, "messages": [{",".join(parts)}]}}'
    (folder / "result.json").write_text(body, encoding="utf-8")
    return folder / "result.json"


def _mixed_export(folder: Path, good: int = 40) -> tuple[Path, list[int], list[str]]:
    """`good` good messages with every bad class scattered between them (so across several batches)."""
    messages: list[dict[str, Any]] = []
    bad_names = list(BAD_FIELDS)
    good_ids = list(range(1, good + 1))
    for index in good_ids:
        messages.append(_good(index))
        if bad_names and index % 1 == 0:
            name = bad_names.pop(0)
            bad = {**_good(10_000 + index), **BAD_FIELDS[name]}
            messages.append({k: v for k, v in bad.items() if v is not None})
    assert not bad_names, "more bad classes than good messages to scatter them between"
    return _write_raw_export(folder, messages), good_ids, list(BAD_FIELDS)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_bad_messages_across_batches_cost_only_themselves(store: Engine, tmp_path: Path) -> None:
    path, good_ids, bad_names = _mixed_export(tmp_path / "mixed")
    report = runner.import_telegram_export(store, path, batch_size=7)
    with store.connect() as conn:
        stored = sorted(conn.execute(sa.select(posts.c.message_id)).scalars())
        errors = conn.execute(sa.select(import_errors.c.message_id, import_errors.c.reason)).all()
    assert stored == good_ids  # every good message, in every batch, is stored
    assert len(errors) == len(bad_names) == len(report.errors)
    assert all(reason.strip() for _, reason in errors)
    # a bad message whose id is readable is recorded under it; one whose id is not, without one
    recorded_ids = {mid for mid, _ in errors if mid is not None}
    readable = {10_000 + i + 1 for i, name in enumerate(bad_names) if not name.startswith("id ")}
    assert recorded_ids == readable


def test_a_rerun_is_idempotent_and_records_nothing_twice(store: Engine, tmp_path: Path) -> None:
    path, good_ids, bad_names = _mixed_export(tmp_path / "mixed")
    runner.import_telegram_export(store, path, batch_size=7)
    again = runner.import_telegram_export(store, path, batch_size=7)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, len(good_ids))
    assert _count(store, posts) == len(good_ids)
    assert _count(store, import_errors) == len(bad_names)


def test_the_cli_says_what_was_skipped_without_a_traceback(cli: Cli, store: Engine, tmp_path: Path) -> None:
    path, good_ids, bad_names = _mixed_export(tmp_path / "mixed")
    result = cli("import", "telegram-export", str(path))
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert f"{len(good_ids)} new" in result.stdout
    assert f"{len(bad_names)} skipped (recorded in import_errors)" in result.stdout
    assert "more; every skipped message is listed in the import_errors table" in result.stderr
    data = cli.json("import", "telegram-export", str(path))
    assert data["chats"][0]["unchanged"] == len(good_ids) and len(data["errors"]) == len(bad_names)


def test_skipped_lines_are_not_read_as_terminal_markup(cli: Cli, store: Engine, tmp_path: Path) -> None:
    hostile = {**_good(2), "date_unixtime": "[/red][bold]\u00b2"}
    path = write_export(tmp_path / "markup", CHANNEL, "Sample Wire", [_good(1), hostile])
    result = cli("import", "telegram-export", str(path))
    assert "'[/red][bold]\u00b2'" in result.stderr  # shown as written, and no MarkupError


@pytest.mark.parametrize("strings", [
    {"text": "a\x00b"}, {"author": "Desk\x00"}, {"forwarded_from": "\x00"},
    {"text": "lone \ud800 high"}, {"text": "lone \udfff low"}, {"author": "\udc80"},
    {"text": "reversed \udc00\ud800 pair"}, {"file_name": "a\x00\ud800.pdf", "file": "files/a.pdf"},
])
def test_text_a_database_cannot_hold_is_made_storable_and_kept(store: Engine, tmp_path: Path,
                                                             strings: dict[str, str]) -> None:
    folder = tmp_path / "strings"
    folder.mkdir()
    bad = {**_good(2), **strings}
    body = json.dumps({"name": "Sample\x00 Wire \ud801", "type": "public_channel", "id": CHANNEL,
                       "messages": [_good(1), bad, _good(3)]}, ensure_ascii=True)
    (folder / "result.json").write_text(body, encoding="utf-8")
    report = runner.import_telegram_export(store, folder)
    assert report.errors == []
    with store.connect() as conn:
        rows = {r.message_id: r for r in conn.execute(sa.select(posts))}
    assert sorted(rows) == [1, 2, 3]
    kept = rows[2]
    for value in (kept.text, kept.author or "", kept.forwarded_from or "", json.dumps(kept.raw, ensure_ascii=False)):
        assert "\x00" not in value and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if "text" in strings:
        assert kept.text == strings["text"].replace("\x00", "").translate(
            {c: "\ufffd" for c in range(0xD800, 0xE000)})


def _post(message_id: int, **fields: Any) -> ParsedPost:
    base = ParsedPost(message_id=message_id, posted_at=datetime.fromtimestamp(T0 + message_id % 10**6, UTC),
                      text=f"Statement {message_id} on the talks.", raw={"id": message_id})
    for key, value in fields.items():
        setattr(base, key, value)
    return base


# ParsedPosts as any source could hand them to the store (not only the export parser)
UNSTORABLE: dict[str, dict[str, Any]] = {
    "message id 2^63": {"message_id": 2**63},
    "message id 2^100": {"message_id": 2**100},
    "reply_to 2^63": {"reply_to": 2**63},
    "reply_to -2^63-1": {"reply_to": -(2**63) - 1},
    "naive date": {"posted_at": datetime(2024, 5, 23, 10, 0)},
    "date year 1 east of UTC": {"posted_at": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))},
    "date year 9999 west of UTC": {"posted_at": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))},
    "edit date year 9999 west of UTC": {"edited_at": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-9)))},
    "NUL in text": {"text": "a\x00b"},
    "NUL in author": {"author": "\x00"},
    "NUL in forwarded_from": {"forwarded_from": "x\x00"},
    "surrogate in text": {"text": "\ud800"},
    "surrogate in forwarded_from_id": {"forwarded_from_id": "\udfff"},
    "forwarded_from_id of 65": {"forwarded_from_id": "c" * 65},
    "kind of 21": {"kind": "k" * 21},
    "NaN in raw": {"raw": {"views": math.nan}},
    "Infinity in raw": {"raw": {"views": math.inf}},
    "surrogate in raw": {"raw": {"note": "\ud800"}},
    "surrogate in a raw key": {"raw": {"\udc00": 1}},
    "not JSON in raw": {"raw": {"when": datetime(2024, 1, 1)}},
    "surrogate in a link": {"links": ["https://example.org/\ud800"]},
    "surrogate in a media name": {"media": [Media(kind="file", file_name="\ud800.pdf")]},
}
# what a database holds anyway when nothing checks first: JSON columns are written with escapes (a lone
# surrogate as \ud800) that both accept; SQLite also keeps NUL, any length and NaN
HOLDS = {"postgresql": {"surrogate in a link", "surrogate in a media name"}}
# the check leaves the raw payload to the database (and the hash): SQLite then keeps NaN, PostgreSQL refuses it
HOLDS_CHECKED = {"sqlite": {"NaN in raw", "Infinity in raw"}, "postgresql": set()}
HOLDS["sqlite"] = HOLDS["postgresql"] | {"NUL in text", "NUL in author", "NUL in forwarded_from",
                                         "forwarded_from_id of 65", "kind of 21", "NaN in raw", "Infinity in raw"}


def _source_id(engine: Engine) -> int:
    with engine.begin() as conn:
        return source_store.ensure_channel(conn, CHANNEL, "Sample Wire")[0]


@pytest.mark.parametrize("checked", [True, False], ids=["checked-first", "database-refuses"])
def test_unstorable_posts_are_isolated_at_write_time(store: Engine, checked: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With the check against the columns' limits, and without it (so the database itself refuses, and the
    batch is halved until the bad post stands alone): every good post is stored either way."""
    if not checked:
        monkeypatch.setattr(importing, "storable_problem", lambda parsed: None)
    source_id = _source_id(store)
    batch: list[ParsedPost] = []
    bad_ids: dict[int, str] = {}
    for index, (name, fields) in enumerate(UNSTORABLE.items()):
        batch.append(_post(index * 3 + 1))
        fields = dict(fields)
        bad = _post(fields.pop("message_id", index * 3 + 2), **fields)
        bad_ids[bad.message_id] = name
        batch.append(bad)
        batch.append(_post(index * 3 + 3))
    good_ids = sorted(p.message_id for p in batch if p.message_id not in bad_ids)
    outcome = importing.write_batch(store, source_id, batch, "feed.json")
    with store.connect() as conn:
        stored = set(conn.execute(sa.select(posts.c.message_id)).scalars())
        recorded = conn.execute(sa.select(import_errors.c.message_id, import_errors.c.reason)).all()
    assert set(good_ids) <= stored
    refused = {mid for mid, _ in outcome.failed}
    holds = HOLDS[store.dialect.name] if not checked else HOLDS_CHECKED[store.dialect.name]
    for message_id, name in bad_ids.items():
        if name in holds:
            continue
        assert message_id in refused, f"{name} was not refused"
        assert message_id not in stored
    assert len(recorded) == len(outcome.failed)
    assert all(reason for _, reason in recorded)
    # an id beyond 64 bits is recorded without it (the column could not hold it either)
    assert all(mid is None or -(2**63) <= mid < 2**63 for mid, _ in recorded)
    assert outcome.counts.inserted == len(stored)


def test_a_lost_connection_is_not_blamed_on_a_message(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from watchfloor.store import posts as post_store

    def gone(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))

    source_id = _source_id(store)
    monkeypatch.setattr(post_store, "store_parsed", gone)
    with pytest.raises(sa.exc.OperationalError):
        importing.write_batch(store, source_id, [_post(1), _post(2)], "x.json")
    assert _count(store, import_errors) == 0


def test_an_export_with_a_byte_order_mark_is_read(store: Engine, tmp_path: Path) -> None:
    path = write_export(tmp_path / "bom", CHANNEL, "Sample Wire", [_good(1), _good(2)])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = runner.import_telegram_export(store, path)
    assert report.counts.inserted == 2 and report.errors == []


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])
def test_two_copies_of_one_id_keep_the_later_text_without_a_revision(store: Engine, tmp_path: Path,
                                                                     batch_size: int) -> None:
    earlier = message(5, "The talks were postponed.", T0)
    later = message(5, "The talks were postponed to Thursday.", T0)
    path = write_export(tmp_path / "twice", CHANNEL, "Sample Wire", [earlier, _good(6), _good(7), later, _good(8)])
    report = runner.import_telegram_export(store, path, batch_size=batch_size)
    assert report.counts.inserted == 4 and report.counts.revisions == 0
    with store.connect() as conn:
        text = conn.execute(sa.select(posts.c.text).where(posts.c.message_id == 5)).scalar_one()
    assert text == "The talks were postponed to Thursday."
    assert _count(store, post_revisions) == 0
    again = runner.import_telegram_export(store, path, batch_size=batch_size)
    assert again.counts.unchanged == 4 and again.counts.revisions == 0


@pytest.mark.parametrize("escape", ["", "\x00"], ids=["plain-file", "file-with-a-NUL-escape"])
@pytest.mark.parametrize("depth", [64, 65, 300])
def test_nesting_is_limited_whether_or_not_the_file_needs_cleaning(tmp_path: Path, depth: int, escape: str) -> None:
    from watchfloor.sources.telegram_reader import read_export

    deep = {**_good(2), "extra": _deep(depth - 1)}  # the message itself is the first level
    path = write_export(tmp_path / "deep", CHANNEL, "Sample Wire" + escape, [_good(1), deep, _good(3)])
    [chat] = read_export(path)
    kept = sorted(p.message_id for p in chat.posts)
    if depth <= 64:
        assert kept == [1, 2, 3] and chat.errors == []
    else:
        assert kept == [1, 3] and [e.message_id for e in chat.errors] == [2]
        assert "nested more than 64 levels" in chat.errors[0].reason


@pytest.mark.parametrize("checked", [True, False], ids=["checked-first", "database-refuses"])
def test_a_write_fault_costs_neither_its_batch_nor_the_batches_after(cli: Cli, store: Engine, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   checked: bool) -> None:
    """Through the whole import and the CLI: posts a parser might hand on that the database refuses, one in
    each batch of ten, on every re-run."""
    from watchfloor.sources.telegram_export import ExportChat
    from watchfloor.sources.telegram_reader import ChatReader

    faults = {5: {"message_id": 2**63}, 14: {"text": "lone \ud800"}, 23: {"reply_to": -(2**63) - 1},
              27: {"posted_at": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))}}
    chat = ExportChat(channel_id=CHANNEL, name="Sample Wire", chat_type="public_channel",
                      file=str(tmp_path / "result.json"))
    for index in range(1, 31):
        fields = dict(faults.get(index, {}))
        chat.posts.append(_post(fields.pop("message_id", index), **fields))
    monkeypatch.setattr(import_reading, "open_any_export", lambda path: [ChatReader(chat)])
    if not checked:
        monkeypatch.setattr(importing, "storable_problem", lambda parsed: None)
    monkeypatch.setenv("WATCHFLOOR_IMPORT_BATCH", "10")
    for _ in range(2):
        result = cli("import", "telegram-export", str(tmp_path))
        assert result.exit_code == 0 and "Traceback" not in result.output
        assert f"{len(faults)} skipped (recorded in import_errors)" in result.stdout
    with store.connect() as conn:
        stored = sorted(conn.execute(sa.select(posts.c.message_id)).scalars())
        recorded = conn.execute(sa.select(import_errors.c.message_id, import_errors.c.reason)).all()
    assert stored == [i for i in range(1, 31) if i not in faults]
    assert len(recorded) == len(faults)  # once, though the import ran twice
    assert {mid for mid, _ in recorded} == {14, 23, 27, None}  # an id beyond 64 bits is kept in the reason
    assert any(str(2**63) in reason for _, reason in recorded)


def test_a_folder_name_that_is_not_utf8_is_reported_not_a_traceback(cli: Cli, store: Engine, tmp_path: Path) -> None:
    import os

    folder = tmp_path / os.fsdecode(b"export-\xff\xfe")  # a name from a disk that is not UTF-8
    path = write_export(folder, CHANNEL, "Sample Wire", [_good(1), {**_good(2), "date_unixtime": "\u00b2"}])
    data = cli.json("import", "telegram-export", str(path))
    assert data["chats"][0]["inserted"] == 1 and len(data["errors"]) == 1
    assert "export-\ufffd\ufffd" in data["errors"][0]
    with store.connect() as conn:
        assert "export-\ufffd\ufffd" in conn.execute(sa.select(import_errors.c.file)).scalar_one()


@pytest.mark.parametrize("ident", ["\u00b2", "1\u00b2", "\u0661\u0662", "\uff11", "9" * 20, str(2**63), "-" + "9" * 25])
def test_a_source_key_of_odd_digits_is_a_clear_error(cli: Cli, store: Engine, ident: str) -> None:
    for args in (("sources", "add", f"telegram:{ident}"),
                 ("import", "telegram-export", str(JSON_SAMPLE), "--source", f"telegram:{ident}")):
        result = cli(*args, ok=False)
        assert result.exit_code == 1 and "is not a channel id" in result.stderr and "Traceback" not in result.output
