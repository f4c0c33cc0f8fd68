"""Story coding is computed when a story changes and stored on it (migration 0015); every reader only reads it.
On the bundled sample, SQLite and PostgreSQL: the stored coding is what the coder makes of the story's posts
now; a database without codings (made before 0015) or coded with other cues is coded by `process`; a new
English text for a post codes its story again; the web app, the API and shapes.py never import the coder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import import_sample
from watchfloor import runner
from watchfloor.models import StoryCoding
from watchfloor.pipeline.coding import CODER_VERSION, code_story
from watchfloor.settings import load_settings
from watchfloor.shapes import story_json
from watchfloor.store import coding as coding_store
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store
from watchfloor.store.tables import story_coding
from watchfloor.translation_queue import save_human

SRC = Path(__file__).resolve().parents[1] / "src" / "watchfloor"


def _fresh_codings(engine: Engine) -> dict[int, StoryCoding]:
    """What the coder makes of every story's posts now."""
    with engine.connect() as conn:
        found = {}
        for summary in story_store.list_stories(conn, limit=10_000):
            story = story_store.get_story(conn, summary.id)
            entities = kb_store.entities_by_id(conn, {m.entity_id for p in story.posts for m in p.mentions})
            found[story.id] = code_story(story.posts, entities)
    return found


def _stored(engine: Engine) -> dict[int, StoryCoding]:
    with engine.connect() as conn:
        ids = [s.id for s in story_store.list_stories(conn, limit=10_000)]
        return coding_store.codings_of(conn, ids)


@pytest.fixture
def sampled(store: Engine) -> Engine:
    import_sample(store)
    return store


def test_processing_stores_the_coding_of_every_story(sampled: Engine) -> None:
    stored = _stored(sampled)
    fresh = _fresh_codings(sampled)
    assert len(fresh) > 10 and stored == fresh
    assert any(c.event_type == "attack_claim" for c in stored.values())
    with sampled.connect() as conn:
        coders = set(conn.execute(sa.select(story_coding.c.coder)).scalars())
        story = story_store.get_story(conn, next(i for i, c in stored.items() if c.event_type))
        shaped = story_json(story, kb_store.entities_by_id(conn, {m.entity_id for p in story.posts
                                                                  for m in p.mentions}))
    assert coders == {CODER_VERSION}
    assert shaped["event_type"] == stored[story.id].event_type
    assert shaped["coding"] == {"votes": stored[story.id].type_votes, "actors": stored[story.id].actors,
                                "place": stored[story.id].place}
    assert [p["stance"] for p in shaped["posts"]] == [stored[story.id].stances[p.id] for p in story.posts]


@pytest.mark.parametrize("damage", ["missing", "other cues"])
def test_process_codes_stories_without_a_current_coding(sampled: Engine, damage: str) -> None:
    before = _stored(sampled)
    with sampled.begin() as conn:  # as a database made before migration 0015, or coded by older cue words
        if damage == "missing":
            conn.execute(story_coding.delete())
        else:
            conn.execute(story_coding.update().values(coder="cues-older", event_type=None, votes={}, stances={},
                                                      actors=[], place=None))
    with sampled.connect() as conn:
        story = story_store.get_story(conn, next(iter(before)))
        shaped = story_json(story, {})
    if damage == "missing":  # a reader reads; it does not code
        assert story.coding is None and shaped["event_type"] is None and shaped["coding"] is None
        assert all(p["stance"] is None for p in shaped["posts"])
    runner.process(sampled, load_settings(environ={}))  # nothing new to process: it codes what needs it
    assert _stored(sampled) == before
    with sampled.connect() as conn:
        assert set(conn.execute(sa.select(story_coding.c.coder)).scalars()) == {CODER_VERSION}


@pytest.mark.parametrize("cue", ["The group denied the reports.",
                                 "Officials deny that the meeting took place."])
def test_a_new_english_text_codes_the_story_again(sampled: Engine, cue: str) -> None:
    stored = _stored(sampled)
    with sampled.connect() as conn:
        post = next(p for story_id in sorted(stored) for p in story_store.get_story(conn, story_id).posts
                    if p.lang not in (None, "en") and stored[story_id].stances[p.id] == "report")
        story_id = next(i for i, c in stored.items() if post.id in c.stances)
    with sampled.begin() as conn:
        save_human(conn, post.id, cue, "analyst@example.org", "analyst@example.org")
    after = _stored(sampled)
    assert after[story_id].stances[post.id] == "denial"
    assert after == _fresh_codings(sampled)


@pytest.mark.parametrize("module", ["shapes.py", *(f"web/{p.name}" for p in sorted((SRC / "web").glob("*.py")))])
def test_readers_never_import_the_coder(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(name.startswith("watchfloor.pipeline") for name in imported), imported
