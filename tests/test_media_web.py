"""Photos of t.me/s posts, downloaded through the guarded fetcher from a real HTTP server on loopback:
archived, hashed and read by OCR; an oversized download is cut at the limit and rejected; a photo on a
host the collector does not allow is never fetched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import Cli
from make_preview import HANDLE, page
from make_preview import message as post
from media_images import KEY_WORD, encode, need_tesseract, news_graphic

PLACEHOLDER = "https://cdn.example/photo.jpg"  # make_preview's photo address, replaced per post below


class Server:
    """Serves a preview page and the files it points at, on loopback."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                server.requests.append(self.path)
                content_type, body = server.files.get(self.path, ("text/plain", b""))
                self.send_response(200 if self.path in server.files else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    site = Server()
    yield site
    site.close()


def _with_photo(number: int, text: str, url: str) -> str:
    return post(number, f"2024-05-23T0{number % 10}:00:00+00:00", text, photo=True).replace(PLACEHOLDER, url)


def test_preview_photos_are_archived_hashed_and_read(cli: Cli, server: Server, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    need_tesseract()
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WATCHFLOOR_MEDIA_LIMITS_MB", "photo=0.5")
    photo = encode(news_graphic(), "JPEG", quality=90)
    assert len(photo) < 500_000
    server.files["/file/talks.jpg"] = ("image/jpeg", photo)
    server.files["/file/huge.jpg"] = ("image/jpeg", photo + b"\0" * 600_000)  # over the 0.5 MB photo limit
    server.files[f"/s/{HANDLE}"] = ("text/html; charset=utf-8", page([
        _with_photo(1, "Foreign ministers met on Thursday.", f"{server.url}/file/talks.jpg"),
        _with_photo(2, "A second photograph.", f"{server.url}/file/huge.jpg"),
        _with_photo(3, "A third photograph.", "https://elsewhere.example/file/x.jpg"),
    ]).encode())
    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    [collected] = cli.json("collect", "--base-url", server.url, "--allow-loopback")
    assert collected["status"] == "ok" and collected["inserted"] == 3
    assert "/file/talks.jpg" in server.requests and "/file/huge.jpg" in server.requests
    [archived] = cli.json("media", "list")
    assert archived["status"] == "ok" and archived["mime"] == "image/jpeg" and archived["size"] == len(photo)
    assert archived["pdq"] and len(archived["pdq"]) == 64 and archived["pdq_quality"] >= 50
    assert KEY_WORD in archived["ocr_text"]
    shown = cli.json("media", "show", archived["sha256"])
    assert Path(shown["path"]).read_bytes() == photo
    assert [(p["source"], p["message_id"], p["url"]) for p in shown["posts"]] == [
        (f"telegram:{HANDLE}", 1, f"https://t.me/{HANDLE}/1")]
    assert [p["message_id"] for p in cli.json("posts", "search", KEY_WORD)] == [1]

    from sqlalchemy import select

    from watchfloor import runner
    from watchfloor.store.tables import post_media

    engine = runner.open_store(cli.db_url)
    with engine.connect() as conn:
        notes = {row.origin: (row.sha256, row.note) for row in conn.execute(select(post_media))}
    engine.dispose()
    huge_sha, huge_note = notes[f"{server.url}/file/huge.jpg"]
    assert huge_sha is None and "cut at the limit" in huge_note
    far_sha, far_note = notes["https://elsewhere.example/file/x.jpg"]
    assert far_sha is None and "not among the hosts" in far_note
    assert not any(r.startswith("/file/x") for r in server.requests)
    files = [p for p in (tmp_path / "data" / "media").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [archived["sha256"]]


def test_collecting_without_media_download_fetches_no_photos(cli: Cli, server: Server, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WATCHFLOOR_MEDIA_DOWNLOAD", "off")
    server.files["/file/talks.jpg"] = ("image/jpeg", encode(news_graphic()))
    server.files[f"/s/{HANDLE}"] = ("text/html; charset=utf-8", page([
        _with_photo(1, "Foreign ministers met on Thursday.", f"{server.url}/file/talks.jpg")]).encode())
    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    [collected] = cli.json("collect", "--base-url", server.url, "--allow-loopback")
    assert collected["inserted"] == 1 and cli.json("media", "list") == []
    assert server.requests == [f"/s/{HANDLE}"]
