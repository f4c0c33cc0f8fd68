"""Names found again: a name the names stage found with a signal (a title, a noun, a verb of saying) that recurs
later without one. Within one text, a person's family name (the last word of a name of two words or more) or
the same name exactly, standing alone after the name was found ("the minister Karl Weber ... Weber's visit"),
takes the found name's type, and a family name stands for the whole name (``Span.whole``: one candidate, not
two). Across posts, the memory of names found before with a signal, read from the store when a run starts
(``store.kb.found_names`` → ``name_memory``) and shipped with the run, does the same for a name an earlier
post gave in full, and a family name stands for the one whole name the earlier posts gave with it (the same
candidate as theirs). A word that is also a common word, a title, a particle or a stop word never stands alone as
a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from watchfloor.kb.normalize import ARTICLE, PREPOSITIONS_APART, Token, normalize
from watchfloor.pipeline.context import common_words
from watchfloor.pipeline.recognize import PARTICLES
from watchfloor.pipeline.recognize_cues import Span, cues, joined, stems

__all__ = ["NameMemory", "keys_of", "recurring", "first_words", "name_memory", "stands_alone", "MEMORY_MIN_POSTS",
           "MEMORY_MIN_SOURCES", "SIGNALS"]

NameMemory = Mapping[str, tuple[str, str]]
"""Names found before: a normalised surface ("كارل فيبر", or the family name "فيبر") → its type and, for a family
name that earlier posts gave in one whole name only, that whole name as they wrote it ("" otherwise)."""

MEMORY_MIN_POSTS = 2  # a name the stage found in fewer earlier posts is not remembered (set on dev)
MEMORY_MIN_SOURCES = 1  # ... nor one fewer sources (channels) gave
MAX_WORDS = 5
ZWNJ = "\u200c"
SIGNALS = ("recurrence", "memory")  # the signals of the spans this module adds (never remembered themselves)


@lru_cache(maxsize=65536)
def stands_alone(word: str) -> bool:
    """Whether a normalised word may be a name by itself: not a common word, a title, a particle, a stop
    word, a place of the CLDR's list, and of three letters at least."""
    table = cues()
    forms = stems(word)
    return len(word) >= 3 and word not in PARTICLES and not any(
        f in table.common or f in common_words() or f in table.stop_words or f in table.not_names
        or (f,) in table.person_titles or (f,) in table.person_roles or (f,) in table.places
        for f in forms[:1] + tuple(f for f in forms[1:] if len(f) >= 3))


def _key(surface: str) -> str:
    """A name's key in a memory: its words normalised, one space apart."""
    return " ".join(normalize(surface).split())


def keys_of(surface: str, kind: str) -> dict[str, str]:
    """What a found name lets recur: its whole surface, and a person's family name (the last word of two or
    more), normalised; a single word only where it may stand alone."""
    words = normalize(surface).split()
    keys: dict[str, str] = {}
    if len(words) > 1 or (words and stands_alone(words[0])):
        keys[" ".join(words)] = kind
    # "عبد الله", "أبو بكر": the word after a particle is no family name
    if kind == "person" and len(words) > 1 and words[-2] not in PARTICLES and stands_alone(words[-1]):
        keys.setdefault(words[-1], kind)
    return keys


def first_words(names: Iterable[str]) -> frozenset[str]:
    """The first words of the keys of a memory (a word that begins none is passed over at once)."""
    return frozenset(key.split(" ", 1)[0] for key in names)


