"""The `watchfloor models` and `watchfloor translate` commands: translation back-ends and one-off translation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from watchfloor.cli_common import JsonOpt, State, errors, out, print_json
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.language import detect
from watchfloor.pipeline.translate import glossary_for
from watchfloor.translate.catalog import INSTALLABLE, install_model, list_backends
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.select import backend_for, make_translator

__all__ = ["models_app", "translate", "translate_command"]

models_app = typer.Typer(no_args_is_help=True, help="Translation back-ends and their models.")


@models_app.command("list")
def models_list(json_out: JsonOpt = False) -> None:
    """Each translation back-end: usable here or not (and why), its models and languages."""
    with errors():
        found = list_backends(State.settings)
    if json_out:
        print_json([s.json() for s in found])
        return
    table = Table("back-end", "usable", "models", "languages", "configured for", "note")
    for s in found:
        table.add_row(s.name, "yes" if s.usable else "no", ", ".join(s.models), ", ".join(s.languages),
                      ", ".join(s.configured_for), s.reason or s.label)
    out.print(table)


@models_app.command("install")
def models_install(
    name: Annotated[str, typer.Argument(help="gist, opus-mt-ar-en, opus-mt-mul-en or nllb-200-distilled-600M.")],
    to: Annotated[Path | None, typer.Option(help="Folder to put it in (default: the data directory).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Fetch a translation model where a network allows, and say how to use it."""
    with errors():
        done = install_model(name, State.settings, to)
    if json_out:
        print_json(done)
        return
    out.print(f"{name} ({INSTALLABLE[name][1]}) is at {done['path']}.", highlight=False)
    if done["setting"]:
        out.print(f"Use it with {done['setting']}", highlight=False)


def translate(text: str, source_lang: str | None = None, backend: str | None = None) -> dict[str, object]:
    """One text in English, with the bundled knowledge base's names as the glossary."""
    lang = source_lang or detect(text)[0]
    name = backend or backend_for(State.settings, lang)
    if lang == "en":
        return {"text": text, "source_lang": lang, "text_en": text, "backend": None, "model": None,
                "label": "original (English)", "flags": [], "glossary": {}}
    entities = load_entities()
    gazetteer = Gazetteer(entities)
    post = Post(id=0, source=Source(key="cli"), message_id=0, posted_at=None, text=text,  # type: ignore[arg-type]
                lang=lang, mentions=gazetteer.find(text))
    glossary = glossary_for(post, {e.id: e.name for e in entities})
    translator = make_translator(name, State.settings, lang)
    translator.setup()
    result = translate_texts(translator, [text], lang, [glossary])[0]
    return {"text": text, "source_lang": lang, "text_en": result.text, "backend": result.backend,
            "model": result.model, "label": result.label, "flags": list(result.flags),
            "at": result.at.isoformat(), "glossary": glossary}


def translate_command(
    text: Annotated[str, typer.Argument(help="The text to translate.")],
    source_lang: Annotated[str | None, typer.Option("--from", help="Its language (default: detected).")] = None,
    backend: Annotated[str | None, typer.Option(help="none, ctranslate2, llamacpp, openai or libretranslate "
                                                     "(default: the one configured for the language).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Translate one text to English and label who made the translation."""
    with errors():
        result = translate(text, source_lang, backend)
    if json_out:
        print_json(result)
        return
    out.print(str(result["text_en"]), markup=False, highlight=False)
    out.print(f"[dim]{result['label']}" + (f"; flagged: {', '.join(result['flags'])}" if result["flags"]  # type: ignore[arg-type]
                                          else "") + "[/dim]", highlight=False)

