"""What a candidate the names stage found is called and shown with: its stable id and the words around it."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["candidate_id", "context_of", "CONTEXT_CHARS"]

CONTEXT_CHARS = 60

_ASCII_OF = str.maketrans({"ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                           "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"})


def candidate_id(latin: str, kind: str = "person") -> str:
    """A stable id for a candidate from its type and first romanisation; Latin letters with marks keep their
    base letter ("Aydoğan" is aydogan, "Keïta" keita), so names apart by a letter do not fold together."""
    plain = unicodedata.normalize("NFKD", latin.translate(_ASCII_OF))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
    return f"candidate:{kind}:{slug or 'unnamed'}"


def context_of(text: str, start: int, end: int) -> str:
    """The words around a span, cut at word boundaries, on one line."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if len(text) - end > CONTEXT_CHARS and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return " ".join((left + text[start:end] + right).split())
