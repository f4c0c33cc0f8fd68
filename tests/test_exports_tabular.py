"""CSV and JSON Lines exports of posts, stories, entities and sources: the fields of the --json shapes,
one record per row or line, hostile text defused for spreadsheets, multi-line and right-to-left text
intact, tables read in batches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, message, write_export
from watchfloor import registry, runner
from watchfloor.errors import InvalidInput
from watchfloor.exports.tabular import FIELDS, csv_cell, jsonl_line
from watchfloor.settings import load_settings
from watchfloor.store import db
from watchfloor.store import exports as export_store

T0 = 1716458400  # 2024-05-23T10:00:00Z
HOSTILE = '=HYPERLINK("http://example.invalid/x","Read the statement")'
MULTILINE_RTL = "بيان صادر عن المكتب الإعلامي\nنُشر يوم الخميس في بغداد"
BREAKS = "Line one\u2028line two\u2029line three\x85end"


def _load(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("sources", "add", "telegram:1900000501", "--name", "Sample Wire", "--affiliation", "=cmd|' /C calc'!A0",
        "--lang", "en", "--tag", "sample")
    write_export(tmp_path / "wire", 1900000501, "Sample Wire", [
        message(1, HOSTILE, T0),
        message(2, MULTILINE_RTL, T0 + 60),
        message(3, "+44 20 7946 0000 was given as the press office number.", T0 + 120),
        message(4, "@sample_wire reported the meeting in Beirut on Thursday.", T0 + 180),
        message(5, "-5 degrees were recorded in Tehran overnight.", T0 + 240),
        message(6, BREAKS, T0 + 300),
        message(7, "\tTabbed statement issued in Baghdad.", T0 + 360),
    ])
    cli("import", "telegram-export", str(tmp_path / "wire"))
    cli("process")


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _count(db_url: str, table: str) -> int:
    engine = db.connect(db_url, pooled=False)
    with engine.connect() as conn:
        count = int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    engine.dispose()
    return count


def test_csv_of_posts_defuses_formulas_and_keeps_text_intact(cli: Cli, tmp_path: Path) -> None:
    _load(cli, tmp_path)
    rows = _csv(cli("export", "csv", "posts").stdout)
    header, body = rows[0], rows[1:]
    assert tuple(header) == FIELDS["posts"] and len(body) == 7
    by_id = {int(row[header.index("message_id")]): dict(zip(header, row, strict=True)) for row in body}
    assert by_id[1]["text"] == "'" + HOSTILE
    assert by_id[3]["text"].startswith("'+44") and by_id[4]["text"].startswith("'@sample_wire")
    assert by_id[5]["text"].startswith("'-5") and by_id[7]["text"].startswith("'\tTabbed")
    assert by_id[2]["text"] == MULTILINE_RTL  # newline and Arabic script survive quoting
    assert by_id[6]["text"] == BREAKS
    assert by_id[2]["lang"] == "ar" and by_id[2]["posted_at"] == "2024-05-23T10:01:00Z"
    assert by_id[2]["url"] == "https://t.me/c/1900000501/2"
    beirut = json.loads(by_id[4]["entities"])
    assert {"id": "place:beirut", "name": "Beirut", "type": "place"} in beirut
    assert all(row["text"] == "" or not row["text"].startswith(("=", "+", "-", "@", "\t")) for row in by_id.values())
    sources = _csv(cli("export", "csv", "sources").stdout)
    assert tuple(sources[0]) == FIELDS["sources"]
    assert sources[1][sources[0].index("affiliation")] == "'=cmd|' /C calc'!A0"
    assert sources[1][sources[0].index("posts")] == "7"


def test_jsonl_of_every_kind_matches_the_json_shapes_and_table_counts(cli: Cli, tmp_path: Path, db_url: str) -> None:
    _load(cli, tmp_path)
    exported: dict[str, list[dict[str, Any]]] = {}
    for kind, table in (("posts", "posts"), ("stories", "stories"), ("entities", "entities"), ("sources", "sources")):
        text = cli("export", "jsonl", kind).stdout
        lines = text.splitlines()  # splits on U+2028 and friends too: they must be escaped
        exported[kind] = [json.loads(line) for line in lines]
        assert len(lines) == _count(db_url, table) > 0, kind
        assert all(tuple(record) == FIELDS[kind] for record in exported[kind]), kind
    assert exported["sources"] == cli.json("sources", "list")
    listed_stories = sorted(cli.json("stories", "list", "--limit", "1000"), key=lambda s: s["id"])
    assert exported["stories"] == listed_stories
    listed_posts = {(p["source"], p["message_id"]): p for p in cli.json("posts", "list", "--limit", "1000")}
    assert {(p["source"], p["message_id"]): p for p in exported["posts"]} == listed_posts
    assert next(p for p in exported["posts"] if p["message_id"] == 6)["text"] == BREAKS
    qaani = next(e for e in exported["entities"] if e["id"] == "person:esmail-qaani")
    assert qaani == cli.json("kb", "show", "person:esmail-qaani") | {"mentions": 0}


def test_out_file_and_unknown_kind(cli: Cli, tmp_path: Path) -> None:
    _load(cli, tmp_path)
    target = tmp_path / "posts.csv"
    result = cli("export", "csv", "posts", "--out", str(target))
    assert "7 posts written to" in result.stdout
    with target.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 8
    assert target.read_bytes().count(b"\r\n") >= 8  # RFC 4180 line ends
    result = cli("export", "jsonl", "messages", ok=False)
    assert result.exit_code == 1 and "posts, stories, entities, sources" in " ".join(result.output.split())
    result = cli("export", "csv", "users", "--out", str(tmp_path / "users.csv"), ok=False)
    assert result.exit_code == 1 and not (tmp_path / "users.csv").exists()


def test_tables_are_read_in_batches(store: Engine, tmp_path: Path) -> None:
    write_export(tmp_path / "x", 1900000601, "Sample Wire", [
        message(i, f"Statement number {i} was issued in Baghdad.", T0 + i * 60) for i in range(1, 8)])
    runner.import_telegram_export(store, tmp_path / "x")
    runner.process(store, load_settings())
    with store.connect() as conn:
        batches = list(export_store.iter_posts(conn, batch=3))
        entity_batches = list(export_store.iter_entities(conn, batch=200))
        total_entities = export_store.table_count(conn, "entities")
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [p.message_id for b in batches for p in b] == list(range(1, 8))
    assert all(p.mentions for b in batches for p in b)  # loaded with their mentions
    assert len(entity_batches) > 1 and sum(len(b) for b in entity_batches) == total_entities
    ids = [e.id for b in entity_batches for e, _ in b]
    assert len(set(ids)) == len(ids)  # each once (the order is the database's collation, not Python's)
    baghdad = next(n for b in entity_batches for e, n in b if e.id == "place:baghdad")
    assert baghdad == 7


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), (" =1", " =1"), (-1, -1), (None, ""), (True, "true"), (["=a"], '["=a"]'),
    ({"k": "v"}, '{"k":"v"}'),
])
def test_csv_cells(value: Any, cell: Any) -> None:
    assert csv_cell(value) == cell


def test_jsonl_line_is_one_line() -> None:
    line = jsonl_line({"text": BREAKS + "\nnext"})
    assert line.endswith("\n") and len(line.splitlines()) == 1
    assert json.loads(line) == {"text": BREAKS + "\nnext"}


def test_every_registered_exporter_refuses_an_unknown_subject_and_counts_what_it_writes(
        store: Engine, tmp_path: Path) -> None:
    write_export(tmp_path / "x", 1900000601, "Sample Wire", [
        message(1, "Statement issued in Baghdad on Thursday.", T0),
        message(2, "A second statement was issued in Baghdad.", T0 + 60)])
    runner.import_telegram_export(store, tmp_path / "x")
    runner.process(store, load_settings())
    with store.connect() as conn:
        story_id = conn.execute(sa.text("SELECT min(id) FROM stories")).scalar_one()
        examples = {"stix": f"story:{story_id}", "csv": "posts", "jsonl": "posts"}
        for name in registry.available("exporters"):
            exporter = registry.resolve("exporters", name)
            with pytest.raises(InvalidInput):
                exporter(conn, "no-such-subject", io.StringIO())
            if name not in examples:
                continue
            written = io.StringIO()
            count = exporter(conn, examples[name], written)
            text = written.getvalue()
            if name == "stix":
                assert count == len(json.loads(text)["objects"]) > 0
            elif name == "csv":
                assert count == len(_csv(text)) - 1 == 2
            else:
                assert count == len(text.splitlines()) == 2
