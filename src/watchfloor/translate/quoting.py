"""A post's quotations in English, taken from the translation of the sentences that hold them.

A quotation translated on its own, out of its sentence, is where a small model invents most ("put the
Zionist regime on the path to dissolution" came back as a sentence about Damascus). So a quotation's English
is the quoted span of its sentence's translation (the sentence is translated with the post, so the segment
cache answers), matched by position when the English keeps as many quoted spans as the original has
quotations in that sentence; otherwise it has no English and reports do not quote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from watchfloor.models import Quote
from watchfloor.translate.split import split_text

__all__ = ["quote_sentences", "quoted_spans", "english_quote"]

_QUOTED = re.compile("«([^«»]{2,2000})»|“([^“”]{2,2000})”|\"([^\"]{2,2000})\"|„([^„“”]{2,2000})[“”]"
                     "|‘([^‘’]{2,2000})’")


def quote_sentences(text: str, quotes: Sequence[Quote]) -> list[tuple[str, list[int]]]:
    """The sentences (as split for translation) that hold quotations, each with the indexes of its quotations."""
    spans: list[tuple[int, int, str]] = []
    position = 0
    for piece in split_text(text):
        position += len(piece.head)
        original = piece.restore(piece.segment) if piece.segment else ""
        spans.append((position, position + len(original), original))
        position += len(original) + len(piece.tail)
    found: dict[tuple[int, int], list[int]] = {}
    for index, quote in enumerate(quotes):
        covering = [(s, e) for s, e, seg in spans if seg and s < max(quote.end, quote.start + 1) and quote.start < e]
        if covering:
            found.setdefault((covering[0][0], covering[-1][1]), []).append(index)
    return [(text[start:end], indexes) for (start, end), indexes in sorted(found.items())]


def quoted_spans(english: str) -> list[str]:
    """The quoted spans of an English text, in order."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _QUOTED.finditer(english)]


def english_quote(english_sentence: str, position: int, count: int) -> str | None:
    """The English of the quotation at ``position`` of ``count`` in its sentence, or None when the translation
    does not keep the quotations apart."""
    spans = [s for s in quoted_spans(english_sentence) if len(s.split()) >= 2]
    return spans[position] if len(spans) == count else None
