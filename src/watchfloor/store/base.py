"""The database handles the rest of the code passes around, and a retry for a busy database, without
importing Alembic: modules outside ``store/`` take their types from here, never from SQLAlchemy."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["Engine", "Connection", "DatabaseBusy", "retrying"]

T = TypeVar("T")

# What SQLite raises when another writer holds the lock past the busy timeout (and PostgreSQL on a lost
# connection): the one database error worth trying again.
DatabaseBusy = sa.exc.OperationalError


def retrying(engine: Engine, work: Callable[[Connection], T], attempts: int = 6, pause: float = 0.2) -> T:
    """Run ``work`` in one short transaction, again (with a doubling pause) when the database is busy."""
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                return work(conn)
        except DatabaseBusy:
            if attempt == attempts - 1:
                raise
            time.sleep(pause * 2 ** attempt)
    raise AssertionError("unreachable")
