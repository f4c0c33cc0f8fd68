"""The one place that wires sources, the pipeline and the store together (the local engine)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from watchfloor.collect import (
    CollectOptions,
    CollectReport,
    collect_rss,
    collect_source,
    collect_telegram_api,
    collect_telegram_web,
)
from watchfloor.datafiles import read_yaml
from watchfloor.engine.driver import ProcessReport
from watchfloor.engine.stages import PIPELINE_ORDER, build_stages
from watchfloor.errors import InvalidInput, WatchfloorError
from watchfloor.importer import IMPORT_BATCH, ImportReport, import_telegram_export, import_telegram_exports
from watchfloor.ingest_media import (
    TELEGRAM_MEDIA_HOSTS,
    MediaCounts,
    read_media,
)
from watchfloor.kb.loader import load_entities
from watchfloor.kb.merge import merge_entries
from watchfloor.kb.normalize import normalize
from watchfloor.media.store import archive_from_settings
from watchfloor.models import Entity, MediaFile, Source
from watchfloor.registry import resolve
from watchfloor.settings import Settings
from watchfloor.store import db
from watchfloor.store import kb as kb_store
from watchfloor.store import media as media_store
from watchfloor.store import sources as source_store
from watchfloor.store.base import Engine

__all__ = [
    "Progress", "ImportReport", "ProcessReport", "open_store", "init_store", "import_telegram_export",
    "build_stages", "process", "import_entities", "collect_telegram_web", "collect_telegram_api", "CollectReport",
    "IMPORT_BATCH", "PIPELINE_ORDER", "MediaCounts", "TELEGRAM_MEDIA_HOSTS", "read_media",
    "SimilarImage", "similar_media", "ocr_media", "sample_exports", "import_sample", "CollectOptions",
    "collect_source", "collect_rss", "import_telegram_exports",
]

log = logging.getLogger("watchfloor")

Progress = Callable[[int, int], None]  # (done, total)


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
    with engine.begin() as conn:
        writes, counts = merge_entries(kb_store.load_kb(conn, statuses=("kb", "candidate")), found, merge_matching)
        kb_store.upsert_entities(conn, writes, normalize)
    return counts


def sample_exports() -> Path:
    """The folder of bundled sample Telegram exports (with sources.yaml and EVENTS.md)."""
    return Path(str(files("watchfloor") / "samples" / "telegram"))


def import_sample(engine: Engine, progress: Progress = _no_progress) -> None:
    """Register the bundled sample outlets as sources.yaml describes them and import their exports."""
    registered = read_yaml(sample_exports() / "sources.yaml")
    with engine.begin() as conn:
        for entry in registered:
            parsed = source_store.parse_key(entry["key"])
            source_store.add_source(conn, Source(key=parsed.key, channel_id=parsed.channel_id, name=entry.get("name"),
                                                 affiliation=entry.get("affiliation"), lang=entry.get("lang"),
                                                 tags=list(entry.get("tags") or [])))
    for folder in sorted(p for p in sample_exports().iterdir() if p.is_dir()):
        import_telegram_export(engine, folder, progress)


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
