"""The one place that wires sources, the pipeline and the store together (the local engine)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Engine

from watchfloor.errors import InvalidInput, NotConfigured, SourceUnavailable, WatchfloorError
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.normalize import normalize, tokenize
from watchfloor.media.store import MediaArchive, archive_from_settings, download_enabled, sha256_of
from watchfloor.models import Entity, Media, MediaFile, ParsedPost, Post, Source
from watchfloor.pipeline.base import Stage
from watchfloor.pipeline.names import CandidateTypes
from watchfloor.pipeline.stories import StoryParams, assign_stories, story_title
from watchfloor.registry import resolve
from watchfloor.settings import Settings
from watchfloor.sources.telegram_api import TelegramClientLike
from watchfloor.sources.telegram_export import MessageError, export_file
from watchfloor.sources.telegram_html import read_any_export
from watchfloor.sources.web_fetch import FetchPolicy, Throttle, fetch_bytes
from watchfloor.store import db
from watchfloor.store import kb as kb_store
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.store import translations as translation_store
from watchfloor.store.importing import clean_text, export_source, record_errors_once, write_batch
from watchfloor.store.tables import posts as posts_table
from watchfloor.store.tables import sources as sources_table
from watchfloor.store.tables import stories as stories_table
from watchfloor.store.tables import story_posts
from watchfloor.store.usage import UsageStore
from watchfloor.translate.cache import TranslationCache
from watchfloor.translate.select import configured_backends, ranks
from watchfloor.translate.usage import UsageMeter
from watchfloor.translation_queue import enqueue

__all__ = [
    "Progress", "ImportReport", "ProcessReport", "open_store", "init_store", "import_telegram_export",
    "build_stages", "process", "import_entities", "collect_telegram_web", "collect_telegram_api", "CollectReport",
    "IMPORT_BATCH", "PIPELINE_ORDER", "retranslate", "MediaCounts", "TELEGRAM_MEDIA_HOSTS", "read_media",
    "SimilarImage", "similar_media", "ocr_media", "sample_exports", "import_sample", "CollectOptions",
    "collect_source", "collect_rss",
]

log = logging.getLogger("watchfloor")

Progress = Callable[[int, int], None]  # (done, total)
IMPORT_BATCH = 1000
PIPELINE_ORDER = ("language", "entities", "names", "translate", "translation_names", "quotes", "dates", "indicators",
                  "embed")


def _no_progress(done: int, total: int) -> None:
    return None


# Where t.me/s pages point their photos: Telegram's CDN hosts. A page is hostile input, so a photo URL
# anywhere else is refused (the collector's own host is added for mirrors and tests).
TELEGRAM_MEDIA_HOSTS = frozenset({f"cdn{i}.telesco.pe" for i in range(1, 10)}
                                 | {f"cdn{i}.cdn-telegram.org" for i in range(1, 10)} | {"telesco.pe"})


@dataclass
class MediaCounts:
    """What archiving the media of a run did."""

    archived: int = 0  # new files accepted
    rejected: int = 0  # new files refused (bomb, truncated, mislabelled, over the limit)
    known: int = 0  # files held already
    unavailable: int = 0  # declared but not read: not included, refused path, fetch failed, not fetched

    def add(self, other: MediaCounts) -> None:
        """Accumulate another run's counts."""
        self.archived += other.archived
        self.rejected += other.rejected
        self.known += other.known
        self.unavailable += other.unavailable


@dataclass
class _MediaJob:
    post_id: int
    position: int
    declared: Media
    load: Callable[[], bytes] | None  # None: nothing to read; note says why
    note: str | None = None


def _read_export_file(folder: Path, relative: str, limit: int) -> bytes:
    target = export_file(folder, relative)
    size = target.stat().st_size
    if size > limit:
        raise InvalidInput(f"{size} bytes is over the {limit}-byte limit for this kind of file; not read")
    with target.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise InvalidInput(f"more than {limit} bytes; not read")
    return data


