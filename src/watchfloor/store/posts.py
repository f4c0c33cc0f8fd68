"""Queries on posts: idempotent storage with revisions, analysis results, listing and search."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import DateMention, Indicator, Media, Mention, ParsedPost, Post, Quote, Source
from watchfloor.store import entity_counts, source_vectors
from watchfloor.store.sources import source_from_row
from watchfloor.store.tables import entity_days, import_errors, mentions, post_revisions, posts, sources, story_posts

__all__ = [
    "StoreCounts", "store_parsed", "record_import_error", "posts_to_process", "save_analysis",
    "list_posts", "load_posts", "post_url", "content_hash", "revisions_of", "PostFilter",
    "reset_analysis", "find_post", "processed_after", "mark_deleted", "stored_ids", "count_unprocessed",
    "post_ids_of", "source_post_ids", "apply_filter", "materialise", "select_posts",
]


@dataclass
class StoreCounts:
    """What storing a batch did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions: int = 0

    def add(self, other: StoreCounts) -> None:
        """Accumulate another batch's counts."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.revisions += other.revisions


def content_hash(raw: dict[str, Any]) -> str:
    """A stable hash of a message exactly as read."""
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _row_values(parsed: ParsedPost) -> dict[str, Any]:
    return {
        "message_id": parsed.message_id, "kind": parsed.kind, "posted_at": parsed.posted_at,
        "edited_at": parsed.edited_at, "text": parsed.text, "author": parsed.author,
        "forwarded_from": parsed.forwarded_from, "forwarded_from_id": parsed.forwarded_from_id,
        "reply_to": parsed.reply_to, "links": list(parsed.links), "media": [asdict(m) for m in parsed.media],
        "raw": parsed.raw, "content_hash": content_hash(parsed.raw),
    }


def store_parsed(conn: Connection, source_id: int, batch: Sequence[ParsedPost]) -> StoreCounts:
    """Store a batch of one source's posts: new ones inserted, changed ones updated with a revision."""
    counts = StoreCounts()
    if not batch:
        return counts
    now = datetime.now(UTC)
    by_id: dict[int, ParsedPost] = {}
    for parsed in batch:  # within one batch, the last occurrence of an id wins
        by_id[parsed.message_id] = parsed
    existing = {row.message_id: row for row in conn.execute(
        sa.select(posts.c.id, posts.c.message_id, posts.c.text, posts.c.edited_at, posts.c.posted_at,
                  posts.c.raw, posts.c.content_hash)
        .where(posts.c.source_id == source_id, posts.c.message_id.in_(list(by_id))))}
    inserts: list[dict[str, Any]] = []
    for message_id, parsed in by_id.items():
        values = _row_values(parsed)
        old = existing.get(message_id)
        if old is None:
            inserts.append({**values, "source_id": source_id, "imported_at": now, "updated_at": now})
            continue
        if old.content_hash == values["content_hash"]:
            counts.unchanged += 1
            continue
        incoming_time = parsed.edited_at or parsed.posted_at
        stored_time = old.edited_at or old.posted_at
        if incoming_time < stored_time:
            # an older export of a post we already hold in a newer state: keep it as history only
            if parsed.text != old.text and not _has_revision(conn, old.id, parsed.text):
                conn.execute(post_revisions.insert().values(post_id=old.id, text=parsed.text,
                                                            edited_at=parsed.edited_at, raw=parsed.raw,
                                                            replaced_at=now))
                counts.revisions += 1
            else:
                counts.unchanged += 1
            continue
        update = {**values, "updated_at": now}
        if parsed.text != old.text:
            conn.execute(post_revisions.insert().values(post_id=old.id, text=old.text, edited_at=old.edited_at,
                                                        raw=old.raw, replaced_at=now))
            counts.revisions += 1
            update["processed_at"] = None  # the new text needs analysing
        conn.execute(posts.update().where(posts.c.id == old.id).values(**update))
        counts.updated += 1
    if inserts:
        conn.execute(posts.insert(), inserts)
        counts.inserted += len(inserts)
    return counts


def _has_revision(conn: Connection, post_id: int, text: str) -> bool:
    return conn.execute(sa.select(post_revisions.c.id).where(
        post_revisions.c.post_id == post_id, post_revisions.c.text == text)).first() is not None


