"""`watchfloor init`, `process`, `serve` and `demo`: the database, the analysis pipeline and the web app."""

from __future__ import annotations

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
    start_background_worker,
    stop_child,
)
from watchfloor.cli.common import engine as open_engine
from watchfloor.cli.monitor import TranslateOpt

NETWORK_FIRST_WAIT = 0.1  # seconds a request to /network waits for the first view before it is told to reload

__all__ = ["init", "process", "serve", "demo"]


def init(json_out: JsonOpt = False) -> None:
    """Create or migrate the database and load the bundled knowledge base."""
    from watchfloor import runner

    with errors():
        engine = open_engine(migrate=True)
        count = runner.init_store(engine)
    where = engine.url.render_as_string(hide_password=True)
    if json_out:
        print_json({"database": where, "entities": count})
    else:
        out.print(f"Database ready at {where}; {count} knowledge-base entries loaded.", highlight=False)


def process(
    engine_name: EngineOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    reprocess: Annotated[bool, typer.Option(help="Analyse every post again.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Run the analysis pipeline over posts not yet processed, then group them into stories."""
    from watchfloor import runner
    from watchfloor.alerts.watch import run_alerts

    with errors(), long_engine() as engine:
        settings = engine_settings(engine_name, workers, scheduler)
        with progress("Processing") as update:
            report = runner.process(engine, settings, update, reprocess)
        alerts = run_alerts(engine, State.settings)
    if json_out:
        print_json({"posts": report.posts, "stories_touched": report.stories_touched, "stages": report.stages,
                    "seconds": {name: round(value, 3) for name, value in report.seconds.items()},
                    "alerts": {"matched": alerts.matched, "sent": alerts.sent, "errors": alerts.errors}})
    else:
        out.print(f"Processed {report.posts} post(s); {report.stories_touched} story update(s). "
                  f"Stages: {', '.join(f'{k} v{v}' for k, v in report.stages.items())}.", highlight=False)
        total = sum(report.seconds.values())
        if report.posts and total > 0:
            spent = sorted(report.seconds.items(), key=lambda item: -item[1])
            shown = [(name, value) for name, value in spent if value >= 0.01 * total]
            rest = total - sum(value for _, value in shown)
            out.print("Time: " + ", ".join(f"{name} {value:.{1 if value >= 0.1 else 2}f} s ({value / total:.0%})"
                                            for name, value in shown)
                      + (f", {len(spent) - len(shown)} more under 1% each ({rest:.2f} s)" if rest > 0 else "")
                      + ".", highlight=False)
        if alerts.matched or alerts.errors:
            out.print(f"Alerts: {alerts.matched} new match(es), {alerts.sent} sent"
                      + "".join(f"\n  {e}" for e in alerts.errors), highlight=False)


def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000, translate: TranslateOpt = True) -> None:
    """Serve the web app (readers, analysts, admins and the JSON API); the translation queue's worker runs
    beside it in a child process, so slow translation never holds up a request."""
    import uvicorn

    from watchfloor.settings import database_url
    from watchfloor.store.db import open_engine as open_pooled
    from watchfloor.web.app import create_app

    with errors():
        engine = open_pooled(database_url(State.settings), migrate=True)
    worker = start_background_worker(State.settings) if translate else None
    err.print(f"Serving on http://{host}:{port}/ (Ctrl-C stops)"
              + ("; translating queued posts in the background (`watchfloor translate status`)" if worker else ""),
              highlight=False)
    app = create_app(engine, State.settings)
    # the network view is computed now, so that the analyst's first request finds it; a request that comes
    # sooner waits a moment, then gets a page that reloads itself until the view is ready
    app.state.network.first_wait = NETWORK_FIRST_WAIT
    app.state.network.warm()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        stop_child(worker)


def demo(json_out: JsonOpt = False) -> None:
    """Set up the database, import the bundled sample channels, process them and show the stories."""
    from watchfloor import runner
    from watchfloor.store import stories as story_store

    with errors():
        engine = open_engine(migrate=True)
        runner.init_store(engine)
        with progress("Importing samples") as update:
            runner.import_sample(engine, update)
        with progress("Processing") as update:
            processed = runner.process(engine, State.settings, update)
        with engine.connect() as conn:
            found = story_store.list_stories(conn, min_sources=2, limit=100)
    if json_out:
        print_json([{"id": s.id, "title": s.title, "sources": s.sources} for s in found])
        return
    out.print(f"[bold]{len(found)} stories reported by more than one channel:[/bold]")
    for story in found:
        out.print(f"  {story.id:>3}  {len(story.sources)} sources  {story.title}", highlight=False)
    if processed.queued:
        out.print(f"{processed.queued} post(s) queued for translation, stories told by the most channels first "
                  "(`watchfloor translate run`; `watchfloor serve` runs it in the background).", highlight=False)
