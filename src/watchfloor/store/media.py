"""Queries on archived media: files by hash, the posts that carried them, OCR text, PDQ neighbours."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import MediaFile
from watchfloor.store.tables import media, post_media, posts, sources

__all__ = ["PostMedia", "Carrier", "known_hashes", "save_files", "replace_links", "links_of", "get_file",
           "list_files", "carriers", "pdq_hashes", "files_to_read", "set_ocr", "media_post_ids_matching",
           "resolve_post"]


_LINK_COLUMNS = ("post_id", "position", "sha256", "declared_kind", "declared_name", "declared_mime", "origin", "note",
                 "stored_at")
_COPY_LINKS = f"COPY post_media ({', '.join(_LINK_COLUMNS)}) FROM STDIN"


@dataclass
class PostMedia:
    """One file a post carried, as its source described it, and the archived file (or why there is none)."""

    position: int
    declared_kind: str
    sha256: str | None = None
    declared_name: str | None = None
    declared_mime: str | None = None
    origin: str | None = None  # the export's relative path or the page's URL
    note: str | None = None


@dataclass
class Carrier:
    """A post that carried a file: its source, message and link."""

    sha256: str
    post_id: int
    source: str
    source_name: str | None
    handle: str | None
    channel_id: int | None
    message_id: int
    posted_at: datetime


def _file(row: Any) -> MediaFile:
    return MediaFile(sha256=row.sha256, kind=row.kind, mime=row.mime, size=row.size, status=row.status,
                     reason=row.reason, width=row.width, height=row.height, pdq=row.pdq,
                     pdq_quality=row.pdq_quality, ocr_text=row.ocr_text,
                     ocr_langs=list(row.ocr_langs) if row.ocr_langs is not None else None,
                     first_seen=row.first_seen)


def known_hashes(conn: Connection, hashes: Iterable[str]) -> set[str]:
    """The hashes among these that the store already holds."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(conn.execute(sa.select(media.c.sha256).where(media.c.sha256.in_(wanted[start:start + 500])))
                     .scalars())
    return found


def save_files(conn: Connection, files: Sequence[MediaFile]) -> int:
    """Insert files not yet held (a file seen before keeps its first record); returns how many were new."""
    fresh = {f.sha256: f for f in files}
    for sha in known_hashes(conn, fresh):
        del fresh[sha]
    now = datetime.now(UTC)
    rows = [{"sha256": f.sha256, "kind": f.kind, "mime": f.mime, "size": f.size, "width": f.width,
             "height": f.height, "pdq": f.pdq, "pdq_quality": f.pdq_quality, "ocr_text": f.ocr_text,
             "ocr_langs": f.ocr_langs, "status": f.status, "reason": f.reason, "first_seen": f.first_seen or now}
            for f in fresh.values()]
    if rows:
        conn.execute(media.insert(), rows)
    return len(rows)


def replace_links(conn: Connection, links: dict[int, list[PostMedia]], new_posts: Collection[int] = ()) -> None:
    """Set the files of each post (by post id) to exactly these; ``new_posts`` link to nothing yet (just
    inserted): nothing of theirs is deleted first."""
    if not links:
        return
    now = datetime.now(UTC)
    known = [post_id for post_id in links if post_id not in new_posts]
    for start in range(0, len(known), 1000):
        conn.execute(post_media.delete().where(post_media.c.post_id.in_(known[start:start + 1000])))
    rows = [(post_id, link.position, link.sha256, link.declared_kind, link.declared_name, link.declared_mime,
             link.origin, link.note, now) for post_id, found in links.items() for link in found]
    if rows and conn.dialect.name == "postgresql":  # an import links thousands of posts at once
        driver: Any = conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(_COPY_LINKS) as copy:
            for row in rows:
                copy.write_row(row)
    elif rows:
        conn.execute(post_media.insert(), [dict(zip(_LINK_COLUMNS, row, strict=True)) for row in rows])


def links_of(conn: Connection, post_ids: Iterable[int]) -> dict[int, list[PostMedia]]:
    """The files of each post, by position."""
    ids = list(post_ids)
    found: dict[int, list[PostMedia]] = {pid: [] for pid in ids}
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(post_media).where(post_media.c.post_id.in_(ids[start:start + 500]))
                            .order_by(post_media.c.post_id, post_media.c.position))
        for row in rows:
            found[row.post_id].append(PostMedia(position=row.position, declared_kind=row.declared_kind,
                                                sha256=row.sha256, declared_name=row.declared_name,
                                                declared_mime=row.declared_mime, origin=row.origin, note=row.note))
    return found


