"""The one place that wires sources, the pipeline and the store together (the local engine)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine

from watchfloor.collect import (
    CollectOptions,
    CollectReport,
    collect_rss,
    collect_source,
    collect_telegram_api,
    collect_telegram_web,
)
from watchfloor.engine.driver import ProcessReport
from watchfloor.engine.stages import PIPELINE_ORDER, build_stages
from watchfloor.errors import InvalidInput, WatchfloorError
from watchfloor.ingest_media import (
    TELEGRAM_MEDIA_HOSTS,
    MediaCounts,
    MediaJob,
    post_ids_of,
    read_export_file,
    read_media,
)
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.normalize import normalize, tokenize
from watchfloor.media.store import MediaArchive, archive_from_settings, download_enabled
from watchfloor.models import Entity, MediaFile, Source
from watchfloor.registry import resolve
from watchfloor.settings import Settings
from watchfloor.sources.telegram_export import MessageError
from watchfloor.sources.telegram_html import read_any_export
from watchfloor.store import db
from watchfloor.store import kb as kb_store
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.importing import clean_text, export_source, record_errors_once, write_batch

__all__ = [
    "Progress", "ImportReport", "ProcessReport", "open_store", "init_store", "import_telegram_export",
    "build_stages", "process", "import_entities", "collect_telegram_web", "collect_telegram_api", "CollectReport",
    "IMPORT_BATCH", "PIPELINE_ORDER", "MediaCounts", "TELEGRAM_MEDIA_HOSTS", "read_media",
    "SimilarImage", "similar_media", "ocr_media", "sample_exports", "import_sample", "CollectOptions",
    "collect_source", "collect_rss",
]

log = logging.getLogger("watchfloor")

Progress = Callable[[int, int], None]  # (done, total)
IMPORT_BATCH = 1000


def _no_progress(done: int, total: int) -> None:
    return None


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


def process(engine: Engine, settings: Settings, progress: Progress = _no_progress,
            reprocess: bool = False) -> ProcessReport:
    """Run the pipeline over every post not yet processed, then place each in a story, on the engine the
    ``engine`` setting names (``local``: this process; ``dask``: a Dask cluster; see ``engine/``)."""
    name = settings.get("engine") or "local"
    try:
        run = resolve("engines", name)
    except KeyError as exc:
        raise InvalidInput(str(exc.args[0])) from exc
    report: ProcessReport = run(engine, settings, progress, reprocess)
    return report


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
