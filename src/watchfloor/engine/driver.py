"""What every engine's driver does around the stages: read the run's knowledge base, load batches from the
store in id order, write each batch's results and place its posts in stories, queue translations.

Story placement stays here, on the driver, batch after batch: a post joins a story by comparing it with the
posts already placed in the time window around it, so placing one batch needs every earlier batch placed.
Splitting the archive by time and merging stories at the seams would parallelise it too, but placement is a
small part of the cost (the stages, above all the embedding, are the rest) and one writer keeps SQLite safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.normalize import normalize
from watchfloor.models import Entity, Post
from watchfloor.pipeline.names import CandidateTypes
from watchfloor.pipeline.stories import StoryParams, assign_stories, story_title
from watchfloor.settings import Settings
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Engine
from watchfloor.story_coding import recode_stale, store_coding
from watchfloor.translation_queue import enqueue

__all__ = ["Progress", "ProcessReport", "Run", "start_run", "batches", "write_batch", "finish_run"]

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ProcessReport:
    """What a processing run did."""

    posts: int = 0
    stories_touched: int = 0
    queued: int = 0  # posts queued for translation (translation_queue.py)
    stages: dict[str, str] = field(default_factory=dict)


@dataclass
class Run:
    """One processing run's fixed inputs: the knowledge base as it was when the run began, and the settings."""

    engine: Engine
    settings: Settings
    entities: list[Entity]
    rejected: set[str]
    total: int
    gazetteer: Gazetteer
    report: ProcessReport = field(default_factory=ProcessReport)
    processed: list[int] = field(default_factory=list)

    @cached_property
    def names(self) -> dict[str, str]:
        """Entity id → canonical name."""
        return {e.id: e.name for e in self.entities}

    @cached_property
    def types(self) -> CandidateTypes:
        """Entity types, candidates included (they count for quotes and story matching)."""
        return CandidateTypes(self.gazetteer.types())


def start_run(engine: Engine, settings: Settings, reprocess: bool) -> Run:
    """Read the knowledge base and count the posts to process (after forgetting every analysis with
    ``reprocess``)."""
    with engine.begin() as conn:
        if reprocess:
            post_store.reset_analysis(conn)
            story_store.clear_stories(conn)
        entities = kb_store.load_kb(conn)
        rejected = kb_store.rejected_ids(conn)
        total = post_store.count_unprocessed(conn)
    return Run(engine, settings, entities, set(rejected), int(total), Gazetteer(entities))


def batches(run: Run) -> Iterator[list[Post]]:
    """The posts not yet processed, a batch at a time in id order, each read when it is asked for."""
    size = int(run.settings.number("batch_size"))
    after_id = 0
    while True:
        with run.engine.connect() as conn:
            batch: list[Post] = post_store.posts_to_process(conn, size, after_id)
        if not batch:
            return
        after_id = batch[-1].id
        yield batch


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


def write_batch(run: Run, batch: list[Post], versions: dict[str, str]) -> None:
    """Store one analysed batch and place its posts in stories (batches must come in id order)."""
    for post in batch:  # names an analyst rejected are never linked again
        post.mentions = [m for m in post.mentions if m.entity_id not in run.rejected]
        post.candidates = [c for c in post.candidates if c.id not in run.rejected]
    types = run.types
    params = StoryParams(window_hours=run.settings.number("story_window_hours"),
                         threshold=run.settings.number("story_threshold"))
    broad_places = frozenset(e.id for e in run.entities if e.type == "place" and e.attrs.get("kind") == "country")
    with run.engine.begin() as conn:
        kb_store.add_candidates(conn, [c for post in batch for c in post.candidates], normalize)
        post_store.save_analysis(conn, batch, versions)
        batch_ids = {p.id for p in batch}
        context = [p for p in story_store.context_posts(conn, min(p.posted_at for p in batch),
                                                         max(p.posted_at for p in batch),
                                                         timedelta(hours=params.window_hours))
                   if p.id not in batch_ids]
        touched = story_store.apply_assignments(conn, assign_stories(batch, context, types, params, broad_places))
    _refresh_stories(run.engine, touched, run.names, types)
    run.report.posts += len(batch)
    run.processed += [p.id for p in batch]
    run.report.stories_touched += len(touched)


def finish_run(run: Run) -> ProcessReport:
    """Queue the processed posts for translation when the translate stage ran, code the stories that have
    no current coding; the run's report."""
    if "translate" in run.report.stages:
        run.report.queued = enqueue(run.engine, run.settings, run.processed)
    recode_stale(run.engine)  # stories made before story coding was stored, or coded with other cues
    return run.report
