"""The analyst's /network page over many channels: the first request, the kept view, and after a new post.

    python bench/network_scale.py [--channels 2000] [--posts 150000] [--postgres URL] [--requests 30]

Writes a synthetic network straight into a migrated database (no import, no pipeline): channels in 40
clusters, each post forwarding from (30%) or naming (20%) a channel of its cluster or an outside one, an
embedding near its channel's own (itself near its cluster's), a tenth of the channels going quiet and a
successor starting after; then serves the web app on loopback and times GET /network as an analyst: the first
request (nothing kept), the kept view (p50/p95 of --requests), the request after one new post (the kept view,
marked as being updated) and the computation of the new view that it starts in a thread (the embeddings read
again for that channel only); then, on a fresh app set up as `watchfloor serve` sets it up (the view started
at once), the first request and when the view was ready. JSON on stdout. SQLite in a temporary folder
unless --postgres names a database, which is emptied first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import sqlalchemy as sa
import uvicorn
from bench_db import empty_postgres

from watchfloor import runner
from watchfloor.cli.process import NETWORK_FIRST_WAIT
from watchfloor.models import Role
from watchfloor.settings import load_settings
from watchfloor.store import users as user_store
from watchfloor.store.source_vectors import recount_vectors
from watchfloor.store.tables import posts, sources
from watchfloor.web.app import create_app
from watchfloor.web.auth import hash_password

PASSWORD = "benchmark password"
AFFILIATIONS = ["IRGC", "Hezbollah", "Houthis", "Kataib Hezbollah", "Hamas", "PIJ", "Asaib Ahl al-Haq", None]
T0 = datetime(2024, 1, 1, tzinfo=UTC)
CLUSTERS = 40


def _post(source_id: int, message_id: int, moment: datetime, text: str, forwarded: tuple[str, str] | None,
          handle: str | None, embedding: bytes) -> dict[str, Any]:
    return {"source_id": source_id, "message_id": message_id, "kind": "message", "posted_at": moment,
            "text": text, "forwarded_from": forwarded[1] if forwarded else None,
            "forwarded_from_id": forwarded[0] if forwarded else None, "links": [], "media": [], "raw": {},
            "content_hash": hashlib.sha256(text.encode()).hexdigest(), "imported_at": moment, "updated_at": moment,
            "lang": "en", "indicators": [{"kind": "telegram_handle", "value": f"@{handle}"}] if handle else [],
            "embedding": embedding, "processed_at": moment}


def write_network(engine: sa.Engine, channels: int, total_posts: int, seed: int = 7) -> None:
    """Channels and their posts, written in batches; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(CLUSTERS, 384))
    with engine.begin() as conn:
        conn.execute(sa.insert(sources), [
            {"key": f"telegram:{1990000000 + i}", "platform": "telegram", "handle": f"chan{i}",
             "channel_id": 1990000000 + i, "name": f"Channel {i}", "affiliation": AFFILIATIONS[i % len(AFFILIATIONS)],
             "tags": [], "created_at": T0} for i in range(channels)])
        ids: dict[int, int] = {int(c): int(i) for c, i in conn.execute(sa.select(sources.c.channel_id, sources.c.id))}
    per_channel = max(total_posts // channels, 1)
    # a successor (i % 10 == 2) belongs to the cluster of the channel before it, which it replaces
    cluster_of = [(i - 1 if i % 10 == 2 else i) % CLUSTERS for i in range(channels)]
    members: dict[int, list[int]] = {}
    for i, cluster in enumerate(cluster_of):
        members.setdefault(cluster, []).append(i)
    batch: list[dict[str, Any]] = []
    voice = centres[0]
    for i in range(channels):
        cluster = cluster_of[i]
        mates = [j for j in members[cluster] if j != i] or [i]
        start, days = T0, 180.0
        if i % 10 == 1:  # went quiet after 60 days ...
            days = 60.0
        elif i % 10 == 2:  # ... and this one started 5 days later
            start, days = T0 + timedelta(days=65), 115.0
        if i % 10 != 2:  # a channel's own voice; a successor keeps its predecessor's
            voice = rng.normal(size=384) + centres[cluster]
        noise = rng.normal(size=(per_channel, 384)) * 0.6 + voice
        moments = sorted(rng.random(per_channel) * days)
        roll = rng.random((per_channel, 3))
        for n in range(per_channel):
            forwarded = handle = None
            if roll[n, 0] < 0.3:
                other = mates[int(roll[n, 2] * len(mates))] if roll[n, 1] < 0.85 else 5000 + cluster * 7 + n % 7
                forwarded = (f"channel{1990000000 + other}", f"Channel {other}")
            elif roll[n, 0] < 0.5:
                handle = f"chan{mates[int(roll[n, 2] * len(mates))]}" if roll[n, 1] < 0.8 else f"outside{cluster}"
            vector = (noise[n] / np.linalg.norm(noise[n])).astype(np.float32).tobytes()
            batch.append(_post(ids[1990000000 + i], n + 1, start + timedelta(days=float(moments[n])),
                               f"Bulletin {n} of channel {i} on the port and the front.", forwarded, handle, vector))
            if len(batch) >= 5000:
                _flush(engine, batch)
    _flush(engine, batch)
    with engine.begin() as conn:  # written behind the store's back: the sources' embedding sums counted once
        recount_vectors(conn)


def _flush(engine: sa.Engine, batch: list[dict[str, Any]]) -> None:
    if batch:
        with engine.begin() as conn:
            conn.execute(sa.insert(posts), batch)
        batch.clear()


class Server:
    """The web app on a free loopback port, and an analyst logged in to it."""

    def __init__(self, engine: sa.Engine) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(create_app(engine, load_settings(environ={})), host="127.0.0.1",
                                                    port=port, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True, timeout=600)
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.client.get("/login").text)
        assert csrf
        self.client.post("/login", data={"email": "bench@example.org", "password": PASSWORD, "csrf": csrf.group(1)})

    def get(self, path: str) -> tuple[float, httpx.Response]:
        started = time.perf_counter()
        response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000, response

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join()


