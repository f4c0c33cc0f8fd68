"""CPU a local Dask cluster takes while it waits between runs (a monitor keeps its cluster between passes).

    python bench/dask_idle.py [--workers 2] [--seconds 20] [--rounds 2]

Starts the Dask engine's local cluster (`engine/dask.py: client_for`) with its quiet settings and with Dask's
own defaults, in turn, each `--rounds` times; waits until every worker has loaded its models, then counts the
CPU seconds of this process (the scheduler and the nannies live here) and of every worker process over
`--seconds` of idleness. Prints JSON: the share of one core each takes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from watchfloor import runner
from watchfloor.engine import dask as dask_engine
from watchfloor.engine.stages import model_stages
from watchfloor.settings import load_settings


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def idle_cores(workers: int, seconds: float, quiet: bool, url: str) -> dict[str, float]:
    """The cores (CPU seconds per second) the driver and the workers took while the cluster waited."""
    saved = dict(dask_engine.QUIET_LOCAL_CLUSTER)
    if not quiet:
        dask_engine.QUIET_LOCAL_CLUSTER.clear()
    try:
        settings = load_settings({"engine": "dask", "dask_workers": str(workers)}, environ={})
        engine = runner.open_store(url, migrate=True)
        client = dask_engine.client_for(settings, engine)
        client.wait_for_workers(workers, timeout=120)
        client.run(model_stages, settings)
        time.sleep(2)  # the start's last messages settle
        me = psutil.Process()
        pids = client.run(os.getpid)
        others = [psutil.Process(pid) for pid in pids.values()]
        before = [cpu_seconds(p) for p in [me, *others]]
        time.sleep(seconds)
        after = [cpu_seconds(p) for p in [me, *others]]
        used = [(b - a) / seconds for a, b in zip(before, after, strict=True)]
        dask_engine.shutdown()
        engine.dispose()
    finally:
        dask_engine.QUIET_LOCAL_CLUSTER.clear()
        dask_engine.QUIET_LOCAL_CLUSTER.update(saved)
    return {"driver": round(used[0], 3), "workers": round(sum(used[1:]), 3), "total": round(sum(used), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    result: dict[str, Any] = {"workers": args.workers, "seconds": args.seconds, "quiet": [], "dask_defaults": []}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'idle.sqlite3'}"
        for _ in range(args.rounds):
            result["quiet"].append(idle_cores(args.workers, args.seconds, True, url))
            result["dask_defaults"].append(idle_cores(args.workers, args.seconds, False, url))
    for name in ("quiet", "dask_defaults"):
        result[f"{name}_median_cores"] = statistics.median(r["total"] for r in result[name])
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
