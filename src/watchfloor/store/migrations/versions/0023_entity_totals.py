"""entity totals: the posts and mentions of each entry in all, kept with its per-day counts, so that the entry
list most mentioned first reads a row per entry

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_totals",
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_entity_totals_mentions", "entity_totals", ["mentions"])
    op.execute("INSERT INTO entity_totals (entity_id, posts, mentions) "
               "SELECT entity_id, sum(posts), sum(mentions) FROM entity_days GROUP BY entity_id")


def downgrade() -> None:
    op.drop_index("ix_entity_totals_mentions", table_name="entity_totals")
    op.drop_table("entity_totals")
