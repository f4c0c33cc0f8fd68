"""Several monitors on one database: the cost of a lease, and collection time with 1, 2, 3 monitors.

    PYTHONPATH=src python bench/monitor_leases.py [--db sqlite|URL] [--channels 60] [--latency 0.1]
                                                  [--monitors 1,2,3] [--leases 1000] [--host-delay 0]

A PostgreSQL URL must name a database of its own: its public schema is dropped and made again for each run.
1. Leases: one monitor in-process takes and releases every source of ``--leases`` due ones (two
   transactions per source: take, then schedule and release), timed per source.
2. Collection: ``--channels`` channels with two preview pages each (t.me/s markup, the tests' loopback server,
   each page answered after ``--latency`` seconds), collected by N real `watchfloor run --no-process`
   processes; timed from the first request to the moment every channel's cursor is stored (start-up excluded).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the loopback server and page markup

from bench_db import empty_postgres  # noqa: E402

from loopback import Site  # noqa: E402
from make_preview import message, page  # noqa: E402
from watchfloor import runner  # noqa: E402
from watchfloor.models import Source  # noqa: E402
from watchfloor.monitor import Monitor  # noqa: E402
from watchfloor.settings import load_settings  # noqa: E402
from watchfloor.store import leases as lease_store  # noqa: E402
from watchfloor.store import sources as source_store  # noqa: E402
from watchfloor.store.tables import sources  # noqa: E402


def fresh(url: str, workdir: Path, name: str) -> str:
    """An empty, migrated database: a new SQLite file, or the PostgreSQL database's schema made again."""
    if url == "sqlite":
        url = f"sqlite:///{workdir / (name + '.sqlite3')}"
    else:
        empty_postgres(url)
    runner.open_store(url, migrate=True).dispose()
    return url


def add_channels(url: str, handles: list[str]) -> None:
    engine = runner.open_store(url)
    with engine.begin() as conn:
        for handle in handles:
            source_store.add_source(conn, Source(key=f"telegram:{handle}", handle=handle, collector="telegram-web"))
    engine.dispose()


def lease_cost(url: str, count: int) -> dict[str, float]:
    """Take, schedule and release every one of ``count`` due sources in one monitor; seconds per source."""
    add_channels(url, [f"lease_{i:05d}" for i in range(count)])
    engine = runner.open_store(url)
    monitor = Monitor(engine, load_settings({"collect_host_delay_seconds": "0"}, environ={}), process=False)
    now = datetime.now(UTC)
    started = time.perf_counter()
    taken = 0
    while (source := monitor.take(now, set())) is not None:
        with engine.begin() as conn:
            source_store.schedule_next(conn, source.key, now + timedelta(hours=1), 0)
            lease_store.release(conn, source.key, monitor.owner)
        taken += 1
    seconds = time.perf_counter() - started
    engine.dispose()
    assert taken == count
    return {"sources": count, "ms_per_source": round(1000 * seconds / count, 3)}


def collection_time(url: str, channels: int, latency: float, monitors: int, host_delay: float,
                    workdir: Path) -> dict[str, float]:
    """Wall time for ``monitors`` processes to collect every channel (two pages each)."""
    handles = [f"bench_{i:04d}" for i in range(channels)]
    add_channels(url, handles)
    site = Site()
    for index, handle in enumerate(handles):
        shown = {n: message(n, "2024-05-23T09:00:00+00:00", f"The council met on day {n} ({handle}).",
                            handle=handle, channel_id=1800000000 + index) for n in range(1, 5)}
        site.pages[f"/s/{handle}"] = page([shown[3], shown[4]], before=3, handle=handle)
        site.pages[f"/s/{handle}?before=3"] = page([shown[1], shown[2]], handle=handle)
        site.delays[f"/s/{handle}"] = site.delays[f"/s/{handle}?before=3"] = latency
    env = {**os.environ, "WATCHFLOOR_DB": url, "WATCHFLOOR_DATA_DIR": str(workdir),
           "WATCHFLOOR_COLLECT_HOST_DELAY_SECONDS": str(host_delay), "WATCHFLOOR_COLLECT_INTERVAL_MINUTES": "600"}
    command = [sys.executable, "-c", "from watchfloor.cli import main; main()", "run", "--base-url", site.url,
               "--allow-loopback", "--no-process", "--no-translate", "--json"]
    engine = runner.open_store(url)
    running = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for _ in range(monitors)]
    try:
        while not site.requests:
            time.sleep(0.01)
        started = time.perf_counter()
        while True:
            with engine.connect() as conn:
                left = conn.execute(sa.select(sa.func.count()).where(sources.c.cursor.is_(None))).scalar_one()
            if not left:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            process.communicate(timeout=60)
        engine.dispose()
        site.close()
    return {"monitors": monitors, "seconds": round(seconds, 2), "channels_per_s": round(channels / seconds, 2),
            "requests": len(site.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--channels", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before each page is answered")
    parser.add_argument("--monitors", default="1,2,3")
    parser.add_argument("--leases", type=int, default=1000)
    parser.add_argument("--host-delay", type=float, default=0.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        result: dict[str, object] = {"db": "sqlite" if args.db == "sqlite" else "postgresql",
                                     "leases": lease_cost(fresh(args.db, workdir, "leases"), args.leases)}
        result["collection"] = {"channels": args.channels, "pages": 2 * args.channels, "latency_s": args.latency,
                                "host_delay_s": args.host_delay, "runs": [
            collection_time(fresh(args.db, workdir, f"run{n}"), args.channels, args.latency, n, args.host_delay,
                            workdir) for n in (int(x) for x in args.monitors.split(","))]}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
