"""The translation queue's rows: adding posts, claiming them under a lease, finishing them, counting them.

A claim is an UPDATE that only succeeds while the row is still claimable (queued and due, or running under
an expired lease), so two workers never hold one row at once, on SQLite (one writer) as on PostgreSQL
(where the candidate rows are also read ``FOR UPDATE SKIP LOCKED`` so that workers do not wait on each other).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.tables import posts, translation_queue

__all__ = ["QueueItem", "QueueCounts", "upsert", "claim", "finish", "fail", "release", "counts", "pending_ids",
           "queued_rows", "set_priorities", "running_owners", "upcoming", "failures", "retry_failed", "STATUSES",
           "held", "Candidate", "candidates"]

STATUSES = ("queued", "running", "done", "failed")
q = translation_queue


@dataclass(frozen=True)
class QueueItem:
    """One claimed row."""

    post_id: int
    lang: str
    backend: str
    priority: int
    reason: str
    attempts: int


@dataclass
class QueueCounts:
    """How many rows are in each state, and what was done lately."""

    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    done_last_hour: int = 0
    segments_last_hour: int = 0
    by_backend: dict[str, dict[str, int]] | None = None
    by_reason: dict[str, int] | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def upsert(conn: Connection, wanted: Sequence[Mapping[str, Any]]) -> int:
    """Queue these posts ({post_id, lang, backend, posted_at}); a post already queued or running is left as it
    is, a done or failed one is queued again (its text or the configured back-end changed). Returns how many."""
    if not wanted:
        return 0
    ids = [int(w["post_id"]) for w in wanted]
    existing: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(q.c.post_id, q.c.status).where(q.c.post_id.in_(ids[start:start + 500])))
        existing.update({int(r.post_id): str(r.status) for r in rows})
    now = _now()
    fresh = [{"post_id": int(w["post_id"]), "lang": w["lang"], "backend": w["backend"], "priority": 0,
              "reason": "recent", "posted_at": w["posted_at"], "status": "queued", "attempts": 0,
              "enqueued_at": now} for w in wanted if int(w["post_id"]) not in existing]
    if fresh:
        conn.execute(q.insert(), fresh)
    again = [w for w in wanted if existing.get(int(w["post_id"])) in ("done", "failed")]
    for w in again:
        conn.execute(q.update().where(q.c.post_id == int(w["post_id"])).values(
            lang=w["lang"], backend=w["backend"], status="queued", attempts=0, not_before=None, lease_owner=None,
            lease_until=None, last_error=None, enqueued_at=now, started_at=None, done_at=None))
    return len(fresh) + len(again)


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    due = sa.and_(q.c.status == "queued", sa.or_(q.c.not_before.is_(None), q.c.not_before <= now))
    expired = sa.and_(q.c.status == "running", q.c.lease_until < now)
    return sa.or_(due, expired)


def _order(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.order_by(q.c.priority.desc(), q.c.posted_at.desc(), q.c.post_id.desc())


def claim(conn: Connection, owner: str, lease: timedelta, limit: int | Callable[[str], int],
          only: Iterable[int] | None = None) -> list[QueueItem]:
    """Claim up to ``limit`` rows of one language (``limit`` may be a function of the language): the
    highest-priority claimable row and the next ones in order that share its language. ``only`` restricts the
    claim to those posts."""
    now = _now()
    base = sa.select(q).where(_claimable(now))
    if only is not None:
        base = base.where(q.c.post_id.in_(list(only)))
    first_query = _order(base).limit(1)
    if conn.dialect.name == "postgresql":
        first_query = first_query.with_for_update(skip_locked=True)
    first = conn.execute(first_query).first()
    if first is None:
        return []
    size = limit(str(first.lang)) if callable(limit) else limit
    more_query = _order(base.where(q.c.lang == first.lang)).limit(max(1, size))
    if conn.dialect.name == "postgresql":
        more_query = more_query.with_for_update(skip_locked=True)
    rows = conn.execute(more_query).all()
    claimed: list[QueueItem] = []
    for row in rows:
        done = conn.execute(q.update().where(q.c.post_id == row.post_id, _claimable(now)).values(
            status="running", lease_owner=owner, lease_until=now + lease, started_at=now,
            attempts=q.c.attempts + 1))
        if done.rowcount == 1:
            claimed.append(QueueItem(int(row.post_id), str(row.lang), str(row.backend), int(row.priority),
                                     str(row.reason), int(row.attempts) + 1))
    return claimed


def finish(conn: Connection, owner: str, done: Mapping[int, int]) -> int:
    """Mark rows this owner holds as done ({post_id: segments}); returns how many it still held."""
    now = _now()
    count = 0
    for post_id, segments in done.items():
        count += conn.execute(q.update().where(q.c.post_id == post_id, q.c.lease_owner == owner,
                                               q.c.status == "running").values(
            status="done", done_at=now, segments=segments, lease_owner=None, lease_until=None,
            last_error=None)).rowcount
    return count


def fail(conn: Connection, owner: str, post_ids: Iterable[int], error: str, max_attempts: int,
         backoff: timedelta) -> None:
    """A try failed: queue the rows again after a wait that doubles with each attempt, or give them up."""
    now = _now()
    for post_id in post_ids:
        row = conn.execute(sa.select(q.c.attempts).where(q.c.post_id == post_id, q.c.lease_owner == owner)).first()
        if row is None:
            continue
        gave_up = int(row.attempts) >= max_attempts
        conn.execute(q.update().where(q.c.post_id == post_id, q.c.lease_owner == owner).values(
            status="failed" if gave_up else "queued", last_error=error[:2000], lease_owner=None, lease_until=None,
            not_before=None if gave_up else now + backoff * (2 ** (int(row.attempts) - 1))))


def release(conn: Connection, owners: Iterable[str]) -> int:
    """Put back the rows these (dead) workers held; returns how many."""
    names = list(owners)
    if not names:
        return 0
    return int(conn.execute(q.update().where(q.c.status == "running", q.c.lease_owner.in_(names)).values(
        status="queued", lease_owner=None, lease_until=None)).rowcount)


def retry_failed(conn: Connection) -> int:
    """Queue again every row that was given up; returns how many."""
    return int(conn.execute(q.update().where(q.c.status == "failed").values(
        status="queued", attempts=0, not_before=None)).rowcount)


def running_owners(conn: Connection) -> list[str]:
    """The workers holding rows now."""
    return [str(o) for o in conn.execute(sa.select(q.c.lease_owner).distinct().where(
        q.c.status == "running", q.c.lease_owner.is_not(None))).scalars()]


def counts(conn: Connection) -> QueueCounts:
    """Rows per state and back-end, and the last hour's output."""
    found = QueueCounts(by_backend={}, by_reason={})
    for status, backend, n in conn.execute(sa.select(q.c.status, q.c.backend, sa.func.count())
                                           .group_by(q.c.status, q.c.backend)):
        setattr(found, status, getattr(found, status) + int(n))
        assert found.by_backend is not None
        found.by_backend.setdefault(str(backend), {})[str(status)] = int(n)
    for reason, n in conn.execute(sa.select(q.c.reason, sa.func.count()).where(q.c.status.in_(("queued", "running")))
                                  .group_by(q.c.reason)):
        assert found.by_reason is not None
        found.by_reason[str(reason)] = int(n)
    hour = conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(q.c.segments), 0))
                        .where(q.c.status == "done", q.c.done_at >= _now() - timedelta(hours=1))).one()
    found.done_last_hour, found.segments_last_hour = int(hour[0]), int(hour[1])
    return found


