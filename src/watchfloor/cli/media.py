"""`watchfloor media`: archived files, their PDQ neighbours (re-posts across channels) and OCR."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from watchfloor.cli.common import JsonOpt, LimitOpt, State, engine, errors, out, print_json, progress
from watchfloor.errors import InvalidInput
from watchfloor.ids import is_id

if TYPE_CHECKING:
    from watchfloor.models import MediaFile
    from watchfloor.store.media import Carrier

DEFAULT_MAX_DISTANCE = 31  # watchfloor.media.pdq's, which needs numpy; tests/test_cli_startup.py holds them equal

__all__ = ["media_app"]

media_app = typer.Typer(no_args_is_help=True, help="Archived media: files, re-posts by PDQ distance, OCR.")


def _file_json(found: MediaFile) -> dict[str, Any]:
    from watchfloor.shapes import iso

    return {"sha256": found.sha256, "kind": found.kind, "mime": found.mime, "size": found.size,
            "width": found.width, "height": found.height, "pdq": found.pdq, "pdq_quality": found.pdq_quality,
            "ocr_text": found.ocr_text, "ocr_langs": found.ocr_langs, "status": found.status,
            "reason": found.reason, "first_seen": iso(found.first_seen)}


def _carrier_json(carrier: Carrier) -> dict[str, Any]:
    from watchfloor.shapes import iso

    url = (f"https://t.me/{carrier.handle}/{carrier.message_id}" if carrier.handle
           else f"https://t.me/c/{carrier.channel_id}/{carrier.message_id}" if carrier.channel_id else None)
    return {"source": carrier.source, "source_name": carrier.source_name, "message_id": carrier.message_id,
            "posted_at": iso(carrier.posted_at), "url": url}


@media_app.command("list")
def media_list(status: Annotated[str | None, typer.Option(help="Only ok or rejected files.")] = None,
               limit: LimitOpt = 100, json_out: JsonOpt = False) -> None:
    """Archived and rejected files, newest first."""
    from rich.table import Table

    from watchfloor.store import media as media_store

    with errors():
        if status not in (None, "ok", "rejected"):
            raise InvalidInput(f"--status must be ok or rejected (got {status!r})")
        with engine().connect() as conn:
            found = media_store.list_files(conn, limit, status)
    if json_out:
        print_json([_file_json(f) for f in found])
        return
    table = Table("sha256", "kind", "mime", "size", "status", "ocr / reason")
    for f in found:
        table.add_row(f.sha256[:16], f.kind, f.mime, str(f.size), f.status,
                      (f.reason or (f.ocr_text or "").replace("\n", " "))[:60])
    out.print(table)


@media_app.command("show")
def media_show(sha256: Annotated[str, typer.Argument(help="The file's SHA-256.")], json_out: JsonOpt = False) -> None:
    """One file: what it is, its hash, OCR text or why it was rejected, and the posts that carried it."""
    from watchfloor.media.store import archive_from_settings
    from watchfloor.shapes import iso
    from watchfloor.store import media as media_store

    with errors():
        with engine().connect() as conn:
            found = media_store.get_file(conn, sha256)
            if found is None:
                raise InvalidInput(f"no archived file {sha256}")
            carried = media_store.carriers(conn, [found.sha256])
        archive = archive_from_settings(State.settings)
        path = str(archive.path_of(found.sha256)) if archive.has(found.sha256) else None
    if json_out:
        print_json({**_file_json(found), "path": path, "posts": [_carrier_json(c) for c in carried]})
        return
    out.print(f"{found.sha256}  {found.kind} {found.mime}, {found.size} bytes, {found.status}"
              + (f": {found.reason}" if found.reason else ""), highlight=False)
    if found.width:
        out.print(f"{found.width}x{found.height} px; PDQ {found.pdq} (quality {found.pdq_quality})", highlight=False)
    if path:
        out.print(f"file: {path}", highlight=False)
    if found.ocr_text:
        out.print(f"OCR ({'+'.join(found.ocr_langs or [])}):\n{found.ocr_text}", highlight=False)
    for c in carried:
        out.print(f"  {iso(c.posted_at)}  {c.source} #{c.message_id}  {c.source_name or ''}", highlight=False)


def _parse_post(value: str) -> tuple[str, int]:
    key, _, number = value.rpartition("/")
    if not key or not is_id(number):
        raise InvalidInput(f"--post takes SOURCE/MESSAGE_ID, e.g. telegram:1350118745/42 (got {value!r})")
    return key, int(number)


@media_app.command("similar")
def media_similar(
    sha256: Annotated[str | None, typer.Argument(help="An archived image's SHA-256.")] = None,
    post: Annotated[str | None, typer.Option(help="Or every image of a post: SOURCE/MESSAGE_ID.")] = None,
    max_distance: Annotated[int, typer.Option(help="Most PDQ bits (of 256) that may differ.", min=0, max=256)]
    = DEFAULT_MAX_DISTANCE,
    json_out: JsonOpt = False,
) -> None:
    """Images within a PDQ distance of one image (re-posts, resized or recompressed), with their posts."""
    from watchfloor import runner
    from watchfloor.shapes import iso

    with errors():
        if (sha256 is None) == (post is None):
            raise InvalidInput("give either an image's SHA-256 or --post SOURCE/MESSAGE_ID")
        queries, found = runner.similar_media(engine(), sha256, _parse_post(post) if post else None, max_distance)
    if json_out:
        print_json({"query": queries, "max_distance": max_distance,
                    "matches": [{**_file_json(s.file), "distance": s.distance,
                                 "posts": [_carrier_json(c) for c in s.carriers]} for s in found]})
        return
    if not found:
        out.print("No archived image within that distance.", highlight=False)
    for s in found:
        out.print(f"{s.file.sha256[:16]}  distance {s.distance}  {s.file.width}x{s.file.height}", highlight=False)
        for c in s.carriers:
            out.print(f"    {iso(c.posted_at)}  {c.source} #{c.message_id}  {c.source_name or ''}", highlight=False)


@media_app.command("ocr")
def media_ocr(redo: Annotated[bool, typer.Option(help="Read every archived image again.")] = False,
              json_out: JsonOpt = False) -> None:
    """Read the text in archived images that OCR has not read yet (Tesseract: ara, fas, urd, pus, eng)."""
    from watchfloor import runner

    with errors(), progress("OCR") as update:
        count = runner.ocr_media(engine(), State.settings, redo, update)
    if json_out:
        print_json({"read": count})
    else:
        out.print(f"{count} image(s) read.", highlight=False)
