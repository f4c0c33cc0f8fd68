"""Images the media tests make themselves (Pillow), and hostile files that only pretend to be images."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core: has Arabic glyphs
# A news-wire graphic: two lines (Tesseract finds the baseline of a lone short Arabic line poorly).
HEADLINE = ["اجتماع وزراء الخارجية في الدوحة", "بحث الوزراء الوضع الإقليمي يوم الخميس"]
KEY_WORD = "الدوحة"  # Doha: only in the image, never in a post's text


def need_tesseract() -> None:
    """Skip without Tesseract and its Arabic data locally; fail in CI, where `make test` installs them."""
    missing = shutil.which("tesseract") is None
    if not missing:
        from watchfloor.media.ocr import installed_languages

        missing = "ara" not in installed_languages()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs Tesseract with Arabic: run the suite through `make test` (scripts/tesseract.sh)")
        pytest.skip("Tesseract with Arabic is not installed (scripts/tesseract.sh installs it)")


def news_graphic(lines: list[str] | None = None, size: int = 40) -> Image.Image:
    """A channel's news graphic: a picture (sky, hills, a building) above two lines of dark text on a light
    card, with a coloured band at the foot."""
    width, picture = size * 22, size * 12
    image = Image.new("RGB", (width, picture + size * 7), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    for y in range(picture):  # sky fading into haze
        draw.line((0, y, width, y), fill=(70 + y // 6, 110 + y // 8, 170 + y // 12))
    draw.polygon([(0, picture), (width // 3, picture // 2), (width * 2 // 3, picture * 3 // 4), (width, picture // 3),
                  (width, picture)], fill=(90, 110, 70))
    draw.rectangle((width // 2, picture // 3, width // 2 + size * 4, picture), fill=(200, 190, 170))
    for i, line in enumerate(lines or HEADLINE):
        draw.text((size * 21, picture + size * (1.0 + 1.8 * i)), line, font=font_of(size), fill=(10, 10, 10),
                  direction="rtl", anchor="ra")
    draw.rectangle((0, picture + size * 5.6, width, picture + size * 7), fill=(150, 20, 30))
    return image


def font_of(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at a size."""
    return ImageFont.truetype(FONT, size)


def unrelated_image() -> Image.Image:
    """A different picture: shapes on a dark field."""
    image = Image.new("RGB", (800, 600), (20, 40, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 100, 500, 420), fill=(240, 160, 30))
    draw.rectangle((520, 50, 760, 560), fill=(30, 160, 90))
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    """An image's bytes in a format."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def repost_copy(image: Image.Image) -> bytes:
    """What another channel re-posts: half size, recompressed at low JPEG quality."""
    smaller = image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)
    return encode(smaller, "JPEG", quality=45)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(side: int = 60000) -> bytes:
    """A small PNG that declares side x side pixels (a decompression bomb: a few KB unpacking to GBs)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)  # the first 64 rows; a real bomb goes on
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    """A real JPEG cut off halfway, as an interrupted download leaves it."""
    data = encode(unrelated_image(), "JPEG", quality=90)
    return data[: len(data) // 2]


def html_page() -> bytes:
    """An HTML page (what a CDN error or a lure looks like), to be saved under an image's name."""
    return b"<!DOCTYPE html><html><head><title>Not found</title></head><body><script>alert(1)</script></body></html>"


def zip_archive() -> bytes:
    """A zip archive, to be saved under an image's name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("statement.txt", "The ministry issued a statement on Thursday.")
    return buffer.getvalue()
