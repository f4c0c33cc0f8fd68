"""The ``none`` back-end: the original text, with each known name glossed in English inline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from watchfloor.settings import Settings
from watchfloor.translate.engine import gloss

__all__ = ["NoneTranslator"]


class NoneTranslator:
    """Keeps the original and writes the canonical English name after each linked or romanised name."""

    name = "none"
    model = "glossary"
    uses_glossary = True
    guarded = False  # not machine-made: nothing to check
    max_batch = 1000

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> NoneTranslator:
        """Nothing to configure."""
        return cls()

    def setup(self) -> None:
        """Always usable."""

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """Each segment with ``name [English]`` glosses."""
        return [gloss(segment, glossary) for segment in segments]
