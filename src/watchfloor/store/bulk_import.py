"""Writing a large import at the speed of the disk: one connection, each message encoded once, the driver's
own bulk path.

A batch (part of one export, or several small exports of distinct channels gathered: each export costs no
transaction of its own) is looked up with one query, and its new messages go in with one raw ``executemany``
(SQLite) or one ``COPY`` (PostgreSQL) inside one transaction. On SQLite the full-text index is filled in
bulk: inside the batch's transaction (which holds the only write lock) the per-row insert trigger is dropped,
the rows are inserted, their index entries are added with one ``INSERT ... SELECT`` and the trigger is put
back, so no other writer ever sees the table without it and a killed import rolls the whole step back.
Messages already stored are compared by content hash; changed ones take the ordinary path
(``posts.store_parsed``: update plus revision). Any fault in a batch sends that
batch's parts through the bulk path again one by one, and a part that fails alone through ``importing``'s
halving path, so one bad message still costs only itself and is recorded once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from watchfloor.models import Media, ParsedPost, encode_raw
from watchfloor.store import importing
from watchfloor.store import posts as post_store
from watchfloor.store.index_upkeep import IndexUpkeep, SqliteImportSettings
from watchfloor.store.schema import UTCDateTime
from watchfloor.store.tables import posts

__all__ = ["BulkWriter", "COLUMNS", "Part", "Prepared", "post_from_row", "prepare"]

log = logging.getLogger("watchfloor")

COLUMNS = ("source_id", "message_id", "kind", "posted_at", "edited_at", "text", "author", "forwarded_from",
           "forwarded_from_id", "reply_to", "links", "media", "raw", "content_hash", "imported_at", "updated_at")
_SQLITE_INSERT = f"INSERT INTO posts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_POSTGRES_COPY = f"COPY posts ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)"  # nothing for either side to escape
_FTS_TRIGGER = "posts_fts_ai"
_LOOKUP_CHUNK = 2000
_TERMS_PER_QUERY = 200  # sources whose stored posts one look-up asks for
Part = tuple[int, Sequence[ParsedPost]]  # a source's row id and some of its posts
_Ready = tuple[int, dict[int, "_Encoded"]]  # a source's row id and its posts prepared, by message id
# below this many new rows the per-row trigger is cheaper than dropping and restoring it
_BULK_INDEX_FROM = 200


def _sqlite_time(moment: datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite DateTime writes (naive UTC, microseconds), so both paths read back alike."""
    if moment is None:
        return None
    if moment.tzinfo is UTC:  # what parsers hand on: the offset's six characters cut, nothing converted
        return moment.isoformat(" ", "microseconds")[:-6]
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False), without a new encoder each call


def _json_list(values: Sequence[Any]) -> str:
    return _JSON.encode(values) if values else "[]"


def _media_json(media: Sequence[Any]) -> str:
    return _JSON.encode([vars(m) for m in media]) if media else "[]"


def _copy_type(column: sa.Column[Any]) -> str:
    """The PostgreSQL type whose binary form a column's values are sent in: JSON goes as its text, which is
    what the server's json input reads in the binary format too."""
    if isinstance(column.type, (sa.DateTime, UTCDateTime)):
        return "timestamptz"
    if isinstance(column.type, sa.BigInteger):
        return "int8"
    return "int4" if isinstance(column.type, sa.Integer) else "text"


_COPY_TYPES = [_copy_type(posts.c[name]) for name in COLUMNS]


class _Encoded:
    """A post encoded once: its content hash, and its row for the dialect's bulk path without the source id
    and the two timestamps of the write. Pickled (to cross from a reading process), it is its row alone: the
    post is rebuilt from the row where a write needs it (an edit, a fault), which few posts do."""

    __slots__ = ("content_hash", "row", "_parsed")

    def __init__(self, content_hash: str, row: tuple[Any, ...], parsed: ParsedPost | None = None) -> None:
        self.content_hash = content_hash
        self.row = row  # empty: it would not encode (a post no check refused): the halving path judges it
        self._parsed = parsed

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Encoded, (self.content_hash, self.row) if self.row else (self.content_hash, self.row, self.parsed))

    @property
    def message_id(self) -> int:
        return int(self.row[0]) if self.row else self.parsed.message_id

    @property
    def parsed(self) -> ParsedPost:
        """The post as parsed (rebuilt from the row if it came from another process)."""
        if self._parsed is None:
            self._parsed = post_from_row(self.row)
        return self._parsed

    def media(self) -> list[Media]:
        """The files the post declares, read off the row where the post is not at hand."""
        return self.parsed.media if self._parsed is not None or not self.row else _media_of(self.row[_MEDIA])


