"""The ``openai`` back-end: any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp's server, a hosted API)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from watchfloor.errors import NotConfigured, SourceUnavailable
from watchfloor.settings import Settings
from watchfloor.translate.guard import clean_llm_output
from watchfloor.translate.httpjson import request_json
from watchfloor.translate.prompt import messages, sentence_count

__all__ = ["OpenAITranslator"]


class OpenAITranslator:
    """Gist translation by a served chat model, over ``/v1/chat/completions``."""

    name = "openai"
    uses_glossary = True
    max_batch = 8

    def __init__(self, base_url: str, model: str | None = None, api_key: str | None = None,
                 timeout: float = 120) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model or ""
        self.api_key = api_key
        self.timeout = timeout
        self.ready = False

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> OpenAITranslator:
        """The server of the ``openai_url`` setting."""
        url = settings.get("openai_url")
        if not url:
            raise NotConfigured("set WATCHFLOOR_OPENAI_URL to an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
        return cls(url, settings.get("openai_model"), settings.get("openai_api_key"))

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    def setup(self) -> None:
        """Ask the server for its models; pick the first when none was configured."""
        if self.ready:
            return
        try:
            listed: Any = request_json(f"{self.base_url}/models", headers=self._headers(), timeout=10)
        except SourceUnavailable as exc:
            raise NotConfigured(f"no OpenAI-compatible server answers at {self.base_url}: {exc}") from exc
        ids = [str(m.get("id")) for m in listed.get("data", []) if isinstance(m, dict) and m.get("id")]
        if not self.model:
            if not ids:
                raise NotConfigured(f"the server at {self.base_url} lists no model; set WATCHFLOOR_OPENAI_MODEL")
            self.model = ids[0]
        self.ready = True

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """One chat completion per segment, at temperature 0, stopped at the first line break."""
        self.setup()
        found = []
        for segment in segments:
            payload = {"model": self.model, "messages": messages(segment, source_lang, glossary, strict),
                       "temperature": 0, "max_tokens": min(1024, 32 + len(segment)), "stop": ["\n", "</source>"]}
            reply: Any = request_json(f"{self.base_url}/chat/completions", payload, self._headers(), self.timeout)
            try:
                content = reply["choices"][0]["message"]["content"] or ""
            except (KeyError, IndexError, TypeError) as exc:
                raise SourceUnavailable(f"{self.base_url} answered without a completion: {str(reply)[:200]}") from exc
            found.append(clean_llm_output(str(content), sentence_count(segment)))
        return found
