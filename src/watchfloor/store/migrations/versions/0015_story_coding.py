"""story coding: each story's event type, stances, actors and place, stored when the story changes

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Existing stories get no row here: `watchfloor process` codes every story without one (or coded with other
cues) at the end of its run.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_coding",
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("coder", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(40)),
        sa.Column("votes", sa.JSON, nullable=False),
        sa.Column("stances", sa.JSON, nullable=False),
        sa.Column("actors", sa.JSON, nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_coding")