def revisions_of(conn: Connection, post_id: int) -> list[tuple[str, datetime | None]]:
    """Earlier texts of a post, oldest first."""
    rows = conn.execute(sa.select(post_revisions.c.text, post_revisions.c.edited_at)
                        .where(post_revisions.c.post_id == post_id).order_by(post_revisions.c.id))
    return [(row.text, row.edited_at) for row in rows]


def record_import_error(conn: Connection, file: str, message_id: int | None, reason: str) -> None:
    """Quarantine note for a message or file that could not be imported."""
    conn.execute(import_errors.insert().values(file=file, message_id=message_id, reason=reason[:2000],
                                               at=datetime.now(UTC)))


def post_url(source: Source, message_id: int) -> str | None:
    """The public link to a Telegram post where it can be known."""
    if source.platform != "telegram":
        return None
    if source.handle:
        return f"https://t.me/{source.handle}/{message_id}"
    if source.channel_id is not None:
        return f"https://t.me/c/{source.channel_id}/{message_id}"
    return None


_POST_COLUMNS: list[Any] = [posts, sources.c.key.label("s_key"), sources.c.platform.label("s_platform"),
                 sources.c.handle.label("s_handle"), sources.c.channel_id.label("s_channel_id"),
                 sources.c.name.label("s_name"), sources.c.affiliation.label("s_affiliation"),
                 sources.c.lang.label("s_lang"), sources.c.tags.label("s_tags"),
                 story_posts.c.story_id]


def select_posts() -> sa.Select[Any]:
    query: sa.Select[Any] = sa.select(*_POST_COLUMNS)
    return (query
            .join(sources, sources.c.id == posts.c.source_id)
            .outerjoin(story_posts, story_posts.c.post_id == posts.c.id))


def _post_from_row(row: Any, post_mentions: list[Mention]) -> Post:
    source = Source(key=row.s_key, platform=row.s_platform, handle=row.s_handle, channel_id=row.s_channel_id,
                    name=row.s_name, affiliation=row.s_affiliation, lang=row.s_lang, tags=list(row.s_tags or []))
    embedding = np.frombuffer(row.embedding, dtype=np.float32) if row.embedding is not None else None
    url = post_url(source, row.message_id)
    if url is None and source.platform in ("rss", "web") and row.links:
        url = row.links[0]  # a feed entry's article
    return Post(
        id=row.id, source=source, message_id=row.message_id, posted_at=row.posted_at, text=row.text,
        kind=row.kind, edited_at=row.edited_at, forwarded_from=row.forwarded_from,
        forwarded_from_id=row.forwarded_from_id, reply_to=row.reply_to,
        url=url, links=list(row.links or []),
        media=[Media(**m) for m in (row.media or [])], lang=row.lang, text_en=row.text_en,
        translation=row.translation, mentions=post_mentions,
        quotes=[Quote(**q) for q in (row.quotes or [])], dates=[DateMention(**d) for d in (row.dates or [])],
        indicators=[Indicator(**i) for i in (row.indicators or [])], embedding=embedding,
        story_id=row.story_id, deleted_at=row.deleted_at,
    )


def _mentions_for(conn: Connection, post_ids: Sequence[int]) -> dict[int, list[Mention]]:
    found: dict[int, list[Mention]] = {pid: [] for pid in post_ids}
    for chunk_start in range(0, len(post_ids), 500):
        chunk = list(post_ids[chunk_start:chunk_start + 500])
        rows = conn.execute(sa.select(mentions).where(mentions.c.post_id.in_(chunk))
                            .order_by(mentions.c.post_id, mentions.c.span_start))
        for row in rows:
            found[row.post_id].append(Mention(entity_id=row.entity_id, surface=row.surface,
                                              start=row.span_start, end=row.span_end, score=row.score))
    return found


def materialise(conn: Connection, rows: Sequence[Any]) -> list[Post]:
    by_post = _mentions_for(conn, [row.id for row in rows])
    return [_post_from_row(row, by_post[row.id]) for row in rows]


def load_posts(conn: Connection, post_ids: Iterable[int]) -> list[Post]:
    """Posts by id, in posted order."""
    ids = list(post_ids)
    result: list[Post] = []
    for start in range(0, len(ids), 500):
        rows = conn.execute(select_posts().where(posts.c.id.in_(ids[start:start + 500]))).all()
        result.extend(materialise(conn, rows))
    return sorted(result, key=lambda p: (p.posted_at, p.id))


