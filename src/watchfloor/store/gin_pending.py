"""Merging the posts' full-text index on a second connection while a bulk import writes (PostgreSQL).

PostgreSQL adds a GIN index's new entries to a pending list, and merges the list into the index whenever it
outgrows ``gin_pending_list_limit`` (4 MB by default) inside the insert that crossed the limit. A bulk import
spent a quarter of its server time on those merges, in the one backend that also parses and stores its rows.
``PendingMerger`` raises the limit for the importing session only, so its inserts just append, and merges the
list with ``gin_clean_pending_list`` on a connection of its own after each batch commits: two backends work at
once. Closing it merges what is left, so the index is whole when the import returns. Where the merge is refused
(a role that does not own the index), nothing changes: the limit stays as it was.
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["PendingMerger"]

log = logging.getLogger("watchfloor")

# the importing session's limit in kB: a batch's entries fit many times over; past it the insert merges itself
_DEFERRED_KB = 262_144


class PendingMerger:
    """Merges the pending lists of a table's GIN indexes after each batch (``wake``), in a thread of its own."""

    def __init__(self, engine: Engine, table: str = "posts") -> None:
        self.active = False
        if engine.dialect.name != "postgresql":
            return
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
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="watchfloor-gin-merge", daemon=True)
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

    def wake(self) -> None:
        """A batch committed: merge its entries."""
        if self.active:
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

    def _merge(self) -> None:
        for name in self._indexes:
            self._conn.execute(sa.text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": name})

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            try:
                self._merge()
            except sa.exc.DBAPIError as exc:  # the inserts merge past the limit themselves; the close tries again
                log.debug("merging a GIN pending list failed: %s", exc)
