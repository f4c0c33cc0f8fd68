"""`watchfloor translate usage`: the characters sent to each translation back-end (the paid ones bill by them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from watchfloor.cli_common import JsonOpt, engine, errors, out, print_json
from watchfloor.errors import InvalidInput
from watchfloor.store.usage import usage_summary

__all__ = ["translation_usage", "usage_command"]


def translation_usage(since: str | None = None) -> list[dict[str, Any]]:
    """Per back-end and model: characters, segments and calls (since a day, ISO date), this month's characters."""
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise InvalidInput(f"--since {since!r} is not a date such as 2026-11-01") from exc
    store = engine(migrate=True)
    try:
        with store.connect() as conn:
            return usage_summary(conn, since=day)
    finally:
        store.dispose()


def usage_command(
    since: Annotated[str | None, typer.Option(help="Count from this day (YYYY-MM-DD; default: ever).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Characters, segments and calls sent to each translation back-end, and this month's characters."""
    with errors():
        rows = translation_usage(since)
    if json_out:
        print_json(rows)
        return
    if not rows:
        out.print("Nothing has been sent to a translation back-end yet.")
        return
    table = Table("back-end", "model", "characters", "this month", "segments", "calls", "from", "to")
    for row in rows:
        table.add_row(row["backend"], row["model"], f"{row['characters']:,}", f"{row['characters_this_month']:,}",
                      f"{row['segments']:,}", f"{row['calls']:,}", row["first_day"], row["last_day"])
    out.print(table)
