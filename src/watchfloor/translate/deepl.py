"""The ``deepl`` back-end: the DeepL API v2 (``/v2/translate``, ``/v2/glossaries``, ``/v2/languages``).

A key ending in ``:fx`` is a free-plan key and goes to api-free.deepl.com, any other to api.deepl.com;
it travels in the ``Authorization: DeepL-Auth-Key`` header. A request carries at most 50 texts and
128 KiB. The knowledge base's names (and the lexicon's terms) for the language go to DeepL once as a
glossary, named after a hash of its entries, and are reused by id; a changed knowledge base makes a new
one. 403 (key refused) and 456 (quota used up) fail with what to do; 429 and 5xx are retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from watchfloor.errors import NotConfigured, SourceUnavailable, WatchfloorError
from watchfloor.settings import Settings
from watchfloor.translate.webapi import QuotaExceeded, WebAPI, batches

__all__ = ["DeepLTranslator", "FREE_URL", "PRO_URL", "MAX_TEXTS", "MAX_REQUEST_BYTES"]

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
MAX_TEXTS = 50
MAX_REQUEST_BYTES = 128 * 1024
_ENVELOPE = 2048  # room for the JSON around the texts: keys, languages, glossary id


def _explain(status: int, body: str) -> WatchfloorError | None:
    if status == 403:
        return NotConfigured("DeepL refused the key (HTTP 403): check WATCHFLOOR_DEEPL_API_KEY (DeepL account, "
                             "API keys); a free-plan key ends in :fx and is sent to api-free.deepl.com")
    if status == 456:
        return QuotaExceeded("DeepL's character quota is used up (HTTP 456): raise the plan or the cost limit in "
                             "the DeepL account, or wait for the next billing period; the posts stay queued", status)
    if status == 413:
        return SourceUnavailable("DeepL found the request too large (HTTP 413)", status)
    return None


def _json_size(text: str) -> int:
    """The bytes a text takes in the request's JSON (quotes, escapes and the comma included)."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) + 1


def _retryable(status: int, body: str) -> bool:
    return status in (429, 529) or status >= 500


def _tsv(entries: Mapping[str, str]) -> str:
    """Glossary entries as DeepL's TSV: a source<TAB>target line each, no tab or line break inside, sources unique."""
    lines: dict[str, str] = {}
    for source, target in entries.items():
        source, target = " ".join(source.split()), " ".join(target.split())
        if source and target and source != target:
            lines.setdefault(source, target)
    return "".join(f"{s}\t{t}\n" for s, t in sorted(lines.items()))


class DeepLTranslator:
    """Machine translation by DeepL, 50 texts a request, with a knowledge-base glossary where DeepL has one."""

    name = "deepl"
    uses_glossary = False  # the glossary is DeepL's own, by id: segments batch freely
    max_batch = MAX_TEXTS

    def __init__(self, api_key: str, url: str | None = None,
                 glossary_entries: Callable[[str], Mapping[str, str]] | None = None, api: WebAPI | None = None) -> None:
        self.api_key = api_key
        self.url = (url or (FREE_URL if api_key.endswith(":fx") else PRO_URL)).rstrip("/")
        self.model = f"deepl@{urlsplit(self.url).netloc or self.url}"
        self.glossary_entries = glossary_entries
        self.api = api or WebAPI("DeepL", explain=_explain, retryable=_retryable)
        self.sources: set[str] | None = None
        self.glossary_pairs: set[tuple[str, str]] = set()
        self.glossaries: dict[str, str | None] = {}  # language -> glossary id (None: no glossary)

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> DeepLTranslator:
        """The key of the ``deepl_api_key`` setting; the knowledge base's names as glossaries unless turned off."""
        key = settings.get("deepl_api_key")
        if not key:
            raise NotConfigured("set WATCHFLOOR_DEEPL_API_KEY to a DeepL API key (DeepL account, API keys)")
        entries = None
        if (settings.get("deepl_glossary") or "on").lower() not in ("off", "no", "false", "0"):
            from watchfloor.kb.terms import service_glossary
            entries = service_glossary
        return cls(key, settings.get("deepl_url"), entries)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"DeepL-Auth-Key {self.api_key}"}

    def setup(self) -> None:
        """Ask DeepL which source languages it translates and which glossary pairs it has."""
        if self.sources is not None:
            return
        try:
            listed: Any = self.api.call("GET", f"{self.url}/v2/languages?type=source", headers=self._headers(),
                                        retries=1)
        except SourceUnavailable as exc:
            if isinstance(exc, QuotaExceeded):
                raise
            raise NotConfigured(f"DeepL does not answer at {self.url}: {exc}") from exc
        self.sources = {str(item["language"]).lower() for item in listed
                        if isinstance(item, dict) and "language" in item}
        if self.glossary_entries is not None:
            pairs: Any = self.api.call("GET", f"{self.url}/v2/glossary-language-pairs", headers=self._headers())
            self.glossary_pairs = {(str(p["source_lang"]).lower(), str(p["target_lang"]).lower())
                                   for p in pairs.get("supported_languages", []) if isinstance(p, dict)}

    def supported(self) -> list[str]:
        """Source languages DeepL translates."""
        self.setup()
        return sorted(self.sources or ())

    def glossary_id(self, source_lang: str) -> str | None:
        """The id of this language's glossary at DeepL, created the first time (None: no names or no pair)."""
        if source_lang in self.glossaries:
            return self.glossaries[source_lang]
        found: str | None = None
        tsv = _tsv(self.glossary_entries(source_lang)) if self.glossary_entries is not None else ""
        if tsv and (source_lang, "en") in self.glossary_pairs:
            name = f"watchfloor {source_lang}-en {hashlib.sha256(tsv.encode('utf-8')).hexdigest()[:12]}"
            listed: Any = self.api.call("GET", f"{self.url}/v2/glossaries", headers=self._headers())
            for glossary in listed.get("glossaries", []):
                if glossary.get("name") == name and glossary.get("ready", True):
                    found = str(glossary["glossary_id"])
                    break
            if found is None:
                made: Any = self.api.call("POST", f"{self.url}/v2/glossaries", {
                    "name": name, "source_lang": source_lang, "target_lang": "en", "entries": tsv,
                    "entries_format": "tsv"}, self._headers())
                found = str(made["glossary_id"])
        self.glossaries[source_lang] = found
        return found

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """All segments, in requests of at most 50 texts and 128 KiB."""
        self.setup()
        if source_lang not in (self.sources or ()):
            raise NotConfigured(f"DeepL does not translate {source_lang!r}; send it to another back-end with "
                                f"WATCHFLOOR_TRANSLATE_BY_LANG (e.g. {source_lang}=google)")
        glossary_id = self.glossary_id(source_lang)
        found: list[str] = []
        for run in batches(segments, MAX_TEXTS, MAX_REQUEST_BYTES - _ENVELOPE, _json_size):
            payload: dict[str, Any] = {"text": run, "source_lang": source_lang.upper(), "target_lang": "EN-US"}
            if glossary_id:
                payload["glossary_id"] = glossary_id
            reply: Any = self.api.call("POST", f"{self.url}/v2/translate", payload, self._headers())
            texts = reply.get("translations") if isinstance(reply, dict) else None
            if not isinstance(texts, list) or len(texts) != len(run):
                raise SourceUnavailable(f"DeepL answered without {len(run)} translations: {str(reply)[:200]}")
            found += [str(t.get("text", "")) if isinstance(t, dict) else "" for t in texts]
        return found
