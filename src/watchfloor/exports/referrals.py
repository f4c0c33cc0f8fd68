"""Takedown referrals: the public URLs of a story's or a channel's posts, with the evidence a platform's
trust-and-safety team asks for (post ids, when captured, content hashes), checked again over HTTP to
record when each came down."""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.exports.tabular import write_csv
from watchfloor.shapes import iso
from watchfloor.sources.web_fetch import FetchPolicy, fetch
from watchfloor.store import posts as post_store
from watchfloor.store import referrals as referral_store
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Connection, Engine
from watchfloor.store.referrals import ReferralItem, ReferralTarget

__all__ = ["PLATFORMS", "ITEM_FIELDS", "REMOVED_STATUSES", "CheckReport", "create_referral", "check_referrals",
           "item_json", "write_items", "classify"]

PLATFORMS = ("telegram",)
TELEGRAM = "https://t.me"
# HTTP answers that mean the content is gone: not found, gone, unavailable for legal reasons
REMOVED_STATUSES = frozenset({404, 410, 451})
ITEM_FIELDS = ("referral_id", "platform", "subject", "source", "message_id", "post_id", "url", "captured_at",
               "content_hash", "status", "http_status", "checked_at", "removed_at", "note")


def create_referral(engine: Engine, story_id: int | None = None, source_key: str | None = None,
                    platform: str = "telegram") -> tuple[int, int]:
    """Refer a story's posts, or a channel and all its posts; returns (referral id, URLs referred)."""
    if platform not in PLATFORMS:
        raise InvalidInput(f"referrals go to {', '.join(PLATFORMS)} only (got {platform!r})")
    if (story_id is None) == (source_key is None):
        raise InvalidInput("give either --story ID or --source KEY")
    with engine.begin() as conn:
        targets: list[ReferralTarget] = []
        if story_id is not None:
            story = story_store.get_story(conn, story_id)
            found = story.posts
            subject = f"story:{story_id}"
        else:
            assert source_key is not None
            source = source_store.get_source(conn, source_key)
            row_id = source_store.source_row_id(conn, source_key)
            if source.handle:
                targets.append(ReferralTarget(source_id=row_id, url=f"{TELEGRAM}/{source.handle}"))
            found = post_store.load_posts(conn, post_store.source_post_ids(conn, row_id))
            subject = f"source:{source_key}"
        evidence = {t.post_id: t for t in referral_store.targets_for_posts(conn, [p.id for p in found])}
        for post in found:
            if post.url is None or post.id not in evidence:
                continue
            target = evidence[post.id]
            target.url = post.url
            targets.append(target)
        if not targets:
            raise InvalidInput(f"{subject} has no public URL to refer")
        return referral_store.create_referral(conn, platform, subject, targets), len(targets)


def classify(url: str, policy: FetchPolicy) -> tuple[str, int | None, str | None]:
    """Fetch a URL under the policy: (up | removed | error, HTTP status, note)."""
    try:
        status, _, location = fetch(url, policy)
    except SourceUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, urllib.error.HTTPError):
            if cause.code in REMOVED_STATUSES:
                return "removed", cause.code, f"HTTP {cause.code}"
            return "error", cause.code, f"HTTP {cause.code}"
        return "error", None, str(exc)
    except InvalidInput as exc:
        return "error", None, str(exc)
    if location is not None:  # t.me sends a vanished channel's or post's preview elsewhere
        return "removed", status, f"redirects to {location}"
    return "up", status, None


@dataclass
class CheckReport:
    """What a round of checks found."""

    checked: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"up": 0, "removed": 0, "error": 0})
    newly_removed: list[str] = field(default_factory=list)


def check_referrals(engine: Engine, referral_id: int | None = None, base_url: str = TELEGRAM,
                    allow_private: bool = False, delay: float = 1.0) -> CheckReport:
    """Fetch every referred URL (of one referral, or all) again, ``delay`` seconds apart, and record whether
    it is still up, with the time. ``base_url`` stands in for https://t.me (a mirror, or a test server)."""
    if delay < 0:
        raise InvalidInput("--delay must be 0 or more seconds")
    host = (urlsplit(base_url).hostname or "").lower()
    if not host:
        raise InvalidInput(f"--base-url {base_url!r} is not an http(s) URL")
    policy = FetchPolicy(hosts=frozenset({host}), allow_private=allow_private)
    with engine.connect() as conn:
        items = list(referral_store.iter_items(conn, referral_id))
    report = CheckReport()
    for n, item in enumerate(items):
        if n and delay:
            time.sleep(delay)  # one platform, many URLs: stay polite and under its rate limits
        url = item.url
        if url.startswith(TELEGRAM + "/"):
            url = base_url.rstrip("/") + url[len(TELEGRAM):]
        status, http_status, note = classify(url, policy)
        with engine.begin() as conn:
            referral_store.record_check(conn, item.id, status, http_status, note, datetime.now(UTC))
        report.checked += 1
        report.counts[status] = report.counts.get(status, 0) + 1
        if status == "removed" and item.removed_at is None:
            report.newly_removed.append(item.url)
    return report


def item_json(item: ReferralItem) -> dict[str, Any]:
    """A referred URL as JSON (the fields of ITEM_FIELDS, then every check)."""
    return {"referral_id": item.referral_id, "platform": item.platform, "subject": item.subject,
            "source": item.source, "message_id": item.message_id, "post_id": item.post_id, "url": item.url,
            "captured_at": iso(item.captured_at), "content_hash": item.content_hash, "status": item.status,
            "http_status": item.http_status, "checked_at": iso(item.checked_at), "removed_at": iso(item.removed_at),
            "note": item.note, "checks": item.checks}


def write_items(conn: Connection, out: TextIO, referral_id: int | None = None, fmt: str = "csv") -> int:
    """Write the referred URLs and their evidence as CSV (formula-safe) or a JSON list; returns how many."""
    if fmt not in ("csv", "json"):
        raise InvalidInput(f"--format must be csv or json (got {fmt!r})")
    rows: Iterable[dict[str, Any]] = (item_json(i) for i in referral_store.iter_items(conn, referral_id))
    if fmt == "csv":
        return write_csv(rows, ITEM_FIELDS, out)
    written = 0
    out.write("[")
    for row in rows:
        out.write(("," if written else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
