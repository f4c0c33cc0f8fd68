"""stories by last_seen: the story list reads the newest stories through an index, not by counting them all

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_stories_last_seen", "stories", ["last_seen", "id"])


def downgrade() -> None:
    op.drop_index("ix_stories_last_seen", table_name="stories")
