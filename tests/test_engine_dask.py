"""The Dask engine on a local cluster on loopback: the same stored results and stories as the local engine, on
SQLite and PostgreSQL, and nothing lost when a worker process is killed (SIGKILL) while it holds a batch."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import PG_URL, empty_schema
from watchfloor import runner
from watchfloor.engine.stages import KB_STAGES, PIPELINE_ORDER, model_loads
from watchfloor.errors import InvalidInput
from watchfloor.settings import load_settings
from watchfloor.store.tables import UTCDateTime, metadata

pytest.importorskip("distributed")
from watchfloor.engine import dask as dask_engine  # noqa: E402 (after the skip)

BATCH = "8"  # small batches: several per worker, so a killed worker surely holds one
LOCAL = load_settings({"batch_size": BATCH}, environ={})
DASK = load_settings({"batch_size": BATCH, "engine": "dask", "dask_workers": "2"}, environ={})
MODEL_STAGES = [name for name in PIPELINE_ORDER if name not in KB_STAGES]
# when a run happened, not what it found: the only fields that may differ between two runs
RUN_TIMES = {"processed_at", "created_at", "updated_at", "imported_at", "enqueued_at", "replaced_at", "stored_at",
             "captured_at", "next_attempt_at", "coded_at"}


@pytest.fixture(scope="module", autouse=True)
def cluster() -> Iterator[None]:
    """One local cluster for the module's tests (started by the first run), closed at the end."""
    yield
    dask_engine.shutdown()


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):  # a machine translation's record says when it was made
        return {k: _without_times(v) for k, v in value.items() if k != "at"}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, every column but the run's own times, in primary-key order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not (isinstance(c.type, UTCDateTime) and c.name in RUN_TIMES)]
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(sa.select(*columns).order_by(*order)).all()
            found[table.name] = [tuple(_without_times(v) for v in row) for row in rows]
    return found


def fresh_store(db_url: str, tmp_path: Path, name: str) -> Engine:
    """A new, empty database with the knowledge base and the bundled sample imported (not processed)."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / name}.sqlite3"
    else:
        assert PG_URL
        empty_schema(PG_URL)
    engine = runner.open_store(db_url, migrate=True)
    runner.init_store(engine)
    runner.import_sample(engine)
    return engine


_local_results: dict[str, dict[str, list[tuple[Any, ...]]]] = {}


def small_store(tmp_path: Path, name: str) -> Engine:
    """An SQLite file holding one sample channel, not processed."""
    engine = runner.open_store(f"sqlite:///{tmp_path / name}.sqlite3", migrate=True)
    runner.init_store(engine)
    runner.import_telegram_export(engine, runner.sample_exports() / "levant_wire")
    return engine


def local_result(db_url: str, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What the local engine stores for the sample (once per kind of database in this module)."""
    kind = db_url.partition(":")[0]
    if kind not in _local_results:
        _local_results[kind] = _run_local(db_url, tmp_path)
    return _local_results[kind]


def _run_local(db_url: str, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    engine = fresh_store(db_url, tmp_path, "local")
    report = runner.process(engine, LOCAL)
    assert report.posts > 40 and report.stories_touched > 0
    found = snapshot(engine)
    engine.dispose()
    return found


def assert_same(expected: dict[str, list[tuple[Any, ...]]], got: dict[str, list[tuple[Any, ...]]]) -> None:
    assert expected.keys() == got.keys()
    for table in expected:
        assert len(got[table]) == len(expected[table]), table
        for want, have in zip(expected[table], got[table], strict=True):
            assert have == want, f"{table}: {have!r} != {want!r}"


def test_dask_engine_stores_what_the_local_engine_stores(db_url: str, tmp_path: Path) -> None:
    expected = local_result(db_url, tmp_path)
    assert expected["stories"] and any(row for row in expected["story_posts"])
    engine = fresh_store(db_url, tmp_path, "dask")
    seen: list[tuple[int, int]] = []
    report = runner.process(engine, DASK, lambda done, total: seen.append((done, total)))
    assert report.posts == len(expected["posts"]) and "embed" in report.stages
    assert seen[-1] == (report.posts, report.posts) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert_same(expected, snapshot(engine))
    assert runner.process(engine, DASK).posts == 0  # nothing left, nothing done twice
    engine.dispose()


def test_a_worker_killed_mid_batch_loses_nothing(db_url: str, tmp_path: Path) -> None:
    expected = local_result(db_url, tmp_path)
    engine = fresh_store(db_url, tmp_path, "killed")
    client = dask_engine.client_for(DASK, engine)
    client.wait_for_workers(2, timeout=120)
    pids: dict[str, int] = client.run(os.getpid)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["report"] = runner.process(engine, DASK)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and thread.is_alive():
        for address, keys in client.processing().items():
            if any(str(k).startswith("watchfloor-batch-") for k in keys) and address in pids:
                os.kill(pids[address], signal.SIGKILL)
                killed = address
                break
        time.sleep(0.05)
    thread.join(timeout=300)
    assert killed is not None, "no worker was seen holding a batch"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["report"].posts == len(expected["posts"])
    assert_same(expected, snapshot(engine))
    engine.dispose()


def test_a_run_with_a_memory_of_names_stores_the_same_on_both_engines(tmp_path: Path) -> None:
    from test_engine_name_memory import BARE, FULL, bare_mentions, export

    stored = {}
    for name, settings in (("local", LOCAL), ("dask", DASK)):
        engine = runner.open_store(f"sqlite:///{tmp_path / name}.sqlite3", migrate=True)
        runner.init_store(engine)
        runner.import_telegram_export(engine, export(tmp_path, "first", 1, FULL))
        runner.process(engine, LOCAL)
        runner.import_telegram_export(engine, export(tmp_path, "later", 10, [BARE, *FULL]))
        assert runner.process(engine, settings).posts == 3
        assert [surface for surface, _ in bare_mentions(engine)] == ["فيبر"]  # the memory reached the stage
        stored[name] = snapshot(engine)
        engine.dispose()
    assert_same(stored["local"], stored["dask"])


def test_a_scheduler_with_sqlite_is_refused(tmp_path: Path) -> None:
    engine = runner.open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}", migrate=True)
    remote = load_settings({"engine": "dask", "dask_scheduler": "tcp://127.0.0.1:1"}, environ={})
    with pytest.raises(InvalidInput, match="needs PostgreSQL"):
        runner.process(engine, remote)
    engine.dispose()


