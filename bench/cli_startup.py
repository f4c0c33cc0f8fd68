"""How fast the `watchfloor` command starts: each command run N times in fresh processes; whole-process wall
time (interpreter start, imports, the work, exit) and the process's CPU time (user + system, less sensitive
to a busy machine), median and 95th percentile.

    python bench/cli_startup.py [--runs 20] [--db PATH] [--compare OTHER_SRC]

`--db` is an SQLite file made by `watchfloor init` (made in a temporary folder when not given).
`--compare` times another checkout's `src` folder too, its runs interleaved with these (e.g. the code before
a change, from `git archive COMMIT src | tar -x -C /tmp/before`), so that both see the same machine load.
The figures and the machine they were taken on are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
COMMANDS = {
    "watchfloor --help": ["--help"],
    "watchfloor kb resolve Qaani": ["kb", "resolve", "Qaani"],
    "watchfloor kb resolve Qaani --json": ["kb", "resolve", "Qaani", "--json"],
    "watchfloor stories list --json": ["stories", "list", "--json"],
}


def _run(args: list[str], db: str, src: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "watchfloor", "--db", db, *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="SQLite file made by `watchfloor init` (default: a new one)")
    parser.add_argument("--compare", type=Path, help="another checkout's src folder, timed interleaved")
    options = parser.parse_args()
    trees = {"this": SRC, **({"compared": options.compare.resolve()} if options.compare else {})}
    print(f"load average before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        db = options.db or str(Path(folder) / "watchfloor.sqlite3")
        if not options.db:
            subprocess.run([sys.executable, "-m", "watchfloor", "--db", db, "init"], check=True,
                           env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.DEVNULL)
        print("| command | code | wall median (s) | wall p95 (s) | CPU median (s) | runs |\n|---|---|---|---|---|---|")
        for label, args in COMMANDS.items():
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            for src in trees.values():
                _run(args, db, src)  # the first run warms the file cache and writes bytecode
            for _ in range(options.runs):
                for name, src in trees.items():
                    times[name].append(_run(args, db, src))
            for name, runs in times.items():
                wall = [w for w, _ in runs]
                cpu = [c for _, c in runs]
                print(f"| `{label}` | {name} | {statistics.median(wall):.3f} | {_p95(wall):.3f} | "
                      f"{statistics.median(cpu):.3f} | {len(runs)} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
