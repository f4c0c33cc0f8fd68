"""Telling a translation from something else: a refusal, commentary, an answer to the post, a loop.

Channel text is hostile input and an LLM may answer it instead of translating it, so every segment an
LLM or a server returns is checked (and, for back-ends given a glossary, that it names the day the
glossary gave, not another); the engine retries a flagged segment once, more strictly, and
otherwise keeps the original segment (with glosses) and records the flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["check", "clean_llm_output", "wrong_date", "FLAGS"]

FLAGS = ("empty", "refusal", "commentary", "too_long", "too_short", "loop", "untranslated", "garbled", "wrong_date")
# English date words, longest first, and the day each names: a glossary that says "yesterday" (أمس) and an
# output that says "on Monday" disagree; "last night" and "yesterday" agree.
_DAY_WORDS = {"day before yesterday": "-2", "yesterday": "-1", "last night": "-1", "today": "0",
              "this morning": "0", "this evening": "0", "tonight": "0", "tomorrow": "+1",
              **{day: day for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}}
_DAYS = re.compile(r"\b(" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)

_REFUSAL = re.compile(r"\b(I'?m sorry|I am sorry|I apologi[sz]e|I can(?:no|')t|I am unable|I'm unable|"
                      r"I won'?t|as an AI|language model|not able to (?:help|assist|translate))\b", re.IGNORECASE)
_COMMENTARY = re.compile(r"^\s*(sure|certainly|of course|okay|ok|here(?:'s| is| are)|the (?:english )?translation|"
                         r"translation\s*:|note\s*:|this (?:text|sentence|post) (?:is|means|says))\b", re.IGNORECASE)
_SOURCE_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0590-\u05ff\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
_PREFIX = re.compile(r"^\s*(?:english(?: translation)?|translation)\s*:\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'][.!?])\s+(?=[A-Z\"'])")


def _looping(words: list[str]) -> bool:
    """A phrase of one to six words repeated four times in a row, or a text made of few distinct trigrams."""
    for size in range(1, 7):
        for start in range(0, max(0, len(words) - 4 * size + 1)):
            phrase = words[start:start + size]
            if all(words[start + k * size:start + (k + 1) * size] == phrase for k in range(1, 4)):
                return True
    trigrams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    return len(trigrams) >= 12 and len(set(trigrams)) / len(trigrams) < 0.5


def check(source: str, output: str, source_lang: str | None = None) -> list[str]:
    """The reasons the output is not a translation of the source (an empty list when it looks like one)."""
    text = output.strip()
    if not text:
        return ["empty"]
    flags: list[str] = []
    if _REFUSAL.search(text):
        flags.append("refusal")
    if _COMMENTARY.search(text):
        flags.append("commentary")
    size = max(len(source.strip()), 12)
    if len(text) > 3 * size:
        flags.append("too_long")
    if len(source.strip()) >= 40 and len(text) < 0.25 * len(source.strip()):
        flags.append("too_short")  # "OK", or one word for a whole sentence
    if _looping([w.casefold() for w in _WORD.findall(text)]):
        flags.append("loop")
    words = _WORD.findall(text)
    mixed = [w for w in words if _SOURCE_SCRIPT.search(w) and re.search(r"[A-Za-z]", w)]
    if words and len(mixed) > 0.2 * len(words):
        flags.append("garbled")  # words half in one script, half in another: noise, not language
    letters = _LETTER.findall(text)
    if source_lang != "en" and letters and sum(bool(_SOURCE_SCRIPT.match(c)) for c in letters) > 0.5 * len(letters):
        flags.append("untranslated")
    return flags


def _days(text: str) -> set[str]:
    return {_DAY_WORDS[m.group(1).casefold()] for m in _DAYS.finditer(text)}


def wrong_date(output: str, glossary_english: Iterable[str]) -> bool:
    """True when the glossary gave a day (yesterday, a weekday...) and the output names only other days:
    in this field a wrong date misleads, a missing one does not."""
    wanted = set().union(*(_days(english) for english in glossary_english))
    found = _days(output)
    return bool(wanted and found and not wanted & found)


def clean_llm_output(output: str, sentences: int = 1) -> str:
    """The part of an LLM's reply that is the translation: the first line, without a "Translation:"
    prefix, wrapping quotes or delimiter tags, and only its first sentence (small models keep talking)."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    text = lines[0].strip() if lines else ""
    text = re.sub(r"</?source>", "", text).strip()
    text = _PREFIX.sub("", text).strip()
    if len(text) >= 2 and text[0] in "\"'“«" and text[-1] in "\"'”»":
        text = text[1:-1].strip()
    parts = _SENTENCE_END.split(text)
    return " ".join(parts[:max(1, sentences)])
