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

from collections.abc import Sequence

from watchfloor.kb.normalize import normalize
from watchfloor.store import queue as queue_store
from watchfloor.store.base import Connection
from watchfloor.store.priority import ActiveRule, PostFacts, cited_posts, fingerprint, post_facts
from watchfloor.store.priority import active_rules as load_rules
from watchfloor.store.stories import story_channels

__all__ = ["PRIORITY", "fingerprint", "reprioritise"]

# Levels far enough apart that a level's bonus (channels of a story) never reaches the next level.
PRIORITY = {"report": 4000, "story": 3000, "watched": 2000, "recent": 1000}


def reprioritise(conn: Connection) -> int:
    """Work out every queued row's priority again; returns how many changed."""
    rows = queue_store.queued_rows(conn)
    if not rows:
        return 0
    cited = cited_posts(conn)
    rules = load_rules(conn)
    facts = post_facts(conn, [int(r.post_id) for r in rows], {r.value for r in rules if r.kind == "entity"})
    channels = story_channels(conn, {f.story_id for f in facts.values() if f.story_id})
    changes: dict[int, tuple[int, str]] = {}
    for row in rows:
        fact = facts.get(int(row.post_id))
        told_by = channels.get(fact.story_id or 0, 0) if fact is not None else 0
        if fact is not None and (fact.key, fact.message_id) in cited:
            wanted = (PRIORITY["report"], "report")
        elif told_by >= 2:
            wanted = (PRIORITY["story"] + min(told_by, 999), "story")
        elif fact is not None and (fact.names_watched or fact.alerted or _rule_matches(rules, fact)):
            wanted = (PRIORITY["watched"], "watched")
        else:
            wanted = (PRIORITY["recent"], "recent")
        if (int(row.priority), str(row.reason)) != wanted:
            changes[int(row.post_id)] = wanted
    queue_store.set_priorities(conn, changes)
    return len(changes)


def _padded(text: str | None) -> str:
    return f" {normalize(text)} " if text else " "


def _rule_matches(rules: Sequence[ActiveRule], row: PostFacts) -> bool:
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
