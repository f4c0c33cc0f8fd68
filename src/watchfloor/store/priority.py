"""The facts the translation queue's priorities rest on (``translation_priority`` decides from them): which
posts reports cite, active alert rules, each queued post's story, watched names and alerts, and a cheap
fingerprint that changes when any of these does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.store.tables import alert_events, alert_rules, mentions, posts, reports, sources, stories, story_posts

__all__ = ["fingerprint", "cited_posts", "ActiveRule", "active_rules", "PostFacts", "post_facts"]


def fingerprint(conn: Connection) -> tuple[Any, ...]:
    """A cheap summary of the facts priorities rest on: it changes when a report is saved, a story grows or
    changes, a rule is added, switched or matched."""
    def one(query: Any) -> tuple[Any, ...]:
        return tuple(conn.execute(query).one())
    return (one(sa.select(sa.func.count(), sa.func.max(reports.c.updated_at))),
            one(sa.select(sa.func.count(), sa.func.max(stories.c.updated_at))),
            one(sa.select(sa.func.count()).select_from(story_posts)),
            one(sa.select(sa.func.count(), sa.func.max(alert_rules.c.id)).where(alert_rules.c.active.is_(True))),
            one(sa.select(sa.func.count(), sa.func.max(alert_events.c.id))))


def cited_posts(conn: Connection) -> set[tuple[str, int]]:
    """(source key, message id) of every post a report's footnotes cite, whatever the report's state."""
    cited: set[tuple[str, int]] = set()
    for footnotes in conn.execute(sa.select(reports.c.footnotes)).scalars():
        for note in footnotes or []:
            if isinstance(note, dict) and note.get("source") and isinstance(note.get("message_id"), int):
                cited.add((str(note["source"]), int(note["message_id"])))
    return cited


@dataclass(frozen=True)
class ActiveRule:
    """An active alert rule's kind and value."""

    kind: str
    value: str


def active_rules(conn: Connection) -> list[ActiveRule]:
    """Every active alert rule."""
    return [ActiveRule(str(r.kind), str(r.value)) for r in conn.execute(
        sa.select(alert_rules.c.kind, alert_rules.c.value).where(alert_rules.c.active.is_(True)))]


@dataclass
class PostFacts:
    """What a queued post's priority depends on."""

    id: int
    key: str  # its source's key
    message_id: int
    text: str | None
    text_en: str | None
    affiliation: str | None
    story_id: int | None = None
    names_watched: bool = False  # it names an entity an active rule watches
    alerted: bool = False  # a rule matched it


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), 500):
        yield list(ids[start:start + 500])


def post_facts(conn: Connection, post_ids: Sequence[int], watched_entities: Iterable[str]) -> dict[int, PostFacts]:
    """The facts of each stored post of ``post_ids``."""
    watched = sorted(set(watched_entities))
    facts: dict[int, PostFacts] = {}
    for chunk in _chunks(post_ids):
        for row in conn.execute(sa.select(posts.c.id, posts.c.message_id, posts.c.text, posts.c.text_en,
                                          sources.c.key, sources.c.affiliation)
                                .join(sources, sources.c.id == posts.c.source_id).where(posts.c.id.in_(chunk))):
            facts[int(row.id)] = PostFacts(id=int(row.id), key=str(row.key), message_id=int(row.message_id),
                                           text=row.text, text_en=row.text_en, affiliation=row.affiliation)
        for link in conn.execute(sa.select(story_posts.c.post_id, story_posts.c.story_id)
                                 .where(story_posts.c.post_id.in_(chunk))):
            if link.post_id in facts:
                facts[link.post_id].story_id = int(link.story_id)
        if watched:
            for post_id in conn.execute(sa.select(mentions.c.post_id).distinct().where(
                    mentions.c.post_id.in_(chunk), mentions.c.entity_id.in_(watched))).scalars():
                if post_id in facts:
                    facts[post_id].names_watched = True
        for post_id in conn.execute(sa.select(alert_events.c.post_id).distinct()
                                    .where(alert_events.c.post_id.in_(chunk))).scalars():
            if post_id in facts:
                facts[post_id].alerted = True
    return facts
