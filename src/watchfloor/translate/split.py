"""Cutting a post into sentence-sized segments, and keeping hashtags, URLs and handles out of the model's way.

A post becomes a list of pieces; each piece is a segment to translate plus the text that follows it
unchanged (the whitespace between sentences, or a run of hashtags, URLs and handles). Inside a
sentence, such tokens are replaced by numbered placeholders, put back after translation; one the
back-end lost is appended to its sentence, so they always survive verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Piece", "split_text", "join_pieces", "PROTECTED", "MAX_SEGMENT_CHARS"]

MAX_SEGMENT_CHARS = 400
PROTECTED = re.compile(
    r"(?:https?://|www\.|t\.me/)[^\s<>\"'«»]*[^\s<>\"'«».,;:!?؟،؛)\]}]"  # URLs, without trailing punctuation
    r"|(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}"  # Telegram handles
    r"|(?<![\w#])#[^\s#.,;:!?؟،؛()\[\]{}«»\"']+"  # hashtags in any script
    r"|\[\d{1,3}\]"  # a literal [n] would read as a placeholder: it is held like a token
)
# A sentence ends at . ! ? ؟ ۔ (Arabic/Urdu marks) or … followed by space, or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?؟۔…])[\"'»”)]*\s+|\n+")
_SOFT_BREAK = re.compile(r"(?<=[,،;؛:])\s+|\s+")
_PLACEHOLDER = "[{}]"
_PLACEHOLDER_RE = re.compile(r"\[(\d{1,3})\]")
_WORDS = re.compile(r"[^\W\d_]", re.UNICODE)  # a letter: something to translate


@dataclass
class Piece:
    """A segment to translate (may be empty), the protected tokens inside it, and the text that follows."""

    segment: str
    tokens: list[str] = field(default_factory=list)
    tail: str = ""
    head: str = ""  # protected tokens and spaces before the segment, kept as they are

    def restore(self, translated: str) -> str:
        """The translated segment with its placeholders replaced by the original tokens."""
        missing = set(range(len(self.tokens)))

        def put_back(match: re.Match[str]) -> str:
            n = int(match.group(1))
            if n < len(self.tokens):
                missing.discard(n)
                return self.tokens[n]
            return match.group(0)

        text = _PLACEHOLDER_RE.sub(put_back, translated)
        lost = [self.tokens[n] for n in sorted(missing)]
        return " ".join([text, *lost]) if lost else text


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, following separator) pairs; boundaries inside protected tokens are ignored."""
    taken = [(m.start(), m.end()) for m in PROTECTED.finditer(text)]
    found: list[tuple[str, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        cut = match.start() + len(match.group(0)) - len(match.group(0).lstrip("\"'»”)"))
        found.append((text[start:cut], text[cut:match.end()]))
        start = match.end()
    found.append((text[start:], ""))
    return [(s, sep) for s, sep in found if s or sep]


def _cap(sentence: str, limit: int) -> list[tuple[str, str]]:
    """A long sentence cut at clause marks or spaces into parts of at most ``limit`` characters."""
    parts: list[tuple[str, str]] = []
    while len(sentence) > limit:
        cut = None
        for match in _SOFT_BREAK.finditer(sentence, 0, limit):
            cut = match
        if cut is None or cut.start() == 0:
            parts.append((sentence[:limit], ""))
            sentence = sentence[limit:]
        else:
            parts.append((sentence[:cut.start()], cut.group(0)))
            sentence = sentence[cut.end():]
    parts.append((sentence, ""))
    return parts


def _piece(sentence: str, tail: str) -> Piece:
    matches = list(PROTECTED.finditer(sentence))
    # tokens at the very start or end of the sentence stay outside the segment, untouched
    lead, trail = 0, len(sentence)
    for match in matches:
        if sentence[lead:match.start()].strip():
            break
        lead = match.end()
    for match in reversed(matches):
        if match.start() < lead or sentence[match.end():trail].strip():
            break
        trail = match.start()
    core = sentence[lead:trail]
    stripped = core.strip()
    head = sentence[:lead] + core[:len(core) - len(core.lstrip())]
    after = core[len(core.rstrip()):] + sentence[trail:] + tail
    if not _WORDS.search(_PLACEHOLDER_RE.sub("", PROTECTED.sub("", stripped))):
        return Piece("", [], stripped + after, head)  # nothing to translate: numbers, emoji, tokens
    tokens: list[str] = []

    def hold(match: re.Match[str]) -> str:
        tokens.append(match.group(0))
        return _PLACEHOLDER.format(len(tokens) - 1)

    return Piece(PROTECTED.sub(hold, stripped), tokens, after, head)


def split_text(text: str, limit: int = MAX_SEGMENT_CHARS) -> list[Piece]:
    """The pieces of a text; ``join_pieces`` of their segments, untranslated, gives the text back."""
    pieces: list[Piece] = []
    for sentence, separator in _sentences(text):
        parts = _cap(sentence, limit)
        for i, (part, joint) in enumerate(parts):
            pieces.append(_piece(part, joint if i < len(parts) - 1 else separator))
    return pieces


def join_pieces(pieces: list[Piece], translated: list[str]) -> str:
    """The pieces put back together with each segment replaced by its translation."""
    out: list[str] = []
    for piece, english in zip(pieces, translated, strict=True):
        out.append(piece.head + (piece.restore(english) if piece.segment else "") + piece.tail)
    return "".join(out)
