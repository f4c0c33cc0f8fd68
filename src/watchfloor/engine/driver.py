"""What every engine's driver does around the stages: read the run's knowledge base, load batches from the
store in id order, write each batch's results and place its posts in stories, title and code the stories
placement touched, queue translations.

Story placement stays here, on the driver, batch after batch: a post joins a story by comparing it with the
posts already placed in the time window around it, so placing one batch needs every earlier batch placed.
Splitting the archive by time and merging stories at the seams would parallelise it too, but placement is a
small part of the cost (the stages, above all the embedding, are the rest) and one writer keeps SQLite safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.normalize import normalize
from watchfloor.models import Entity, Post
from watchfloor.pipeline.base import GIVEN_FIELDS, Stage
from watchfloor.pipeline.names import FOUND_SCORE, CandidateTypes
from watchfloor.pipeline.recurrence import name_memory
from watchfloor.pipeline.stories import StoryParams, assign_stories, story_title
from watchfloor.settings import Settings
from watchfloor.store import coding as coding_store
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Engine
from watchfloor.story_coding import recode_stale, store_codings, story_entities
from watchfloor.translation_queue import enqueue

__all__ = ["Progress", "ProcessReport", "Run", "start_run", "batches", "run_stages", "beside_others", "write_batch",
           "finish_run", "refresh_stories", "DRIVER_STEPS", "REFRESH_EVERY"]

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ProcessReport:
    """What a processing run did."""

    posts: int = 0
    stories_touched: int = 0
    queued: int = 0  # posts queued for translation (translation_queue.py)
    stages: dict[str, str] = field(default_factory=dict)
    # seconds spent in each stage (summed over batches; on Dask, over the workers) and in each of the driver's
    # steps (DRIVER_STEPS), so a run shows where its time went
    seconds: dict[str, float] = field(default_factory=dict)

    def add_seconds(self, spent: Mapping[str, float]) -> None:
        """Count ``spent`` (seconds by stage or step) into the run's totals."""
        for name, value in spent.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value


DRIVER_STEPS = ("read", "store", "place", "stories")
"""The driver's own steps timed in ``ProcessReport.seconds``: reading batches, storing the analysis (and the
candidates), placing posts in stories, and refreshing the touched stories' titles and coding."""


REFRESH_EVERY = 16
# places too broad to tell events apart when stories are formed: countries, and regions ("the Middle East")
BROAD_PLACES = ("country", "region")
"""Batches a run writes between two refreshes of the stories they placed posts in (the last refresh comes at the
end of the run): a story that several of them touch is titled and coded once, from its posts as they are then,
not once per batch; a new story waits at most this many batches for its title."""


_beside: list[ThreadPoolExecutor] = []  # this process's thread for the stages that run beside the others


def beside_others(stages: Sequence[Stage]) -> list[Stage]:
    """The stages that run in a thread of their own while the others run in order: those marked ``overlaps``
    (their model's work releases the GIL, as the embedding's C library does) that read only what the store gives
    and assign what no other stage reads, so the order of the others cannot matter to them nor they to it."""
    needed = {field for stage in stages for field in stage.requires}
    return [stage for stage in stages if getattr(stage, "overlaps", False) and set(stage.requires) <= GIVEN_FIELDS
            and not set(stage.assigns) & needed]


def run_stages(stages: Sequence[Stage], batch: list[Post], overlap: bool = False) -> dict[str, float]:
    """Run every stage over ``batch`` in order, or with ``overlap`` those ``beside_others`` in a thread while the
    rest run in order (the embedding computes on the core the Python stages leave idle); the seconds each took. A
    failing stage's error is raised once every stage has stopped, so no thread still writes to the batch.

    The local engine overlaps: it is the machine's one computing process. A Dask worker does not: a machine runs
    several, each on its own cores, and a second thread in each only takes a core from another worker (two workers
    on two cores, one thread each: 1.80 times one worker's rate in order, 1.55 overlapped; docs/benchmarks.md)."""
    def timed(stage: Stage) -> float:
        started = time.perf_counter()
        stage.run(batch)
        return time.perf_counter() - started

    beside = beside_others(stages) if overlap else []
    if beside and not _beside:
        _beside.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="watchfloor-beside"))
    pending = [(stage, _beside[0].submit(timed, stage)) for stage in beside]
    spent: dict[str, float] = {}
    try:
        for stage in stages:
            if not any(stage is other for other in beside):
                spent[stage.name] = spent.get(stage.name, 0.0) + timed(stage)
    finally:
        wait([future for _, future in pending])
    for stage, future in pending:
        spent[stage.name] = spent.get(stage.name, 0.0) + future.result()
    return spent


@dataclass
class Run:
    """One processing run's fixed inputs: the knowledge base as it was when the run began, the settings, and
    the memory of names the names stage found before the run (read once: every batch sees the same)."""

    engine: Engine
    settings: Settings
    entities: list[Entity]
    rejected: set[str]
    total: int
    gazetteer: Gazetteer
    memory: dict[str, tuple[str, str]] = field(default_factory=dict)
    report: ProcessReport = field(default_factory=ProcessReport)
    processed: list[int] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # stories placement changed since the last refresh
    unrefreshed: int = 0  # batches written since the last refresh

    @cached_property
    def names(self) -> dict[str, str]:
        """Entity id → canonical name."""
        return {e.id: e.name for e in self.entities}

    @cached_property
    def types(self) -> CandidateTypes:
        """Entity types, candidates included (they count for quotes and story matching)."""
        return CandidateTypes(self.gazetteer.types())


