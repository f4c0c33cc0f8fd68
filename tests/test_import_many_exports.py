"""Many small exports in one import share batches: what they store is what importing them one by one stores,
and a bad export among them costs only itself (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import PG_URL, message, write_export
from watchfloor import import_reading, importer, runner
from watchfloor.ingest_media import MediaCounts
from watchfloor.models import ParsedPost
from watchfloor.settings import Settings, load_settings
from watchfloor.sources.telegram_export import ExportChat
from watchfloor.sources.telegram_reader import ChatReader, read_export
from watchfloor.store import importing
from watchfloor.store.tables import import_errors, post_media, post_revisions, posts, sources

T0 = 1716458400  # 2024-05-23T10:00:00Z
TABLES = {  # what an import stores, every column but the times it was stored at
    "sources": sa.select(sources.c.id, sources.c.key, sources.c.channel_id, sources.c.name).order_by(sources.c.id),
    "posts": sa.select(*[c for c in posts.c if c.name not in ("imported_at", "updated_at")]).order_by(posts.c.id),
    "revisions": sa.select(post_revisions.c.id, post_revisions.c.post_id, post_revisions.c.text,
                           post_revisions.c.edited_at).order_by(post_revisions.c.id),
    "media links": sa.select(*[c for c in post_media.c if c.name != "stored_at"])
    .order_by(post_media.c.post_id, post_media.c.position),
    "import errors": sa.select(import_errors.c.id, import_errors.c.file, import_errors.c.message_id,
                               import_errors.c.reason).order_by(import_errors.c.id),
}


def _settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": str(tmp_path / "data"), "media_download": "exports", "media_ocr": "off"},
                         environ={})


def _channel(folder: Path, channel: int, count: int, first: int = 1, edited: bool = False) -> Path:
    """A small channel export: a photo (declared, not included) in every third message, a message the parser
    refuses in the channels whose number ends in 3; ``edited``: the same messages with other words."""
    said = "revised" if edited else "said"
    messages: list[dict[str, Any]] = []
    for i in range(first, first + count):
        extra = {"photo": f"photos/photo_{i}.jpg", "width": 640, "height": 480} if i % 3 == 0 else {}
        messages.append(message(i, f"The ministry {said} talks on crossing {channel}-{i} resume.", T0 + i, **extra))
    if channel % 10 == 3:
        messages.append({"id": "not-a-number", "type": "message", "date_unixtime": str(T0), "text": "x"})
    return write_export(folder, channel, f"Wire {channel}", messages)


def _archive(root: Path) -> list[Path]:
    """Exports of many sizes (none, one, a batch's worth and more), one channel twice with edits, one with a
    refused message, so that batches gather several exports and split some."""
    sizes = [3, 0, 17, 1, 40, 9, 26, 2, 11, 5, 33, 7]
    paths = [_channel(root / f"e{n:02d}", 1900000700 + n, size) for n, size in enumerate(sizes)]
    paths.insert(6, _channel(root / "again", 1900000702, 20, first=5, edited=True))  # edits and adds to e02
    return paths


def _fresh_engine(db_url: str, tmp_path: Path, name: str) -> Engine:
    """A migrated, empty database: another SQLite file, or the test PostgreSQL database emptied again."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
    else:
        assert PG_URL is not None
        engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    return runner.open_store(db_url, migrate=True)


def _stored(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {name: [tuple(row) for row in conn.execute(query)] for name, query in TABLES.items()}


@pytest.mark.parametrize("batch_size", [10, 64, 10_000])
def test_many_exports_at_once_store_what_one_by_one_stores(db_url: str, tmp_path: Path, batch_size: int) -> None:
    """Every row (ids included), the report and the full-text index: the exports imported in one run, whose
    batches gather several channels, against each imported on its own, in the same order."""
    paths = _archive(tmp_path / "archive")
    settings = _settings(tmp_path)
    alone = _fresh_engine(db_url, tmp_path, "alone")
    reports = [importer.import_telegram_export(alone, path, batch_size=batch_size, settings=settings)
               for path in paths]
    expected = _stored(alone)
    rerun = [importer.import_telegram_export(alone, path, batch_size=batch_size, settings=settings) for path in paths]
    expected_after_rerun = _stored(alone)
    alone.dispose()
    together = _fresh_engine(db_url, tmp_path, "together")
    report = importer.import_telegram_exports(together, paths, batch_size=batch_size, settings=settings)
    assert _stored(together) == expected
    assert report.chats == [chat for one in reports for chat in one.chats]
    assert report.errors == [error for one in reports for error in one.errors]
    assert report.media == MediaCounts(unavailable=sum(one.media.unavailable for one in reports))
    counts = report.counts
    assert (counts.inserted, counts.updated, counts.revisions) == (154 + 7, 13, 13)  # the second export of e02
    assert len(expected["import errors"]) == 1
    message_id = [c.name for c in TABLES["posts"].selected_columns].index("message_id")
    assert len(expected["media links"]) == sum(1 for row in expected["posts"] if row[message_id] % 3 == 0)
    if together.dialect.name == "sqlite":
        with together.begin() as conn:
            conn.execute(sa.text("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)"))
    with together.connect() as conn:
        found = conn.execute(sa.text("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'revised'")
                             if together.dialect.name == "sqlite" else
                             sa.text("SELECT count(*) FROM posts WHERE fts_vector @@ plainto_tsquery('simple', "
                                     "'revised')")).scalar_one()
    assert found == 20
    again = importer.import_telegram_exports(together, paths, batch_size=batch_size, settings=settings)
    assert again.chats == [chat for one in rerun for chat in one.chats]
    assert again.counts.inserted == 0 and again.counts.updated == 26  # e02's two versions take turns
    assert _stored(together) == expected_after_rerun  # no link or error twice
    together.dispose()


def test_an_unreadable_export_stops_the_import_after_storing_the_ones_before(store: Engine, tmp_path: Path) -> None:
    good = [_channel(tmp_path / f"g{n}", 1900000720 + n, 4) for n in range(3)]
    broken = tmp_path / "broken" / "result.json"
    broken.parent.mkdir()
    broken.write_text('{"name": "x", "messages": [', encoding="utf-8")
    with pytest.raises(Exception, match="result.json"):
        importer.import_telegram_exports(store, [good[0], good[1], broken, good[2]])
    with store.connect() as conn:
        stored = conn.execute(sa.select(sources.c.channel_id, sa.func.count()).join(posts)
                              .group_by(sources.c.channel_id).order_by(sources.c.channel_id)).all()
    assert [tuple(row) for row in stored] == [(1900000720, 4), (1900000721, 4)]


def test_a_message_the_database_refuses_costs_only_itself_in_a_shared_batch(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the checks off, one channel of a batch of five holds a message the database refuses: the batch
    rolls back, each channel is written again alone, and only that message is lost and recorded."""
    chats: dict[str, list[ExportChat]] = {}
    paths = []
    for n in range(5):
        path = _channel(tmp_path / f"c{n}", 1900000760 + 2 * n, 6)  # no number ending in 3: no parse error
        chats[str(path)] = read_export(path)
        paths.append(path)
    bad = chats[str(paths[2])][0].posts[3]
    bad.message_id = 2**63
    monkeypatch.setattr(import_reading, "open_any_export", lambda path: [ChatReader(c) for c in chats[str(path)]])
    monkeypatch.setattr(importing, "storable_problem", lambda parsed: None)
    report = importer.import_telegram_exports(store, paths)
    assert [chat["inserted"] for chat in report.chats] == [6, 6, 5, 6, 6]
    assert [chat["errors"] for chat in report.chats] == [0, 0, 1, 0, 0]
    assert len(report.errors) == 1 and str(2**63) in report.errors[0]
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one() == 29
        recorded = conn.execute(sa.select(import_errors.c.file, import_errors.c.reason)).all()
    assert len(recorded) == 1 and recorded[0].file == str(paths[2])


def test_a_channel_named_twice_in_one_batch_is_written_in_order(store: Engine, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Two parts of one source never share a transaction: the later export sees the earlier one stored, so
    its edit is an update with the earlier text kept, as when imported one by one."""
    first = ParsedPost(message_id=1, posted_at=datetime.fromtimestamp(T0, UTC), text="First words.", raw={"id": 1})
    later = ParsedPost(message_id=1, posted_at=datetime.fromtimestamp(T0, UTC), text="Later words.",
                       edited_at=datetime.fromtimestamp(T0 + 60, UTC), raw={"id": 1, "edited": True})
    chats = {name: [ExportChat(channel_id=1900000740, name="Wire", chat_type="public_channel", file=name,
                               posts=[post])] for name, post in (("a", first), ("b", later))}
    monkeypatch.setattr(import_reading, "open_any_export", lambda path: [ChatReader(c) for c in chats[str(path)]])
    report = importer.import_telegram_exports(store, [Path("a"), Path("b")])
    assert [(c["inserted"], c["updated"], c["revisions"]) for c in report.chats] == [(1, 0, 0), (0, 1, 1)]
    with store.connect() as conn:
        assert conn.execute(sa.select(posts.c.text)).scalar_one() == "Later words."
        assert conn.execute(sa.select(post_revisions.c.text)).scalar_one() == "First words."


def _photos(folder: Path, photos: dict[int, str]) -> Path:
    """One channel's export of messages 1 to 6, the given ones declaring a photo at the given path."""
    messages = [message(i, f"The council said the session {i} was adjourned.", T0 + i,
                        **({"photo": photos[i], "width": 640, "height": 480} if i in photos else {}))
                for i in range(1, 7)]
    return write_export(folder, 1900000801, "Wire photos", messages)


def _links(engine: Engine) -> list[tuple[int, int, str | None]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(  # type: ignore[misc]
            sa.select(posts.c.message_id, post_media.c.position, post_media.c.origin)
            .join(posts, posts.c.id == post_media.c.post_id).order_by(posts.c.message_id, post_media.c.position))]


def test_a_post_s_media_links_follow_its_latest_export(db_url: str, tmp_path: Path) -> None:
    """A new post's links are written without a look-up (it has none); a post stored before keeps exactly the
    links of its latest export, whether the two exports come in two runs or in one batch."""
    first = _photos(tmp_path / "v1", {3: "photos/a.jpg"})
    second = _photos(tmp_path / "v2", {3: "photos/b.jpg", 4: "photos/c.jpg"})
    settings = _settings(tmp_path)
    latest = [(3, 0, "photos/b.jpg"), (4, 0, "photos/c.jpg")]
    apart = _fresh_engine(db_url, tmp_path, "apart")
    importer.import_telegram_export(apart, first, settings=settings)
    assert _links(apart) == [(3, 0, "photos/a.jpg")]
    importer.import_telegram_export(apart, second, settings=settings)
    assert _links(apart) == latest
    apart.dispose()
    together = _fresh_engine(db_url, tmp_path, "together")
    importer.import_telegram_exports(together, [first, second], settings=settings)
    assert _links(together) == latest
    together.dispose()
