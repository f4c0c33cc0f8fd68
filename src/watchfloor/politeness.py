"""Politeness and leases that hold across every monitor on one database: the least gap between two requests to
one host is kept in the database (not in a process), and a monitor keeps its lease on the source it is
collecting alive from a background thread until it is done."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from watchfloor.sources.web_fetch import Throttle
from watchfloor.store import leases as lease_store
from watchfloor.store.base import Engine

__all__ = ["SharedThrottle", "LeaseKeeper"]

log = logging.getLogger("watchfloor")


class SharedThrottle(Throttle):
    """A Throttle whose per-host slots live in the database: each request reserves the next slot of its host
    (``min_delay`` after the latest one any monitor was granted) and waits for it. The clock is wall-clock
    seconds since the epoch, shared by the monitors' machines (keep them on NTP)."""

    def __init__(self, engine: Engine, min_delay: float, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(min_delay, clock=clock, sleep=sleep)
        self.engine = engine

    def wait(self, host: str) -> None:
        """Reserve the host's next slot, sleep until it, and note it."""
        if self.min_delay <= 0:
            return  # no politeness asked for: nothing to coordinate
        with self.engine.begin() as conn:
            slot = lease_store.reserve_request(conn, host, self.clock(), self.min_delay)
        remaining = slot - self.clock()
        if remaining > 0:
            self.sleep(remaining)
        self.last[host] = slot


class LeaseKeeper:
    """Renews a monitor's lease on one source every third of the lease while the block runs; notes (and logs
    once) when the lease was lost, i.e. it expired and another monitor took the source."""

    def __init__(self, engine: Engine, key: str, owner: str, lease: timedelta,
                 clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.key = key
        self.owner = owner
        self.lease = lease
        self.clock = clock
        self.lost = False
        self.renewals = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease {key}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        every = max(self.lease.total_seconds() / 3, 0.05)
        while not self._done.wait(every):
            try:
                with self.engine.begin() as conn:
                    held = lease_store.renew(conn, self.key, self.owner, self.clock() + self.lease)
            except Exception as exc:  # noqa: BLE001 - a failed renewal is retried; the lease may lapse meanwhile
                log.warning("renewing the lease on %s failed: %s", self.key, exc)
                continue
            if held:
                self.renewals += 1
            elif not self.lost:
                self.lost = True
                log.warning("the lease on %s expired and another monitor took it; both may collect it once "
                            "(storing is idempotent)", self.key)
