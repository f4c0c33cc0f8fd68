"""Importing Telegram Desktop exports, one or many at once, at the speed of the disk.

Each export file is read and checked whole, then its messages are parsed batch by batch, and each batch is
written over one connection by the store's bulk writer in a second thread while the next one is parsed. Small
exports share a batch, so 2,000 small channels cost a few batches rather than a few transactions each; what is
stored is what importing them one by one stores. Every batch commits on its own, so a killed import keeps whole
batches and the next run resumes it.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.ingest_media import MediaCounts, MediaJob, read_export_file, read_media
from watchfloor.media.store import MediaArchive, archive_from_settings, download_enabled
from watchfloor.models import ParsedPost, Source
from watchfloor.settings import Settings
from watchfloor.sources.telegram_export import ExportChat, MessageError
from watchfloor.sources.telegram_html import open_any_export
from watchfloor.sources.telegram_reader import ChatReader
from watchfloor.store import posts as post_store
from watchfloor.store.base import Engine
from watchfloor.store.bulk_import import BulkWriter, Prepared, prepare
from watchfloor.store.importing import BatchOutcome, clean_text, export_source, record_errors_once
from watchfloor.store.sources import ensure_channels

__all__ = ["ImportReport", "import_telegram_export", "import_telegram_exports", "IMPORT_BATCH"]

Progress = Callable[[int, int], None]  # (done, total)
IMPORT_BATCH = 10_000


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class ImportReport:
    """What an import did: per-chat counts and every message that was quarantined."""

    chats: list[dict[str, Any]] = field(default_factory=list)
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    errors: list[str] = field(default_factory=list)
    media: MediaCounts = field(default_factory=MediaCounts)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Parsing makes millions of small objects and no cycles; the cycle collector would walk them over and over
    (a third of a large import's time), so it pauses for the import and resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _estimate(counted: int, read_bytes: int, left_bytes: int) -> int:
    """The posts of all the exports, from those counted so far and the share of the files' bytes read."""
    return counted + (round(counted * left_bytes / read_bytes) if read_bytes and left_bytes else 0)


def _size(path: Path) -> int:
    try:
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    except OSError:
        return 0


def import_telegram_export(engine: Engine, path: Path, progress: Progress = _no_progress,
                           batch_size: int = IMPORT_BATCH, settings: Settings | None = None,
                           source_key: str | None = None) -> ImportReport:
    """Import a Telegram Desktop export (JSON or HTML, told apart by its files); each batch commits on its
    own, so a killed import loses nothing, and each message is its own unit of failure: one the parser or
    the database refuses is recorded in ``import_errors`` and the rest is stored. With ``settings`` (and
    media_download including ``exports``) the files the export holds are archived."""
    return import_telegram_exports(engine, [path], progress, batch_size, settings, source_key)


def import_telegram_exports(engine: Engine, paths: Sequence[Path], progress: Progress = _no_progress,
                            batch_size: int = IMPORT_BATCH, settings: Settings | None = None,
                            source_key: str | None = None) -> ImportReport:
    """Import several exports, one after another, with one progress count over all of them (its total is
    estimated from the files' sizes until the last one is read). Stops at the first export that cannot be
    read at all, after storing the ones before it."""
    if not paths:
        raise InvalidInput("no export given: name one or more export files or folders")
    report = ImportReport()
    archive = archive_from_settings(settings) if settings is not None and download_enabled(settings, "exports") \
        else None
    sizes = [_size(Path(p)) for p in paths] if len(paths) > 1 else [0]  # only an estimate across exports needs them
    counted = 0
    with (_without_cycle_collection(), BulkWriter(engine) as writer,
          ThreadPoolExecutor(1, thread_name_prefix="watchfloor-import") as pool):
        batches = _Batches(writer, pool, report, archive, batch_size, progress)
        try:
            for index, path in enumerate(paths):
                chats = open_any_export(Path(path))
                if source_key is not None and len(chats) > 1:
                    raise InvalidInput(f"--source names one channel, and {path} holds {len(chats)}: "
                                       "import it without --source")
                read = sum(sizes[:index + 1]), sum(sizes[index + 1:])
                batches.tell(_estimate(counted + sum(chat.count for chat in chats), *read))
                counted += sum(batches.add(chat, source_key) for chat in chats)
                batches.tell(_estimate(counted, *read))  # refused and repeated messages are no posts: exact at the end
                del chats  # the next export replaces this one in memory (once its batch is written)
            batches.flush()
        except Exception:
            batches.flush()  # the exports read before one that cannot be read are stored
            raise
        finally:
            batches.wait()
    return report


