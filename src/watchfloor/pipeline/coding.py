"""Coding stories: an event type from a documented taxonomy, each post's stance (report, claim of
responsibility, denial), and the story's actors and place.

This is a transparent cue-word coder, not a model: every label carries the cues that produced it, so an
analyst sees why. The cues (`data/event_types.yaml`) were written against the bundled sample, which is
therefore not an independent test of them; `docs/coding.md` says what that means.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import has_arabic, normalize
from watchfloor.models import Entity, Post, StoryCoding
from watchfloor.pipeline.context import place_context

__all__ = ["EVENT_TYPES", "CODER_VERSION", "PostCoding", "StoryCoding", "code_post", "code_story"]

_DATA = Path(__file__).parent / "data" / "event_types.yaml"


@cache
def _lexicon() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(_DATA)
    return loaded


EVENT_TYPES: tuple[str, ...] = tuple(_lexicon()["types"])
# Stored with each story's coding: a story coded with other cues is coded again by `watchfloor process`.
CODER_VERSION = "cues-" + hashlib.sha256(_DATA.read_bytes()).hexdigest()[:12]


@cache
def _cues(group: str) -> dict[str, list[tuple[str, str, bool]]]:
    """label -> [(written cue, normalised cue, matches inside words)]."""
    table: dict[str, list[tuple[str, str, bool]]] = {}
    for label, by_lang in _lexicon()[group].items():
        cues = []
        for words in by_lang.values():
            for word in words:
                cues.append((word, normalize(word), has_arabic(word)))
        table[label] = cues
    return table


# An Arabic-script cue may carry clitics before it (and, the, by, for, as, will) and a pronoun or
# inflection after it, but no other letters: نفى matches ونفى and نفاها-like forms, never تنفيذ.
_ARABIC_BEFORE = r"(?:^|(?<=\s))(?:[وفبلكس]{0,2}(?:ال)?)"
_ARABIC_AFTER = r"(?:ه|ها|هم|هما|ت|ا|وا|ون|ين|ان|تين|تا)?(?=\s|$)"


@cache
def _pattern(norm: str, arabic: bool) -> re.Pattern[str]:
    if arabic:
        return re.compile(_ARABIC_BEFORE + re.escape(norm) + _ARABIC_AFTER)
    return re.compile(r"(?:^|(?<=\s))" + re.escape(norm) + r"(?=\s|$)")


def _found(text: str, cues: list[tuple[str, str, bool]]) -> list[str]:
    """The cues found, one per normalised form (élection and election count once)."""
    seen: dict[str, str] = {}
    for written, norm, arabic in cues:  # a cue matches only where its letters occur: test that first, quickly
        if norm and norm not in seen and norm in text and _pattern(norm, arabic).search(text):
            seen[norm] = written
    return list(seen.values())


@dataclass
class PostCoding:
    """One post: its stance and the event types its words point to, with the cues."""

    stance: str  # report | claim | denial
    types: dict[str, list[str]] = field(default_factory=dict)  # event type -> cues found
    stance_cues: list[str] = field(default_factory=list)

    @property
    def event_type(self) -> str | None:
        """The best-supported type (ties go to the one listed first in the taxonomy); `statement` only
        when no more specific type is signalled, since nearly every post says or announces something."""
        specific = {t: cues for t, cues in self.types.items() if t != "statement"}
        candidates = specific or self.types
        if not candidates:
            return None
        return max(candidates, key=lambda t: (len(candidates[t]), -EVENT_TYPES.index(t)))


@lru_cache(maxsize=8192)
def _cues_in(text: str, text_en: str | None) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    """The event-type and the stance cues found in a post, by label; kept for the posts seen last, since a
    story is coded again, every member anew, each time a post joins it."""
    normalized = " ".join(normalize(t) for t in (text, text_en) if t)
    return tuple(tuple((label, tuple(found)) for label, cues in _cues(group).items()
                       if (found := _found(normalized, cues)))
                 for group in ("types", "stances"))


def code_post(text: str, text_en: str | None = None) -> PostCoding:
    """Code one post from its original and (if any) English text."""
    found_types, found_stances = _cues_in(text, text_en)
    types = {label: list(found) for label, found in found_types}
    stances = {label: list(found) for label, found in found_stances}
    if "denial" in stances:
        return PostCoding("denial", types, stances["denial"])
    if "claim" in stances and "attack_claim" in types:
        return PostCoding("claim", types, stances["claim"])
    return PostCoding("report", types)


def code_story(posts: Sequence[Post], entities: Mapping[str, Entity]) -> StoryCoding:
    """Each post votes for its own type; the story takes the most voted (ties to the taxonomy's order).
    Its actors and place are the organisations, people and place its posts name most."""
    votes: Counter[str] = Counter()
    stances: dict[int, str] = {}
    for post in posts:
        coded = code_post(post.text, post.english() if post.lang != "en" else None)
        stances[post.id] = coded.stance
        if coded.event_type is not None:
            votes[coded.event_type] += 1
    event_type = max(votes, key=lambda t: (votes[t], -EVENT_TYPES.index(t))) if votes else None
    named: Counter[str] = Counter()
    located: Counter[str] = Counter()  # places the text puts the event in ("in Tehran"), not only names

    def is_place(entity_id: str) -> bool:
        return entity_id in entities and entities[entity_id].type == "place"

    for post in posts:
        for entity_id in {m.entity_id for m in post.mentions}:
            named[entity_id] += 1
        # only a place's words are read: the rest are ranked by how often they are named
        for entity_id in {m.entity_id for m in post.mentions
                          if m.start >= 0 and is_place(m.entity_id) and place_context(post.text, m.start)}:
            located[entity_id] += 1
    ranked = sorted(named, key=lambda i: (-named[i], i))
    actors = [i for i in ranked if i in entities and entities[i].type in ("organization", "person")][:8]
    places = [i for i in sorted(ranked, key=lambda i: -located[i]) if is_place(i)]
    return StoryCoding(event_type, dict(votes), stances, actors, places[0] if places else None)
