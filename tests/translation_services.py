"""Loopback stand-ins for DeepL's API v2 and Google Cloud Translation v2/v3, speaking their documented request and
reply formats and status codes (the real services cannot be reached from tests). Each "translates" by writing
every Arabic-script letter as a Latin one, after putting the glossary's English in for its source terms, so a
test can see which text and which glossary reached the service."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import Page, Request, Site

LATIN = str.maketrans({chr(0x0621 + i): "abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(0x064A - 0x0621 + 1)})


def fake_english(text: str, glossary: dict[str, str] | None = None) -> str:
    """What the stand-ins answer for a text: glossary terms in English, the rest letter by letter."""
    for source in sorted(glossary or {}, key=len, reverse=True):
        text = text.replace(source, (glossary or {})[source])
    return text.translate(LATIN)


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Page:
    return status, "application/json", json.dumps(payload, ensure_ascii=False), headers or {}


class FakeService:
    """Common parts: scripted failures answered before the real reply, and the requests received."""

    def __init__(self) -> None:
        self.site = Site(api=self.answer)
        self.url = self.site.url
        self.failures: list[Page] = []  # answered, in order, to the next requests
        self.translate_requests: list[Request] = []

    def answer(self, request: Request) -> Page | None:
        if self.failures:
            return self.failures.pop(0)
        return self.reply(request)

    def reply(self, request: Request) -> Page | None:
        raise NotImplementedError

    def close(self) -> None:
        self.site.close()


class FakeDeepL(FakeService):
    """DeepL API v2: /v2/languages, /v2/glossary-language-pairs, /v2/glossaries, /v2/translate."""

    MAX_TEXTS = 50
    MAX_BYTES = 128 * 1024

    def __init__(self, key: str, sources: tuple[str, ...] = ("AR", "EN", "DE")) -> None:
        super().__init__()
        self.key = key
        self.sources = sources
        self.glossaries: dict[str, dict[str, Any]] = {}
        self.created: list[str] = []

    def reply(self, request: Request) -> Page | None:
        if request.headers.get("Authorization") != f"DeepL-Auth-Key {self.key}":
            return _json(403, {"message": "Authorization failure, check auth_key"})
        path = urlsplit(request.path).path
        if request.method == "GET" and path == "/v2/languages":
            return _json(200, [{"language": code, "name": code} for code in self.sources])
        if request.method == "GET" and path == "/v2/glossary-language-pairs":
            return _json(200, {"supported_languages": [{"source_lang": "ar", "target_lang": "en"},
                                                       {"source_lang": "de", "target_lang": "en"}]})
        if request.method == "GET" and path == "/v2/glossaries":
            return _json(200, {"glossaries": [{k: v for k, v in g.items() if k != "entries"}
                                              for g in self.glossaries.values()]})
        if request.method == "POST" and path == "/v2/glossaries":
            body = request.json()
            if body.get("entries_format") != "tsv" or not body.get("entries"):
                return _json(400, {"message": "Invalid glossary entries"})
            entries = {}
            for line in body["entries"].splitlines():
                source, tab, target = line.partition("\t")
                if not tab or not source or not target or "\t" in target:
                    return _json(400, {"message": f"Invalid glossary entry: {line!r}"})
                if source in entries:
                    return _json(400, {"message": f"Duplicate source entry: {source!r}"})
                entries[source] = target
            ident = str(uuid.uuid4())
            self.glossaries[ident] = {"glossary_id": ident, "name": body["name"], "ready": True,
                                      "source_lang": body["source_lang"], "target_lang": body["target_lang"],
                                      "creation_time": "2026-11-30T12:00:00.000Z", "entry_count": len(entries),
                                      "entries": entries}
            self.created.append(ident)
            return _json(201, {k: v for k, v in self.glossaries[ident].items() if k != "entries"})
        if request.method == "POST" and path == "/v2/translate":
            self.translate_requests.append(request)
            if len(request.body) > self.MAX_BYTES:
                return _json(413, {"message": "Request Entity Too Large"})
            body = request.json()
            texts = body.get("text")
            if not isinstance(texts, list) or not texts or len(texts) > self.MAX_TEXTS:
                return _json(400, {"message": "Parameter 'text' must hold 1 to 50 texts"})
            if body.get("target_lang") not in ("EN-US", "EN-GB"):
                return _json(400, {"message": "Value for 'target_lang' not supported."})
            if body.get("source_lang") not in self.sources:
                return _json(400, {"message": "Value for 'source_lang' not supported."})
            glossary = None
            if "glossary_id" in body:
                if body["glossary_id"] not in self.glossaries:
                    return _json(404, {"message": "Glossary not found"})
                glossary = self.glossaries[body["glossary_id"]]["entries"]
            return _json(200, {"translations": [{"detected_source_language": body["source_lang"],
                                                 "text": fake_english(t, glossary)} for t in texts]})
        return _json(404, {"message": "Not found"})


class FakeGoogle(FakeService):
    """Cloud Translation Basic (v2, API key in the query) and Advanced (v3, bearer token)."""

    def __init__(self, key: str = "google-key", token: str = "ya29.token", project: str = "watch-project",
                 glossaries: dict[str, dict[str, str]] | None = None) -> None:
        super().__init__()
        self.key, self.token, self.project = key, token, project
        self.glossaries = glossaries or {}

    def reply(self, request: Request) -> Page | None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        if parts.path.startswith("/language/translate/v2"):
            if query.get("key") != [self.key]:
                return _json(400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                             "errors": [{"message": "API key not valid.", "domain": "global",
                                                         "reason": "badRequest"}], "status": "INVALID_ARGUMENT",
                                             "details": [{"reason": "API_KEY_INVALID"}]}})
            if parts.path == "/language/translate/v2/languages":
                return _json(200, {"data": {"languages": [{"language": "ar"}, {"language": "fa"}, {"language": "en"}]}})
            if parts.path == "/language/translate/v2" and request.method == "POST":
                self.translate_requests.append(request)
                body = request.json()
                texts = body.get("q")
                if not isinstance(texts, list) or len(texts) > 128:
                    return _json(400, {"error": {"code": 400, "message": "Too many text segments",
                                                 "errors": [{"reason": "invalid"}]}})
                if body.get("format") != "text" or body.get("target") != "en":
                    return _json(400, {"error": {"code": 400, "message": "Bad format or target"}})
                return _json(200, {"data": {"translations": [{"translatedText": fake_english(t)} for t in texts]}})
        match = re.fullmatch(rf"/v3/projects/{self.project}/locations/([\w-]+)(:translateText|/supportedLanguages)",
                             parts.path)
        if match:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return _json(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                             "status": "UNAUTHENTICATED"}})
            if match.group(2) == "/supportedLanguages":
                return _json(200, {"languages": [{"languageCode": c, "supportSource": True, "supportTarget": True}
                                                 for c in ("ar", "fa", "en")]})
            self.translate_requests.append(request)
            body = request.json()
            contents = body.get("contents")
            if not isinstance(contents, list) or body.get("targetLanguageCode") != "en" or \
                    body.get("mimeType") != "text/plain":
                return _json(400, {"error": {"code": 400, "message": "Invalid request", "status": "INVALID_ARGUMENT"}})
            reply: dict[str, Any] = {"translations": [{"translatedText": fake_english(t)} for t in contents]}
            config = body.get("glossaryConfig")
            if config:
                name = config["glossary"].rsplit("/", 1)[-1]
                if name not in self.glossaries or match.group(1) == "global":
                    return _json(400, {"error": {"code": 400, "message": "Glossary not found or not in this location",
                                                 "status": "INVALID_ARGUMENT"}})
                reply["glossaryTranslations"] = [{"translatedText": fake_english(t, self.glossaries[name]),
                                                  "glossaryConfig": config} for t in contents]
            return _json(200, reply)
        return _json(404, {"error": {"code": 404, "message": "Not found"}})
