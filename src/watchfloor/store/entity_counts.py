"""Counts kept per knowledge-base entry as its mentions are written: posts naming it per UTC day (and its
mentions) and in all, per source, and the posts it shares with each other entry (``entity_days``,
``entity_totals``, ``entity_sources``, ``entity_pairs``). The entry pages and the entry list read these instead
of counting a million posts' mentions.

Every write of mentions goes through here: ``save_analysis`` takes a batch's counts before and after it rewrites
the batch's mentions and adds the difference; a merge or a rejection, which move or drop every mention of an
entry at once, count that entry again (``recount``); ``recount()`` without ids counts everything again (the
migration that made these tables does; so may a tool that wrote mentions behind the store's back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from watchfloor.store.schema import utc_day
from watchfloor.store.tables import entity_days, entity_pairs, entity_sources, entity_totals, mentions, posts

__all__ = ["Counts", "counts_of", "add_counts", "recount"]


@dataclass
class Counts:
    """What some posts' mentions add to the kept counts."""

    days: Counter[tuple[str, date]] = field(default_factory=Counter)  # posts naming the entry that day
    day_mentions: Counter[tuple[str, date]] = field(default_factory=Counter)
    sources: Counter[tuple[str, int]] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def minus(self, other: Counts) -> Counts:
        """These counts less ``other`` (negative where ``other`` had more)."""
        def less(mine: Counter[Any], theirs: Counter[Any]) -> Counter[Any]:
            found: Counter[Any] = Counter(mine)
            found.subtract(theirs)
            return Counter({key: n for key, n in found.items() if n})
        return Counts(less(self.days, other.days), less(self.day_mentions, other.day_mentions),
                      less(self.sources, other.sources), less(self.pairs, other.pairs))


def counts_of(conn: Connection, post_ids: Sequence[int]) -> Counts:
    """What the stored mentions of these posts count for (a few hundred posts a statement)."""
    found = Counts()
    for start in range(0, len(post_ids), 500):
        named: dict[int, list[str]] = {}
        rows = conn.execute(
            sa.select(mentions.c.post_id, mentions.c.entity_id, sa.func.count().label("n"), posts.c.posted_at,
                      posts.c.source_id)
            .join(posts, posts.c.id == mentions.c.post_id).where(mentions.c.post_id.in_(post_ids[start:start + 500]))
            .group_by(mentions.c.post_id, mentions.c.entity_id, posts.c.posted_at, posts.c.source_id))
        for row in rows:
            day = row.posted_at.astimezone(UTC).date()
            found.days[(row.entity_id, day)] += 1
            found.day_mentions[(row.entity_id, day)] += int(row.n)
            found.sources[(row.entity_id, int(row.source_id))] += 1
            named.setdefault(row.post_id, []).append(row.entity_id)
        for entities in named.values():
            found.pairs.update((a, b) for a in entities for b in entities if a != b)
    return found


def _upsert(conn: Connection, table: sa.Table, keys: Sequence[str], rows: list[dict[str, Any]],
            added: Sequence[str]) -> None:
    """Add ``rows``' ``added`` columns to the rows with their keys (made at zero when missing)."""
    if not rows:
        return
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), 1000):
        statement = dialect.insert(table).values(rows[start:start + 1000])
        conn.execute(statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={column: table.c[column] + statement.excluded[column] for column in added}))


