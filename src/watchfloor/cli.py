"""The `watchfloor` command: thin commands over library functions (Rich for people, --json for scripts)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from watchfloor import runner
from watchfloor.accounts_cli import apikey_app, users_app
from watchfloor.alerts.watch import run_alerts
from watchfloor.alerts_cli import alerts_app
from watchfloor.cli_common import JsonOpt, State, err, out
from watchfloor.cli_common import engine as _engine
from watchfloor.cli_common import errors as _errors
from watchfloor.cli_common import print_json as _print_json
from watchfloor.cli_common import progress as _progress
from watchfloor.errors import InvalidInput
from watchfloor.export_cli import export_app
from watchfloor.kb_cli import kb_app
from watchfloor.media_cli import media_app
from watchfloor.models import Source
from watchfloor.network_cli import network_app
from watchfloor.posts_cli import posts_app, stories_app
from watchfloor.queue_cli import start_background_worker, translate_app
from watchfloor.referral_cli import referrals_app
from watchfloor.report_cli import report_app
from watchfloor.settings import Settings, database_url, load_settings
from watchfloor.shapes import iso, source_json
from watchfloor.sources.web_fetch import Throttle
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.translate_cli import models_app
from watchfloor.translate_usage_cli import usage_command

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Watchfloor: Telegram channels to analysed posts, cross-channel stories and reports.")
sources_app = typer.Typer(no_args_is_help=True, help="Channels and sites being watched.")
import_app = typer.Typer(no_args_is_help=True, help="Import posts from files.")
app.add_typer(sources_app, name="sources")
app.add_typer(import_app, name="import")
app.add_typer(posts_app, name="posts")
app.add_typer(stories_app, name="stories")
app.add_typer(report_app, name="report")
app.add_typer(kb_app, name="kb")
app.add_typer(users_app, name="users")
app.add_typer(apikey_app, name="apikey")
app.add_typer(alerts_app, name="alerts")
app.add_typer(network_app, name="network")
app.add_typer(export_app, name="export")
app.add_typer(referrals_app, name="referrals")
app.add_typer(models_app, name="models")
app.add_typer(media_app, name="media")
app.add_typer(translate_app, name="translate")
translate_app.command("usage")(usage_command)

@app.callback()
def main_options(
    db: Annotated[str | None, typer.Option("--db", envvar="WATCHFLOOR_DB",
                                           help="SQLAlchemy URL or SQLite file path.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Global options."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    State.settings = load_settings({"db": db})


@app.command()
def init(json_out: JsonOpt = False) -> None:
    """Create or migrate the database and load the bundled knowledge base."""
    with _errors():
        engine = runner.open_store(database_url(State.settings), migrate=True, pooled=False)
        count = runner.init_store(engine)
    if json_out:
        _print_json({"database": engine.url.render_as_string(hide_password=True), "entities": count})
    else:
        out.print(f"Database ready at {engine.url.render_as_string(hide_password=True)}; "
                  f"{count} knowledge-base entries loaded.", highlight=False)


@sources_app.command("add")
def sources_add(
    key: Annotated[str, typer.Argument(help="telegram:<handle>, telegram:<numeric channel id>, rss:<feed URL> "
                                            "or web:<site URL>")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    affiliation: Annotated[str | None, typer.Option(help="Who the outlet is affiliated with.")] = None,
    lang: Annotated[str | None, typer.Option(help="Main language (ISO 639-1).")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag; repeat for more.")] = None,
    channel_id: Annotated[int | None, typer.Option(help="Numeric channel id of a handle.")] = None,
    collector: Annotated[str | None, typer.Option(help="Collect it live: telegram-web, telegram-api or rss.")]
    = None,
    interval_minutes: Annotated[int | None, typer.Option(help="How often `watchfloor run` collects it.",
                                                         min=1)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Watch a channel or feed (or describe one already imported)."""
    with _errors():
        parsed = source_store.parse_key(key)
        if collector not in (None, "telegram-web", "telegram-api", "rss"):
            raise InvalidInput(f"--collector must be telegram-web, telegram-api or rss (got {collector!r})")
        if collector == "telegram-api" and parsed.platform != "telegram":
            raise InvalidInput("the telegram-api collector reads Telegram channels: add telegram:<handle or id>")
        if collector == "telegram-web" and not parsed.handle:
            raise InvalidInput("the telegram-web collector reads a channel by its handle: add telegram:<handle>")
        if collector == "rss" and parsed.platform not in ("rss", "web"):
            raise InvalidInput("the rss collector reads a feed: add rss:<feed URL> or web:<site URL>")
        if parsed.platform in ("rss", "web") and collector not in (None, "rss"):
            raise InvalidInput(f"{parsed.platform}: sources are collected with --collector rss")
        source = Source(key=parsed.key, platform=parsed.platform, handle=parsed.handle,
                        channel_id=channel_id if channel_id is not None else parsed.channel_id,
                        name=name, affiliation=affiliation, lang=lang, tags=list(tag or []), collector=collector,
                        interval_minutes=interval_minutes)
        with _engine().begin() as conn:
            stored = source_store.add_source(conn, source)
    if json_out:
        _print_json(source_json(stored))
    else:
        out.print(f"Source {stored.key} saved.", highlight=False)


