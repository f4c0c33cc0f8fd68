"""HTTP for the paid translation services (DeepL, Google): retries with backoff on 429 and 5xx, honouring
Retry-After, batches cut to the service's limits, and errors that say what to do.

Standard library only; the URL is the operator's, never a post's.
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from watchfloor.errors import SourceUnavailable, WatchfloorError

__all__ = ["WebAPI", "QuotaExceeded", "batches", "retry_after"]


class QuotaExceeded(SourceUnavailable):
    """The service refuses more work until the quota resets or the plan is raised."""


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date), if it says."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def batches(texts: Sequence[str], max_count: int, max_size: int,
            size: Callable[[str], int] = len) -> Iterator[list[str]]:
    """The texts in order, cut into runs of at most ``max_count`` texts and ``max_size`` in all (by ``size``);
    one text over ``max_size`` is an error, since no request could carry it."""
    run: list[str] = []
    used = 0
    for text in texts:
        weight = size(text)
        if weight > max_size:
            raise SourceUnavailable(f"a segment of {weight:,} is over the service's request limit of {max_size:,}")
        if run and (len(run) >= max_count or used + weight > max_size):
            yield run
            run, used = [], 0
        run.append(text)
        used += weight
    if run:
        yield run


def _default_retry(status: int, body: str) -> bool:
    return status == 429 or status >= 500


class WebAPI:
    """One service's HTTP calls. ``explain(status, body)`` turns a refusal into an error that says what to
    do (None: a generic error); ``retryable(status, body)`` says which answers are worth another try
    (default: 429 and 5xx). Waits follow Retry-After, else ``backoff`` doubled each time with jitter; a
    wait longer than ``max_wait`` is not slept through: the call fails and says when to come back."""

    def __init__(self, service: str, explain: Callable[[int, str], WatchfloorError | None] | None = None,
                 retryable: Callable[[int, str], bool] = _default_retry, retries: int = 4, backoff: float = 1.0,
                 max_wait: float = 60.0, timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.service = service
        self.explain = explain or (lambda status, body: None)
        self.retryable = retryable
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.timeout = timeout
        self.sleep = sleep
        self.requests = 0  # HTTP requests made, retries included

    def _send(self, request: urllib.request.Request) -> tuple[int, Message[str, str], str]:
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode("utf-8", "replace")

    def call(self, method: str, url: str, payload: Any = None, headers: Mapping[str, str] | None = None,
             retries: int | None = None) -> Any:
        """Send a request (JSON body when ``payload`` is given) and return the JSON reply; ``retries``
        overrides the instance's (a start-up check should not wait long for a server that is down)."""
        retries = self.retries if retries is None else retries
        data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        all_headers = {"Accept": "application/json", "User-Agent": "watchfloor", **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        for attempt in range(retries + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
            try:
                status, reply_headers, body = self._send(request)
            except (urllib.error.URLError, OSError) as exc:
                if attempt == retries:
                    raise SourceUnavailable(f"{self.service} cannot be reached at {url.split('?')[0]}: {exc}") from exc
                self._wait(None, attempt)
                continue
            if 200 <= status < 300:
                try:
                    return json.loads(body) if body.strip() else {}
                except ValueError as exc:
                    raise SourceUnavailable(f"{self.service} answered with something that is not JSON: "
                                            f"{body[:200]!r}") from exc
            if self.retryable(status, body):
                wait = retry_after(reply_headers.get("Retry-After"))
                if wait is not None and wait > self.max_wait:
                    raise SourceUnavailable(f"{self.service} is rate-limiting (HTTP {status}) and asks to wait "
                                            f"{wait:.0f} s; the posts stay queued for the next run", status)
                if attempt < retries:
                    self._wait(wait, attempt)
                    continue
                raise SourceUnavailable(f"{self.service} still answered HTTP {status} after {attempt + 1} tries: "
                                        f"{body[:200]}", status)
            raise self.explain(status, body) or SourceUnavailable(
                f"{self.service} answered HTTP {status}: {body[:300]}", status)
        raise AssertionError("unreachable")

    def _wait(self, asked: float | None, attempt: int) -> None:
        wait = asked if asked is not None else self.backoff * (2 ** attempt) * (1 + random.random() / 4)  # noqa: S311
        self.sleep(min(wait, self.max_wait))
