"""How fast the `watchfloor` command starts: each command run N times in fresh processes, whole-process
wall time (interpreter start, imports, the work, exit), median and 95th percentile.

    python bench/cli_startup.py [--runs 20] [--db PATH]

`--db` is an SQLite file made by `watchfloor init` (made in a temporary folder when not given).
The figures and the machine they were taken on are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
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


def _run(args: list[str], db: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "watchfloor", "--db", db, *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="SQLite file made by `watchfloor init` (default: a new one)")
    options = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    with tempfile.TemporaryDirectory() as folder:
        db = options.db or str(Path(folder) / "watchfloor.sqlite3")
        if not options.db:
            subprocess.run([sys.executable, "-m", "watchfloor", "--db", db, "init"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        print(f"| command | median (s) | p95 (s) | runs |\n|---|---|---|---|")
        for label, args in COMMANDS.items():
            _run(args, db, env)  # the first run warms the file cache and writes bytecode
            times = sorted(_run(args, db, env) for _ in range(options.runs))
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"| `{label}` | {statistics.median(times):.3f} | {p95:.3f} | {len(times)} |", flush=True)


if __name__ == "__main__":
    main()
