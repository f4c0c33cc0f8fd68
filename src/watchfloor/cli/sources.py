"""`watchfloor sources` and `watchfloor import`: the channels and sites watched, and posts imported from files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from watchfloor.cli.common import (
    EngineOpt,
    JsonOpt,
    SchedulerOpt,
    State,
    WorkersOpt,
    engine_settings,
    err,
    errors,
    long_engine,
    out,
    print_json,
    progress,
)
from watchfloor.cli.common import engine as open_engine

__all__ = ["sources_app", "import_app"]

sources_app = typer.Typer(no_args_is_help=True, help="Channels and sites being watched.")
import_app = typer.Typer(no_args_is_help=True, help="Import posts from files.")


@sources_app.command("add")
def sources_add(
    key: Annotated[str, typer.Argument(help="telegram:<handle>, telegram:<numeric channel id>, rss:<feed URL> "
                                            "or web:<site URL>")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    affiliation: Annotated[str | None, typer.Option(help="Who the outlet is affiliated with.")] = None,
    lang: Annotated[str | None, typer.Option(help="Main language (ISO 639-1).")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag; repeat for more.")] = None,
    channel_id: Annotated[int | None, typer.Option(help="Numeric channel id of a handle.")] = None,
    collector: Annotated[str | None, typer.Option(
        help="Collect it live with a registered collector: telegram-web, telegram-api, rss or a plug-in's.")] = None,
    interval_minutes: Annotated[int | None, typer.Option(help="How often `watchfloor run` collects it.",
                                                         min=1)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Watch a channel or feed (or describe one already imported)."""
    from watchfloor.collect import new_source
    from watchfloor.shapes import source_json
    from watchfloor.store import sources as source_store

    with errors():
        source = new_source(key, collector, channel_id=channel_id, name=name, affiliation=affiliation, lang=lang,
                            tags=list(tag or []), interval_minutes=interval_minutes)
        with open_engine().begin() as conn:
            stored = source_store.add_source(conn, source)
    if json_out:
        print_json(source_json(stored))
    else:
        out.print(f"Source {stored.key} saved.", highlight=False)


@sources_app.command("list")
def sources_list(json_out: JsonOpt = False) -> None:
    """Every source with its affiliation and number of posts."""
    from rich.table import Table

    from watchfloor.shapes import source_json
    from watchfloor.store import sources as source_store

    with errors(), open_engine().connect() as conn:
        rows = source_store.list_sources(conn)
    if json_out:
        print_json([source_json(s, n) for s, n in rows])
        return
    table = Table("key", "name", "affiliation", "lang", "posts")
    for source, count in rows:
        table.add_row(source.key, source.name or "", source.affiliation or "", source.lang or "", str(count))
    out.print(table)


@import_app.command("telegram-export")
def import_telegram_export(
    paths: Annotated[list[Path], typer.Argument(help="One or more exports, each a result.json, a folder holding "
                                                     "one, a full-account export, or an HTML export's folder "
                                                     "(messages.html, messages2.html, ...).")],
    source: Annotated[str | None, typer.Option(help="The channel it is (telegram:<id or handle>); needed for an "
                                                    "HTML export, which does not give the channel's id.")] = None,
    then_process: Annotated[bool, typer.Option("--process", help="Then run the pipeline over the new posts, on "
                                                                 "the engine chosen as for `watchfloor process`.")]
    = False,
    engine_name: EngineOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import Telegram Desktop "Export chat history" exports, JSON or HTML (told apart by their files), one
    or many at once with one progress bar over all; with --process, a backfill: then analyse them too."""
    from rich.markup import escape

    from watchfloor import runner
    from watchfloor.errors import InvalidInput

    with errors(), long_engine() as engine:
        if not then_process and (engine_name or workers is not None or scheduler):
            raise InvalidInput("--engine, --workers and --scheduler choose where --process runs: add --process")
        settings = engine_settings(engine_name, workers, scheduler)
        with progress("Importing") as update:
            report = runner.import_telegram_exports(engine, paths, update,
                                                    int(State.settings.number("import_batch")), State.settings,
                                                    source_key=source)
        processed = None
        if then_process:
            with progress("Processing") as update:
                processed = runner.process(engine, settings, update)
    shown = 20  # a hostile export may hold thousands of bad messages: the table keeps every one
    for error in report.errors[:shown]:
        err.print(f"[yellow]skipped:[/yellow] {escape(error)}", highlight=False)  # hostile text: no markup
    if len(report.errors) > shown:
        err.print(f"[yellow]skipped:[/yellow] {len(report.errors) - shown} more; every skipped message is "
                  "listed in the import_errors table", highlight=False)
    if json_out:
        print_json({"chats": report.chats, "errors": report.errors} | ({} if processed is None else {"processed": {
            "posts": processed.posts, "stories_touched": processed.stories_touched, "stages": processed.stages}}))
        return
    c = report.counts
    skipped = f"{len(report.errors)} skipped" + (" (recorded in import_errors)" if report.errors else "")
    out.print(f"{len(report.chats)} channel(s): {c.inserted} new, {c.updated} updated "
              f"({c.revisions} earlier texts kept), {c.unchanged} unchanged, {skipped}.",
              highlight=False)
    if processed is not None:
        out.print(f"Processed {processed.posts} post(s); {processed.stories_touched} story update(s).",
                  highlight=False)