@dataclass
class _Chat:
    """A chat being imported: its source once known, and what its parts did so far."""

    chat: ExportChat
    source: tuple[int, Source] | None = None
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    refused: int = 0
    posts: int = 0  # read so far


@dataclass
class _Part:
    """Some of a chat's posts in one batch, with the messages the parser refused while reading them."""

    chat: _Chat
    posts: Sequence[ParsedPost]
    errors: Sequence[MessageError]
    last: bool


class _Batches:
    """Chats' posts gathered into batches of up to ``batch_size`` across exports: 2,000 small channels cost a
    few transactions, not a few per channel. Each batch looks up or creates its sources at once, writes its
    posts in one transaction, records its refusals in one and its media in one; a chat's report is complete
    when its last part is written, in the order the chats were read. A batch is written by one thread while
    the next exports are read (the database works while Python parses); one batch at most is in flight, and
    its error is raised when the next one is handed over or at the end."""

    def __init__(self, writer: BulkWriter, pool: ThreadPoolExecutor, report: ImportReport,
                 archive: MediaArchive | None, batch_size: int, progress: Progress) -> None:
        self.writer, self.pool, self.report, self.archive = writer, pool, report, archive
        self.batch_size, self.progress = max(1, batch_size), progress
        self.parts: list[_Part] = []
        self.size = self.done = self.total = 0
        self.writing: Future[None] | None = None
        self.counting = threading.Lock()  # both threads report progress: (done, total) never go back

    def tell(self, total: int | None = None, written: int = 0) -> None:
        """Report progress, with a new estimate of the total or more posts written."""
        with self.counting:
            self.total = self.total if total is None else total
            self.done += written
            self.progress(self.done, self.total)

    def wait(self) -> None:
        """Wait for the batch in flight to be written (raising its error)."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()

    def add(self, reader: ChatReader, source_key: str | None) -> int:
        """Parse and queue a chat's posts, writing each batch as it fills; how many posts it held."""
        chat = reader.chat
        entry = _Chat(chat)
        if source_key is not None or chat.channel_id is None:  # a source named otherwise: resolved on its own,
            self.flush()  # after the chats before it are stored, since it may be refused
            self.wait()
            with self.writer.conn.begin():
                entry.source = export_source(self.writer.conn, chat.channel_id, chat.name, source_key)
        posts, errors_told = reader.posts(), 0
        coming = next(posts, None)  # one post ahead, so the chat's last part is known as such
        while True:
            piece: list[ParsedPost] = []
            while coming is not None and len(piece) < self.batch_size - self.size:
                piece.append(coming)
                coming = next(posts, None)
            self.parts.append(_Part(entry, piece, chat.errors[errors_told:], last=coming is None))
            errors_told = len(chat.errors)
            entry.posts += len(piece)
            self.size += len(piece)
            if self.size >= self.batch_size:
                self.flush()
            if coming is None:
                return entry.posts

    def flush(self) -> None:
        """Hand the queued parts to the writing thread once the batch before them is written."""
        if not self.parts:
            return
        parts, self.parts, self.size = self.parts, [], 0
        prepared = [prepare(part.posts, self.writer.dialect) for part in parts]  # here, while the writer works
        self.wait()
        self.writing = self.pool.submit(self._write, parts, prepared)

    def _write(self, parts: Sequence[_Part], prepared: Sequence[Prepared]) -> None:
        """Write a batch: sources, posts, refusals, media, progress."""
        conn = self.writer.conn
        waiting = [(part.chat, part.chat.chat.channel_id) for part in parts if part.chat.source is None]
        created: set[int] = set()
        if waiting:
            with conn.begin():
                found, created = ensure_channels(conn, [(channel_id, entry.chat.name)
                                                        for entry, channel_id in waiting if channel_id is not None])
            for (entry, _), source in zip(waiting, found, strict=True):
                entry.source = source
        outcomes = self.writer.write_prepared([(_source_id(part.chat), ready) for part, ready
                                               in zip(parts, prepared, strict=True)], created)
        refused = [(part.chat.chat.file, [(e.message_id, e.reason) for e in part.errors] + outcome.failed)
                   for part, outcome in zip(parts, outcomes, strict=True)]
        if any(failed for _, failed in refused):
            with conn.begin():
                for file, failed in refused:
                    if failed:
                        record_errors_once(conn, file, failed)
        for part, outcome in zip(parts, outcomes, strict=True):
            self._report(part, outcome)
        if self.archive is not None:
            inserted = set(self.writer.inserted)  # posts new in this batch: no links to look up or delete yet
            for run in _distinct_sources(parts):  # a post's files are set once per call: one source twice waits
                jobs, new = self._media_jobs(self.archive, [parts[i] for i in run], [outcomes[i] for i in run],
                                             inserted)
                self.report.media.add(read_media(self.writer.engine, self.archive, jobs, new))
        self.tell(written=sum(len(part.posts) for part in parts))

    def _report(self, part: _Part, outcome: BatchOutcome) -> None:
        chat, report = part.chat.chat, self.report
        report.errors.extend(clean_text(str(error)) for error in part.errors)  # a path may hold surrogates
        part.chat.counts.add(outcome.counts)
        part.chat.refused += len(outcome.failed)
        report.errors.extend(clean_text(str(MessageError(chat.file, mid, reason))) for mid, reason in outcome.failed)
        if part.last:
            counts = part.chat.counts
            report.counts.add(counts)
            report.chats.append({"source": _source(part.chat).key, "name": chat.name, "file": clean_text(chat.file),
                                 "messages": part.chat.posts, "inserted": counts.inserted,
                                 "updated": counts.updated, "unchanged": counts.unchanged,
                                 "revisions": counts.revisions, "errors": len(chat.errors) + part.chat.refused})

    def _media_jobs(self, archive: MediaArchive, parts: Sequence[_Part], outcomes: Sequence[BatchOutcome],
                    inserted: set[tuple[int, int]]) -> tuple[list[MediaJob], set[int]]:
        """The files the stored posts of these parts declare (with media_download including exports), and the
        ids of those posts the batch inserted (taken out of ``inserted``: a source written twice in one batch
        has links by its second run)."""
        carrying: list[tuple[_Part, list[ParsedPost]]] = []
        for part, outcome in zip(parts, outcomes, strict=True):
            failed = {mid for mid, _ in outcome.failed}
            with_media = [p for p in part.posts if p.media and p.message_id not in failed]
            if with_media:
                carrying.append((part, with_media))
        if not carrying:
            return [], set()
        ids = self.writer.post_ids([(_source_id(part.chat), [p.message_id for p in with_media])
                                    for part, with_media in carrying])
        jobs: list[MediaJob] = []
        new: set[int] = set()
        for part, with_media in carrying:
            source_id, folder = _source_id(part.chat), Path(part.chat.chat.file).parent
            for parsed in with_media:
                post_id = ids[(source_id, parsed.message_id)]
                if (source_id, parsed.message_id) in inserted:
                    inserted.discard((source_id, parsed.message_id))
                    new.add(post_id)
                for position, declared in enumerate(parsed.media):
                    if declared.path:
                        jobs.append(MediaJob(post_id, position, declared, functools.partial(
                            read_export_file, folder, declared.path, archive.limit(declared.kind))))
                    else:
                        jobs.append(MediaJob(post_id, position, declared, None,
                                             "the export does not include the file"))
        return jobs, new


def _distinct_sources(parts: Sequence[_Part]) -> list[list[int]]:
    """The parts' indexes in runs without a source twice (as the writer's transactions go)."""
    runs: list[list[int]] = [[]]
    seen: set[int] = set()
    for index, part in enumerate(parts):
        if _source_id(part.chat) in seen:
            runs.append([])
            seen.clear()
        runs[-1].append(index)
        seen.add(_source_id(part.chat))
    return runs


def _source(entry: _Chat) -> Source:
    assert entry.source is not None, "a batch's sources are resolved before it is written"
    return entry.source[1]


def _source_id(entry: _Chat) -> int:
    assert entry.source is not None, "a batch's sources are resolved before it is written"
    return entry.source[0]
