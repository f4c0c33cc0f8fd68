"""One text to English outside the pipeline (`watchfloor translate TEXT`), with the bundled knowledge base's
names as the glossary, labelled with the back-end and model that made it."""

from __future__ import annotations

from typing import Any

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.language import detect
from watchfloor.pipeline.translate import glossary_for
from watchfloor.settings import Settings
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.select import backend_for, make_translator

__all__ = ["translate_one"]


def translate_one(text: str, settings: Settings, source_lang: str | None = None,
                  backend: str | None = None) -> dict[str, Any]:
    """The text, its language, its English and who made it (back-end, model, label, flags, glossary)."""
    lang = source_lang or detect(text)[0]
    name = backend or backend_for(settings, lang)
    if lang == "en":
        return {"text": text, "source_lang": lang, "text_en": text, "backend": None, "model": None,
                "label": "original (English)", "flags": [], "glossary": {}}
    entities = load_entities()
    gazetteer = Gazetteer(entities)
    post = Post(id=0, source=Source(key="cli"), message_id=0, posted_at=None, text=text,  # type: ignore[arg-type]
                lang=lang, mentions=gazetteer.find(text))
    glossary = glossary_for(post, {e.id: e.name for e in entities})
    translator = make_translator(name, settings, lang)
    translator.setup()
    result = translate_texts(translator, [text], lang, [glossary])[0]
    return {"text": text, "source_lang": lang, "text_en": result.text, "backend": result.backend,
            "model": result.model, "label": result.label, "flags": list(result.flags),
            "at": result.at.isoformat(), "glossary": glossary}
