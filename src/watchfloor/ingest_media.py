"""Archiving the media of imported and collected posts: reading files from an export or fetching them, in
batches, into the content-addressed archive, with a note for each file that could not be kept."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.media.store import MediaArchive, sha256_of
from watchfloor.models import Media, MediaFile
from watchfloor.sources.telegram_export import export_file
from watchfloor.sources.telegram_web import TELEGRAM_MEDIA_HOSTS
from watchfloor.store import media as media_store
from watchfloor.store.base import Engine

__all__ = ["MediaCounts", "MediaJob", "TELEGRAM_MEDIA_HOSTS", "read_media", "read_export_file"]

log = logging.getLogger("watchfloor")


# Where t.me/s pages point their photos: Telegram's CDN hosts. A page is hostile input, so a photo URL
# anywhere else is refused (the collector's own host is added for mirrors and tests).


@dataclass
class MediaCounts:
    """What archiving the media of a run did."""

    archived: int = 0  # new files accepted
    rejected: int = 0  # new files refused (bomb, truncated, mislabelled, over the limit)
    known: int = 0  # files held already
    unavailable: int = 0  # declared but not read: not included, refused path, fetch failed, not fetched

    def add(self, other: MediaCounts) -> None:
        """Accumulate another run's counts."""
        self.archived += other.archived
        self.rejected += other.rejected
        self.known += other.known
        self.unavailable += other.unavailable


@dataclass
class MediaJob:
    """One file to archive for a post: where it sits in the post, what the source declared, how to read it."""

    post_id: int
    position: int
    declared: Media
    load: Callable[[], bytes] | None  # None: nothing to read; note says why
    note: str | None = None


def read_export_file(folder: Path, relative: str, limit: int) -> bytes:
    """A file named by an export, read inside the export's folder and within the size limit."""
    target = export_file(folder, relative)
    size = target.stat().st_size
    if size > limit:
        raise InvalidInput(f"{size} bytes is over the {limit}-byte limit for this kind of file; not read")
    with target.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise InvalidInput(f"more than {limit} bytes; not read")
    return data


def read_media(engine: Engine, archive: MediaArchive, jobs: Sequence[MediaJob],
               new_posts: Collection[int] = frozenset()) -> MediaCounts:
    """Read, inspect, hash, OCR and archive the files of some posts (outside any transaction: OCR is slow),
    then record the files and each post's links in one short transaction. A file a post already links to
    from the same origin is not read again; a file held already is not examined again. ``new_posts``: posts
    just inserted, which link to nothing yet (their links are neither looked up nor deleted)."""
    counts = MediaCounts()
    if not jobs:
        return counts
    with engine.connect() as conn:
        before = media_store.links_of(conn, {job.post_id for job in jobs} - set(new_posts))
    links: dict[int, list[media_store.PostMedia]] = {}
    fresh: dict[str, MediaFile] = {}
    held: dict[str, MediaFile | None] = {}
    for job in jobs:
        link = media_store.PostMedia(position=job.position, declared_kind=job.declared.kind,
                                     declared_name=job.declared.file_name, declared_mime=job.declared.mime_type,
                                     origin=job.declared.path, note=job.note)
        links.setdefault(job.post_id, []).append(link)
        earlier = next((m for m in before.get(job.post_id, ()) if m.position == job.position), None)
        if earlier is not None and earlier.sha256 and earlier.origin == link.origin:
            link.sha256, link.note = earlier.sha256, earlier.note
            counts.known += 1
            continue
        if job.load is None:
            counts.unavailable += 1
            continue
        try:
            data = job.load()
        except (InvalidInput, SourceUnavailable, OSError) as exc:
            link.note = str(exc)
            counts.unavailable += 1
            continue
        sha = sha256_of(data)
        link.sha256 = sha
        if sha not in held and sha not in fresh:
            with engine.connect() as conn:
                held[sha] = media_store.get_file(conn, sha)
        record = fresh.get(sha) or held.get(sha)
        if record is not None:
            counts.known += 1
            if record.status == "ok" and not archive.has(sha):
                archive.write(data)  # the row survived but the file was lost: put it back
        else:
            record = archive.examine(data, job.declared.kind, job.declared.mime_type)
            fresh[sha] = record
            if record.status == "ok":
                counts.archived += 1
            else:
                counts.rejected += 1
                log.warning("media %s of post %s rejected: %s", sha[:12], job.post_id, record.reason)
        if record.status != "ok":
            link.note = record.reason
    with engine.begin() as conn:
        media_store.save_files(conn, list(fresh.values()))
        media_store.replace_links(conn, links, new_posts)
    return counts

