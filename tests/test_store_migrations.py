"""The Alembic migrations build exactly the schema that store/tables.py declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from watchfloor import runner
from watchfloor.store.tables import metadata


def test_migrations_match_the_declared_tables(db_url: str) -> None:
    engine: Engine = runner.open_store(db_url, migrate=True)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    # full-text search lives outside the declared tables (an FTS5 table and triggers, or a GIN index)
    meaningful = [d for d in diff if "fts" not in repr(d).lower()]
    assert meaningful == []
