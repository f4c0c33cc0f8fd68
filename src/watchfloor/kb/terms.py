"""The channels' vocabulary in English: finding the lexicon's terms (``kb/lexicon/terms.yaml``) in a text.

A term is found the way a name is: on normalised words (``kb/normalize.py`` folds ي/ی, ك/ک, ة/ه, hamza
seats and diacritics), so one written form covers its spelling variants. In Arabic the first word of a
term may carry a conjunction (و ف), a preposition (ب ل ك) and the article (ال); a form written with the
article needs it. In Persian the last word may carry an ezafe or indefinite ی or a plural ها / های. The
longest term wins at each place; a place inside a name the knowledge base linked is left to the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import Token, arabic_prefix_variants, tokenize

__all__ = ["Term", "TERMS", "find_terms", "term_glossary", "lexicon_entries", "service_glossary"]

TERMS = Path(__file__).parent / "lexicon" / "terms.yaml"
_LANGS = ("ar", "fa")
_YEH = "\u064a"  # normalised ي / ی
_ALEF = "\u0627"
_PLURALS = ("\u0647\u0627\u064a", "\u0647\u0627")  # های, ها (normalised)
_DETACHED = frozenset({*_PLURALS, "\u0627\u064a", _YEH})  # های, ها, ای, ی written after a ZWNJ


@dataclass(frozen=True)
class Term:
    """A lexicon term found in a text: the words as written there, their span, the English and the kind."""

    surface: str
    start: int
    end: int
    english: str
    kind: str


@cache
def lexicon_entries() -> tuple[dict[str, Any], ...]:
    """The lexicon's entries as written in the data file."""
    loaded: Any = read_yaml(TERMS)
    return tuple(dict(entry) for entry in loaded["terms"])


@cache
def _index(lang: str) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """First normalised word -> (all words, English, kind), longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for entry in lexicon_entries():
        for form in entry.get(lang) or ():
            key = tuple(t.norm for t in _words(str(form), lang))
            if key:
                index.setdefault(key[0], []).append((key, str(entry["en"]), str(entry["kind"])))
    for keys in index.values():
        keys.sort(key=lambda item: len(item[0]), reverse=True)
    return index


def _first_forms(norm: str, lang: str) -> list[str]:
    """How the first word of a term may appear: with Arabic proclitics (and an accusative alef) taken
    off, or with Persian endings."""
    if lang != "ar":
        return _persian_forms(norm)
    forms = arabic_prefix_variants(norm)
    return [*forms, *(f[:-1] for f in forms if _accusative(f))]


def _accusative(norm: str) -> bool:
    """An Arabic word ending in the alef of the indefinite accusative (بيانًا, صاروخًا, once marks are gone)."""
    return norm.endswith(_ALEF) and len(norm) > 3


def _persian_forms(norm: str) -> list[str]:
    forms = [norm]
    for plural in _PLURALS:
        if norm.endswith(plural) and len(norm) > len(plural) + 2:
            forms.append(norm[:-len(plural)])
    if norm.endswith(_YEH) and len(norm) > 3:
        forms.append(norm[:-1])
    return forms


def _word_matches(written: str, wanted: str, lang: str) -> bool:
    if lang == "fa":
        return wanted in _persian_forms(written)
    return written == wanted or (_accusative(written) and written[:-1] == wanted)


def _words(text: str, lang: str) -> list[Token]:
    """The words that matter: in Persian a plural or ezafe ending written apart (after a ZWNJ) joins the
    word before it, so it is set aside."""
    return [t for t in tokenize(text) if t.norm and not (lang == "fa" and t.norm in _DETACHED)]


def _match_at(tokens: list[Token], i: int, lang: str) -> tuple[int, str, str] | None:
    """The longest term starting at word i: (words it spans, English, kind)."""
    best: tuple[int, str, str] | None = None
    index = _index(lang)
    for form in _first_forms(tokens[i].norm, lang):
        for key, english, kind in index.get(form, ()):
            size = len(key)
            if best is not None and size <= best[0]:
                break
            words = tokens[i:i + size]
            if len(words) == size and all(_word_matches(w.norm, k, lang)
                                          for w, k in zip(words[1:], key[1:], strict=True)):
                best = (size, english, kind)
                break
    return best


def find_terms(text: str, lang: str | None, skip: Iterable[tuple[int, int]] = ()) -> list[Term]:
    """The lexicon's terms in a text of that language, in order (none for a language it does not cover);
    spans overlapping ``skip`` (linked names) are left alone."""
    if lang not in _LANGS or not text:
        return []
    taken = sorted(skip)
    tokens = _words(text, lang)
    found: list[Term] = []
    i = 0
    while i < len(tokens):
        match = _match_at(tokens, i, lang)
        if match is None:
            i += 1
            continue
        size, english, kind = match
        start, end = tokens[i].start, tokens[i + size - 1].end
        if not any(s < end and start < e for s, e in taken):
            found.append(Term(text[start:end], start, end, english, kind))
        i += size
    return found


def term_glossary(text: str, lang: str | None, skip: Iterable[tuple[int, int]] = ()) -> dict[str, str]:
    """The terms of a text as a glossary: each term as written there -> its English."""
    glossary: dict[str, str] = {}
    for term in find_terms(text, lang, skip):
        glossary.setdefault(term.surface, term.english)
    return glossary


@cache
def service_glossary(lang: str) -> dict[str, str]:
    """A whole-language glossary for a service that keeps one (DeepL): every name the bundled knowledge base
    writes in that language -> its English name, then every written form of the lexicon's terms."""
    from watchfloor.kb.loader import load_entities

    glossary: dict[str, str] = {}
    for entity in load_entities():
        for alias in entity.aliases:
            if alias.lang == lang:
                glossary.setdefault(alias.text, entity.name)
    for entry in lexicon_entries():
        for form in entry.get(lang) or ():
            glossary.setdefault(str(form), str(entry["en"]))
    return glossary
