"""Collecting live sources into the store with their registered collectors (``registry`` kind ``collectors``):
the collector reads (``sources/base.py``), this module stores, archives the posts' media and notes the outcome."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.ingest_media import MediaCounts, MediaJob, read_media
from watchfloor.media.store import archive_from_settings, download_enabled
from watchfloor.models import Source
from watchfloor.registry import available, resolve
from watchfloor.settings import Settings
from watchfloor.sources.base import Collected, CollectOptions, Collector
from watchfloor.sources.web_fetch import Throttle, fetch, fetch_bytes
from watchfloor.store import collection as collection_store
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.base import Engine

__all__ = ["CollectReport", "CollectOptions", "collect_source", "collect_telegram_web", "collect_telegram_api",
           "collect_rss", "collector", "collector_names", "new_source"]

log = logging.getLogger("watchfloor")


@dataclass
class CollectReport:
    """What collecting one source did."""

    source: str
    status: str
    pages: int = 0
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    note: str | None = None
    media: MediaCounts = field(default_factory=MediaCounts)
    deleted: int = 0  # posts seen gone at the source in this collection
    errors: list[str] = field(default_factory=list)  # entries stored without their article, and why


def collector_names() -> list[str]:
    """Every registered collector's name, built-in and from plug-ins."""
    return sorted(available("collectors"))


def collector(name: str) -> Collector:
    """The registered collector of this name, ready to use."""
    try:
        factory = resolve("collectors", name)
    except KeyError:
        raise InvalidInput(f"unknown collector {name!r}; choose one of {', '.join(collector_names())}") from None
    made: Collector = factory()
    return made


def new_source(key: str, collector_name: str | None = None, **fields: Any) -> Source:
    """A source to add, checked the one way both the CLI and the admin page check it: a valid key, and a
    collector (when one is named) that is registered and accepts the key."""
    parsed = source_store.parse_key(key)
    source = Source(key=parsed.key, platform=parsed.platform, handle=parsed.handle, channel_id=parsed.channel_id,
                    collector=collector_name or None)
    source = replace(source, **{name: value for name, value in fields.items() if value is not None})
    if source.collector is not None:
        collector(source.collector).check(source)
    return source


def collect_source(engine: Engine, source: Source | str, options: CollectOptions | None = None) -> CollectReport:
    """Collect one live source with its registered collector: read, store, archive media, note the outcome.
    Give the Source the caller already holds (the monitor does) or its key."""
    options = options or CollectOptions()
    if isinstance(source, str):
        with engine.connect() as conn:
            source = source_store.get_source(conn, source)
    if source.collector is None:
        raise InvalidInput(f"{source.key} has no live collector; add it with --collector "
                           f"({', '.join(collector_names())})")
    reader = collector(source.collector)
    key = source.key

    def stored(message_ids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]:
        with engine.connect() as conn:
            return collection_store.stored_raw(conn, key, message_ids)

    found = reader.read(source, fetch, options, stored)
    with engine.begin() as conn:
        saved = collection_store.save_collected(
            conn, source, found.posts, status=found.status, note=found.note, channel_id=found.channel_id,
            handle=found.handle, title=found.title, spans=found.spans, ordered_ids=found.ordered_ids,
            unreadable=found.unreadable, incomplete=found.incomplete)
    report = CollectReport(source=saved.key, status=found.status, pages=found.pages, counts=saved.counts,
                           note=found.note, deleted=saved.deleted, errors=list(found.errors))
    if found.posts and options.settings is not None and download_enabled(options.settings, "web"):
        report.media = _archive_media(engine, options, found, saved.key)
    return report


def _archive_media(engine: Engine, options: CollectOptions, found: Collected, key: str) -> MediaCounts:
    """Fetch and archive the files the posts declare (only the kinds and hosts the collector allows)."""
    assert options.settings is not None
    if not any(post.media for post in found.posts):
        return MediaCounts()
    archive = archive_from_settings(options.settings)
    with engine.connect() as conn:
        ids = collection_store.post_ids(conn, key, [p.message_id for p in found.posts if p.media])
    jobs: list[MediaJob] = []
    for parsed in sorted(found.posts, key=lambda p: p.message_id):
        if parsed.message_id not in ids:
            continue
        for position, declared in enumerate(parsed.media):
            if declared.kind in found.media_kinds and declared.path:
                policy = options.policy(found.media_hosts, max_bytes=archive.limit(declared.kind))
                jobs.append(MediaJob(ids[parsed.message_id], position, declared,
                                     functools.partial(fetch_bytes, declared.path, policy)))
            else:
                note = found.media_note if declared.path else "the page gives no address for it"
                jobs.append(MediaJob(ids[parsed.message_id], position, declared, None, note))
    return read_media(engine, archive, jobs)


# The earlier entry points, kept for callers and tests: each reads one source with its collector.

def collect_telegram_web(engine: Engine, key: str, base_url: str = "https://t.me", max_pages: int = 50,
                         allow_private: bool = False, settings: Settings | None = None,
                         throttle: Throttle | None = None, timeout: float = 20.0) -> CollectReport:
    """Collect a channel's public preview (see ``sources.telegram_web.TelegramWebCollector``)."""
    return _collect_with(engine, key, "telegram-web", CollectOptions(
        base_url=base_url, max_pages=max_pages, allow_private=allow_private, settings=settings, throttle=throttle,
        timeout=timeout))


def collect_telegram_api(engine: Engine, key: str, client: Any, limit: int = 5000,
                         sleep: Any = None) -> CollectReport:
    """Collect a channel through the Telegram API (see ``sources.telegram_api.TelegramApiCollector``)."""
    return _collect_with(engine, key, "telegram-api", CollectOptions(telegram_client=client, api_limit=limit,
                                                                     sleep=sleep))


def collect_rss(engine: Engine, key: str, allow_private: bool = False, throttle: Throttle | None = None,
                timeout: float = 20.0, max_entries: int = 200, settings: Settings | None = None) -> CollectReport:
    """Collect a feed or a site's feed (see ``sources.rss.RssCollector``)."""
    return _collect_with(engine, key, "rss", CollectOptions(allow_private=allow_private, throttle=throttle,
                                                            timeout=timeout, max_entries=max_entries,
                                                            settings=settings))


def _collect_with(engine: Engine, key: str, name: str, options: CollectOptions) -> CollectReport:
    with engine.connect() as conn:
        source = source_store.get_source(conn, key)
    return collect_source(engine, replace(source, collector=name), options)
