"""The stages that run beside the others (``engine/driver.py``): with ``overlap`` (the local engine), a stage marked
``overlaps`` that reads only what the store gives and assigns what no other stage reads runs in a thread of its own
while the rest run in order; the batch ends the same as in order, and a failure in either is raised only once both
have stopped. A Dask worker runs its stages in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.engine.driver import beside_others, run_stages
from watchfloor.engine.stages import build_stages
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.embed import EmbedStage
from watchfloor.settings import load_settings
from watchfloor.store.tables import posts


class Recorder:
    """A stage that notes the thread it ran in and when, and writes one field of each post."""

    def __init__(self, name: str, requires: tuple[str, ...], assigns: tuple[str, ...], overlaps: bool = False,
                 seconds: float = 0.0, fails: bool = False) -> None:
        self.name, self.version, self.requires, self.assigns = name, "1", requires, assigns
        self.overlaps, self.seconds, self.fails = overlaps, seconds, fails
        self.thread: int | None = None
        self.span: tuple[float, float] = (0.0, 0.0)

    def setup(self) -> None:
        return None

    def run(self, batch: Sequence[Post]) -> None:
        started = time.perf_counter()
        self.thread = threading.get_ident()
        time.sleep(self.seconds)
        if self.fails:
            raise RuntimeError(f"{self.name} failed")
        for post in batch:
            setattr(post, self.assigns[0], [self.name])
        self.span = (started, time.perf_counter())


def _batch() -> list[Post]:
    return [Post(id=n, source=Source(key="telegram:desk"), message_id=n, text=f"خبر رقم {n}",
                 posted_at=datetime(2026, 5, 1, tzinfo=UTC)) for n in range(1, 4)]


def test_a_stage_beside_the_others_runs_in_its_own_thread_at_the_same_time() -> None:
    first = Recorder("first", ("text",), ("mentions",), seconds=0.3)
    second = Recorder("second", ("mentions",), ("quotes",), seconds=0.3)
    model = Recorder("model", ("text",), ("embedding",), overlaps=True, seconds=0.5)
    batch = _batch()
    spent = run_stages([first, second, model], batch, overlap=True)
    assert model.thread != threading.get_ident() and first.thread == second.thread == threading.get_ident()
    assert model.span[0] < first.span[1] and first.span[0] < model.span[1]  # they overlapped in time
    assert all(p.embedding == ["model"] and p.mentions == ["first"] for p in batch)
    assert set(spent) == {"first", "second", "model"} and spent["model"] >= 0.5


@pytest.mark.parametrize(("requires", "assigns", "read_after"), [
    (("text",), ("embedding",), ("embedding",)),  # another stage reads what it assigns
    (("mentions",), ("embedding",), ()),  # it reads what another stage assigns
])
def test_a_stage_tied_to_the_others_runs_in_order(requires: tuple[str, ...], assigns: tuple[str, ...],
                                                  read_after: tuple[str, ...]) -> None:
    first = Recorder("first", ("text",), ("mentions",))
    model = Recorder("model", requires, assigns, overlaps=True)
    last = Recorder("last", ("text", *read_after), ("quotes",))
    assert beside_others([first, model, last]) == []
    run_stages([first, model, last], _batch(), overlap=True)
    assert model.thread == threading.get_ident()


def test_without_overlap_every_stage_runs_in_order() -> None:  # as on a Dask worker
    first = Recorder("first", ("text",), ("mentions",))
    model = Recorder("model", ("text",), ("embedding",), overlaps=True)
    batch = _batch()
    run_stages([first, model], batch)
    assert model.thread == first.thread == threading.get_ident()
    assert all(p.embedding == ["model"] for p in batch)


def test_an_unmarked_stage_runs_in_order() -> None:
    model = Recorder("model", ("text",), ("embedding",), overlaps=False)
    assert beside_others([Recorder("first", ("text",), ("mentions",)), model]) == []


@pytest.mark.parametrize("failing", ["first", "model"])
def test_a_failure_is_raised_once_both_have_stopped(failing: str) -> None:
    first = Recorder("first", ("text",), ("mentions",), seconds=0.05, fails=failing == "first")
    model = Recorder("model", ("text",), ("embedding",), overlaps=True, seconds=0.4, fails=failing == "model")
    started = time.perf_counter()
    with pytest.raises(RuntimeError, match=f"{failing} failed"):
        run_stages([first, model], _batch(), overlap=True)
    # the model's thread had stopped before the error came back: nothing writes to the batch after
    assert time.perf_counter() - started >= 0.4


def test_the_pipeline_runs_the_embedding_beside_the_others() -> None:
    stages = build_stages(Gazetteer(load_entities()))
    assert [stage.name for stage in beside_others(stages)] == ["embed"]


def test_the_local_engine_embeds_beside_the_other_stages(store: Engine, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    original = EmbedStage.run

    def recorded(self: EmbedStage, batch: Sequence[Post]) -> None:
        threads.append(threading.get_ident())
        original(self, batch)

    monkeypatch.setattr(EmbedStage, "run", recorded)
    export = write_export(tmp_path / "desk", 1900000777, "Desk", [
        message(1, "Delegations met in Doha on Tuesday to discuss the ceasefire talks.", 1716300000),
        message(2, "التقى الوفدان في الدوحة يوم الثلاثاء لبحث محادثات وقف إطلاق النار.", 1716303600)])
    runner.import_telegram_export(store, export)
    report = runner.process(store, load_settings(environ={}))
    assert report.posts == 2 and threads and threading.get_ident() not in threads
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts).where(posts.c.embedding.is_not(None)))\
            .scalar_one() == 2
