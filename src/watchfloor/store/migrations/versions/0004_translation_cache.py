"""translation cache: one English text per (back-end, model, language, glossary, segment)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translations",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(40), nullable=False),
        sa.Column("model", sa.String(300), nullable=False),
        sa.Column("source_lang", sa.String(16), nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_translations")),
    )


def downgrade() -> None:
    op.drop_table("translations")
