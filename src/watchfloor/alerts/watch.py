"""Matching rules against newly analysed posts and growing stories, and delivering what matched.

Each rule keeps a cursor (the last post id it has seen), and an event is recorded once per rule and
post (or story), so a post never alerts twice for the same rule however often this runs. Deliveries
are retried with exponential backoff and given up after ``alert_retries`` attempts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from watchfloor.alerts.notifiers import post_webhook, send_mail
from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.ids import is_id
from watchfloor.kb.normalize import normalize
from watchfloor.models import Post
from watchfloor.settings import Settings
from watchfloor.store import alerts as alert_store
from watchfloor.store import posts as post_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Connection, Engine

__all__ = ["KINDS", "check_rule", "parse_channel", "match", "deliver", "AlertRun", "run_alerts", "preview_text"]

KINDS = {
    "entity": "a knowledge-base entry is named (value: its id, e.g. person:esmail-qaani)",
    "keyword": "a word or phrase appears in the original or the translation, in any script",
    "source": "a source posts (value: its key)",
    "affiliation": "a source with this affiliation posts (case-insensitive, part of the affiliation)",
    "story": "a story is told by at least N sources (value: N)",
}
BATCH = 500


def parse_channel(channel: str) -> tuple[str, str]:
    """('email', address), ('webhook', url) or ('app', '')."""
    kind, _, target = channel.partition(":")
    if kind == "app" and not target:
        return kind, ""
    if kind == "email" and "@" in target:
        return kind, target
    if kind == "webhook" and target.startswith(("https://", "http://")):
        return kind, target
    raise InvalidInput(f"channel {channel!r} must be app, email:ADDRESS or webhook:https://URL")


def check_rule(kind: str, value: str, channels: Sequence[str], mode: str) -> None:
    """Refuse a rule that could never work, with the reason."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown rule kind {kind!r}; one of {', '.join(KINDS)}")
    if not value.strip():
        raise InvalidInput("a rule needs a value")
    if kind == "story" and (not is_id(value) or int(value) < 2):
        raise InvalidInput("a story rule's value is a number of sources, at least 2")
    if kind == "keyword" and not normalize(value):
        raise InvalidInput(f"keyword {value!r} has no letters or digits to match")
    if mode not in ("immediate", "digest"):
        raise InvalidInput("mode must be immediate or digest")
    if not channels:
        raise InvalidInput("a rule needs at least one channel (app, email:ADDRESS, webhook:URL)")
    for channel in channels:
        parse_channel(channel)


def _padded(text: str | None) -> str:
    return f" {normalize(text)} " if text else " "


def match(kind: str, value: str, post: Post) -> bool:
    """Whether one post matches a post rule."""
    if kind == "entity":
        return any(m.entity_id == value for m in post.mentions)
    if kind == "keyword":
        needle = _padded(value)
        return needle in _padded(post.text) or needle in _padded(post.text_en)
    if kind == "source":
        return post.source.key == value
    if kind == "affiliation":
        return value.casefold() in (post.source.affiliation or "").casefold()
    return False