def read_media(engine: Engine, archive: MediaArchive, jobs: Sequence[_MediaJob]) -> MediaCounts:
    """Read, inspect, hash, OCR and archive the files of some posts (outside any transaction: OCR is slow),
    then record the files and each post's links in one short transaction. A file a post already links to
    from the same origin is not read again; a file held already is not examined again."""
    counts = MediaCounts()
    if not jobs:
        return counts
    with engine.connect() as conn:
        before = media_store.links_of(conn, {job.post_id for job in jobs})
    links: dict[int, list[media_store.PostMedia]] = {}
    fresh: dict[str, MediaFile] = {}
    held: dict[str, MediaFile | None] = {}
    for job in jobs:
        link = media_store.PostMedia(position=job.position, declared_kind=job.declared.kind,
                                     declared_name=job.declared.file_name, declared_mime=job.declared.mime_type,
                                     origin=job.declared.path, note=job.note)
        links.setdefault(job.post_id, []).append(link)
        earlier = next((m for m in before[job.post_id] if m.position == job.position), None)
        if earlier is not None and earlier.sha256 and earlier.origin == link.origin:
            link.sha256, link.note = earlier.sha256, earlier.note
            counts.known += 1
            continue
        if job.load is None:
            counts.unavailable += 1
            continue
        try:
            data = job.load()
        except (InvalidInput, SourceUnavailable, OSError) as exc:
            link.note = str(exc)
            counts.unavailable += 1
            continue
        sha = sha256_of(data)
        link.sha256 = sha
        if sha not in held and sha not in fresh:
            with engine.connect() as conn:
                held[sha] = media_store.get_file(conn, sha)
        record = fresh.get(sha) or held.get(sha)
        if record is not None:
            counts.known += 1
            if record.status == "ok" and not archive.has(sha):
                archive.write(data)  # the row survived but the file was lost: put it back
        else:
            record = archive.examine(data, job.declared.kind, job.declared.mime_type)
            fresh[sha] = record
            if record.status == "ok":
                counts.archived += 1
            else:
                counts.rejected += 1
                log.warning("media %s of post %s rejected: %s", sha[:12], job.post_id, record.reason)
        if record.status != "ok":
            link.note = record.reason
    with engine.begin() as conn:
        media_store.save_files(conn, list(fresh.values()))
        media_store.replace_links(conn, links)
    return counts


def _post_ids(engine: Engine, source_id: int, message_ids: Sequence[int]) -> dict[int, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(posts_table.c.message_id, posts_table.c.id).where(
            posts_table.c.source_id == source_id, posts_table.c.message_id.in_(list(message_ids))))
        return {row.message_id: row.id for row in rows}


def open_store(url: str, *, migrate: bool = False, pooled: bool = True) -> Engine:
    """An engine for the URL; raises a clear error when the schema is missing or old."""
    engine = db.connect(url, pooled)
    if migrate:
        db.migrate(engine)
    elif db.needs_migration(engine):
        raise WatchfloorError(f"the database at {engine.url!r} is not initialised or is out of date; "
                              "run `watchfloor init` first")
    return engine


def init_store(engine: Engine, kb_paths: Sequence[Path] | None = None) -> int:
    """Create or migrate the schema and load the bundled knowledge base; returns the entities loaded."""
    db.migrate(engine)
    entities = load_entities(kb_paths)
    with engine.begin() as conn:
        return kb_store.upsert_entities(conn, entities, normalize)


