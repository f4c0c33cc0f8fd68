"""Type sniffing, guarded decoding, PDQ distance and OCR on images the tests make themselves."""

from __future__ import annotations

from PIL import Image

from media_images import (
    KEY_WORD,
    encode,
    html_page,
    need_tesseract,
    news_graphic,
    png_bomb,
    repost_copy,
    truncated_jpeg,
    unrelated_image,
    zip_archive,
)
from watchfloor.media.inspect import inspect, sniff
from watchfloor.media.ocr import ocr_image
from watchfloor.media.pdq import DEFAULT_MAX_DISTANCE, hamming, pdq_hash


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    assert sniff(encode(news_graphic(), "PNG")) == "image/png"
    assert sniff(encode(news_graphic(), "JPEG")) == "image/jpeg"
    assert sniff(encode(news_graphic(), "WEBP")) == "image/webp"
    assert sniff(html_page()) == "text/html"
    assert sniff(zip_archive()) == "application/zip"
    assert sniff(b"\x00\x01\x02\x03binary") == "application/octet-stream"


def test_a_real_photo_is_accepted_with_its_size() -> None:
    verdict = inspect(encode(news_graphic(), "JPEG"), "photo")
    assert verdict.ok and verdict.is_image and (verdict.width, verdict.height) == (880, 760)


def test_bombs_truncated_and_mislabelled_files_are_rejected_with_a_reason() -> None:
    bomb = inspect(png_bomb(), "photo")
    assert not bomb.ok and "decompression bomb" in (bomb.reason or "")
    assert len(png_bomb()) < 10_000  # it is small on the wire
    cut = inspect(truncated_jpeg(), "photo")
    assert not cut.ok and "truncated" in (cut.reason or "")
    page = inspect(html_page(), "photo", "image/jpeg")
    assert not page.ok and page.mime == "text/html" and "text/html" in (page.reason or "")
    packed = inspect(zip_archive(), "file", "image/png")
    assert not packed.ok and packed.mime == "application/zip" and "application/zip" in (packed.reason or "")
    # a zip sent as a document, declared as such, is an opaque file: kept, never decoded
    assert inspect(zip_archive(), "file", "application/zip").ok
    video = inspect(html_page(), "video_file", "video/mp4")
    assert not video.ok and "declared video" in (video.reason or "")


def test_a_reposted_copy_is_near_by_pdq_and_an_unrelated_image_is_not() -> None:
    original, quality = pdq_hash(news_graphic())
    with Image.open(__import__("io").BytesIO(repost_copy(news_graphic()))) as copy:
        reposted, _ = pdq_hash(copy)
    other, _ = pdq_hash(unrelated_image())
    assert quality >= 50 and len(original) == 64
    assert hamming(original, reposted) <= DEFAULT_MAX_DISTANCE
    assert hamming(original, other) > 2 * DEFAULT_MAX_DISTANCE
    assert hamming(original, original) == 0


def test_ocr_reads_an_arabic_news_graphic() -> None:
    need_tesseract()
    result = ocr_image(news_graphic())
    assert KEY_WORD in result.text and "وزراء" in result.text
    assert "ara" in result.langs


def test_damaged_images_are_rejected_never_raised() -> None:
    png = encode(news_graphic(), "PNG")
    jpeg = encode(news_graphic(), "JPEG")
    damaged = {
        "png cut after its header": png[:60],
        "png with a corrupted middle": png[:2000] + bytes(b ^ 0xFF for b in png[2000:2400]) + png[2400:],
        "jpeg magic only": jpeg[:4],
        "gif header only": b"GIF89a\x10\x00\x10\x00",
    }
    for name, data in damaged.items():
        verdict = inspect(data, "photo")
        assert not verdict.ok, name
        assert verdict.reason and ("damaged" in verdict.reason or "truncated" in verdict.reason), name
