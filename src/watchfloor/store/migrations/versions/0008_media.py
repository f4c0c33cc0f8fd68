"""media: content-addressed files (type, size, PDQ hash, OCR text, rejection reason) and the posts that carried
them; OCR text is searched with the posts (SQLite: an FTS5 table kept by triggers; PostgreSQL: a GIN index)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE media_fts USING fts5(sha256 UNINDEXED, ocr_text, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER media_fts_ai AFTER INSERT ON media WHEN new.ocr_text IS NOT NULL BEGIN"
    " INSERT INTO media_fts(sha256, ocr_text) VALUES (new.sha256, new.ocr_text); END",
    "CREATE TRIGGER media_fts_ad AFTER DELETE ON media BEGIN"
    " DELETE FROM media_fts WHERE sha256 = old.sha256; END",
    "CREATE TRIGGER media_fts_au AFTER UPDATE OF ocr_text ON media BEGIN"
    " DELETE FROM media_fts WHERE sha256 = old.sha256;"
    " INSERT INTO media_fts(sha256, ocr_text) SELECT new.sha256, new.ocr_text WHERE new.ocr_text IS NOT NULL; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS media_fts_au",
    "DROP TRIGGER IF EXISTS media_fts_ad",
    "DROP TRIGGER IF EXISTS media_fts_ai",
    "DROP TABLE IF EXISTS media_fts",
]
POSTGRES_UP = ["CREATE INDEX ix_media_fts ON media USING gin (to_tsvector('simple', coalesce(ocr_text, '')))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_media_fts"]


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("pdq", sa.String(64)),
        sa.Column("pdq_quality", sa.Integer),
        sa.Column("ocr_text", sa.Text),
        sa.Column("ocr_langs", sa.JSON),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "post_media",
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("media.sha256", ondelete="SET NULL")),
        sa.Column("declared_kind", sa.String(40), nullable=False),
        sa.Column("declared_name", sa.Text),
        sa.Column("declared_mime", sa.String(200)),
        sa.Column("origin", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_post_media_sha256", "post_media", ["sha256"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN if dialect == "postgresql" else []:
        op.execute(statement)
    op.drop_table("post_media")
    op.drop_table("media")
