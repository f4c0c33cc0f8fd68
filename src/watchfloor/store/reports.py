"""Saved reports: drafts, publication with tier and embargo, and reader-safe listing and search."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Footnote, Report, ReportDraft, Tier
from watchfloor.store.db import insert_id
from watchfloor.store.tables import report_media, reports

__all__ = ["save_draft", "get_report", "update_report", "publish", "unpublish", "list_reports", "search_reports",
           "media_shown"]

MEDIA_LINK = re.compile(r"/media/([0-9a-fA-F]{64})")  # an archived file a body shows (migration 0019 reads it too)


def _now() -> datetime:
    return datetime.now(UTC)


def _report(row: Any) -> Report:
    return Report(id=row.id, title=row.title, body=row.body, footnotes=[Footnote(**f) for f in row.footnotes],
                  tier=Tier(row.tier), status=row.status, created_at=row.created_at, updated_at=row.updated_at,
                  story_id=row.story_id, publish_at=row.publish_at, published_at=row.published_at)


def _keep_media(conn: Connection, report_id: int, body: str) -> None:
    """Record the archived files the body shows, in place of those it showed."""
    conn.execute(report_media.delete().where(report_media.c.report_id == report_id))
    found = sorted({sha.lower() for sha in MEDIA_LINK.findall(body)})
    if found:
        conn.execute(report_media.insert(), [{"report_id": report_id, "sha256": sha} for sha in found])


def save_draft(conn: Connection, draft: ReportDraft, user_id: int | None = None) -> int:
    """Store a draft (subscriber tier until someone chooses); returns the new report's id."""
    now = _now()
    report_id = int(insert_id(conn, reports.insert().values(
        story_id=draft.story_id, title=draft.title, body=draft.body,
        footnotes=[asdict(f) for f in draft.footnotes], tier=Tier.SUBSCRIBER.value, status="draft",
        created_by=user_id, created_at=now, updated_at=now)))
    _keep_media(conn, report_id, draft.body)
    return report_id


def get_report(conn: Connection, report_id: int) -> Report:
    """A report, whatever its state (callers decide who may see it)."""
    row = conn.execute(sa.select(reports).where(reports.c.id == report_id)).first()
    if row is None:
        raise NotFound(f"no report {report_id}; see the reports list")
    return _report(row)


def update_report(conn: Connection, report_id: int, title: str, body: str, footnotes: list[Footnote],
                  tier: Tier, publish_at: datetime | None) -> Report:
    """Save an edit."""
    if not title.strip():
        raise InvalidInput("a report needs a title")
    get_report(conn, report_id)
    conn.execute(reports.update().where(reports.c.id == report_id).values(
        title=title.strip(), body=body, footnotes=[asdict(f) for f in footnotes], tier=tier.value,
        publish_at=publish_at, updated_at=_now()))
    _keep_media(conn, report_id, body)
    return get_report(conn, report_id)


def publish(conn: Connection, report_id: int, tier: Tier, publish_at: datetime | None = None) -> Report:
    """Publish for a tier, now or from an embargo time."""
    get_report(conn, report_id)
    now = _now()
    conn.execute(reports.update().where(reports.c.id == report_id).values(
        status="published", tier=tier.value, publish_at=publish_at, published_at=now, updated_at=now))
    return get_report(conn, report_id)


def unpublish(conn: Connection, report_id: int) -> Report:
    """Take a report back to draft."""
    get_report(conn, report_id)
    conn.execute(reports.update().where(reports.c.id == report_id).values(
        status="draft", published_at=None, updated_at=_now()))
    return get_report(conn, report_id)


_NEWEST_FIRST = (sa.func.coalesce(reports.c.publish_at, reports.c.published_at, reports.c.created_at).desc(),
                 reports.c.id.desc())


def _visible(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(reports.c.status == "published",
                   sa.or_(reports.c.publish_at.is_(None), reports.c.publish_at <= now))


def list_reports(conn: Connection, published_only: bool = True, limit: int = 20, offset: int = 0) -> list[Report]:
    """Reports, newest first: only those readers can see, or every one (for analysts)."""
    query = sa.select(reports)
    if published_only:
        query = query.where(_visible(_now()))
    rows = conn.execute(query.order_by(*_NEWEST_FIRST).limit(limit).offset(offset))
    return [_report(row) for row in rows]


def search_reports(conn: Connection, text: str, full_text_tiers: set[Tier], limit: int = 50) -> list[Report]:
    """Published reports matching every word of ``text``.

    Only reports of a tier in ``full_text_tiers`` are matched on their whole body; the others only on
    title and lede, so a search can never reveal words a reader may not read.
    """
    words = [w for w in text.lower().split() if w][:10]
    if not words:
        return []
    found = []
    # the database narrows to published reports holding every word in their title or body (a superset; a
    # word with non-ASCII case is left to Python, as SQLite folds only ASCII); the tier rule is applied here
    text_of = sa.func.lower(reports.c.title + "\n" + reports.c.body)
    query = sa.select(reports).where(_visible(_now()), *[text_of.like(f"%{_like_escape(w)}%", escape="\\")
                                                       for w in words if w.isascii() or w.upper() == w])
    for report in (_report(row) for row in conn.execute(query.order_by(*_NEWEST_FIRST))):
        searchable = report.title + "\n" + (report.body if report.tier in full_text_tiers else report.lede)
        haystack = searchable.lower()
        if all(w in haystack for w in words):
            found.append(report)
        if len(found) >= limit:
            break
    return found


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def media_shown(conn: Connection, sha256: str, tiers: Collection[Tier]) -> bool:
    """Whether a published report of one of these tiers shows the archived file (an index lookup)."""
    query = (sa.select(report_media.c.report_id).join(reports, reports.c.id == report_media.c.report_id)
             .where(report_media.c.sha256 == sha256.lower(), _visible(_now()),
                    reports.c.tier.in_([t.value for t in tiers])).limit(1))
    return conn.execute(query).first() is not None
