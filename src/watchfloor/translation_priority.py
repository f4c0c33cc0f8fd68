"""The translation queue's priorities: which posts need English first, worked out again when the facts change.

Highest first; newest first within a level (docs/translation.md says why):

1. posts quoted in a report (their footnotes), whatever its state;
2. posts of stories told by several channels (more channels first);
3. posts that name a watched entity or match an active alert rule (or matched one);
4. the rest.

``fingerprint`` summarises the facts these rest on; the worker recomputes every queued row's priority when it
changes, so no code path that saves a report, grows a story or adds a rule has to know the queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.kb.normalize import normalize
from watchfloor.store import queue as queue_store
from watchfloor.store.tables import alert_events, alert_rules, mentions, posts, reports, sources, stories, story_posts

__all__ = ["PRIORITY", "fingerprint", "reprioritise"]

# Levels far enough apart that a level's bonus (channels of a story) never reaches the next level.
PRIORITY = {"report": 4000, "story": 3000, "watched": 2000, "recent": 1000}


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


def _reported(conn: Connection) -> set[tuple[str, int]]:
    cited: set[tuple[str, int]] = set()
    for footnotes in conn.execute(sa.select(reports.c.footnotes)).scalars():
        for note in footnotes or []:
            if isinstance(note, dict) and note.get("source") and isinstance(note.get("message_id"), int):
                cited.add((str(note["source"]), int(note["message_id"])))
    return cited


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), 500):
        yield list(ids[start:start + 500])


def reprioritise(conn: Connection) -> int:
    """Work out every queued row's priority again; returns how many changed."""
    rows = queue_store.queued_rows(conn)
    if not rows:
        return 0
    ids = [int(r.post_id) for r in rows]
    facts: dict[int, dict[str, Any]] = {i: {} for i in ids}
    cited = _reported(conn)
    rules = conn.execute(sa.select(alert_rules.c.kind, alert_rules.c.value).where(alert_rules.c.active.is_(True))).all()
    entity_rules = {r.value for r in rules if r.kind == "entity"}
    for chunk in _chunks(ids):
        for row in conn.execute(sa.select(posts.c.id, posts.c.message_id, posts.c.text, posts.c.text_en,
                                          sources.c.key, sources.c.affiliation)
                                .join(sources, sources.c.id == posts.c.source_id).where(posts.c.id.in_(chunk))):
            fact = facts[row.id]
            fact["report"] = (row.key, int(row.message_id)) in cited
            fact["watched"] = _rule_matches(rules, row)
        for link in conn.execute(sa.select(story_posts.c.post_id, story_posts.c.story_id)
                                 .where(story_posts.c.post_id.in_(chunk))):
            facts[link.post_id]["story"] = int(link.story_id)
        if entity_rules:
            for post_id in conn.execute(sa.select(mentions.c.post_id).distinct().where(
                    mentions.c.post_id.in_(chunk), mentions.c.entity_id.in_(entity_rules))).scalars():
                facts[post_id]["watched"] = True
        for post_id in conn.execute(sa.select(alert_events.c.post_id).distinct()
                                    .where(alert_events.c.post_id.in_(chunk))).scalars():
            facts[post_id]["watched"] = True
    story_ids = sorted({f["story"] for f in facts.values() if f.get("story")})
    channels: dict[int, int] = {}
    for chunk in _chunks(story_ids):
        channels.update({int(s): int(n) for s, n in conn.execute(
            sa.select(story_posts.c.story_id, sa.func.count(sa.distinct(posts.c.source_id)))
            .join(posts, posts.c.id == story_posts.c.post_id)
            .where(story_posts.c.story_id.in_(chunk)).group_by(story_posts.c.story_id))})
    changes: dict[int, tuple[int, str]] = {}
    for row in rows:
        fact = facts[int(row.post_id)]
        told_by = channels.get(fact.get("story") or 0, 0)
        if fact.get("report"):
            wanted = (PRIORITY["report"], "report")
        elif told_by >= 2:
            wanted = (PRIORITY["story"] + min(told_by, 999), "story")
        elif fact.get("watched"):
            wanted = (PRIORITY["watched"], "watched")
        else:
            wanted = (PRIORITY["recent"], "recent")
        if (int(row.priority), str(row.reason)) != wanted:
            changes[int(row.post_id)] = wanted
    queue_store.set_priorities(conn, changes)
    return len(changes)


def _padded(text: str | None) -> str:
    return f" {normalize(text)} " if text else " "


def _rule_matches(rules: Sequence[Any], row: Any) -> bool:
    """Whether a post matches an active keyword, source or affiliation rule (as alerts/watch.py matches them)."""
    for rule in rules:
        if rule.kind == "keyword" and (_padded(rule.value) in _padded(row.text)
                                       or _padded(rule.value) in _padded(row.text_en)):
            return True
        if rule.kind == "source" and row.key == rule.value:
            return True
        if rule.kind == "affiliation" and rule.value.casefold() in (row.affiliation or "").casefold():
            return True
    return False
