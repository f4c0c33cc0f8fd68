"""The data files the name rules share, each read and normalised once per process: the cue lists of
``data/ner_cues.yaml`` (``recognize_cues``, ``recognize_fa`` and ``recognize_source`` each take their part of
it), the foreign names of ``data/ner_foreign_names.yaml`` and the organisations of ``data/ner_organisations.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import ARTICLE, normalize

__all__ = ["cue_table", "foreign_names", "article_names", "known_organisations", "organisation_firsts"]

_DATA = Path(__file__).parent / "data"


@cache
def cue_table() -> dict[str, Any]:
    """The lists of ``data/ner_cues.yaml`` as written (each reader normalises the part it uses)."""
    table: dict[str, Any] = read_yaml(_DATA / "ner_cues.yaml")
    return table


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
