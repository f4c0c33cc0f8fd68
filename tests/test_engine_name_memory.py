"""The memory of names found before (issue 15): read from the store's candidate mentions once, when a run
starts, and handed to the names stage of that run; a later run finds alone a name earlier runs found with a
signal, a run never learns from its own batches. The Dask engine's twin is in test_engine_dask.py."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.engine.driver import start_run
from watchfloor.engine.stages import build_stages
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.names import FOUND_SCORE, NameStage
from watchfloor.settings import load_settings
from watchfloor.store import kb as kb_store
from watchfloor.store.tables import mentions, posts

SETTINGS = load_settings({"batch_size": "2"}, environ={})  # batches of two: the memory must not grow inside a run
FULL = ["قال وزير الخارجية كارل فيبر إن المحادثات مع الجانب الآخر ستستمر.",
        "وأكد وزير الخارجية كارل فيبر أن الوفد سيعود الأسبوع المقبل."]
BARE = "وكانت زيارة فيبر الأولى إلى المنطقة منذ عامين."


def export(tmp_path: Path, name: str, first_id: int, texts: list[str], chat_id: int = 1700000001) -> Path:
    folder = tmp_path / name
    write_export(folder, chat_id, "Test Wire", [message(first_id + k, text, 1716450000 + 600 * (first_id + k))
                                                for k, text in enumerate(texts)])
    return folder


def bare_mentions(engine: Engine) -> list[tuple[str, float]]:
    """(surface, score) of the mentions of the post that names him alone."""
    with engine.connect() as conn:
        found = conn.execute(sa.select(mentions.c.surface, mentions.c.score)
                             .join(posts, posts.c.id == mentions.c.post_id).where(posts.c.text == BARE))
        return [(row.surface, row.score) for row in found]


def test_a_later_run_finds_alone_a_name_earlier_runs_found_with_a_signal(store: Engine, tmp_path: Path) -> None:
    runner.import_telegram_export(store, export(tmp_path, "first", 1, FULL))
    assert runner.process(store, SETTINGS).posts == 2
    with store.connect() as conn:
        found = kb_store.found_names(conn, FOUND_SCORE)
    assert {(surface, kind) for surface, kind, _, _ in found} == {("كارل فيبر", "person")}
    assert len({post for _, _, post, _ in found}) == 2
    runner.import_telegram_export(store, export(tmp_path, "later", 10, [BARE]))
    run = start_run(store, SETTINGS, reprocess=False)
    assert run.memory == {normalize("كارل فيبر"): ("person", ""), normalize("فيبر"): ("person", "كارل فيبر")}
    assert runner.process(store, SETTINGS).posts == 1
    (surface, score), = bare_mentions(store)
    assert surface == "فيبر" and score < FOUND_SCORE
    with store.connect() as conn:  # a name found again is not remembered as found with a signal
        assert len(kb_store.found_names(conn, FOUND_SCORE)) == 2
        # and it is a mention of the whole name's candidate: one entry to review, three posts
        ids = conn.execute(sa.select(mentions.c.entity_id).distinct()).scalars().all()
    assert len(ids) == 1 and ids[0].startswith("candidate:person:")


def test_the_memory_is_made_from_the_newest_posts_only(store: Engine, tmp_path: Path) -> None:
    """A run's start reads the names of the newest posts stored, not of the whole archive."""
    runner.import_telegram_export(store, export(tmp_path, "first", 1, FULL))
    assert runner.process(store, SETTINGS).posts == 2
    with store.connect() as conn:
        newest = conn.execute(sa.select(sa.func.max(posts.c.id))).scalar_one()
        both = kb_store.found_names(conn, FOUND_SCORE, newest=None)
        assert sorted(kb_store.found_names(conn, FOUND_SCORE)) == sorted(both)  # the default window holds all
        last_only = kb_store.found_names(conn, FOUND_SCORE, newest=1)
    assert len(both) == 2 and [post for _, _, post, _ in last_only] == [newest]


def test_a_run_does_not_learn_from_its_own_batches(store: Engine, tmp_path: Path) -> None:
    # the same posts in one run: the memory read when the run began was empty, whatever the batches found
    runner.import_telegram_export(store, export(tmp_path, "all", 1, [*FULL, BARE]))
    assert runner.process(store, SETTINGS).posts == 3
    assert bare_mentions(store) == []


def test_each_run_gets_the_memory_on_its_own_copy_of_the_names_stage() -> None:
    gazetteer = Gazetteer([])
    memory = {normalize("فيبر"): ("person", "")}
    remembering = build_stages(gazetteer, ["language", "entities", "names"], name_memory=memory)
    plain = build_stages(gazetteer, ["language", "entities", "names"])
    names = [s for s in remembering if isinstance(s, NameStage)]
    kept = [s for s in plain if isinstance(s, NameStage)]
    assert names and names[0].memory == memory
    assert kept and kept[0].memory == {} and kept[0] is not names[0]
