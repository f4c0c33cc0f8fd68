"""Collecting live sources (t.me/s previews, RSS/Atom feeds with their articles, the Telegram API) into the
store: what each collection found, stored, noted and archived."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.ingest_media import TELEGRAM_MEDIA_HOSTS, MediaCounts, MediaJob, post_ids_of, read_media
from watchfloor.media.store import archive_from_settings, download_enabled
from watchfloor.models import ParsedPost, Source
from watchfloor.settings import Settings
from watchfloor.sources.telegram_api import TelegramClientLike
from watchfloor.sources.web_fetch import FetchPolicy, Throttle, fetch_bytes
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.importing import record_errors_once
from watchfloor.store.tables import sources as sources_table

__all__ = ["CollectReport", "CollectOptions", "collect_source", "collect_telegram_web", "collect_telegram_api",
           "collect_rss"]

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


@dataclass(frozen=True)
class CollectOptions:
    """How collectors fetch: the preview's base URL, pages per source, loopback for tests, politeness,
    the settings (media archive), and the Telegram API client for telegram-api sources."""

    base_url: str = "https://t.me"
    max_pages: int = 50
    allow_private: bool = False
    timeout: float = 20.0
    throttle: Throttle | None = None
    settings: Settings | None = None
    telegram_client: TelegramClientLike | None = None


def collect_source(engine: Engine, key: str, options: CollectOptions | None = None) -> CollectReport:
    """Collect one live source with its collector (telegram-web, telegram-api or rss)."""
    options = options or CollectOptions()
    with engine.connect() as conn:
        source = source_store.get_source(conn, key)
    if source.collector == "telegram-web":
        return collect_telegram_web(engine, key, options.base_url, options.max_pages, options.allow_private,
                                    options.settings, throttle=options.throttle, timeout=options.timeout)
    if source.collector == "telegram-api":
        client = options.telegram_client
        if client is None:
            from watchfloor.sources.telegram_api import open_client

            settings = options.settings
            client = open_client(*(settings.get(n) if settings else None
                                   for n in ("telegram_session", "telegram_api_id", "telegram_api_hash")))
        return collect_telegram_api(engine, key, client)
    if source.collector == "rss":
        return collect_rss(engine, key, options.allow_private, throttle=options.throttle, timeout=options.timeout)
    raise InvalidInput(f"{key} has no live collector (got {source.collector!r}); add it with --collector")


def collect_telegram_web(engine: Engine, key: str, base_url: str = "https://t.me", max_pages: int = 50,
                         allow_private: bool = False, settings: Settings | None = None,
                         throttle: Throttle | None = None, timeout: float = 20.0) -> CollectReport:
    """Collect a channel's public preview: page back from the newest post until the cursor (or
    ``max_pages``), store what is new or changed, mark deleted what a page no longer shows, and note
    the outcome on the source. A channel whose preview is gone (it redirects, or 404) is noted, not
    fatal. Posts merge by channel id with an export's. With ``settings`` (and media_download including
    ``web``) the posts' photos are archived, fetched only from Telegram's CDN hosts (and the preview's host)."""
    from urllib.parse import urlsplit

    from watchfloor.sources.telegram_web import parse_page
    from watchfloor.sources.web_fetch import fetch

    with engine.connect() as conn:
        source = source_store.get_source(conn, key)
    if not source.handle:
        raise InvalidInput(f"{key} has no public handle; the web preview is read by handle (telegram:<handle>)")
    policy = FetchPolicy(hosts=frozenset({(urlsplit(base_url).hostname or "").lower()}), allow_private=allow_private,
                         timeout=timeout, throttle=throttle)
    report = CollectReport(source=key, status="ok")
    before: int | None = None
    newest = source.cursor or 0
    pages = []
    try:
        while report.pages < max_pages:
            url = f"{base_url.rstrip('/')}/s/{source.handle}" + (f"?before={before}" if before else "")
            status, body, location = fetch(url, policy)
            if location is not None:
                report.status = "unavailable"
                report.note = (f"no public preview (redirects to {location}): renamed, deleted or private"
                               if before is None else f"paging stopped: redirected to {location}")
                break
            page = parse_page(body)
            if page.errors:
                with engine.begin() as conn:
                    record_errors_once(conn, url, page.errors)
            report.pages += 1
            pages.append(page)
            if before is None and not page.posts:
                report.status, report.note = "unavailable", "the preview shows no posts (renamed, emptied or private)"
            if page.handle and page.handle.lower() != source.handle:
                report.note = f"the preview now names the channel {page.handle}"
            if not page.posts or page.before is None or min(p.message_id for p in page.posts) <= newest:
                break
            before = page.before
    except SourceUnavailable as exc:
        if exc.status in (404, 410):
            report.status, report.note = "unavailable", f"the preview is gone (HTTP {exc.status})"
        else:
            report.status, report.note = "error", str(exc)
    except InvalidInput as exc:  # a malformed or oversized page: noted, and the monitor backs off
        report.status, report.note = "error", str(exc)
    posts = {p.message_id: p for page in pages for p in page.posts}
    channel_id = next((p.channel_id for p in pages if p.channel_id), None)
    title = next((p.title for p in pages if p.title), None)
    report = _store_collection(engine, source, report, list(posts.values()), channel_id, title,
                               spans=[page.spans() for page in pages if page.posts])
    target = report.source
    if posts and settings is not None and download_enabled(settings, "web"):
        archive = archive_from_settings(settings)
        media_policy = FetchPolicy(hosts=TELEGRAM_MEDIA_HOSTS | policy.hosts, allow_private=allow_private,
                                   max_bytes=archive.limit("photo"))
        with engine.connect() as conn:
            row_id = source_store.source_row_id(conn, target)
        ids = post_ids_of(engine, row_id, list(posts))
        jobs: list[MediaJob] = []
        for message_id, parsed in sorted(posts.items()):
            for position, declared in enumerate(parsed.media):
                if declared.kind == "photo" and declared.path:
                    jobs.append(MediaJob(ids[message_id], position, declared,
                                          functools.partial(fetch_bytes, declared.path, media_policy)))
                else:
                    note = "not fetched: only photos are downloaded from the web preview" if declared.path \
                        else "the page gives no address for it"
                    jobs.append(MediaJob(ids[message_id], position, declared, None, note))
        report.media = read_media(engine, archive, jobs)
    return report


def _store_collection(engine: Engine, source: Source, report: CollectReport, found: list[ParsedPost],
                      channel_id: int | None, title: str | None, handle: str | None = None,
                      spans: list[Any] | None = None) -> CollectReport:
    """Store what a collector found and note the outcome; a channel an export created first absorbs it."""
    key = source.key
    newest = source.cursor or 0
    with engine.begin() as conn:
        target = key
        if channel_id is not None:
            owner = conn.execute(sa.select(sources_table.c.key).where(sources_table.c.channel_id == channel_id)
                                 ).scalar_one_or_none()
            if owner is not None and owner != key:  # an export made the channel's source first: merge into it
                conn.execute(sources_table.update().where(sources_table.c.key == owner).values(
                    handle=source.handle, collector=source.collector, interval_minutes=source.interval_minutes,
                    next_collect_at=source.next_collect_at))
                conn.execute(sources_table.update().where(sources_table.c.key == key).values(collector=None))
                source_store.record_collection(conn, key, "merged", f"collected into {owner}")
                target = owner
        if found:
            row_id = source_store.source_row_id(conn, target)
            report.counts = post_store.store_parsed(conn, row_id, found)
            if spans:
                report.deleted, _ = post_store.mark_deleted(conn, row_id, spans)
        # the cursor moves only when the collector reached it: after a failure part-way the next run reads
        # the same ground again rather than leave a gap (what was read is stored either way)
        moved = found and report.status in ("ok", "renamed")
        source_store.record_collection(conn, target, report.status, report.note,
                                       cursor=max([newest, *(p.message_id for p in found)]) if moved else None,
                                       channel_id=channel_id if target == key else None,
                                       name=title if source.name is None else None)
        if handle and target == key and handle != source.handle:
            conn.execute(sources_table.update().where(sources_table.c.key == key).values(handle=handle))
    if target != key:
        report.source = target
    return report


def collect_telegram_api(engine: Engine, key: str, client: TelegramClientLike, limit: int = 5000,
                         sleep: Callable[[float], None] | None = None) -> CollectReport:
    """Collect a channel through the Telegram API (Telethon, the analyst's session): every message newer
    than the source's cursor; flood waits honoured; private, invalid and renamed channels noted."""
    from watchfloor.sources.telegram_api import fetch_channel

    with engine.connect() as conn:
        source = source_store.get_source(conn, key)
    target: str | int = source.handle or (source.channel_id if source.channel_id is not None else key)
    fetched = fetch_channel(client, target, after_id=source.cursor or 0, limit=limit, sleep=sleep)
    report = CollectReport(source=key, status=fetched.status, note=fetched.note, pages=1)
    return _store_collection(engine, source, report, fetched.posts, fetched.channel_id, fetched.title,
                             handle=fetched.handle)


def collect_rss(engine: Engine, key: str, allow_private: bool = False, throttle: Throttle | None = None,
                timeout: float = 20.0, max_entries: int = 200) -> CollectReport:
    """Collect a feed (``rss:<feed URL>``, or ``web:<site URL>`` whose page advertises one): each entry not
    yet stored becomes a post of its title and its article's text, fetched from the feed's host through
    the guarded fetcher. An entry whose article cannot be read is stored with the feed's summary, noted
    in ``import_errors``, and tried again at the next collection."""
    from datetime import UTC, datetime
    from urllib.parse import urlsplit

    from watchfloor.errors import InvalidInput, SourceUnavailable
    from watchfloor.models import ParsedPost
    from watchfloor.sources.rss import entry_message_id, extract_article, find_feed_link, parse_feed
    from watchfloor.sources.web_fetch import FetchPolicy, fetch

    with engine.connect() as conn:
        source = source_store.get_source(conn, key)
    platform, _, url = key.partition(":")
    if platform not in ("rss", "web"):
        raise InvalidInput(f"{key} is not a feed; the rss collector reads rss:<feed URL> or web:<site URL>")
    host = (urlsplit(url).hostname or "").lower()
    hosts = {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
    policy = FetchPolicy(hosts=frozenset(hosts), allow_private=allow_private, timeout=timeout, throttle=throttle)
    report = CollectReport(source=key, status="ok")
    parsed: list[ParsedPost] = []
    failures: list[tuple[str, int, str]] = []
    title: str | None = None
    try:
        feed_url = url
        status, body, location = fetch(feed_url, policy)
        if location is not None:
            raise SourceUnavailable(f"{feed_url} redirects to {location}; add the new address as the source")
        report.pages = 1
        found = find_feed_link(body, feed_url) if platform == "web" else None
        if found is not None:  # a site's page naming its feed (a feed itself is read as it is)
            feed_url = found
            status, body, location = fetch(feed_url, policy)
            if location is not None:
                raise SourceUnavailable(f"{feed_url} redirects to {location}")
            report.pages += 1
        feed = parse_feed(body, feed_url)
        title = feed.title
        with engine.connect() as conn:
            row_id = source_store.source_row_id(conn, key)
            entries = feed.entries[:max_entries]
            candidates = {e.entry_id: [entry_message_id(e.entry_id, n) for n in range(4)] for e in entries}
            stored = post_store.stored_ids(conn, row_id, [i for ids in candidates.values() for i in ids])
        taken: set[int] = set()
        for entry in entries:
            message_id = None
            for candidate in candidates[entry.entry_id]:  # another entry's id there: a collision, try the next
                holder = stored.get(candidate, {}).get("entry_id")
                if candidate not in taken and holder in (None, entry.entry_id):
                    message_id = candidate
                    break
            if message_id is None:
                report.errors.append(f"{entry.entry_id}: no free message id")
                continue
            taken.add(message_id)
            previous = stored.get(message_id)
            if previous is not None and previous.get("article") == "ok":
                continue  # stored before with its article: nothing to fetch again
            article, outcome = None, "no link"
            if entry.link:
                try:
                    _, page, moved = fetch(entry.link, policy)
                    if moved is not None:
                        raise SourceUnavailable(f"{entry.link} redirects to {moved}")
                    article = extract_article(page, entry.link)
                    outcome = "ok" if article else "no article text found"
                except (SourceUnavailable, InvalidInput) as exc:
                    outcome = f"unreachable: {exc}"
            if outcome != "ok":
                failures.append((entry.link or feed_url, message_id, outcome))
                report.errors.append(f"{entry.link or entry.entry_id}: {outcome}")
                if previous is not None:
                    continue  # already stored with its summary; tried again next time
            text = "\n\n".join(part for part in (entry.title, article or entry.summary) if part)
            parsed.append(ParsedPost(message_id=message_id, posted_at=entry.published or datetime.now(UTC),
                                     text=text, links=[entry.link] if entry.link else [],
                                     raw={**entry.raw, "article": outcome}))
    except SourceUnavailable as exc:
        report.status = "unavailable" if exc.status in (404, 410) else "error"
        report.note = str(exc)
    except InvalidInput as exc:
        report.status, report.note = "error", str(exc)
    with engine.begin() as conn:
        if parsed:
            report.counts = post_store.store_parsed(conn, source_store.source_row_id(conn, key), parsed)
        for where, message_id, reason in failures:
            post_store.record_import_error(conn, where, message_id, reason)
        if failures and report.note is None:
            report.note = f"{len(failures)} article(s) could not be read; their entries keep the feed's summary"
        source_store.record_collection(conn, key, report.status, report.note,
                                       name=title if source.name is None else None)
    return report
