"""Normalising names for matching across scripts and transliterations.

Arabic script: diacritics and tatweel removed; alef forms, hamza carriers, ya and alef maqsura, ta
marbuta and the Persian/Urdu letter variants folded onto one form; the zero-width non-joiner treated
as a space (so حزب‌الله and حزب الله match); Eastern digits made ASCII.
Latin: accents and ayn/hamza marks removed, the article al-/el-/ul- dropped, and the spelling
variation of romanised Arabic and Persian folded: q and gh → k, ou → u, e → i, o → u, y → i, w → u,
doubled letters single, a run of vowels reduced to its first, a final h after a vowel dropped. So
Hizbullah and Hezbollah, Qaani/Ghaani/Kaani, Haniyeh/Haniya, Hussein/Hossein give the same key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Token", "normalize", "normalize_arabic", "normalize_latin", "tokenize", "arabic_prefix_variants",
           "script_of", "has_arabic"]

_ARABIC_RANGE = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC = re.compile(f"[{_ARABIC_RANGE}]")
# combining marks of the Arabic script: tashkeel, Quranic marks, superscript alef; and tatweel
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# invisible characters that only shape or direct text
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_ARABIC_FOLD = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u06d2": "\u064a", "\u06d0": "\u064a",  # ى ی ے ې → ي
    "\u0626": "\u064a",  # ئ → ي
    "\u0624": "\u0648",  # ؤ → و
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06d5": "\u0647",  # ة ۀ ہ ە → ه
    "\u06a9": "\u0643", "\u06aa": "\u0643",  # ک ڪ → ك
    "\u200c": " ",  # zero-width non-joiner separates words for matching
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06f0 + d): str(d) for d in range(10)},  # Persian digits
})
_WORD_CHAR = "\\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKEN = re.compile(f"[^\\W_](?:[{_WORD_CHAR}]|['\u2019\u02bc\u02be\u02bf](?=[^\\W_]))*")
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u02b9]")
_ARTICLES = {"al", "el", "ul", "il"}
_LATIN_FOLDS = (("ou", "u"), ("gh", "k"), ("q", "k"), ("ck", "k"), ("ph", "f"), ("e", "i"), ("o", "u"),
                ("y", "i"), ("w", "u"))
_DOUBLE = re.compile(r"(.)\1+")
_VOWEL_RUN = re.compile(r"([aiu])[aiu]+")


@dataclass(frozen=True)
class Token:
    """A word: its normalised form and its span in the original string."""

    norm: str
    start: int
    end: int


def has_arabic(text: str) -> bool:
    """True when the text holds an Arabic-script letter."""
    return _ARABIC.search(text) is not None


def normalize_arabic(text: str) -> str:
    """Arabic-script text folded for matching (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    return " ".join(text.translate(_ARABIC_FOLD).split())


def _fold_latin_word(word: str) -> str:
    for old, new in _LATIN_FOLDS:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    word = _VOWEL_RUN.sub(r"\1", word)
    if len(word) > 3 and word.endswith("h") and word[-2] in "aiu":
        word = word[:-1]
    return word


def normalize_latin(text: str) -> str:
    """Latin-script text folded for matching romanised names (see the module docstring)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", _INVISIBLE.sub("", text))
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and w not in _ARTICLES]
    return " ".join(_fold_latin_word(w) for w in words)


def normalize(text: str) -> str:
    """Text folded for matching: Arabic-script words and Latin words each by their own rules."""
    return " ".join(t.norm for t in tokenize(text) if t.norm)


def _normalize_word(word: str) -> str:
    return normalize_arabic(word) if has_arabic(word) else normalize_latin(word)


def tokenize(text: str) -> list[Token]:
    """Words with their normalised forms and spans in the original text (ZWNJ and _ split words)."""
    return [Token(_normalize_word(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def arabic_prefix_variants(norm: str) -> list[str]:
    """A normalised word, then the forms left by taking off a conjunction (و ف), a preposition (ب ل ك)
    and the article (ال), never leaving fewer than two letters; ``لل`` gives the word with its article."""
    variants = [norm]
    if not has_arabic(norm):
        return variants
    stems = [norm]
    for letters in ("وف", "بلك"):
        stems += [s[1:] for s in stems if s[:1] in letters and len(s) > 3]
    for stem in stems:
        variants.append(stem)
        if stem.startswith("ال") and len(stem) > 3:
            variants.append(stem[2:])
        if stem.startswith("ل") and stem[1:2] == "ل" and len(stem) > 3:  # لل = ل + ال
            variants += [stem[2:], "ال" + stem[2:]]
    return list(dict.fromkeys(v for v in variants if len(v) >= 2))


def script_of(text: str) -> str:
    """'arabic', 'latin', 'mixed' or 'other' by the letters the text holds."""
    arabic = has_arabic(text)
    latin = re.search("[A-Za-z\u00c0-\u024f]", text) is not None
    if arabic and latin:
        return "mixed"
    return "arabic" if arabic else "latin" if latin else "other"