def _figures(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=150_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure on (emptied first)")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--new-posts", type=int, default=5, help="times a new post arrives and the page is read")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = empty_postgres(args.postgres) if args.postgres else f"sqlite:///{Path(tmp) / 'network.sqlite3'}"
        engine = runner.open_store(url, migrate=True)
        started = time.perf_counter()
        write_network(engine, args.channels, args.posts)
        with engine.begin() as conn:
            user_store.create_user(conn, "bench@example.org", hash_password(PASSWORD), Role.ANALYST)
            written = conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one()
            source_id = conn.execute(sa.select(sources.c.id).order_by(sources.c.id)).scalars().first()
        result: dict[str, Any] = {"database": "postgresql" if args.postgres else "sqlite", "channels": args.channels,
                                  "posts": written, "write_s": round(time.perf_counter() - started, 1)}
        server = Server(engine)
        cold, page = server.get("/network")
        result["first_request_ms"] = round(cold, 1)
        left_out = re.search(r'id="left-out">(\d+)<', page.text)
        result["nodes_left_out_of_drawing"] = int(left_out.group(1)) if left_out else 0
        result["page_kb"] = round(len(page.content) / 1024)
        result["kept_view"] = _figures([server.get("/network")[0] for _ in range(args.requests)])
        app: Any = server.server.config.app
        cache = app.state.network
        after: list[float] = []
        computing: list[float] = []
        for n in range(args.new_posts):
            moment = datetime.now(UTC)
            with engine.begin() as conn:
                conn.execute(sa.insert(posts), [_post(source_id, 10**9 + n, moment, f"A new post {n}.", None,
                                                      "chan3", np.ones(384, np.float32).tobytes())])
            after.append(server.get("/network")[0])  # the kept view, marked as updating
            cache.settle()
            computing.append(cache._view.seconds * 1000)
        result["request_after_a_new_post"] = _figures(after)
        result["view_computed_again_after_a_new_post"] = _figures(computing)
        result["views_computed"] = cache.computed
        server.stop()
        # as `watchfloor serve` sets the app up: the view is started as the server starts, and a request that
        # comes before it is ready waits NETWORK_FIRST_WAIT at most, then gets a page that reloads itself
        served = Server(engine)
        served_cache = served.server.config.app.state.network
        served_cache.first_wait = NETWORK_FIRST_WAIT
        started = time.perf_counter()
        served_cache.warm()
        quick, page = served.get("/network")
        result["served_first_request_ms"] = round(quick, 1)
        result["served_first_request_said_computing"] = 'id="computing"' in page.text
        served_cache.settle()
        result["served_view_ready_s"] = round(time.perf_counter() - started, 1)
        served.stop()
        engine.dispose()
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
