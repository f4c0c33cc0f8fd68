"""PostgreSQL full-text search from a stored tsvector column

The search document (original text and translation, 'simple' configuration) becomes a stored generated
column ``posts.fts_vector`` with a GIN index, so a search matches and ranks from the stored vector instead of
recomputing ``to_tsvector`` for every matching row; PostgreSQL keeps it in step on every insert, COPY and
update. Adding it rewrites the posts table once (minutes on millions of posts). SQLite keeps its FTS5 table.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DOCUMENT = "to_tsvector('simple', coalesce(text, '') || ' ' || coalesce(text_en, ''))"
POSTGRES_UP = [
    "DROP INDEX IF EXISTS ix_posts_fts",
    f"ALTER TABLE posts ADD COLUMN fts_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX ix_posts_fts ON posts USING gin (fts_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_posts_fts",
    "ALTER TABLE posts DROP COLUMN IF EXISTS fts_vector",
    f"CREATE INDEX ix_posts_fts ON posts USING gin ({DOCUMENT})",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
