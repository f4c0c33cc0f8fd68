"""The monitor (`watchfloor run`) against a real preview server on loopback: passes on a schedule with an
edit and a deletion between them, backoff of a vanished channel, politeness between requests to one host,
and a stop in the middle (from the injected sleep, and SIGTERM to a real `watchfloor run`) that loses
nothing, the next run resuming from the cursor."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli
from loopback import Site
from make_preview import HANDLE, page
from make_preview import message as post
from watchfloor import runner
from watchfloor.models import Source
from watchfloor.monitor import Monitor
from watchfloor.settings import load_settings
from watchfloor.shapes import post_json
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store

NEWEST = [post(21, "2024-05-23T09:00:00+00:00", "The delegation arrived in Baghdad on Thursday."),
          post(22, "2024-05-23T10:00:00+00:00", "Talks in Baghdad continued.", forwarded="other_wire"),
          post(23, "2024-05-23T11:00:00+00:00", "The delegation met the foreign minister.")]
OLDER = [post(19, "2024-05-22T09:00:00+00:00", "A statement was issued in Beirut."),
         post(20, "2024-05-22T10:00:00+00:00", "The spokesman said a meeting would follow.")]
START = datetime(2024, 5, 23, 12, tzinfo=UTC)
SECOND = {"handle": "second_wire", "channel_id": 1900000888}


def second(number: int, when: str, text: str) -> str:
    """A post of a second channel."""
    return post(number, when, text, **SECOND)  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


class FakeTime:
    """A clock that only the injected sleep moves; records every sleep."""

    def __init__(self) -> None:
        self.now = START
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


def _add(engine: Engine, handle: str, **fields: object) -> None:
    with engine.begin() as conn:
        source_store.add_source(conn, Source(key=f"telegram:{handle}", handle=handle, collector="telegram-web",
                                             **fields))  # type: ignore[arg-type]


def _monitor(engine: Engine, site: Site, fake: FakeTime, process: bool = False, **settings: str) -> Monitor:
    values = {"collect_interval_minutes": "30", "collect_host_delay_seconds": "2", **settings}
    return Monitor(engine, load_settings(values, environ={}),
                   runner.CollectOptions(base_url=site.url, allow_private=True),
                   clock=fake.clock, sleep=fake.sleep, process=process)


def _posts(engine: Engine, key: str) -> dict[int, dict[str, object]]:
    with engine.connect() as conn:
        found = post_store.list_posts(conn, post_store.PostFilter(source=key), limit=100)
    return {p.message_id: post_json(p, {}) for p in found}


def test_two_passes_keep_an_edit_mark_a_deletion_and_space_requests(store: Engine, site: Site) -> None:
    _add(store, HANDLE)
    site.pages[f"/s/{HANDLE}"] = page(NEWEST, before=21)
    site.pages[f"/s/{HANDLE}?before=21"] = page(OLDER)
    fake = FakeTime()
    monitor = _monitor(store, site, fake)
    first = monitor.run_pass()
    assert [(r.status, r.pages, r.counts.inserted) for r in first.collected] == [("ok", 2, 5)]
    assert fake.sleeps == [2.0]  # the second page waited for the host's delay
    assert monitor.run_pass().collected == []  # nothing is due before the interval
    # between passes the channel edits post 21, deletes post 22 and publishes post 24
    site.pages[f"/s/{HANDLE}"] = page([post(21, "2024-05-23T09:00:00+00:00", "The delegation arrived in Baghdad "
                                            "on Thursday evening.", edited=True), NEWEST[2],
                                       post(24, "2024-05-23T12:00:00+00:00", "The talks ended.")], before=21)
    site.requests.clear()
    while not monitor.due(fake.now):  # the loop's own sleeps (a minute at most) until the source is due
        fake.sleep(monitor.seconds_until_due())
    assert fake.now == START + timedelta(seconds=2, minutes=30) and max(fake.sleeps) == 60
    second = monitor.run_pass()
    [report] = second.collected
    assert (report.pages, report.counts.inserted, report.counts.revisions, report.deleted) == (1, 1, 1, 1)
    assert site.requests == [f"/s/{HANDLE}"]  # resumed from the cursor: one page
    posts = _posts(store, f"telegram:{HANDLE}")
    assert posts[22]["deleted_at"] is not None and posts[22]["text"] == "Talks in Baghdad continued."
    assert posts[22]["forwarded_from"] == {"name": "other_wire", "handle": "other_wire", "channel_id": None,
                                           "message_id": 5}
    assert all(posts[i]["deleted_at"] is None for i in (19, 20, 21, 23, 24))  # 19, 20: not on the page
    assert posts[21]["text"] == "The delegation arrived in Baghdad on Thursday evening."
    with store.connect() as conn:
        post_id = post_store.find_post(conn, f"telegram:{HANDLE}", 21)
        assert post_id is not None
        assert [t for t, _ in post_store.revisions_of(conn, post_id.id)] == [
            "The delegation arrived in Baghdad on Thursday."]
        source = source_store.get_source(conn, f"telegram:{HANDLE}")
    assert source.cursor == 24 and source.state is not None and source.state["failures"] == 0
    assert source.next_collect_at == fake.now + timedelta(minutes=30)
    # the post shows again (a deletion wrongly inferred, or undone): unmarked
    with store.begin() as conn:
        assert post_store.mark_deleted(conn, source_store.source_row_id(conn, f"telegram:{HANDLE}"),
                                       [[21, 22, 23]]) == (0, 1)


def test_a_vanished_channel_backs_off_exponentially_and_others_go_on(store: Engine, site: Site) -> None:
    _add(store, "gone_channel")
    _add(store, HANDLE, interval_minutes=10)
    site.pages[f"/s/{HANDLE}"] = page(NEWEST)
    site.pages["/s/gone_channel"] = (302, "text/html", "", {"Location": "https://t.me/gone_channel"})
    fake = FakeTime()
    monitor = _monitor(store, site, fake, collect_backoff_max_minutes="100", collect_host_delay_seconds="0")
    waits = []
    for _ in range(4):
        fake.now += timedelta(days=1)  # everything is due again
        statuses = {r.source: r.status for r in monitor.run_pass().collected}
        assert statuses == {"telegram:gone_channel": "unavailable", f"telegram:{HANDLE}": "ok"}
        with store.connect() as conn:
            gone = source_store.get_source(conn, "telegram:gone_channel")
            live = source_store.get_source(conn, f"telegram:{HANDLE}")
        assert gone.next_collect_at is not None and live.next_collect_at == fake.now + timedelta(minutes=10)
        waits.append(gone.next_collect_at - fake.now)
    assert waits == [timedelta(minutes=60), timedelta(minutes=100), timedelta(minutes=100), timedelta(minutes=100)]
    assert gone.state is not None and gone.state["failures"] == 4 and "no public preview" in gone.state["note"]
    assert gone.state["status"] == "unavailable" and gone.state["retry_at"]


def test_a_404_is_noted_as_gone_not_fatal(store: Engine, site: Site) -> None:
    _add(store, "deleted_channel")
    site.pages["/s/deleted_channel"] = (404, "text/html", "", {})
    [result] = _monitor(store, site, FakeTime()).run(once=True)[0].collected
    assert result.status == "unavailable" and "HTTP 404" in (result.note or "")


def test_a_stop_mid_pass_finishes_the_source_and_the_next_run_resumes(store: Engine, site: Site, cli: Cli) -> None:
    _add(store, HANDLE)
    _add(store, "second_wire")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST, before=21)
    site.pages[f"/s/{HANDLE}?before=21"] = page(OLDER)
    site.pages["/s/second_wire"] = page([second(7, "2024-05-23T08:00:00+00:00", "Flights to Basra resumed.")],
                                        handle="second_wire")
    fake = FakeTime()
    monitor = _monitor(store, site, fake, process=True)

    def stop_while_paging(seconds: float) -> None:  # what SIGTERM's handler does, mid-collection
        fake.sleep(seconds)
        monitor.stop()

    monitor.sleep = monitor.options.throttle.sleep = stop_while_paging  # type: ignore[union-attr]
    [stopped] = monitor.run()
    assert stopped.stopped and [r.source for r in stopped.collected] == [f"telegram:{HANDLE}"]
    assert stopped.processed == 0  # the stop came first: processing waits for the next run
    assert sorted(_posts(store, f"telegram:{HANDLE}")) == [19, 20, 21, 22, 23]  # the source finished
    # a second stop abandons the source being collected: its transaction never commits
    store_before = _posts(store, "telegram:second_wire")
    fake2 = FakeTime()
    abandon = _monitor(store, site, fake2)

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    abandon.options.throttle.sleep = interrupt  # type: ignore[union-attr]
    site.pages["/s/second_wire"] = page([second(7, "2024-05-23T08:00:00+00:00", "Flights to Basra resumed.")],
                                        before=7, handle="second_wire")
    site.pages["/s/second_wire?before=7"] = page([second(6, "2024-05-23T07:00:00+00:00", "The airport reopened.")],
                                                 handle="second_wire")
    with pytest.raises(KeyboardInterrupt):
        abandon.run_pass()
    assert _posts(store, "telegram:second_wire") == store_before == {}
    # the next run collects what was left and processes everything
    cli("alerts", "add", "--keyword", "Basra", "--app")
    fresh = _monitor(store, site, FakeTime(), process=True)
    [resumed] = fresh.run(once=True)
    assert [(r.source, r.counts.inserted) for r in resumed.collected] == [("telegram:second_wire", 2)]
    assert resumed.processed == 7 and resumed.alerts_matched == 1 and not resumed.stopped
    with store.connect() as conn:
        assert source_store.get_source(conn, "telegram:second_wire").cursor == 7


def test_sigterm_to_watchfloor_run_stops_cleanly_and_a_rerun_resumes(db_url: str, site: Site, cli: Cli,
                                                                     tmp_path: Path) -> None:
    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    cli("sources", "add", "telegram:second_wire", "--collector", "telegram-web")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST, before=21)
    site.pages[f"/s/{HANDLE}?before=21"] = page(OLDER)
    site.delays[f"/s/{HANDLE}?before=21"] = 1.5  # SIGTERM arrives while this page is on its way
    site.pages["/s/second_wire"] = page([second(7, "2024-05-23T08:00:00+00:00", "Flights to Basra resumed.")],
                                        handle="second_wire")
    env = {**os.environ, "WATCHFLOOR_COLLECT_HOST_DELAY_SECONDS": "0", "WATCHFLOOR_DB": db_url,
           "WATCHFLOOR_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-c", "from watchfloor.cli import main; main()", "run", "--base-url", site.url,
               "--allow-loopback", "--no-process", "--json"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as running:
        deadline = time.monotonic() + 60
        while f"/s/{HANDLE}?before=21" not in site.requests:
            assert time.monotonic() < deadline and running.poll() is None, running.communicate()
            time.sleep(0.05)
        running.send_signal(signal.SIGTERM)
        stdout, stderr = running.communicate(timeout=60)
    assert running.returncode == 0, stderr
    [line] = [json.loads(x) for x in stdout.splitlines() if x.strip()]
    assert line["stopped"] and [(c["source"], c["inserted"]) for c in line["collected"]] == [
        (f"telegram:{HANDLE}", 5)]
    assert "/s/second_wire" not in site.requests
    sources = {s["key"]: s for s in cli.json("sources", "list")}
    assert sources[f"telegram:{HANDLE}"]["cursor"] == 23 and sources["telegram:second_wire"]["cursor"] is None
    site.delays.clear()
    site.requests.clear()
    rerun = subprocess.run([*command, "--once"], env=env, capture_output=True, text=True, timeout=120, check=True)
    [again] = [json.loads(x) for x in rerun.stdout.splitlines() if x.strip()]
    assert [(c["source"], c["inserted"]) for c in again["collected"]] == [("telegram:second_wire", 1)]
    assert site.requests == ["/s/second_wire"]  # the first channel is not due yet
    assert len(cli.json("posts", "list")) == 6


def test_run_once_in_process_prints_a_pass(cli: Cli, site: Site) -> None:
    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web", "--interval-minutes", "15")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST)
    before = signal.getsignal(signal.SIGTERM)
    line = cli.json("run", "--once", "--no-process", "--base-url", site.url, "--allow-loopback")
    assert [(c["source"], c["status"], c["inserted"]) for c in line["collected"]] == [(f"telegram:{HANDLE}", "ok", 3)]
    assert signal.getsignal(signal.SIGTERM) == before  # the command's handlers are gone with it
    [source] = cli.json("sources", "list")
    assert source["interval_minutes"] == 15 and source["next_collect_at"] and source["state"]["failures"] == 0
    human = cli("run", "--max-passes", "1", "--no-process", "--base-url", site.url, "--allow-loopback").stdout
    assert "0 source(s) collected" in human  # not due again yet


def test_deletion_needs_evidence_inside_a_page_and_spares_albums_and_service_messages(cli: Cli, site: Site,
                                                                                    tmp_path: Path) -> None:
    from conftest import message, write_export
    from make_preview import CHANNEL_ID
    from watchfloor.sources.telegram_web import parse_page

    cli("init")
    service = {"id": 29, "type": "service", "date": "2024-05-23T10:00:00", "date_unixtime": "1716458500",
               "actor": "Sample Wire", "actor_id": "channel1", "action": "pin_message", "message_id": 28,
               "text": "", "text_entities": []}
    export = write_export(tmp_path / "x", CHANNEL_ID, "Sample Wire", [
        message(27, "Officials met in Erbil.", 1716458000), message(28, "The delegation left Baghdad.", 1716458400),
        service, message(30, "Photographs from the talks.", 1716458600),
        message(31, "", 1716458600, photo="photos/31.jpg"), message(32, "A correction was issued.", 1716458700),
        message(33, "The talks ended.", 1716458800), message(34, "A statement followed.", 1716458900)])
    cli("import", "telegram-export", str(export))
    album = post(30, "2024-05-23T10:10:00+00:00", "Photographs from the talks.").replace(
        '<div class="tgme_widget_message_text', '<div class="tgme_widget_message_grouped_wrap">'
        f'<a class="tgme_widget_message_photo_wrap grouped_media_wrap" href="https://t.me/{HANDLE}/30?single"></a>'
        f'<a class="tgme_widget_message_photo_wrap grouped_media_wrap" href="https://t.me/{HANDLE}/31?single"></a>'
        '</div><div class="tgme_widget_message_text', 1)
    site.pages[f"/s/{HANDLE}"] = page([post(28, "2024-05-23T10:00:00+00:00", "The delegation left Baghdad."), album,
                                       post(33, "2024-05-23T10:30:00+00:00", "The talks ended.")])
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    [report] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert report["source"] == f"telegram:{CHANNEL_ID}" and report["deleted"] == 1
    posts = {p["message_id"]: p for p in cli.json("posts", "list")}
    assert [i for i, p in sorted(posts.items()) if p["deleted_at"]] == [32]
    assert posts[32]["text"] == "A correction was issued."  # archived as it was
    only_album = parse_page(page([album]))
    assert [p.message_id for p in only_album.posts] == [30] and only_album.spans() == [30, 31]


def test_a_failing_step_is_reported_and_the_monitor_goes_on(store: Engine, site: Site,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _add(store, HANDLE)
    _add(store, "second_wire")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST)
    site.pages["/s/second_wire"] = page([second(7, "2024-05-23T08:00:00+00:00", "Flights to Basra resumed.")],
                                        handle="second_wire")

    def broken_collect(engine: Engine, source: Source, options: object = None) -> runner.CollectReport:
        if source.key == f"telegram:{HANDLE}":  # the monitor hands over the Source it holds
            raise ValueError("unexpected markup")
        return original(engine, source, options)  # type: ignore[arg-type]

    def broken_process(*args: object, **kwargs: object) -> runner.ProcessReport:
        raise RuntimeError("model file missing")

    original = runner.collect_source
    monkeypatch.setattr(runner, "collect_source", broken_collect)
    monkeypatch.setattr(runner, "process", broken_process)
    [report] = _monitor(store, site, FakeTime(), process=True).run(once=True)
    assert {r.source: r.status for r in report.collected} == {f"telegram:{HANDLE}": "error",
                                                              "telegram:second_wire": "ok"}
    assert report.errors == ["processing: RuntimeError: model file missing"]
    with store.connect() as conn:
        broken = source_store.get_source(conn, f"telegram:{HANDLE}")
    assert broken.state is not None and broken.state["failures"] == 1 and "unexpected markup" in broken.state["note"]


def test_a_failure_while_paging_back_leaves_no_gap(store: Engine, site: Site) -> None:
    _add(store, HANDLE)
    site.pages[f"/s/{HANDLE}"] = page(NEWEST)
    assert runner.collect_telegram_web(store, f"telegram:{HANDLE}", site.url, allow_private=True).status == "ok"
    site.pages[f"/s/{HANDLE}"] = page([post(25, "2024-05-23T14:00:00+00:00", "Talks resumed in the afternoon."),
                                       post(26, "2024-05-23T15:00:00+00:00", "A joint statement was issued.")],
                                      before=25)
    site.pages[f"/s/{HANDLE}?before=25"] = (500, "text/html", "busy", {})
    failed = runner.collect_telegram_web(store, f"telegram:{HANDLE}", site.url, allow_private=True)
    assert (failed.status, failed.counts.inserted) == ("error", 2)  # what was read is kept
    with store.connect() as conn:
        assert source_store.get_source(conn, f"telegram:{HANDLE}").cursor == 23  # but the cursor waits
    site.pages[f"/s/{HANDLE}?before=25"] = page([NEWEST[2], post(24, "2024-05-23T13:00:00+00:00",
                                                                  "The delegation visited Najaf.")])
    again = runner.collect_telegram_web(store, f"telegram:{HANDLE}", site.url, allow_private=True)
    assert (again.status, again.pages, again.counts.inserted) == ("ok", 2, 1)
    assert sorted(_posts(store, f"telegram:{HANDLE}")) == [21, 22, 23, 24, 25, 26]
    with store.connect() as conn:
        assert source_store.get_source(conn, f"telegram:{HANDLE}").cursor == 26