def import_entities(engine: Engine, found: Sequence[Entity], merge_matching: bool = True) -> dict[str, int]:
    """Add knowledge-base entries. An entry whose id exists replaces it; with ``merge_matching``, one
    that shares an alias with exactly one existing entry of its type is folded into that entry (its
    aliases, designations and sources join it) instead of becoming a duplicate."""
    counts = {"added": 0, "replaced": 0, "merged": 0}
    with engine.begin() as conn:
        existing = kb_store.load_kb(conn, statuses=("kb", "candidate"))
        gazetteer = Gazetteer(existing)
        by_id = {e.id: e for e in existing}
        writes: dict[str, Entity] = {}
        for entry in found:
            if entry.id in by_id:
                writes[entry.id] = entry
                counts["replaced"] += 1
                continue
            matches: set[str] = set()
            if merge_matching:
                for alias in entry.aliases:
                    key = tuple(t.norm for t in tokenize(alias.text) if t.norm)
                    matches |= {i for i in gazetteer.index.get(key, []) if by_id[i].type == entry.type}
            if len(matches) == 1:
                target = writes.get(next(iter(matches))) or by_id[next(iter(matches))]
                have = {a.text for a in target.aliases}
                target.aliases += [a for a in entry.aliases if a.text not in have]
                for field_name in ("sources", "designations"):
                    merged = list(target.attrs.get(field_name) or []) + list(entry.attrs.get(field_name) or [])
                    target.attrs[field_name] = [x for i, x in enumerate(merged) if x not in merged[:i]]
                writes[target.id] = target
                counts["merged"] += 1
            else:
                writes[entry.id] = entry
                counts["added"] += 1
        kb_store.upsert_entities(conn, list(writes.values()), normalize)
    return counts


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
        ids = _post_ids(engine, row_id, list(posts))
        jobs: list[_MediaJob] = []
        for message_id, parsed in sorted(posts.items()):
            for position, declared in enumerate(parsed.media):
                if declared.kind == "photo" and declared.path:
                    jobs.append(_MediaJob(ids[message_id], position, declared,
                                          functools.partial(fetch_bytes, declared.path, media_policy)))
                else:
                    note = "not fetched: only photos are downloaded from the web preview" if declared.path \
                        else "the page gives no address for it"
                    jobs.append(_MediaJob(ids[message_id], position, declared, None, note))
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


@dataclass
class ImportReport:
    """What an import did: per-chat counts and every message that was quarantined."""

    chats: list[dict[str, Any]] = field(default_factory=list)
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    errors: list[str] = field(default_factory=list)
    media: MediaCounts = field(default_factory=MediaCounts)


def sample_exports() -> Path:
    """The folder of bundled sample Telegram exports (with sources.yaml and EVENTS.md)."""
    return Path(str(files("watchfloor") / "samples" / "telegram"))


def import_sample(engine: Engine, progress: Progress = _no_progress) -> None:
    """Register the bundled sample outlets as sources.yaml describes them and import their exports."""
    registered = yaml.safe_load((sample_exports() / "sources.yaml").read_text(encoding="utf-8"))
    with engine.begin() as conn:
        for entry in registered:
            parsed = source_store.parse_key(entry["key"])
            source_store.add_source(conn, Source(key=parsed.key, channel_id=parsed.channel_id, name=entry.get("name"),
                                                 affiliation=entry.get("affiliation"), lang=entry.get("lang"),
                                                 tags=list(entry.get("tags") or [])))
    for folder in sorted(p for p in sample_exports().iterdir() if p.is_dir()):
        import_telegram_export(engine, folder, progress)


