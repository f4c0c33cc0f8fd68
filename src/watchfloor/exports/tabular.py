"""CSV and JSON Lines of posts, stories, entities and sources, streamed a batch at a time, with the
fields of the `--json` shapes (docs/cli.md). Post text is adversarial: CSV cells that a spreadsheet
would run as a formula are defused, and JSON Lines never breaks a record across lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from watchfloor.errors import InvalidInput
from watchfloor.shapes import entity_json, post_json, source_json, story_summary_json
from watchfloor.store import exports as export_store
from watchfloor.store import kb as kb_store
from watchfloor.store.base import Connection

__all__ = ["KINDS", "FIELDS", "records", "csv_cell", "write_csv", "write_jsonl", "jsonl_line",
           "export_csv", "export_jsonl"]

KINDS = ("posts", "stories", "entities", "sources")

# The column order of each kind: the keys of its JSON shape, in the order the shape gives them.
FIELDS: dict[str, tuple[str, ...]] = {
    "posts": ("source", "source_name", "message_id", "posted_at", "edited_at", "kind", "lang", "text", "text_en",
              "translation", "entities", "quotes", "dates", "indicators", "forwarded_from", "reply_to", "story_id",
              "url", "deleted_at"),
    "stories": ("id", "title", "first_seen", "last_seen", "sources", "post_count"),
    "entities": ("id", "type", "name", "status", "description", "aliases", "attrs", "mentions"),
    "sources": ("key", "platform", "handle", "channel_id", "name", "affiliation", "lang", "tags", "collector",
                "cursor", "state", "interval_minutes", "next_collect_at", "posts"),
}

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Line breaks that JSON leaves unescaped but str.splitlines() and some JavaScript readers split on.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")


def records(conn: Connection, kind: str) -> Iterator[dict[str, Any]]:
    """Every record of a kind in its JSON shape, read a batch at a time."""
    _check(kind)
    if kind == "posts":
        for batch in export_store.iter_posts(conn):
            named = kb_store.entities_by_id(conn, {m.entity_id for p in batch for m in p.mentions})
            yield from (post_json(p, named) for p in batch)
    elif kind == "stories":
        for stories in export_store.iter_stories(conn):
            yield from (story_summary_json(s.id, s.title, s.first_seen, s.last_seen, s.sources, s.post_count)
                        for s in stories)
    elif kind == "entities":
        for entries in export_store.iter_entities(conn):
            yield from (entity_json(e, n) for e, n in entries)
    else:
        for found in export_store.iter_sources(conn):
            yield from (source_json(s, n) for s, n in found)


def csv_cell(value: Any) -> str | int | float:
    """One CSV cell: text that would start a formula gets a leading apostrophe; lists and objects become
    compact JSON; null is empty; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_csv(rows: Iterable[dict[str, Any]], fields: tuple[str, ...], out: TextIO) -> int:
    """Write a header and one row per record (RFC 4180 quoting, CRLF line ends); returns the rows written."""
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(fields)
    written = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in fields])
        written += 1
    return written


def jsonl_line(record: dict[str, Any]) -> str:
    """One record as one line of JSON (UTF-8 as is, but every character that some reader splits on escaped)."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _LINE_BREAKS.items():
        line = line.replace(char, escaped)  # these only occur inside JSON strings, where the escape is equal
    return line + "\n"


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object per line; returns the lines written."""
    written = 0
    for row in rows:
        out.write(jsonl_line(row))
        written += 1
    return written


def export_csv(conn: Connection, subject: str, out: TextIO, **options: Any) -> int:
    """Exporter `csv`: every record of a kind (posts, stories, entities, sources) as CSV."""
    _check(subject)
    return write_csv(records(conn, subject), FIELDS[subject], out)


def export_jsonl(conn: Connection, subject: str, out: TextIO, **options: Any) -> int:
    """Exporter `jsonl`: every record of a kind (posts, stories, entities, sources) as JSON Lines."""
    _check(subject)
    return write_jsonl(records(conn, subject), out)
