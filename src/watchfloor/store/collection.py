"""Queries of live collection: storing what a collector read, merging a channel into the source an export
made first, noting the outcome, and looking up what a source already holds."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import ParsedPost, Source
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.importing import record_errors_once
from watchfloor.store.tables import sources as sources_table

__all__ = ["Saved", "save_collected", "stored_raw", "post_ids"]


@dataclass
class Saved:
    """Where a collection's posts went and what storing them did."""

    key: str  # the source they were stored under (another one when a channel was merged into it)
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    deleted: int = 0


def _merge_into_owner(conn: Connection, source: Source, channel_id: int) -> str:
    """The source that holds this channel id: an export may have made it first, and then it absorbs this one."""
    owner = conn.execute(sa.select(sources_table.c.key).where(sources_table.c.channel_id == channel_id)
                         ).scalar_one_or_none()
    if owner is None or owner == source.key:
        return source.key
    conn.execute(sources_table.update().where(sources_table.c.key == owner).values(
        handle=source.handle, collector=source.collector, interval_minutes=source.interval_minutes,
        next_collect_at=source.next_collect_at))
    conn.execute(sources_table.update().where(sources_table.c.key == source.key).values(collector=None))
    source_store.record_collection(conn, source.key, "merged", f"collected into {owner}")
    return str(owner)


def save_collected(conn: Connection, source: Source, posts: Sequence[ParsedPost], *, status: str,
                   note: str | None, channel_id: int | None = None, handle: str | None = None,
                   title: str | None = None, spans: Sequence[Collection[int]] = (), ordered_ids: bool = True,
                   unreadable: Sequence[tuple[str, int | None, str]] = (),
                   incomplete: Sequence[tuple[str, int, str]] = ()) -> Saved:
    """Store what a collector read from a source and note the outcome on it. Posts missing from a page's
    span are marked deleted; ``unreadable`` posts are noted once in import_errors, ``incomplete`` ones at
    each collection. With ``ordered_ids`` (message ids grow with time) the cursor moves to the newest id,
    but only when the collector reached it: after a failure part-way the next run reads the same ground
    again rather than leave a gap (what was read is stored either way)."""
    by_where: dict[str, list[tuple[int | None, str]]] = {}
    for where, message_id, why in unreadable:
        by_where.setdefault(where, []).append((message_id, why))
    for where, failed in by_where.items():
        record_errors_once(conn, where, failed)
    target = _merge_into_owner(conn, source, channel_id) if channel_id is not None else source.key
    saved = Saved(key=target)
    if posts:
        row_id = source_store.source_row_id(conn, target)
        saved.counts = post_store.store_parsed(conn, row_id, posts)
        if spans:
            saved.deleted, _ = post_store.mark_deleted(conn, row_id, spans)
    for where, message_id, why in incomplete:
        post_store.record_import_error(conn, where, message_id, why)
    moved = ordered_ids and bool(posts) and status in ("ok", "renamed")
    source_store.record_collection(conn, target, status, note,
                                   cursor=max([source.cursor or 0, *(p.message_id for p in posts)]) if moved
                                   else None,
                                   channel_id=channel_id if target == source.key else None,
                                   name=title if source.name is None else None)
    if handle and target == source.key and handle != source.handle:
        conn.execute(sources_table.update().where(sources_table.c.key == source.key).values(handle=handle))
    return saved


def stored_raw(conn: Connection, key: str, message_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The raw payload a source already holds for each of these message ids."""
    return post_store.stored_ids(conn, source_store.source_row_id(conn, key), message_ids)


def post_ids(conn: Connection, key: str, message_ids: Sequence[int]) -> dict[int, int]:
    """The stored post id of each of a source's message ids."""
    from watchfloor.store.tables import posts as posts_table

    row_id = source_store.source_row_id(conn, key)
    found: dict[int, int] = {}
    ids = list(message_ids)
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(posts_table.c.message_id, posts_table.c.id).where(
            posts_table.c.source_id == row_id, posts_table.c.message_id.in_(ids[start:start + 500])))
        found.update({int(row.message_id): int(row.id) for row in rows})
    return found
