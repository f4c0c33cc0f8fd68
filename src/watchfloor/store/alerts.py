"""Alert rules, the events that matched them, and delivery attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import NotFound
from watchfloor.store.db import insert_id
from watchfloor.store.tables import alert_deliveries, alert_events, alert_rules, posts

__all__ = ["Rule", "add_rule", "get_rule", "list_rules", "remove_rule", "set_cursor", "record_event",
           "due_deliveries", "mark_sent", "mark_failed", "list_events", "deliveries_of"]


@dataclass
class Rule:
    """A watch: what to look for, where to say so, and how often."""

    id: int
    name: str
    kind: str
    value: str
    channels: list[str]
    mode: str
    cursor: int
    active: bool = True


def _rule(row: Any) -> Rule:
    return Rule(id=row.id, name=row.name, kind=row.kind, value=row.value, channels=list(row.channels),
                mode=row.mode, cursor=row.cursor, active=row.active)


def add_rule(conn: Connection, name: str, kind: str, value: str, channels: list[str], mode: str,
             backfill: bool = False) -> Rule:
    """A new rule; it watches posts stored from now on unless ``backfill``."""
    start = 0 if backfill else int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(posts.c.id), 0))).scalar_one())
    return get_rule(conn, insert_id(conn, alert_rules.insert().values(
        name=name, kind=kind, value=value, channels=channels, mode=mode, cursor=start, active=True,
        created_at=datetime.now(UTC))))


def get_rule(conn: Connection, rule_id: int) -> Rule:
    """One rule."""
    row = conn.execute(sa.select(alert_rules).where(alert_rules.c.id == rule_id)).first()
    if row is None:
        raise NotFound(f"no alert rule {rule_id}; see `watchfloor alerts list`")
    return _rule(row)


def list_rules(conn: Connection, active_only: bool = True) -> list[Rule]:
    """Rules, oldest first."""
    query = sa.select(alert_rules).order_by(alert_rules.c.id)
    if active_only:
        query = query.where(alert_rules.c.active.is_(True))
    return [_rule(row) for row in conn.execute(query)]


def remove_rule(conn: Connection, rule_id: int) -> None:
    """Delete a rule with its events."""
    get_rule(conn, rule_id)
    conn.execute(alert_rules.delete().where(alert_rules.c.id == rule_id))


def set_cursor(conn: Connection, rule_id: int, cursor: int) -> None:
    """Remember the last post a rule has seen."""
    conn.execute(alert_rules.update().where(alert_rules.c.id == rule_id).values(cursor=cursor))


def record_event(conn: Connection, rule: Rule, subject: str, summary: str, post_id: int | None = None,
                 story_id: int | None = None) -> bool:
    """Record a match once per rule and subject, with a pending delivery per channel; False if already known."""
    known = conn.execute(sa.select(alert_events.c.id).where(alert_events.c.rule_id == rule.id,
                                                            alert_events.c.subject == subject)).first()
    if known is not None:
        return False
    now = datetime.now(UTC)
    event_id = insert_id(conn, alert_events.insert().values(rule_id=rule.id, subject=subject, post_id=post_id,
                                                            story_id=story_id, summary=summary, created_at=now))
    for channel in rule.channels:
        conn.execute(alert_deliveries.insert().values(event_id=event_id, channel=channel, status="pending",
                                                      attempts=0, next_attempt_at=now))
    return True


def due_deliveries(conn: Connection, now: datetime, mode: str) -> list[dict[str, Any]]:
    """Pending deliveries never tried or whose retry time has come, for rules of a mode, oldest first."""
    rows = conn.execute(
        sa.select(alert_deliveries.c.id, alert_deliveries.c.channel, alert_deliveries.c.attempts,
                  alert_events.c.id.label("event_id"), alert_events.c.subject, alert_events.c.summary,
                  alert_events.c.post_id, alert_events.c.story_id, alert_events.c.created_at,
                  alert_rules.c.id.label("rule_id"), alert_rules.c.name.label("rule_name"),
                  alert_rules.c.kind, alert_rules.c.value)
        .join(alert_events, alert_events.c.id == alert_deliveries.c.event_id)
        .join(alert_rules, alert_rules.c.id == alert_events.c.rule_id)
        .where(alert_deliveries.c.status == "pending",
               sa.or_(alert_deliveries.c.attempts == 0, alert_deliveries.c.next_attempt_at <= now),
               alert_rules.c.mode == mode)
        .order_by(alert_deliveries.c.id))
    return [dict(row._mapping) for row in rows]


def mark_sent(conn: Connection, delivery_ids: list[int]) -> None:
    """Deliveries that went out."""
    conn.execute(alert_deliveries.update().where(alert_deliveries.c.id.in_(delivery_ids)).values(
        status="sent", sent_at=datetime.now(UTC), attempts=alert_deliveries.c.attempts + 1, last_error=None))


def mark_failed(conn: Connection, delivery_ids: list[int], error: str, next_attempt: datetime | None) -> None:
    """A failed attempt: retried at ``next_attempt``, or given up when it is None."""
    values: dict[str, Any] = {"attempts": alert_deliveries.c.attempts + 1, "last_error": error[:2000]}
    if next_attempt is None:
        values["status"] = "failed"
    else:
        values["next_attempt_at"] = next_attempt
    conn.execute(alert_deliveries.update().where(alert_deliveries.c.id.in_(delivery_ids)).values(**values))


def list_events(conn: Connection, limit: int = 100) -> list[dict[str, Any]]:
    """The newest matches with their rule's name."""
    rows = conn.execute(sa.select(alert_events, alert_rules.c.name.label("rule_name"))
                        .join(alert_rules, alert_rules.c.id == alert_events.c.rule_id)
                        .order_by(alert_events.c.id.desc()).limit(limit))
    return [dict(row._mapping) for row in rows]


def deliveries_of(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    """An event's deliveries."""
    rows = conn.execute(sa.select(alert_deliveries).where(alert_deliveries.c.event_id == event_id)
                        .order_by(alert_deliveries.c.id))
    return [dict(row._mapping) for row in rows]
