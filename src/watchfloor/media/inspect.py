"""What a file really is: its type from magic bytes (never the extension or a declared MIME type), and for
images a guarded decode that refuses decompression bombs, truncated files and files that are not what
they claim to be. Nothing here executes or renders a file; images are only decoded by Pillow."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile

__all__ = ["MAX_IMAGE_PIXELS", "IMAGE_TYPES", "Inspection", "sniff", "inspect", "declared_family", "load_image"]

# Telegram photos are at most 2560 px on a side (6.5 Mpx); a document image may be larger, a bomb far larger.
MAX_IMAGE_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow itself refuses (and warns about) anything above this
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is an error, never padded with grey

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),
    (b"PK\x05\x06", 0, "application/zip"),
    (b"Rar!\x1a\x07", 0, "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", 0, "application/x-7z-compressed"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
    (b"OggS", 0, "audio/ogg"),
    (b"ID3", 0, "audio/mpeg"),
    (b"fLaC", 0, "audio/flac"),
    (b"\x7fELF", 0, "application/x-executable"),
    (b"MZ", 0, "application/x-msdownload"),
    (b"ftyp", 4, "video/mp4"),
)


def sniff(head: bytes) -> str:
    """The MIME type the first bytes of a file show; application/octet-stream when unknown."""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    for magic, offset, mime in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            return mime
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "text/html"
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return "image/svg+xml" if b"<svg" in head[:1024].lower() else "application/xml"
    if head and all(b in b"\t\n\r" or 32 <= b < 127 or b >= 128 for b in head[:512]):
        try:
            head[:512].decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < 508:  # not merely a character cut at the end of the sample
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def declared_family(kind: str, mime: str | None) -> str:
    """What the source says the file is: image, video, audio or file."""
    if kind == "photo" or (mime or "").startswith("image/"):
        return "image"
    if kind in ("video_file", "video_message", "animation") or (mime or "").startswith("video/"):
        return "video"
    if kind in ("voice_message", "audio_file") or (mime or "").startswith("audio/"):
        return "audio"
    return "file"


@dataclass
class Inspection:
    """The verdict on one file: its sniffed type, an image's size, and why it was rejected (or None)."""

    mime: str
    width: int | None = None
    height: int | None = None
    reason: str | None = None
    opaque: bool = False  # kept as a file, never decoded (a document whose bytes are an image)

    @property
    def ok(self) -> bool:
        """True when the file may be archived."""
        return self.reason is None

    @property
    def is_image(self) -> bool:
        """True for an accepted raster image (the ones hashed and read by OCR)."""
        return self.ok and self.mime in IMAGE_TYPES and not self.opaque


def load_image(data: bytes, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """Decode an image guarded: the header is checked against the pixel cap before any pixel is decoded,
    ``verify()`` checks the structure, and a full load catches truncation. Raises ValueError with a reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise ValueError(f"decompression bomb: declares {width}x{height} pixels, over the "
                                     f"{max_pixels}-pixel cap")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValueError(f"decompression bomb: {exc}") from exc
        except ValueError as exc:
            if str(exc).startswith("decompression bomb"):
                raise
            raise ValueError(f"damaged or truncated image: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - hostile bytes reach decoder corners that raise anything
            raise ValueError(f"damaged or truncated image: {type(exc).__name__}: {exc}") from exc
    return image


def inspect(data: bytes, kind: str, declared_mime: str | None = None,
            max_pixels: int = MAX_IMAGE_PIXELS) -> Inspection:
    """Sniff a file and, when it is an image, decode it under guard. A file declared as one type whose
    bytes are another is refused with the reason (it is never decoded as what it claims)."""
    mime = sniff(data[:1024])
    family = declared_family(kind, declared_mime)
    if not data:
        return Inspection(mime, reason="empty file")
    if family == "image" and mime not in IMAGE_TYPES:
        return Inspection(mime, reason=f"declared an image ({declared_mime or kind}) but the content is {mime}")
    if family in ("video", "audio") and not mime.startswith(family + "/"):
        return Inspection(mime, reason=f"declared {family} ({declared_mime or kind}) but the content is {mime}")
    if declared_mime and declared_mime != mime and family == "file" and mime in IMAGE_TYPES:
        # a document whose bytes are an image: archived opaque, never decoded as what it claims
        return Inspection(mime, opaque=True)
    if mime in IMAGE_TYPES:
        try:
            image = load_image(data, max_pixels)
        except ValueError as exc:
            return Inspection(mime, reason=str(exc))
        if image.format != IMAGE_TYPES[mime]:
            return Inspection(mime, reason=f"the content decodes as {image.format}, not {mime}")
        width, height = image.size
        image.close()
        return Inspection(mime, width=width, height=height)
    return Inspection(mime)
