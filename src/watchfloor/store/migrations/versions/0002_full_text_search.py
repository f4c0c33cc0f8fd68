"""full-text search over original text and translation

SQLite: an FTS5 table kept in step with posts by triggers. PostgreSQL: a GIN index on a
'simple'-configuration tsvector (no stemming: the text is in many languages).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE posts_fts USING fts5(text, text_en, content='posts', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN"
    " INSERT INTO posts_fts(rowid, text, text_en) VALUES (new.id, new.text, coalesce(new.text_en, '')); END",
    "CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN"
    " INSERT INTO posts_fts(posts_fts, rowid, text, text_en)"
    " VALUES ('delete', old.id, old.text, coalesce(old.text_en, '')); END",
    "CREATE TRIGGER posts_fts_au AFTER UPDATE OF text, text_en ON posts BEGIN"
    " INSERT INTO posts_fts(posts_fts, rowid, text, text_en)"
    " VALUES ('delete', old.id, old.text, coalesce(old.text_en, ''));"
    " INSERT INTO posts_fts(rowid, text, text_en) VALUES (new.id, new.text, coalesce(new.text_en, '')); END",
    "INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS posts_fts_au",
    "DROP TRIGGER IF EXISTS posts_fts_ad",
    "DROP TRIGGER IF EXISTS posts_fts_ai",
    "DROP TABLE IF EXISTS posts_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_posts_fts ON posts USING gin"
    " (to_tsvector('simple', coalesce(text, '') || ' ' || coalesce(text_en, '')))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_posts_fts"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRES_UP if dialect == "postgresql" else [])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN if dialect == "postgresql" else [])
