"""CPU seconds of each stage and driver step of the local engine, the embedding apart: the pipeline's own cost
measured so that a loaded machine disturbs it little.

    python bench/pipeline_cpu.py [--copies 4] [--batch 64] [--runs 3] [--label NAME]

The sample copied as in engine_throughput.py, imported into a fresh SQLite file, processed ``--runs`` times
(the first a first run, the others ``--reprocess``) with the driver's step timer reading the CPU time of the thread
it runs on (``time.thread_time``) instead of the wall clock. The stages other than ``embed`` and the driver's steps
run on the main thread, so their CPU seconds are about what they take on a quiet machine, and the embedding, which
runs beside them on threads of its own (engine/driver.py), is not counted in them (a process-wide clock would count
it: this script read ``time.process_time`` until 2026-12-03, which the overlapping embedding had made too high);
``embed`` itself is left out. ``untimed`` is the main thread's CPU outside the stages and steps (reading the
knowledge base, building the stages, queueing translations). One JSON line per run. To compare two versions, run
each in turn (PYTHONPATH=... for the other one), twice.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import types
from pathlib import Path

from engine_throughput import copy_sample

from watchfloor import runner
from watchfloor.engine import driver
from watchfloor.engine.stages import model_stages
from watchfloor.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    driver.time = types.SimpleNamespace(perf_counter=time.thread_time)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = runner.open_store(f"sqlite:///{folder / 'bench.sqlite3'}", migrate=True)
        runner.init_store(engine)
        for export in copy_sample(folder, args.copies):
            runner.import_telegram_export(engine, export)
        settings = load_settings({"batch_size": str(args.batch)}, environ={})
        model_stages(settings)  # the models load before the clock starts
        for number in range(args.runs):
            cpu = time.thread_time()
            report = runner.process(engine, settings, reprocess=number > 0)
            cpu = time.thread_time() - cpu  # the main thread's: the embedding runs on others
            steps = {name: round(value, 3) for name, value in sorted(report.seconds.items(), key=lambda i: -i[1])
                     if name != "embed"}
            print(json.dumps({"label": args.label, "run": number + 1, "posts": report.posts,
                              "not_embed_cpu_s": round(cpu, 3),
                              "untimed_cpu_s": round(cpu - sum(steps.values()), 3), "steps": steps}),
                  flush=True)
        engine.dispose()


if __name__ == "__main__":
    main()
