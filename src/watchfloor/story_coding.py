"""Coding stories when they change, and storing it on the story: readers (web app, API, CLI) only read it.

A story is coded when `watchfloor process` has placed posts in it (`engine/driver.py`'s `refresh_stories`, every
few batches and at the end of the run), when a post of it gets a new English text (the translation worker and an
analyst's translation), and, at the end of every `process` run, when it has no coding yet or was coded with
other cues (`CODER_VERSION`): that fills databases made before migration 0015 and follows an update of the cues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from watchfloor.models import Entity, Post, StoryCoding
from watchfloor.pipeline.coding import CODER_VERSION, code_story
from watchfloor.store import coding as coding_store
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Connection, Engine

__all__ = ["story_entities", "store_codings", "recode_stories", "recode_for_posts", "recode_stale"]


def story_entities(conn: Connection, posts_of: Mapping[int, Sequence[Post]]) -> dict[str, Entity]:
    """The entities the stories' posts name, candidates included, read together."""
    return kb_store.entities_by_id(conn, {m.entity_id for members in posts_of.values() for p in members
                                          for m in p.mentions})


def store_codings(conn: Connection, posts_of: Mapping[int, Sequence[Post]],
                  entities: Mapping[str, Entity]) -> dict[int, StoryCoding]:
    """Code each story from its posts and the entities they name (``story_entities``) and store them together."""
    codings = {story_id: code_story(members, entities) for story_id, members in posts_of.items()}
    coding_store.save_codings(conn, codings, CODER_VERSION)
    return codings


def recode_stories(conn: Connection, story_ids: Iterable[int]) -> int:
    """Code the stories again from their stored posts, read together; returns how many were coded."""
    posts_of = story_store.stories_posts(conn, story_ids)
    store_codings(conn, posts_of, story_entities(conn, posts_of))
    return len(posts_of)


def recode_for_posts(conn: Connection, post_ids: Iterable[int]) -> int:
    """Code again the stories of posts whose text or English changed."""
    return recode_stories(conn, coding_store.stories_of_posts(conn, post_ids))


def recode_stale(engine: Engine, batch: int = 200,
                 progress: Callable[[int], None] | None = None) -> int:
    """Code every story with no coding or one made by other cues, a batch per transaction; returns how many."""
    done, after_id = 0, 0
    while True:
        with engine.begin() as conn:
            ids = coding_store.stories_to_code(conn, CODER_VERSION, batch, after_id)
            if not ids:
                return done
            done += recode_stories(conn, ids)
        after_id = ids[-1]
        if progress is not None:
            progress(done)
