"""A million posts: importing a many-channel archive (whole process, against the bare floor) and searching it.

    python bench/make_archive.py /tmp/wf-archive/a1m --posts 1000000 --channels 2000
    python bench/archive_scale.py /tmp/wf-archive/a1m [--postgres URL] [--runs 20] [--work DIR] [--pages 20]
    python bench/archive_scale.py --pages-only URL 20      # the pages alone, on a database imported before
    python bench/archive_scale.py --search-only URL ARCHIVE 20     # the searches alone, likewise

For each database (SQLite always; PostgreSQL with ``--postgres``, whose public schema is emptied):
- **bare floor**, one process: stdlib ``json`` of every export plus the same rows (each message's raw JSON encoded
  once) into a plain table without indexes: one ``executemany`` per export in one transaction each (SQLite), one
  ``COPY`` per export (PostgreSQL); the cycle collector paused, as the import pauses it
  (``import_throughput.py``'s floor, over many files);
- **Watchfloor**, one process: ``python -m watchfloor --db URL import telegram-export`` with every export of
  the archive at once, into a freshly migrated database (migrating is not timed), with the default settings: the
  photos the exports declare (not included in them) are recorded as media, as ``media_download=exports`` does;
  ``--no-media`` imports with ``media_download=web`` instead;
- wall seconds, CPU seconds and peak memory of each process (``os.wait4``), process start-up included;
- then ``search_posts`` (``search_latency.time_search``) for a common, a mid and a rare word of the original
  text, with the number of posts each matches;
- with ``--pages N``: the analyst pages that need no processing (``web_latency.serve``; posts are unprocessed
  after an import: no language, mentions or stories yet, so the story, entity and language-filtered pages are
  not timed).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from bench_db import empty_postgres
from import_throughput import _PLAIN, _floor_rows
from make_archive import export_paths
from search_latency import time_search
from web_latency import serve, time_first_and_after

from watchfloor import runner
from watchfloor.kb.loader import load_entities
from watchfloor.store.bulk_import import COLUMNS


def floor(kind: str, archive: Path, target: str) -> None:
    """The bare floor over every export of the archive (run in its own process by ``_timed``)."""
    gc.disable()
    paths = export_paths(archive)
    if kind == "sqlite":
        db = sqlite3.connect(target)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"CREATE TABLE posts ({_PLAIN})")
        for path in paths:
            rows = _floor_rows(path)
            with db:
                db.executemany(f"INSERT INTO posts VALUES ({', '.join('?' * len(COLUMNS))})", rows)
            del rows
        db.close()
        return
    import psycopg

    with psycopg.connect(target) as conn:
        conn.execute(f"CREATE TABLE floor_posts ({_PLAIN})")
        conn.commit()
        for path in paths:
            rows = _floor_rows(path)
            with conn.cursor() as cursor, cursor.copy(f"COPY floor_posts ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            del rows


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[dict[str, float], str]:
    """Run ``command``; its wall seconds, CPU seconds (user + system) and peak resident memory, and its stdout."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{command[:6]} failed with {process.returncode}: {text[-2000:]}")
    return {"wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024)}, text


def _pick_words(archive: Path) -> dict[str, str]:
    """A common word of the wording, a mid and a rare place name (one English word) from the archive's mention
    counts, and a word in no post."""
    mentions: dict[str, int] = json.loads((archive / "archive.json").read_text(encoding="utf-8"))["mentions"]
    english = {e.id: next(a.text for a in e.aliases if a.lang == "en") for e in load_entities()}
    single = [(count, ident) for ident, count in mentions.items()
              if ident.startswith("place:") and english[ident].isalpha()]
    single.sort()
    middle = single[len(single) * 9 // 10]  # a name among the tenth most mentioned
    return {"common": "according", "mid": english[middle[1]], "rare": english[single[0][1]], "absent": "Reykjavik"}


def _matches(conn: sa.Connection, word: str) -> int:
    if conn.dialect.name == "sqlite":
        sql = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :q"
        return int(conn.execute(sa.text(sql), {"q": f'"{word}"'}).scalar_one())
    sql = "SELECT count(*) FROM posts WHERE fts_vector @@ plainto_tsquery('simple', :q)"
    return int(conn.execute(sa.text(sql), {"q": word}).scalar_one())


def measure(label: str, url: str, floor_target: str, archive: Path, work: Path, runs: int,
            no_media: bool = False) -> dict[str, Any]:
    """Floor, import and search on one database; ``no_media``: the import with media_download=web (the
    exports' media not recorded)."""
    me = [sys.executable, str(Path(__file__).resolve())]
    env = {**os.environ, "WATCHFLOOR_DATA_DIR": str(work / "data"), "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    if no_media:
        env["WATCHFLOOR_MEDIA_DOWNLOAD"] = "web"
    paths = export_paths(archive)
    result: dict[str, Any] = {"database": label, "exports": len(paths), "media_from_exports": not no_media}
    floor_usage, _ = _timed([*me, "--floor", label, str(archive), floor_target], env)
    if label == "postgresql":
        empty_postgres(url)
    engine = runner.open_store(url, migrate=True)  # not timed: `watchfloor init` does it once
    engine.dispose()
    ours, out = _timed([sys.executable, "-m", "watchfloor", "--db", url, "import", "telegram-export",
                        *map(str, paths), "--json"], env)
    report = json.loads(out[out.index("{"):])
    engine = runner.open_store(url, migrate=False)
    with engine.connect() as conn:
        stored = int(conn.execute(sa.text("SELECT count(*) FROM posts")).scalar_one())
    messages = sum(chat["messages"] for chat in report["chats"])
    result.update({"messages": messages, "stored": stored, "errors": len(report["errors"]),
                   "floor": {**floor_usage, "messages_per_s": round(messages / floor_usage["wall_s"])},
                   "watchfloor": {**ours, "messages_per_s": round(messages / ours["wall_s"])},
                   "rate_against_floor": round(floor_usage["wall_s"] / ours["wall_s"], 2),
                   "cpu_against_floor": round(floor_usage["cpu_s"] / ours["cpu_s"], 2) if label == "sqlite" else None})
    print(json.dumps(result, indent=1), file=sys.stderr, flush=True)
    result.update(searches(engine, archive, runs))
    engine.dispose()
    return result


def searches(engine: sa.Engine, archive: Path, runs: int) -> dict[str, Any]:
    """``search_posts`` p50/p95 for the archive's common, mid, rare and absent words, with their match counts."""
    with engine.connect() as conn:
        return {f"search, {kind}": {**time_search(conn, word, runs), "matches": _matches(conn, word)}
                for kind, word in _pick_words(archive).items()}


def pages(url: str, requests: int) -> dict[str, Any]:
    """The analyst pages that need no processing, p50/p95 ms over loopback (``web_latency.serve``); a page
    slower than 2 s on its first request is timed 3 times only; one that fails is recorded with its status."""
    engine = runner.open_store(url, migrate=False)
    with engine.connect() as conn:
        biggest = conn.execute(sa.text("SELECT s.key FROM sources s JOIN posts p ON p.source_id = s.id "
                                       "GROUP BY s.key ORDER BY count(*) DESC LIMIT 1")).scalar_one()
    client, stop = serve(engine)
    routes = ["/posts", "/posts?page=100", "/posts?q=according", f"/posts?source={biggest}", f"/sources/{biggest}",
              "/api/v1/posts?limit=50", "/api/v1/sources", "/network"]
    try:
        return time_first_and_after(client, routes, requests)
    finally:
        stop()
        engine.dispose()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--floor":
        floor(sys.argv[2], Path(sys.argv[3]), sys.argv[4])
        return
    if len(sys.argv) == 5 and sys.argv[1] == "--search-only":  # on a database measured before (--keep)
        engine = runner.open_store(sys.argv[2], migrate=False)
        json.dump(searches(engine, Path(sys.argv[3]), int(sys.argv[4])), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--pages-only":  # on a database measured before (--keep)
        json.dump(pages(sys.argv[2], int(sys.argv[3])), sys.stdout, indent=2)
        print()
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("archive", type=Path, help="a folder make_archive.py wrote")
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure on too (its public schema is emptied)")
    parser.add_argument("--runs", type=int, default=20, help="searches per word")
    parser.add_argument("--work", type=Path, help="where the SQLite files go (default: a temporary folder)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--pages", type=int, default=0, help="also time the analyst pages, this many requests each")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database in --work (for --pages-only)")
    parser.add_argument("--no-media", action="store_true",
                        help="import with media_download=web: the photos the exports declare are not recorded")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = args.work if args.keep and args.work else Path(tmp)
        if not args.skip_sqlite:
            url = f"sqlite:///{work / 'watchfloor.sqlite3'}"
            results.append(measure("sqlite", url, str(Path(tmp) / "floor.sqlite3"), args.archive, work, args.runs,
                                   args.no_media))
            if args.pages:
                results[-1]["pages"] = pages(url, args.pages)
        if args.postgres:
            results.append(measure("postgresql", args.postgres, empty_postgres(args.postgres), args.archive, work,
                                   args.runs, args.no_media))
            if args.pages:
                results[-1]["pages"] = pages(args.postgres, args.pages)
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
