"""People named in a list beside people already found: a team sheet, the names of the detained or the
members of a delegation ("مجید فروتن ، مهدی قواسی ، علی واحد و محمود چراغچی"). In a list of three items or
more, separated by commas or a lone "و", where two items at least are people the other rules found, an item
of two or three words that opens with a known given name ("و" before it in Arabic: "وعلي الحجار"), or of two
words none of which is a common word, a place or a word with the article ("وباسكال مشعلاني"), is a person too,
unless a title or a role stands in it (the office in "ابراهیم رئیسی، رئیس‌جمهور، و ...": "رئیس" is a given name
too). A list does not run across a full stop, a colon or a bracket. A match report's scorers each stand before
the minute of the goal in brackets ("وكريم بنزيمة ( 89 )"), and a results table's rows give a rank, a name and a
country ("8 - شينوزوكا اليابان متسوبيشي"): ``scorers``, ``ranked``. A person joined by "و" to one found ("فيدرر
وهينان") is one too when the words after the "و" are shaped as a name: ``and_after``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from watchfloor.kb.normalize import Token, has_arabic
from watchfloor.pipeline.recognize_cues import Span, cue_at, cues, has_article, is_place_word, is_stop, joined
from watchfloor.pipeline.recognize_runs import is_common
from watchfloor.pipeline.word_shapes import (
    POSSESSED,
    SUFFIXES,
    object_shape,
    suffix_free,
    verb_after_name,
    verb_like,
)

__all__ = ["listed_people", "scorers", "ranked", "and_after"]

_COMMAS = (",", "\u060c")
_ENDS = (".", ":", "\u061b", ";", "(", ")", "\u061f", "?", "!", "\u00ab", "\u00bb", '"')
_AND = "\u0648"  # و


def _items(text: str, tokens: Sequence[Token]) -> list[list[tuple[int, int]]]:
    """The lists of the text, each a list of items, each item (first token, last token + 1)."""
    lists: list[list[tuple[int, int]]] = []
    items: list[tuple[int, int]] = []
    first = None
    for k, token in enumerate(tokens):
        gap = text[tokens[k - 1].end:token.start] if k else ""
        if any(mark in gap for mark in _ENDS) or not has_arabic(token.norm):
            if first is not None:
                items.append((first, k))
            lists.append(items)
            items, first = [], None
            if not has_arabic(token.norm):
                continue
        elif any(mark in gap for mark in _COMMAS) and first is not None:
            items.append((first, k))
            first = None
        if token.norm == _AND:  # a lone "و" between two items
            if first is not None:
                items.append((first, k))
            first = None
            continue
        if first is None:
            first = k
    if first is not None:
        items.append((first, len(tokens)))
    lists.append(items)
    return [found for found in lists if len(found) >= 3]


def listed_people(text: str, tokens: Sequence[Token], found: Sequence[Span], given_name: Callable[[str], bool],
                  name_word: Callable[[str], bool]) -> list[Span]:
    """The people of the text's lists that ``found`` (the spans found so far) leaves out; the last item's first
    two words where it runs on into the sentence."""
    people = {(s.start, s.end) for s in found if s.type == "person"}
    titles = (cues().person_titles, cues().person_roles)
    words = list(tokens)
    added: list[Span] = []
    for items in _items(text, tokens):
        def is_person(item: tuple[int, int]) -> bool:
            start, end = tokens[item[0]].start, tokens[item[1] - 1].end
            return any(start <= a and b == end for a, b in people)  # after a title too: "سرهنگ مجید فروتن"
        if sum(map(is_person, items)) < 2:
            continue
        for number, (a, b) in enumerate(items):
            if b - a > 3 and number == len(items) - 1 and not is_common(tokens[a + 1].norm, name_word):
                b = a + 2  # the last item runs on into the sentence: "... و محمود چراغچی حضور داشتند"
            start, end = tokens[a].start, tokens[b - 1].end
            if not 2 <= b - a <= 3 or any(s.start < end and start < s.end for s in found):
                continue
            # two words that are no common word, place or word with the article, among people: "وباسكال مشعلاني"
            named = b - a == 2 and not any(is_common(tokens[k].norm, name_word) or has_article(tokens[k].norm)
                                           or is_place_word(tokens[k].norm, cues()) for k in range(a, b))
            if (given_name(tokens[a].norm) or named) and not any(  # "وعلي" too (the stage takes the "و" off)
                    cue_at(words, text, k, table) for k in range(a, b) for table in titles):
                added.append(Span("person", start, end, "listed"))
    return added


MINUTES = 120  # a match's minutes, extra time included


def _plain(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A word that is no name part of a scorer or a ranked competitor: no Arabic letter, a number, the article, a
    common, frequent or stop word, a place, a verb's shape or a pronoun written on it."""
    return not has_arabic(norm) or norm.isdigit() or has_article(norm) or is_common(norm, name_word, True) \
        or is_stop(norm, cues()) or is_place_word(norm, cues()) or verb_like(norm) or norm.endswith(SUFFIXES)


