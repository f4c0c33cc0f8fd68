"""The driver titles and codes the stories a run placed posts in every few batches and at the end of the run,
not after every batch: on the bundled sample, SQLite and PostgreSQL, the stored stories, titles, time spans and
codings are the same whether they are refreshed after every batch, every few batches or once at the end; a run
that stops between refreshes leaves the stories it placed posts in uncoded, and the next run titles and codes
them as a run that had not stopped would have."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from test_engine_dask import assert_same, fresh_store, snapshot
from watchfloor import runner
from watchfloor.engine import driver
from watchfloor.engine.stages import build_stages
from watchfloor.settings import load_settings
from watchfloor.store import coding as coding_store
from watchfloor.store.tables import stories

SMALL_BATCHES = load_settings({"batch_size": "8"}, environ={})  # the sample is several batches of 8


def _processed(db_url: str, tmp_path: Path, name: str, every: int, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setattr(driver, "REFRESH_EVERY", every)
    engine = fresh_store(db_url, tmp_path, name)
    report = runner.process(engine, SMALL_BATCHES)
    assert report.posts > 40 and report.stories_touched > 0
    return engine


def _write_batches(engine: Engine, count: int) -> driver.Run:
    """A run that writes ``count`` batches and stops there, without finishing."""
    run = driver.start_run(engine, SMALL_BATCHES, reprocess=False)
    stages = build_stages(run.gazetteer, settings=SMALL_BATCHES)
    versions = {stage.name: stage.version for stage in stages}
    for number, batch in enumerate(driver.batches(run)):
        if number == count:
            break
        driver.run_stages(stages, batch)
        driver.write_batch(run, batch, versions)
    return run


def _titles(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(stories.c.title).order_by(stories.c.id)).scalars())


def test_stories_refreshed_once_per_run_are_those_refreshed_after_every_batch(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    every_batch = _processed(db_url, tmp_path, "every", 1, monkeypatch)
    expected = snapshot(every_batch)
    every_batch.dispose()
    assert expected["story_coding"] and all(row[1] for row in expected["stories"])  # every story titled
    for every in (3, 1000):  # every few batches; once, at the end
        engine = _processed(db_url, tmp_path, f"every-{every}", every, monkeypatch)
        assert_same(expected, snapshot(engine))
        engine.dispose()


def test_a_run_stopped_between_refreshes_leaves_its_stories_to_the_next_run(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _processed(db_url, tmp_path, "whole", 1, monkeypatch)
    expected = snapshot(whole)
    whole.dispose()
    monkeypatch.setattr(driver, "REFRESH_EVERY", 2)
    engine = fresh_store(db_url, tmp_path, "stopped")
    run = _write_batches(engine, 2)  # the second batch refreshes the stories of both
    assert not run.touched and _titles(engine) and all(_titles(engine))
    with engine.connect() as conn:
        assert not coding_store.uncoded_stories(conn)
    run = _write_batches(engine, 1)  # another run places a batch of posts, then stops
    with engine.connect() as conn:  # the stories it placed posts in (new or not) wait, uncoded
        assert run.touched and set(coding_store.uncoded_stories(conn)) == run.touched
    runner.process(engine, SMALL_BATCHES)
    assert_same(expected, snapshot(engine))
    engine.dispose()
