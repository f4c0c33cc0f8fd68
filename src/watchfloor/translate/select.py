"""Which back-end translates which language, and which back-end's output replaces which."""

from __future__ import annotations

import functools
import importlib.util
from importlib import metadata

from watchfloor.errors import InvalidInput
from watchfloor.registry import available, resolve
from watchfloor.settings import Settings, pairs
from watchfloor.translate import bundled
from watchfloor.translate.base import DEFAULT_RANKS, Translator

__all__ = ["backend_for", "ranks", "make_translator", "configured_backends", "default_backend", "gist_installed"]


@functools.cache
def gist_installed() -> bool:
    """Whether the bundled gist model can run here: llama-cpp-python importable and the 22 model parts installed."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    try:
        return all(metadata.version(bundled.PACKAGE.format(n)) for n in range(1, bundled.PARTS + 1))
    except metadata.PackageNotFoundError:
        return False


def default_backend(settings: Settings) -> str:
    """The back-end of languages without their own: the setting, else the gist model when installed, else none."""
    return settings.get("translate_backend") or ("llamacpp" if gist_installed() else "none")


def backend_for(settings: Settings, lang: str | None) -> str:
    """The back-end configured for a source language (``translate_by_lang``), else the default."""
    return pairs(settings.get("translate_by_lang")).get(lang or "") or default_backend(settings)


def configured_backends(settings: Settings) -> set[str]:
    """Every back-end some language is configured to use."""
    return {backend_for(settings, None), *pairs(settings.get("translate_by_lang")).values()}


def ranks(settings: Settings) -> dict[str, int]:
    """Each back-end's rank: a post translated by a lower rank is redone by a higher one."""
    found = dict(DEFAULT_RANKS)
    for name, value in pairs(settings.get("translate_ranks")).items():
        try:
            found[name] = int(value)
        except ValueError as exc:
            raise InvalidInput(f"translate_ranks: {name}={value!r} is not a whole number") from exc
    return found


def make_translator(name: str, settings: Settings, source_lang: str | None = None) -> Translator:
    """The registered back-end of that name, configured from the settings (not yet set up)."""
    if name not in available("translators"):
        raise InvalidInput(f"no translation back-end {name!r}; known: {', '.join(sorted(available('translators')))}")
    translator: Translator = resolve("translators", name).from_settings(settings, source_lang)
    return translator
