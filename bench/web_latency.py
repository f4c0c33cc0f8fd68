"""Web app latency: the main pages and API routes over real HTTP on loopback, on the processed sample.

    python bench/web_latency.py [--requests 50]

Prints the median and 95th-percentile milliseconds per route (one client, sequential requests, the
app served by uvicorn in this process, SQLite). JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from watchfloor import runner
from watchfloor.models import Role
from watchfloor.settings import load_settings
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.store.base import Engine
from watchfloor.web.app import create_app
from watchfloor.web.auth import hash_password

PASSWORD = "benchmark password"


def serve(engine: Engine) -> tuple[httpx.Client, Callable[[], None]]:
    """The app over ``engine`` served by uvicorn on loopback in this process, and a client logged in as an
    analyst (created here); the second value stops the server."""
    with engine.begin() as conn:
        if user_store.find_user(conn, "bench@example.org") is None:
            user_store.create_user(conn, "bench@example.org", hash_password(PASSWORD), Role.ANALYST)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine, load_settings(environ={})), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True, timeout=600)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD, "csrf": csrf.group(1)})

    def stop() -> None:
        client.close()
        server.should_exit = True
        thread.join()

    return client, stop


def time_route(client: httpx.Client, route: str, requests: int, warm: bool = True) -> dict[str, float]:
    """Median and 95th-percentile ms of ``requests`` sequential GETs of ``route`` (after one to warm)."""
    if warm:
        client.get(route)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(route)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (route, response.status_code)
    timings.sort()
    return {"median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1)}


def time_first_and_after(client: httpx.Client, routes: list[str], requests: int) -> dict[str, Any]:
    """For each route: the first request's ms, then ``time_route`` over ``requests`` more (3 when the first took
    over 2 s); a route that fails is recorded with its status, not timed. Each printed to stderr as it comes."""
    found: dict[str, Any] = {}
    for route in routes:
        started = time.perf_counter()
        status = client.get(route).status_code
        first = time.perf_counter() - started
        if status != 200:
            found[route] = {"status": status, "first_ms": round(first * 1000)}
        else:
            found[route] = {**time_route(client, route, requests if first < 2 else 3, warm=False),
                            "first_ms": round(first * 1000)}
        print(route, found[route], file=sys.stderr, flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wf-web-bench-"))
    engine = runner.open_store(f"sqlite:///{folder / 'watchfloor.sqlite3'}", migrate=True)
    runner.init_store(engine)
    runner.import_sample(engine)
    runner.process(engine, load_settings(environ={}))
    with engine.begin() as conn:
        story = story_store.list_stories(conn, min_sources=2, limit=1)[0].id
    client, stop = serve(engine)
    routes = ["/", "/search?q=Tehran", "/posts", "/posts?lang=ar", "/posts?q=Tehran",
              f"/stories/{story}", "/entities/person:ebrahim-raisi", "/sources/telegram:1900000001", "/network",
              "/api/v1/posts?limit=50", f"/api/v1/stories/{story}", "/feed.xml"]
    results = {route: time_route(client, route, args.requests) for route in routes}
    stop()
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        return
    for route, figures in results.items():
        print(f"{route:40} median {figures['median_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