def import_telegram_export(engine: Engine, path: Path, progress: Progress = _no_progress,
                           batch_size: int = IMPORT_BATCH, settings: Settings | None = None,
                           source_key: str | None = None) -> ImportReport:
    """Import a Telegram Desktop export (JSON or HTML, told apart by its files); each batch commits on its
    own, so a killed import loses nothing, and each message is its own unit of failure: one the parser or
    the database refuses is recorded in ``import_errors`` and the rest is stored. With ``settings`` (and
    media_download including ``exports``) the files the export holds are archived."""
    chats = read_any_export(path)
    if source_key is not None and len(chats) > 1:
        raise InvalidInput(f"--source names one channel, and {path} holds {len(chats)}: import it without --source")
    report = ImportReport()
    archive = archive_from_settings(settings) if settings is not None and download_enabled(settings, "exports") \
        else None
    total = sum(len(chat.posts) for chat in chats)
    done = 0
    for chat in chats:
        with engine.begin() as conn:
            source_id, source = export_source(conn, chat.channel_id, chat.name, source_key)
            record_errors_once(conn, chat.file, [(e.message_id, e.reason) for e in chat.errors])
        report.errors.extend(clean_text(str(error)) for error in chat.errors)  # a path may hold surrogates
        chat_counts = post_store.StoreCounts()
        refused = 0
        for start in range(0, len(chat.posts), batch_size):
            batch = chat.posts[start:start + batch_size]
            outcome = write_batch(engine, source_id, batch, chat.file)
            chat_counts.add(outcome.counts)
            refused += len(outcome.failed)
            report.errors.extend(clean_text(str(MessageError(chat.file, mid, reason)))
                                 for mid, reason in outcome.failed)
            if archive is not None:
                failed = {mid for mid, _ in outcome.failed}
                report.media.add(read_media(engine, archive, _export_jobs(
                    engine, archive, source_id, Path(chat.file).parent,
                    [p for p in batch if p.message_id not in failed])))
            done += len(batch)
            progress(done, total)
        report.counts.add(chat_counts)
        report.chats.append({"source": source.key, "name": chat.name, "file": clean_text(chat.file),
                             "messages": len(chat.posts), "inserted": chat_counts.inserted,
                             "updated": chat_counts.updated, "unchanged": chat_counts.unchanged,
                             "revisions": chat_counts.revisions, "errors": len(chat.errors) + refused})
    return report


def _export_jobs(engine: Engine, archive: MediaArchive, source_id: int, folder: Path,
                 batch: Sequence[Any]) -> list[_MediaJob]:
    with_media = [p for p in batch if p.media]
    if not with_media:
        return []
    ids = _post_ids(engine, source_id, [p.message_id for p in with_media])
    jobs: list[_MediaJob] = []
    for parsed in with_media:
        for position, declared in enumerate(parsed.media):
            if declared.path:
                jobs.append(_MediaJob(ids[parsed.message_id], position, declared, functools.partial(
                    _read_export_file, folder, declared.path, archive.limit(declared.kind))))
            else:
                jobs.append(_MediaJob(ids[parsed.message_id], position, declared, None,
                                      "the export does not include the file"))
    return jobs


def build_stages(gazetteer: Gazetteer, names: Sequence[str] = PIPELINE_ORDER, settings: Settings | None = None,
                 translation_cache: TranslationCache | None = None, translation_usage: UsageMeter | None = None,
                 ) -> list[Stage]:
    """The pipeline's stages in order, set up; a stage that cannot run here is skipped with one log line."""
    stages: list[Stage] = []
    assigned: set[str] = {"text", "links", "posted_at", "source"}
    for name in names:
        factory = resolve("stages", name)
        if name == "entities":
            stage = factory(gazetteer.find, gazetteer.entities)
        elif name == "quotes":
            stage = factory(CandidateTypes(gazetteer.types()))
        elif name == "translate":
            # never waits for a back-end: the glossed original now, the queue's worker for the rest
            stage = factory(settings, {i: e.name for i, e in gazetteer.entities.items()}, translation_cache,
                            defer=True, usage=translation_usage)
        else:
            stage = factory()
        missing = [f for f in stage.requires if f not in assigned]
        if missing:
            raise WatchfloorError(f"stage {name!r} needs {', '.join(missing)}, which no earlier stage assigns")
        try:
            stage.setup()
        except NotConfigured as exc:
            log.warning("skipping stage %s: %s", name, exc)
            continue
        assigned.update(stage.assigns)
        stages.append(stage)
    return stages


