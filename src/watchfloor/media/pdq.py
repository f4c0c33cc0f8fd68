"""PDQ perceptual hashes (Meta's near-duplicate image hash, 256 bits) and their Hamming distance."""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["pdq_hash", "hamming", "DEFAULT_MAX_DISTANCE", "HASH_HEX_CHARS"]

DEFAULT_MAX_DISTANCE = 31  # PDQ's own match threshold: copies resized or recompressed fall well inside it
HASH_HEX_CHARS = 64


def pdq_hash(image: Image.Image) -> tuple[str, int]:
    """The image's PDQ hash as 64 hex digits, and PDQ's quality (0-100; below 50 the hash says little)."""
    import pdqhash  # a compiled extension: imported where used, so the rest of Watchfloor loads without it

    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    bits, quality = pdqhash.compute(rgb)
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:0{HASH_HEX_CHARS}x}", int(quality)


def hamming(left: str, right: str) -> int:
    """Bits that differ between two hex hashes of the same length."""
    if len(left) != len(right):
        raise ValueError("hashes of different lengths")
    return (int(left, 16) ^ int(right, 16)).bit_count()
