"""Pipeline throughput (posts/s) of the local engine and of the Dask engine with 1 and 2 local workers.

    python bench/engine_throughput.py [--copies 10] [--batch 64] [--rounds 3] [--workers 1,2] [--threads N]
                                      [--db URL]

The posts are the bundled sample's, copied `--copies` times (new message ids, each copy 10 days later) and
imported into a fresh SQLite file (or the PostgreSQL database `--db` names, which is emptied). Each engine
processes every post (`--reprocess` between runs); a Dask cluster is started and every worker has loaded its
models before the clock starts, so the figure is the steady rate; the start-up is reported beside it. The
embedding model's own rate on the same posts, in this process, is the yardstick of the pipeline's overhead: each
time, the faster of one model call per batch and the stage's own way of calling it (both are reported). Each
engine runs `--rounds` times, every run compared with the model's runs just before and after it (for Dask in the
faster of the two ways), and the median share is reported.
`--threads N` gives every Dask worker N OpenMP threads (the `dask_threads` setting; by default the workers share
the machine's cores): with `--threads 1` one worker and two compute on one and two cores, which shows how the
engine scales with its workers rather than what this machine can do at most.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_db import empty_postgres

from watchfloor import runner
from watchfloor.engine import dask as dask_engine
from watchfloor.engine.stages import model_stages
from watchfloor.pipeline.embed import MAX_CHARS, EmbedStage
from watchfloor.settings import load_settings
from watchfloor.store import posts as post_store


def copy_sample(folder: Path, copies: int) -> list[Path]:
    """Each sample channel's export with its messages repeated `copies` times (later ids and dates)."""
    written = []
    for source in sorted(p for p in runner.sample_exports().iterdir() if p.is_dir()):
        export = json.loads((source / "result.json").read_text(encoding="utf-8"))
        messages = []
        for copy in range(copies):
            for original in export["messages"]:
                message = dict(original, id=original["id"] + 100_000 * copy)
                moment = datetime.fromtimestamp(int(original["date_unixtime"]), UTC) + timedelta(days=10 * copy)
                message["date_unixtime"] = str(int(moment.timestamp()))
                message["date"] = moment.strftime("%Y-%m-%dT%H:%M:%S")
                messages.append(message)
        target = folder / source.name
        target.mkdir()
        (target / "result.json").write_text(json.dumps({**export, "messages": messages}, ensure_ascii=False),
                                            encoding="utf-8")
        written.append(target)
    return written


