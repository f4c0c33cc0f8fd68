"""The entities stage: people, organisations, places and outlets named in a post, linked to the knowledge base."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from watchfloor.kb.normalize import normalize
from watchfloor.models import Entity, Mention, Post
from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.recognize import words_of
from watchfloor.pipeline.recognize_fa import ministries

__all__ = ["EntityStage", "without_suffixes"]

# a Turkish case or possessive suffix written after an apostrophe: "Ankara'da", "Irak’ın", "Fidan'ın"
_TURKISH_SUFFIX = re.compile(r"(?<=[^\W\d_])['’‘]([a-zçğıöşü]{1,7})(?![^\W\d_])")


def without_suffixes(text: str, lang: str | None) -> str:
    """The text with each suffix a Turkish name takes after an apostrophe blanked out (the same length, so
    spans stay where they were): the linker then finds "Ankara" in "Ankara'da". Other languages as they are
    (an apostrophe in a romanised Arabic name, "Shi'a", "Sa'id", is part of it)."""
    if lang != "tr" or "'" not in text and "’" not in text and "‘" not in text:
        return text
    return _TURKISH_SUFFIX.sub(lambda match: " " * len(match.group()), text)


_APPOSITION = re.compile(r"[\s,،]*")


def _unapposed(text: str, found: list[Mention], entities: Mapping[str, Entity]) -> list[Mention]:
    """The mentions without an epithet that follows a name of the same entity: "خامنه‌ای رهبر انقلاب" (Khamenei,
    the Leader of the Revolution) names him once, by his name (the mention that ends with his family name). An
    epithet before the name ("المرشد الإيراني علي خامنئي", "Iran's Supreme Leader Ali Khamenei") stays linked with
    it, so that no word of it is left for the names stage to take for a new name."""
    ordered = sorted((m for m in found if m.start >= 0), key=lambda m: m.start)
    apposed: set[int] = set()
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.entity_id == before.entity_id and before.end <= after.start \
                and _APPOSITION.fullmatch(text, before.end, after.start):
            family = _family_names(entities.get(after.entity_id))
            if _last_word(before.surface) in family and _last_word(after.surface) not in family:
                apposed.add(id(after))
    return [m for m in found if id(m) not in apposed] if apposed else found


def _last_word(surface: str) -> str:
    words = surface.split()  # a word written with a zero-width non-joiner is one: "خامنه‌ای"
    return normalize(words[-1]) if words else ""


def _family_names(entity: Entity | None) -> set[str]:
    """The last word of an entity's name and its one-word aliases, as the linker normalises them."""
    if entity is None:
        return set()
    return {_last_word(entity.name)} | {_last_word(a.text) for a in entity.aliases if len(a.text.split()) == 1}


class EntityStage:
    """Links mentions in the original text and, where there is one, the English translation."""

    name = "entities"
    version = "20"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("mentions",)

    def __init__(self, find: Callable[[str, str | None], list[Mention]],
                 entities: Mapping[str, Entity] | None = None) -> None:
        self.link = find
        self.entities = dict(entities or {})

    def find(self, text: str, lang: str | None = None) -> list[Mention]:
        """The linker's mentions that have the context their name needs (``pipeline/context.py``); in Turkish,
        a name with a case suffix after an apostrophe links without it; in Persian, Urdu and Pashto a word keeps
        its first letters (no Arabic clitic comes off)."""
        plain = without_suffixes(text, lang)
        found = _unapposed(plain, keep_mentions(plain, self.link(plain, lang), self.entities, lang), self.entities)
        return self._with_ministries(plain, found) if lang == "fa" else found

    def _with_ministries(self, text: str, found: list[Mention]) -> list[Mention]:
        """The mentions with the ministries the knowledge base lists, named by a minister's portfolio: "وزیر امور
        خارجه" names "وزارت امور خارجه", "وزیر کشور عراق" Iraq's ministry, which then holds the country's
        mention (``recognize_fa.ministries``); the portfolio's words are the mention."""
        for span in ministries(text, words_of(text)):
            held = [m for m in found if span.start <= m.start and m.end <= span.end]
            if span.whole is None or any(m.start < span.end and span.start < m.end and m not in held for m in found):
                continue
            whole = [m for m in self.link(span.whole, "fa") if m.start == 0 and m.end == len(span.whole)]
            entity = self.entities.get(whole[0].entity_id) if whole else None
            if entity is not None and entity.type == "organization":
                found = [m for m in found if m not in held]
                found.append(Mention(entity.id, text[span.start:span.end], span.start, span.end, whole[0].score))
        return found

    def setup(self) -> None:
        """Nothing to load: the linker is built from the knowledge base by the runner."""

    def run(self, batch: Sequence[Post]) -> None:
        """Fill ``mentions`` on each post (spans index the original text)."""
        for post in batch:
            post.mentions = self.find(post.text, post.lang)
            if post.text_en:
                # mentions found only in the translation still count, without a span in the original
                seen = {m.entity_id for m in post.mentions}
                for mention in self.find(post.text_en):
                    if mention.entity_id not in seen:
                        seen.add(mention.entity_id)
                        post.mentions.append(Mention(mention.entity_id, mention.surface, -1, -1,
                                                     mention.score * 0.9))
