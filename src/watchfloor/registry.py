"""The one list of every extension point and the built-in parts that fill it.

Built-in parts register here exactly as third-party ones would through the ``watchfloor.<kind>``
entry-point groups: by name, pointing at a ``module:attribute`` factory.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

__all__ = ["ExtensionPoint", "EXTENSION_POINTS", "BUILTINS", "resolve", "available"]


@dataclass(frozen=True)
class ExtensionPoint:
    """A kind of part Watchfloor can be extended with."""

    kind: str
    help: str


EXTENSION_POINTS: tuple[ExtensionPoint, ...] = (
    ExtensionPoint("sources", "Readers of a platform's export files (chosen by `read_any_export`)."),
    ExtensionPoint("collectors", "Readers of a live source through a fetch function (see sources/base.py)."),
    ExtensionPoint("stages", "Analysis steps over batches of posts (see pipeline/base.py)."),
    ExtensionPoint("engines", "Runners that apply the stages to the store's posts."),
    ExtensionPoint("report_formats", "Renderers of a report draft."),
    ExtensionPoint("exporters", "Writers of stories and tables for other tools (see exports/__init__.py)."),
    ExtensionPoint("translators", "Translation back-ends to English (see translate/base.py)."),
)

BUILTINS: dict[str, dict[str, str]] = {
    "sources": {
        "telegram-export": "watchfloor.sources.telegram_reader:read_export",
        "telegram-html": "watchfloor.sources.telegram_html:read_html_export",
    },
    "collectors": {
        "telegram-web": "watchfloor.sources.telegram_web:TelegramWebCollector",
        "telegram-api": "watchfloor.sources.telegram_api:TelegramApiCollector",
        "rss": "watchfloor.sources.rss:RssCollector",
    },
    "stages": {
        "language": "watchfloor.pipeline.language:LanguageStage",
        "entities": "watchfloor.pipeline.entities:EntityStage",
        "names": "watchfloor.pipeline.names:NameStage",
        "translate": "watchfloor.pipeline.translate:TranslateStage",
        "translation_names": "watchfloor.pipeline.names:TranslationNameStage",
        "quotes": "watchfloor.pipeline.quotes:QuoteStage",
        "dates": "watchfloor.pipeline.dates:DateStage",
        "indicators": "watchfloor.pipeline.indicators:IndicatorStage",
        "embed": "watchfloor.pipeline.embed:EmbedStage",
    },
    "engines": {
        "local": "watchfloor.engine.local:process",
        "dask": "watchfloor.engine.dask:process",
    },
    "report_formats": {
        "md": "watchfloor.reports.render:render_markdown",
        "html": "watchfloor.reports.render:render_html",
        "json": "watchfloor.reports.render:render_json",
    },
    "exporters": {
        "stix": "watchfloor.exports.stix:export_stix",
        "csv": "watchfloor.exports.tabular:export_csv",
        "jsonl": "watchfloor.exports.tabular:export_jsonl",
        "graphml": "watchfloor.exports.graph:export_graphml",
        "gexf": "watchfloor.exports.graph:export_gexf",
    },
    "translators": {
        "none": "watchfloor.translate.none:NoneTranslator",
        "ctranslate2": "watchfloor.translate.ctranslate2:CTranslate2Translator",
        "llamacpp": "watchfloor.translate.llamacpp:LlamaCppTranslator",
        "openai": "watchfloor.translate.openai:OpenAITranslator",
        "libretranslate": "watchfloor.translate.libretranslate:LibreTranslateTranslator",
        "deepl": "watchfloor.translate.deepl:DeepLTranslator",
        "google": "watchfloor.translate.google:GoogleTranslator",
    },
}


def available(kind: str) -> dict[str, str]:
    """Every registered part of a kind, built-in and from installed plug-ins."""
    if kind not in BUILTINS:
        raise KeyError(f"unknown extension point {kind!r}")
    parts = dict(BUILTINS[kind])
    for ep in entry_points(group=f"watchfloor.{kind}"):
        parts.setdefault(ep.name, ep.value)
    return parts


def resolve(kind: str, name: str) -> Any:
    """Import and return the part registered under a name."""
    parts = available(kind)
    if name not in parts:
        raise KeyError(f"no {kind} part named {name!r}; known: {', '.join(sorted(parts))}")
    module, _, attribute = parts[name].partition(":")
    return getattr(importlib.import_module(module), attribute)
