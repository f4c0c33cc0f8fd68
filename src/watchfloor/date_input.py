"""Dates and times typed by people into forms and command options, read the same way by the web app and the
command line (light: only the standard library, so the CLI starts fast)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from watchfloor.errors import InvalidInput

__all__ = ["parse_day", "end_of_day", "parse_moment"]


def parse_day(value: str | None, field: str) -> datetime | None:
    """A YYYY-MM-DD form field as the start of that UTC day."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} must be a date like 2024-05-23 (got {value!r})") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def end_of_day(value: str | None, field: str) -> datetime | None:
    """A YYYY-MM-DD value as the last second of that UTC day (a subscription runs to the end of it)."""
    day = parse_day(value, field)
    return day.replace(hour=23, minute=59, second=59) if day is not None else None


def parse_moment(value: str | None, field: str) -> datetime | None:
    """An ISO 8601 date and time (UTC when it names no zone), or None when empty."""
    if not value or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except ValueError:
        raise InvalidInput(f"{field} must be a date and time like 2024-05-23T09:00 (got {value!r})") from None
    except OverflowError:  # a zone that moves it before year 1 or after 9999
        raise InvalidInput(f"{field} must be a date and time between the years 1 and 9999 in UTC "
                           f"(got {value!r})") from None
