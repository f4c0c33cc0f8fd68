"""Opening a database and bringing its schema up to date with Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchfloor.errors import NotConfigured, WatchfloorError
from watchfloor.store.revision import current_revision, head_revision

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["connect", "open_engine", "migrate", "needs_migration", "dialect", "insert_id"]

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def connect(url: str, pooled: bool = True) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout. A short-lived process
    (one CLI command) passes ``pooled=False`` so every connection closes when it is released."""
    if url.startswith(("postgresql", "postgres")):
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise NotConfigured("PostgreSQL needs psycopg: pip install 'watchfloor[postgres]'") from exc
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, future=True, **({} if pooled else {"poolclass": sa.pool.NullPool}))
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _config() -> Config:
    from alembic.config import Config  # imported when migrating only: a command that reads starts faster

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def needs_migration(engine: Engine) -> bool:
    """True when the database is not at the newest schema revision."""
    with engine.connect() as conn:
        return current_revision(conn) != head_revision()


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision."""
    from alembic import command

    config = _config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except sa.exc.OperationalError as exc:
        raise WatchfloorError(f"cannot migrate the database at {engine.url!r}: {exc.orig}") from exc


_upgrade = migrate  # open_engine's keyword of the same name hides the function


def open_engine(url: str, *, migrate: bool = False, pooled: bool = True) -> Engine:
    """An engine for the URL; raises a clear error when the schema is missing or old."""
    engine = connect(url, pooled)
    if migrate:
        _upgrade(engine)
    elif needs_migration(engine):
        raise WatchfloorError(f"the database at {engine.url!r} is not initialised or is out of date; "
                              "run `watchfloor init` first")
    return engine


def insert_id(conn: sa.Connection, statement: sa.Insert) -> int:
    """Run an insert and return the new row's integer primary key."""
    result = conn.execute(statement)
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def dialect(engine: Engine) -> str:
    """'sqlite' or 'postgresql'."""
    return engine.dialect.name
