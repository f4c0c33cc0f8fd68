"""Queries on takedown referrals: the URLs referred to a platform, their evidence, and each check."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import NotFound
from watchfloor.store.db import insert_id
from watchfloor.store.tables import posts, referral_items, referrals, sources

__all__ = ["ReferralTarget", "ReferralSummary", "ReferralItem", "create_referral", "list_referrals",
           "iter_items", "record_check", "targets_for_posts"]


@dataclass
class ReferralTarget:
    """A URL to refer, with the evidence Watchfloor holds for it."""

    source_id: int
    url: str
    post_id: int | None = None
    content_hash: str | None = None
    captured_at: datetime | None = None


@dataclass
class ReferralSummary:
    """A referral as listed: what it covers and how many of its URLs are up, removed or unchecked."""

    id: int
    platform: str
    subject: str
    created_at: datetime
    items: int
    counts: dict[str, int]
    last_checked: datetime | None


@dataclass
class ReferralItem:
    """One referred URL with its evidence and the latest check."""

    id: int
    referral_id: int
    platform: str
    subject: str
    source: str
    message_id: int | None
    post_id: int | None
    url: str
    content_hash: str | None
    captured_at: datetime | None
    status: str
    http_status: int | None
    note: str | None
    checked_at: datetime | None
    removed_at: datetime | None
    checks: list[dict[str, Any]]


def targets_for_posts(conn: Connection, post_ids: Sequence[int]) -> list[ReferralTarget]:
    """The evidence of the given posts: content hash as stored and the time first captured (by post id)."""
    found: dict[int, Any] = {}
    for start in range(0, len(post_ids), 500):
        chunk = list(post_ids[start:start + 500])
        for row in conn.execute(sa.select(posts.c.id, posts.c.source_id, posts.c.content_hash, posts.c.imported_at)
                                .where(posts.c.id.in_(chunk))):
            found[int(row.id)] = row
    return [ReferralTarget(source_id=int(found[i].source_id), url="", post_id=i,
                           content_hash=found[i].content_hash, captured_at=found[i].imported_at)
            for i in post_ids if i in found]


def create_referral(conn: Connection, platform: str, subject: str, targets: Sequence[ReferralTarget]) -> int:
    """Store a referral and its URLs (all pending); returns its id."""
    now = datetime.now(UTC)
    referral_id = insert_id(conn, referrals.insert().values(platform=platform, subject=subject, created_at=now))
    if targets:
        conn.execute(referral_items.insert(), [
            {"referral_id": referral_id, "source_id": t.source_id, "post_id": t.post_id, "url": t.url,
             "content_hash": t.content_hash, "captured_at": t.captured_at, "status": "pending", "checks": []}
            for t in targets])
    return referral_id


def list_referrals(conn: Connection) -> list[ReferralSummary]:
    """Every referral, newest first, with counts of its URLs by status."""
    found: dict[int, ReferralSummary] = {}
    for row in conn.execute(sa.select(referrals).order_by(referrals.c.id.desc())):
        found[row.id] = ReferralSummary(row.id, row.platform, row.subject, row.created_at, 0,
                                        {"pending": 0, "up": 0, "removed": 0, "error": 0}, None)
    rows = conn.execute(sa.select(referral_items.c.referral_id, referral_items.c.status,
                                  sa.func.count().label("n"), sa.func.max(referral_items.c.checked_at).label("last"))
                        .group_by(referral_items.c.referral_id, referral_items.c.status))
    for row in rows:
        summary = found[row.referral_id]
        summary.items += int(row.n)
        summary.counts[row.status] = summary.counts.get(row.status, 0) + int(row.n)
        if row.last is not None:
            last = _aware(row.last)
            summary.last_checked = last if summary.last_checked is None else max(summary.last_checked, last)
    return list(found.values())


def _aware(moment: datetime) -> datetime:
    # max() over a UTCDateTime column comes back untyped on SQLite (a naive value, or text)
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iter_items(conn: Connection, referral_id: int | None = None, batch: int = 500) -> Iterator[ReferralItem]:
    """The referred URLs (of one referral, or all), by id, read a batch at a time."""
    if referral_id is not None and conn.execute(sa.select(referrals.c.id).where(
            referrals.c.id == referral_id)).first() is None:
        raise NotFound(f"no referral {referral_id}; see `watchfloor referrals list`")
    last = 0
    while True:
        query = (sa.select(referral_items, referrals.c.platform, referrals.c.subject, sources.c.key.label("source_key"),
                           posts.c.message_id)
                 .join(referrals, referrals.c.id == referral_items.c.referral_id)
                 .join(sources, sources.c.id == referral_items.c.source_id)
                 .outerjoin(posts, posts.c.id == referral_items.c.post_id)
                 .where(referral_items.c.id > last).order_by(referral_items.c.id).limit(batch))
        if referral_id is not None:
            query = query.where(referral_items.c.referral_id == referral_id)
        rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield ReferralItem(id=row.id, referral_id=row.referral_id, platform=row.platform, subject=row.subject,
                               source=row.source_key, message_id=row.message_id, post_id=row.post_id, url=row.url,
                               content_hash=row.content_hash, captured_at=row.captured_at, status=row.status,
                               http_status=row.http_status, note=row.note, checked_at=row.checked_at,
                               removed_at=row.removed_at, checks=list(row.checks or []))
        last = rows[-1].id


def record_check(conn: Connection, item_id: int, status: str, http_status: int | None, note: str | None,
                 at: datetime) -> None:
    """Note what a check of one URL found; the first check that finds it removed sets removed_at."""
    row = conn.execute(sa.select(referral_items.c.checks, referral_items.c.removed_at)
                       .where(referral_items.c.id == item_id)).one()
    checks = [*(row.checks or []), {"at": at.astimezone(UTC).isoformat().replace("+00:00", "Z"), "status": status,
                                     "http_status": http_status, "note": note}]
    removed_at = row.removed_at if row.removed_at is not None or status != "removed" else at
    conn.execute(referral_items.update().where(referral_items.c.id == item_id).values(
        status=status, http_status=http_status, note=note, checked_at=at, removed_at=removed_at, checks=checks))
