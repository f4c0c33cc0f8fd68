"""monitor: per-source schedule (interval, next collection), posts marked deleted at the source

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("interval_minutes", sa.Integer, nullable=True))
        batch.add_column(sa.Column("next_collect_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("deleted_at")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("next_collect_at")
        batch.drop_column("interval_minutes")
