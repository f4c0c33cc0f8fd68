"""The shapes of Arabic words that make no part of a name, read from the letters alone: verbs (a plural, a future,
a present, a past of the eighth or tenth form), verbal nouns with a pronoun, and pronoun endings; and the frequent
words of wordfreq, which end a person's name in Arabic text. Each test is for a word the index of names does not
know; the callers ask the index first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.cue_data import COMMON_WORDFREQ, bare_as_written, common_word_list

if TYPE_CHECKING:
    from watchfloor.pipeline.recognize_cues import Cues

__all__ = ["verb_like", "verb_after_name", "possessed_action", "object_shape", "suffix_free", "servant_of", "holds",
           "frequent", "frequent_words", "POSSESSED", "PREPOSITIONS", "SUFFIXES"]

PREPOSITIONS = "\u0628\u0644"  # ب ل: a clitic preposition opens no word inside a name (ك opens "كوستا")
_ISTAF = "\u0627\u0633\u062a"  # است, the tenth form's prefix
POSSESSED = tuple(normalize(w) for w in ("ته", "تها", "تهم", "اته", "اتها"))  # "مقدمته", "حكومتها"
SUFFIXES = tuple(normalize(w) for w in ("ها", "هم", "هما", "كم", "هن"))


def verb_like(norm: str) -> bool:
    """A plural verb ("سيطروا"), a verbal noun after ب or ل ("بتمزق", "لتعزيز") or a past verb of the tenth form
    ("استطاع", "واستقبل"; not "استيفن"): no part of a name."""
    bare = norm[1:] if norm[:1] == "\u0648" else norm
    return (norm.endswith("\u0648\u0627") and len(norm) >= 4) or (
        norm[:1] in PREPOSITIONS and norm[1:2] == "\u062a" and len(norm) >= 5) or (
        bare.startswith(_ISTAF) and len(bare) == 6 and bare[3] not in "\u064a\u0648")


def verb_after_name(norm: str) -> bool:
    """A verb's shape that ends a name of two words or more when the index does not know the word: the future
    ("ستزور", "سيلتقيان"), a present ("يهاجم", "يدافع"; not "ينزي", "يودويونو"), a past of the eighth form
    ("اتفق", "انتقد") or a feminine past of four letters ("لفتت")."""
    future = norm[:1] == "\u0633" and norm[1:2] in "\u064a\u062a\u0646" and len(norm) >= 5
    present = norm[:1] == "\u064a" and 4 <= len(norm) <= 6 and "\u0648" not in norm[1:] \
        and norm[-1] not in "\u064a\u0627"
    eighth = (len(norm) == 5 and norm[0] == "\u0627" and norm[2] == "\u062a") or (
        len(norm) == 4 and norm[:2] == "\u0627\u062a")
    return future or present or eighth or (len(norm) == 4 and norm[-1] == "\u062a")


def possessed_action(norm: str) -> bool:
    """A verbal noun of a derived verb with his "ه" ("ابتعاده", "استعداده", "انسحابه"; not "اکبرزاده"): the object
    after a name, no part of it."""
    derived = norm[2:3] == "\u062a" or norm.startswith(("\u0627\u0646", _ISTAF))  # افتعال, انفعال, استفعال
    return len(norm) >= 6 and norm[0] == "\u0627" and norm[-1] == "\u0647" and norm[-3] == "\u0627" and derived


def object_shape(norm: str) -> bool:
    """A word with a pronoun on it ("فتابعها", "ابعدها"), or a plural in "ات" with a preposition or conjunction
    written on it ("بمجهودات"): a verb or its object after a name, no part of it (names of five letters or more
    end in neither)."""
    plural = len(norm) >= 6 and norm[0] in "\u0628\u0644\u0641\u0648" and norm.endswith("\u0627\u062a")
    return plural or (len(norm) >= 5 and norm.endswith(SUFFIXES))


def suffix_free(norm: str) -> bool:
    """Whether an unknown word may be a name by itself after a verb of saying: four letters or more, and no
    pronoun or feminine ending ("ويعتبر اكتشافه", "لتؤكد وقوفها"; a foreign name keeps its "يه": "جوزيه"), no
    plural participle ("وطالب محتجون", "وقال مسلحون")."""
    participle = norm[:1] == "\u0645" and norm.endswith(("\u0648\u0646", "\u064a\u0646")) and len(norm) >= 6
    return len(norm) >= 4 and not norm.endswith(SUFFIXES) and not participle and (
        not norm.endswith("\u0647") or norm.endswith("\u064a\u0647"))


_SERVANT_OF = "\u0639\u0628\u062f\u0627\u0644"  # عبدال


def servant_of(norm: str) -> bool:
    """A compound given name written as one word, "عبد" and one of God's names with the article ("عبدالعزيز",
    "وعبدالحميد"), which the index knows only as two words; three letters at least after the article."""
    bare = norm[1:] if norm[:1] == "\u0648" else norm
    return bare.startswith(_SERVANT_OF) and len(bare) >= len(_SERVANT_OF) + 3


def holds(words: frozenset[str], norm: str) -> bool:
    """Whether ``words`` hold a normalised word, or it after "و"."""
    return norm in words or (norm[:1] == "\u0648" and norm[1:] in words)


def frequent_words(table: Cues) -> frozenset[str]:
    """wordfreq's frequent words that no list of names knows, where ``table`` is Arabic text's (``cues_for``): they end
    a person's name there; in Persian and Urdu, or as a place's or a club's word ("برشلونة"), they count for nothing."""
    return common_word_list(COMMON_WORDFREQ) if table.place_heads is table.place_heads_ar else frozenset()


def frequent(norm: str, words: frozenset[str] | None = None) -> bool:
    """Whether a word, or the word after its "و", is one of wordfreq's frequent words (``words``: those of the
    text's table; all by default). No other clitic comes off: "فيراني" is no "يراني" (he sees me). A word the text
    writes with a hamza before its lam has no article ("ألبيرتو"), unlike the frequent words it looks like."""
    words = common_word_list(COMMON_WORDFREQ) if words is None else words
    return holds(words, norm) and not bare_as_written(norm) and not servant_of(norm)
