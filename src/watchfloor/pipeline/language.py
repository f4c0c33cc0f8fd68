"""The language stage: py3langid, corrected by script rules for Pashto, Urdu and Persian letters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from watchfloor.datafiles import read_yaml
from watchfloor.models import Post

__all__ = ["detect", "LanguageStage", "UNDETERMINED"]

UNDETERMINED = "und"
_DATA = Path(__file__).parent / "data" / "scripts.yaml"
_ALIASES = {"arz": "ar", "ary": "ar", "apc": "ar", "acm": "ar", "prs": "fa", "pes": "fa", "pbt": "ps", "pnb": "ur"}
_LETTERS = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_NOISE = re.compile(r"https?://\S+|[@#]\w+", re.UNICODE)
MAX_CHARS = 4000  # the first paragraphs settle the language; keeps huge posts cheap


@cache
def _letters() -> dict[str, frozenset[str]]:
    raw: dict[str, str] = read_yaml(_DATA)
    return {name: frozenset(chars) for name, chars in raw.items()}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _script_rule(text: str) -> str | None:
    letters = _letters()
    chars = set(text)
    if chars & letters["pashto_only"]:
        return "ps"
    if chars & letters["urdu_only"]:
        return "ur"
    persian = chars & letters["persian_letters"]
    arabic = chars & letters["arabic_only"]
    if persian and not arabic:
        return "fa"
    if arabic and not persian:
        return "ar"
    return None


def detect(text: str) -> tuple[str, float]:
    """The language of a text as an ISO 639-1 code (or 'und') and a confidence in 0..1."""
    sample = _NOISE.sub(" ", text[:MAX_CHARS])
    letters = _LETTERS.findall(sample)
    if len(letters) < 2:
        return UNDETERMINED, 0.0
    arabic_share = sum(1 for c in letters if _ARABIC_LETTER.match(c)) / len(letters)
    code, probability = _identifier().classify(sample)
    code = _ALIASES.get(code, code)
    arabic_script = ("ar", "fa", "ur", "ps", "ug", "ku", "ckb", "sd")
    if arabic_share > 0.5:
        ruled = _script_rule(sample)
        if ruled and (ruled != code or code not in arabic_script):
            return ruled, 0.9
        if code not in arabic_script:
            return "ar", 0.5
    return code, float(probability)


class LanguageStage:
    """Sets ``lang`` on each post."""

    name = "language"
    version = "1"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("lang",)

    def setup(self) -> None:
        """Load the model once."""
        _identifier()
        _letters()

    def run(self, batch: Sequence[Post]) -> None:
        """Detect each post's language."""
        for post in batch:
            post.lang = detect(post.text)[0]
