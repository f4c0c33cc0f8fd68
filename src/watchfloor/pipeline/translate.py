"""The translate stage: each non-English post in English, by the back-end configured for its language.

The post's linked entities (and the names stage's romanised candidates) form the glossary, so names come
out in their canonical English spelling; the lexicon's terms (funeral, martyr, yesterday...) join them.
English posts are skipped. A post that already has a translation of its current text, by a back-end
ranked at least as high as the configured one, keeps it; configuring a better back-end makes the runner
send older translations through again. The characters sent are counted on the ``usage`` meter.

In the pipeline (``defer=True``) the stage never waits for a back-end: a post without a translation of its
current text gets the ``none`` back-end's glossed original at once, and the runner queues it for the back-end
configured for its language (``translation_queue.py``); the queue's worker runs the stage without ``defer``.
A human translation is never replaced by a machine's.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence

from watchfloor.errors import NotConfigured, WatchfloorError
from watchfloor.kb.terms import term_glossary
from watchfloor.models import Post
from watchfloor.settings import Settings, load_settings
from watchfloor.translate.base import Translator
from watchfloor.translate.cache import TranslationCache
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.none import NoneTranslator
from watchfloor.translate.select import backend_for, make_translator, ranks
from watchfloor.translate.usage import UsageMeter

__all__ = ["TranslateStage", "glossary_for", "text_hash"]

log = logging.getLogger("watchfloor")


def text_hash(text: str) -> str:
    """What a translation records of the text it translated."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def glossary_for(post: Post, names: Mapping[str, str], terms: bool = True) -> dict[str, str]:
    """Each name as written in the post → its canonical English name (linked entities and candidates), then
    (``terms``) the channels' vocabulary the lexicon knows: funeral, martyr, yesterday... (``kb/terms.py``)."""
    english = dict(names)
    english.update({c.id: c.name for c in post.candidates})
    glossary: dict[str, str] = {}
    for mention in post.mentions:
        name = english.get(mention.entity_id)
        if name and mention.start >= 0 and mention.surface and mention.surface.casefold() != name.casefold():
            glossary.setdefault(mention.surface, name)
    if terms:
        spans = [(m.start, m.end) for m in post.mentions if m.start >= 0]
        for surface, term in term_glossary(post.text, post.lang, spans).items():
            glossary.setdefault(surface, term)
    return glossary


class TranslateStage:
    """Fills ``text_en`` and ``translation`` ({backend, model, at, label, flags, ...}) of non-English posts."""

    name = "translate"
    version = "1"
    requires: tuple[str, ...] = ("lang", "mentions")
    assigns: tuple[str, ...] = ("text_en", "translation")

    def __init__(self, settings: Settings | None = None, names: Mapping[str, str] | None = None,
                 cache: TranslationCache | None = None, translators: Mapping[str, Translator] | None = None,
                 defer: bool = False, usage: UsageMeter | None = None) -> None:
        self.settings = settings or load_settings()
        self.names = dict(names or {})
        self.cache = cache
        self.usage = usage  # counts the characters sent to each back-end
        self.translators: dict[str, Translator] = dict(translators or {})  # given: by language, "*" for the rest
        self.built: dict[str, Translator] = {}  # made from the settings: by back-end (and language for NMT)
        self.ranks = ranks(self.settings)
        self.calls = 0
        self.defer = defer
        if defer:  # the queue's worker translates; here only the instant glossed original
            self.translators = {"*": NoneTranslator()}

    def setup(self) -> None:
        """Set up the default back-end now, so a missing model is reported once, at start-up."""
        if not self.translators and backend_for(self.settings, None) != "ctranslate2":
            self.translator_for("*")

    def translator_for(self, lang: str) -> Translator:
        """The set-up back-end for a language ("*": the default); one that cannot run here falls back to
        ``none``, with one log line. Back-ends given to the constructor (by language or "*") come first."""
        if lang in self.translators:
            return self.translators[lang]
        if "*" in self.translators:
            return self.translators["*"]
        backend = backend_for(self.settings, None if lang == "*" else lang)
        key = f"{backend}:{lang}" if backend == "ctranslate2" else backend  # NMT models are per language
        if key not in self.built:
            translator: Translator
            try:
                translator = make_translator(backend, self.settings, None if lang == "*" else lang)
                translator.setup()
            except NotConfigured as exc:
                log.warning("translation back-end %s is not usable for %s, glossing only: %s", backend, lang, exc)
                translator = NoneTranslator()
            self.built[key] = translator
        return self.built[key]

    def _keeps(self, post: Post, translator: Translator) -> bool:
        stored = post.translation or {}
        if stored.get("backend") == "human":  # an analyst's English outranks every machine, even of an older text
            return True
        if self.defer and post.text_en and stored.get("source_sha") == text_hash(post.text):
            return True  # a machine translation of this text, however good: the queue decides whether to redo it
        if not post.text_en or stored.get("source_sha") != text_hash(post.text):
            return False
        have, want = self.ranks.get(str(stored.get("backend")), -1), self.ranks.get(translator.name, 0)
        return have > want or (have == want and stored.get("model") == translator.model and not stored.get("flags"))

    def run(self, batch: Sequence[Post]) -> None:
        """Translate the batch, one call per language."""
        by_lang: dict[str, list[Post]] = {}
        for post in batch:
            if not post.lang or post.lang in ("en", "und") or not post.text.strip():
                if post.lang == "en":
                    post.text_en, post.translation = None, None
                continue
            by_lang.setdefault(post.lang, []).append(post)
        for lang, posts in by_lang.items():
            translator = self.translator_for(lang)
            todo = [p for p in posts if not self._keeps(p, translator)]
            if not todo:
                continue
            try:
                results = translate_texts(translator, [p.text for p in todo], lang,
                                          [glossary_for(p, self.names) for p in todo], self.cache, usage=self.usage)
            except WatchfloorError as exc:  # a server went away: leave these for the next run
                log.warning("translation by %s failed for %d %s post(s): %s", translator.name, len(todo), lang, exc)
                continue
            self.calls += 1
            for post, result in zip(todo, results, strict=True):
                post.text_en = result.text
                post.translation = {**result.record(), "source_sha": text_hash(post.text)}
