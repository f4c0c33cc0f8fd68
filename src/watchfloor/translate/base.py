"""The translator interface: a back-end turns source-language segments into English.

A back-end sees only sentence-sized segments with the post's hashtags, URLs and handles already taken
out (``split.py``), and a glossary of the names it should spell canonically. Everything else (splitting,
the cache, batching, the guard against output that is not a translation, labelling) is done once for
every back-end by ``engine.translate_texts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

__all__ = ["Translator", "Translation", "LABELS", "DEFAULT_RANKS", "language_name"]

# How a back-end's output is labelled to readers: an LLM's output is a gist, never a faithful translation.
LABELS = {
    "none": "original with English glosses of known names",
    "ctranslate2": "machine translation",
    "libretranslate": "machine translation",
    "llamacpp": "machine gist (LLM)",
    "openai": "machine gist (LLM)",
    "deepl": "machine translation",
    "google": "machine translation",
}
# Which back-end's output replaces which: a post translated by a lower rank is translated again when a
# higher-ranked back-end is configured for its language (setting translate_ranks overrides these).
DEFAULT_RANKS = {"none": 0, "llamacpp": 1, "openai": 2, "libretranslate": 2, "ctranslate2": 3, "deepl": 3, "google": 3}

_LANGUAGE_NAMES = {"ar": "Arabic", "fa": "Persian", "ur": "Urdu", "ps": "Pashto", "tr": "Turkish", "fr": "French",
                   "ru": "Russian", "he": "Hebrew", "ku": "Kurdish", "es": "Spanish", "de": "German", "en": "English"}


def language_name(code: str | None) -> str:
    """The English name of an ISO 639-1 code (the code itself when unknown)."""
    return _LANGUAGE_NAMES.get(code or "", code or "the source language")


@dataclass(frozen=True)
class Translation:
    """One text in English, labelled with who made it."""

    text: str
    backend: str
    model: str
    at: datetime
    flags: tuple[str, ...] = ()
    source_lang: str | None = None
    segments: int = 0
    cached: int = 0  # segments served from the cache
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What a reader is told about this text."""
        return f"{LABELS.get(self.backend, 'machine translation')}: {self.backend}, {self.model}"

    def record(self) -> dict[str, Any]:
        """The JSON stored beside the post (``posts.translation``)."""
        return {"backend": self.backend, "model": self.model, "at": self.at.isoformat(), "label": self.label,
                "flags": list(self.flags), "source_lang": self.source_lang, "segments": self.segments, **self.extra}


class Translator(Protocol):
    """A translation back-end.

    ``name`` is the registered back-end name and ``model`` the id of the model it runs (a file name, a
    served model name, a URL); both label every text it makes. ``setup`` loads the model once and
    raises ``NotConfigured`` (with an install hint) when the back-end cannot run here. ``translate``
    returns one English string per segment, in order; ``strict`` asks for a second, more literal try
    after the first output was judged not to be a translation. ``uses_glossary`` says whether the
    glossary changes the output (it then joins the cache key). ``max_batch`` is how many segments one
    call should carry.
    """

    name: str
    model: str
    uses_glossary: bool
    max_batch: int

    def setup(self) -> None:
        """Load the model or check the server; raise NotConfigured when this back-end cannot run."""

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """English for each segment."""
