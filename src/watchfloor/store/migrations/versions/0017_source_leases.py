"""source leases (owner, expiry) for several monitors on one database; per-host politeness shared by them

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(200), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_sources_next_collect_at", ["next_collect_at"])
    op.create_table(
        "host_requests",
        sa.Column("host", sa.String(255), primary_key=True),
        sa.Column("last_request_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("host_requests")
    with op.batch_alter_table("sources") as batch:
        batch.drop_index("ix_sources_next_collect_at")
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