_MEDIA = COLUMNS.index("media") - 1  # a row has no source id


def _media_of(encoded: str) -> list[Media]:
    return [] if encoded == "[]" else [Media(**declared) for declared in json.loads(encoded)]


def _moment(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if isinstance(value, str) else value  # SQLite: naive UTC


def post_from_row(row: Sequence[Any]) -> ParsedPost:
    """The post a bulk-path row was encoded from, as the store sees it (its service action, no column, aside)."""
    (message_id, kind, posted_at, edited_at, text, author, forwarded_from, forwarded_from_id, reply_to, links,
     media, raw, _) = row
    return ParsedPost(message_id=message_id, posted_at=cast(datetime, _moment(posted_at)), text=text, kind=kind,
                      edited_at=_moment(edited_at), author=author, forwarded_from=forwarded_from,
                      forwarded_from_id=forwarded_from_id, reply_to=reply_to, links=json.loads(links),
                      media=_media_of(media), raw=json.loads(raw), raw_json=raw)


def _encode(parsed: ParsedPost, dialect: str) -> _Encoded:
    p = parsed
    raw = p.raw_json if p.raw_json is not None else encode_raw(p.raw)
    content_hash = hashlib.sha256(raw.encode()).hexdigest()
    if dialect == "sqlite":
        times: tuple[Any, Any] = (_sqlite_time(p.posted_at), None if p.edited_at is None else _sqlite_time(p.edited_at))
    else:
        times = (_utc(p.posted_at), _utc(p.edited_at))
    row = (p.message_id, p.kind, *times, p.text, p.author, p.forwarded_from, p.forwarded_from_id, p.reply_to,
           _json_list(p.links), _media_json(p.media), raw, content_hash)
    return _Encoded(content_hash, row, parsed)


@dataclass
class Prepared:
    """A part's posts made ready for the bulk path, without a connection (so in another thread than the one
    writing): those the database would refuse set aside with the reason, the rest one per id (the last
    occurrence wins, as ``store_parsed`` does) and each encoded once."""

    goods: dict[int, _Encoded]
    failed: list[tuple[int, str]]


def prepare(batch: Sequence[ParsedPost], dialect: str) -> Prepared:
    """``batch`` ready for the bulk path of ``dialect``."""
    goods: dict[int, _Encoded] = {}
    failed: list[tuple[int, str]] = []
    for parsed in batch:
        problem = importing.storable_problem(parsed)
        if problem is None:
            try:
                goods[parsed.message_id] = _encode(parsed, dialect)
            except Exception:  # noqa: BLE001 - whatever it was, the bulk write of its batch falls back
                goods[parsed.message_id] = _Encoded("", (), parsed)
        else:
            failed.append((parsed.message_id, problem))
    return Prepared(goods, failed)


class BulkWriter:
    """Writes one import's batches over a single connection (use as a context manager)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._upkeep = IndexUpkeep(engine)  # PostgreSQL: the index merged, the table analysed, beside the writes
        self._settings = SqliteImportSettings(engine) if self.dialect == "sqlite" else None
        self.conn: Connection = self._connect()
        self.fell_back = 0  # batches that took the halving path (a fault, or a dialect without a bulk path)
        self._empty: set[int] = set()  # sources of this write holding no post yet
        # (source id, message id) of the posts the last ``write_many`` inserted by the bulk path: they have no
        # media links yet, so the importer's media bookkeeping need not look theirs up nor delete them
        self.inserted: set[tuple[int, int]] = set()

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _connect(self) -> Connection:
        conn = self.engine.connect()
        self._upkeep.defer(conn)
        return conn

    def close(self) -> None:
        """Merge what the full-text index deferred, and release the connection with its settings restored."""
        deferred = self._upkeep.active
        try:
            self._upkeep.close()
            if self.conn.invalidated:
                return
            if self.conn.in_transaction():
                self.conn.rollback()
            if deferred:
                IndexUpkeep.restore(self.conn)
            if self._settings is not None:
                self._settings.checkpoint(self.conn.connection.driver_connection)
        finally:
            self.conn.close()
            if self._settings is not None:
                self._settings.close()

    def write(self, source_id: int, batch: Sequence[ParsedPost], file: str) -> importing.BatchOutcome:
        """Store a batch of one source's posts as ``importing.write_batch`` does (same counts, same
        quarantine), by the bulk path."""
        [outcome] = self.write_many([(source_id, batch)])
        if outcome.failed:
            with self.conn.begin():
                importing.record_errors_once(self.conn, file, outcome.failed)
        return outcome

    def write_many(self, parts: Sequence[Part], empty: Collection[int] = ()) -> list[importing.BatchOutcome]:
        """Store several sources' posts (small exports gathered into one batch) in one transaction, with the
        outcome of each part; a source that comes back starts a new transaction, so every part sees the
        parts before it stored, as if written one by one. ``empty``: sources known to hold no post yet (just
        created), whose stored posts need no look-up. Refused messages are in the outcomes, not recorded:
        the caller records them with the file they came from."""
        return self.write_prepared([(source_id, prepare(batch, self.dialect)) for source_id, batch in parts], empty)

    def write_prepared(self, parts: Sequence[tuple[int, Prepared]], empty: Collection[int] = ()
                       ) -> list[importing.BatchOutcome]:
        """``write_many`` of parts already prepared (``prepare`` with this writer's ``dialect``)."""
        self._empty = set(empty)
        self.inserted = set()
        outcomes = [importing.BatchOutcome(failed=list(prepared.failed)) for _, prepared in parts]
        goods = [(source_id, prepared.goods) for source_id, prepared in parts]
        group: list[int] = []
        in_group: set[int] = set()
        for index, (source_id, _) in enumerate(goods):
            if source_id in in_group:
                self._write_group(goods, outcomes, group)
                group, in_group = [], set()
            group.append(index)
            in_group.add(source_id)
        self._write_group(goods, outcomes, group)
        return outcomes

    def _write_group(self, goods: Sequence[_Ready], outcomes: Sequence[importing.BatchOutcome],
                     group: Sequence[int]) -> None:
        """Parts of distinct sources by the bulk path in one transaction; on a fault, each part again alone,
        and a part that fails alone takes the halving path."""
        group = [index for index in group if goods[index][1]]
        if not group:
            return
        try:
            if self.dialect not in ("sqlite", "postgresql"):
                raise NotImplementedError(f"no bulk path for {self.dialect}")
            for index, counts in zip(group, self._write_bulk([goods[i] for i in group]), strict=True):
                outcomes[index].counts.add(counts)
            return
        except Exception as exc:  # noqa: BLE001 - whatever it was, the halving path judges each message
            log.debug("bulk write of %d posts fell back: %r", sum(len(goods[i][1]) for i in group), exc)
            self._recover()
            if len(group) > 1:
                for index in group:
                    self._write_group(goods, outcomes, [index])
                return
        finally:
            self._empty.difference_update(goods[i][0] for i in group)
        self.fell_back += 1
        source_id, good = goods[group[0]]
        importing.write_halving(self.engine, source_id, [e.parsed for e in good.values()], outcomes[group[0]])

    def post_ids(self, wanted: Sequence[tuple[int, Sequence[int]]]) -> dict[tuple[int, int], int]:
        """The stored post id of each (source id, message id) asked for (those stored)."""
        with self.conn.begin():  # a read of its own, so the next batch's transaction begins afresh
            return {key: int(value) for key, value in self._lookup(posts.c.id, wanted).items()}

    def _recover(self) -> None:
        """After a fault: make sure no transaction is left open, and replace a connection that broke."""
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
            if self.conn.invalidated:
                raise sa.exc.InvalidRequestError("connection invalidated")
        except Exception:  # noqa: BLE001 - a broken connection is replaced; the halving path reports the cause
            self.conn.close()
            self.conn = self._connect()

    def _lookup(self, column: sa.Column[Any], wanted: Sequence[tuple[int, Sequence[int]]]
                ) -> dict[tuple[int, int], Any]:
        """``column`` of each stored (source id, message id) asked for: an export's ids are dense, so each
        source is one range scan of the unique index (rows not asked for are dropped); ids sparse over a long
        range are asked for by list. Many sources share
        one query (their conditions joined by OR)."""
        terms: list[sa.ColumnElement[bool]] = []
        for source_id, message_ids in wanted:
            if not message_ids:
                continue
            low, high = min(message_ids), max(message_ids)
            if high - low < max(4 * len(message_ids), _LOOKUP_CHUNK):  # a short range costs less than a list
                terms.append(sa.and_(posts.c.source_id == source_id, posts.c.message_id.between(low, high)))
                continue
            ids = list(message_ids)
            terms += [sa.and_(posts.c.source_id == source_id, posts.c.message_id.in_(ids[at:at + _LOOKUP_CHUNK]))
                      for at in range(0, len(ids), _LOOKUP_CHUNK)]
        asked = {(source_id, message_id) for source_id, message_ids in wanted for message_id in message_ids}
        found: dict[tuple[int, int], Any] = {}
        for at in range(0, len(terms), _TERMS_PER_QUERY):
            rows = self.conn.execute(sa.select(posts.c.source_id, posts.c.message_id, column)
                                     .where(sa.or_(*terms[at:at + _TERMS_PER_QUERY])))
            for source_id, message_id, value in rows:
                if (source_id, message_id) in asked:
                    found[(int(source_id), int(message_id))] = value
        return found

    def _write_bulk(self, wanted: Sequence[_Ready]) -> list[post_store.StoreCounts]:
        """Parts of distinct sources in one transaction: one look-up of what is stored, one insert of what is
        new, the ordinary path for what changed."""
        if any(not encoded.row for _, by_id in wanted for encoded in by_id.values()):
            raise ValueError("a message cannot be encoded for the bulk path")
        driver: Any = self.conn.connection.driver_connection
        all_counts = [post_store.StoreCounts() for _ in wanted]
        with self.conn.begin():
            if self.dialect == "sqlite":
                driver.execute("BEGIN IMMEDIATE")  # the write lock first: the lookup and the insert are one step
            existing = self._lookup(posts.c.content_hash, [(source_id, list(by_id)) for source_id, by_id in wanted
                                                           if source_id not in self._empty])
            fresh: list[tuple[int, _Encoded]] = []
            changed: list[tuple[int, list[ParsedPost]]] = []
            for (source_id, by_id), counts in zip(wanted, all_counts, strict=True):
                changed.append((source_id, []))
                if source_id in self._empty:
                    fresh += ((source_id, encoded) for encoded in by_id.values())
                    counts.inserted += len(by_id)
                    continue
                for message_id, encoded in by_id.items():
                    stored_hash = existing.get((source_id, message_id))
                    if stored_hash is None:
                        fresh.append((source_id, encoded))
                        counts.inserted += 1
                    elif stored_hash == encoded.content_hash:
                        counts.unchanged += 1
                    else:
                        changed[-1][1].append(encoded.parsed)
            now = datetime.now(UTC)
            if fresh:
                if self.dialect == "sqlite":
                    self._insert_sqlite(driver, fresh, now)
                else:
                    self._copy_postgres(driver, fresh, now)
            for (source_id, edited), counts in zip(changed, all_counts, strict=True):
                if edited:
                    counts.add(post_store.store_parsed(self.conn, source_id, edited))
        self.inserted.update((source_id, e.message_id) for source_id, e in fresh)  # the transaction is committed
        if fresh:
            self._upkeep.wake(len(fresh))
        return all_counts

    @staticmethod
    def _insert_sqlite(driver: Any, fresh: Sequence[tuple[int, _Encoded]], now: datetime) -> None:
        stamp = _sqlite_time(now)
        rows = [(source_id, *encoded.row, stamp, stamp) for source_id, encoded in fresh]
        cursor = driver.cursor()
        try:
            trigger = cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                     (_FTS_TRIGGER,)).fetchone()
            if trigger is None or len(rows) < _BULK_INDEX_FROM:
                cursor.executemany(_SQLITE_INSERT, rows)
                return
            last = cursor.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()[0]
            cursor.execute(f"DROP TRIGGER {_FTS_TRIGGER}")
            cursor.executemany(_SQLITE_INSERT, rows)
            # new rows take ids above the largest before them (INTEGER PRIMARY KEY, this transaction the only writer)
            cursor.execute("INSERT INTO posts_fts(rowid, text, text_en) SELECT id, text, coalesce(text_en, '') "
                           "FROM posts WHERE id > ?", (last,))
            cursor.execute(trigger[0])
        finally:
            cursor.close()

    @staticmethod
    def _copy_postgres(driver: Any, fresh: Sequence[tuple[int, _Encoded]], now: datetime) -> None:
        with driver.cursor() as cursor, cursor.copy(_POSTGRES_COPY) as copy:
            copy.set_types(_COPY_TYPES)
            for source_id, encoded in fresh:
                copy.write_row((source_id, *encoded.row, now, now))
