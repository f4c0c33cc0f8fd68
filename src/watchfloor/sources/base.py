"""The collector interface: a collector reads a live source's new posts through a fetch function it is given.

A collector is registered by name (``registry.BUILTINS["collectors"]``, or the ``watchfloor.collectors``
entry-point group for a plug-in) and says which source keys it accepts (``check``), which settings it
reads (``settings``) and how to read (``read``). ``read`` never touches the store: it is given the
source as stored (its cursor, handle, channel id), a ``fetch`` function, the typed ``CollectOptions``
and a ``stored`` look-up of what the store already holds, and returns a ``Collected``: the posts, the
outcome and what to note. ``collect.py`` stores it, archives the posts' media and notes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from watchfloor.models import ParsedPost, Source
from watchfloor.settings import Settings
from watchfloor.sources.web_fetch import FetchPolicy, Throttle

if TYPE_CHECKING:
    from watchfloor.sources.telegram_api import TelegramClientLike

__all__ = ["Collector", "Collected", "CollectOptions", "Fetch", "Stored", "nothing_stored"]

# GET a URL under a policy: (status, body, Location of a redirect or None); ``web_fetch.fetch`` in use
Fetch = Callable[[str, FetchPolicy], tuple[int, str, str | None]]
# The raw payload the store already holds for each of these message ids of the source being read
Stored = Callable[[Sequence[int]], Mapping[int, Mapping[str, Any]]]


def nothing_stored(message_ids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]:
    """A ``Stored`` look-up for a source of which nothing is stored yet."""
    return {}


@dataclass(frozen=True)
class CollectOptions:
    """How collectors fetch: the preview's base URL, pages per source, loopback for tests, politeness,
    the settings (media archive, API credentials), and a Telegram API client for telegram-api sources."""

    base_url: str = "https://t.me"
    max_pages: int = 50
    allow_private: bool = False
    timeout: float = 20.0
    throttle: Throttle | None = None
    settings: Settings | None = None
    telegram_client: TelegramClientLike | None = None
    max_entries: int = 200  # feed entries read per collection
    api_limit: int = 5000  # messages per collection through the Telegram API
    sleep: Callable[[float], None] | None = None  # how the Telegram API collector waits out flood waits

    def policy(self, hosts: frozenset[str] | set[str], max_bytes: int | None = None) -> FetchPolicy:
        """A fetch policy for these hosts with the options' loopback rule, timeout and politeness."""
        policy = FetchPolicy(hosts=frozenset(hosts), allow_private=self.allow_private, timeout=self.timeout,
                             throttle=self.throttle)
        return policy if max_bytes is None else replace(policy, max_bytes=max_bytes)


@dataclass
class Collected:
    """What one reading of a source found, before anything is stored."""

    status: str = "ok"  # ok | renamed | unavailable | private | invalid | error
    note: str | None = None
    pages: int = 0
    posts: list[ParsedPost] = field(default_factory=list)
    channel_id: int | None = None  # the channel as the platform names it now
    handle: str | None = None
    title: str | None = None
    # the message ids each page showed (a contiguous run): stored posts missing from one are marked deleted
    spans: list[list[int]] = field(default_factory=list)
    ordered_ids: bool = True  # message ids grow with time, so the newest read becomes the source's cursor
    # (where, message id, why) of posts a page showed that could not be read: noted once in import_errors
    unreadable: list[tuple[str, int | None, str]] = field(default_factory=list)
    # (where, message id, why) of posts stored without part of them (an article): noted at each collection
    incomplete: list[tuple[str, int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per such entry, for the report
    media_hosts: frozenset[str] = frozenset()  # where the posts' media may be fetched from
    media_kinds: frozenset[str] = frozenset()  # which declared kinds are fetched (others are noted)
    media_note: str = "not fetched from this source"  # why a declared file of another kind was not fetched


class Collector(Protocol):
    """A reader of a live source.

    ``name`` is the registered name (what ``sources add --collector`` takes) and ``version`` is stored
    with what it reads; ``platforms`` are the key prefixes it accepts (``telegram``, ``rss``, ``web``)
    and ``settings`` the names of the settings it reads. ``check`` raises ``InvalidInput`` (saying what
    to do) for a source it cannot read; ``read`` returns what it found and never raises for a source that
    is gone, private or broken: that is an outcome in ``Collected.status``.
    """

    name: str
    version: str
    platforms: tuple[str, ...]
    settings: tuple[str, ...]

    def check(self, source: Source) -> None:
        """Raise InvalidInput when this collector cannot read the source."""

    def read(self, source: Source, fetch: Fetch, options: CollectOptions,
             stored: Stored = nothing_stored) -> Collected:
        """Read what is new at the source since its cursor."""
