"""Queries on the knowledge base: entities and their aliases."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Alias, Entity
from watchfloor.store import entity_counts
from watchfloor.store.tables import aliases, entities, entity_totals, mentions, posts

__all__ = ["upsert_entities", "accept_candidate",
           "add_candidates", "load_kb", "entities_by_id", "entities_with_related", "mention_counts",
           "list_entities", "get_entity", "search_entities", "merge_entities", "set_status", "rejected_ids",
           "outlet_for", "found_names"]


def upsert_entities(conn: Connection, batch: Sequence[Entity], normalize: Callable[[str], str]) -> int:
    """Insert or replace entities and their aliases; returns how many were written."""
    now = datetime.now(UTC)
    ids = [e.id for e in batch]
    existing: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        existing.update(conn.execute(sa.select(entities.c.id).where(entities.c.id.in_(chunk))).scalars())
    values = [{"type": e.type, "name": e.name, "description": e.description, "attrs": e.attrs, "status": e.status,
               "updated_at": now} for e in batch]
    # one statement for the new entries and one for the known ones, each run over its rows (executemany)
    new = [{"id": e.id, **row} for e, row in zip(batch, values, strict=True) if e.id not in existing]
    known = [{"key": e.id, **row} for e, row in zip(batch, values, strict=True) if e.id in existing]
    if new:
        conn.execute(entities.insert(), new)
    if known:
        conn.execute(entities.update().where(entities.c.id == sa.bindparam("key")), known)
    for start in range(0, len(ids), 500):
        conn.execute(aliases.delete().where(aliases.c.entity_id.in_(ids[start:start + 500])))
    rows = [{"entity_id": e.id, "text": a.text, "lang": a.lang, "norm": normalize(a.text)}
            for e in batch for a in e.aliases]
    if rows:
        conn.execute(aliases.insert(), rows)
    return len(batch)


def add_candidates(conn: Connection, found: Sequence[Entity], normalize: Callable[[str], str]) -> int:
    """Store candidate entities not yet known (an entry already stored, reviewed or not, is left alone)."""
    unique = {e.id: e for e in found}
    if not unique:
        return 0
    existing = set(conn.execute(sa.select(entities.c.id).where(entities.c.id.in_(list(unique)))).scalars())
    new = [e for ident, e in unique.items() if ident not in existing]
    return upsert_entities(conn, new, normalize) if new else 0


def load_kb(conn: Connection, statuses: Iterable[str] = ("kb",)) -> list[Entity]:
    """Every entity with the given statuses, with aliases."""
    wanted = list(statuses)
    by_id: dict[str, Entity] = {}
    for row in conn.execute(sa.select(entities).where(entities.c.status.in_(wanted)).order_by(entities.c.id)):
        by_id[row.id] = Entity(id=row.id, type=row.type, name=row.name, description=row.description,
                               attrs=dict(row.attrs or {}), status=row.status)
    for row in conn.execute(sa.select(aliases.c.entity_id, aliases.c.text, aliases.c.lang)
                            .order_by(aliases.c.id)):
        if row.entity_id in by_id:
            by_id[row.entity_id].aliases.append(Alias(row.text, row.lang))
    return list(by_id.values())


def entities_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Entity]:
    """Entities (with aliases) for the given ids."""
    wanted = sorted(set(ids))
    found: dict[str, Entity] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in conn.execute(sa.select(entities).where(entities.c.id.in_(chunk))):
            found[row.id] = Entity(id=row.id, type=row.type, name=row.name, description=row.description,
                                   attrs=dict(row.attrs or {}), status=row.status)
        for row in conn.execute(sa.select(aliases.c.entity_id, aliases.c.text, aliases.c.lang)
                                .where(aliases.c.entity_id.in_(chunk)).order_by(aliases.c.id)):
            found[row.entity_id].aliases.append(Alias(row.text, row.lang))
    return found


def mention_counts(conn: Connection, post_ids: Sequence[int]) -> dict[str, int]:
    """How many times each entity is mentioned across the given posts."""
    counts: dict[str, int] = {}
    for start in range(0, len(post_ids), 500):
        rows = conn.execute(sa.select(mentions.c.entity_id, sa.func.count().label("n"))
                            .where(mentions.c.post_id.in_(list(post_ids[start:start + 500])))
                            .group_by(mentions.c.entity_id))
        for row in rows:
            counts[row.entity_id] = counts.get(row.entity_id, 0) + int(row.n)
    return counts


MEMORY_POSTS = 100_000  # the memory of names is made from the newest posts stored, this many at most


def found_names(conn: Connection, min_score: float, newest: int | None = MEMORY_POSTS
                ) -> list[tuple[str, str, int, int]]:
    """(surface, type, post id, source id) of every candidate's mention in a post's text scored ``min_score`` or
    more (the names stage's names found with a signal), once each: what the memory of names is made from. Only
    the ``newest`` posts stored are read (through the index on the mentions' post ids), so that a run's start,
    each monitor pass's included, costs the same in a large archive as in a small one."""
    query = (sa.select(mentions.c.surface, entities.c.type, mentions.c.post_id, posts.c.source_id)
             .distinct()
             .join(entities, entities.c.id == mentions.c.entity_id)
             .join(posts, posts.c.id == mentions.c.post_id)
             .where(entities.c.status == "candidate", mentions.c.score >= min_score, mentions.c.span_start >= 0))
    if newest is not None:
        last = conn.execute(sa.select(sa.func.max(posts.c.id))).scalar()
        query = query.where(mentions.c.post_id > int(last or 0) - newest)
    return [(row.surface, row.type, int(row.post_id), int(row.source_id)) for row in conn.execute(query)]


def entities_with_related(conn: Connection, ids: Iterable[str]) -> dict[str, Entity]:
    """Entities for the given ids plus those they point at (role organisations, parents, affiliations)."""
    found = entities_by_id(conn, ids)
    extra = {r for e in found.values() for r in e.related_ids()} - set(found)
    found.update(entities_by_id(conn, extra))
    return found


def _entity(row: Any) -> Entity:
    return Entity(id=row.id, type=row.type, name=row.name, description=row.description,
                  attrs=dict(row.attrs or {}), status=row.status)


def list_entities(conn: Connection, kind: str | None = None, status: str | None = "kb",
                  limit: int = 100, offset: int = 0) -> list[tuple[Entity, int]]:
    """Entities with their number of mentions, most mentioned first, then by id."""
    count = sa.func.coalesce(entity_totals.c.mentions, 0)  # kept as mentions are written
    query = sa.select(entities, count.label("mention_count")).outerjoin(
        entity_totals, entity_totals.c.entity_id == entities.c.id)
    if kind:
        query = query.where(entities.c.type == kind)
    if status:
        query = query.where(entities.c.status == status)
    rows = conn.execute(query.order_by(sa.desc("mention_count"), entities.c.id).limit(limit).offset(offset)).all()
    found = entities_by_id(conn, [row.id for row in rows])
    return [(found[row.id], int(row.mention_count)) for row in rows]


def get_entity(conn: Connection, entity_id: str) -> Entity:
    """One entity with its aliases."""
    found = entities_by_id(conn, [entity_id])
    if entity_id not in found:
        raise NotFound(f"no knowledge-base entry {entity_id!r}; try `watchfloor kb search`")
    return found[entity_id]


def search_entities(conn: Connection, text: str, normalize: Callable[[str], str], limit: int = 50) -> list[Entity]:
    """Entities whose name or an alias contains the text (after normalisation)."""
    key = normalize(text)
    if not key:
        return []
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ids = conn.execute(sa.select(aliases.c.entity_id).distinct()
                       .where(aliases.c.norm.like(pattern, escape="\\")).limit(limit)).scalars()
    return sorted(entities_by_id(conn, list(ids)).values(), key=lambda e: (e.status != "kb", e.id))


def merge_entities(conn: Connection, source_id: str, target_id: str, normalize: Callable[[str], str]) -> Entity:
    """Fold one entry into another: its aliases join the target, its mentions point at it, it goes."""
    if source_id == target_id:
        raise InvalidInput("cannot merge an entry into itself")
    source, target = get_entity(conn, source_id), get_entity(conn, target_id)
    have = {a.text for a in target.aliases}
    target.aliases += [a for a in source.aliases if a.text not in have]
    target.attrs["sources"] = list(dict.fromkeys((target.attrs.get("sources") or [])
                                                 + (source.attrs.get("sources") or [])))
    upsert_entities(conn, [target], normalize)
    conn.execute(mentions.update().where(mentions.c.entity_id == source_id).values(entity_id=target_id))
    conn.execute(entities.delete().where(entities.c.id == source_id))
    entity_counts.recount(conn, [source_id, target_id])
    return get_entity(conn, target_id)


def set_status(conn: Connection, entity_id: str, status: str) -> None:
    """Change an entry's review status (kb, candidate, rejected); a rejected entry loses its mentions."""
    get_entity(conn, entity_id)
    conn.execute(entities.update().where(entities.c.id == entity_id).values(status=status))
    if status == "rejected":
        conn.execute(mentions.delete().where(mentions.c.entity_id == entity_id))
        entity_counts.recount(conn, [entity_id])


def rejected_ids(conn: Connection) -> set[str]:
    """Ids of candidates an analyst rejected (never linked again)."""
    return set(conn.execute(sa.select(entities.c.id).where(entities.c.status == "rejected")).scalars())


def accept_candidate(conn: Connection, entity_id: str, new_id: str | None,
                     normalize: Callable[[str], str]) -> Entity:
    """Accept a candidate as a knowledge-base entry (by default its id without the candidate: prefix)."""
    candidate = get_entity(conn, entity_id)
    if candidate.status != "candidate":
        raise InvalidInput(f"{entity_id} is not a candidate (status {candidate.status})")
    target = new_id or entity_id.removeprefix("candidate:")
    if target.startswith("organization:") and not new_id:  # the knowledge base's organisations are org:...
        target = "org:" + target.removeprefix("organization:")
    if target == entity_id:
        set_status(conn, entity_id, "kb")
        return get_entity(conn, entity_id)
    if target in entities_by_id(conn, [target]):
        raise InvalidInput(f"{target} exists; use `watchfloor kb merge {entity_id} {target}`")
    upsert_entities(conn, [Entity(id=target, type=candidate.type, name=candidate.name,
                                  attrs=dict(candidate.attrs), status="kb")], normalize)
    return merge_entities(conn, entity_id, target, normalize)


def outlet_for(conn: Connection, name: str | None, handle: str | None,
               normalize: Callable[[str], str]) -> Entity | None:
    """The knowledge-base outlet whose name or an alias is exactly a source's name or handle, if any."""
    keys = {normalize(v) for v in (name, handle) if v}
    keys.discard("")
    if not keys:
        return None
    ids = conn.execute(sa.select(aliases.c.entity_id).distinct().join(entities, entities.c.id == aliases.c.entity_id)
                       .where(aliases.c.norm.in_(keys), entities.c.type == "outlet", entities.c.status == "kb")
                       .order_by(aliases.c.entity_id).limit(1)).scalars().all()
    return get_entity(conn, ids[0]) if ids else None
