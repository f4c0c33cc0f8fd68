"""translation usage: characters sent to each translation back-end, per day

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translation_usage",
        sa.Column("backend", sa.String(40), nullable=False),
        sa.Column("model", sa.String(300), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("characters", sa.BigInteger, nullable=False),
        sa.Column("segments", sa.BigInteger, nullable=False),
        sa.Column("calls", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("backend", "model", "day", name=op.f("pk_translation_usage")),
    )


def downgrade() -> None:
    op.drop_table("translation_usage")
