"""Persian names the Arabic rules of ``recognize.py`` cannot see: Persian puts the verb of saying after
its subject ("حمید طاهایی افزود :", "اسکندری گفت :"), so the words from the start of a clause up to one of
those verbs (``subject_verbs_after`` in ``data/ner_cues.yaml``) are a person's name when the index knows
their first word as a name part, or when they are one word that is not a common subject."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from watchfloor.kb.normalize import Token, has_arabic, normalize
from watchfloor.pipeline.recognize import Span, cue_at, cues, joined

__all__ = ["said_after"]

MAX_WORDS = 3


@cache
def _verbs() -> frozenset[tuple[str, ...]]:
    table = yaml.safe_load((Path(__file__).parent / "data" / "ner_cues.yaml").read_text(encoding="utf-8"))
    return frozenset(tuple(normalize(str(v)).split()) for v in table["subject_verbs_after"]["fa"])


def said_after(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """People named right before a Persian verb of saying, from the start of their clause."""
    table = cues()
    verbs = _verbs()
    found: list[Span] = []
    for v in range(1, len(tokens)):
        if not cue_at(tokens, text, v, verbs):
            continue
        start = v
        while start > 0 and v - start < MAX_WORDS + 1 and joined(text, tokens, start):
            norm = tokens[start - 1].norm
            if norm in table.stop_words or not has_arabic(norm) or norm.isdigit():
                break
            start -= 1
        n = v - start
        clause_start = start == 0 or not joined(text, tokens, start) or tokens[start - 1].norm == "\u0648"
        if not n or n > MAX_WORDS or not clause_start:
            continue
        words = [tokens[k].norm for k in range(start, v)]
        if any(w in table.not_names for w in words) or any(
                cue_at(tokens, text, k, table.person_titles) or cue_at(tokens, text, k, table.person_roles)
                or cue_at(tokens, text, k, table.organisation_heads) or cue_at(tokens, text, k, table.place_heads)
                for k in range(start, v)):
            continue
        if (n == 1 and len(words[0]) >= 3) or name_word(words[0]):
            found.append(Span("person", tokens[start].start, tokens[v - 1].end, "subject-before-saying"))
    return found