@dataclass
class ProcessReport:
    """What a processing run did."""

    posts: int = 0
    stories_touched: int = 0
    retranslated: int = 0  # translated again by `retranslate` (process itself queues instead)
    queued: int = 0  # posts queued for translation (translation_queue.py)
    stages: dict[str, str] = field(default_factory=dict)


def _refresh_stories(engine: Engine, story_ids: set[int], names: dict[str, str], types: Mapping[str, str]) -> None:
    with engine.begin() as conn:
        for story_id in sorted(story_ids):
            members = post_store.load_posts(conn, story_store.story_post_ids(conn, story_id))
            if not members:
                conn.execute(stories_table.delete().where(stories_table.c.id == story_id))
                continue
            story_store.set_story_meta(conn, story_id, story_title(members, names, types),
                                       min(p.posted_at for p in members), max(p.posted_at for p in members))


def process(engine: Engine, settings: Settings, progress: Progress = _no_progress,
            reprocess: bool = False) -> ProcessReport:
    """Run the pipeline over every post not yet processed, then place each in a story."""
    with engine.begin() as conn:
        if reprocess:
            post_store.reset_analysis(conn)
            conn.execute(story_posts.delete())
            conn.execute(stories_table.delete())
        entities = kb_store.load_kb(conn)
        rejected = kb_store.rejected_ids(conn)
        total = conn.execute(sa.select(sa.func.count()).where(posts_table.c.processed_at.is_(None))).scalar_one()
    gazetteer = Gazetteer(entities)
    names = {e.id: e.name for e in entities}
    types = CandidateTypes(gazetteer.types())  # candidates count for quotes and story matching
    broad_places = frozenset(e.id for e in entities if e.type == "place" and e.attrs.get("kind") == "country")
    stages = build_stages(gazetteer, settings=settings,
                          translation_cache=translation_store.TranslationStore(engine),
                          translation_usage=UsageStore(engine))
    versions = {stage.name: stage.version for stage in stages}
    params = StoryParams(window_hours=settings.number("story_window_hours"),
                         threshold=settings.number("story_threshold"))
    window = timedelta(hours=params.window_hours)
    batch_size = int(settings.number("batch_size"))
    report = ProcessReport(stages=versions)
    processed: list[int] = []
    after_id = 0
    progress(0, total)
    while True:
        with engine.connect() as conn:
            batch: list[Post] = post_store.posts_to_process(conn, batch_size, after_id)
        if not batch:
            break
        after_id = batch[-1].id
        for stage in stages:
            stage.run(batch)
        for post in batch:  # names an analyst rejected are never linked again
            post.mentions = [m for m in post.mentions if m.entity_id not in rejected]
            post.candidates = [c for c in post.candidates if c.id not in rejected]
        with engine.begin() as conn:
            kb_store.add_candidates(conn, [c for post in batch for c in post.candidates], normalize)
            post_store.save_analysis(conn, batch, versions)
            batch_ids = {p.id for p in batch}
            context = [p for p in story_store.context_posts(conn, min(p.posted_at for p in batch),
                                                             max(p.posted_at for p in batch), window)
                       if p.id not in batch_ids]
            assignments = assign_stories(batch, context, types, params, broad_places)
            touched = story_store.apply_assignments(conn, assignments)
        _refresh_stories(engine, touched, names, types)
        report.posts += len(batch)
        processed += [p.id for p in batch]
        report.stories_touched += len(touched)
        progress(report.posts, total)
    if any(s.name == "translate" for s in stages):
        report.queued = enqueue(engine, settings, processed)
    return report