def test_an_unknown_engine_is_refused_by_name(tmp_path: Path) -> None:
    engine = runner.open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}", migrate=True)
    with pytest.raises(InvalidInput, match="no engines part named 'spark'"):
        runner.process(engine, load_settings({"engine": "spark"}, environ={}))
    engine.dispose()


def test_cli_process_on_a_local_cluster(tmp_path: Path) -> None:
    from conftest import Cli

    cli = Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    cli("init")
    cli("import", "telegram-export", str(runner.sample_exports() / "levant_wire"))
    result = cli.json("process", "--workers", "1")
    assert result["posts"] > 5 and "embed" in result["stages"]
    assert set(result["seconds"]) >= set(result["stages"]) and result["seconds"]["embed"] > 0  # worker time, summed
    assert cli.json("process", "--engine", "dask", "--workers", "1")["posts"] == 0
    refused = cli("process", "--scheduler", "tcp://127.0.0.1:1", ok=False)
    assert refused.exit_code != 0 and "needs PostgreSQL" in refused.output


def test_a_backfill_imports_several_exports_and_processes_them_on_the_cluster(tmp_path: Path) -> None:
    from conftest import Cli

    exports = [str(runner.sample_exports() / name) for name in ("levant_wire", "persian_desk")]
    stored = {}
    for name, options in (("local", ["--engine", "local"]), ("dask", ["--workers", "2"])):
        cli = Cli(f"sqlite:///{tmp_path / name}.sqlite3")
        cli("init")
        result = cli.json("import", "telegram-export", *exports, "--process", *options)
        assert len(result["chats"]) == 2 and result["processed"]["posts"] == sum(
            chat["inserted"] for chat in result["chats"]) > 10
        assert "embed" in result["processed"]["stages"]
        engine = runner.open_store(cli.db_url)
        stored[name] = snapshot(engine)
        engine.dispose()
    assert_same(stored["local"], stored["dask"])
    refused = Cli(f"sqlite:///{tmp_path / 'local'}.sqlite3")("import", "telegram-export", *exports, "--workers", "2",
                                                           ok=False)
    assert refused.exit_code != 0 and "add --process" in " ".join(refused.output.split())


def test_models_load_once_per_worker_process_not_per_run(tmp_path: Path) -> None:
    engine = small_store(tmp_path, "again")
    client = dask_engine.client_for(DASK, engine)
    client.wait_for_workers(2, timeout=120)  # a worker killed by an earlier test is back
    assert runner.process(engine, DASK).posts > 5
    loads: dict[str, int] = client.run(model_loads)
    assert len(loads) == 2 and all(n >= len(MODEL_STAGES) for n in loads.values())
    assert runner.process(engine, DASK, reprocess=True).posts > 5
    assert client.run(model_loads) == loads  # the same workers, no model loaded again
    engine.dispose()


def test_a_run_starts_on_every_worker_at_once(tmp_path: Path) -> None:
    """The run's first pieces go one to each worker, though only one of them holds the shipped run: none waits
    for a piece to be stolen from another (which took 0.5-0.9 s on two workers)."""
    from distributed import get_task_stream

    short = small_store(tmp_path, "both-start")  # one channel: a run of two batches, cut into pieces
    whole = fresh_store(f"sqlite:///{tmp_path / 'unused'}", tmp_path, "both-start-sample")  # the sample: many
    client = dask_engine.client_for(DASK, short)
    client.wait_for_workers(2, timeout=120)
    for engine, reprocess in ((short, False), (short, True), (short, True), (whole, False), (whole, True)):
        with get_task_stream(client) as stream:
            assert runner.process(engine, DASK, reprocess=reprocess).posts > 5
        batches = sorted((int(task["key"].rsplit("-", 1)[1]), task["worker"]) for task in stream.data
                         if task["key"].startswith("watchfloor-batch-"))
        assert len({worker for _, worker in batches[:2]}) == 2, batches
    short.dispose()
    whole.dispose()


