"""Each source's post embeddings summed and counted (``source_vectors``), kept as posts are analysed, so that the
network's centroids cost a row per source instead of every embedding of a million posts.

``save_analysis`` reads a batch's message embeddings per source before and after it writes them and adds the
difference (``vectors_of`` and ``add_vectors``); ``recount_vectors`` sums a source's embeddings again from its
posts (the migration that made the table does it for every source; a sum whose length no longer matches the
embeddings, after a change of embedding model, is counted again this way).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.tables import posts, source_vectors, sources

__all__ = ["vectors_of", "add_vectors", "recount_vectors", "source_sums"]

Sums = dict[int, tuple[Any, int]]  # source id -> (float64 sum, posts)
_FLOAT = np.dtype("<f8")


MIXED = np.empty(0)  # a source's vectors of two lengths (while posts are analysed again by another model)


def _add(sums: Sums, source_id: int, vector: Any, count: int) -> None:
    total, n = sums.get(source_id, (None, 0))
    if total is not None and total.shape != vector.shape:
        total, vector = MIXED, MIXED
    sums[source_id] = (vector if total is None else total + vector, n + count)


def vectors_of(conn: Connection, post_ids: Sequence[int]) -> Sums:
    """The stored message embeddings of these posts, summed per source."""
    sums: Sums = {}
    for start in range(0, len(post_ids), 500):
        for source_id, blob in conn.execute(
                sa.select(posts.c.source_id, posts.c.embedding)
                .where(posts.c.id.in_(post_ids[start:start + 500]), posts.c.kind == "message",
                       posts.c.embedding.is_not(None))):
            _add(sums, int(source_id), np.frombuffer(blob, dtype=np.float32).astype(np.float64), 1)
    return sums


def add_vectors(conn: Connection, after: Sums, before: Sums) -> None:
    """Add ``after`` less ``before`` to the kept sums (the sources' rows locked while they change)."""
    touched = sorted(set(after) | set(before))
    if not touched:
        return
    kept = {int(row.source_id): row for row in conn.execute(
        sa.select(source_vectors).where(source_vectors.c.source_id.in_(touched)).with_for_update())}
    recount = []
    for source_id in touched:
        total, count = (kept[source_id].total, kept[source_id].posts) if source_id in kept else (None, 0)
        vector = None if total is None else np.frombuffer(total, dtype=_FLOAT).copy()
        for sums, sign in ((after, 1), (before, -1)):
            if source_id in sums:
                part, n = sums[source_id]
                if part.shape == MIXED.shape or vector is not None and vector.shape != part.shape:
                    recount.append(source_id)  # vectors of another embedding model: count it again
                    break
                vector = sign * part if vector is None else vector + sign * part
                count += sign * n
        else:
            values = {"total": np.asarray(vector, dtype=_FLOAT).tobytes(), "posts": count}
            if count <= 0:
                conn.execute(source_vectors.delete().where(source_vectors.c.source_id == source_id))
            elif source_id in kept:
                conn.execute(source_vectors.update().where(source_vectors.c.source_id == source_id).values(values))
            else:
                conn.execute(source_vectors.insert().values(source_id=source_id, **values))
    if recount:
        recount_vectors(conn, recount)


def recount_vectors(conn: Connection, source_ids: Collection[int] | None = None) -> None:
    """Sum these sources' (or every source's) message embeddings again from their posts."""
    query = (sa.select(posts.c.source_id, posts.c.embedding)
             .where(posts.c.kind == "message", posts.c.embedding.is_not(None)).order_by(posts.c.source_id))
    if source_ids is not None:
        query = query.where(posts.c.source_id.in_(sorted(source_ids)))
        conn.execute(source_vectors.delete().where(source_vectors.c.source_id.in_(sorted(source_ids))))
    else:
        conn.execute(source_vectors.delete())
    sums: Sums = {}
    for source_id, blob in conn.execute(query.execution_options(yield_per=5000)):
        vector = np.frombuffer(blob, dtype=np.float32).astype(np.float64)
        if source_id in sums and sums[source_id][0].shape != vector.shape:
            continue  # a post embedded by another model, until it is analysed again: the first model's sum
        _add(sums, int(source_id), vector, 1)
    if sums:
        conn.execute(source_vectors.insert(), [{"source_id": s, "total": np.asarray(t, dtype=_FLOAT).tobytes(),
                                                "posts": n} for s, (t, n) in sums.items()])


def source_sums(conn: Connection, keys: Collection[str] | None = None) -> dict[str, tuple[Any, int]]:
    """The kept sum of each source's post embeddings and how many (every source, or those in ``keys``)."""
    query = sa.select(sources.c.key, source_vectors.c.total, source_vectors.c.posts).join(
        sources, sources.c.id == source_vectors.c.source_id)
    if keys is not None:
        query = query.where(sources.c.key.in_(sorted(keys)))
    return {key: (np.frombuffer(total, dtype=_FLOAT).copy(), int(count)) for key, total, count in conn.execute(query)}
