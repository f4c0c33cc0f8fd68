"""Media from Telegram Desktop exports: archived by content, hostile files rejected without harm, paths kept
inside the export, OCR text found by post search, re-posts found by PDQ distance (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, message, write_export
from media_images import (
    KEY_WORD,
    encode,
    html_page,
    need_tesseract,
    news_graphic,
    png_bomb,
    repost_copy,
    truncated_jpeg,
    unrelated_image,
    zip_archive,
)
from watchfloor import runner
from watchfloor.media.store import MediaArchive
from watchfloor.settings import Settings, load_settings
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import search as search_store
from watchfloor.store.tables import media, post_media


def _settings(tmp_path: Path, **extra: str) -> Settings:
    return load_settings({"data_dir": str(tmp_path / "data"), **extra}, environ={})


def _photo(message_id: int, text: str, path: str, unixtime: int = 1716458400) -> dict[str, Any]:
    return message(message_id, text, unixtime + message_id, photo=path, width=880, height=760)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data" / "media").rglob("*") if p.is_file())


def _rows(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {row.sha256: row for row in conn.execute(sa.select(media))}


def _links(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(post_media).order_by(post_media.c.post_id, post_media.c.position)))


def test_hostile_files_are_rejected_and_earlier_media_are_untouched(store: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path, media_ocr="off")
    first = tmp_path / "first"
    (first / "photos").mkdir(parents=True)
    (first / "photos" / "talks.jpg").write_bytes(encode(news_graphic(), "JPEG", quality=90))
    write_export(first, 1800000001, "Gulf Wire", [_photo(1, "Foreign ministers met on Thursday.", "photos/talks.jpg")])
    runner.import_telegram_export(store, first, settings=settings)
    [good] = _files(tmp_path)
    before = good.read_bytes()
    assert good.name == _rows(store)[good.name].sha256 and _rows(store)[good.name].status == "ok"
    assert not os.access(good, os.W_OK) or os.geteuid() == 0  # archived read-only
    assert good.stat().st_mode & 0o222 == 0 and good.stat().st_mode & 0o111 == 0

    second = tmp_path / "second"
    (second / "photos").mkdir(parents=True)
    (second / "files").mkdir()
    (second / "photos" / "bomb.png").write_bytes(png_bomb())
    (second / "photos" / "cut.jpg").write_bytes(truncated_jpeg())
    (second / "photos" / "photo.jpg").write_bytes(html_page())
    (second / "files" / "image.png").write_bytes(zip_archive())
    (tmp_path / "outside.jpg").write_bytes(encode(unrelated_image()))
    (second / "photos" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    report = runner.import_telegram_export(store, write_export(second, 1800000001, "Gulf Wire", [
        _photo(2, "A statement on the talks.", "photos/bomb.png"),
        _photo(3, "Delegations arrived.", "photos/cut.jpg"),
        _photo(4, "The venue.", "photos/photo.jpg"),
        message(5, "The communique.", 1716458405, file="files/image.png", file_name="image.png",
                mime_type="image/png"),
        _photo(6, "Archive picture.", "../outside.jpg"),
        _photo(7, "Archive picture.", "/etc/hostname"),
        _photo(8, "Archive picture.", "photos/link.jpg"),
    ]), settings=settings)

    assert report.counts.inserted == 7 and report.media.rejected == 4 and report.media.unavailable == 3
    rows = _rows(store)
    rejected = {row.reason for row in rows.values() if row.status == "rejected"}
    assert len(rejected) == 4
    assert any("decompression bomb" in r for r in rejected)
    assert any("truncated" in r for r in rejected)
    assert any("text/html" in r for r in rejected)
    assert any("application/zip" in r for r in rejected)
    assert _files(tmp_path) == [good] and good.read_bytes() == before  # nothing hostile written, the photo intact
    assert rows[good.name].status == "ok" and rows[good.name].width == 880
    notes = {link.origin: link.note for link in _links(store)}
    assert "climbs out" in notes["../outside.jpg"] and "absolute" in notes["/etc/hostname"]
    assert "outside the export" in notes["photos/link.jpg"]
    with store.connect() as conn:  # every post is stored, whatever its media were
        assert len(post_store.list_posts(conn, limit=20)) == 8


def test_the_same_file_is_stored_once(store: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path, media_ocr="off")
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    data = encode(news_graphic(), "JPEG", quality=88)
    (folder / "photos" / "a.jpg").write_bytes(data)
    (folder / "photos" / "b.jpg").write_bytes(data)  # the same photo posted twice
    path = write_export(folder, 1800000002, "Levant Desk", [_photo(1, "Talks opened.", "photos/a.jpg"),
                                                             _photo(2, "Talks opened (repeat).", "photos/b.jpg")])
    first = runner.import_telegram_export(store, path, settings=settings)
    again = runner.import_telegram_export(store, path, settings=settings)
    assert (first.media.archived, first.media.known) == (1, 1)
    assert (again.media.archived, again.media.known) == (0, 2)
    assert len(_files(tmp_path)) == 1 and len(_rows(store)) == 1
    links = _links(store)
    assert len(links) == 2 and links[0].sha256 == links[1].sha256 == next(iter(_rows(store)))
    assert MediaArchive(tmp_path / "data" / "media").read(links[0].sha256) == data


def test_media_download_off_stores_posts_without_media(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "a.jpg").write_bytes(encode(news_graphic()))
    path = write_export(folder, 1800000003, "Wire", [_photo(1, "Talks opened.", "photos/a.jpg")])
    report = runner.import_telegram_export(store, path, settings=_settings(tmp_path, media_download="web"))
    assert report.counts.inserted == 1 and _links(store) == [] and not (tmp_path / "data" / "media").exists()


def test_search_finds_a_post_by_a_word_only_in_its_image(store: Engine, tmp_path: Path) -> None:
    need_tesseract()
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "card.png").write_bytes(encode(news_graphic(), "PNG"))
    (folder / "photos" / "other.png").write_bytes(encode(unrelated_image(), "PNG"))
    path = write_export(folder, 1800000004, "Gulf Wire", [
        _photo(1, "Photograph from the meeting.", "photos/card.png"),
        _photo(2, "Photograph from the harbour.", "photos/other.png"),
        message(3, "Ministers are expected in Doha on Thursday.", 1716458403)])
    runner.import_telegram_export(store, path, settings=_settings(tmp_path))
    with store.connect() as conn:
        found = search_store.search_posts(conn, KEY_WORD)
        assert [p.message_id for p in found] == [1]
        assert [p.message_id for p in search_store.search_posts(conn, "Doha")] == [3]  # text search unchanged
        assert search_store.search_posts(conn, "submarine") == []
        [card] = [f for f in media_store.list_files(conn) if f.ocr_text and KEY_WORD in f.ocr_text]
        assert card.ocr_langs is not None and "ara" in card.ocr_langs


def test_similar_lists_reposts_across_channels(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WATCHFLOOR_MEDIA_OCR", "off")
    cli("init")
    original = tmp_path / "gulf"
    (original / "photos").mkdir(parents=True)
    (original / "photos" / "talks.jpg").write_bytes(encode(news_graphic(), "JPEG", quality=92))
    (original / "photos" / "harbour.jpg").write_bytes(encode(unrelated_image(), "JPEG", quality=92))
    cli("import", "telegram-export", str(write_export(original, 1800000005, "Gulf Wire", [
        _photo(10, "Foreign ministers met in the capital.", "photos/talks.jpg"),
        _photo(11, "The harbour at dawn.", "photos/harbour.jpg")])))
    repost = tmp_path / "levant"
    (repost / "photos").mkdir(parents=True)
    (repost / "photos" / "copy.jpg").write_bytes(repost_copy(news_graphic()))
    cli("import", "telegram-export", str(write_export(repost, 1800000006, "Levant Desk", [
        _photo(40, "Ministers meet (photo via Gulf Wire).", "photos/copy.jpg")])))
    listed = cli.json("media", "list")
    assert len(listed) == 3 and {f["status"] for f in listed} == {"ok"}
    found = cli.json("media", "similar", "--post", "telegram:1800000006/40")
    matches = {m["sha256"]: m for m in found["matches"]}
    assert len(matches) == 2  # the re-post itself (distance 0) and the original, not the harbour
    [other] = [m for m in matches.values() if m["distance"] > 0]
    assert other["distance"] <= 31 and [p["source"] for p in other["posts"]] == ["telegram:1800000005"]
    assert other["posts"][0]["message_id"] == 10
    by_hash = cli.json("media", "similar", other["sha256"], "--max-distance", "31")
    assert {m["sha256"] for m in by_hash["matches"]} == set(matches)
    assert cli.json("media", "similar", other["sha256"], "--max-distance", "0")["matches"][0]["distance"] == 0
    assert len(cli.json("media", "similar", other["sha256"], "--max-distance", "0")["matches"]) == 1
    shown = cli.json("media", "show", other["sha256"])
    assert shown["mime"] == "image/jpeg" and shown["path"] and Path(shown["path"]).is_file()
    assert shown["ocr_langs"] is None  # OCR was off at import
    missing = cli("media", "show", "0" * 64, ok=False)
    assert missing.exit_code == 1 and "no archived file" in missing.stderr


def test_media_ocr_reads_images_not_yet_read(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_tesseract()
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WATCHFLOOR_MEDIA_OCR", "off")
    cli("init")
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "card.png").write_bytes(encode(news_graphic(), "PNG"))
    cli("import", "telegram-export", str(write_export(folder, 1800000007, "Gulf Wire", [
        _photo(1, "Photograph from the meeting.", "photos/card.png")])))
    assert cli.json("posts", "search", KEY_WORD) == []
    monkeypatch.delenv("WATCHFLOOR_MEDIA_OCR")
    assert cli.json("media", "ocr") == {"read": 1}
    assert cli.json("media", "ocr") == {"read": 0}  # nothing left unread
    assert [p["message_id"] for p in cli.json("posts", "search", KEY_WORD)] == [1]
    assert cli.json("media", "ocr", "--redo") == {"read": 1}
