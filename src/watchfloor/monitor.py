"""The monitor (`watchfloor run`): collect the sources that are due, process what is new, run the
alerts, sleep until the next source is due, and again.

Each source is collected every ``collect_interval_minutes`` (or its own ``interval_minutes``); one that
fails or has vanished waits twice as long after each failure in a row, up to
``collect_backoff_max_minutes``, and its failures are kept on its state. Requests to one host are spaced
by ``collect_host_delay_seconds``, across every monitor on the database (the slots are kept there).

Several monitors may share one database (PostgreSQL): each takes a lease on one due source at a time
(``collect_lease_seconds``, renewed while it collects), so no source is collected by two at once, and the
sources of a monitor that dies are taken by the others once its leases expire (see ``store/leases.py``).

A stop (SIGINT, SIGTERM) lets the source being collected finish (its posts are stored in one transaction)
and ends the loop; a second one abandons it (the transaction rolls back, the lease is released).
Nothing is lost either way: cursors are per source and unprocessed posts wait for the next run.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from watchfloor import runner
from watchfloor.alerts.watch import run_alerts
from watchfloor.models import Source
from watchfloor.politeness import LeaseKeeper, SharedThrottle
from watchfloor.settings import Settings
from watchfloor.store import leases as lease_store
from watchfloor.store import sources as source_store
from watchfloor.store.base import Engine

__all__ = ["Monitor", "PassReport", "utc_now"]

log = logging.getLogger("watchfloor")

POLL_SECONDS = 60.0  # the longest sleep, so that sources added meanwhile are picked up


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass
class PassReport:
    """What one pass of the monitor did."""

    started_at: datetime
    collected: list[runner.CollectReport] = field(default_factory=list)
    processed: int = 0
    alerts_matched: int = 0
    alerts_sent: int = 0
    stopped: bool = False  # a stop came during the pass: the sources after it wait for the next run
    errors: list[str] = field(default_factory=list)
    monitor: str | None = None  # the owner name of the monitor's leases (host:pid:token)

    def as_json(self) -> dict[str, Any]:
        """The pass as JSON (one line per pass from `watchfloor run --json`)."""
        return {"started_at": self.started_at.isoformat().replace("+00:00", "Z"),
                "collected": [{"source": r.source, "status": r.status, "note": r.note, "pages": r.pages,
                               "inserted": r.counts.inserted, "updated": r.counts.updated,
                               "revisions": r.counts.revisions, "deleted": r.deleted} for r in self.collected],
                "processed": self.processed, "alerts": {"matched": self.alerts_matched, "sent": self.alerts_sent},
                "stopped": self.stopped, "errors": self.errors, "monitor": self.monitor}


class Monitor:
    """The collection loop over every live source, with an injectable clock and sleep for tests."""

    def __init__(self, engine: Engine, settings: Settings, options: runner.CollectOptions | None = None, *,
                 clock: Callable[[], datetime] = utc_now, sleep: Callable[[float], None] | None = None,
                 process: bool = True) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.sleep = sleep or self._sleep_until_stopped
        self.process = process
        self.interval = timedelta(minutes=settings.number("collect_interval_minutes"))
        self.max_backoff = timedelta(minutes=settings.number("collect_backoff_max_minutes"))
        self.lease = timedelta(seconds=settings.number("collect_lease_seconds"))
        self.owner = f"{socket.gethostname()[:120]}:{os.getpid()}:{secrets.token_hex(4)}"
        throttle = SharedThrottle(engine, settings.number("collect_host_delay_seconds"),
                                  clock=lambda: self.clock().timestamp(), sleep=self.sleep)
        self.options = replace(options or runner.CollectOptions(), throttle=throttle,
                               timeout=settings.number("collect_timeout_seconds"))
        self.stopping = False
        self._stops = 0

    # stopping ---------------------------------------------------------------------------------------
    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Ask the loop to end after the source being collected; asked twice, abandon that source too."""
        self.stopping = True
        self._stops += 1
        if self._stops > 1 and signum is not None:
            raise KeyboardInterrupt  # the open transaction rolls back; what earlier ones stored stays

    @contextmanager
    def signals_stop(self) -> Iterator[None]:
        """Within the block, SIGINT and SIGTERM stop the loop cleanly (main thread only); the previous
        handlers come back after it."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _sleep_until_stopped(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))

    # scheduling -------------------------------------------------------------------------------------
    def interval_of(self, source: Source) -> timedelta:
        """How often a source is collected when all is well."""
        return timedelta(minutes=source.interval_minutes) if source.interval_minutes else self.interval

    def wait_after(self, source: Source, failures: int) -> timedelta:
        """The wait before the next collection: the interval, doubled for each failure in a row, capped."""
        interval = self.interval_of(source)
        if failures == 0:
            return interval
        return min(interval * (1 << min(failures, 16)), max(self.max_backoff, interval))

    def due(self, now: datetime) -> list[Source]:
        """The live sources whose next collection is due and that no monitor holds, the longest overdue first."""
        with self.engine.connect() as conn:
            return lease_store.due_sources(conn, now, self.clock())

    def take(self, due_by: datetime, skip: set[str]) -> Source | None:
        """Lease the next due source to this monitor (None when none is due or all are held)."""
        with self.engine.begin() as conn:
            return lease_store.take_due(conn, self.owner, due_by, self.clock(), self.lease, skip)

    def seconds_until_due(self) -> float:
        """How long to sleep before the next source is due, or another monitor's lease on one ends (at most a
        minute)."""
        now = self.clock()
        with self.engine.connect() as conn:
            upcoming = lease_store.upcoming(conn, now)
        if any(when is None for when in upcoming):
            return 1.0
        soonest = min((when for when in upcoming if when is not None), default=now + timedelta(seconds=POLL_SECONDS))
        return min(max((soonest - now).total_seconds(), 1.0), POLL_SECONDS)

    # one pass ---------------------------------------------------------------------------------------
    def collect(self, source: Source) -> runner.CollectReport:
        """Collect one source this monitor holds the lease on (renewing it meanwhile), schedule its next
        collection and release it; a failure is noted, never raised. Abandoned (a second stop), the source is
        released unscheduled, for the next run."""
        released = False
        try:
            with LeaseKeeper(self.engine, source.key, self.owner, self.lease, self.clock):
                try:
                    result = runner.collect_source(self.engine, source, self.options)
                except Exception as exc:  # noqa: BLE001 - one broken source must not stop the monitor
                    log.warning("collecting %s failed: %s", source.key, exc)
                    result = runner.CollectReport(source=source.key, status="error",
                                                  note=f"{type(exc).__name__}: {exc}")
                    with self.engine.begin() as conn:
                        source_store.record_collection(conn, source.key, "error", result.note)
            failures = 0 if result.status == "ok" else int((source.state or {}).get("failures") or 0) + 1
            with self.engine.begin() as conn:
                source_store.schedule_next(conn, source.key, self.clock() + self.wait_after(source, failures),
                                           failures)
                released = lease_store.release(conn, source.key, self.owner)
            if not released:
                log.warning("the lease on %s had expired before its collection ended", source.key)
                released = True
            return result
        finally:
            if not released:
                with self.engine.begin() as conn:
                    lease_store.release(conn, source.key, self.owner)

    def run_pass(self) -> PassReport:
        """Collect every due source, then process the new posts and run the alerts."""
        report = PassReport(started_at=self.clock(), monitor=self.owner)
        done: set[str] = set()
        while not self.stopping and (source := self.take(report.started_at, done)) is not None:
            done.add(source.key)
            report.collected.append(self.collect(source))
        if self.stopping:
            report.stopped = True
            return report  # unprocessed posts wait for the next run
        if self.process:
            try:
                with self.engine.connect() as conn:
                    waiting = lease_store.unprocessed_count(conn)
                if waiting:
                    report.processed = runner.process(self.engine, self.settings).posts
                alerts = run_alerts(self.engine, self.settings)
                report.alerts_matched, report.alerts_sent = alerts.matched, alerts.sent
                report.errors.extend(alerts.errors)
            except Exception as exc:  # noqa: BLE001 - the posts are stored; the next pass tries again
                log.warning("processing failed: %s", exc)
                report.errors.append(f"processing: {type(exc).__name__}: {exc}")
        return report

    def run(self, once: bool = False, max_passes: int | None = None,
            on_pass: Callable[[PassReport], None] | None = None) -> list[PassReport]:
        """Pass after pass until stopped (or after one pass, or ``max_passes``)."""
        passes: list[PassReport] = []
        while not self.stopping:
            passes.append(self.run_pass())
            if on_pass is not None:
                on_pass(passes[-1])
            if once or self.stopping or (max_passes is not None and len(passes) >= max_passes):
                break
            self.sleep(self.seconds_until_due())
        return passes
