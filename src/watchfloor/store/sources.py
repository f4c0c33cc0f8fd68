"""Queries on sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Source
from watchfloor.store.tables import sources

__all__ = ["add_source", "get_source", "list_sources", "all_sources", "ensure_channel", "ensure_channels",
           "source_from_row", "parse_key",
           "source_row_id", "record_collection", "MAX_KEY", "collectable_sources", "schedule_next"]

MAX_KEY = 300  # the sources.key column's length


def parse_key(key: str) -> Source:
    """Turn ``telegram:<handle or numeric id>``, ``rss:<feed URL>`` or ``web:<site URL>`` into a Source;
    raise InvalidInput otherwise."""
    platform, sep, ident = key.partition(":")
    if sep and platform in ("rss", "web"):
        url = ident.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"source key {key!r} must look like {platform}:https://host/path")
        if len(platform) + 1 + len(url) > MAX_KEY:
            raise InvalidInput(f"source key {key!r} is longer than {MAX_KEY} characters")
        return Source(key=f"{platform}:{url}", platform=platform)
    if not sep or not ident or platform != "telegram":
        raise InvalidInput(f"source key {key!r} must look like telegram:<handle>, telegram:<numeric id>, "
                           "rss:<feed URL> or web:<site URL>")
    ident = ident.strip().lstrip("@")
    if ident.lstrip("-").isdigit():
        # isdigit() also takes '²' and other digits int() refuses or a BIGINT cannot hold
        if not (ident.lstrip("-").isascii() and len(ident.lstrip("-")) <= 19 and int(ident) < 2**63):
            raise InvalidInput(f"{ident[:40]!r} is not a channel id (ASCII digits, at most 64 bits)")
        channel_id = int(ident)
        if channel_id < 0:  # Bot API style -100<id>
            text = str(-channel_id)
            channel_id = int(text[3:]) if text.startswith("100") and len(text) > 3 else -channel_id
        return Source(key=f"telegram:{channel_id}", channel_id=channel_id)
    if not (5 <= len(ident) <= 32) or not all(c.isascii() and (c.isalnum() or c == "_") for c in ident):
        raise InvalidInput(f"{ident!r} is not a Telegram handle (5-32 letters, digits or _)")
    return Source(key=f"telegram:{ident.lower()}", handle=ident.lower())


def source_from_row(row: Any) -> Source:
    """A Source from a sources row."""
    return Source(key=row.key, platform=row.platform, handle=row.handle, channel_id=row.channel_id,
                  name=row.name, affiliation=row.affiliation, lang=row.lang, tags=list(row.tags or []),
                  collector=row.collector, cursor=row.cursor, state=row.state,
                  interval_minutes=row.interval_minutes, next_collect_at=row.next_collect_at)


def add_source(conn: Connection, source: Source) -> Source:
    """Insert a source, or update the fields given for an existing one with the same key or channel id."""
    existing = conn.execute(sa.select(sources).where(
        sa.or_(sources.c.key == source.key,
               sources.c.channel_id == source.channel_id if source.channel_id is not None else sa.false())
    )).first()
    given = {"handle": source.handle, "channel_id": source.channel_id, "name": source.name,
             "affiliation": source.affiliation, "lang": source.lang, "collector": source.collector,
             "interval_minutes": source.interval_minutes}
    values: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if existing is None:
        conn.execute(sources.insert().values(key=source.key, platform=source.platform, tags=source.tags,
                                             created_at=datetime.now(UTC), **values))
    else:
        if source.tags:
            values["tags"] = sorted(set(existing.tags or []) | set(source.tags))
        if values:
            conn.execute(sources.update().where(sources.c.id == existing.id).values(**values))
    return get_source(conn, existing.key if existing is not None else source.key)


def get_source(conn: Connection, key: str) -> Source:
    """The source with this key."""
    row = conn.execute(sa.select(sources).where(sources.c.key == key)).first()
    if row is None:
        raise NotFound(f"no source {key!r}; see `watchfloor sources list`")
    return source_from_row(row)


def all_sources(conn: Connection) -> list[Source]:
    """Every source, by key, without counting posts (for a filter's choices: no scan of the posts)."""
    return [source_from_row(row) for row in conn.execute(sa.select(sources).order_by(sources.c.key))]


def list_sources(conn: Connection) -> list[tuple[Source, int]]:
    """Every source with its number of posts."""
    from watchfloor.store.tables import posts

    count = sa.select(sa.func.count()).where(posts.c.source_id == sources.c.id).scalar_subquery()
    rows = conn.execute(sa.select(sources, count.label("post_count")).order_by(sources.c.key)).all()
    return [(source_from_row(row), int(row.post_count)) for row in rows]


def ensure_channel(conn: Connection, channel_id: int, name: str | None) -> tuple[int, Source]:
    """The row id and Source for a Telegram channel id, creating ``telegram:<id>`` when unknown (and giving a
    stored channel with no title this one)."""
    return ensure_channels(conn, [(channel_id, name)])[0][0]


def ensure_channels(conn: Connection, wanted: Sequence[tuple[int, str | None]]
                    ) -> tuple[list[tuple[int, Source]], set[int]]:
    """``ensure_channel`` for many (channel id, title) pairs at once, with what calling it for each in turn
    leaves stored (the unknown channels created in their order, a title kept unless there was none); returns
    each one's row id and Source, and the row ids of those created."""
    known: dict[int, Any] = {}
    channel_ids = list(dict.fromkeys(channel_id for channel_id, _ in wanted))
    for start in range(0, len(channel_ids), 500):
        known.update({row.channel_id: row for row in conn.execute(
            sa.select(sources).where(sources.c.channel_id.in_(channel_ids[start:start + 500])))})
    created: dict[int, str | None] = {}
    named: dict[int, str] = {}
    for channel_id, name in wanted:
        if channel_id not in known and channel_id not in created:
            created[channel_id] = name
        elif name and (created[channel_id] if channel_id in created else
                       named.get(channel_id, known[channel_id].name)) is None:
            if channel_id in created:
                created[channel_id] = name
            else:
                named[channel_id] = name
    now = datetime.now(UTC)
    if created:
        conn.execute(sources.insert(), [{"key": f"telegram:{channel_id}", "platform": "telegram",
                                         "channel_id": channel_id, "name": name, "tags": [], "created_at": now}
                                        for channel_id, name in created.items()])
    for channel_id, name in named.items():
        conn.execute(sources.update().where(sources.c.id == known[channel_id].id).values(name=name))
    if created or named:
        for start in range(0, len(channel_ids), 500):
            known.update({row.channel_id: row for row in conn.execute(
                sa.select(sources).where(sources.c.channel_id.in_(channel_ids[start:start + 500])))})
    return ([(int(known[channel_id].id), source_from_row(known[channel_id])) for channel_id, _ in wanted],
            {int(known[channel_id].id) for channel_id in created})


def source_row_id(conn: Connection, key: str) -> int:
    """The row id of a source."""
    row = conn.execute(sa.select(sources.c.id).where(sources.c.key == key)).first()
    if row is None:
        raise NotFound(f"no source {key!r}; see `watchfloor sources list`")
    return int(row.id)


def record_collection(conn: Connection, key: str, status: str, note: str | None = None,
                      cursor: int | None = None, channel_id: int | None = None, name: str | None = None) -> None:
    """Note a collection's outcome on its source (and the cursor, channel id and title it learned); the
    monitor's count of consecutive failures stays on the state."""
    old = conn.execute(sa.select(sources.c.state).where(sources.c.key == key)).scalar_one_or_none() or {}
    state: dict[str, Any] = {"status": status, "at": datetime.now(UTC).isoformat(timespec="seconds"), "note": note}
    for kept in ("failures", "retry_at"):
        if kept in old:
            state[kept] = old[kept]
    values: dict[str, Any] = {"state": state}
    if cursor is not None:
        values["cursor"] = cursor
    if channel_id is not None:
        values["channel_id"] = channel_id
    if name:
        values["name"] = name
    conn.execute(sources.update().where(sources.c.key == key).values(**values))


def collectable_sources(conn: Connection) -> list[Source]:
    """Every source with a live collector, by key."""
    rows = conn.execute(sa.select(sources).where(sources.c.collector.is_not(None)).order_by(sources.c.key))
    return [source_from_row(row) for row in rows]


def schedule_next(conn: Connection, key: str, next_at: datetime, failures: int) -> None:
    """When the monitor collects a source next, and its consecutive failures (kept on its state)."""
    old = conn.execute(sa.select(sources.c.state).where(sources.c.key == key)).scalar_one_or_none() or {}
    state = {k: v for k, v in dict(old).items() if k not in ("failures", "retry_at")}
    state["failures"] = failures
    if failures:
        state["retry_at"] = next_at.astimezone(UTC).isoformat(timespec="seconds")
    conn.execute(sources.update().where(sources.c.key == key).values(state=state, next_collect_at=next_at))
