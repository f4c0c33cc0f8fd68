"""The Alembic migrations build exactly the schema that store/tables.py declares, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
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


def test_login_failures_is_dropped_and_comes_back_on_downgrade(db_url: str) -> None:
    """Migration 0016 drops the unused login_failures table; stepping back before it recreates the table."""
    from alembic import command

    from watchfloor.store import db

    engine: Engine = runner.open_store(db_url, migrate=True)
    try:
        assert "login_failures" not in sa.inspect(engine).get_table_names()
        config = db._config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0016-1")
        inspector = sa.inspect(engine)
        assert "login_failures" in inspector.get_table_names()
        assert [i["name"] for i in inspector.get_indexes("login_failures")] == ["ix_login_failures_email"]
        assert db.needs_migration(engine)
        db.migrate(engine)
        assert "login_failures" not in sa.inspect(engine).get_table_names()
        assert not db.needs_migration(engine)
    finally:
        engine.dispose()
