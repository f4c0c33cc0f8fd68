"""The monitor's queries: leases on the sources that are due, so that several monitors on one database never
collect a source at once, and the per-host request slots that keep them polite together.

A lease is an owner (``host:pid:token`` of a monitor) and an expiry on the source's row. A monitor takes the
longest-overdue source whose lease is free or expired in one ``UPDATE ... WHERE id = (SELECT ... LIMIT 1)
RETURNING``; on PostgreSQL the inner select is ``FOR UPDATE SKIP LOCKED``, so monitors never wait on each
other's candidate rows, and on SQLite the statement is atomic (one writer at a time). The owner renews the
lease while it collects and clears it when done; a monitor that dies leaves it to expire.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from watchfloor.models import Source
from watchfloor.store.sources import source_from_row
from watchfloor.store.tables import host_requests, posts, sources

__all__ = ["due_sources", "take_due", "renew", "release", "upcoming", "reserve_request", "unprocessed_count"]


def _free(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(sources.c.lease_until.is_(None), sources.c.lease_until < now)


def _due(due_by: datetime, now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(sources.c.collector.is_not(None), _free(now),
                   sa.or_(sources.c.next_collect_at.is_(None), sources.c.next_collect_at <= due_by))


def _order(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.order_by(sa.nulls_first(sources.c.next_collect_at.asc()), sources.c.key)


def due_sources(conn: Connection, due_by: datetime, now: datetime) -> list[Source]:
    """The live sources due by ``due_by`` that no monitor holds at ``now``, the longest overdue first."""
    return [source_from_row(row) for row in conn.execute(_order(sa.select(sources).where(_due(due_by, now))))]


def take_due(conn: Connection, owner: str, due_by: datetime, now: datetime, lease: timedelta,
             skip: Collection[str] = ()) -> Source | None:
    """Lease the longest-overdue free source to ``owner`` until ``now + lease`` and return it (None when no
    source is due); ``skip`` names sources not to take (those this pass has already collected)."""
    candidate = sa.select(sources.c.id).where(_due(due_by, now))
    if skip:
        candidate = candidate.where(sources.c.key.not_in(list(skip)))
    candidate = _order(candidate).limit(1).with_for_update(skip_locked=True)  # SQLite renders no FOR UPDATE
    taken = conn.execute(sources.update().where(sources.c.id == candidate.scalar_subquery(), _free(now))
                         .values(lease_owner=owner, lease_until=now + lease).returning(*sources.c)).first()
    return None if taken is None else source_from_row(taken)


def renew(conn: Connection, key: str, owner: str, until: datetime) -> bool:
    """Extend ``owner``'s lease on a source; False when it no longer holds it (it expired and was taken)."""
    done = conn.execute(sources.update().where(sources.c.key == key, sources.c.lease_owner == owner)
                        .values(lease_until=until))
    return done.rowcount == 1


def release(conn: Connection, key: str, owner: str) -> bool:
    """Clear ``owner``'s lease on a source; False when it no longer held it."""
    done = conn.execute(sources.update().where(sources.c.key == key, sources.c.lease_owner == owner)
                        .values(lease_owner=None, lease_until=None))
    return done.rowcount == 1


def upcoming(conn: Connection, now: datetime) -> list[datetime | None]:
    """For each live source, the earliest time it may be taken: its next collection, or the end of another
    monitor's lease when that is later (None: due now)."""
    rows = conn.execute(sa.select(sources.c.next_collect_at, sources.c.lease_until)
                        .where(sources.c.collector.is_not(None))).all()
    times: list[datetime | None] = []
    for next_at, lease_until in rows:
        if lease_until is not None and lease_until >= now:
            next_at = lease_until if next_at is None else max(next_at, lease_until)
        times.append(next_at)
    return times


def reserve_request(conn: Connection, host: str, now: float, gap: float) -> float:
    """Reserve the next request slot for a host (seconds since the epoch): ``now``, or ``gap`` after the
    latest slot granted to any monitor when that is later. The caller waits until the slot, then requests."""
    host = host[:255]
    first = {"host": host, "last_request_at": now - gap}
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(host_requests).values(**first).on_conflict_do_nothing(index_elements=["host"]))
    else:
        conn.execute(sqlite.insert(host_requests).values(**first).on_conflict_do_nothing(index_elements=["host"]))
    last = host_requests.c.last_request_at
    slot = sa.case((last + gap > now, last + gap), else_=sa.literal(now, sa.Float))
    return float(conn.execute(host_requests.update().where(host_requests.c.host == host)
                              .values(last_request_at=slot).returning(last)).scalar_one())


def unprocessed_count(conn: Connection) -> int:
    """How many stored posts wait for the pipeline."""
    return int(conn.execute(sa.select(sa.func.count()).where(posts.c.processed_at.is_(None))).scalar_one())