def start_run(engine: Engine, settings: Settings, reprocess: bool) -> Run:
    """Read the knowledge base, the memory of names found before (``pipeline/recurrence.py``) and count the
    posts to process (after forgetting every analysis with ``reprocess``: the stored mentions stay until each
    post is written again, so a reprocessing run remembers the names the analysis it replaces found)."""
    with engine.begin() as conn:
        if reprocess:
            post_store.reset_analysis(conn)
            story_store.clear_stories(conn)
        entities = kb_store.load_kb(conn)
        rejected = kb_store.rejected_ids(conn)
        total = post_store.count_unprocessed(conn)
        memory = name_memory(kb_store.found_names(conn, FOUND_SCORE)) if total else {}
    return Run(engine, settings, entities, set(rejected), int(total), Gazetteer(entities), memory)


def batches(run: Run) -> Iterator[list[Post]]:
    """The posts not yet processed, a batch at a time in id order, each read when it is asked for."""
    size = int(run.settings.number("batch_size"))
    after_id = 0
    while True:
        started = time.perf_counter()
        with run.engine.connect() as conn:
            batch: list[Post] = post_store.posts_to_process(conn, size, after_id)
        run.report.add_seconds({"read": time.perf_counter() - started})
        if not batch:
            return
        after_id = batch[-1].id
        yield batch


def refresh_stories(engine: Engine, story_ids: set[int], names: dict[str, str], types: Mapping[str, str]) -> None:
    """Title, time span and coding of each story from its posts as they are now, read together; a story left
    with no post is deleted."""
    if not story_ids:
        return
    with engine.begin() as conn:
        posts_of = story_store.stories_posts(conn, story_ids)
        for story_id in sorted(story_ids - posts_of.keys()):
            story_store.delete_story(conn, story_id)
        story_store.set_stories_meta(conn, [
            (story_id, story_title(members, names, types), min(p.posted_at for p in members),
             max(p.posted_at for p in members)) for story_id, members in sorted(posts_of.items())])
        store_codings(conn, posts_of, story_entities(conn, posts_of))


def _refresh(run: Run) -> None:
    started = time.perf_counter()
    refresh_stories(run.engine, run.touched, run.names, run.types)
    run.touched, run.unrefreshed = set(), 0
    run.report.add_seconds({"stories": time.perf_counter() - started})


def write_batch(run: Run, batch: list[Post], versions: dict[str, str]) -> None:
    """Store one analysed batch and place its posts in stories (batches must come in id order); the stories
    it changed are titled and coded with those of the next batches (``REFRESH_EVERY``)."""
    for post in batch:  # names an analyst rejected are never linked again
        post.mentions = [m for m in post.mentions if m.entity_id not in run.rejected]
        post.candidates = [c for c in post.candidates if c.id not in run.rejected]
    types = run.types
    params = StoryParams(window_hours=run.settings.number("story_window_hours"),
                         threshold=run.settings.number("story_threshold"))
    broad_places = frozenset(e.id for e in run.entities if e.type == "place" and e.attrs.get("kind") in BROAD_PLACES)
    started = time.perf_counter()
    with run.engine.begin() as conn:
        kb_store.add_candidates(conn, [c for post in batch for c in post.candidates], normalize)
        post_store.save_analysis(conn, batch, versions)
        stored = time.perf_counter()
        batch_ids = {p.id for p in batch}
        context = [p for p in story_store.context_posts(conn, min(p.posted_at for p in batch),
                                                         max(p.posted_at for p in batch),
                                                         timedelta(hours=params.window_hours))
                   if p.id not in batch_ids]
        touched = story_store.apply_assignments(conn, assign_stories(batch, context, types, params, broad_places))
        # until they are refreshed: with no coding, a story is refreshed by the next run if this one stops first
        coding_store.forget_codings(conn, touched)
    run.report.add_seconds({"store": stored - started, "place": time.perf_counter() - stored})
    run.report.posts += len(batch)
    run.processed += [p.id for p in batch]
    run.report.stories_touched += len(touched)
    run.touched |= touched
    run.unrefreshed += 1
    if run.unrefreshed >= REFRESH_EVERY:
        _refresh(run)


def finish_run(run: Run) -> ProcessReport:
    """Title and code the stories placed in since the last refresh and any other story with no coding (a run
    that stopped before refreshing its stories leaves them so), queue the processed posts for translation when
    the translate stage ran, code the stories coded with other cues; the run's report."""
    _refresh(run)
    after_id = 0
    while True:  # a page at a time: a database made before story coding was stored has no story coded
        with run.engine.connect() as conn:
            uncoded = coding_store.uncoded_stories(conn, 200, after_id)
        if not uncoded:
            break
        run.touched, after_id = set(uncoded), uncoded[-1]
        _refresh(run)
    if "translate" in run.report.stages:
        run.report.queued = enqueue(run.engine, run.settings, run.processed)
    recode_stale(run.engine)  # stories coded with other cues (an update of the cues)
    return run.report
