"""People named as the source of what a post reports, after "according to": "بحسب زاخاروفا، ...", "ووفقا
لشومسكي فإن ...", "على حد قول ...", "به گفته محمدزاده ، ...". The words after the cue (``according_to`` in
``data/ner_cues.yaml``), at most three, up to a comma, a colon or "فإن", are a person's name when none of them is
a stop word, a common subject ("المصادر", "منابع", "وی"), a common word, a title or an organisation's, place's or
outlet's noun, and the first word is a name part or no plural and has no pronoun or feminine ending ("بحسب
قوله": by his words; "به گفته شاهدان عینی": by eyewitnesses)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import PREPOSITIONS_APART, Token, has_arabic, normalize
from watchfloor.pipeline.recognize_cues import Span, cue_at, cues_for, has_article, joined
from watchfloor.pipeline.recognize_runs import is_common, suffix_free

__all__ = ["according_to"]

MAX_WORDS = 3
_THEN = frozenset(normalize(w) for w in ("فإن", "إن", "فقد"))  # what goes on after the source in Arabic
_TAKE_LI = frozenset(normalize(w) for w in ("وفقا", "ووفقا", "طبقا", "وطبقا"))  # "وفقا لشومسكي"
_LI = "\u0644"
_PLURALS_FA = tuple(normalize(w) for w in ("ان", "ها", "های", "ین"))


def _singular_fa(norm: str) -> bool:
    """A Persian word of three letters or more that is no plural ("شاهدان", "محققان", "مسئولین", "گروهها")."""
    return len(norm) >= 3 and not norm.endswith(_PLURALS_FA)


def _pause_after(text: str, tokens: list[Token], k: int) -> bool:
    """Whether a comma or a colon follows token k (before the next token)."""
    gap = text[tokens[k].end:tokens[k + 1].start] if k + 1 < len(tokens) else ""
    return any(mark in gap for mark in (",", "\u060c", ":"))


@cache
def _cues() -> dict[str, frozenset[tuple[str, ...]]]:
    table: dict[str, list[str]] = read_yaml(Path(__file__).parent / "data" / "ner_cues.yaml")["according_to"]
    return {lang: frozenset(tuple(normalize(v).split()) for v in values) for lang, values in table.items()}


def according_to(text: str, tokens: list[Token], lang: str | None, name_word: Callable[[str], bool]) -> list[Span]:
    """The people named after "according to" in Arabic-script text."""
    arabic = lang not in PREPOSITIONS_APART
    table = cues_for(lang)
    heads = _cues()["ar" if arabic else "fa"]
    nouns = (table.person_titles, table.person_roles, table.organisation_heads, table.place_heads, table.media_heads)
    found: list[Span] = []
    for i in range(len(tokens)):
        n = cue_at(tokens, text, i, heads)
        j = i + n
        if not n or j >= len(tokens) or not joined(text, tokens, j):
            continue
        attached = arabic and tokens[j - 1].norm in _TAKE_LI and tokens[j].norm[:1] == _LI
        first = tokens[j].norm[1:] if attached else tokens[j].norm
        end = j
        while end < len(tokens) and end - j < MAX_WORDS and (end == j or joined(text, tokens, end)):
            norm = first if end == j else tokens[end].norm
            if (not has_arabic(norm) or norm in table.stop_words or norm in table.not_names
                    or (arabic and has_article(norm)) or is_common(norm, name_word)
                    or any(cue_at(tokens, text, end, cue) for cue in nouns)):
                break
            end += 1
            if _pause_after(text, tokens, end - 1):
                break
        closed = end > j and (_pause_after(text, tokens, end - 1) or (
            arabic and end < len(tokens) and tokens[end].norm in _THEN))
        if not closed or not (name_word(first) or (suffix_free(first) if arabic else _singular_fa(first))):
            continue
        found.append(Span("person", tokens[j].start + (1 if attached else 0), tokens[end - 1].end, "according-to"))
    return found
