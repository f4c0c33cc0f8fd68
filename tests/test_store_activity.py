"""A source's posts per day are counted by UTC day in the database, whatever the connection's time zone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.store import activity

# the moments around midnight UTC that a local-time or a naive day would put on another day
MOMENTS = [datetime(2024, 5, 21, 23, 59, 30, tzinfo=UTC), datetime(2024, 5, 22, 0, 0, 0, tzinfo=UTC),
           datetime(2024, 5, 22, 0, 30, tzinfo=UTC), datetime(2024, 5, 22, 23, 10, tzinfo=UTC),
           datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2025, 1, 1, 0, 0, 1, tzinfo=UTC),
           datetime(2024, 2, 29, 12, 0, tzinfo=UTC)]


def test_source_timeline_counts_utc_days(store: Engine, tmp_path: Path) -> None:
    messages = [message(i + 1, f"Officials met in Baghdad, bulletin {i}.", int(moment.timestamp()))
                for i, moment in enumerate(MOMENTS)]
    messages.append({**message(99, "", int(MOMENTS[0].timestamp())), "type": "service", "action": "pin_message"})
    runner.import_telegram_export(store, write_export(tmp_path / "x", 1900000777, "Day Wire", messages))
    expected = sorted(Counter(m.date() for m in MOMENTS).items())
    with store.connect() as conn:
        if conn.dialect.name == "postgresql":  # a session far from UTC must not move a post to another day
            conn.execute(sa.text("SET TIME ZONE 'Asia/Tehran'"))
        found = activity.source_timeline(conn, "telegram:1900000777")
        assert activity.source_timeline(conn, "telegram:1") == []
    assert found == expected
    assert all(isinstance(day, date) for day, _ in found)
    assert found[0] == (date(2024, 2, 29), 1) and (date(2024, 5, 22), 3) in found  # service messages not counted
