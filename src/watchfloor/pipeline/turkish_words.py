"""The words of Turkish text for the Turkish names rules (``pipeline/turkish.py``): the cue tables, words with
their case suffixes, the Turkish way of folding case, sentence starts, and the runs of capitalised words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from watchfloor.datafiles import read_yaml

__all__ = ["fold", "cues", "TurkishCues", "Word", "words_of", "capital_runs", "MAX_NAME_WORDS", "DATELINE_AGENCY",
           "DATELINE_DASH"]

_DATA = Path(__file__).parent / "data"
_LETTERS = r"(?:[^\W\d_]|[\u0300-\u036f])+"  # combining marks too: a decomposed "İ" is "I" and U+0307
_WORD = re.compile(rf"{_LETTERS}(?:[-‐]{_LETTERS})*(?:['’]{_LETTERS})?")
_APOSTROPHES = "'’"
_SENTENCE_END = ".!?…:\n"
_BEFORE_WORD = " \t\"“”«»‘'’([–—-*•#"  # what may stand between a sentence's end and its first word
MAX_NAME_WORDS = 6
DATELINE_AGENCY = re.compile(r"[ \t]*\([ \t]*[A-ZÇĞİÖŞÜ]{2,6}[ \t]*\)[ \t]*[-–—]")  # "ANKARA (AA) -"
DATELINE_DASH = re.compile(r"[ \t]*[-–—][ \t]")  # "GAZİANTEP - ..."


def fold(word: str) -> str:
    """A word lower-cased the Turkish way: "İ" → "i", "I" → "ı" (Python's ``lower`` gives "i̇" and "i")."""
    return word.replace("I\u0307", "i").replace("İ", "i").replace("I", "ı").lower().replace("\u0307", "")


@dataclass(frozen=True)
class TurkishCues:
    """The cue words of ``data/ner_cues_tr.yaml``, folded, with the calendar words and the CLDR's places."""

    titles: frozenset[str]
    abbreviated_titles: frozenset[str]
    after_titles: frozenset[str]
    fields: frozenset[str]
    place_titles: frozenset[tuple[str, ...]]
    state_titles: frozenset[tuple[str, ...]]
    organisation_titles: frozenset[tuple[str, ...]]
    organisation_heads: frozenset[str]
    place_heads: frozenset[str]
    place_words: tuple[str, ...]
    place_after_genitive: tuple[str, ...]
    place_suffixes: frozenset[str]
    locative_suffixes: frozenset[str]
    genitive_suffixes: frozenset[str]
    common_endings: tuple[str, ...]
    given_names: frozenset[str]
    not_names: frozenset[str]
    place_acronyms: frozenset[str]
    connectors: frozenset[str]
    calendar: frozenset[str]
    places: frozenset[tuple[str, ...]]


@cache
def cues() -> TurkishCues:
    """The Turkish cue tables, read and folded once."""
    table: dict[str, list[str]] = read_yaml(_DATA / "ner_cues_tr.yaml")
    words = {key: frozenset(fold(str(w)) for w in values) for key, values in table.items()}
    phrases = {key: frozenset(tuple(fold(str(w)).split()) for w in values) for key, values in table.items()}
    months: dict[str, dict[str, int]] = read_yaml(_DATA / "months.yaml")
    relative: dict[str, dict[str, dict[str, int]]] = read_yaml(_DATA / "relative_dates.yaml")
    calendar = {fold(m) for names in months.values() for m in names}
    calendar |= {fold(w).split()[0] for w in relative["weekdays"].get("tr", {})}
    places: dict[str, list[str]] = read_yaml(_DATA / "ner_places_cldr_tr.yaml")
    return TurkishCues(
        titles=words["titles"], abbreviated_titles=words["abbreviated_titles"], after_titles=words["after_titles"],
        fields=words["fields"], place_titles=phrases["place_titles"], state_titles=phrases["state_titles"],
        organisation_titles=phrases["organisation_titles"],
        organisation_heads=words["organisation_heads"], place_heads=words["place_heads"],
        place_words=tuple(sorted(words["place_words"])),
        place_after_genitive=tuple(sorted(words["place_after_genitive"])),
        place_suffixes=words["place_suffixes"], locative_suffixes=words["locative_suffixes"],
        genitive_suffixes=words["genitive_suffixes"], common_endings=tuple(sorted(words["common_endings"])),
        given_names=words["given_names"], not_names=words["not_names"], place_acronyms=words["place_acronyms"],
        connectors=words["connectors"], calendar=frozenset(calendar),
        places=frozenset(tuple(fold(p).split()) for p in places["tr"]))


@dataclass(frozen=True)
class Word:
    """A word of the text: where it stands, its folded stem (before an apostrophe) and suffix, and its shape."""

    start: int
    end: int
    stem_end: int  # where the apostrophe stands, or the end
    stem: str
    suffix: str
    capital: bool
    acronym: bool
    initial: bool  # the sentence's first word
    joined: bool  # only spaces between it and the word before


def words_of(text: str) -> list[Word]:
    """The words of a text (letters, hyphens inside, one apostrophe and the suffix after it)."""
    found: list[Word] = []
    for match in _WORD.finditer(text):
        surface = match.group()
        cut = next((i for i, c in enumerate(surface) if c in _APOSTROPHES), len(surface))
        stem = surface[:cut]
        letters = [c for c in stem if c.isalpha()]
        acronym = len(letters) >= 2 and all(c.isupper() for c in letters)
        capital = stem[:1].isupper() or (stem[:3].lower() in ("el-", "al-") and stem[3:4].isupper())
        gap = text[found[-1].end:match.start()] if found else ""
        joined = bool(found) and len(gap) <= 3 and gap.strip(" \t") == ""
        found.append(Word(match.start(), match.end(), match.start() + cut, fold(stem), fold(surface[cut + 1:]),
                          capital, acronym, _initial(text, match.start(), found), joined))
    return found


def _initial(text: str, start: int, before: Sequence[Word]) -> bool:
    """Whether a word opens its sentence (after an abbreviated title's full stop it does not: "Dr. Ayşe")."""
    at = start
    while at > 0 and text[at - 1] in _BEFORE_WORD:
        at -= 1
    if at == 0 or text[at - 1] == "\n":
        return True
    if text[at - 1] not in _SENTENCE_END:
        return False
    return not (text[at - 1] == "." and before and before[-1].end == at - 1
                and before[-1].stem in cues().abbreviated_titles)


def _name_like(word: Word, table: TurkishCues) -> bool:
    return (word.capital or word.acronym) and word.stem not in table.calendar and not (
        word.acronym and word.stem in table.not_names)


def _shouted(words: list[Word], k: int, table: TurkishCues) -> bool:
    """A word of a headline in capitals ("SON DAKİKA"): capitals beside capitals, three or more, or two where
    one is a common word."""
    group = [k]
    i = k
    while i > 0 and words[i].joined and words[i - 1].acronym:
        i -= 1
        group.append(i)
    i = k
    while i + 1 < len(words) and words[i + 1].joined and words[i + 1].acronym:
        i += 1
        group.append(i)
    return len(group) >= 3 or (len(group) == 2 and any(words[g].stem in table.not_names for g in group))


def capital_runs(words: list[Word], table: TurkishCues) -> list[list[int]]:
    """Runs of capitalised words joined by spaces (a connector inside between two of them); a word with an
    apostrophe ends its run."""
    runs: list[list[int]] = []
    current: list[int] = []
    for k, word in enumerate(words):
        usable = _name_like(word, table) and not (word.acronym and _shouted(words, k, table))
        goes_on = bool(current) and word.joined and not words[current[-1]].suffix
        connector = (not usable and word.stem in table.connectors and not word.suffix and k + 1 < len(words)
                     and words[k + 1].joined and _name_like(words[k + 1], table))
        if goes_on and (usable or connector):
            current.append(k)
        else:
            if current:
                runs.append(current)
            current = [k] if usable else []
    if current:
        runs.append(current)
    return runs
