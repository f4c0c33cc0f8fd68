"""source vectors: each source's post embeddings summed and counted, kept as posts are analysed
(store/source_vectors.py), so that the network's centroids read a row per source, not every embedding

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01

The existing embeddings are summed once here, a source at a time in the order of its posts.
"""
import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "source_vectors",
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("total", sa.LargeBinary, nullable=False),
        sa.Column("posts", sa.Integer, nullable=False),
    )
    rows = op.get_bind().execute(sa.text(
        "SELECT source_id, embedding FROM posts WHERE kind = 'message' AND embedding IS NOT NULL "
        "ORDER BY source_id").execution_options(yield_per=5000))
    sums: dict[int, tuple[np.ndarray, int]] = {}
    for source_id, blob in rows:
        vector = np.frombuffer(blob, dtype=np.float32).astype("<f8")
        if source_id in sums and sums[source_id][0].shape != vector.shape:
            continue  # a post embedded by another model, until it is analysed again
        total, count = sums.get(source_id, (None, 0))
        sums[source_id] = (vector if total is None else total + vector, count + 1)
    if sums:
        op.bulk_insert(table, [{"source_id": s, "total": t.astype("<f8").tobytes(), "posts": n}
                               for s, (t, n) in sums.items()])


def downgrade() -> None:
    op.drop_table("source_vectors")
