"""The names stage: Arabic-script person names the knowledge base does not know, romanised and kept
as candidate entities for review.

A run of two or three Arabic-script words outside any linked mention is a name when the romaniser's
index of attested full names (71k names from Wikidata and name corpora, shipped in the
``arabic-name-romanizer`` wheel) holds it. The romaniser gives its three most likely Latin spellings,
with a country hint from the post's language (Persian → IR, Pashto → AF, Urdu → PK).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from watchfloor.errors import NotConfigured
from watchfloor.models import Alias, Entity, Mention, Post

__all__ = ["NameStage", "candidate_id"]

_ARABIC_WORD = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff][\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff\u200c]*")
_COUNTRY_HINTS = {"fa": "IR", "ps": "AF", "ur": "PK"}
MAX_POST_CHARS = 20_000


def candidate_id(latin: str) -> str:
    """A stable id for a candidate person from its first romanisation."""
    slug = re.sub(r"[^a-z0-9]+", "-", latin.casefold()).strip("-")
    return f"candidate:person:{slug or 'unnamed'}"


class NameStage:
    """Adds candidate person mentions (and their candidate entities) for unknown Arabic-script names."""

    name = "names"
    version = "arabic-name-romanizer-0.2.0"
    requires: tuple[str, ...] = ("mentions", "lang")
    assigns: tuple[str, ...] = ("mentions", "candidates")

    def __init__(self) -> None:
        self.index: sqlite3.Connection | None = None
        self.full_key: Any = None
        self.transliterate: Any = None
        self.cache: dict[tuple[str, str | None], list[str]] = {}

    def setup(self) -> None:
        """Open the romaniser's name index read-only."""
        try:
            import arabic_name_romanizer
            from arabic_name_romanizer.normalize import full_key
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise NotConfigured("candidate names need arabic-name-romanizer: "
                                "pip install arabic-name-romanizer") from exc
        path = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
        if not path.exists():
            raise NotConfigured(f"the romaniser's name index is missing at {path}")
        self.index = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.full_key = full_key
        self.transliterate = arabic_name_romanizer.transliterate

    def _attested(self, text: str) -> bool:
        assert self.index is not None
        key = self.full_key(text)
        row = self.index.execute("SELECT 1 FROM full_names WHERE arabic_key = ? LIMIT 1", (key,)).fetchone()
        return row is not None

    def _romanise(self, text: str, country: str | None) -> list[str]:
        if (text, country) not in self.cache:
            found = self.transliterate(text, top_k=3, country=country)
            self.cache[(text, country)] = list(dict.fromkeys(c.text for c in found if c.text))
        return self.cache[(text, country)]

    def find(self, text: str, known: Sequence[Mention], lang: str | None) -> list[tuple[Mention, Entity]]:
        """Candidate person names in the text, outside the spans already linked."""
        if self.index is None:
            self.setup()
        taken = [(m.start, m.end) for m in known if m.start >= 0]
        words = [w for w in _ARABIC_WORD.finditer(text[:MAX_POST_CHARS])
                 if not any(s < w.end() and w.start() < e for s, e in taken)]
        found: list[tuple[Mention, Entity]] = []
        i = 0
        while i < len(words) - 1:
            for n in (3, 2):
                run = words[i:i + n]
                if len(run) < n or any(text[a.end():b.start()].strip() for a, b in zip(run, run[1:], strict=False)):
                    continue  # only words separated by spaces make one name
                surface = text[run[0].start():run[-1].end()]
                if self._attested(surface):
                    variants = self._romanise(surface, _COUNTRY_HINTS.get(lang or ""))
                    if variants:
                        entity = Entity(id=candidate_id(variants[0]), type="person", name=variants[0],
                                        aliases=[Alias(surface, lang)] + [Alias(v, "en") for v in variants],
                                        attrs={"sources": ["romanised by arabic-name-romanizer 0.2.0"]},
                                        status="candidate")
                        found.append((Mention(entity.id, surface, run[0].start(), run[-1].end(), 0.5), entity))
                        i += n
                        break
            else:
                i += 1
        return found

    def run(self, batch: Sequence[Post]) -> None:
        """Add candidate mentions and entities to each post."""
        for post in batch:
            post.candidates = []
            for mention, entity in self.find(post.text, post.mentions, post.lang):
                post.mentions.append(mention)
                post.candidates.append(entity)
