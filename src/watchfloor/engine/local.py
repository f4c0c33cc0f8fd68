"""The local engine: the stages run in this process, batch after batch (the embedding in a thread beside the
others), with a progress bar."""

from __future__ import annotations

from watchfloor.engine.driver import ProcessReport, Progress, batches, finish_run, run_stages, start_run, write_batch
from watchfloor.engine.stages import build_stages
from watchfloor.settings import Settings
from watchfloor.store.base import Engine
from watchfloor.store.translations import TranslationStore
from watchfloor.store.usage import UsageStore

__all__ = ["process"]


def _no_progress(done: int, total: int) -> None:
    return None


def process(engine: Engine, settings: Settings, progress: Progress = _no_progress,
            reprocess: bool = False) -> ProcessReport:
    """Run the pipeline over every post not yet processed, in this process, then place each in a story."""
    run = start_run(engine, settings, reprocess)
    stages = build_stages(run.gazetteer, settings=settings, translation_cache=TranslationStore(engine),
                          translation_usage=UsageStore(engine), name_memory=run.memory)
    versions = {stage.name: stage.version for stage in stages}
    run.report.stages = versions
    progress(0, run.total)
    for batch in batches(run):
        run.report.add_seconds(run_stages(stages, batch, overlap=True))  # the embedding beside the rest
        write_batch(run, batch, versions)
        progress(run.report.posts, run.total)
    return finish_run(run)