def preview_text(post: Post, limit: int = 280) -> str:
    """One line of a post for a notification."""
    flat = " ".join((post.text_en or post.text).split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + "…"


@dataclass
class AlertRun:
    """What one pass did."""

    matched: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    errors: list[str] = field(default_factory=list)


def _match_rule(conn: Connection, rule: alert_store.Rule, posts: list[Post], sizes: dict[int, int],
                run: AlertRun) -> None:
    """Record the events of one rule among posts it has not seen (``sizes``: sources per story)."""
    if rule.kind == "story":
        for story_id in sorted({p.story_id for p in posts if p.story_id is not None}):
            count = sizes.get(story_id, 0)
            if count >= int(rule.value):
                first = next(p for p in posts if p.story_id == story_id)
                summary = f"A story is now told by {count} sources: {preview_text(first, 200)}"
                run.matched += alert_store.record_event(conn, rule, f"story:{story_id}", summary, story_id=story_id)
        return
    for post in posts:
        if match(rule.kind, rule.value, post):
            summary = f"{post.source.name or post.source.key}: {preview_text(post)}"
            run.matched += alert_store.record_event(conn, rule, f"post:{post.id}", summary, post_id=post.id,
                                                    story_id=post.story_id)


def _match_rules(engine: Engine, run: AlertRun) -> None:
    """Read the posts no rule has seen once, a batch at a time, and match every rule against its share."""
    with engine.begin() as conn:
        rules = alert_store.list_rules(conn)
    if not rules:
        return
    cursor = min(rule.cursor for rule in rules)
    while True:
        with engine.begin() as conn:
            batch = post_store.processed_after(conn, cursor, BATCH)
            if not batch:
                break
            sizes = (story_store.story_channels(conn, {p.story_id for p in batch if p.story_id is not None})
                     if any(rule.kind == "story" for rule in rules) else {})
            for rule in rules:
                unseen = [p for p in batch if p.id > rule.cursor]
                if unseen:
                    _match_rule(conn, rule, unseen, sizes, run)
                    rule.cursor = unseen[-1].id
                    alert_store.set_cursor(conn, rule.id, rule.cursor)
            cursor = batch[-1].id


def _event_json(settings: Settings, item: dict[str, Any]) -> dict[str, Any]:
    base = (settings.get("public_url") or "").rstrip("/")
    link = f"{base}/stories/{item['story_id']}" if item["story_id"] else f"{base}/posts"
    return {"rule": {"id": item["rule_id"], "name": item["rule_name"], "kind": item["kind"], "value": item["value"]},
            "event": {"id": item["event_id"], "subject": item["subject"], "summary": item["summary"],
                      "post_id": item["post_id"], "story_id": item["story_id"], "link": link,
                      "at": item["created_at"].astimezone(UTC).isoformat().replace("+00:00", "Z")}}


def _send(settings: Settings, channel: str, items: list[dict[str, Any]], digest: bool) -> None:
    kind, target = parse_channel(channel)
    if kind == "app":
        return  # shown on the app's alerts page from the events table
    events = [_event_json(settings, item) for item in items]
    org = settings.get("org_name") or "Watchfloor"
    if kind == "email":
        name = items[0]["rule_name"]
        subject = (f"[{org}] {len(items)} alerts for {name}" if digest
                   else f"[{org}] {name}: {items[0]['summary'][:120]}")
        body = "\n\n".join(f"{e['event']['summary']}\n{e['event']['link']}" for e in events)
        send_mail(settings, target, subject, body + f"\n\n-- {org} alert rule {items[0]['rule_id']} ({name})")
    else:
        post_webhook(settings, target, {"digest": digest, "alerts": events})


def deliver(engine: Engine, settings: Settings, mode: str = "immediate", now: datetime | None = None,
            run: AlertRun | None = None) -> AlertRun:
    """Send the due deliveries of rules of a mode (a digest: one message per rule and channel)."""
    run = run or AlertRun()
    now = now or datetime.now(UTC)
    retries = int(settings.number("alert_retries"))
    backoff = settings.number("alert_backoff_seconds")
    with engine.begin() as conn:
        due = alert_store.due_deliveries(conn, now, mode)
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for item in due:
        key = (item["rule_id"], item["channel"]) if mode == "digest" else (item["id"], item["channel"])
        groups[key].append(item)
    for (_, channel), items in groups.items():
        ids = [item["id"] for item in items]
        try:
            _send(settings, channel, items, digest=mode == "digest")
        except (SourceUnavailable, InvalidInput) as exc:
            attempts = max(item["attempts"] for item in items) + 1
            retry = now + timedelta(seconds=backoff * 2 ** (attempts - 1)) if attempts < retries else None
            with engine.begin() as conn:
                alert_store.mark_failed(conn, ids, str(exc), retry)
            run.errors.append(f"{channel}: {exc}")
            if retry is None:
                run.failed += len(ids)
            else:
                run.retrying += len(ids)
            continue
        with engine.begin() as conn:
            alert_store.mark_sent(conn, ids)
        run.sent += len(ids)
    return run


def run_alerts(engine: Engine, settings: Settings, digest: bool = False, now: datetime | None = None) -> AlertRun:
    """Match every active rule against what is new, then send immediate alerts (and digests when asked)."""
    run = AlertRun()
    _match_rules(engine, run)
    deliver(engine, settings, "immediate", now, run)
    if digest:
        deliver(engine, settings, "digest", now, run)
    return run