def posts_to_process(conn: Connection, limit: int, after_id: int = 0) -> list[Post]:
    """The next batch of posts not yet analysed, by id."""
    rows = conn.execute(select_posts().where(posts.c.processed_at.is_(None), posts.c.id > after_id)
                        .order_by(posts.c.id).limit(limit)).all()
    return materialise(conn, rows)


def reset_analysis(conn: Connection) -> int:
    """Mark every post for reprocessing; returns how many."""
    return conn.execute(posts.update().values(processed_at=None)).rowcount


def save_analysis(conn: Connection, batch: Sequence[Post], stage_versions: dict[str, str]) -> None:
    """Write the pipeline's results for a batch of posts."""
    now = datetime.now(UTC)
    ids = [post.id for post in batch]
    vectors = source_vectors.vectors_of(conn, ids)
    analysed = [{"post_id": post.id, "lang": post.lang, "text_en": post.text_en, "translation": post.translation,
                 "quotes": [asdict(q) for q in post.quotes], "dates": [asdict(d) for d in post.dates],
                 "indicators": [asdict(i) for i in post.indicators],
                 "embedding": None if post.embedding is None else np.asarray(post.embedding, np.float32).tobytes(),
                 "stages": stage_versions, "processed_at": now} for post in batch]
    if analysed:  # one statement for the batch, executed for each post
        conn.execute(posts.update().where(posts.c.id == sa.bindparam("post_id")), analysed)
    source_vectors.add_vectors(conn, source_vectors.vectors_of(conn, ids), vectors)
    before = entity_counts.counts_of(conn, ids)
    conn.execute(mentions.delete().where(mentions.c.post_id.in_(ids)))
    rows = [{"post_id": post.id, "entity_id": m.entity_id, "surface": m.surface, "span_start": m.start,
             "span_end": m.end, "score": m.score} for post in batch for m in post.mentions]
    if rows:
        conn.execute(mentions.insert(), rows)
    entity_counts.add_counts(conn, entity_counts.counts_of(conn, ids).minus(before))


@dataclass
class PostFilter:
    """Filters for listing posts."""

    source: str | None = None
    lang: str | None = None
    entity: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    affiliation: str | None = None
    tags: list[str] = field(default_factory=list)


def _tagged_source_ids(conn: Connection, tags: Collection[str]) -> list[int]:
    """The ids of the sources that carry every one of ``tags`` (sources are few: read them all)."""
    wanted = set(tags)
    return [int(row.id) for row in conn.execute(sa.select(sources.c.id, sources.c.tags))
            if wanted <= set(row.tags or [])]


def apply_filter(conn: Connection, query: sa.Select[Any], flt: PostFilter) -> sa.Select[Any]:
    """``query`` (over posts joined to sources) narrowed by every filter of ``flt``."""
    if flt.source:
        query = query.where(sources.c.key == flt.source)
    if flt.lang:
        query = query.where(posts.c.lang == flt.lang)
    if flt.affiliation:
        query = query.where(sources.c.affiliation == flt.affiliation)
    if flt.tags:
        query = query.where(posts.c.source_id.in_(_tagged_source_ids(conn, flt.tags)))
    if flt.since:
        query = query.where(posts.c.posted_at >= flt.since)
    if flt.until:
        query = query.where(posts.c.posted_at < flt.until)
    if flt.entity:
        if _few_posts(conn, flt.entity):  # read the entry's posts first, then order them
            naming = (sa.select(mentions.c.post_id).where(mentions.c.entity_id == flt.entity)
                      .cte().prefix_with("MATERIALIZED"))
            query = query.where(posts.c.id.in_(sa.select(naming.c.post_id)))
        else:  # walk the newest posts, asking each whether it names the entry
            query = query.where(sa.exists().where(mentions.c.post_id == posts.c.id,
                                                  mentions.c.entity_id == flt.entity))
    return query


