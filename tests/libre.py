"""A loopback server speaking LibreTranslate's documented REST API (`/languages`, `/translate`), for the
translation queue's tests: the LibreTranslate service cannot be installed offline. It "translates" by mapping
each Arabic-script letter to a Latin one, which is enough to follow every text; every request is recorded."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from watchfloor.settings import Settings, load_settings

LATIN = str.maketrans({chr(c): "abcdefghijklmnopqrstuvwxyz"[c % 26] for c in range(0x0600, 0x0700)})


class LibreHandler(BaseHTTPRequestHandler):
    """/languages and /translate as LibreTranslate answers them; every request's segments are recorded."""

    requests: list[list[str]] = []
    delay = 0.0

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _reply(self, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._reply([{"code": code, "name": code, "targets": ["en"]} for code in ("ar", "fa", "ur", "ps")]
                    + [{"code": "en", "name": "English", "targets": ["ar", "fa"]}])

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert payload["target"] == "en" and payload["format"] == "text"
        LibreHandler.requests.append(list(payload["q"]))
        time.sleep(LibreHandler.delay)
        self._reply({"translatedText": [q.translate(LATIN) for q in payload["q"]]})


@contextmanager
def libre_server() -> Iterator[str]:
    """The server on a free loopback port, for the block; its URL."""
    LibreHandler.requests, LibreHandler.delay = [], 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), LibreHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def libre_settings(url: str, **more: str) -> Settings:
    """Settings that send every language to that server (and nothing from the environment)."""
    return load_settings({"translate_backend": "libretranslate", "libretranslate_url": url, **more}, environ={})


