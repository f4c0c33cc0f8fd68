"""The data files the name rules share, each read and normalised once per process: the cue lists of
``data/ner_cues.yaml`` (``recognize_cues``, ``recognize_fa`` and ``recognize_source`` each take their part of
it), the foreign names of ``data/ner_foreign_names.yaml``, the organisations of ``data/ner_organisations.yaml`` and the
lists of common words (``data/ner_common_words*.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import ARTICLE, PREPOSITIONS_APART, normalize

__all__ = ["cue_table", "foreign_names", "article_names", "known_organisations", "organisation_firsts",
           "written_bare", "bare_as_written", "common_word_list", "COMMON_SILVER", "COMMON_WORDFREQ"]

_DATA = Path(__file__).parent / "data"


@cache
def cue_table() -> dict[str, Any]:
    """The lists of ``data/ner_cues.yaml`` as written (each reader normalises the part it uses)."""
    table: dict[str, Any] = read_yaml(_DATA / "ner_cues.yaml")
    return table


COMMON_SILVER = "ner_common_words.txt"  # both by scripts/build_common_words.py
COMMON_WORDFREQ = "ner_common_words_wordfreq.txt"


@cache
def common_word_list(name: str) -> frozenset[str]:
    """The words of one list of common words (``COMMON_SILVER``: seen beside no name in the silver data;
    ``COMMON_WORDFREQ``: frequent in wordfreq's Arabic and known to no list of names), normalised already."""
    return frozenset(w for w in (_DATA / name).read_text(encoding="utf-8").splitlines() if w and w[0] != "#")


@cache
def foreign_names() -> dict[str, frozenset[str]]:
    """The foreign given and family names of ``data/ner_foreign_names.yaml``, normalised, all languages."""
    table: dict[str, dict[str, list[str]]] = read_yaml(_DATA / "ner_foreign_names.yaml")
    return {kind: frozenset(normalize(str(w)) for words in by_lang.values() for w in words)
            for kind, by_lang in table.items()}


@cache
def article_names() -> frozenset[str]:
    """The foreign names that begin with the article's letters ("الكسندر", "البرت"): no article in them."""
    return frozenset(n for names in foreign_names().values() for n in names if n.startswith(ARTICLE))


@cache
def known_organisations() -> frozenset[tuple[str, ...]]:
    """The organisations of ``data/ner_organisations.yaml``, normalised, as token tuples, all languages."""
    table: dict[str, list[str]] = read_yaml(_DATA / "ner_organisations.yaml")
    return frozenset(tuple(normalize(str(w)).split()) for words in table.values() for w in words)


@cache
def organisation_firsts() -> frozenset[str]:
    """The first words of those organisations (most words begin none)."""
    return frozenset(words[0] for words in known_organisations() if words)


# the article is written with a bare alif (its hamza is never written): a word written with a hamza or madda on its
# alif before lam ("إليود", "ألونسو", "وألمانيا", "آلية") holds no article, though it normalises to look as if
_HAMZA_LAM = re.compile("(?<!\\w)[\u0648\u0641\u0628\u0643\u0644]{0,2}[\u0623\u0625\u0622]\u0644\\w*")
_WRITTEN_BARE: ContextVar[frozenset[str]] = ContextVar("written_bare", default=frozenset())
_Rules = TypeVar("_Rules", bound=Callable[..., Any])


def written_bare(rules: _Rules) -> _Rules:
    """A method ``(self, text, lang)`` that reads Arabic text with the rules: while it runs, the text's words written
    with a hamza on the alif before lam are no article's (``bare_as_written``); Persian has no article at all."""
    @wraps(rules)
    def reading(self: Any, text: str, lang: str | None, *args: Any) -> Any:
        bare = frozenset() if lang in PREPOSITIONS_APART else frozenset(normalize(w) for w in _HAMZA_LAM.findall(text))
        reset = _WRITTEN_BARE.set(bare)
        try:
            return rules(self, text, lang, *args)
        finally:
            _WRITTEN_BARE.reset(reset)
    return cast(_Rules, reading)


def bare_as_written(norm: str) -> bool:
    """Whether the text being read writes this word with a hamza before its lam (see ``written_bare``)."""
    return norm in _WRITTEN_BARE.get()
