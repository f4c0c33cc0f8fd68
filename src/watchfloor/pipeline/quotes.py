"""The quotes stage: quoted words and, where the text says so, who spoke them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from watchfloor.datafiles import read_yaml
from watchfloor.models import Mention, Post, Quote

__all__ = ["find_quotes", "QuoteStage", "MIN_WORDS"]

MIN_WORDS = 3  # shorter quoted spans are scare quotes or names
_DATA = Path(__file__).parent / "data" / "speech_verbs.yaml"
_QUOTED = re.compile("«([^«»]{1,2000})»|“([^“”]{1,2000})”|\"([^\"]{1,2000})\"|„([^„“”]{1,2000})[“”]")
_SENTENCE_END = re.compile(r"[.!?؟۔\n]")


@cache
def _verbs() -> re.Pattern[str]:
    lists: dict[str, list[str]] = read_yaml(_DATA)
    words = sorted({w for ws in lists.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def _same_sentence(text: str, start: int, end: int) -> bool:
    return _SENTENCE_END.search(text, start, end) is None


def find_quotes(text: str, mentions: Sequence[Mention], entity_types: Mapping[str, str]) -> list[Quote]:
    """Quoted spans of three words or more, each with its speaker when a speech verb ties one to it."""
    people = sorted((m for m in mentions if m.start >= 0 and entity_types.get(m.entity_id) == "person"),
                    key=lambda m: m.start)
    verbs = _verbs()
    found: list[Quote] = []
    for match in _QUOTED.finditer(text):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        words = match.group(group).strip().rstrip(",،")
        if len(words.split()) < MIN_WORDS:
            continue
        q_start, q_end = match.start(group), match.end(group)
        speaker: Mention | None = None
        before = [m for m in people if m.end <= match.start() and _same_sentence(text, m.end, match.start())]
        # the verb may stand between speaker and quote ("X said: «...»") or before the speaker ("قال X إن «...»")
        if before and verbs.search(text, max(0, before[-1].start - 40), match.start()):
            speaker = before[-1]
        else:
            after = [m for m in people if m.start >= match.end() and m.start - match.end() < 80
                     and _same_sentence(text, match.end(), m.start)]
            if after and verbs.search(text, match.end(), after[0].start):
                speaker = after[0]
        found.append(Quote(text=words, speaker=speaker.surface if speaker else None,
                           speaker_id=speaker.entity_id if speaker else None, start=q_start, end=q_end))
    return found


class QuoteStage:
    """Sets ``quotes`` from the text and the post's person mentions."""

    name = "quotes"
    version = "4"
    requires: tuple[str, ...] = ("mentions",)
    assigns: tuple[str, ...] = ("quotes",)

    def __init__(self, entity_types: Mapping[str, str] | None = None) -> None:
        self.entity_types = dict(entity_types or {})

    def setup(self) -> None:
        """Load the speech verbs."""
        _verbs()

    def run(self, batch: Sequence[Post]) -> None:
        """Find each post's quotes."""
        for post in batch:
            post.quotes = find_quotes(post.text, post.mentions, self.entity_types)