def pending_ids(conn: Connection, post_ids: Iterable[int]) -> set[int]:
    """Which of these posts wait for a translation (queued or being translated)."""
    ids = list(post_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(int(i) for i in conn.execute(sa.select(q.c.post_id).where(
            q.c.post_id.in_(ids[start:start + 500]), q.c.status.in_(("queued", "running")))).scalars())
    return found


def queued_rows(conn: Connection) -> list[Any]:
    """Every queued or running row with the post's source (for working out priorities)."""
    return list(conn.execute(sa.select(q.c.post_id, q.c.priority, q.c.reason, posts.c.source_id)
                             .join(posts, posts.c.id == q.c.post_id)
                             .where(q.c.status.in_(("queued", "running")))).all())


def set_priorities(conn: Connection, changes: Mapping[int, tuple[int, str]]) -> None:
    """New (priority, reason) of rows."""
    for post_id, (priority, reason) in changes.items():
        conn.execute(q.update().where(q.c.post_id == post_id).values(priority=priority, reason=reason))


def upcoming(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The next rows a worker will take, in order, and those being translated."""
    rows = conn.execute(_order(sa.select(q).where(q.c.status.in_(("queued", "running")))).limit(limit)).all()
    return [{"post_id": r.post_id, "lang": r.lang, "backend": r.backend, "priority": r.priority, "reason": r.reason,
             "status": r.status, "attempts": r.attempts, "posted_at": r.posted_at.isoformat(),
             "last_error": r.last_error} for r in rows]


def failures(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """Rows given up, with their last error."""
    rows = conn.execute(sa.select(q.c.post_id, q.c.backend, q.c.attempts, q.c.last_error)
                        .where(q.c.status == "failed").order_by(q.c.post_id).limit(limit)).all()
    return [{"post_id": r.post_id, "backend": r.backend, "attempts": r.attempts, "last_error": r.last_error}
            for r in rows]


def held(conn: Connection) -> dict[int, tuple[str, str]]:
    """The posts the queue holds queued, running or failed: (status, back-end) of each."""
    return {int(r.post_id): (str(r.status), str(r.backend)) for r in conn.execute(
        sa.select(q.c.post_id, q.c.status, q.c.backend).where(q.c.status.in_(("queued", "running", "failed"))))}


@dataclass(frozen=True)
class Candidate:
    """A processed post that may need a (better) English text."""

    id: int
    lang: str
    text: str | None
    translation: dict[str, Any] | None
    posted_at: datetime
    quotes: list[dict[str, Any]] | None


def candidates(conn: Connection, skip_langs: Sequence[str], weaker: Sequence[str],
               post_ids: Sequence[int] = ()) -> Iterator[Candidate]:
    """Processed posts in a language not in ``skip_langs``: first those never translated or translated by a
    back-end in ``weaker``, then those of ``post_ids`` (a post can come twice)."""
    backend = posts.c.translation["backend"].as_string()
    base = (sa.select(posts.c.id, posts.c.lang, posts.c.text, posts.c.translation, posts.c.posted_at, posts.c.quotes)
            .where(posts.c.processed_at.is_not(None), posts.c.lang.is_not(None), posts.c.lang.not_in(skip_langs)))
    queries = [base.where(sa.or_(posts.c.translation.is_(None), backend.is_(None),
                                 backend.in_(weaker) if weaker else sa.false()))]
    ids = list(post_ids)
    queries += [base.where(posts.c.id.in_(ids[i:i + 500])) for i in range(0, len(ids), 500)]
    for query in queries:
        for row in conn.execute(query):
            yield Candidate(id=int(row.id), lang=str(row.lang), text=row.text, translation=row.translation,
                            posted_at=row.posted_at, quotes=row.quotes)
