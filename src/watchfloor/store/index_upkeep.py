"""Keeping the posts' full-text index and planner statistics up with a bulk import, on a second connection
beside the writes (PostgreSQL).

PostgreSQL adds a GIN index's new entries to a pending list, and merges the list into the index whenever it
outgrows ``gin_pending_list_limit`` (4 MB by default) inside the insert that crossed the limit. A bulk import
spent a quarter of its server time on those merges, in the one backend that also parses and stores its rows.
``IndexUpkeep`` raises the limit for the importing session only, so its inserts just append, and merges the
list with ``gin_clean_pending_list`` on a connection of its own after each batch commits: two backends work at
once. Closing it merges what is left, so the index is whole when the import returns.

The same connection runs ``ANALYZE`` each time the import has doubled the table since the statistics were
taken: a search right after a large import into an empty archive was planned for an empty table (325 ms for a
common word at 1M posts against 14 ms once autovacuum had analysed it, which it does within a minute or so).

Where the merge is refused (a role that does not own the index), nothing changes: the limit stays as it was,
and autovacuum keeps the statistics as it always does.

On SQLite an import's connections get a large page cache and a checkpoint only every 256 MB of the log
(``SqliteImportSettings``): with the defaults (2 MB of cache, a checkpoint every 4 MB) each batch of a
million-post import read its indexes' pages back from the file and copied them to the database again at each
commit; writing that import took 77 s, with these 48 s. Each connection gets its own settings back when it
returns to the pool, and the import checkpoints what is left at its end (without waiting for readers).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["IndexUpkeep", "SqliteImportSettings"]

log = logging.getLogger("watchfloor")

# the importing session's limit in kB: a batch's entries fit many times over; past it the insert merges itself
_DEFERRED_KB = 262_144
_ANALYZE_FROM = 10_000  # new rows before the first ANALYZE (a smaller table is planned well enough as it is)
_SQLITE_IMPORT = {"cache_size": -262_144, "wal_autocheckpoint": 65_536}  # 256 MiB of pages; 256 MiB of log


class SqliteImportSettings:
    """While an import runs, every connection it takes from the engine's pool (the writer's, and the one the
    media bookkeeping commits on, whose commits would otherwise checkpoint the log every 4 MB) gets a large page
    cache and rare checkpoints; each gets its own settings back when it returns to the pool."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._changed = 0  # connections out of the pool with the import's settings
        self._on_checkout, self._on_checkin = self._checkout, self._checkin  # one object each, to remove them
        sa.event.listen(engine, "checkout", self._on_checkout)
        sa.event.listen(engine, "checkin", self._on_checkin)

    def close(self) -> None:
        """No more connections get the settings (those still out get theirs back when they return)."""
        if sa.event.contains(self._engine, "checkout", self._on_checkout):
            sa.event.remove(self._engine, "checkout", self._on_checkout)
        if not self._changed and sa.event.contains(self._engine, "checkin", self._on_checkin):
            sa.event.remove(self._engine, "checkin", self._on_checkin)

    @staticmethod
    def checkpoint(driver: Any) -> None:
        """Copy the log into the database without waiting for readers (the import's last commit is done)."""
        driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _checkout(self, driver: Any, record: Any, proxy: Any) -> None:
        record.info["watchfloor_before_import"] = {
            name: int(driver.execute(f"PRAGMA {name}").fetchone()[0]) for name in _SQLITE_IMPORT}
        for name, value in _SQLITE_IMPORT.items():
            driver.execute(f"PRAGMA {name} = {int(value)}")
        self._changed += 1

    def _checkin(self, driver: Any, record: Any) -> None:
        before = record.info.pop("watchfloor_before_import", None)
        if before is None:
            return
        self._changed -= 1
        if driver is not None:  # None: the connection was invalidated, and is gone
            for name, value in before.items():
                driver.execute(f"PRAGMA {name} = {int(value)}")


class IndexUpkeep:
    """Merges the pending lists of a table's GIN indexes after each batch (``wake``), and analyses the table
    as it doubles, in a thread of its own."""

    def __init__(self, engine: Engine, table: str = "posts") -> None:
        self.active = False
        if engine.dialect.name != "postgresql":
            return
        self._table = table
        self._conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._indexes = [str(name) for name in self._conn.execute(sa.text(
            "SELECT indexrelid::regclass::text FROM pg_index JOIN pg_class c ON c.oid = indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE indrelid = to_regclass(:table) AND am.amname = 'gin'"),
            {"table": table}).scalars()]
        try:
            self._merge()  # proves the role may merge before any session defers to it
        except sa.exc.DBAPIError as exc:
            log.debug("GIN pending lists merged inline: %s", exc)
            self._conn.close()
            return
        self.active = bool(self._indexes)
        if not self.active:
            self._conn.close()
            return
        self._analysed_rows = self._rows()
        self._inserted = 0  # rows the import committed since the statistics were taken
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="watchfloor-index-upkeep", daemon=True)
        self._thread.start()

    def defer(self, conn: Connection) -> None:
        """Let ``conn``'s inserts append to the pending lists without merging them (outside a transaction)."""
        if self.active:
            conn.exec_driver_sql(f"SET gin_pending_list_limit = {_DEFERRED_KB}")
            conn.commit()

    @staticmethod
    def restore(conn: Connection) -> None:
        """Give ``conn`` the server's limit back (before it returns to the pool)."""
        conn.exec_driver_sql("RESET gin_pending_list_limit")
        conn.commit()

    def wake(self, inserted: int) -> None:
        """A batch of ``inserted`` new rows committed: merge their entries, and analyse if the table doubled."""
        if self.active:
            with self._lock:
                self._inserted += inserted
            self._wake.set()

    def close(self) -> None:
        """Stop the thread and merge what is left."""
        if not self.active:
            return
        self.active = False
        self._closing = True
        self._wake.set()
        self._thread.join()
        try:
            self._merge()
        except sa.exc.DBAPIError as exc:  # the rows are stored; the next insert past the limit, or vacuum, merges
            log.warning("the full-text index's new entries are not merged yet: %s", exc)
        finally:
            self._conn.close()

    def _rows(self) -> int:
        """The table's rows as its statistics last counted them (0 when never analysed)."""
        found = self._conn.execute(sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)"),
                                   {"table": self._table}).scalar()
        return max(0, int(found or 0))

    def _merge(self) -> None:
        for name in self._indexes:
            self._conn.execute(sa.text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": name})

    def _analyse_if_doubled(self) -> None:
        with self._lock:
            grown = self._inserted
        if grown < max(self._analysed_rows, _ANALYZE_FROM):
            return
        self._conn.execute(sa.text(f"ANALYZE {self._table}"))
        with self._lock:
            self._inserted -= grown
        self._analysed_rows = self._rows()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            try:
                self._merge()
                self._analyse_if_doubled()
            except sa.exc.DBAPIError as exc:  # the inserts merge past the limit themselves; the close tries again
                log.debug("index upkeep beside the import failed: %s", exc)
