"""Import throughput (messages/s) against the bare floor, on SQLite and PostgreSQL, and tg-parser's parse.

    python bench/import_throughput.py [--messages 100000] [--postgres URL] [--repeat 1]

The export is generated the way Telegram Desktop writes a channel's ``result.json`` (about 580 bytes a
message: the text twice, as ``text`` and ``text_entities``, formatted parts and links in some, photos,
edits, forwards and replies in others; English, Arabic and Persian news-wire sentences).

- bare floor (SQLite): stdlib ``json`` of the file plus one ``executemany`` of the same rows (each message's
  raw JSON encoded once) into a plain table without indexes, in one transaction; also measured with the
  cycle collector paused, as Watchfloor's import pauses it;
- Watchfloor SQLite: ``importer.import_telegram_export`` into a fresh migrated database (parse, checks,
  hash, dedupe, bulk insert, full-text index built and searchable);
- bare floor (PostgreSQL): the same rows through one ``COPY`` into a plain table; Watchfloor PostgreSQL:
  the same import (``COPY``; the search vector is a stored generated column with a GIN index);
- tg-parser 1.2.0 when installed: ``tg-parser parse FILE -f json`` (parse and write JSON; its process
  start-up included), for comparison with a tool that stores nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_db import empty_postgres

from watchfloor import importer, runner
from watchfloor.store.bulk_import import COLUMNS

SENTENCES = [
    "The spokesman said the delegation arrived in Baghdad on Tuesday for talks on the border crossings.",
    "وصل الوفد إلى بغداد يوم الثلاثاء لإجراء محادثات حول المعابر الحدودية، بحسب المتحدث.",
    "هیئت روز سه‌شنبه برای گفت‌وگو درباره گذرگاه‌های مرزی وارد بغداد شد.",
    "Officials confirmed the meeting in Beirut would resume next week, according to a statement.",
    "أعلن المكتب الإعلامي أن الاجتماع سيستأنف الأسبوع المقبل في بيروت.",
]
T0 = 1716458400  # 2024-05-23T10:00:00Z


def _message(i: int) -> dict[str, Any]:
    """One channel post as Telegram Desktop exports it (news-wire wording)."""
    stamp = T0 + i * 37
    sentence = SENTENCES[i % len(SENTENCES)]
    tail = f" (bulletin {i})"
    entities: list[dict[str, Any]] = [{"type": "plain", "text": sentence + tail}]
    text: Any = sentence + tail
    if i % 3 == 0:  # formatted: a bold lead and a link, as a list of parts
        url = f"https://example.org/news/{i}"
        text = [{"type": "bold", "text": "Update: "}, sentence + tail + " ", {"type": "link", "text": url}]
        entities = [{"type": "bold", "text": "Update: "}, {"type": "plain", "text": sentence + tail + " "},
                    {"type": "link", "text": url}]
    message: dict[str, Any] = {
        "id": i, "type": "message", "date": datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(stamp), "from": "Bench Wire", "from_id": "channel1900009999",
    }
    if i % 5 == 0:
        message["edited"] = datetime.fromtimestamp(stamp + 600, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        message["edited_unixtime"] = str(stamp + 600)
    if i % 10 == 1:
        message["forwarded_from"] = "Regional Desk"
    if i % 10 == 2 and i > 2:
        message["reply_to_message_id"] = i - 1
    if i % 4 == 0:
        message.update({"photo": f"photos/photo_{i}@23-05-2024_10-00-00.jpg", "width": 1280, "height": 720})
    message["text"] = text
    message["text_entities"] = entities
    return message


def make_export(folder: Path, count: int) -> Path:
    """A single-channel export with ``count`` messages."""
    path = folder / "result.json"
    path.write_text(json.dumps({"name": "Bench Wire", "type": "public_channel", "id": 1900009999,
                                "messages": [_message(i) for i in range(1, count + 1)]},
                               ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _floor_rows(path: Path) -> list[tuple[Any, ...]]:
    data = json.loads(path.read_bytes())
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    rows = []
    for m in data["messages"]:
        text = m["text"] if isinstance(m["text"], str) else "".join(
            p if isinstance(p, str) else p["text"] for p in m["text"])
        rows.append((1, m["id"], m["type"], datetime.fromtimestamp(int(m["date_unixtime"]), UTC).isoformat(" "),
                     None, text, None, m.get("forwarded_from"), None, m.get("reply_to_message_id"), "[]", "[]",
                     json.dumps(m, ensure_ascii=False), "", now, now))
    return rows


CPU: dict[str, float] = {}  # this process's CPU seconds of the latest run of each side (SQLite: all the work)
_PLAIN = ", ".join(f"{c} {'bigint' if c in ('source_id', 'message_id', 'reply_to') else 'text'}" for c in COLUMNS)


def floor_sqlite(folder: Path, path: Path, gc_paused: bool = False) -> float:
    """Seconds for stdlib json plus one executemany of the same rows into a plain SQLite table (until the
    rows are freed, as the import frees its own); ``gc_paused``: with the cycle collector paused, as the
    import pauses it."""
    db = sqlite3.connect(folder / "floor.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"CREATE TABLE posts ({_PLAIN})")
    if gc_paused:
        gc.disable()
    start, cpu = time.perf_counter(), time.process_time()
    rows = _floor_rows(path)
    with db:
        db.executemany(f"INSERT INTO posts VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    del rows
    elapsed = time.perf_counter() - start
    CPU["floor_gc_paused" if gc_paused else "floor"] = time.process_time() - cpu
    gc.enable()
    db.close()
    return elapsed


def floor_postgres(url: str, path: Path) -> float:
    """Seconds for stdlib json plus one COPY of the same rows into a plain PostgreSQL table."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE floor_posts ({_PLAIN})")
        conn.commit()
        start = time.perf_counter()
        rows = _floor_rows(path)
        with conn.cursor() as cursor, cursor.copy(f"COPY floor_posts ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - start


def watchfloor_import(url: str, path: Path) -> float:
    """Seconds for Watchfloor's own import of the file; checks the archive is searchable at the end."""
    engine = runner.open_store(url, migrate=True)
    start, cpu = time.perf_counter(), time.process_time()
    report = importer.import_telegram_export(engine, path)
    elapsed = time.perf_counter() - start
    CPU["watchfloor"] = time.process_time() - cpu
    assert report.counts.inserted > 0 and not report.errors, report.errors[:3]
    from watchfloor.store.search import search_posts
    with engine.connect() as conn:
        assert search_posts(conn, "bulletin 7", limit=5), "the import is not searchable"
    engine.dispose()
    return elapsed


def tg_parser(folder: Path, path: Path) -> float | None:
    """Seconds for ``tg-parser parse FILE -f json`` (None when it is not installed)."""
    exe = shutil.which("tg-parser") or (str(Path(sys.executable).parent / "tg-parser")
                                        if (Path(sys.executable).parent / "tg-parser").exists() else None)
    if exe is None:
        return None
    start = time.perf_counter()
    subprocess.run([exe, "parse", str(path), "-o", str(folder / "tg-parser-out"), "-f", "json"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure on too (its public schema is emptied)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; the best is reported")
    args = parser.parse_args()
    n = args.messages
    result: dict[str, Any] = {"messages": n}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_export(folder, n)
        result["export_mb"] = round(path.stat().st_size / 1e6, 1)

        def best(measure: Any) -> float:
            return float(min(measure(i) for i in range(args.repeat)))

        floor_s = best(lambda i: floor_sqlite(Path(tempfile.mkdtemp(dir=folder)), path))
        floor_cpu = CPU["floor"]
        paused_s = best(lambda i: floor_sqlite(Path(tempfile.mkdtemp(dir=folder)), path, gc_paused=True))
        ours_s = best(lambda i: watchfloor_import(f"sqlite:///{tempfile.mkdtemp(dir=folder)}/ours.sqlite3", path))
        result["sqlite"] = {"floor_s": round(floor_s, 2), "watchfloor_s": round(ours_s, 2),
                            "floor_cpu_s": round(floor_cpu, 2), "watchfloor_cpu_s": round(CPU["watchfloor"], 2),
                            "floor_messages_per_s": round(n / floor_s), "watchfloor_messages_per_s": round(n / ours_s),
                            "rate_against_floor": round(floor_s / ours_s, 2),
                            "floor_gc_paused_s": round(paused_s, 2),
                            "floor_gc_paused_cpu_s": round(CPU["floor_gc_paused"], 2),
                            "rate_against_floor_gc_paused": round(paused_s / ours_s, 2)}
        if args.postgres:
            pg_floor = best(lambda i: floor_postgres(empty_postgres(args.postgres), path))
            pg_ours = best(lambda i: watchfloor_import(empty_postgres(args.postgres), path))
            result["postgresql"] = {"floor_s": round(pg_floor, 2), "watchfloor_s": round(pg_ours, 2),
                                    "floor_messages_per_s": round(n / pg_floor),
                                    "watchfloor_messages_per_s": round(n / pg_ours),
                                    "rate_against_floor": round(pg_floor / pg_ours, 2)}
        tg = tg_parser(folder, path)
        if tg is not None:
            result["tg_parser_1_2_0"] = {"seconds": round(tg, 2), "messages_per_s": round(n / tg)}
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
