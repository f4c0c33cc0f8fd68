"""The translation queue on SQLite and PostgreSQL: `process` queues instead of translating, the worker takes the
most urgent posts first and reorders when the facts change, claims hold under leases, a worker killed with
SIGKILL mid-queue loses nothing and makes the next run translate nothing twice. The back-end is the real
LibreTranslate client against a loopback server speaking LibreTranslate's API (the service cannot run here);
it "translates" by mapping each Arabic-script letter to a Latin one, which is enough to follow every text."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import watchfloor
from conftest import message, write_export
from libre import LATIN, LibreHandler, libre_settings
from watchfloor import runner
from watchfloor.models import Footnote, ReportDraft
from watchfloor.settings import Settings
from watchfloor.store import alerts as alert_store
from watchfloor.store import posts as post_store
from watchfloor.store import queue as queue_store
from watchfloor.store import reports as report_store
from watchfloor.store import stories as story_store
from watchfloor.store.tables import translation_queue, translations
from watchfloor.store.usage import usage_summary
from watchfloor.translation_queue import PRIORITY, Worker, queue_status

CITIES = ["بغداد", "بيروت", "دمشق", "عمان", "القاهرة", "الرياض", "الدوحة", "مسقط", "صنعاء", "الكويت"]


def _city_posts(store: Engine, tmp_path: Path, settings: Settings) -> list[int]:
    """Ten Arabic posts of two sentences each, every sentence different; processed (and so queued)."""
    messages = [message(i + 1, f"وصل الوفد الرسمي إلى {city} مساء أمس. بدأت المحادثات في {city} صباح اليوم.",
                        1716458400 + 600 * i) for i, city in enumerate(CITIES)]
    runner.import_telegram_export(store, write_export(tmp_path / "export", 1900000501, "Desk", messages))
    report = runner.process(store, settings)
    assert report.posts == 10 and report.queued == 10
    with store.connect() as conn:
        return [p.id for p in post_store.list_posts(conn, limit=100)]


def _rows(store: Engine) -> dict[int, Any]:
    with store.connect() as conn:
        return {r.post_id: r for r in conn.execute(sa.select(translation_queue))}


def test_process_queues_and_the_worker_translates_each_sentence_once(store: Engine, tmp_path: Path,
                                                                      libre: str) -> None:
    settings = libre_settings(libre)
    ids = _city_posts(store, tmp_path, settings)
    assert LibreHandler.requests == []  # process did not wait for the back-end
    with store.connect() as conn:
        waiting = post_store.load_posts(conn, ids)
    assert all(p.translation and p.translation["backend"] == "none" for p in waiting)  # the glossed original meanwhile
    assert all(r.status == "queued" and r.backend == "libretranslate" for r in _rows(store).values())
    status = queue_status(store, settings)
    assert status["queued"] == 10 and status["backend"] == "libretranslate" and status["done"] == 0
    report = Worker(store, settings).run(once=True)
    assert report.done == 10 and report.failed == 0
    with store.connect() as conn:
        done = post_store.load_posts(conn, ids)
        cached = conn.execute(sa.select(sa.func.count()).select_from(translations)).scalar_one()
    for post in done:
        assert post.translation is not None and post.translation["backend"] == "libretranslate"
        assert post.text_en == post.text.translate(LATIN) and post.english() == post.text_en
    sent = [s for r in LibreHandler.requests for s in r]
    assert len(sent) == len(set(sent)) == 20 == cached
    with store.connect() as conn:  # what the worker sent is counted (paid back-ends bill by the character)
        [usage] = [u for u in usage_summary(conn) if u["backend"] == "libretranslate"]
    assert usage["characters"] == sum(len(s) for s in sent) and usage["segments"] == 20
    # batched: the back-end's batch (16 segments) holds eight two-sentence posts of one language per request
    assert max(len(r) for r in LibreHandler.requests) == 16
    assert runner.process(store, settings, reprocess=True).queued == 0  # still good: nothing queued again
    assert Worker(store, settings).run(once=True).done == 0 and len(LibreHandler.requests) == 2
    status = queue_status(store, settings)
    assert status["done"] == 10 and status["queued"] == 0 and status["rate_per_minute"] > 0


def test_claims_are_exclusive_until_the_lease_expires(store: Engine, tmp_path: Path, libre: str) -> None:
    _city_posts(store, tmp_path, libre_settings(libre))
    hour = timedelta(hours=1)
    with store.begin() as conn:
        first = queue_store.claim(conn, "host:1:a", hour, 3)
    with store.begin() as conn:
        second = queue_store.claim(conn, "host:2:b", hour, 3)
    assert len(first) == len(second) == 3 and not {i.post_id for i in first} & {i.post_id for i in second}
    with store.begin() as conn:  # a lease already over: the row may be taken by another worker
        lapsed = queue_store.claim(conn, "host:3:c", -hour, 1)
    with store.begin() as conn:
        taken = queue_store.claim(conn, "host:4:d", hour, 1)
    assert taken[0].post_id == lapsed[0].post_id and taken[0].attempts == 2
    with store.begin() as conn:  # the worker that lost it can no longer finish it; the holder can
        assert queue_store.finish(conn, "host:3:c", {lapsed[0].post_id: 2}) == 0
        assert queue_store.finish(conn, "host:4:d", {lapsed[0].post_id: 2}) == 1
    rows = _rows(store)
    assert rows[lapsed[0].post_id].status == "done"
    assert sum(r.status == "running" for r in rows.values()) == 6


def test_a_failing_backend_retries_with_backoff_then_gives_up(store: Engine, tmp_path: Path, libre: str) -> None:
    _city_posts(store, tmp_path, libre_settings(libre))
    broken = libre_settings("http://127.0.0.1:9", translate_attempts="2", translate_retry_seconds="0")
    worker = Worker(store, broken)
    report = worker.run(once=True)
    assert report.done == 0 and report.failed == 20 and "no LibreTranslate server" in report.errors[0]
    rows = _rows(store).values()
    assert all(r.status == "failed" and r.attempts == 2 and "LibreTranslate" in r.last_error for r in rows)
    status = queue_status(store, broken)
    assert status["failed"] == 10 and status["failures"][0]["last_error"]
    assert runner.process(store, broken).queued == 0  # given up: not queued again by every processing run
    report = Worker(store, libre_settings(libre)).run(once=True, retry_failed=True)  # the server is back
    assert report.done == 10 and report.failed == 0


def _sample(store: Engine, settings: Settings) -> None:
    runner.import_sample(store)
    runner.process(store, settings)


def test_priority_reports_then_multichannel_stories_then_watched_then_newest(store: Engine, libre: str) -> None:
    settings = libre_settings(libre, translate_queue_batch="1")
    _sample(store, settings)
    with store.connect() as conn:
        order = queue_store.upcoming(conn, 1000)
        multi = {s.id: len(s.sources) for s in story_store.list_stories(conn, min_sources=2, limit=1000)}
        story_of = {p.id: p.story_id for p in post_store.load_posts(conn, [r["post_id"] for r in order])}
    assert len(order) >= 20
    assert [r["priority"] for r in order] == sorted((r["priority"] for r in order), reverse=True)
    for row in order:  # a story's rows carry its number of channels; the rest are not in a multi-channel story
        told = multi.get(story_of[row["post_id"]] or 0, 0)
        assert (row["reason"], row["priority"]) == (("story", PRIORITY["story"] + told) if told >= 2
                                                    else ("recent", PRIORITY["recent"]))
    for a, b in zip(order, order[1:], strict=False):
        if a["priority"] == b["priority"]:
            assert a["posted_at"] >= b["posted_at"]  # newest first within a level
    recent = [r for r in order if r["reason"] == "recent"]
    assert len(recent) >= 3
    # a rule on a source makes its posts "watched"; a report that cites a post puts it first
    worker = Worker(store, settings)
    with store.connect() as conn:
        oldest, watched_post = post_store.load_posts(conn, [recent[-1]["post_id"], recent[-2]["post_id"]])
    with store.begin() as conn:
        alert_store.add_rule(conn, "desk", "source", watched_post.source.key, ["app"], "immediate")
        report_store.save_draft(conn, ReportDraft(title="Notes", date="May 23, 2024", body="A post[1].", footnotes=[
            Footnote(n=1, source=oldest.source.key, message_id=oldest.message_id, text="Telegram.", url=None)]))
    assert worker.run(limit=1).done == 1
    rows = _rows(store)
    assert rows[oldest.id].status == "done" and rows[oldest.id].reason == "report"
    assert rows[watched_post.id].reason == "watched" and rows[watched_post.id].priority == PRIORITY["watched"]
    # next come the multi-channel stories, the most channels first
    assert Worker(store, settings).run(limit=1).done == 1
    with store.connect() as conn:
        top = max(multi.values())
        first_story = [r for r in queue_store.upcoming(conn, 1000) if r["status"] == "queued"]
    done = [pid for pid, r in _rows(store).items() if r.status == "done" and pid != oldest.id]
    assert len(done) == 1 and _rows(store)[done[0]].priority == PRIORITY["story"] + top
    assert all(r["priority"] <= PRIORITY["story"] + top for r in first_story)


def test_a_worker_killed_mid_queue_loses_nothing_and_the_next_translates_nothing_twice(
        store: Engine, db_url: str, tmp_path: Path, libre: str) -> None:
    settings = libre_settings(libre)
    ids = _city_posts(store, tmp_path, settings)
    LibreHandler.delay = 0.4  # each request takes a while, so the kill lands while one is on its way
    env = {**os.environ, "WATCHFLOOR_DB": db_url, "WATCHFLOOR_TRANSLATE_BACKEND": "libretranslate",
           "WATCHFLOOR_LIBRETRANSLATE_URL": libre, "WATCHFLOOR_TRANSLATE_QUEUE_BATCH": "1",
           "WATCHFLOOR_DATA_DIR": str(tmp_path), "PYTHONPATH": str(Path(watchfloor.__file__).parents[1])}
    command = [sys.executable, "-m", "watchfloor", "translate", "run", "--once", "--json"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as worker:
        deadline = time.monotonic() + 120
        while len(LibreHandler.requests) < 4:
            assert time.monotonic() < deadline and worker.poll() is None, worker.communicate()
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    in_flight = set(LibreHandler.requests[3])
    before = _rows(store)
    done_before = {pid for pid, r in before.items() if r.status == "done"}
    assert len(done_before) == 3 and sum(r.status == "running" for r in before.values()) == 1
    with store.connect() as conn:
        translated_before = {p.id: p.text_en for p in post_store.load_posts(conn, done_before)}
    sent_before = [s for r in LibreHandler.requests for s in r]
    LibreHandler.delay = 0.0
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=True)
    result = json.loads(rerun.stdout)
    assert result["released"] == 1 and result["done"] == 7 and result["failed"] == 0
    after = _rows(store)
    assert all(r.status == "done" for r in after.values()) and set(after) == set(ids)
    with store.connect() as conn:
        posts = post_store.load_posts(conn, ids)
        cached = conn.execute(sa.select(sa.func.count()).select_from(translations)).scalar_one()
    assert all(p.text_en == p.text.translate(LATIN) and p.translation["backend"] == "libretranslate"  # type: ignore[index]
               for p in posts)
    assert {p.id: p.text_en for p in posts if p.id in done_before} == translated_before  # kept, not redone
    sent_after = [s for r in LibreHandler.requests[4:] for s in r]
    assert len(sent_after) == len(set(sent_after))
    # the only sentences sent twice are those whose answer the killed worker never received
    assert set(sent_before) & set(sent_after) == in_flight
    assert cached == 20 == len(set(sent_before) | set(sent_after))


def test_a_quotation_gets_the_english_of_its_sentence_without_another_request(store: Engine, tmp_path: Path,
                                                                             libre: str) -> None:
    text = "قال المتحدث باسم الوفد إن «المحادثات كانت مثمرة وصريحة» في ختام اللقاء. وغادر الوفد مساء."
    runner.import_telegram_export(store, write_export(tmp_path / "export", 1900000502, "Desk",
                                                      [message(1, text, 1716458400)]))
    settings = libre_settings(libre)
    runner.process(store, settings)
    with store.connect() as conn:
        [post] = post_store.list_posts(conn, limit=1)
    assert [q.text for q in post.quotes] == ["المحادثات كانت مثمرة وصريحة"] and post.quotes[0].text_en is None
    assert Worker(store, settings).run(once=True).done == 1
    with store.connect() as conn:
        [post] = post_store.load_posts(conn, [post.id])
    assert post.quotes[0].text_en == "المحادثات كانت مثمرة وصريحة".translate(LATIN)
    assert len(LibreHandler.requests) == 1 and len(LibreHandler.requests[0]) == 2  # the post's two sentences only
    assert runner.process(store, settings, reprocess=True).queued == 1  # quotes found again, without English
    assert Worker(store, settings).run(once=True).done == 1 and len(LibreHandler.requests) == 1  # from the cache


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_serve_runs_the_worker_beside_the_web_app_and_stops_it(store: Engine, db_url: str, tmp_path: Path,
                                                                libre: str) -> None:
    import socket

    import httpx

    _city_posts(store, tmp_path, libre_settings(libre))
    LibreHandler.delay = 0.5  # the queue outlasts the web app's start-up
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "WATCHFLOOR_DB": db_url, "WATCHFLOOR_TRANSLATE_BACKEND": "libretranslate",
           "WATCHFLOOR_LIBRETRANSLATE_URL": libre, "WATCHFLOOR_TRANSLATE_QUEUE_BATCH": "1",
           "WATCHFLOOR_DATA_DIR": str(tmp_path), "PYTHONPATH": str(Path(watchfloor.__file__).parents[1])}
    command = [sys.executable, "-m", "watchfloor", "serve", "--port", str(port)]
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as served:
        deadline = time.monotonic() + 120
        answered = []
        while sum(r.status == "done" for r in _rows(store).values()) < 10:
            assert time.monotonic() < deadline and served.poll() is None, served.communicate()
            with contextlib.suppress(httpx.TransportError):  # pages answer while the worker translates
                answered.append(httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code)
            time.sleep(0.2)
        assert answered and set(answered) == {200}
        workers = _children_of(served.pid)
        assert len(workers) == 1
        served.send_signal(signal.SIGINT)
        served.wait(timeout=30)
    assert not Path(f"/proc/{workers[0]}").exists() or "zombie" in Path(f"/proc/{workers[0]}/status").read_text()
    with store.connect() as conn:
        posts = post_store.list_posts(conn, limit=100)
    assert all(p.text_en == p.text.translate(LATIN) for p in posts)


def test_run_and_status_from_the_command_line(store: Engine, cli: Any, tmp_path: Path, libre: str,
                                              monkeypatch: Any) -> None:
    monkeypatch.setenv("WATCHFLOOR_TRANSLATE_BACKEND", "libretranslate")
    monkeypatch.setenv("WATCHFLOOR_LIBRETRANSLATE_URL", libre)
    _city_posts(store, tmp_path, libre_settings(libre))
    status = cli.json("translate", "status")
    assert (status["queued"], status["done"], status["by_language"]) == (10, 0, {"*": "libretranslate"})
    assert [row["reason"] for row in status["next"]] == ["recent"] * 10
    assert cli.json("translate", "run", "--limit", "1")["done"] == 1
    assert cli.json("translate", "run", "--once")["done"] == 9
    status = cli.json("translate", "status")
    assert (status["queued"], status["done"], status["failed"]) == (0, 10, 0) and status["rate_per_minute"] > 0
    human = cli("translate", "status").stdout
    assert "Queued 0" in human and "done 10" in human and "libretranslate" in human