def recurring(text: str, tokens: Sequence[Token], found: Sequence[Span], memory: NameMemory,
              lang: str | None, name_word: Callable[[str], bool] = lambda norm: False,
              memory_firsts: frozenset[str] | None = None) -> list[Span]:
    """Spans of the names in ``found`` (and in ``memory``, whose keys begin with ``memory_firsts``) that recur
    outside every found span; a word beside a name part the stage left outside (``name_word``) belongs to
    another name."""
    local: dict[str, str] = {}
    wholes: dict[str, str] = {}  # a family name found again -> the whole name it came from, in this text
    for span in found:
        if span.signal not in SIGNALS:
            surface = text[span.start:span.end]
            for key, kind in keys_of(surface, span.type).items():
                local.setdefault(key, kind)
                if key != _key(surface):
                    wholes.setdefault(key, " ".join(surface.split()))
    if not local and not memory:
        return []
    starts = first_words(local) | (first_words(memory) if memory_firsts is None else memory_firsts)
    longest = min(MAX_WORDS, max(key.count(" ") + 1 for key in [*local, *memory]))
    taken = [any(s.start < t.end and t.start < s.end for s in found) for t in tokens]
    words = list(tokens)
    added: list[Span] = []
    i = 0
    while i < len(tokens):
        # clitics (و ف ب ل ك) come off the first word in Arabic, Persian writes them apart; the article comes off
        # a family name of origin ("البارزاني" is Barzani) but no other ("الاسلام" is Islam, not Yusuf Islam;
        # "الحماس" is zeal, not Hamas)
        forms = stems(tokens[i].norm) if lang not in PREPOSITIONS_APART else (tokens[i].norm,)
        firsts = [f for f in forms if f in starts and (ARTICLE + f not in forms or f.endswith("\u064a"))] \
            if not taken[i] else []
        for n in range(min(longest, len(tokens) - i), 0, -1) if firsts else ():
            if any(taken[i:i + n]) or any(not joined(text, words, k) for k in range(i + 1, i + n)):
                continue
            rest = " ".join(t.norm for t in tokens[i + 1:i + n])
            keys = [f"{first} {rest}" if rest else first for first in firsts]
            hit = next(((local[k], "recurrence", wholes.get(k)) for k in keys if k in local), None) or \
                next(((memory[k][0], "memory", memory[k][1] or None) for k in keys if k in memory), None)
            if hit is None:
                continue
            kind, signal, whole = hit
            if n == 1 and not stands_alone(tokens[i].norm):  # "لصالح" is "in favour of", not "to Saleh"
                break
            if text[tokens[i].start - 1:tokens[i].start] == ZWNJ or text[tokens[i + n - 1].end:][:1] == ZWNJ:
                break  # a word a zero-width non-joiner continues is part of a longer word ("...‌زاده")
            # a word beside a name part or a particle the stage left outside belongs to another name
            # ("فيبر" in "هانس فيبر", "زيد" in "أبي زيد")
            if (i > 0 and joined(text, words, i) and _in_name(tokens[i - 1].norm, name_word)) or (
                    i + n < len(tokens) and joined(text, words, i + n) and _in_name(tokens[i + n].norm, name_word)):
                break
            added.append(Span(kind, tokens[i].start, tokens[i + n - 1].end, signal, whole))
            i += n - 1
            break
        i += 1
    return added


def _in_name(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A particle, or a name part that is no stop word ("على" folds to "علي", Ali)."""
    return norm in PARTICLES or (name_word(norm) and norm not in cues().stop_words)


def name_memory(found: Iterable[tuple[str, str, int, int]], min_posts: int | None = None,
                min_sources: int | None = None) -> dict[str, tuple[str, str]]:
    """The memory of names found before with a signal, from (surface, type, post id, source id) rows: each
    key of ``keys_of`` that ``min_posts`` posts and ``min_sources`` sources gave (by default
    ``MEMORY_MIN_POSTS`` and ``MEMORY_MIN_SOURCES``), of one type only; a family name with the whole name it
    came from when every such row gave the same one (two people of one family name stand for neither)."""
    min_posts = MEMORY_MIN_POSTS if min_posts is None else min_posts
    min_sources = MEMORY_MIN_SOURCES if min_sources is None else min_sources
    posts: dict[str, set[int]] = {}
    sources: dict[str, set[int]] = {}
    kinds: dict[str, set[str]] = {}
    wholes: dict[str, dict[str, Counter[str]]] = {}  # family name -> normalised whole -> surfaces as written
    keys: dict[tuple[str, str], list[str]] = {}  # a name is found in many posts: its keys are worked out once
    for surface, kind, post, source in found:
        if (surface, kind) not in keys:
            keys[(surface, kind)] = list(keys_of(surface, kind))
        whole = _key(surface)
        for key in keys[(surface, kind)]:
            posts.setdefault(key, set()).add(post)
            sources.setdefault(key, set()).add(source)
            kinds.setdefault(key, set()).add(kind)
            if key != whole:
                wholes.setdefault(key, {}).setdefault(whole, Counter())[" ".join(surface.split())] += 1
    memory: dict[str, tuple[str, str]] = {}
    for key in sorted(posts):
        if len(posts[key]) >= min_posts and len(sources[key]) >= min_sources and len(kinds[key]) == 1:
            given = wholes.get(key, {})
            whole = given[next(iter(given))].most_common(1)[0][0] if len(given) == 1 else ""
            memory[key] = (next(iter(kinds[key])), whole)
    return memory