def ranked(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """The competitors of a results table, each row a rank, a dash, the name and the country ("8 - شينوزوكا اليابان
    متسوبيشي", "5 - استيف بوجول اسبانيا كي تي"): one to three words after "N -" with nothing but spaces up to a
    country or place the CLDR names, none of them a plain word (``_plain``); a numbered list's item ("2 - لحظة
    غروب الشمس") names no country there."""
    found = []
    for k in range(len(tokens) - 2):
        if not tokens[k].norm.isdigit() or text[tokens[k].end:tokens[k + 1].start].strip() not in ("-", "\u2013"):
            continue
        end = k + 1
        while end < len(tokens) and end - k <= 3 and (end == k + 1 or joined(text, tokens, end)) \
                and not _plain(tokens[end].norm, name_word):
            end += 1
        if k + 1 < end < len(tokens) and joined(text, tokens, end) and cue_at(tokens, text, end, cues().places):
            found.append(Span("person", tokens[k + 1].start, tokens[end - 1].end, "ranked"))
    return found


def scorers(text: str, tokens: list[Token], name_word: Callable[[str], bool],
            given_name: Callable[[str], bool]) -> list[Span]:
    """The scorers of a match report, each named before the minute of the goal in brackets ("وكريم بنزيمة ( 89 )",
    "لفلوران مالودا (7)"): the one to three words before a bracketed number from 1 to ``MINUTES``, with nothing
    but spaces between them, none of them common, frequent or a stop word, a place, a word with the article, a
    verb's shape or a word with a pronoun ("سجلهما"); "و" or "ل" only on the first ("بهدفين لألبرت سيلادس"), and
    the name starts after the "و" unless the word is a given name with it (``given_name``: "وليد")."""
    found = []
    for k in range(1, len(tokens)):
        number = tokens[k].norm
        if not (number.isdigit() and 1 <= int(number) <= MINUTES) \
                or text[tokens[k - 1].end:tokens[k].start].strip() != "(" \
                or text[tokens[k].end:tokens[k].end + 3].strip()[:1] != ")":
            continue
        first = k
        while first > 0 and k - first < 3 and (first == k or joined(text, tokens, first)):
            norm = tokens[first - 1].norm
            if _plain(norm, name_word):
                break
            first -= 1
            if norm[:1] == _AND or (norm[:1] == "\u0644" and not name_word(norm)):
                break  # "وكريم", "لدييغو": the conjunction or the preposition opens the name
        if first < k:
            opening = tokens[first]
            after_and = opening.norm[:1] == _AND and text[opening.start] == _AND and not given_name(opening.norm)
            found.append(Span("person", opening.start + after_and, tokens[k - 1].end, "scorer"))
    return found


def _name_like(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A name part the index knows, or a word of no shape the language gives its other words: no common, frequent or
    stop word, place, article, verb's shape or pronoun ("وصهره", "ومواقفنا")."""
    return not _plain(norm, name_word) and (name_word(norm) or (
        suffix_free(norm) and not (object_shape(norm) or norm.endswith(POSSESSED) or verb_after_name(norm)
                                   or norm.endswith("\u0646\u0627"))))


def and_after(text: str, tokens: Sequence[Token], found: Sequence[Span],
              name_word: Callable[[str], bool]) -> list[Span]:
    """The person joined by "و" to a person found ("فيدرر وهينان", "عنان وصبري", "ودراماني ديابي"): the words from
    the one with "و" (left out of the span) that are shaped as a name, three at most; no title or role, and no
    present verb after the first ("وهينان يواصلان"). A person added so opens the next."""
    words, table = list(tokens), cues()
    after = {t.end: k + 1 for k, t in enumerate(tokens)}
    taken = [(s.start, s.end) for s in found]
    added: list[Span] = []
    starts = sorted(after[s.end] for s in found if s.type == "person" and s.end in after)
    while starts:  # a person added opens the next: "رضوان شطناوي وشهابات وواصل العجلوني"
        k = starts.pop(0)
        norm = tokens[k].norm if k < len(tokens) else ""
        accusative = norm[-1:] == "\u0627" and _plain(norm[:-1], name_word)  # "وفدا" (a delegation), no "فدا"
        if norm[:1] != _AND or len(norm) < 4 or not joined(text, words, k) or _plain(norm, name_word) or accusative \
                or norm[1:2] == _AND or not _name_like(norm[1:], name_word) \
                or cue_at(words, text, k, table.person_titles) or cue_at(words, text, k, table.person_roles):
            continue
        n = 1
        while k + n < len(tokens) and n < 3 and joined(text, words, k + n) and (nxt := tokens[k + n].norm)[:1] != _AND \
                and _name_like(nxt, name_word) and (name_word(nxt) or nxt[:1] != "\u064a"):
            n += 1
        start, end = tokens[k].start + 1, tokens[k + n - 1].end
        if not any(a < end and start < b for a, b in taken):
            added.append(Span("person", start, end, "listed"))
            taken.append((start, end))
            starts = sorted({*starts, k + n})
    return added
