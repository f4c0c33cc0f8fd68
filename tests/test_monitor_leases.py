"""Several monitors on one database: leases on sources (owner, expiry, renewal, take-over after expiry), and
politeness per host that holds across monitors. Real `watchfloor run` processes against one SQLite file or
one PostgreSQL database and a preview server on loopback; one monitor killed with SIGKILL mid-collection."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from loopback import Request, Site
from make_preview import message, page
from watchfloor.models import Source
from watchfloor.monitor import Monitor
from watchfloor.politeness import SharedThrottle
from watchfloor.runner import CollectOptions
from watchfloor.settings import load_settings
from watchfloor.store import leases as lease_store
from watchfloor.store import sources as source_store
from watchfloor.store.tables import posts, sources

START = datetime(2024, 5, 23, 12, tzinfo=UTC)
TOWNS = ["Erbil", "Basra", "Mosul", "Najaf", "Kirkuk", "Karbala", "Tikrit", "Ramadi", "Samarra", "Duhok"]


def _channel(index: int, handle: str) -> dict[int, str]:
    """A channel's five posts, news-like, each text naming the channel so a mix-up would show."""
    town = TOWNS[index % len(TOWNS)]
    return {1: f"The provincial council of {town} met on Monday ({handle}).",
            2: f"Officials in {town} announced repairs to the water network ({handle}).",
            3: f"A delegation from Baghdad visited {town} on Tuesday ({handle}).",
            4: f"The governor of {town} said talks would continue ({handle}).",
            5: f"Schools in {town} reopened after the holiday ({handle})."}


def _serve(site: Site, index: int, handle: str, delay: float = 0.0) -> dict[int, str]:
    """Two preview pages for a channel: posts 3-5, then (before=3) posts 1-2."""
    texts = _channel(index, handle)
    channel_id = 1900002000 + index

    def shown(number: int) -> str:
        return message(number, f"2024-05-2{number}T09:00:00+00:00", texts[number], handle=handle,
                       channel_id=channel_id)

    site.pages[f"/s/{handle}"] = page([shown(3), shown(4), shown(5)], before=3, handle=handle)
    site.pages[f"/s/{handle}?before=3"] = page([shown(1), shown(2)], handle=handle)
    site.delays[f"/s/{handle}"] = site.delays[f"/s/{handle}?before=3"] = delay
    return texts


def _add(engine: Engine, handle: str) -> None:
    with engine.begin() as conn:
        source_store.add_source(conn, Source(key=f"telegram:{handle}", handle=handle, collector="telegram-web"))


class Arrivals:
    """Records when each request reached the server (wall clock); optionally holds the first one until a
    second arrives, which then can only come from another monitor."""

    def __init__(self, hold_first: bool = False) -> None:
        self.times: list[tuple[float, str]] = []
        self.hold_first = hold_first
        self.second = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        with self.lock:
            self.times.append((time.time(), request.path))
            first = len(self.times) == 1
        if self.hold_first and first:
            self.second.wait(timeout=60)
        elif not first:
            self.second.set()
        return None  # the page itself comes from site.pages


def _monitor_command(site: Site, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from watchfloor.cli import main; main()", "run", "--base-url", site.url,
            "--allow-loopback", "--no-process", "--json", *extra]