def fresh_database(url: str | None, folder: Path) -> str:
    if url is None:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    return empty_postgres(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--workers", default="1,2", help="Dask workers to try, comma-separated ('' for none)")
    parser.add_argument("--threads", default=None, help="OpenMP threads of each Dask worker (default: shared cores)")
    parser.add_argument("--rounds", type=int, default=3, help="pipeline runs, each between two runs of the model")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied); default: an SQLite file")
    args = parser.parse_args()
    result: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "batch": args.batch,
                              "dask_threads": args.threads or "cores shared"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = runner.open_store(fresh_database(args.db, folder), migrate=True)
        runner.init_store(engine)
        for export in copy_sample(folder, args.copies):
            runner.import_telegram_export(engine, export)
        with engine.connect() as conn:
            texts = [p.text for p in post_store.posts_to_process(conn, 10_000_000)]
        result["posts"] = len(texts)
        result["database"] = engine.url.get_backend_name()

        embed = EmbedStage()
        embed.setup()

        ways: dict[str, list[float]] = {"batch_call": [], "stage": []}

        def embedding_alone(only: str | None = None) -> tuple[float, float]:
            """Wall and CPU seconds of the model alone over the posts, in the pipeline's batches: the faster of
            one call per batch (the model's own way) and the stage's way (each text on its own, on a pool of
            single-threaded threads where the model has several: pipeline/embed.py), timed in turn; ``only``
            times that way alone."""
            timed = []
            for way in [only] if only else list(ways):
                wall, cpu = time.perf_counter(), time.process_time()
                for i in range(0, len(texts), args.batch):
                    batch = [t[:MAX_CHARS] for t in texts[i:i + args.batch] if t.strip()]
                    if way == "batch_call":
                        embed.model.passage(batch)
                    else:
                        embed.embed_texts(batch)
                timed.append((time.perf_counter() - wall, time.process_time() - cpu))
                ways[way].append(round(timed[-1][0], 2))
            return min(timed)

        local = load_settings({"batch_size": str(args.batch)}, environ={})
        model_stages(local)  # the models load once per process, before the clock starts
        # the model alone and the whole pipeline, interleaved --rounds times: the machine's load moves meanwhile,
        # so each round's pipeline is compared with the model's runs just before and after it
        alone = [embedding_alone()]
        rounds = []
        for number in range(args.rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            report = runner.process(engine, local, reprocess=number > 0)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            alone.append(embedding_alone())
            model_wall = min(alone[-2][0], alone[-1][0])
            model_cpu = min(alone[-2][1], alone[-1][1])
            rounds.append({"model_wall_s": round(model_wall, 2), "pipeline_wall_s": round(wall, 2),
                           "share_by_wall": round(model_wall / wall, 2), "model_cpu_s": round(model_cpu, 2),
                           "pipeline_cpu_s": round(cpu, 2), "share_by_cpu": round(model_cpu / cpu, 2),
                           "embed_stage_share": round(report.seconds["embed"] / sum(report.seconds.values()), 2)})
        done = report.posts
        best_wall, best_cpu = min(a[0] for a in alone), min(a[1] for a in alone)
        result["embedding_alone_posts_per_s"] = round(len(texts) / best_wall, 1)
        result["embedding_alone_wall_s"] = ways  # each way's passes, in order
        result["local_posts_per_s"] = round(done / min(r["pipeline_wall_s"] for r in rounds), 1)
        result["local_rounds"] = rounds
        result["local_share_of_embedding_rate"] = statistics.median(r["share_by_wall"] for r in rounds)
        result["local_share_of_embedding_rate_by_cpu"] = statistics.median(r["share_by_cpu"] for r in rounds)
        result["cpu_s"] = {"embedding_alone": round(best_cpu, 2)}
        result["local_seconds"] = {name: round(value, 2) for name, value in
                                   sorted(report.seconds.items(), key=lambda item: -item[1])}

        # the Dask runs are compared as the local rounds are, with the model's runs just before and after each
        # (in the way that was the faster above): the machine's speed drifts over the minutes a run takes
        fastest_way = min(ways, key=lambda way: min(ways[way]))
        for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
            settings = load_settings({"batch_size": str(args.batch), "engine": "dask",
                                      "dask_workers": str(workers), "dask_threads": args.threads}, environ={})
            start = time.perf_counter()
            client = dask_engine.client_for(settings, engine)
            client.run(model_stages, settings)  # every worker has its models
            started = time.perf_counter() - start
            dask_rounds = []
            around = [embedding_alone(fastest_way)]
            for _ in range(args.rounds):
                workers_cpu = client.run(time.process_time)  # each worker process's CPU seconds so far
                start, driver_cpu = time.perf_counter(), time.process_time()
                done = runner.process(engine, settings, reprocess=True).posts
                wall = time.perf_counter() - start
                after = client.run(time.process_time)
                cpu = time.process_time() - driver_cpu + sum(after[w] - workers_cpu[w] for w in after)
                around.append(embedding_alone(fastest_way))
                model_wall, model_cpu = min(around[-2][0], around[-1][0]), min(around[-2][1], around[-1][1])
                dask_rounds.append({"model_wall_s": round(model_wall, 2), "dask_wall_s": round(wall, 2),
                                    "share_by_wall": round(model_wall / wall, 2),
                                    "cpu_s": round(cpu, 2),  # the driver and every worker
                                    "share_by_cpu": round(model_cpu / cpu, 2)})
            name = f"dask_{workers}_workers"
            result[f"{name}_posts_per_s"] = round(done / min(r["dask_wall_s"] for r in dask_rounds), 1)
            result[f"{name}_rounds"] = dask_rounds
            result[f"{name}_share_of_embedding_rate"] = statistics.median(r["share_by_wall"] for r in dask_rounds)
            result[f"{name}_share_of_embedding_rate_by_cpu"] = statistics.median(r["share_by_cpu"] for r in dask_rounds)
            result["cpu_s"][name] = min(r["cpu_s"] for r in dask_rounds)
            result[f"{name}_start_s"] = round(started, 1)
            dask_engine.shutdown()
        engine.dispose()
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
