"""The pipeline's stages in order, set up once per process.

Stages that load models (language, names, embeddings...) depend only on the settings, so each process keeps
the ones it built, keyed by the settings: a monitor pass or a Dask batch reuses them instead of loading the
models again. Other settings replace them (a process keeps one set of models, not one per settings seen).
Stages built from the knowledge base (entities, quotes, translate) are cheap and are built for each run, so an
analyst's edits to the knowledge base count from the next run on.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence

from watchfloor.errors import NotConfigured, WatchfloorError
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.base import GIVEN_FIELDS, Stage
from watchfloor.pipeline.names import CandidateTypes, NameStage
from watchfloor.pipeline.order import stage_order
from watchfloor.pipeline.recurrence import NameMemory
from watchfloor.registry import available, resolve
from watchfloor.settings import Settings
from watchfloor.translate.cache import TranslationCache
from watchfloor.translate.usage import UsageMeter

__all__ = ["PIPELINE_ORDER", "KB_STAGES", "build_stages", "model_stages", "settings_key", "clear_stage_cache",
           "model_loads"]

log = logging.getLogger("watchfloor")

# The built-in stages' order, as pipeline/order.py works it out from their requires/assigns (a test checks it).
PIPELINE_ORDER = ("language", "entities", "names", "translate", "translation_names", "quotes", "dates", "indicators",
                  "embed")
KB_STAGES = frozenset({"entities", "quotes", "translate"})  # made from the knowledge base for each run

SettingsKey = tuple[tuple[str, str | None], ...]
_built: dict[tuple[str, SettingsKey], tuple[Stage, NotConfigured | None]] = {}
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


def _model_stage(name: str, settings: Settings | None) -> tuple[Stage, NotConfigured | None]:
    """This process's stage ``name`` for these settings, set up once, and why it cannot run (None: it can)."""
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
                _built[key] = (stage, exc)
            else:
                _built[key] = (stage, None)
            # the models' objects live as long as the process: moved out of the collector's sight, a full
            # collection no longer walks them all (0.1 s each, about one per run of a few hundred posts)
            gc.freeze()
        return _built[key]


def _names(names: Sequence[str] | None) -> list[str]:
    return list(available("stages")) if names is None else list(names)


def model_stages(settings: Settings | None, names: Sequence[str] | None = None) -> list[str]:
    """Load this process's model stages for these settings now (a Dask worker does it at start-up); returns
    the names of those that can run here."""
    return [name for name in _names(names) if name not in KB_STAGES and _model_stage(name, settings)[1] is None]


def build_stages(gazetteer: Gazetteer, names: Sequence[str] | None = None, settings: Settings | None = None,
                 translation_cache: TranslationCache | None = None, translation_usage: UsageMeter | None = None,
                 name_memory: NameMemory | None = None) -> list[Stage]:
    """Every registered stage (or those named) set up, in pipeline/order.py's order; one that cannot run here
    is skipped with one log line, and a stage that needs what a skipped one assigns is an error. The names
    stages get this run's ``name_memory`` (names found before the run) on a copy of the process's stage."""
    made: list[Stage] = []
    unusable: dict[int, NotConfigured] = {}  # id(stage) -> why its setup failed
    fresh: set[int] = set()  # built from the knowledge base for this run: set up below
    for name in _names(names):
        if name in KB_STAGES:
            factory = resolve("stages", name)
            if name == "entities":
                stage = factory(gazetteer.find, gazetteer.entities)
            elif name == "quotes":
                stage = factory(CandidateTypes(gazetteer.types()))
            else:  # translate never waits for a back-end: the glossed original now, the queue's worker for the rest
                stage = factory(settings, {i: e.name for i, e in gazetteer.entities.items()}, translation_cache,
                                defer=True, usage=translation_usage)
            fresh.add(id(stage))
        else:
            stage, error = _model_stage(name, settings)
            if error is not None:
                unusable[id(stage)] = error
            elif name_memory and isinstance(stage, NameStage):
                stage = stage.with_memory(name_memory)
        made.append(stage)
    stages: list[Stage] = []
    assigned = set(GIVEN_FIELDS)
    for stage in stage_order(made):
        if id(stage) in unusable:
            log.warning("skipping stage %s: %s", stage.name, unusable[id(stage)])
            continue
        missing = [f for f in stage.requires if f not in assigned]
        if missing:
            raise WatchfloorError(f"stage {stage.name!r} needs {', '.join(missing)}, which a skipped stage assigns")
        if id(stage) in fresh:
            try:
                stage.setup()
            except NotConfigured as exc:
                log.warning("skipping stage %s: %s", stage.name, exc)
                continue
        assigned.update(stage.assigns)
        stages.append(stage)
    return stages