def _environment(db_url: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {**os.environ, "WATCHFLOOR_DB": db_url, "WATCHFLOOR_DATA_DIR": str(tmp_path)}
    env.update({f"WATCHFLOOR_{name.upper()}": value for name, value in settings.items()})
    return env


def _passes(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _collected(passes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for one in passes for entry in one["collected"]]


def _rows(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {row.key: row for row in conn.execute(sa.select(sources.c.key, sources.c.cursor, sources.c.state,
                                                                sources.c.lease_owner, sources.c.lease_until))}


@pytest.fixture
def site() -> Iterator[Site]:
    arrivals = Arrivals()
    server = Site(api=arrivals)
    server.arrivals = arrivals  # type: ignore[attr-defined]
    yield server
    server.close()


def _wait(condition: Any, what: str, processes: list[subprocess.Popen[str]], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"a monitor exited while waiting for {what}: {process.communicate()}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_three_monitors_one_killed_collect_every_post_once(store: Engine, db_url: str, site: Site,
                                                           tmp_path: Path) -> None:
    handles = [f"wire_{i:02d}" for i in range(1, 9)] + ["slow_wire"]
    expected = {}
    for index, handle in enumerate(handles):
        _add(store, handle)
        expected[handle] = _serve(site, index, handle, delay=0.2)
    slow_page = "/s/slow_wire?before=3"
    site.delays[slow_page] = 8.0  # whoever takes slow_wire is still reading it when it is killed
    env = _environment(db_url, tmp_path, collect_lease_seconds="3", collect_interval_minutes="120")
    monitors = [subprocess.Popen(_monitor_command(site), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(3)]
    try:
        _wait(lambda: slow_page in site.requests, "slow_wire's second page", monitors)
        owner = _rows(store)["telegram:slow_wire"].lease_owner
        assert owner is not None
        [victim] = [m for m in monitors if owner.split(":")[-2] == str(m.pid)]
        victim.send_signal(signal.SIGKILL)
        victim_out, _ = victim.communicate(timeout=30)
        time.sleep(0.2)
        held = _rows(store)["telegram:slow_wire"]
        assert held.lease_owner == owner and held.lease_until is not None  # the dead monitor's lease stays...
        site.delays[slow_page] = 0.2
        survivors = [m for m in monitors if m is not victim]
        _wait(lambda: all(row.cursor == 5 for row in _rows(store).values()), "every channel collected",
              survivors)
        for survivor in survivors:
            survivor.send_signal(signal.SIGTERM)
        outputs = [survivor.communicate(timeout=60) for survivor in survivors]
    finally:
        for process in monitors:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert [s.returncode for s in survivors] == [0, 0], [err for _, err in outputs]
    # ...until it expires: only then did another monitor read the channel again, and from the start
    first_page = [at for at, path in site.arrivals.times if path == "/s/slow_wire"]  # type: ignore[attr-defined]
    assert len(first_page) == 2 and first_page[1] >= held.lease_until.timestamp()
    # every page was read once, but slow_wire's twice (by the killed monitor and by the one that took it over)
    counts = Counter(site.requests)
    assert {path: n for path, n in counts.items() if n != 1} == {"/s/slow_wire": 2, slow_page: 2}
    assert set(counts) == {f"/s/{h}{suffix}" for h in handles for suffix in ("", "?before=3")}
    # no source in two monitors' reports; slow_wire in a survivor's, with all its posts
    reports = [_collected(_passes(out)) for out, _ in outputs] + [_collected(_passes(victim_out))]
    keys = [entry["source"] for report in reports for entry in report]
    assert len(keys) == len(set(keys)) and "telegram:slow_wire" in keys
    [slow] = [entry for entry in reports[0] + reports[1] if entry["source"] == "telegram:slow_wire"]
    assert (slow["status"], slow["inserted"], slow["pages"]) == ("ok", 5, 2)
    # every post stored once, none lost, none mixed up
    with store.connect() as conn:
        stored = conn.execute(sa.select(sources.c.handle, posts.c.message_id, posts.c.text)
                              .join(sources, sources.c.id == posts.c.source_id)).all()
    assert len(stored) == 5 * len(handles)
    assert {(h, m): t for h, m, t in stored} == {(h, m): t for h, texts in expected.items() for m, t in texts.items()}
    rows = _rows(store)
    assert all(row.lease_owner is None and row.lease_until is None for row in rows.values())
    assert all(row.state["status"] == "ok" and row.state["failures"] == 0 for row in rows.values())


def test_politeness_per_host_holds_across_two_monitors(store: Engine, db_url: str, tmp_path: Path) -> None:
    arrivals = Arrivals(hold_first=True)  # the second request, from the other monitor, releases the first
    site = Site(api=arrivals)
    handles = [f"desk_{i:02d}" for i in range(1, 7)]
    try:
        for index, handle in enumerate(handles):
            _add(store, handle)
            texts = _channel(index, handle)
            site.pages[f"/s/{handle}"] = page([message(n, "2024-05-23T09:00:00+00:00", texts[n], handle=handle,
                                                       channel_id=1900003000 + index) for n in (1, 2)],
                                              handle=handle)
        env = _environment(db_url, tmp_path, collect_host_delay_seconds="1.0")
        monitors = [subprocess.Popen(_monitor_command(site, "--once"), env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [monitor.communicate(timeout=180) for monitor in monitors]
    finally:
        site.close()
    assert [m.returncode for m in monitors] == [0, 0], [err for _, err in outputs]
    reports = [{entry["source"] for entry in _collected(_passes(out))} for out, _ in outputs]
    assert all(reports) and not reports[0] & reports[1]  # both monitors collected, never the same source
    assert reports[0] | reports[1] == {f"telegram:{h}" for h in handles}
    times = sorted(at for at, _ in arrivals.times)
    assert len(times) == len(handles)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.7, gaps  # 1 s asked for; a little less between arrivals for the requests' own jitter


class FakeTime:
    def __init__(self) -> None:
        self.now = START

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _fake_monitor(engine: Engine, fake: FakeTime, **settings: str) -> Monitor:
    values = {"collect_lease_seconds": "60", "collect_host_delay_seconds": "0", **settings}
    return Monitor(engine, load_settings(values, environ={}), CollectOptions(allow_private=True),
                   clock=fake.clock, sleep=fake.sleep, process=False)


def test_a_lease_is_taken_once_renewed_released_and_taken_over_after_expiry(store: Engine) -> None:
    for handle in ("first_wire", "second_wire", "third_wire"):
        _add(store, handle)
    fake = FakeTime()
    one, two = _fake_monitor(store, fake), _fake_monitor(store, fake)
    assert one.owner != two.owner
    taken = one.take(fake.now, set())
    assert taken is not None and taken.key == "telegram:first_wire"  # never collected: by key
    assert [s.key for s in two.due(fake.now)] == ["telegram:second_wire", "telegram:third_wire"]
    other = two.take(fake.now, set())
    assert other is not None and other.key == "telegram:second_wire"
    assert two.take(fake.now, {"telegram:third_wire"}) is None  # skipped, and the others are held
    with store.begin() as conn:
        assert not lease_store.renew(conn, taken.key, two.owner, fake.now + timedelta(hours=1))  # not its lease
        assert lease_store.renew(conn, taken.key, one.owner, fake.now + timedelta(seconds=90))
    fake.now += timedelta(seconds=75)  # past the first lease, within the renewal
    assert two.take(fake.now, {"telegram:third_wire"}) is not None  # second_wire's own lease lapsed: taken again
    assert [s.key for s in one.due(fake.now)] == ["telegram:third_wire"]  # first_wire still held (renewed)
    fake.now += timedelta(seconds=20)  # one has died: its renewed lease ends too
    again = two.take(fake.now, {"telegram:second_wire", "telegram:third_wire"})
    assert again is not None and again.key == "telegram:first_wire"
    with store.begin() as conn:
        assert not lease_store.release(conn, "telegram:first_wire", one.owner)  # the dead one's is gone
        assert lease_store.release(conn, "telegram:first_wire", two.owner)
    assert _rows(store)["telegram:first_wire"].lease_owner is None


def test_the_monitor_sleeps_until_another_monitors_lease_ends(store: Engine) -> None:
    _add(store, "first_wire")
    fake = FakeTime()
    holder, waiter = _fake_monitor(store, fake), _fake_monitor(store, fake, collect_lease_seconds="20")
    assert waiter.seconds_until_due() == 1.0  # due now
    assert waiter.take(fake.now, set()) is not None
    assert holder.seconds_until_due() == 20.0  # held: due again when the lease ends, not in a busy loop
    with store.begin() as conn:
        source_store.schedule_next(conn, "telegram:first_wire", fake.now + timedelta(seconds=45), 0)
    assert holder.seconds_until_due() == 45.0  # the later of the two


@pytest.mark.parametrize("gap", [0.5, 2.0, 7.25])
def test_request_slots_for_one_host_are_spaced_across_throttles(store: Engine, gap: float) -> None:
    now = START.timestamp()
    waits: list[list[float]] = [[], []]
    throttles = [SharedThrottle(store, gap, clock=lambda: now, sleep=waits[i].append) for i in range(2)]
    for _ in range(3):
        for throttle in throttles:
            throttle.wait("t.me")
    throttles[0].wait("other.example")  # another host has slots of its own
    assert waits[0] == pytest.approx([2 * gap, 4 * gap]) and waits[1] == pytest.approx([gap, 3 * gap, 5 * gap])
    with store.connect() as conn:
        slots = dict(conn.execute(sa.text("SELECT host, last_request_at FROM host_requests")).all())
    assert slots == pytest.approx({"t.me": now + 5 * gap, "other.example": now})
