"""The translation cache: one English text per (back-end, model, language, glossary, segment).

The engine asks a cache object for keys and gives it new entries; ``MemoryCache`` keeps them in a dict
(the command line, tests), the store's ``TranslationStore`` keeps them in the ``translations`` table so
that the same segment is never translated twice by the same model, across runs and workers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["CachedTranslation", "TranslationCache", "MemoryCache", "cache_key"]


@dataclass(frozen=True)
class CachedTranslation:
    """One cached segment translation."""

    key: str
    backend: str
    model: str
    source_lang: str
    text_en: str


class TranslationCache(Protocol):
    """Where translated segments are kept."""

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        """The English text of every key that is cached."""

    def put_many(self, entries: Sequence[CachedTranslation]) -> None:
        """Keep these translations (a key already kept is left as it is)."""


def cache_key(backend: str, model: str, source_lang: str, segment: str, glossary: Mapping[str, str]) -> str:
    """A stable key: SHA-256 of everything that changes the output."""
    payload = json.dumps([backend, model, source_lang, segment, sorted(glossary.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class MemoryCache:
    """A cache in a dict, for one process."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        """The cached keys' texts."""
        return {k: self.entries[k] for k in keys if k in self.entries}

    def put_many(self, entries: Sequence[CachedTranslation]) -> None:
        """Keep new entries."""
        for entry in entries:
            self.entries.setdefault(entry.key, entry.text_en)
