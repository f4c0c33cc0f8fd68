"""Each source's summed embeddings, kept as posts are analysed, equal the sum of its posts' embeddings read
afresh: after processing, after a batch is analysed again with other, missing or longer embeddings, and
counted again."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from conftest import import_sample
from watchfloor.store import posts as post_store
from watchfloor.store.source_vectors import recount_vectors, source_sums
from watchfloor.store.tables import posts, sources


def _fresh(conn: Connection) -> dict[str, tuple[np.ndarray, int]]:
    found: dict[str, list[np.ndarray]] = {}
    for key, blob in conn.execute(sa.select(sources.c.key, posts.c.embedding)
                                  .join(sources, sources.c.id == posts.c.source_id)
                                  .where(posts.c.kind == "message", posts.c.embedding.is_not(None))):
        found.setdefault(key, []).append(np.frombuffer(blob, dtype=np.float32).astype(np.float64))
    return {key: (np.sum(vectors, axis=0), len(vectors)) for key, vectors in found.items()}


def _check(conn: Connection) -> None:
    kept, fresh = source_sums(conn), _fresh(conn)
    assert set(kept) == set(fresh)
    for key, (total, count) in fresh.items():
        assert kept[key][1] == count, key
        assert np.allclose(kept[key][0], total, rtol=1e-9, atol=1e-9), key


def test_sums_follow_every_analysis(store: Engine) -> None:
    import_sample(store)
    rng = np.random.default_rng(3)
    with store.begin() as conn:
        assert len(source_sums(conn)) >= 3
        _check(conn)
        batch = post_store.load_posts(conn, list(conn.execute(sa.select(posts.c.id).order_by(posts.c.id)).scalars()))
        first = batch[:15]
        for number, post in enumerate(first):
            post.embedding = None if number % 4 == 0 else rng.standard_normal(384).astype(np.float32)
        post_store.save_analysis(conn, first, {"test": "1"})
        _check(conn)
        everything_of_one = [p for p in batch if p.source.key == batch[0].source.key]
        for post in everything_of_one:
            post.embedding = None
        post_store.save_analysis(conn, everything_of_one, {"test": "2"})
        _check(conn)
        assert batch[0].source.key not in source_sums(conn)  # no embedding left: no row
        longer = batch[20:26]  # another model's longer vectors: those sources are counted again
        for post in longer:
            post.embedding = rng.standard_normal(768).astype(np.float32)
        post_store.save_analysis(conn, longer, {"test": "3"})
        for key, (total, count) in source_sums(conn).items():
            assert total.shape in {(384,), (768,)} and count > 0, key
        for post in batch:  # every post analysed again by the new model
            post.embedding = rng.standard_normal(768).astype(np.float32)
        post_store.save_analysis(conn, batch, {"test": "4"})
        _check(conn)
        kept = source_sums(conn)
        recount_vectors(conn)  # summed again from the posts: the same sums
        _check(conn)
        assert {k: n for k, (_, n) in source_sums(conn).items()} == {k: n for k, (_, n) in kept.items()}