def _few_posts(conn: Connection, entity_id: str) -> bool:
    """Whether an entry's posts are few against the archive's: then reading them all (n look-ups) beats walking
    the newest posts until a page of them turns up (about 50 x archive / n look-ups), the plan a database picks
    for an ORDER BY ... LIMIT when it guesses the entry's posts are spread evenly. Both counts are cheap: the
    entry's kept per-day counts and the newest post id."""
    named = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(entity_days.c.posts), 0))
                         .where(entity_days.c.entity_id == entity_id)).scalar_one()
    newest = conn.execute(sa.select(sa.func.max(posts.c.id))).scalar_one() or 0
    return bool(int(named) ** 2 < 50 * int(newest))


def list_posts(conn: Connection, flt: PostFilter | None = None, limit: int = 50, offset: int = 0) -> list[Post]:
    """Posts, newest first, filtered."""
    query = apply_filter(conn, select_posts(), flt or PostFilter())
    rows = conn.execute(query.order_by(posts.c.posted_at.desc(), posts.c.id.desc())
                        .limit(limit).offset(offset)).all()
    return materialise(conn, rows)


def source_row_for_key(conn: Connection, key: str) -> Source | None:
    """The source for a key, or None."""
    row = conn.execute(sa.select(sources).where(sources.c.key == key)).first()
    return source_from_row(row) if row is not None else None


def find_post(conn: Connection, key: str, message_id: int) -> Post | None:
    """The post of a source key and message id, or None."""
    rows = conn.execute(select_posts().where(sources.c.key == key, posts.c.message_id == message_id)).all()
    found = materialise(conn, rows)
    return found[0] if found else None


def processed_after(conn: Connection, after_id: int, limit: int) -> list[Post]:
    """Analysed posts with an id above ``after_id``, by id (for matching alert rules)."""
    rows = conn.execute(select_posts().where(posts.c.id > after_id, posts.c.processed_at.is_not(None))
                        .order_by(posts.c.id).limit(limit)).all()
    return materialise(conn, rows)


def mark_deleted(conn: Connection, source_id: int, pages: Sequence[Collection[int]]) -> tuple[int, int]:
    """Mark deleted the stored messages a page no longer shows, and unmark those it shows again: each
    page lists a contiguous run of a channel's messages (an album's items count as shown), so a stored
    message whose id lies strictly between the page's lowest and highest ids and is missing from it is
    gone at the source. Service messages are left alone (the preview leaves some out). Returns
    (marked, restored)."""
    now = datetime.now(UTC)
    marked = restored = 0
    for present in pages:
        shown = sorted(set(present))
        if not shown:
            continue
        restored += conn.execute(posts.update().where(
            posts.c.source_id == source_id, posts.c.message_id.in_(shown), posts.c.deleted_at.is_not(None)
        ).values(deleted_at=None)).rowcount
        if len(shown) < 2:
            continue
        marked += conn.execute(posts.update().where(
            posts.c.source_id == source_id, posts.c.message_id > shown[0], posts.c.message_id < shown[-1],
            posts.c.message_id.not_in(shown), posts.c.deleted_at.is_(None), posts.c.kind == "message",
        ).values(deleted_at=now)).rowcount
    return marked, restored


def stored_ids(conn: Connection, source_id: int, message_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The raw payload of each of these messages that a source already holds, by message id."""
    ids = list(message_ids)
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(posts.c.message_id, posts.c.raw).where(
            posts.c.source_id == source_id, posts.c.message_id.in_(ids[start:start + 500])))
        found.update({int(row.message_id): dict(row.raw or {}) for row in rows})
    return found


def count_unprocessed(conn: Connection) -> int:
    """How many stored posts the pipeline has not run over yet."""
    return int(conn.execute(sa.select(sa.func.count()).where(posts.c.processed_at.is_(None))).scalar_one())


def post_ids_of(conn: Connection, source_id: int, message_ids: Iterable[int]) -> dict[int, int]:
    """The stored post id of each of a source's message ids (those stored)."""
    rows = conn.execute(sa.select(posts.c.message_id, posts.c.id).where(
        posts.c.source_id == source_id, posts.c.message_id.in_(list(message_ids))))
    return {int(row.message_id): int(row.id) for row in rows}


def source_post_ids(conn: Connection, source_id: int) -> list[int]:
    """The ids of every stored post of a source, in message order."""
    return [int(i) for i in conn.execute(sa.select(posts.c.id).where(posts.c.source_id == source_id)
                                         .order_by(posts.c.message_id)).scalars()]