def test_the_local_engine_loads_its_models_once_per_process(tmp_path: Path) -> None:
    engine = small_store(tmp_path, "local-again")
    assert runner.process(engine, LOCAL).posts > 5
    loads = model_loads()
    assert runner.process(engine, LOCAL, reprocess=True).posts > 5
    assert model_loads() == loads
    other = load_settings({"batch_size": BATCH, "story_threshold": "0.6"}, environ={})
    runner.process(engine, other, reprocess=True)  # other settings: their own stages
    assert model_loads() == loads + len(MODEL_STAGES)
    engine.dispose()


@pytest.mark.parametrize(("chosen", "workers", "expected"), [
    (None, 1, max(1, os.cpu_count() or 1)), (None, 2, max(1, (os.cpu_count() or 1) // 2)), ("", 2, None),
    ("1", 2, 1), ("3", 1, 3), (" 2 ", 4, 2)])
def test_a_local_worker_s_threads_are_the_setting_or_the_cores_shared_out(chosen: str | None, workers: int,
                                                                         expected: int | None) -> None:
    settings = load_settings({"dask_threads": chosen}, environ={})
    want = expected if expected is not None else max(1, (os.cpu_count() or 1) // workers)
    assert dask_engine._threads(settings, workers) == want


@pytest.mark.parametrize("chosen", ["0", "-1", "two", "1.5"])
def test_a_bad_thread_count_is_refused_with_the_setting_named(chosen: str) -> None:
    with pytest.raises(InvalidInput, match="dask_threads must be a whole number"):
        dask_engine._threads(load_settings({"dask_threads": chosen}, environ={}), 2)


def test_each_local_worker_runs_its_models_on_the_threads_set(tmp_path: Path) -> None:
    engine = small_store(tmp_path, "threads")
    # five: neither Dask's own default for a worker (one) nor, on the machines this runs on, the cores shared out
    five = load_settings({"batch_size": BATCH, "engine": "dask", "dask_workers": "1", "dask_threads": "5"},
                         environ={})
    client = dask_engine.client_for(five, engine)
    assert runner.process(engine, five).posts > 5
    threads = client.run(lambda: os.environ.get("OMP_NUM_THREADS"))
    assert list(threads.values()) == ["5"]
    engine.dispose()


def _callback_times(server: Any) -> dict[str, float]:
    """Each periodic callback of a Dask server (scheduler, nanny, worker) and its period in milliseconds."""
    return {name: pc.callback_time for name, pc in server.periodic_callbacks.items()}


def _assert_quiet_workers(client: Any) -> None:
    workers = client.run(lambda dask_worker: _callback_times(dask_worker))
    assert len(workers) == 2
    for times in workers.values():
        assert times["tick"] == 500 and "profile" not in times and times.get("memory_monitor", 500) == 500


def test_a_local_cluster_waits_quietly(tmp_path: Path) -> None:
    engine = small_store(tmp_path, "quiet")
    client = dask_engine.client_for(DASK, engine)
    client.wait_for_workers(2, timeout=120)
    # every server's event-loop check every 500 ms, not every 20: the scheduler, the nannies (both in this
    # process) and the worker processes; the workers' profiler off; the memory checks every 500 ms
    assert client.run_on_scheduler(lambda dask_scheduler: _callback_times(dask_scheduler)["tick"]) == 500
    nannies = client.cluster.workers.values()
    assert [_callback_times(nanny)["tick"] for nanny in nannies] == [500, 500]
    assert [_callback_times(nanny).get("memory_monitor", 500) for nanny in nannies] == [500, 500]
    _assert_quiet_workers(client)
    # a worker process that dies is started again by its nanny, with the same settings
    pids: dict[str, int] = client.run(os.getpid)
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the new worker has a new address
        now = set(client.scheduler_info(n_workers=-1)["workers"])
        if len(now) == 2 and now != set(pids):
            break
        time.sleep(0.2)
    assert set(client.run(os.getpid).values()) != set(pids.values())
    _assert_quiet_workers(client)
    # the quiet settings were set for the cluster's start only: this process's Dask configuration is the user's
    import dask.config
    assert dask.config.get("distributed.admin.tick.interval") == "20ms"
    engine.dispose()


@pytest.mark.parametrize("key", sorted(dask_engine.QUIET_LOCAL_CLUSTER))
def test_a_dask_setting_the_user_chose_is_kept(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dask.config
    assert key in dask_engine.quiet_settings()
    default = dask.config.get(key)
    # chosen in the environment, even where the value is Dask's own default
    monkeypatch.setenv("DASK_" + key.upper().replace(".", "__").replace("-", "_"), str(default))
    assert key not in dask_engine.quiet_settings()
    monkeypatch.undo()
    # chosen in this process to other than the default
    other = "250ms" if isinstance(default, str) else not default
    with dask.config.set({key: other}):
        assert key not in dask_engine.quiet_settings()
    assert dask_engine.quiet_settings()[key] == dask_engine.QUIET_LOCAL_CLUSTER[key]
