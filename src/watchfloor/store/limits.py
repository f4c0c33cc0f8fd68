"""Attempts counted for rate limits: an action (log-in failure, registration, reset request) against a key
(an address or a client); the web app decides what the limits are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.tables import rate_events

__all__ = ["record_attempt", "recent_attempts", "clear_attempts"]

KEEP = timedelta(days=1)


def _key(key: str) -> str:
    return key.strip().lower()[:400]


def record_attempt(conn: Connection, action: str, key: str) -> None:
    """Count one attempt (and sweep attempts older than a day)."""
    now = datetime.now(UTC)
    conn.execute(rate_events.delete().where(rate_events.c.at < now - KEEP))
    conn.execute(rate_events.insert().values(action=action, key=_key(key), at=now))


def recent_attempts(conn: Connection, action: str, key: str, window: timedelta) -> int:
    """Attempts of an action against a key within the window."""
    since = datetime.now(UTC) - window
    return int(conn.execute(sa.select(sa.func.count()).select_from(rate_events).where(
        rate_events.c.action == action, rate_events.c.key == _key(key), rate_events.c.at > since)).scalar_one())


def clear_attempts(conn: Connection, action: str, key: str) -> None:
    """Forget a key's attempts of an action (a successful log-in, a password reset)."""
    conn.execute(rate_events.delete().where(rate_events.c.action == action, rate_events.c.key == _key(key)))
