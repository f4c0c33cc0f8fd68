"""JSON over HTTP for the server back-ends (standard library only; the URL is the operator's, not a post's)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from watchfloor.errors import SourceUnavailable

__all__ = ["request_json"]


def request_json(url: str, payload: Any = None, headers: dict[str, str] | None = None, timeout: float = 120) -> Any:
    """GET (no payload) or POST JSON, and the JSON reply; a failure raises SourceUnavailable."""
    data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured server URL
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SourceUnavailable(f"{url}: {exc}") from exc
