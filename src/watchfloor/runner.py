"""The one place that wires sources, the pipeline and the store together (the local engine)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

import yaml

from watchfloor.collect import (
    CollectOptions,
    CollectReport,
    collect_rss,
    collect_source,
    collect_telegram_api,
    collect_telegram_web,
)
from watchfloor.errors import InvalidInput, NotConfigured, WatchfloorError
from watchfloor.importer import IMPORT_BATCH, ImportReport, import_telegram_export, import_telegram_exports
from watchfloor.ingest_media import (
    TELEGRAM_MEDIA_HOSTS,
    MediaCounts,
    read_media,
)
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.merge import merge_entries
from watchfloor.kb.normalize import normalize
from watchfloor.media.store import archive_from_settings
from watchfloor.models import Entity, MediaFile, Post, Source
from watchfloor.pipeline.base import GIVEN_FIELDS, Stage
from watchfloor.pipeline.names import CandidateTypes
from watchfloor.pipeline.order import stage_order
from watchfloor.pipeline.stories import StoryParams, assign_stories, story_title
from watchfloor.registry import available, resolve
from watchfloor.settings import Settings
from watchfloor.store import db
from watchfloor.store import kb as kb_store
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.store import translations as translation_store
from watchfloor.store.base import Engine
from watchfloor.store.usage import UsageStore
from watchfloor.story_coding import recode_stale, store_coding
from watchfloor.translate.cache import TranslationCache
from watchfloor.translate.usage import UsageMeter
from watchfloor.translation_queue import enqueue

__all__ = [
    "Progress", "ImportReport", "ProcessReport", "open_store", "init_store", "import_telegram_export",
    "build_stages", "process", "import_entities", "collect_telegram_web", "collect_telegram_api", "CollectReport",
    "IMPORT_BATCH", "PIPELINE_ORDER", "MediaCounts", "TELEGRAM_MEDIA_HOSTS", "read_media",
    "SimilarImage", "similar_media", "ocr_media", "sample_exports", "import_sample", "CollectOptions",
    "collect_source", "collect_rss", "import_telegram_exports",
]

log = logging.getLogger("watchfloor")

Progress = Callable[[int, int], None]  # (done, total)
PIPELINE_ORDER = ("language", "entities", "names", "translate", "translation_names", "quotes", "dates", "indicators",
                  "embed")


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
    registered = yaml.safe_load((sample_exports() / "sources.yaml").read_text(encoding="utf-8"))
    with engine.begin() as conn:
        for entry in registered:
            parsed = source_store.parse_key(entry["key"])
            source_store.add_source(conn, Source(key=parsed.key, channel_id=parsed.channel_id, name=entry.get("name"),
                                                 affiliation=entry.get("affiliation"), lang=entry.get("lang"),
                                                 tags=list(entry.get("tags") or [])))
    for folder in sorted(p for p in sample_exports().iterdir() if p.is_dir()):
        import_telegram_export(engine, folder, progress)


def build_stages(gazetteer: Gazetteer, names: Sequence[str] | None = None, settings: Settings | None = None,
                 translation_cache: TranslationCache | None = None, translation_usage: UsageMeter | None = None,
                 ) -> list[Stage]:
    """Every registered stage (or those named) set up, in pipeline/order.py's order; one that cannot run is skipped."""
    made: list[Stage] = []
    for name in (list(available("stages")) if names is None else names):
        factory = resolve("stages", name)
        if name == "entities":
            made.append(factory(gazetteer.find, gazetteer.entities))
        elif name == "quotes":
            made.append(factory(CandidateTypes(gazetteer.types())))
        elif name == "translate":
            # never waits for a back-end: the glossed original now, the queue's worker for the rest
            made.append(factory(settings, {i: e.name for i, e in gazetteer.entities.items()}, translation_cache,
                                defer=True, usage=translation_usage))
        else:
            made.append(factory())
    stages, assigned = [], set(GIVEN_FIELDS)
    for stage in stage_order(made):
        missing = [f for f in stage.requires if f not in assigned]
        if missing:
            raise WatchfloorError(f"stage {stage.name!r} needs {', '.join(missing)}, which a skipped stage assigns")
        try:
            stage.setup()
        except NotConfigured as exc:
            log.warning("skipping stage %s: %s", stage.name, exc)
            continue
        assigned.update(stage.assigns)
        stages.append(stage)
    return stages


@dataclass
class ProcessReport:
    """What a processing run did."""

    posts: int = 0
    stories_touched: int = 0
    queued: int = 0  # posts queued for translation (translation_queue.py)
    stages: dict[str, str] = field(default_factory=dict)


def _refresh_stories(engine: Engine, story_ids: set[int], names: dict[str, str], types: Mapping[str, str]) -> None:
    with engine.begin() as conn:
        for story_id in sorted(story_ids):
            members = post_store.load_posts(conn, story_store.story_post_ids(conn, story_id))
            if not members:
                story_store.delete_story(conn, story_id)
                continue
            story_store.set_story_meta(conn, story_id, story_title(members, names, types),
                                       min(p.posted_at for p in members), max(p.posted_at for p in members))
            store_coding(conn, story_id, members)


def process(engine: Engine, settings: Settings, progress: Progress = _no_progress,
            reprocess: bool = False) -> ProcessReport:
    """Run the pipeline over every post not yet processed, then place each in a story."""
    with engine.begin() as conn:
        if reprocess:
            post_store.reset_analysis(conn)
            story_store.clear_stories(conn)
        entities = kb_store.load_kb(conn)
        rejected = kb_store.rejected_ids(conn)
        total = post_store.count_unprocessed(conn)
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
    recode_stale(engine)  # stories made before story coding was stored, or coded with other cues
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
