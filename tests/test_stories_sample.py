"""On the bundled sample channels, every event reported by several channels comes out as one story,
and its report draft cites each of its posts. The ground truth is samples/telegram/EVENTS.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchfloor import runner
from watchfloor.reports.draft import draft_report
from watchfloor.runner import sample_exports
from watchfloor.settings import load_settings
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store
from watchfloor.store.tables import posts, sources, story_posts


def _events() -> dict[str, set[tuple[str, int]]]:
    events: dict[str, set[tuple[str, int]]] = {}
    current = None
    for line in (sample_exports() / "EVENTS.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            events[current] = set()
        match = re.match(r"\s*-\s*(\d+)/(\d+)\b", line)
        if match and current is not None:
            events[current].add((f"telegram:{match.group(1)}", int(match.group(2))))
    return {title: members for title, members in events.items() if members}


@pytest.fixture
def sample_store(store: Engine) -> Engine:
    for folder in sorted(p for p in sample_exports().iterdir() if p.is_dir()):
        report = runner.import_telegram_export(store, folder)
        assert report.errors == []
    runner.process(store, load_settings())
    return store


def _story_of(engine: Engine) -> dict[tuple[str, int], int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(sources.c.key, posts.c.message_id, story_posts.c.story_id)
                            .join(posts, posts.c.source_id == sources.c.id)
                            .join(story_posts, story_posts.c.post_id == posts.c.id))
        return {(row.key, row.message_id): row.story_id for row in rows}


def test_every_multi_channel_event_is_exactly_one_story(sample_store: Engine) -> None:
    events = _events()
    assert len(events) >= 5
    story_of = _story_of(sample_store)
    for title, members in events.items():
        assert len({key for key, _ in members}) >= 2, f"{title}: the ground truth names one channel only"
        stories = {story_of.get(member) for member in members}
        assert len(stories) == 1 and None not in stories, f"{title}: split across stories {stories}"
        story_id = stories.pop()
        assert {m for m, s in story_of.items() if s == story_id} == members, f"{title}: story has extra posts"


def test_report_draft_cites_each_post_of_each_event(sample_store: Engine) -> None:
    story_of = _story_of(sample_store)
    for title, members in _events().items():
        story_id = story_of[next(iter(members))]
        with sample_store.connect() as conn:
            story = story_store.get_story(conn, story_id)
            entities = kb_store.entities_with_related(conn, {m.entity_id for p in story.posts for m in p.mentions})
        draft = draft_report(story, entities)
        assert {(f.source, f.message_id) for f in draft.footnotes} == members, title
        for footnote in draft.footnotes:
            assert f"[{footnote.n}]" in draft.body
            # where and when; a post not in English adds its original words, one click from the English body
            assert re.fullmatch(r"Telegram, [A-Z][a-z]+ \d{1,2}, 20\d\d\.( Original \((Arabic|Persian)\): “.+”)?",
                                footnote.text, re.DOTALL)


def test_sample_is_shipped_with_the_package() -> None:
    folder = sample_exports()
    assert isinstance(folder, Path) and len([p for p in folder.iterdir() if p.is_dir()]) >= 4
