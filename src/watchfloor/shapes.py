"""The stable JSON shapes of posts, stories and report drafts (documented in docs/cli.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from watchfloor.models import Entity, Post, ReportDraft, Source, Story

__all__ = ["forward_json", "iso", "post_json", "story_json", "draft_json", "source_json", "entity_json",
           "entity_record", "story_summary_json"]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def source_json(source: Source, post_count: int | None = None) -> dict[str, Any]:
    """A source as JSON."""
    shape: dict[str, Any] = {"key": source.key, "platform": source.platform, "handle": source.handle,
                             "channel_id": source.channel_id, "name": source.name,
                             "affiliation": source.affiliation, "lang": source.lang, "tags": source.tags,
                             "collector": source.collector, "cursor": source.cursor, "state": source.state,
                             "interval_minutes": source.interval_minutes,
                             "next_collect_at": iso(source.next_collect_at)}
    if post_count is not None:
        shape["posts"] = post_count
    return shape


_PREVIEW_LINK = re.compile(r"^https?://(?:www\.)?(?:t\.me|telegram\.me)/(?:(c)/(\d+)|([A-Za-z0-9_]{4,32}))"
                           r"(?:/(\d+))?/?(?:\?.*)?$")
_EXPORT_PEER = re.compile(r"^(channel|chat|user)(\d+)$")


def forward_json(name: str | None, ref: str | None) -> dict[str, Any] | None:
    """Where a forward came from: ``{"name", "handle", "channel_id", "message_id"}`` with what the
    collector knew (null where unknown), or None for a post that is not a forward."""
    if not name and not ref:
        return None
    shape: dict[str, Any] = {"name": name, "handle": None, "channel_id": None, "message_id": None}
    link = _PREVIEW_LINK.match(ref or "")
    peer = _EXPORT_PEER.match(ref or "")
    if link:
        if link.group(1):
            shape["channel_id"] = int(link.group(2))
        else:
            shape["handle"] = link.group(3).lower()
        shape["message_id"] = int(link.group(4)) if link.group(4) else None
    elif peer and peer.group(1) in ("channel", "chat"):
        shape["channel_id"] = int(peer.group(2))
    return shape


def post_json(post: Post, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """A post as JSON: source key, message id, UTC time, language, texts, linked entities, quotes, url."""
    seen: dict[str, dict[str, Any]] = {}
    for mention in post.mentions:
        entity = entities.get(mention.entity_id)
        if entity is not None and entity.id not in seen:
            seen[entity.id] = {"id": entity.id, "name": entity.name, "type": entity.type}
    return {
        "source": post.source.key,
        "source_name": post.source.name,
        "message_id": post.message_id,
        "posted_at": iso(post.posted_at),
        "edited_at": iso(post.edited_at),
        "kind": post.kind,
        "lang": post.lang,
        "text": post.text,
        "text_en": post.text_en,
        "translation": post.translation,
        "entities": list(seen.values()),
        "quotes": [asdict(q) for q in post.quotes],
        "dates": [asdict(d) for d in post.dates],
        "indicators": [asdict(i) for i in post.indicators],
        "forwarded_from": forward_json(post.forwarded_from, post.forwarded_from_id),
        "reply_to": post.reply_to,
        "story_id": post.story_id,
        "url": post.url,
        "deleted_at": iso(post.deleted_at),
    }


def story_json(story: Story, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """A story as JSON, with its posts and the entities they name (most mentioned first)."""
    counts: dict[str, int] = {}
    for post in story.posts:
        for mention in post.mentions:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
    named = [entities[i] for i in sorted(counts, key=lambda i: (-counts[i], i)) if i in entities]
    coded = story.coding  # stored when the story changed (story_coding.py); None until coded
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": iso(story.first_seen),
        "last_seen": iso(story.last_seen),
        "sources": sorted({p.source.key for p in story.posts}),
        "event_type": coded.event_type if coded else None,
        "coding": {"votes": coded.type_votes, "actors": coded.actors, "place": coded.place} if coded else None,
        "posts": [{**post_json(p, entities), "stance": coded.stances.get(p.id) if coded else None}
                  for p in story.posts],
        "entities": [{"id": e.id, "name": e.name, "type": e.type,
                      "aliases": [a.text for a in e.aliases], "mentions": counts[e.id]} for e in named],
    }


def story_summary_json(story_id: int, title: str, first_seen: datetime, last_seen: datetime, sources: list[str],
                       post_count: int) -> dict[str, Any]:
    """A story as listed (`stories list --json`): no posts, the source keys and the number of posts."""
    return {"id": story_id, "title": title, "first_seen": iso(first_seen), "last_seen": iso(last_seen),
            "sources": sources, "post_count": post_count}


def draft_json(draft: ReportDraft) -> dict[str, Any]:
    """A report draft as JSON."""
    return {"title": draft.title, "date": draft.date, "story_id": draft.story_id, "body": draft.body,
            "footnotes": [asdict(f) for f in draft.footnotes]}


def entity_json(entity: Entity, mentions: int | None = None) -> dict[str, Any]:
    """A knowledge-base entry as JSON: its fields, aliases with their language, and its other facts."""
    shape: dict[str, Any] = {"id": entity.id, "type": entity.type, "name": entity.name, "status": entity.status,
                             "description": entity.description,
                             "aliases": [{"text": a.text, "lang": a.lang} for a in entity.aliases],
                             "attrs": entity.attrs}
    if mentions is not None:
        shape["mentions"] = mentions
    return shape


def entity_record(entity: Entity) -> dict[str, Any]:
    """A knowledge-base entry in the data-file format (docs/kb.md), for JSON Lines export."""
    by_lang: dict[str, list[str]] = {}
    for alias in entity.aliases:
        if alias.text != entity.name:
            by_lang.setdefault(alias.lang or "und", []).append(alias.text)
    return {"id": entity.id, "type": entity.type, "name": entity.name, "aliases": by_lang,
            "description": entity.description, **entity.attrs, "status": entity.status}