def retranslate(engine: Engine, settings: Settings, stage: Stage, batch_size: int = 64) -> int:
    """Translate processed posts again whose translation is missing or was made by a back-end ranked
    below the best one configured now (the stage keeps those it should not redo); returns how many."""
    rank = ranks(settings)
    best = max(rank.get(name, 0) for name in configured_backends(settings))
    weaker = [name for name, value in rank.items() if value < best]
    done, after_id = 0, 0
    while True:
        with engine.connect() as conn:
            ids = translation_store.posts_to_translate(conn, weaker, batch_size, after_id)
            batch = post_store.load_posts(conn, ids)
        if not ids:
            return done
        after_id = ids[-1]
        with engine.connect() as conn:
            candidates = kb_store.entities_by_id(conn, {m.entity_id for p in batch for m in p.mentions})
        for post in batch:  # the romanised candidates the names stage linked are glossed too
            post.candidates = [e for e in candidates.values() if e.status == "candidate"
                               and any(m.entity_id == e.id for m in post.mentions)]
        before = {p.id: (p.translation or {}).get("at") for p in batch}
        stage.run(batch)
        changed = [p for p in batch if (p.translation or {}).get("at") != before[p.id]]
        with engine.begin() as conn:
            translation_store.save_translations(conn, changed)
        done += len(changed)


@dataclass
class SimilarImage:
    """An archived image near another by PDQ distance, and the posts that carried it."""

    file: MediaFile
    distance: int
    carriers: list[media_store.Carrier] = field(default_factory=list)


def similar_media(engine: Engine, sha256: str | None = None, post: tuple[str, int] | None = None,
                  max_distance: int = 31) -> tuple[list[str], list[SimilarImage]]:
    """Images within ``max_distance`` bits (PDQ) of one image, or of each image of one post (source key,
    message id); returns the query hashes and the matches nearest first (the query images included, at 0)."""
    from watchfloor.media.pdq import hamming

    with engine.connect() as conn:
        if post is not None:
            post_id = media_store.resolve_post(conn, *post)
            if post_id is None:
                raise InvalidInput(f"no post {post[1]} of {post[0]}")
            queries = [m.sha256 for m in media_store.links_of(conn, [post_id])[post_id] if m.sha256]
        elif sha256:
            queries = [sha256.lower()]
        else:
            raise InvalidInput("give an image's SHA-256 or --post SOURCE/MESSAGE_ID")
        hashes = media_store.pdq_hashes(conn)
        by_sha = {sha: pdq for sha, pdq, _ in hashes}
        if sha256 and media_store.get_file(conn, queries[0]) is None:
            raise InvalidInput(f"no archived file {sha256}")
        probes = [by_sha[q] for q in queries if q in by_sha]
        best: dict[str, int] = {}
        for sha, pdq, _quality in hashes:
            distances = [hamming(pdq, probe) for probe in probes]
            if distances and min(distances) <= max_distance:
                best[sha] = min(distances)
        files = {sha: media_store.get_file(conn, sha) for sha in best}
        carried = media_store.carriers(conn, best)
    found = [SimilarImage(file=f, distance=best[sha], carriers=[c for c in carried if c.sha256 == sha])
             for sha, f in files.items() if f is not None]
    return queries, sorted(found, key=lambda s: (s.distance, s.file.sha256))


def ocr_media(engine: Engine, settings: Settings, redo: bool = False, progress: Progress = _no_progress) -> int:
    """Read the text of archived images OCR has not read (every image with ``redo``); returns how many."""
    from watchfloor.media.ocr import installed_languages

    archive = archive_from_settings(settings)
    installed_languages(archive.ocr_langs)  # NotConfigured, with the install hint, before any work
    with engine.connect() as conn:
        pending = media_store.files_to_read(conn, redo, limit=10_000_000)
    done = 0
    progress(0, len(pending))
    for sha in pending:
        record = archive.ocr_archived(sha)
        if record is not None and record.ocr_langs is not None:
            with engine.begin() as conn:
                media_store.set_ocr(conn, sha, record.ocr_text or "", record.ocr_langs)
            done += 1
        elif record is None:
            log.warning("media %s: the archived file is missing or no longer decodes; not read", sha[:12])
        progress(done, len(pending))
    return done
