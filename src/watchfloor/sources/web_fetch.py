"""Fetching pages for collectors: only from the hosts a source is configured for, never from private or
loopback addresses unless explicitly allowed (tests serve pages on loopback), with a size limit,
a timeout, and no redirects followed to anywhere else."""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from watchfloor.errors import InvalidInput, SourceUnavailable

__all__ = ["FetchPolicy", "fetch", "fetch_bytes", "USER_AGENT", "Throttle"]

USER_AGENT = "Watchfloor/0.1 (+https://github.com/watchfloor; research monitor)"


class Throttle:
    """A minimum delay between two requests to one host (politeness), shared by every collector of a
    monitor; the clock and sleep are injectable for tests."""

    def __init__(self, min_delay: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.min_delay = min_delay
        self.clock = clock
        self.sleep = sleep
        self.last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        """Sleep until the host may be asked again, then note the request."""
        previous = self.last.get(host)
        if previous is not None:
            remaining = previous + self.min_delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self.last[host] = self.clock()


@dataclass(frozen=True)
class FetchPolicy:
    """Where a collector may fetch from, and how much."""

    hosts: frozenset[str]
    allow_private: bool = False  # loopback and private addresses: only for tests and local mirrors
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    throttle: Throttle | None = field(default=None, compare=False)  # politeness between requests to one host

    def check(self, url: str) -> None:
        """Raise InvalidInput unless the URL is http(s) on an allowed host that resolves to public addresses."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"refusing {url!r}: only http(s) URLs are fetched")
        if parts.hostname.lower() not in self.hosts:
            raise InvalidInput(f"refusing {url!r}: {parts.hostname} is not among the hosts this source may use")
        if self.allow_private:
            return
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
        except socket.gaierror as exc:
            raise SourceUnavailable(f"cannot resolve {parts.hostname}: {exc}") from exc
        for address in addresses:
            ip = ipaddress.ip_address(str(address).split("%")[0])
            if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
                raise InvalidInput(f"refusing {url!r}: {parts.hostname} resolves to a private address ({ip})")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is reported to the caller, never followed blindly


def fetch(url: str, policy: FetchPolicy) -> tuple[int, str, str | None]:
    """GET a URL under the policy: (status, body, Location of a redirect or None)."""
    status, body, location = _get(url, policy)
    return status, body.decode("utf-8", errors="replace"), location


def fetch_bytes(url: str, policy: FetchPolicy) -> bytes:
    """GET a file under the policy: its bytes; a redirect or an error status raises SourceUnavailable, and
    a body over the policy's size limit raises InvalidInput after reading one byte past the limit."""
    status, body, location = _get(url, policy)
    if location is not None or status != 200:
        raise SourceUnavailable(f"{url}: HTTP {status}" + (f" redirecting to {location}" if location else ""))
    return body


def _get(url: str, policy: FetchPolicy) -> tuple[int, bytes, str | None]:
    policy.check(url)
    if policy.throttle is not None:
        policy.throttle.wait((urlsplit(url).hostname or "").lower())
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Language": "en"})
    try:
        with opener.open(request, timeout=policy.timeout) as response:
            body = response.read(policy.max_bytes + 1)
            status = int(response.status)
            location = None
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket; an unclosed one warns when collected
        if exc.code in (301, 302, 303, 307, 308):
            return exc.code, b"", exc.headers.get("Location")
        raise SourceUnavailable(f"{url}: HTTP {exc.code}", status=exc.code) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SourceUnavailable(f"{url}: {getattr(exc, 'reason', exc)}") from exc
    if len(body) > policy.max_bytes:
        raise InvalidInput(f"{url}: more than {policy.max_bytes} bytes; cut at the limit and not kept")
    return status, body, location
