"""How long a static file takes while other clients register (argon2 hashing and database writes).

    python bench/web_under_load.py [--clients 2] [--seconds 8]

Serves the app with uvicorn in this process (SQLite, empty database), measures GET /static/app.css alone,
then again while CLIENTS threads post /register in a loop (each with a new address). Prints median, 95th
percentile and worst milliseconds for both, and how many registrations were answered. JSON with --json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from watchfloor import runner
from watchfloor.settings import load_settings
from watchfloor.web.app import create_app


def _static_times(url: str, until: float, pause: float = 0.05) -> list[float]:
    times = []
    with httpx.Client(base_url=url) as client:
        while time.monotonic() < until:
            started = time.monotonic()
            client.get("/static/app.css").raise_for_status()
            times.append((time.monotonic() - started) * 1000)
            time.sleep(pause)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wf-load-bench-"))
    engine = runner.open_store(f"sqlite:///{folder / 'watchfloor.sqlite3'}", migrate=True)
    overrides = {"login_attempts": "1000000"}
    try:
        settings = load_settings({**overrides, "client_attempts": "1000000"}, environ={})
    except (KeyError, ValueError):  # a version without per-client limits
        settings = load_settings(overrides, environ={})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine, settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    idle = _static_times(url, time.monotonic() + 2)
    stop = time.monotonic() + args.seconds
    numbers = itertools.count()
    answered: list[int] = []

    def register() -> None:
        with httpx.Client(base_url=url) as client:
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/register").text)
            assert csrf
            while time.monotonic() < stop:
                answer = client.post("/register", data={"csrf": csrf.group(1), "password": "benchmark password",
                                                        "email": f"bench{next(numbers)}@example.org"})
                answered.append(answer.status_code)
                client.cookies.delete("wf_session")
                csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/register").text) or csrf

    workers = [threading.Thread(target=register) for _ in range(args.clients)]
    for worker in workers:
        worker.start()
    loaded = _static_times(url, stop)
    for worker in workers:
        worker.join()
    server.should_exit = True
    result = {"idle": _summary(idle), "while_registering": _summary(loaded), "clients": args.clients,
              "registrations_answered": len(answered)}
    if args.json:
        print(json.dumps(result))
        return
    for name in ("idle", "while_registering"):
        row = result[name]
        print(f"{name:18} median {row['median_ms']} ms  p95 {row['p95_ms']} ms  max {row['max_ms']} ms")  # type: ignore[index]
    print(f"{len(answered)} registrations answered by {args.clients} clients in {args.seconds} s")


if __name__ == "__main__":
    main()
