"""The ``google`` back-end: Google Cloud Translation, Basic (v2) with an API key or Advanced (v3) with a
bearer token and, optionally, a glossary.

v2: ``POST {url}/language/translate/v2?key=KEY`` with ``q`` (at most 128 texts), ``source``, ``target``,
``format=text``; the reply is ``{"data": {"translations": [{"translatedText": ...}]}}``.
v3: ``POST {url}/v3/projects/{project}/locations/{location}:translateText`` with ``contents``,
``sourceLanguageCode``, ``targetLanguageCode``, ``mimeType`` and ``glossaryConfig``; the reply's
``glossaryTranslations`` are used when a glossary was applied. Requests stay under 30,000 code points
(Google's recommended 5,000 for v2). 429, 5xx and 403 rate-limit reasons are retried; a refused key, a
disabled API or a used-up quota fail with what to do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from watchfloor.errors import NotConfigured, SourceUnavailable, WatchfloorError
from watchfloor.settings import Settings
from watchfloor.translate.webapi import QuotaExceeded, WebAPI, batches

__all__ = ["GoogleTranslator", "GOOGLE_URL", "MAX_TEXTS", "MAX_CHARS_V2", "MAX_CHARS_V3"]

GOOGLE_URL = "https://translation.googleapis.com"
MAX_TEXTS = 128
MAX_CHARS_V2 = 5_000
MAX_CHARS_V3 = 30_000
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
_QUOTA_REASONS = {"dailyLimitExceeded", "quotaExceeded", "billingNotEnabled", "RESOURCE_EXHAUSTED"}


def _reasons(body: str) -> set[str]:
    """The reasons of a Google error reply (v2 ``errors[].reason``, v3 ``status`` and ``details[].reason``)."""
    try:
        error = json.loads(body).get("error", {})
    except (ValueError, AttributeError):
        return set()
    if not isinstance(error, dict):
        return set()
    found = {str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict)}
    found |= {str(d.get("reason")) for d in error.get("details", []) if isinstance(d, dict) and d.get("reason")}
    if error.get("status"):
        found.add(str(error["status"]))
    return found


def _retryable(status: int, body: str) -> bool:
    return status == 429 or status >= 500 or (status == 403 and bool(_reasons(body) & _RATE_REASONS))


def _explain(status: int, body: str) -> WatchfloorError | None:
    reasons = _reasons(body)
    if reasons & _QUOTA_REASONS:
        return QuotaExceeded(f"Google Cloud Translation's quota is used up (HTTP {status}, "
                             f"{', '.join(sorted(reasons))}): "
                             "raise the quota or enable billing in the Google Cloud console, or wait for the daily "
                             "reset; the posts stay queued", status)
    if status == 400 and ("keyInvalid" in reasons or "API key not valid" in body):
        return NotConfigured("Google refused the API key (HTTP 400, keyInvalid): check WATCHFLOOR_GOOGLE_API_KEY")
    if status == 401:
        return NotConfigured("Google refused the access token (HTTP 401): set WATCHFLOOR_GOOGLE_ACCESS_TOKEN to a "
                             "fresh one (`gcloud auth print-access-token`)")
    if status == 403:
        return NotConfigured(f"Google refused the request (HTTP 403, {', '.join(sorted(reasons)) or 'forbidden'}): "
                             "enable the Cloud Translation API for the project and give the key or account access")
    return None


class GoogleTranslator:
    """Machine translation by Google Cloud Translation, up to 128 texts a request."""

    name = "google"
    uses_glossary = False  # v3 glossaries live at Google, by id
    max_batch = MAX_TEXTS

    def __init__(self, api_key: str | None = None, project: str | None = None, location: str = "global",
                 access_token: str | None = None, glossary: str | None = None, url: str | None = None,
                 api: WebAPI | None = None) -> None:
        if not (api_key or (project and access_token)):
            raise NotConfigured("set WATCHFLOOR_GOOGLE_API_KEY (Cloud Translation Basic), or WATCHFLOOR_GOOGLE_PROJECT "
                                "and WATCHFLOOR_GOOGLE_ACCESS_TOKEN (Advanced, v3)")
        self.api_key = api_key
        self.project = project
        self.location = location or "global"
        self.access_token = access_token
        self.glossary = glossary
        self.url = (url or GOOGLE_URL).rstrip("/")
        self.v3 = bool(project and access_token)
        self.model = "google-translate-v3" if self.v3 else "google-translate-v2"
        self.api = api or WebAPI("Google Cloud Translation", explain=_explain, retryable=_retryable)
        self.sources: set[str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> GoogleTranslator:
        """v3 when a project and a token are set, else v2 with the API key."""
        return cls(settings.get("google_api_key"), settings.get("google_project"),
                   settings.get("google_location") or "global", settings.get("google_access_token"),
                   settings.get("google_glossary"), settings.get("google_url"))

    def _parent(self) -> str:
        return f"projects/{quote(self.project or '', safe='')}/locations/{quote(self.location, safe='')}"

    def _headers(self) -> dict[str, str]:
        if self.v3:
            return {"Authorization": f"Bearer {self.access_token}", "x-goog-user-project": self.project or ""}
        return {}

    def setup(self) -> None:
        """Ask Google which languages it translates into English."""
        if self.sources is not None:
            return
        try:
            if self.v3:
                listed: Any = self.api.call("GET", f"{self.url}/v3/{self._parent()}/supportedLanguages"
                                                   "?displayLanguageCode=en", headers=self._headers(), retries=1)
                self.sources = {str(item["languageCode"]) for item in listed.get("languages", [])
                                if isinstance(item, dict) and item.get("supportSource", True)}
            else:
                listed = self.api.call("GET", f"{self.url}/language/translate/v2/languages?target=en"
                                              f"&key={quote(self.api_key or '', safe='')}", retries=1)
                self.sources = {str(item["language"]) for item in listed.get("data", {}).get("languages", [])
                                if isinstance(item, dict) and "language" in item}
        except SourceUnavailable as exc:
            if isinstance(exc, QuotaExceeded):
                raise
            raise NotConfigured(f"Google Cloud Translation does not answer at {self.url}: {exc}") from exc

    def supported(self) -> list[str]:
        """Source languages Google translates."""
        self.setup()
        return sorted(self.sources or ())

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """All segments, in requests within Google's limits."""
        self.setup()
        if self.sources is not None and source_lang not in self.sources:
            raise NotConfigured(f"Google does not translate {source_lang!r}; send it to another back-end with "
                                "WATCHFLOOR_TRANSLATE_BY_LANG")
        found: list[str] = []
        for run in batches(segments, MAX_TEXTS, MAX_CHARS_V3 if self.v3 else MAX_CHARS_V2):
            found += self._v3(run, source_lang) if self.v3 else self._v2(run, source_lang)
        return found

    def _v2(self, run: list[str], source_lang: str) -> list[str]:
        reply: Any = self.api.call("POST", f"{self.url}/language/translate/v2?key={quote(self.api_key or '', safe='')}",
                                   {"q": run, "source": source_lang, "target": "en", "format": "text"})
        texts = reply.get("data", {}).get("translations") if isinstance(reply, dict) else None
        return self._texts(texts, run, "translatedText")

    def _v3(self, run: list[str], source_lang: str) -> list[str]:
        payload: dict[str, Any] = {"contents": run, "sourceLanguageCode": source_lang, "targetLanguageCode": "en",
                                   "mimeType": "text/plain"}
        if self.glossary:
            payload["glossaryConfig"] = {"glossary": f"{self._parent()}/glossaries/{quote(self.glossary, safe='')}"}
        reply: Any = self.api.call("POST", f"{self.url}/v3/{self._parent()}:translateText", payload, self._headers())
        texts = reply.get("glossaryTranslations") or reply.get("translations") if isinstance(reply, dict) else None
        return self._texts(texts, run, "translatedText")

    def _texts(self, texts: Any, run: list[str], field: str) -> list[str]:
        if not isinstance(texts, list) or len(texts) != len(run):
            raise SourceUnavailable(f"Google answered without {len(run)} translations: {str(texts)[:200]}")
        return [str(t.get(field, "")) if isinstance(t, dict) else "" for t in texts]
