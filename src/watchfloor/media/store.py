"""Content-addressed media files: ``<data_dir>/media/ab/cd/<sha256>``, written atomically, once; size
limits per kind; and the whole handling of one file (inspect, hash, OCR) that the runner stores."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.errors import InvalidInput, NotConfigured
from watchfloor.media.inspect import MAX_IMAGE_PIXELS, inspect, load_image
from watchfloor.media.ocr import DEFAULT_LANGS, ocr_image
from watchfloor.media.pdq import pdq_hash
from watchfloor.models import MediaFile
from watchfloor.settings import Settings, media_dir, pairs

__all__ = ["MediaArchive", "archive_from_settings", "download_enabled", "DEFAULT_LIMITS", "limit_kind", "sha256_of",
           "MB"]

log = logging.getLogger("watchfloor")
MB = 1024 * 1024
DEFAULT_LIMITS = {"photo": 20 * MB, "video": 200 * MB, "file": 50 * MB}


def limit_kind(kind: str) -> str:
    """Which size limit a declared kind falls under: photo, video or file."""
    if kind == "photo":
        return "photo"
    if kind in ("video_file", "video_message", "animation"):
        return "video"
    return "file"


def sha256_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _kind_of(mime: str) -> str:
    for family in ("image", "video", "audio"):
        if mime.startswith(family + "/"):
            return family
    return "file"


@dataclass
class MediaArchive:
    """The media folder of a data directory, with its size limits and what is done to images."""

    root: Path
    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    ocr: bool = True
    ocr_langs: tuple[str, ...] = DEFAULT_LANGS
    ocr_timeout: float = 60.0
    max_pixels: int = MAX_IMAGE_PIXELS
    _ocr_missing: str | None = field(default=None, init=False, repr=False)

    def limit(self, kind: str) -> int:
        """The size limit in bytes for a declared kind."""
        return self.limits.get(limit_kind(kind), DEFAULT_LIMITS[limit_kind(kind)])

    def path_of(self, sha256: str) -> Path:
        """Where the file with this hash lives (whether or not it is there)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        """True when the file is archived."""
        return self.path_of(sha256).is_file()

    def write(self, data: bytes) -> str:
        """Archive bytes under their hash (atomically: a temporary file renamed into place); returns it."""
        digest = sha256_of(data)
        target = self.path_of(digest)
        if target.is_file() and target.stat().st_size == len(data):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o444)  # archived media are evidence: read-only, never executable
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def read(self, sha256: str) -> bytes:
        """The bytes of an archived file."""
        return self.path_of(sha256).read_bytes()

    def examine(self, data: bytes, kind: str, declared_mime: str | None = None) -> MediaFile:
        """Inspect a file; archive it when it is acceptable; hash and read images. A rejected file is
        recorded with its reason and not written to the archive."""
        digest = sha256_of(data)
        size = len(data)
        if size > self.limit(kind):
            return MediaFile(digest, _kind_of("application/octet-stream"), "application/octet-stream", size,
                               "rejected", f"{size} bytes is over the {self.limit(kind)}-byte limit for "
                               f"{limit_kind(kind)}s")
        verdict = inspect(data, kind, declared_mime, self.max_pixels)
        record = MediaFile(digest, _kind_of(verdict.mime), verdict.mime, size,
                             "ok" if verdict.ok else "rejected", verdict.reason, verdict.width, verdict.height)
        if not verdict.ok:
            return record
        self.write(data)
        if verdict.is_image:
            image = load_image(data, self.max_pixels)
            try:
                record.pdq, record.pdq_quality = pdq_hash(image)
                if self.ocr:
                    self.read_text(image, record)
            finally:
                image.close()
        return record

    def read_text(self, image: object, record: MediaFile) -> None:
        """OCR an image into the record; a missing Tesseract is noted once and leaves the record unread."""
        from PIL import Image

        assert isinstance(image, Image.Image)
        if self._ocr_missing is not None:
            record.notes.append(self._ocr_missing)
            return
        try:
            result = ocr_image(image, self.ocr_langs, self.ocr_timeout)
        except NotConfigured as exc:
            self._ocr_missing = f"OCR skipped: {exc}"
            log.warning("%s", self._ocr_missing)
            record.notes.append(self._ocr_missing)
            return
        except (TimeoutError, RuntimeError, OSError) as exc:
            record.notes.append(f"OCR failed: {exc}")
            return
        record.ocr_text, record.ocr_langs = result.text, result.langs

    def ocr_archived(self, sha256: str) -> MediaFile | None:
        """OCR an archived image again (for ``media ocr``); None when the file is gone or not an image."""
        if not self.has(sha256):
            return None
        data = self.read(sha256)
        try:
            image = load_image(data, self.max_pixels)
        except ValueError:
            return None
        record = MediaFile(sha256, "image", "", len(data), "ok")
        try:
            self.read_text(image, record)
        finally:
            image.close()
        return record


def archive_from_settings(settings: Settings) -> MediaArchive:
    """The media archive of the configured data directory, limits and OCR languages."""
    limits = dict(DEFAULT_LIMITS)
    for kind, value in pairs(settings.get("media_limits_mb")).items():
        if kind not in DEFAULT_LIMITS:
            raise InvalidInput(f"media_limits_mb: unknown kind {kind!r}; one of {', '.join(DEFAULT_LIMITS)}")
        try:
            limits[kind] = int(float(value) * MB)
        except ValueError as exc:
            raise InvalidInput(f"media_limits_mb: {kind}={value!r} is not a number of MB") from exc
    langs = tuple(lang for lang in (settings.get("ocr_langs") or "").split("+") if lang.strip())
    return MediaArchive(root=media_dir(settings), limits=limits,
                        ocr=(settings.get("media_ocr") or "on").lower() not in ("off", "0", "false", "no"),
                        ocr_langs=langs or DEFAULT_LANGS, ocr_timeout=settings.number("ocr_timeout_seconds"))


def download_enabled(settings: Settings, where: str) -> bool:
    """Whether media are archived from ``exports`` or ``web`` under the media_download setting."""
    chosen = {part.strip().lower() for part in (settings.get("media_download") or "").split(",")}
    return where in chosen or "on" in chosen or "all" in chosen
