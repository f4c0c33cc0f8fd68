"""collection state on sources: which collector, the newest message collected, the last outcome

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("collector", sa.String(40), nullable=True))
        batch.add_column(sa.Column("cursor", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("state", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("state")
        batch.drop_column("cursor")
        batch.drop_column("collector")
