"""Alerts on the bundled sample, on SQLite and PostgreSQL: every kind of rule matches what the data says,
never twice; e-mail through a real SMTP server on loopback (immediate and digest); signed webhooks to a
real HTTP server on loopback, retried with backoff and given up; the commands."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, Inbox, import_sample, message, write_export
from watchfloor import runner
from watchfloor.alerts.watch import run_alerts
from watchfloor.settings import load_settings
from watchfloor.store import alerts as alert_store
from watchfloor.store.tables import alert_deliveries, alert_events, mentions, posts, sources, story_posts

RAISI = "person:ebrahim-raisi"


@pytest.fixture
def sample(store: Engine) -> Engine:
    import_sample(store)
    return store


def _events(engine: Engine, rule_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alert_events).where(alert_events.c.rule_id == rule_id))
        return [dict(r._mapping) for r in rows]


def test_each_kind_of_rule_matches_what_the_data_says_and_only_once(sample: Engine) -> None:
    with sample.begin() as conn:
        by_entity = alert_store.add_rule(conn, "Raisi", "entity", RAISI, ["app"], "immediate", backfill=True)
        by_word_ar = alert_store.add_rule(conn, "Manama (ar)", "keyword", "المنامة", ["app"], "immediate", True)
        by_word_en = alert_store.add_rule(conn, "Manama (en)", "keyword", "manama", ["app"], "immediate", True)
        by_source = alert_store.add_rule(conn, "Levant", "source", "telegram:1900000001", ["app"], "immediate", True)
        by_affiliation = alert_store.add_rule(conn, "IRGC", "affiliation", "irgc", ["app"], "immediate", True)
        by_story = alert_store.add_rule(conn, "3 sources", "story", "3", ["app"], "immediate", True)
        expected_entity = set(conn.execute(sa.select(mentions.c.post_id).where(mentions.c.entity_id == RAISI)
                                           .distinct()).scalars())
        all_posts = conn.execute(sa.select(posts.c.id, posts.c.text, posts.c.text_en, sources.c.key,
                                           sources.c.affiliation)
                                 .join(sources, sources.c.id == posts.c.source_id)).all()
        three = conn.execute(sa.select(story_posts.c.story_id).join(posts, posts.c.id == story_posts.c.post_id)
                             .group_by(story_posts.c.story_id)
                             .having(sa.func.count(sa.distinct(posts.c.source_id)) >= 3)).scalars().all()
    first = run_alerts(sample, load_settings(environ={}))
    assert expected_entity and {e["post_id"] for e in _events(sample, by_entity.id)} == expected_entity
    arabic = {e["post_id"] for e in _events(sample, by_word_ar.id)}
    english = {e["post_id"] for e in _events(sample, by_word_en.id)}
    assert arabic and arabic == {p.id for p in all_posts if "المنامة" in p.text}
    # the original or its English (an Arabic post's translation or gloss says Manama too)
    assert english and english == {p.id for p in all_posts if "manama" in (p.text + " " + (p.text_en or "")).lower()}
    assert english - {p.id for p in all_posts if "manama" in p.text.lower()}  # found through the English
    assert {e["post_id"] for e in _events(sample, by_source.id)} == {
        p.id for p in all_posts if p.key == "telegram:1900000001"}
    assert {e["post_id"] for e in _events(sample, by_affiliation.id)} == {
        p.id for p in all_posts if "irgc" in (p.affiliation or "").lower()}
    assert three and sorted(e["story_id"] for e in _events(sample, by_story.id)) == sorted(three)
    assert first.matched == sum(len(_events(sample, r.id)) for r in
                                (by_entity, by_word_ar, by_word_en, by_source, by_affiliation, by_story))
    assert first.sent == first.matched  # every "app" delivery is recorded as sent
    again = run_alerts(sample, load_settings(environ={}))
    assert again.matched == 0 and again.sent == 0


def test_a_new_rule_watches_new_posts_only(sample: Engine, tmp_path: Path) -> None:
    with sample.begin() as conn:
        rule = alert_store.add_rule(conn, "Raisi", "entity", RAISI, ["app"], "immediate")
    assert run_alerts(sample, load_settings(environ={})).matched == 0
    write_export(tmp_path / "late", 1999000077, "Late Wire", [
        message(1, "Iranian President Ebrahim Raisi's office published a statement on Monday.", 1717400000)])
    runner.import_telegram_export(sample, tmp_path / "late")
    runner.process(sample, load_settings(environ={}))
    assert run_alerts(sample, load_settings(environ={})).matched == 1
    assert [e["summary"].split(":")[0] for e in _events(sample, rule.id)] == ["Late Wire"]


def test_email_immediate_and_digest(sample: Engine, inbox: Inbox) -> None:
    settings = load_settings({"smtp_host": "127.0.0.1", "smtp_port": str(inbox.port), "mail_from": "alerts@desk.test"},
                             environ={})
    with sample.begin() as conn:
        alert_store.add_rule(conn, "Levant now", "source", "telegram:1900000001", ["email:now@desk.test"],
                             "immediate", backfill=True)
        alert_store.add_rule(conn, "Levant daily", "source", "telegram:1900000001", ["email:daily@desk.test"],
                             "digest", backfill=True)
        count = conn.execute(sa.select(sa.func.count()).select_from(posts).join(sources)
                             .where(sources.c.key == "telegram:1900000001")).scalar_one()
    done = run_alerts(sample, settings)
    assert done.sent == count and len(inbox.messages) == count  # one e-mail per post, digests not yet
    assert {m["To"] for m in inbox.parsed()} == {"now@desk.test"}
    run_alerts(sample, settings, digest=True)
    digests = [m for m in inbox.parsed() if m["To"] == "daily@desk.test"]
    assert len(digests) == 1 and f"{count} alerts for Levant daily" in digests[0]["Subject"]
    assert digests[0].get_payload(decode=True).decode().count("Sample Levant Wire:") == count
    assert run_alerts(sample, settings, digest=True).sent == 0 and len(inbox.messages) == count + 1


class Hook(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append((body, self.headers.get("X-Watchfloor-Signature", "")))
        self.send_response(Hook.answers.pop(0) if Hook.answers else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[str]:
    Hook.answers, Hook.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_webhooks_are_signed_retried_with_backoff_and_given_up(sample: Engine, hook: str) -> None:
    settings = load_settings({"webhook_secret": "s3cret", "alert_retries": "3", "alert_backoff_seconds": "60"},
                             environ={})
    with sample.begin() as conn:
        alert_store.add_rule(conn, "Story of 3", "story", "3", [f"webhook:{hook}"], "immediate", backfill=True)
    Hook.answers = [500] * 50
    now = datetime.now(UTC)
    first = run_alerts(sample, settings, now=now)
    stories = first.matched
    assert stories >= 1 and first.retrying == stories and first.sent == 0
    assert run_alerts(sample, settings, now=now + timedelta(seconds=30)).retrying == 0  # not due before 60 s
    Hook.answers = [200] * 50
    second = run_alerts(sample, settings, now=now + timedelta(seconds=61))
    assert second.sent == stories
    body, signed = Hook.received[-1]
    assert signed == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert payload["alerts"][0]["rule"]["name"] == "Story of 3" and payload["alerts"][0]["event"]["story_id"]
    with sample.connect() as conn:
        attempts = conn.execute(sa.select(alert_deliveries.c.attempts, alert_deliveries.c.status)).all()
    assert {(a, s) for a, s in attempts} == {(2, "sent")}
    # a hook that never answers well is given up after alert_retries attempts
    with sample.begin() as conn:
        alert_store.add_rule(conn, "Levant", "source", "telegram:1900000001", [f"webhook:{hook}"], "immediate", True)
    Hook.answers = [503] * 500
    moment = now
    for _ in range(3):
        moment += timedelta(hours=1)
        last = run_alerts(sample, settings, now=moment)
    assert last.failed > 0 and last.retrying == 0
    with sample.connect() as conn:
        statuses = set(conn.execute(sa.select(alert_deliveries.c.status, alert_deliveries.c.attempts)
                                    .where(alert_deliveries.c.status != "sent")).all())
    assert statuses == {("failed", 3)}


def test_alert_commands(sample: Engine, cli: Cli) -> None:
    added = cli.json("alerts", "add", "--keyword", "Manama", "--app", "--backfill", "--name", "Summit")
    assert added["kind"] == "keyword" and added["channels"] == ["app"]
    assert [r["name"] for r in cli.json("alerts", "list")] == ["Summit"]
    assert cli.json("alerts", "run")["matched"] >= 1
    assert cli.json("alerts", "run")["matched"] == 0
    two = cli("alerts", "add", "--keyword", "x", "--entity", "org:hezbollah", ok=False)
    assert two.exit_code == 1 and "exactly one of" in two.output
    bad = cli("alerts", "add", "--story-sources", "1", ok=False)
    assert bad.exit_code == 1 and "at least 2" in bad.output
    channel = cli("alerts", "add", "--source", "telegram:1900000001", "--webhook", "ftp://x", ok=False)
    assert channel.exit_code == 1 and "webhook:https://URL" in channel.output
    cli("alerts", "remove", str(added["id"]))
    assert cli.json("alerts", "list") == []
