"""entity counts: posts naming each entry per day and per source, and the posts two entries share, kept as
mentions are written (store/entity_counts.py) so that an entry's page does not count a million posts' mentions

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

The existing mentions are counted once here; from then on every write of mentions keeps the counts.
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_days",
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_table(
        "entity_sources",
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
    )
    op.create_table(
        "entity_pairs",
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("other_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
    )
    # the UTC day of a post: PostgreSQL's timestamptz, SQLite's naive UTC text (store/schema.py's utc_day)
    day = ("CAST(timezone('UTC', p.posted_at) AS DATE)" if op.get_bind().dialect.name == "postgresql"
           else "substr(p.posted_at, 1, 10)")
    named = "(SELECT entity_id, post_id, count(*) AS n FROM mentions GROUP BY entity_id, post_id) m"
    op.execute(f"INSERT INTO entity_days (entity_id, day, posts, mentions) SELECT m.entity_id, {day}, count(*), "
               f"sum(m.n) FROM {named} JOIN posts p ON p.id = m.post_id GROUP BY m.entity_id, {day}")
    op.execute(f"INSERT INTO entity_sources (entity_id, source_id, posts) SELECT m.entity_id, p.source_id, count(*) "
               f"FROM {named} JOIN posts p ON p.id = m.post_id GROUP BY m.entity_id, p.source_id")
    op.execute("INSERT INTO entity_pairs (entity_id, other_id, posts) SELECT a.entity_id, b.entity_id, "
               "count(DISTINCT a.post_id) FROM mentions a JOIN mentions b ON b.post_id = a.post_id "
               "AND b.entity_id <> a.entity_id GROUP BY a.entity_id, b.entity_id")


def downgrade() -> None:
    for table in ("entity_pairs", "entity_sources", "entity_days"):
        op.drop_table(table)
