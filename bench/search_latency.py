"""Full-text search latency (p50/p95 ms) over an archive of N posts, for a common word and rare ones.

    python bench/search_latency.py [--messages 100000] [--postgres URL] [--runs 20]

The archive is the import benchmark's single-channel export (five wire sentences in English, Arabic and
Persian, each post numbered as a bulletin): "bulletin" occurs in every post, "Baghdad" in a fifth, each
number in one. The archive is analysed after the import (PostgreSQL's autovacuum does it within about a
minute; until then its planner cannot tell a common word from a rare one). Two more searches for
"bulletin" add a filter: one that the newest tenth of the posts pass, one that only the oldest hundredth
pass, the worst case for a search that takes the newest matches first (the index is walked past every newer
match).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from bench_db import empty_postgres
from import_throughput import T0, make_export

from watchfloor import runner
from watchfloor.store.posts import PostFilter
from watchfloor.store.search import search_posts


def time_search(conn: sa.Connection, word: str, runs: int, flt: PostFilter | None = None) -> dict[str, object]:
    """p50 and p95 ms of ``search_posts`` for ``word`` (and ``flt``) over ``runs`` runs (after one that counts
    the page)."""
    found = len(search_posts(conn, word, flt))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        search_posts(conn, word, flt)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"word": word, "hits_on_page": found, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)}


_EXPRESSION = "to_tsvector('simple', coalesce(text, '') || ' ' || coalesce(text_en, ''))"


def _compare_expression(conn: sa.Connection, queries: dict[str, str], runs: int) -> dict[str, object]:
    """The page's match-and-rank SQL from the stored column (0018) against the form before it (the vector
    recomputed per matching row, found through an expression GIN index built here for the purpose);
    interleaved, p50 ms of each."""
    conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS bench_expression_fts ON posts USING gin ({_EXPRESSION})"))
    conn.commit()
    forms = {"stored column": "fts_vector", "recomputed": _EXPRESSION}
    out: dict[str, object] = {}
    for label, word in queries.items():
        times: dict[str, list[float]] = {form: [] for form in forms}
        for _ in range(runs):
            for form, document in forms.items():
                sql = sa.text(f"SELECT id FROM posts WHERE {document} @@ plainto_tsquery('simple', :q) "
                              f"ORDER BY ts_rank({document}, plainto_tsquery('simple', :q)) DESC, id LIMIT 50")
                started = time.perf_counter()
                conn.execute(sql, {"q": word}).all()
                times[form].append((time.perf_counter() - started) * 1000)
        out[label] = {form: round(statistics.median(t), 1) for form, t in times.items()}
    conn.execute(sa.text("DROP INDEX bench_expression_fts"))
    conn.commit()
    return out


def main() -> None:
    """Import the archive, then time searches through the library call the CLI, web app and API use."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure on (emptied first)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--compare-expression", action="store_true",
                        help="PostgreSQL: also time the ranking SQL against the recomputed vector (before 0018)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = empty_postgres(args.postgres) if args.postgres else f"sqlite:///{Path(tmp) / 'search.sqlite3'}"
        engine = runner.open_store(url, migrate=True)
        runner.import_telegram_export(engine, make_export(Path(tmp), args.messages))
        with engine.begin() as conn:  # the statistics autovacuum gathers within a minute of a large import
            conn.execute(sa.text("ANALYZE"))
        queries = {"in every post": "bulletin", "common (a fifth of the posts)": "Baghdad",
                   "rare (one post)": str(args.messages // 2),
                   "absent": "Kandahar"}
        def posted(i: int) -> datetime:  # the import benchmark's post i is stamped T0 + 37 s * i
            return datetime.fromtimestamp(T0 + 37 * i, UTC)

        newest_tenth = PostFilter(since=posted(args.messages * 9 // 10))
        oldest_hundredth = PostFilter(until=posted(args.messages // 100))
        filtered = {"in every post, newest tenth (since)": ("bulletin", newest_tenth),
                    "in every post, oldest hundredth (until)": ("bulletin", oldest_hundredth)}
        searches = {label: (word, None) for label, word in queries.items()} | filtered
        result: dict[str, object] = {"messages": args.messages,
                                     "database": "postgresql" if args.postgres else "sqlite"}
        with engine.connect() as conn:
            for label, (word, flt) in searches.items():
                result[label] = time_search(conn, word, args.runs, flt)
            if args.postgres and args.compare_expression:
                result["ranking, PostgreSQL SQL alone"] = _compare_expression(conn, queries, args.runs)
        engine.dispose()
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
