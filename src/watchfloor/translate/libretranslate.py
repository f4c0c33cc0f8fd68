"""The ``libretranslate`` back-end: a LibreTranslate server's REST API (``/languages``, ``/translate``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from watchfloor.errors import NotConfigured, SourceUnavailable
from watchfloor.settings import Settings
from watchfloor.translate.httpjson import request_json

__all__ = ["LibreTranslateTranslator"]


class LibreTranslateTranslator:
    """Machine translation by a LibreTranslate (Argos) server, many segments per request."""

    name = "libretranslate"
    uses_glossary = False
    max_batch = 16

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 120) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.model = f"libretranslate@{urlsplit(self.url).netloc or self.url}"
        self.languages: dict[str, list[str]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> LibreTranslateTranslator:
        """The server of the ``libretranslate_url`` setting."""
        url = settings.get("libretranslate_url")
        if not url:
            raise NotConfigured("set WATCHFLOOR_LIBRETRANSLATE_URL to a LibreTranslate server, e.g. http://127.0.0.1:5000")
        return cls(url, settings.get("libretranslate_api_key"))

    def setup(self) -> None:
        """Ask the server which languages it translates."""
        if self.languages is not None:
            return
        try:
            listed: Any = request_json(f"{self.url}/languages", timeout=10)
        except SourceUnavailable as exc:
            raise NotConfigured(f"no LibreTranslate server answers at {self.url}: {exc}") from exc
        self.languages = {str(item["code"]): [str(t) for t in item.get("targets", [])]
                          for item in listed if isinstance(item, dict) and "code" in item}

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """All segments in one request."""
        self.setup()
        assert self.languages is not None
        if source_lang not in self.languages or "en" not in self.languages[source_lang]:
            raise NotConfigured(f"the LibreTranslate server at {self.url} does not translate {source_lang} to English")
        payload: dict[str, Any] = {"q": list(segments), "source": source_lang, "target": "en", "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        reply: Any = request_json(f"{self.url}/translate", payload, timeout=self.timeout)
        texts = reply.get("translatedText") if isinstance(reply, dict) else None
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or len(texts) != len(segments):
            raise SourceUnavailable(f"{self.url} answered without translations: {str(reply)[:200]}")
        return [str(t) for t in texts]

    def supported(self) -> list[str]:
        """Source languages the server translates into English."""
        self.setup()
        return sorted(code for code, targets in (self.languages or {}).items() if "en" in targets)
