"""Characters sent to each translation back-end, counted per day (``translation_usage``), and the summary
that `watchfloor translate usage`, the queue's status and the admin page show."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from watchfloor.store.tables import translation_usage

__all__ = ["UsageStore", "record_usage", "usage_summary"]


def record_usage(conn: Connection, backend: str, model: str, characters: int, segments: int,
                 day: date | None = None) -> None:
    """Add one call's counts to the day's row (created the first time)."""
    day = day or datetime.now(UTC).date()
    key = (translation_usage.c.backend == backend, translation_usage.c.model == model, translation_usage.c.day == day)
    updated = conn.execute(translation_usage.update().where(*key).values(
        characters=translation_usage.c.characters + characters, segments=translation_usage.c.segments + segments,
        calls=translation_usage.c.calls + 1))
    if updated.rowcount == 0:
        conn.execute(translation_usage.insert().values(backend=backend, model=model, day=day, characters=characters,
                                                       segments=segments, calls=1))


class UsageStore:
    """The usage meter in the database, for the translate stage and the queue (one short transaction per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, backend: str, model: str, characters: int, segments: int) -> None:
        """Count one call; a row another worker created meanwhile is added to."""
        try:
            with self.engine.begin() as conn:
                record_usage(conn, backend, model, characters, segments)
        except sa.exc.IntegrityError:  # both inserted the day's first row: ours lost, so add to theirs
            with self.engine.begin() as conn:
                record_usage(conn, backend, model, characters, segments)


def usage_summary(conn: Connection, since: date | None = None, today: date | None = None) -> list[dict[str, Any]]:
    """Per back-end and model: characters, segments and calls since a day (default: ever), this calendar
    month's characters (services bill by the month), and the first and last day counted."""
    today = today or datetime.now(UTC).date()
    month = today.replace(day=1)
    t = translation_usage
    query = (sa.select(t.c.backend, t.c.model, sa.func.sum(t.c.characters), sa.func.sum(t.c.segments),
                       sa.func.sum(t.c.calls), sa.func.min(t.c.day), sa.func.max(t.c.day),
                       sa.func.sum(sa.case((t.c.day >= month, t.c.characters), else_=0)))
             .group_by(t.c.backend, t.c.model).order_by(t.c.backend, t.c.model))
    if since is not None:
        query = query.where(t.c.day >= since)
    return [{"backend": backend, "model": model, "characters": int(chars or 0), "segments": int(segments or 0),
             "calls": int(calls or 0), "characters_this_month": int(this_month or 0),
             "first_day": first.isoformat() if first else None, "last_day": last.isoformat() if last else None}
            for backend, model, chars, segments, calls, first, last, this_month in conn.execute(query)]
