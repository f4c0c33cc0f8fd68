"""Importing Telegram Desktop exports, one or many at once, at the speed of the disk.

Each export is read whole (the parser), then written batch by batch over one connection by the store's bulk
writer; every batch commits on its own, so a killed import keeps whole batches and the next run resumes it.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.ingest_media import MediaCounts, MediaJob, post_ids_of, read_export_file, read_media
from watchfloor.media.store import MediaArchive, archive_from_settings, download_enabled
from watchfloor.settings import Settings
from watchfloor.sources.telegram_export import ExportChat, MessageError
from watchfloor.sources.telegram_html import read_any_export
from watchfloor.store import posts as post_store
from watchfloor.store.base import Engine
from watchfloor.store.bulk_import import BulkWriter
from watchfloor.store.importing import clean_text, export_source, record_errors_once

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


def _report_progress(progress: Progress, total: int, done: int) -> None:
    progress(done, total)


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
    done = counted = 0
    with _without_cycle_collection(), BulkWriter(engine) as writer:
        for index, path in enumerate(paths):
            chats = read_any_export(Path(path))
            if source_key is not None and len(chats) > 1:
                raise InvalidInput(f"--source names one channel, and {path} holds {len(chats)}: "
                                   "import it without --source")
            counted += sum(len(chat.posts) for chat in chats)
            read_bytes, left_bytes = sum(sizes[:index + 1]), sum(sizes[index + 1:])
            total = counted + (round(counted * left_bytes / read_bytes) if read_bytes and left_bytes else 0)
            progress(done, total)
            for chat in chats:
                done = _import_chat(writer, chat, report, archive, batch_size, source_key,
                                    functools.partial(_report_progress, progress, total), done)
            del chats  # the next export's posts replace this one's in memory
    return report


def _import_chat(writer: BulkWriter, chat: ExportChat, report: ImportReport, archive: MediaArchive | None,
                 batch_size: int, source_key: str | None, progress: Callable[[int], None], done: int) -> int:
    with writer.conn.begin():
        source_id, source = export_source(writer.conn, chat.channel_id, chat.name, source_key)
        record_errors_once(writer.conn, chat.file, [(e.message_id, e.reason) for e in chat.errors])
    report.errors.extend(clean_text(str(error)) for error in chat.errors)  # a path may hold surrogates
    chat_counts = post_store.StoreCounts()
    refused = 0
    for start in range(0, len(chat.posts), batch_size):
        batch = chat.posts[start:start + batch_size]
        outcome = writer.write(source_id, batch, chat.file)
        chat_counts.add(outcome.counts)
        refused += len(outcome.failed)
        report.errors.extend(clean_text(str(MessageError(chat.file, mid, reason))) for mid, reason in outcome.failed)
        if archive is not None:
            failed = {mid for mid, _ in outcome.failed}
            report.media.add(read_media(writer.engine, archive, _export_jobs(
                writer.engine, archive, source_id, Path(chat.file).parent,
                [p for p in batch if p.message_id not in failed])))
        done += len(batch)
        progress(done)
    report.counts.add(chat_counts)
    report.chats.append({"source": source.key, "name": chat.name, "file": clean_text(chat.file),
                         "messages": len(chat.posts), "inserted": chat_counts.inserted,
                         "updated": chat_counts.updated, "unchanged": chat_counts.unchanged,
                         "revisions": chat_counts.revisions, "errors": len(chat.errors) + refused})
    return done


def _export_jobs(engine: Engine, archive: MediaArchive, source_id: int, folder: Path,
                 batch: Sequence[Any]) -> list[MediaJob]:
    with_media = [p for p in batch if p.media]
    if not with_media:
        return []
    ids = post_ids_of(engine, source_id, [p.message_id for p in with_media])
    jobs: list[MediaJob] = []
    for parsed in with_media:
        for position, declared in enumerate(parsed.media):
            if declared.path:
                jobs.append(MediaJob(ids[parsed.message_id], position, declared, functools.partial(
                    read_export_file, folder, declared.path, archive.limit(declared.kind))))
            else:
                jobs.append(MediaJob(ids[parsed.message_id], position, declared, None,
                                      "the export does not include the file"))
    return jobs
