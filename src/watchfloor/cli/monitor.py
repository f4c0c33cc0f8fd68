"""`watchfloor collect` and `watchfloor run`: live collection once, and the monitor that repeats it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from watchfloor.cli.common import (
    JsonOpt,
    State,
    errors,
    long_engine,
    out,
    print_json,
    progress,
    start_background_worker,
    stop_child,
)
from watchfloor.cli.common import engine as open_engine

if TYPE_CHECKING:
    from watchfloor.runner import CollectReport

__all__ = ["collect", "run_monitor", "BaseUrlOpt", "MaxPagesOpt", "LoopbackOpt", "TranslateOpt"]

BaseUrlOpt = Annotated[str, typer.Option(help="Where the Telegram preview is served (a mirror, or a test server).")]
MaxPagesOpt = Annotated[int, typer.Option(help="Preview pages to read back per source at most.", min=1)]
LoopbackOpt = Annotated[bool, typer.Option(help="Allow addresses on this machine (tests, local mirrors).",
                                           hidden=True)]
TranslateOpt = Annotated[bool, typer.Option("--translate/--no-translate",
                                           help="Run the translation queue's worker in the background.")]


def _collect_json(r: CollectReport) -> dict[str, Any]:
    return {"source": r.source, "status": r.status, "note": r.note, "pages": r.pages, "inserted": r.counts.inserted,
            "updated": r.counts.updated, "unchanged": r.counts.unchanged, "revisions": r.counts.revisions,
            "deleted": r.deleted, "errors": r.errors}


def collect(
    source: Annotated[str | None, typer.Option(help="Only this source key.")] = None,
    base_url: BaseUrlOpt = "https://t.me",
    max_pages: MaxPagesOpt = 50,
    allow_loopback: LoopbackOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Collect new posts from every live source (or one): channels from their newest post back to the last
    collected, feeds' new entries with their articles."""
    from watchfloor import runner
    from watchfloor.errors import InvalidInput
    from watchfloor.sources.web_fetch import Throttle
    from watchfloor.store import sources as source_store

    with errors():
        engine = open_engine()
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
        with progress("Collecting") as update:
            for done, key in enumerate(keys, start=1):
                reports.append(runner.collect_source(engine, key, options))
                update(done, len(keys))
    if json_out:
        print_json([_collect_json(r) for r in reports])
        return
    for r in reports:
        out.print(f"{r.source}: {r.status}; {r.pages} page(s), {r.counts.inserted} new, {r.counts.updated} updated"
                  + (f", {r.deleted} deleted at the source" if r.deleted else "")
                  + (f" ({r.note})" if r.note else ""), highlight=False)


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
    from watchfloor import runner
    from watchfloor.monitor import Monitor, PassReport
    from watchfloor.shapes import iso

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

    with errors(), long_engine() as engine:
        monitor = Monitor(engine, State.settings, runner.CollectOptions(
            base_url=base_url, max_pages=max_pages, allow_private=allow_loopback, settings=State.settings),
            process=not no_process)
        worker = start_background_worker(State.settings) if translate and not no_process else None
        try:
            with monitor.signals_stop():
                monitor.run(once=once, max_passes=max_passes, on_pass=show)
        finally:
            stop_child(worker)
