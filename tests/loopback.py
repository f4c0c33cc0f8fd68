"""A real HTTP server on loopback whose pages a test sets and changes: path → (status, type, body, headers);
or, for an API stand-in, a function that answers each request (method, path, headers, body)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Page = str | tuple[int, str, str, dict[str, str]]


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body.decode("utf-8"))


class Site:
    """Serves ``pages`` (a body, or (status, content type, body, extra headers)); for any other path the
    ``fallback`` answers (when given and it returns a page), else 404. ``delays`` holds seconds to wait
    before answering a path; ``requests`` every path asked for."""

    def __init__(self, fallback: Callable[[str], Page | None] | None = None,
                 api: Callable[[Request], Page | None] | None = None) -> None:
        self.pages: dict[str, Page] = {}
        self.delays: dict[str, float] = {}
        self.requests: list[str] = []
        self.received: list[Request] = []  # every request in full (method, path, headers, body)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server interface
                self.do_GET()

            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                site.requests.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                site.received.append(request)
                time.sleep(site.delays.get(self.path, 0.0))
                page = api(request) if api is not None else None
                page = page if page is not None else site.pages.get(self.path)
                if page is None and fallback is not None:
                    page = fallback(self.path)
                if page is None:
                    status, kind, body, headers = 404, "text/html; charset=utf-8", "not found", {}
                elif isinstance(page, str):
                    status, kind, body, headers = 200, "text/html; charset=utf-8", page, {}
                else:
                    status, kind, body, headers = page
                encoded = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(encoded)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