def get_file(conn: Connection, sha256: str) -> MediaFile | None:
    """The file with this hash, or None."""
    row = conn.execute(sa.select(media).where(media.c.sha256 == sha256.lower())).first()
    return _file(row) if row is not None else None


def list_files(conn: Connection, limit: int = 100, status: str | None = None) -> list[MediaFile]:
    """Files, newest first."""
    query = sa.select(media).order_by(media.c.first_seen.desc(), media.c.sha256).limit(limit)
    if status:
        query = query.where(media.c.status == status)
    return [_file(row) for row in conn.execute(query)]


def carriers(conn: Connection, hashes: Iterable[str]) -> list[Carrier]:
    """Every post that carried one of these files, oldest first."""
    wanted = sorted(set(hashes))
    found: list[Carrier] = []
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            sa.select(post_media.c.sha256, posts.c.id, posts.c.message_id, posts.c.posted_at, sources.c.key,
                      sources.c.name, sources.c.handle, sources.c.channel_id)
            .join(posts, posts.c.id == post_media.c.post_id).join(sources, sources.c.id == posts.c.source_id)
            .where(post_media.c.sha256.in_(wanted[start:start + 500])))
        found += [Carrier(sha256=r.sha256, post_id=r.id, source=r.key, source_name=r.name, handle=r.handle,
                          channel_id=r.channel_id, message_id=r.message_id, posted_at=r.posted_at) for r in rows]
    return sorted(found, key=lambda c: (c.posted_at, c.post_id, c.sha256))


def pdq_hashes(conn: Connection) -> list[tuple[str, str, int]]:
    """(sha256, PDQ hash, quality) of every accepted image that has one."""
    rows = conn.execute(sa.select(media.c.sha256, media.c.pdq, media.c.pdq_quality)
                        .where(media.c.pdq.is_not(None), media.c.status == "ok"))
    return [(r.sha256, r.pdq, r.pdq_quality or 0) for r in rows]


def files_to_read(conn: Connection, redo: bool = False, limit: int = 1000, after: str = "") -> list[str]:
    """Hashes of accepted images that OCR has not read (or all of them with ``redo``), in hash order."""
    query = sa.select(media.c.sha256).where(media.c.status == "ok", media.c.kind == "image",
                                            media.c.sha256 > after)
    if not redo:
        query = query.where(media.c.ocr_langs.is_(None))
    return list(conn.execute(query.order_by(media.c.sha256).limit(limit)).scalars())


def set_ocr(conn: Connection, sha256: str, text: str, langs: list[str]) -> None:
    """Store what OCR read in an image (search covers it from then on)."""
    conn.execute(media.update().where(media.c.sha256 == sha256).values(ocr_text=text, ocr_langs=langs))


def media_post_ids_matching(conn: Connection, text: str) -> sa.Select[Any]:
    """A query for the ids of posts whose images' OCR text holds every word of ``text``."""
    if conn.dialect.name == "sqlite":
        words = [w.replace('"', '""') for w in text.split() if w.strip()]
        match = sa.text("media_fts MATCH :media_q").bindparams(media_q=" ".join(f'"{w}"' for w in words))
        fts = sa.table("media_fts", sa.column("sha256"))
        matching: sa.Select[Any] = sa.select(fts.c.sha256).where(match)
    else:
        document = sa.func.to_tsvector(sa.literal_column("'simple'"), sa.func.coalesce(media.c.ocr_text, ""))
        tsquery = sa.func.plainto_tsquery(sa.literal_column("'simple'"), text)
        matching = sa.select(media.c.sha256).where(document.op("@@")(tsquery))
    return sa.select(post_media.c.post_id).where(post_media.c.sha256.in_(matching))


def resolve_post(conn: Connection, key: str, message_id: int) -> int | None:
    """The id of a source's post, or None."""
    return conn.execute(sa.select(posts.c.id).join(sources, sources.c.id == posts.c.source_id)
                        .where(sources.c.key == key, posts.c.message_id == message_id)).scalar_one_or_none()
