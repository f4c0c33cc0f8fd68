"""What every `watchfloor` command shares: consoles, global settings, the engine, errors, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine

from watchfloor import runner
from watchfloor.errors import WatchfloorError
from watchfloor.settings import Settings, database_url, load_settings

__all__ = ["State", "out", "err", "JsonOpt", "LimitOpt", "fail", "errors", "engine", "print_json", "progress"]

out = Console(soft_wrap=True)
err = Console(stderr=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LimitOpt = Annotated[int, typer.Option(help="How many.", min=1, max=10_000_000)]


class State:
    """What the global options resolved to."""

    settings: Settings = load_settings()


def fail(message: str) -> NoReturn:
    """Print one error line and exit with status 1."""
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(1)


@contextmanager
def errors() -> Iterator[None]:
    """Turn Watchfloor and database errors into one clear line."""
    try:
        yield
    except WatchfloorError as exc:
        fail(str(exc))
    except sa.exc.OperationalError as exc:
        fail(f"database error: {exc.orig}; check --db / WATCHFLOOR_DB and run `watchfloor init`")


def engine(migrate: bool = False) -> Engine:
    """The database of the global options (unpooled: one command, one process)."""
    return runner.open_store(database_url(State.settings), migrate=migrate, pooled=False)


def print_json(value: Any) -> None:
    """JSON on standard output, UTF-8 as is."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (only on a terminal), fed with (done, total)."""
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