@sources_app.command("list")
def sources_list(json_out: JsonOpt = False) -> None:
    """Every source with its affiliation and number of posts."""
    with _errors(), _engine().connect() as conn:
        rows = source_store.list_sources(conn)
    if json_out:
        _print_json([source_json(s, n) for s, n in rows])
        return
    table = Table("key", "name", "affiliation", "lang", "posts")
    for source, count in rows:
        table.add_row(source.key, source.name or "", source.affiliation or "", source.lang or "", str(count))
    out.print(table)


@import_app.command("telegram-export")
def import_telegram_export(
    path: Annotated[Path, typer.Argument(help="result.json, a folder holding one, a full-account export, or an "
                                              "HTML export's folder (messages.html, messages2.html, ...).")],
    source: Annotated[str | None, typer.Option(help="The channel it is (telegram:<id or handle>); needed for an "
                                                    "HTML export, which does not give the channel's id.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Import a Telegram Desktop "Export chat history" export, JSON or HTML (told apart by its files)."""
    with _errors():
        engine = _engine()
        with _progress("Importing") as progress:
            report = runner.import_telegram_export(engine, path, progress,
                                                   int(State.settings.number("import_batch")), State.settings,
                                                   source_key=source)
    shown = 20  # a hostile export may hold thousands of bad messages: the table keeps every one
    for error in report.errors[:shown]:
        err.print(f"[yellow]skipped:[/yellow] {escape(error)}", highlight=False)  # hostile text: no markup
    if len(report.errors) > shown:
        err.print(f"[yellow]skipped:[/yellow] {len(report.errors) - shown} more; every skipped message is "
                  "listed in the import_errors table", highlight=False)
    if json_out:
        _print_json({"chats": report.chats, "errors": report.errors})
        return
    c = report.counts
    skipped = f"{len(report.errors)} skipped" + (" (recorded in import_errors)" if report.errors else "")
    out.print(f"{len(report.chats)} channel(s): {c.inserted} new, {c.updated} updated "
              f"({c.revisions} earlier texts kept), {c.unchanged} unchanged, {skipped}.",
              highlight=False)


BaseUrlOpt = Annotated[str, typer.Option(help="Where the Telegram preview is served (a mirror, or a test server).")]
MaxPagesOpt = Annotated[int, typer.Option(help="Preview pages to read back per source at most.", min=1)]
LoopbackOpt = Annotated[bool, typer.Option(help="Allow addresses on this machine (tests, local mirrors).",
                                           hidden=True)]


def _collect_json(r: runner.CollectReport) -> dict[str, Any]:
    return {"source": r.source, "status": r.status, "note": r.note, "pages": r.pages, "inserted": r.counts.inserted,
            "updated": r.counts.updated, "unchanged": r.counts.unchanged, "revisions": r.counts.revisions,
            "deleted": r.deleted, "errors": r.errors}


@app.command()
def collect(
    source: Annotated[str | None, typer.Option(help="Only this source key.")] = None,
    base_url: BaseUrlOpt = "https://t.me",
    max_pages: MaxPagesOpt = 50,
    allow_loopback: LoopbackOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Collect new posts from every live source (or one): channels from their newest post back to the last
    collected, feeds' new entries with their articles."""
    with _errors():
        engine = _engine()
        with engine.connect() as conn:
            keys = [s.key for s in source_store.collectable_sources(conn)]
        if source:
            if source not in keys:
                raise InvalidInput(f"{source} is not collected live; add it with --collector "
                                   "telegram-web, telegram-api or rss")
            keys = [source]
        options = runner.CollectOptions(base_url=base_url, max_pages=max_pages, allow_private=allow_loopback,
                                        timeout=State.settings.number("collect_timeout_seconds"),
                                        settings=State.settings,
                                        throttle=Throttle(State.settings.number("collect_host_delay_seconds")))
        reports = []
        with _progress("Collecting") as progress:
            for done, key in enumerate(keys, start=1):
                reports.append(runner.collect_source(engine, key, options))
                progress(done, len(keys))
    if json_out:
        _print_json([_collect_json(r) for r in reports])
        return
    for r in reports:
        out.print(f"{r.source}: {r.status}; {r.pages} page(s), {r.counts.inserted} new, {r.counts.updated} updated"
                  + (f", {r.deleted} deleted at the source" if r.deleted else "")
                  + (f" ({r.note})" if r.note else ""), highlight=False)


TranslateOpt = Annotated[bool, typer.Option("--translate/--no-translate",
                                           help="Run the translation queue's worker in the background.")]


def _stop_child(child: Any) -> None:
    if child is not None and child.poll() is None:
        child.terminate()  # a post it was translating is taken again by the next worker (its lease is released)
        try:
            child.wait(timeout=10)
        except Exception:  # noqa: BLE001 (it must not outlive us)
            child.kill()


@app.command("run")
def run_monitor(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    max_passes: Annotated[int | None, typer.Option(help="Exit after this many passes.", min=1)] = None,
    no_process: Annotated[bool, typer.Option("--no-process", help="Only collect: no processing or alerts.")]
    = False,
    base_url: BaseUrlOpt = "https://t.me",
    max_pages: MaxPagesOpt = 50,
    allow_loopback: LoopbackOpt = False,
    translate: TranslateOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """The monitor: collect the sources that are due, process, run the alerts; again until stopped. The
    translation queue's worker runs beside it in a child process (unless --no-translate or --no-process)."""
    from watchfloor.monitor import Monitor, PassReport

    def show(report: PassReport) -> None:
        if json_out:
            sys.stdout.write(json.dumps(report.as_json(), ensure_ascii=False) + "\n")
        else:
            new = sum(r.counts.inserted for r in report.collected)
            failed = [r.source for r in report.collected if r.status != "ok"]
            out.print(f"{iso(report.started_at)}: {len(report.collected)} source(s) collected, {new} new post(s), "
                      f"{report.processed} processed, {report.alerts_matched} alert(s)"
                      + (f"; not ok: {', '.join(failed)}" if failed else "")
                      + ("; stopped" if report.stopped else ""), highlight=False)
        sys.stdout.flush()

    with _errors():
        monitor = Monitor(_engine(), State.settings, runner.CollectOptions(
            base_url=base_url, max_pages=max_pages, allow_private=allow_loopback, settings=State.settings),
            process=not no_process)
        worker = start_background_worker(State.settings) if translate and not no_process else None
        try:
            with monitor.signals_stop():
                monitor.run(once=once, max_passes=max_passes, on_pass=show)
        finally:
            _stop_child(worker)


@app.command()
def process(
    engine_name: Annotated[str | None, typer.Option("--engine", help="Where to run: local or dask (default: the "
                                                    "engine setting; dask with --workers or --scheduler).")] = None,
    workers: Annotated[int | None, typer.Option(help="Dask: worker processes of a local cluster on loopback.")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask: an existing scheduler (tcp://HOST:8786).")] = None,
    reprocess: Annotated[bool, typer.Option(help="Analyse every post again.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Run the analysis pipeline over posts not yet processed, then group them into stories."""
    with _errors():
        chosen = engine_name or ("dask" if workers is not None or scheduler else None)
        overrides = {"engine": chosen, "dask_workers": None if workers is None else str(workers),
                     "dask_scheduler": scheduler}
        settings = Settings({**State.settings.values, **{k: v for k, v in overrides.items() if v is not None}})
        engine = _engine()
        with _progress("Processing") as progress:
            report = runner.process(engine, settings, progress, reprocess)
        alerts = run_alerts(engine, State.settings)
    if json_out:
        _print_json({"posts": report.posts, "stories_touched": report.stories_touched, "stages": report.stages,
                     "alerts": {"matched": alerts.matched, "sent": alerts.sent, "errors": alerts.errors}})
    else:
        out.print(f"Processed {report.posts} post(s); {report.stories_touched} story update(s). "
                  f"Stages: {', '.join(f'{k} v{v}' for k, v in report.stages.items())}.", highlight=False)
        if alerts.matched or alerts.errors:
            out.print(f"Alerts: {alerts.matched} new match(es), {alerts.sent} sent"
                      + "".join(f"\n  {e}" for e in alerts.errors), highlight=False)


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000, translate: TranslateOpt = True) -> None:
    """Serve the web app (readers, analysts, admins and the JSON API); the translation queue's worker runs
    beside it in a child process, so slow translation never holds up a request."""
    import uvicorn

    from watchfloor.web.app import create_app

    with _errors():
        engine = runner.open_store(database_url(State.settings), migrate=True)
    worker = start_background_worker(State.settings) if translate else None
    err.print(f"Serving on http://{host}:{port}/ (Ctrl-C stops)"
              + ("; translating queued posts in the background (`watchfloor translate status`)" if worker else ""),
              highlight=False)
    try:
        uvicorn.run(create_app(engine, State.settings), host=host, port=port, log_level="warning")
    finally:
        _stop_child(worker)


@app.command()
def demo(json_out: JsonOpt = False) -> None:
    """Set up the database, import the bundled sample channels, process them and show the stories."""
    with _errors():
        engine = runner.open_store(database_url(State.settings), migrate=True, pooled=False)
        runner.init_store(engine)
        with _progress("Importing samples") as progress:
            runner.import_sample(engine, progress)
        with _progress("Processing") as progress:
            processed = runner.process(engine, State.settings, progress)
        with engine.connect() as conn:
            found = story_store.list_stories(conn, min_sources=2, limit=100)
    if json_out:
        _print_json([{"id": s.id, "title": s.title, "sources": s.sources} for s in found])
        return
    out.print(f"[bold]{len(found)} stories reported by more than one channel:[/bold]")
    for story in found:
        out.print(f"  {story.id:>3}  {len(story.sources)} sources  {story.title}", highlight=False)
    if processed.queued:
        out.print(f"{processed.queued} post(s) queued for translation, stories told by the most channels first "
                  "(`watchfloor translate run`; `watchfloor serve` runs it in the background).", highlight=False)


def main() -> None:
    """Entry point of the console script."""
    app()
