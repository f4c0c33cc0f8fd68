"""The romaniser's index of attested names (``names.sqlite3``, shipped read-only in the arabic-name-romanizer
wheel): how often each word was seen as a given name or surname, and which full names it holds. It is a
data file of a package, not Watchfloor's database (``store/``); this module is the one place that reads it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from watchfloor.errors import NotConfigured

__all__ = ["NameIndex", "open_name_index"]


class NameIndex:
    """Read-only queries on the romaniser's name index."""

    def __init__(self, conn: sqlite3.Connection, full_key: Callable[[str], str]) -> None:
        self.conn = conn
        self.full_key = full_key

    def name_parts(self, roles: tuple[str, ...]) -> list[tuple[str, int]]:
        """(Arabic key, times seen) of every word the index saw in one of the roles ('given', 'surname')."""
        marks = ", ".join("?" for _ in roles)
        rows = self.conn.execute(f"SELECT arabic_key, SUM(count) FROM units WHERE role IN ({marks}) "  # noqa: S608
                                 "GROUP BY arabic_key", roles)
        return [(str(key), int(count)) for key, count in rows]

    def has_full_name(self, text: str) -> bool:
        """Whether the index holds the run of words as an attested full name."""
        row = self.conn.execute("SELECT 1 FROM full_names WHERE arabic_key = ? LIMIT 1",
                                (self.full_key(text),)).fetchone()
        return row is not None


def open_name_index() -> NameIndex:
    """Open the index the installed romaniser ships (NotConfigured, with the fix, when it cannot)."""
    try:
        import arabic_name_romanizer
        from arabic_name_romanizer.normalize import full_key
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise NotConfigured("candidate names need arabic-name-romanizer: pip install arabic-name-romanizer") from exc
    path = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    if not path.exists():
        raise NotConfigured(f"the romaniser's name index is missing at {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return NameIndex(conn, full_key)
