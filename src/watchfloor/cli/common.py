"""What every `watchfloor` command shares: consoles, global settings, the engine, errors, JSON output.

Light on purpose: `watchfloor --help` imports this and every command module, so nothing here (or at the top
of a command module) may import SQLAlchemy, the runner, numpy or a model; a command imports what it needs
when it runs (tests/test_cli_startup.py holds this).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from watchfloor.errors import WatchfloorError
from watchfloor.settings import Settings, database_url, load_settings

if TYPE_CHECKING:
    import subprocess

    from watchfloor.store.base import Engine

__all__ = ["State", "out", "err", "JsonOpt", "LimitOpt", "EngineOpt", "WorkersOpt", "SchedulerOpt", "engine_settings",
           "fail", "errors", "engine", "print_json", "progress",
           "start_background_worker", "stop_child"]

out = Console(soft_wrap=True)
err = Console(stderr=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LimitOpt = Annotated[int, typer.Option(help="How many.", min=1, max=10_000_000)]
EngineOpt = Annotated[str | None, typer.Option("--engine", help="Where to run the pipeline: local or dask (default: "
                                               "the engine setting; dask with --workers or --scheduler).")]
WorkersOpt = Annotated[int | None, typer.Option(help="Dask: worker processes of a local cluster on loopback.",
                                                min=1)]
SchedulerOpt = Annotated[str | None, typer.Option(help="Dask: an existing scheduler (tcp://HOST:8786).")]


class State:
    """What the global options resolved to."""

    settings: Settings = load_settings()


def fail(message: str) -> NoReturn:
    """Print one error line and exit with status 1."""
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(1)


def _database_error(exc: BaseException) -> bool:
    # SQLAlchemy is imported only by commands that use the database: an error of it cannot occur without it
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.OperationalError)


@contextmanager
def errors() -> Iterator[None]:
    """Turn Watchfloor and database errors into one clear line."""
    try:
        yield
    except WatchfloorError as exc:
        fail(str(exc))
    except Exception as exc:
        if _database_error(exc):
            fail(f"database error: {getattr(exc, 'orig', exc)}; check --db / WATCHFLOOR_DB and run "
                 "`watchfloor init`")
        raise


def engine(migrate: bool = False) -> Engine:
    """The database of the global options (unpooled: a short command's connections close when released)."""
    from watchfloor.store.db import open_engine

    return open_engine(database_url(State.settings), migrate=migrate, pooled=False)


@contextmanager
def long_engine() -> Iterator[Engine]:
    """The database for a long command (import, process, run, translate run): it connects again for every
    batch, and a new PostgreSQL connection costs milliseconds each time, so it keeps a small pool, closed
    when the command ends, on an error too."""
    from watchfloor.store.db import open_engine

    opened = open_engine(database_url(State.settings), pooled=True)
    try:
        yield opened
    finally:
        opened.dispose()


def engine_settings(engine_name: str | None, workers: int | None, scheduler: str | None) -> Settings:
    """The settings with the pipeline's engine as the options chose it (--workers or --scheduler: dask)."""
    from watchfloor.settings import Settings

    chosen = engine_name or ("dask" if workers is not None or scheduler else None)
    overrides = {"engine": chosen, "dask_workers": None if workers is None else str(workers),
                 "dask_scheduler": scheduler}
    return Settings({**State.settings.values, **{k: v for k, v in overrides.items() if v is not None}})


def print_json(value: Any) -> None:
    """JSON on standard output, UTF-8 as is."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (only on a terminal), fed with (done, total)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def start_background_worker(settings: Settings) -> subprocess.Popen[bytes]:
    """`watchfloor translate run` in a child process at a lower CPU priority (it exits with its parent), so
    that slow translation never holds up the web app or the monitor."""
    import subprocess

    command = [sys.executable, "-m", "watchfloor", "--db", database_url(settings), "translate", "run", "--background"]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def stop_child(child: subprocess.Popen[bytes] | None) -> None:
    """Stop a background worker started here (a post it was translating is taken again by the next worker)."""
    if child is not None and child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except Exception:  # noqa: BLE001 (it must not outlive us)
            child.kill()
