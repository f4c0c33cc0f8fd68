"""The pipeline's stages in order, set up once per process.

Stages that load models (language, names, embeddings...) depend only on the settings, so each process keeps
the ones it built, keyed by the settings: a monitor pass or a Dask batch reuses them instead of loading the
models again. Other settings replace them (a process keeps one set of models, not one per settings seen).
Stages built from the knowledge base (entities, quotes, translate) are cheap and are built for each run, so an
analyst's edits to the knowledge base count from the next run on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from watchfloor.errors import NotConfigured, WatchfloorError
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.base import Stage
from watchfloor.pipeline.names import CandidateTypes
from watchfloor.registry import resolve
from watchfloor.settings import Settings
from watchfloor.translate.cache import TranslationCache
from watchfloor.translate.usage import UsageMeter

__all__ = ["PIPELINE_ORDER", "KB_STAGES", "build_stages", "model_stages", "settings_key", "clear_stage_cache",
           "model_loads"]

log = logging.getLogger("watchfloor")

PIPELINE_ORDER = ("language", "entities", "names", "translate", "translation_names", "quotes", "dates", "indicators",
                  "embed")
KB_STAGES = frozenset({"entities", "quotes", "translate"})  # made from the knowledge base for each run

SettingsKey = tuple[tuple[str, str | None], ...]
_built: dict[tuple[str, SettingsKey], Stage | NotConfigured] = {}
_lock = threading.Lock()
_loads = [0]  # model stages set up in this process


def model_loads() -> int:
    """How many model stages this process has set up (loaded) so far."""
    return _loads[0]


def settings_key(settings: Settings | None) -> SettingsKey:
    """What a cached stage is keyed by: every setting's value (none given: the empty key)."""
    return () if settings is None else tuple(sorted(settings.values.items()))


def clear_stage_cache() -> None:
    """Forget this process's built stages (their models are loaded again on next use)."""
    with _lock:
        _built.clear()


def _model_stage(name: str, settings: Settings | None) -> Stage | NotConfigured:
    key = (name, settings_key(settings))
    with _lock:
        if any(k[1] != key[1] for k in _built):  # other settings: one set of models per process, not one per run
            _built.clear()
        if key not in _built:
            stage: Stage = resolve("stages", name)()
            _loads[0] += 1
            try:
                stage.setup()
            except NotConfigured as exc:
                _built[key] = exc
            else:
                _built[key] = stage
        return _built[key]


def model_stages(settings: Settings | None, names: Sequence[str] = PIPELINE_ORDER) -> list[str]:
    """Load this process's model stages for these settings now (a Dask worker does it at start-up); returns
    the names of those that can run here."""
    return [name for name in names if name not in KB_STAGES
            and not isinstance(_model_stage(name, settings), NotConfigured)]


def build_stages(gazetteer: Gazetteer, names: Sequence[str] = PIPELINE_ORDER, settings: Settings | None = None,
                 translation_cache: TranslationCache | None = None, translation_usage: UsageMeter | None = None,
                 ) -> list[Stage]:
    """The pipeline's stages in order, set up; a stage that cannot run here is skipped with one log line."""
    stages: list[Stage] = []
    assigned: set[str] = {"text", "links", "posted_at", "source"}
    for name in names:
        factory = resolve("stages", name)
        built: Stage | NotConfigured
        if name == "entities":
            built = factory(gazetteer.find, gazetteer.entities)
        elif name == "quotes":
            built = factory(CandidateTypes(gazetteer.types()))
        elif name == "translate":
            # never waits for a back-end: the glossed original now, the queue's worker for the rest
            built = factory(settings, {i: e.name for i, e in gazetteer.entities.items()}, translation_cache,
                            defer=True, usage=translation_usage)
        else:
            built = _model_stage(name, settings)
        if isinstance(built, NotConfigured):
            log.warning("skipping stage %s: %s", name, built)
            continue
        missing = [f for f in built.requires if f not in assigned]
        if missing:
            raise WatchfloorError(f"stage {name!r} needs {', '.join(missing)}, which no earlier stage assigns")
        if name in KB_STAGES:
            try:
                built.setup()
            except NotConfigured as exc:
                log.warning("skipping stage %s: %s", name, exc)
                continue
        assigned.update(built.assigns)
        stages.append(built)
    return stages
