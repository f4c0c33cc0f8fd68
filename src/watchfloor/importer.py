"""Importing Telegram Desktop exports, one or many at once, at the speed of the disk.

Each export file is read and checked whole, then its messages are parsed batch by batch (``import_reading``:
in this process, or for a large import in a process of its own), and each batch is written over one
connection by the store's bulk writer in a second thread while the next one is parsed. Small exports share a
batch, so 2,000 small channels cost a few batches rather than a few transactions each; what is
stored is what importing them one by one stores. Every batch commits on its own, so a killed import keeps whole
batches and the next run resumes it.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.import_reading import Batch, ChatHead, ReadPart, read_apart, read_exports, reads_apart
from watchfloor.ingest_media import MediaCounts, MediaJob, read_export_file, read_media
from watchfloor.media.store import MediaArchive, archive_from_settings, download_enabled
from watchfloor.models import Media, Source
from watchfloor.settings import Settings
from watchfloor.sources.telegram_export import MessageError
from watchfloor.store import posts as post_store
from watchfloor.store.base import Engine
from watchfloor.store.bulk_import import BulkWriter
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


def _size(path: Path) -> int:
    try:
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    except OSError:
        return 0


def import_telegram_export(engine: Engine, path: Path, progress: Progress = _no_progress,
                           batch_size: int = IMPORT_BATCH, settings: Settings | None = None,
                           source_key: str | None = None, apart: bool | None = None) -> ImportReport:
    """Import a Telegram Desktop export (JSON or HTML, told apart by its files); each batch commits on its
    own, so a killed import loses nothing, and each message is its own unit of failure: one the parser or
    the database refuses is recorded in ``import_errors`` and the rest is stored. With ``settings`` (and
    media_download including ``exports``) the files the export holds are archived."""
    return import_telegram_exports(engine, [path], progress, batch_size, settings, source_key, apart)


def import_telegram_exports(engine: Engine, paths: Sequence[Path], progress: Progress = _no_progress,
                            batch_size: int = IMPORT_BATCH, settings: Settings | None = None,
                            source_key: str | None = None, apart: bool | None = None) -> ImportReport:
    """Import several exports, one after another, with one progress count over all of them (its total is
    estimated from the files' sizes until the last one is read). Stops at the first export that cannot be
    read at all, after storing the ones before it. ``apart``: read the exports in a process of their own
    (None: when they are large and there is a core to spare, ``import_reading.reads_apart``)."""
    if not paths:
        raise InvalidInput("no export given: name one or more export files or folders")
    report = ImportReport()
    archive = archive_from_settings(settings) if settings is not None and download_enabled(settings, "exports") \
        else None
    sizes = [_size(Path(p)) for p in paths]
    with (_without_cycle_collection(), BulkWriter(engine) as writer,
          ThreadPoolExecutor(1, thread_name_prefix="watchfloor-import") as pool):
        batches = _Batches(writer, pool, report, archive, source_key, progress)
        read = read_apart if (reads_apart(sizes) if apart is None else apart) else read_exports
        try:
            with closing(read(paths, sizes, batch_size, writer.dialect, source_key)) as events:
                for event in events:
                    if isinstance(event, int):
                        batches.tell(event)
                    else:
                        batches.hand_over(event)
        finally:
            batches.wait()
    return report


@dataclass
class _Chat:
    """A chat being imported: its source once known, and what its parts did so far."""

    head: ChatHead
    source: tuple[int, Source] | None = None
    counts: post_store.StoreCounts = field(default_factory=post_store.StoreCounts)
    refused: int = 0  # by the database
    errors: int = 0  # messages the parser refused
    posts: int = 0  # read so far


class _Batches:
    """Writes the batches the reading side gathers (2,000 small channels cost a few transactions, not a few
    per channel): each looks up or creates its sources at once, writes its posts in one transaction, records
    its refusals in one and its media in one; a chat's report is complete when its last part is written, in
    the order the chats were read. A batch is written by one thread while the next is read (the database
    works while Python parses); one batch at most is in flight, and its error is raised when the next one is
    handed over or at the end."""

    def __init__(self, writer: BulkWriter, pool: ThreadPoolExecutor, report: ImportReport,
                 archive: MediaArchive | None, source_key: str | None, progress: Progress) -> None:
        self.writer, self.pool, self.report, self.archive = writer, pool, report, archive
        self.source_key, self.progress = source_key, progress
        self.chats: list[_Chat] = []  # in the import's order (the writing thread's only)
        self.done = self.total = 0
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

    def hand_over(self, batch: Batch) -> None:
        """Hand a batch to the writing thread once the batch before it is written."""
        self.wait()
        self.writing = self.pool.submit(self._write, batch)

    def _entries(self, batch: Batch) -> list[_Chat]:
        """Each part's chat, new chats added (one whose source is named otherwise resolved on its own: it may
        be refused, and then nothing of it is written)."""
        for part in batch:
            if part.head is not None:
                self.chats.append(_Chat(part.head))
                if part.head.own_source:
                    with self.writer.conn.begin():
                        self.chats[-1].source = export_source(self.writer.conn, part.head.channel_id,
                                                              part.head.name, self.source_key)
        return [self.chats[part.chat] for part in batch]

    def _write(self, batch: Batch) -> None:
        """Write a batch: sources, posts, refusals, media, progress."""
        conn = self.writer.conn
        entries = self._entries(batch)
        waiting = [entry for entry in entries if entry.source is None]  # a chat has one part in a batch
        created: set[int] = set()
        if waiting:
            with conn.begin():
                found, created = ensure_channels(conn, [(entry.head.channel_id, entry.head.name)
                                                        for entry in waiting if entry.head.channel_id is not None])
            for entry, source in zip(waiting, found, strict=True):
                entry.source = source
        outcomes = self.writer.write_prepared([(_source_id(entry), part.prepared)
                                               for part, entry in zip(batch, entries, strict=True)], created)
        refused = [(entry.head.file, [(e.message_id, e.reason) for e in part.errors] + outcome.failed)
                   for part, entry, outcome in zip(batch, entries, outcomes, strict=True)]
        if any(failed for _, failed in refused):
            with conn.begin():
                for file, failed in refused:
                    if failed:
                        record_errors_once(conn, file, failed)
        for part, entry, outcome in zip(batch, entries, outcomes, strict=True):
            self._report(part, entry, outcome)
        if self.archive is not None:
            inserted = set(self.writer.inserted)  # posts new in this batch: no links to look up or delete yet
            for run in _distinct_sources(entries):  # a post's files are set once per call: one source twice waits
                jobs, new = self._media_jobs(self.archive, [(batch[i], entries[i], outcomes[i]) for i in run],
                                             inserted)
                self.report.media.add(read_media(self.writer.engine, self.archive, jobs, new))
        self.tell(written=sum(part.posts for part in batch))

    def _report(self, part: ReadPart, entry: _Chat, outcome: BatchOutcome) -> None:
        head, report = entry.head, self.report
        report.errors.extend(clean_text(str(error)) for error in part.errors)  # a path may hold surrogates
        entry.counts.add(outcome.counts)
        entry.refused += len(outcome.failed)
        entry.errors += len(part.errors)
        entry.posts += part.posts
        report.errors.extend(clean_text(str(MessageError(head.file, mid, reason))) for mid, reason in outcome.failed)
        if part.last:
            counts = entry.counts
            report.counts.add(counts)
            report.chats.append({"source": _source(entry).key, "name": head.name, "file": clean_text(head.file),
                                 "messages": entry.posts, "inserted": counts.inserted,
                                 "updated": counts.updated, "unchanged": counts.unchanged,
                                 "revisions": counts.revisions, "errors": entry.errors + entry.refused})

    def _media_jobs(self, archive: MediaArchive, parts: Sequence[tuple[ReadPart, _Chat, BatchOutcome]],
                    inserted: set[tuple[int, int]]) -> tuple[list[MediaJob], set[int]]:
        """The files the stored posts of these parts declare (with media_download including exports), and the
        ids of those posts the batch inserted (taken out of ``inserted``: a source written twice in one batch
        has links by its second run)."""
        carrying: list[tuple[_Chat, list[tuple[int, list[Media]]]]] = []
        for part, entry, outcome in parts:
            failed = {mid for mid, _ in outcome.failed}
            with_media = [(message_id, media) for message_id, encoded in part.prepared.goods.items()
                          if message_id not in failed and (media := encoded.media())]
            if with_media:
                carrying.append((entry, with_media))
        if not carrying:
            return [], set()
        ids = self.writer.post_ids([(_source_id(entry), [message_id for message_id, _ in with_media])
                                    for entry, with_media in carrying])
        jobs: list[MediaJob] = []
        new: set[int] = set()
        for entry, with_media in carrying:
            source_id, folder = _source_id(entry), Path(entry.head.file).parent
            for message_id, media in with_media:
                post_id = ids[(source_id, message_id)]
                if (source_id, message_id) in inserted:
                    inserted.discard((source_id, message_id))
                    new.add(post_id)
                for position, declared in enumerate(media):
                    if declared.path:
                        jobs.append(MediaJob(post_id, position, declared, functools.partial(
                            read_export_file, folder, declared.path, archive.limit(declared.kind))))
                    else:
                        jobs.append(MediaJob(post_id, position, declared, None,
                                             "the export does not include the file"))
        return jobs, new


def _distinct_sources(entries: Sequence[_Chat]) -> list[list[int]]:
    """The parts' indexes in runs without a source twice (as the writer's transactions go)."""
    runs: list[list[int]] = [[]]
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        if _source_id(entry) in seen:
            runs.append([])
            seen.clear()
        runs[-1].append(index)
        seen.add(_source_id(entry))
    return runs


def _source(entry: _Chat) -> Source:
    assert entry.source is not None, "a batch's sources are resolved before it is written"
    return entry.source[1]


def _source_id(entry: _Chat) -> int:
    assert entry.source is not None, "a batch's sources are resolved before it is written"
    return entry.source[0]
