"""Writing imported posts so that one bad message costs only itself.

Every post is first checked against what the database's columns hold (64-bit integers, dates of years 1
to 9999 with a time zone, text without NUL or lone surrogates, column lengths, links and media as JSON);
one that fails is quarantined with the reason. A batch that the database still refuses (a raw payload it
cannot hold, or a limit no check knows) is split in halves until the message at fault stands alone, so
every other message of the batch is stored and the bad one is recorded in ``import_errors``. Errors of
the connection itself (locked, gone) are not a message's fault: they stop the import, and the next run
resumes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from watchfloor.errors import InvalidInput
from watchfloor.models import ParsedPost, Source
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.tables import import_errors, posts, sources

__all__ = ["storable_problem", "write_batch", "write_halving", "BatchOutcome", "record_errors_once", "clean_text",
           "export_source"]

_INT64 = (-(2**63), 2**63 - 1)
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_COLUMNS = ("text", "author", "forwarded_from", "forwarded_from_id", "kind")
# a data fault is the message's; these are the connection's or the server's, and stop the import
_NOT_THE_MESSAGE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.InternalError)


def clean_text(text: str) -> str:
    """Text any database holds: NUL dropped, lone surrogates as U+FFFD."""
    text = text.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_LENGTHS: dict[str, int] = {column: int(getattr(posts.c[column].type, "length", 0)) for column in _TEXT_COLUMNS
                            if getattr(posts.c[column].type, "length", None) is not None}


def _plain_value(value: Any) -> bool:
    return value is None or type(value) is int or (type(value) is str and (value.isascii() or
                                                                         not _SURROGATE.search(value)))


def _plain(item: Any) -> bool:
    """A link or a media record that JSON holds as it is (only text without a lone surrogate, whole numbers
    and nulls), so it needs no trial serialisation."""
    if type(item) is dict:
        return all(_plain_value(value) for value in item.values())
    return _plain_value(item)


def _clean_str(value: Any, longest: int | None = None) -> bool:
    return (type(value) is str and "\x00" not in value and (value.isascii() or not _SURROGATE.search(value))
            and (longest is None or len(value) <= longest))


def _clearly_storable(parsed: ParsedPost) -> bool:
    """The common case in one pass: integers within 64 bits, dates in UTC, clean text within its columns, plain
    links and media. False sends the post through the checks that name the problem."""
    reply_to = parsed.reply_to
    return (type(parsed.message_id) is int and _INT64[0] <= parsed.message_id <= _INT64[1]
            and (reply_to is None or (type(reply_to) is int and _INT64[0] <= reply_to <= _INT64[1]))
            and type(parsed.posted_at) is datetime and parsed.posted_at.tzinfo is UTC
            and (parsed.edited_at is None or (type(parsed.edited_at) is datetime and parsed.edited_at.tzinfo is UTC))
            and _clean_str(parsed.text) and _clean_str(parsed.kind, _LENGTHS.get("kind"))
            and (parsed.author is None or _clean_str(parsed.author))
            and (parsed.forwarded_from is None or _clean_str(parsed.forwarded_from))
            and (parsed.forwarded_from_id is None
                 or _clean_str(parsed.forwarded_from_id, _LENGTHS.get("forwarded_from_id")))
            and type(parsed.links) is list and all(_plain(link) for link in parsed.links)
            and all(_plain(vars(m)) for m in parsed.media))


def storable_problem(parsed: ParsedPost) -> str | None:
    """Why the database would refuse this post (None when it would not)."""
    if _clearly_storable(parsed):
        return None
    for name, number in (("message id", parsed.message_id), ("reply_to", parsed.reply_to)):
        if number is None:
            continue
        if type(number) is not int:  # bool, a subclass of int, is not a message id either
            return f"{name} is not an integer"
        if not _INT64[0] <= number <= _INT64[1]:
            return f"{name} of {len(str(abs(number)))} digits is beyond 64 bits"
    for name, moment in (("date", parsed.posted_at), ("edit date", parsed.edited_at)):
        if moment is None and name == "edit date":
            continue
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            return f"{name} is not a date with a time zone"
        try:
            moment.astimezone(UTC)
        except (OverflowError, ValueError):
            return f"{name} is out of range in UTC"
    for column in _TEXT_COLUMNS:
        value = getattr(parsed, column)
        if value is None and column != "text" and column != "kind":
            continue
        if not isinstance(value, str):
            return f"{column} is not text"
        limit = _LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            return f"{column} of {len(value)} characters is longer than {limit}"
        if "\x00" in value:
            return f"{column} holds a NUL character"
        if not value.isascii() and _SURROGATE.search(value):  # isascii() is a flag read: most text stops there
            return f"{column} holds a lone surrogate (not encodable as UTF-8)"
    # the raw payload is not serialised twice here: what it cannot hold (a surrogate, NaN for PostgreSQL,
    # absurd nesting) fails its hash or its insert, and the halving below isolates the message
    for column, value in (("links", parsed.links), ("media", [vars(m) for m in parsed.media])):
        if type(value) is list and all(_plain(item) for item in value):
            continue
        try:
            json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (ValueError, TypeError, RecursionError) as exc:
            return f"{column} cannot be stored as JSON ({type(exc).__name__}: {str(exc)[:200]})"
    return None


@dataclass
class BatchOutcome:
    """What writing one batch did: the counts, and each message refused with the reason."""

    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    failed: list[tuple[int | None, str]] = field(default_factory=list)


def _fault(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"the database refused it ({type(orig or exc).__name__}: {text[0][:300] if text else ''})"


def write_halving(engine: Engine, source_id: int, batch: Sequence[ParsedPost], outcome: BatchOutcome) -> None:
    """Store checked posts, halving the batch on a data fault until the message at fault stands alone (its
    reason goes to ``outcome.failed``); a fault of the connection itself is raised."""
    if not batch:
        return
    try:
        with engine.begin() as conn:
            counts = post_store.store_parsed(conn, source_id, batch)
    except _NOT_THE_MESSAGE:
        raise
    except (sa.exc.StatementError, ValueError, OverflowError, TypeError, RecursionError) as exc:
        if len(batch) == 1:
            outcome.failed.append((batch[0].message_id, _fault(exc)))
            return
        middle = len(batch) // 2  # halve until the message at fault stands alone: O(k log n) transactions
        write_halving(engine, source_id, batch[:middle], outcome)
        write_halving(engine, source_id, batch[middle:], outcome)
        return
    outcome.counts.add(counts)


def write_batch(engine: Engine, source_id: int, batch: Sequence[ParsedPost], file: str) -> BatchOutcome:
    """Store a batch of one source's posts, each message its own unit of failure: the ones the database
    cannot hold are recorded in ``import_errors`` (once) and every other is stored."""
    outcome = BatchOutcome()
    good: list[ParsedPost] = []
    for parsed in batch:
        problem = storable_problem(parsed)
        if problem is None:
            good.append(parsed)
        else:
            outcome.failed.append((parsed.message_id, problem))
    write_halving(engine, source_id, good, outcome)
    if outcome.failed:
        with engine.begin() as conn:
            record_errors_once(conn, file, outcome.failed)
    return outcome


def _storable_id(message_id: int | None) -> int | None:
    return message_id if isinstance(message_id, int) and _INT64[0] <= message_id <= _INT64[1] else None


def _digits(number: int | None) -> str:
    text = str(number)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"


def record_errors_once(conn: Connection, file: str, failed: Sequence[tuple[int | None, str]]) -> int:
    """Record quarantined messages in ``import_errors``, skipping any already recorded with the same file,
    message id and reason (so a re-run of the same import adds nothing); returns how many were added."""
    file = clean_text(file)[:2000]
    rows = [(_storable_id(message_id), clean_text(reason if _storable_id(message_id) == message_id else
                                                  f"message id {_digits(message_id)}: {reason}")[:2000])
            for message_id, reason in failed]
    known = {(row.message_id, row.reason) for row in conn.execute(
        sa.select(import_errors.c.message_id, import_errors.c.reason).where(import_errors.c.file == file))}
    now = datetime.now(UTC)
    fresh = [{"file": file, "message_id": mid, "reason": reason, "at": now}
             for mid, reason in dict.fromkeys(rows) if (mid, reason) not in known]
    if fresh:
        conn.execute(import_errors.insert(), fresh)
    return len(fresh)


def export_source(conn: Connection, channel_id: int | None, name: str | None,
                  key: str | None = None) -> tuple[int, Source]:
    """The source an exported chat goes to: the one ``key`` names (registered if new), else the channel
    of the export's id, else (an HTML export names no id) the one source already called ``name``."""
    if key is not None:
        wanted = source_store.parse_key(key)
        if channel_id is not None and wanted.channel_id is not None and wanted.channel_id != channel_id:
            raise InvalidInput(f"the export is of channel {channel_id}, not of {key}")
        if wanted.channel_id is not None:
            return source_store.ensure_channel(conn, wanted.channel_id, name)
        row = conn.execute(sa.select(sources).where(sources.c.key == wanted.key)).first()
        if row is None:
            source_store.add_source(conn, Source(key=wanted.key, handle=wanted.handle, name=name))
            row = conn.execute(sa.select(sources).where(sources.c.key == wanted.key)).one()
        return int(row.id), source_store.source_from_row(row)
    if channel_id is not None:
        return source_store.ensure_channel(conn, channel_id, name)
    rows = conn.execute(sa.select(sources).where(sources.c.name == name, sources.c.platform == "telegram")
                        ).all() if name else []
    if len(rows) == 1:
        return int(rows[0].id), source_store.source_from_row(rows[0])
    which = f"no single Telegram source is named {name!r}" if name else "the export names no channel"
    raise InvalidInput(f"an HTML export does not give the channel's id and {which}: pass --source "
                       "telegram:<channel id or handle> to say which channel it is")
