"""The shared parts of the schema: one MetaData (with its naming convention) and the UTC datetime type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = ["metadata", "UTCDateTime", "utc_day", "as_date"]

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_day(dialect: str, column: Any) -> Any:
    """A SQL expression for the UTC day of a ``UTCDateTime`` column, to GROUP BY (PostgreSQL: a date; SQLite,
    which stores them naive in UTC: the ISO text ``YYYY-MM-DD``)."""
    if dialect == "postgresql":
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.substr(column, 1, 10)


def as_date(value: Any) -> date:
    """A value of ``utc_day`` read back as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
