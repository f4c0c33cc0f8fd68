"""Import throughput (messages/s) against the bare floor: parse plus bulk insert of the same rows.

    python bench/import_throughput.py [--messages 20000] [--db sqlite|URL]

Both sides run in the same process on the same kind of database: Watchfloor's import
(`runner.import_telegram_export`: parse, hash, dedupe, insert in batches) and the floor (json.load
of the same file plus one executemany of the same columns into an identical fresh schema).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from watchfloor import runner
from watchfloor.store.tables import posts, sources

SENTENCES = [
    "The spokesman said the delegation arrived in Baghdad on Tuesday for talks.",
    "وصل الوفد إلى بغداد يوم الثلاثاء لإجراء محادثات، بحسب المتحدث.",
    "هیئت روز سه‌شنبه برای گفت‌وگو وارد بغداد شد.",
]


def make_export(folder: Path, count: int) -> Path:
    """A single-channel export with `count` messages."""
    t0 = 1716458400
    messages = []
    for i in range(1, count + 1):
        text = f"{SENTENCES[i % 3]} #{i}"
        messages.append({"id": i, "type": "message", "date": "2024-05-23T10:00:00", "date_unixtime": str(t0 + i),
                         "from": "Bench Wire", "from_id": "channel1900009999", "text": text,
                         "text_entities": [{"type": "plain", "text": text}]})
    path = folder / "result.json"
    path.write_text(json.dumps({"name": "Bench Wire", "type": "public_channel", "id": 1900009999,
                                "messages": messages}, ensure_ascii=False), encoding="utf-8")
    return path


def floor(url: str, path: Path) -> float:
    """Seconds to json.load the file and bulk insert the same columns into a fresh schema."""
    engine = runner.open_store(url, migrate=True)
    start = time.perf_counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    with engine.begin() as conn:
        source_id = conn.execute(sources.insert().values(key="telegram:1900009999", platform="telegram",
                                                         channel_id=1900009999, tags=[], created_at=now)
                                 ).inserted_primary_key[0]
        rows = [{"source_id": source_id, "message_id": m["id"], "kind": "message",
                 "posted_at": datetime.fromtimestamp(int(m["date_unixtime"]), UTC), "text": m["text"],
                 "links": [], "media": [], "raw": m, "content_hash": "", "imported_at": now, "updated_at": now}
                for m in data["messages"]]
        conn.execute(posts.insert(), rows)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def watchfloor_import(url: str, path: Path) -> float:
    """Seconds for Watchfloor's own import of the file."""
    engine = runner.open_store(url, migrate=True)
    start = time.perf_counter()
    report = runner.import_telegram_export(engine, path)
    elapsed = time.perf_counter() - start
    assert report.counts.inserted > 0
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure on (emptied for each side)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_export(folder, args.messages)

        def fresh(name: str) -> str:
            if not args.postgres:
                return f"sqlite:///{folder / name}.sqlite3"
            engine = sa.create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1))
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            engine.dispose()
            return str(args.postgres)

        floor_s = floor(fresh("floor"), path)
        ours_s = watchfloor_import(fresh("ours"), path)
    n = args.messages
    result = {"messages": n, "database": "postgresql" if args.postgres else "sqlite",
              "floor_messages_per_s": round(n / floor_s), "watchfloor_messages_per_s": round(n / ours_s),
              "ratio_to_floor": round(ours_s / floor_s, 2)}
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
