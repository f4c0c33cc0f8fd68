"""rate events: attempts per address and per client for the web app's limits (log-in, register, reset)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_events_at", "rate_events", ["at"])
    op.create_index("ix_rate_events_action_key", "rate_events", ["action", "key"])


def downgrade() -> None:
    op.drop_index("ix_rate_events_action_key", "rate_events")
    op.drop_index("ix_rate_events_at", "rate_events")
    op.drop_table("rate_events")
