"""The analyst pages at a million processed posts: the pages an import alone cannot show (stories, entities,
languages, reports).

    python bench/processed_pages.py --postgres URL [--posts 1000000] [--requests 20]
    python bench/processed_pages.py --sqlite PATH [...]
    python bench/processed_pages.py --postgres URL --reuse     # time the pages again on the archive built before

The archive is ``placement_scale.py``'s: ``make_archive.plan_archive``'s posts written straight into the database
as the stages leave them (language, the knowledge-base names the wording holds as mentions, a synthetic
embedding), each post in its true story; running the embedding model over a million posts would take half a
day here. What the driver adds after placement is made by Watchfloor's own code: each story's title is its first
post's opening and its time span that of its posts, the newest ``--coded`` stories are coded by
``story_coding.recode_stories``, and ``--reports`` of the biggest recent stories are drafted by
``reports.actions.save_story_draft`` (two in three published, alternately public and for subscribers).

Then each route is requested ``--requests`` times over loopback by one logged-in analyst (``web_latency``):
p50 / p95 ms and the first request's ms. A route whose first request takes over 2 s is timed 3 times.
PostgreSQL's database (``--postgres``) has its public schema emptied before building; the SQLite file is
replaced.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from bench_db import empty_postgres
from make_archive import plan_archive
from placement_scale import Embeddings, grow, prepare, timeline
from web_latency import serve, time_first_and_after

from watchfloor import runner
from watchfloor.models import Tier
from watchfloor.reports.actions import publish_report, save_story_draft
from watchfloor.store import entity_counts
from watchfloor.store.source_vectors import recount_vectors
from watchfloor.story_coding import recode_stories

TITLE_CHARS = 120


def build(url: str, posts: int, channels: int, seed: int, coded: int, reports: int) -> dict[str, Any]:
    """Write the processed archive into ``url``; the seconds each step took."""
    took: dict[str, Any] = {}
    started = time.perf_counter()
    plan = plan_archive(posts, channels, seed)
    line = timeline(plan)
    engine = runner.open_store(url, migrate=True)
    runner.init_store(engine)
    prepare(engine, plan)
    embed = Embeddings(plan, seed)
    for first in range(0, len(line), 100_000):
        grow(engine, plan, line, first, min(first + 100_000, len(line)), embed, placed=True)
        print(f"{min(first + 100_000, len(line)):,} posts written", file=sys.stderr, flush=True)
    took["posts_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with engine.begin() as conn:  # the mentions were written behind the store's back: count them once
        entity_counts.recount(conn)
        recount_vectors(conn)
    took["entity_counts_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with engine.begin() as conn:  # as the driver's set_stories_meta leaves each story (one statement, not 300k)
        conn.execute(sa.text(
            "UPDATE stories SET title = coalesce((SELECT substr(p.text, 1, :chars) FROM posts p WHERE p.id = "
            "(SELECT min(sp.post_id) FROM story_posts sp WHERE sp.story_id = stories.id)), title), "
            "first_seen = coalesce((SELECT min(p.posted_at) FROM posts p JOIN story_posts sp ON sp.post_id = p.id "
            "WHERE sp.story_id = stories.id), first_seen), "
            "last_seen = coalesce((SELECT max(p.posted_at) FROM posts p JOIN story_posts sp ON sp.post_id = p.id "
            "WHERE sp.story_id = stories.id), last_seen)"), {"chars": TITLE_CHARS})
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE"))  # as autovacuum would, some time after a bulk load
    took["stories_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with engine.begin() as conn:
        newest = conn.execute(sa.text("SELECT id FROM stories ORDER BY last_seen DESC, id DESC LIMIT :n"),
                              {"n": coded}).scalars().all()
        recode_stories(conn, newest)
    took["coding_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with engine.begin() as conn:
        biggest = conn.execute(sa.text(
            "SELECT story_id FROM story_posts sp JOIN stories s ON s.id = sp.story_id WHERE s.last_seen > :since "
            "GROUP BY story_id ORDER BY count(*) DESC, story_id LIMIT :n"),
            {"since": datetime.fromtimestamp(line[-1].moment, UTC) - timedelta(days=90), "n": reports}).scalars()
        for number, story_id in enumerate(list(biggest)):
            report_id = save_story_draft(conn, story_id, "bench@example.org")
            if number % 3:
                publish_report(conn, report_id, Tier.PUBLIC if number % 3 == 1 else Tier.SUBSCRIBER, None,
                               "bench@example.org", allow_untranslated=True)
    took["reports_s"] = round(time.perf_counter() - started, 1)
    engine.dispose()
    return took


def routes(engine: sa.Engine) -> list[str]:
    """The pages to time, with the archive's busiest and middling entity, its biggest recent story, a report."""
    with engine.connect() as conn:
        by_mentions = conn.execute(sa.text("SELECT entity_id FROM mentions GROUP BY entity_id "
                                           "ORDER BY count(*) DESC, entity_id")).scalars().all()
        story = conn.execute(sa.text("SELECT sp.story_id FROM story_posts sp JOIN stories s ON s.id = sp.story_id "
                                     "GROUP BY sp.story_id, s.last_seen ORDER BY count(*) DESC, s.last_seen DESC "
                                     "LIMIT 1")).scalar_one()
        report = conn.execute(sa.text("SELECT min(id) FROM reports WHERE published_at IS NOT NULL")).scalar_one()
    busiest, middling = by_mentions[0], by_mentions[len(by_mentions) // 2]
    return ["/stories", "/stories?min_sources=1", f"/stories/{story}", "/api/v1/stories",
            f"/api/v1/stories/{story}", f"/entities/{busiest}", f"/entities/{middling}",
            f"/api/v1/entities/{busiest}", "/api/v1/entities", "/posts?lang=ar", "/posts?lang=fa&page=20",
            f"/posts?entity={busiest}", f"/posts?entity={middling}", "/", "/search?q=meeting", "/feed.xml",
            f"/reports/{report}", "/drafts", "/review", "/posts", "/network"]


def pages(url: str, requests: int) -> dict[str, Any]:
    engine = runner.open_store(url, migrate=False)
    client, stop = serve(engine)
    try:
        return time_first_and_after(client, routes(engine), requests)
    finally:
        stop()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--postgres", help="a database kept for benchmarks: its public schema is emptied")
    where.add_argument("--sqlite", type=Path, help="an SQLite file (replaced)")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--coded", type=int, default=2_000, help="the newest stories coded")
    parser.add_argument("--reports", type=int, default=60, help="reports drafted from the biggest recent stories")
    parser.add_argument("--requests", type=int, default=20, help="requests per route")
    parser.add_argument("--reuse", action="store_true", help="time the pages on the archive built before")
    args = parser.parse_args()
    if args.postgres:
        url = args.postgres if args.reuse else empty_postgres(args.postgres)
    else:
        url = f"sqlite:///{args.sqlite}"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.sqlite}{suffix}").unlink(missing_ok=True)
    result: dict[str, Any] = {"database": "postgresql" if args.postgres else "sqlite", "posts": args.posts}
    if not args.reuse:
        result["build"] = build(url, args.posts, args.channels, args.seed, args.coded, args.reports)
        print(json.dumps(result["build"]), file=sys.stderr, flush=True)
    result["pages"] = pages(url, args.requests)
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
