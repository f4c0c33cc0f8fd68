"""Where an export goes: standard output, or a file written whole or not at all (a `.partial` file renamed
into place), so an interrupted export never leaves a truncated file under the name asked for."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from watchfloor.errors import InvalidInput
from watchfloor.registry import resolve
from watchfloor.store.base import Engine

__all__ = ["write_whole", "run_export"]


def write_whole(path: Path | None, write: Callable[[TextIO], int]) -> int:
    """Call ``write`` on standard output (``path`` None) or on a file that appears only once complete;
    returns what ``write`` counted."""
    if path is None:
        return write(sys.stdout)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as target:
            count = write(target)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def run_export(engine: Engine, name: str, subject: str, path: Path | None, **options: Any) -> int:
    """Run a registered exporter (by name) over a subject to a file or standard output; returns its count."""
    try:
        exporter = resolve("exporters", name)
    except KeyError as exc:
        raise InvalidInput(str(exc.args[0])) from exc
    with engine.connect() as conn:
        return write_whole(path, lambda target: int(exporter(conn, subject, target, **options)))