def add_counts(conn: Connection, delta: Counts) -> None:
    """Add ``delta`` to the kept counts and drop the rows it brings to zero."""
    days: list[dict[str, Any]] = [{"entity_id": e, "day": d, "posts": n, "mentions": delta.day_mentions.get((e, d), 0)}
            for (e, d), n in delta.days.items()]
    days += [{"entity_id": e, "day": d, "posts": 0, "mentions": n}
             for (e, d), n in delta.day_mentions.items() if (e, d) not in delta.days]
    _upsert(conn, entity_days, ("entity_id", "day"), days, ("posts", "mentions"))
    totals: dict[str, dict[str, Any]] = {}
    for row in days:
        total = totals.setdefault(row["entity_id"], {"entity_id": row["entity_id"], "posts": 0, "mentions": 0})
        total["posts"] += row["posts"]
        total["mentions"] += row["mentions"]
    _upsert(conn, entity_totals, ("entity_id",), [t for t in totals.values() if t["posts"] or t["mentions"]],
            ("posts", "mentions"))
    _upsert(conn, entity_sources, ("entity_id", "source_id"),
            [{"entity_id": e, "source_id": s, "posts": n} for (e, s), n in delta.sources.items()], ("posts",))
    _upsert(conn, entity_pairs, ("entity_id", "other_id"),
            [{"entity_id": e, "other_id": o, "posts": n} for (e, o), n in delta.pairs.items()], ("posts",))
    touched = {e for e, _ in delta.days} | {e for e, _ in delta.day_mentions} | {e for e, _ in delta.sources} \
        | {e for e, _ in delta.pairs}
    if touched and any(n < 0 for n in (*delta.days.values(), *delta.sources.values(), *delta.pairs.values())):
        wanted = sorted(touched)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for table in (entity_days, entity_totals, entity_sources, entity_pairs):
                conn.execute(table.delete().where(table.c.entity_id.in_(chunk), table.c.posts <= 0))


def recount(conn: Connection, entity_ids: Collection[str] | None = None) -> None:
    """Count again, from the stored mentions, the rows of these entries (and their pairs from either side), or of
    every entry."""
    day = utc_day(conn.dialect.name, posts.c.posted_at)
    pair = mentions.alias("other")
    per_post = (sa.select(mentions.c.entity_id, mentions.c.post_id, sa.func.count().label("n"))
                .group_by(mentions.c.entity_id, mentions.c.post_id))
    pair_query = (sa.select(mentions.c.entity_id, pair.c.entity_id, sa.func.count(sa.distinct(mentions.c.post_id)))
                  .join(pair, sa.and_(pair.c.post_id == mentions.c.post_id, pair.c.entity_id != mentions.c.entity_id))
                  .group_by(mentions.c.entity_id, pair.c.entity_id))
    if entity_ids is not None:
        wanted = sorted(set(entity_ids))
        per_post = per_post.where(mentions.c.entity_id.in_(wanted))
        pair_query = pair_query.where(sa.or_(mentions.c.entity_id.in_(wanted), pair.c.entity_id.in_(wanted)))
        for table in (entity_days, entity_totals, entity_sources):
            conn.execute(table.delete().where(table.c.entity_id.in_(wanted)))
        conn.execute(entity_pairs.delete().where(sa.or_(entity_pairs.c.entity_id.in_(wanted),
                                                        entity_pairs.c.other_id.in_(wanted))))
    else:
        for table in (entity_days, entity_totals, entity_sources, entity_pairs):
            conn.execute(table.delete())
    named = per_post.subquery()
    dated = sa.select(named.c.entity_id, day.label("day"), sa.func.count(), sa.func.sum(named.c.n)) \
        .join(posts, posts.c.id == named.c.post_id).group_by(named.c.entity_id, day)
    # SQLite's day is the text 'YYYY-MM-DD', which is how its Date column stores a date
    conn.execute(entity_days.insert().from_select(["entity_id", "day", "posts", "mentions"], dated))
    conn.execute(entity_totals.insert().from_select(
        ["entity_id", "posts", "mentions"],
        sa.select(named.c.entity_id, sa.func.count(), sa.func.sum(named.c.n)).group_by(named.c.entity_id)))
    conn.execute(entity_sources.insert().from_select(
        ["entity_id", "source_id", "posts"],
        sa.select(named.c.entity_id, posts.c.source_id, sa.func.count()).join(posts, posts.c.id == named.c.post_id)
        .group_by(named.c.entity_id, posts.c.source_id)))
    conn.execute(entity_pairs.insert().from_select(["entity_id", "other_id", "posts"], pair_query))
