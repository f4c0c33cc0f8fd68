"""Names after a title that the person rule (``recognize_runs.person_run``) does not take: a name with the article
after a king's, imam's or prince's title ("الملك الحسين", "الأمير الوليد بن طلال"), a ruler's family name alone
("الرئيس الأسد", "أسرة الدويك"), an Imam's epithet, a common word elsewhere ("الإمام الرضا", "الإمام الكاظم"),
a king's ordinal ("الملك عبد الله الثاني"), one word after "called" ("تدعى جنجر") and a cleric's family name
alone after his rank ("آية الله السيستاني")."""

from __future__ import annotations

from collections.abc import Callable

from watchfloor.kb.normalize import Token, normalize
from watchfloor.pipeline.recognize_cues import Cues, has_article, is_nisba, is_stop, joined, stems
from watchfloor.pipeline.recognize_runs import ELATIVES, LINEAGE, ends_name, is_common, suffix_free

__all__ = ["ROYAL", "RULERS", "ORDINALS", "CALLED", "royal_name", "imam_epithet", "titled", "after_cleric"]

# the titles that take a name with the article: "الملك الحسين", "الإمام الرضا" (not "الفريق العائد": the team)
ROYAL = frozenset(normalize(w) for w in ("الملك", "الإمام", "الأمير", "السلطان", "الخليفة", "الشريف"))
# the titles and nouns a family name alone follows where it ends the name: "الرئيس الأسد أن", "أسرة الدويك"
RULERS = frozenset(normalize(w) for w in ("الرئيس", "الشيخ", "الزعيم", "القائد", "الوزير", "السيد", "الجنرال", "المرشد",
                                         "العقيد", "اللواء", "الفريق", "أسرة", "عائلة"))
ORDINALS = frozenset(normalize(w) for w in ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع"))
_IMAM = normalize("الإمام")
# the twelve Imams' epithets, common words or adjectives elsewhere ("الصادق", "الهادي", "العسكري")
_EPITHETS = frozenset(normalize(w) for w in ("السجاد", "الباقر", "الصادق", "الكاظم", "الرضا", "الجواد", "الهادي",
                                            "العسكري", "المهدي"))
_AL, _ABD = normalize("آل"), normalize("عبد")
# "called": one word after it is a name if nothing else ("فتاة تدعى جنجر"); "يسمى" names things too ("ما يسمى")
CALLED = frozenset(normalize(w) for w in ("يدعى", "تدعى", "المدعو", "المدعوة"))


def titled(norm: str, titles: frozenset[str]) -> bool:
    """Whether the word is one of the titles, with a preposition or conjunction written onto it or not ("للإمام",
    "والملك")."""
    return any(stem in titles for stem in stems(norm)[:3])


def imam_epithet(tokens: list[Token], j: int) -> bool:
    """Token j is an Imam's epithet after "الإمام" ("للإمام الرضا")."""
    return j > 0 and tokens[j].norm in _EPITHETS and _IMAM in stems(tokens[j - 1].norm)


def royal_name(text: str, tokens: list[Token], j: int, n: int, name_word: Callable[[str], bool]) -> int:
    """The length of a name after a king's, imam's or prince's title from token j, ``n`` as the person rule
    found it: a name with the article ("الملك الحسين", "الأمير الوليد بن طلال", "الإمام الرضا"), which that rule
    does not take, and a king's ordinal after the name ("الملك عبد الله الثاني", "الملك الراحل الحسن الثاني")."""
    word = tokens[j].norm
    if not n and has_article(word) and ((name_word(word) and not is_nisba(word) and not is_common(word, name_word))
                                        or imam_epithet(tokens, j)):
        n = 1
        # "بن" or "آل" and a name part, again and again: "الوليد بن طلال بن عبدالعزيز آل سعود" ("عبد" written joined)
        while j + n + 1 < len(tokens) and tokens[j + n].norm in LINEAGE | {_AL} and joined(text, tokens, j + n) \
                and joined(text, tokens, j + n + 1) and (name_word(nxt := tokens[j + n + 1].norm)
                                                         or (nxt.startswith(_ABD) and len(nxt) > 5)):
            n += 2
    if n and j + n < len(tokens) and joined(text, tokens, j + n) and tokens[j + n].norm in ORDINALS:
        n += 1
    return n


_CLERICS = frozenset(normalize(w) for w in ("آية", "آيه", "حجة"))  # "آية الله (العظمى)", "حجة الإسلام"


def after_cleric(text: str, tokens: list[Token], i: int, j: int, table: Cues, name_word: Callable[[str], bool]) -> int:
    """1 where token j, after a cleric's rank of two words or more from token i ("آية الله", "آية الله العظمى"), is a
    family name alone where the name ends ("آية الله السيستاني إن", "آية الله طبسي في"): no common or stop word,
    nor "أكبر" (the verse "الله أكبر"). The rank is written as part of such a name, and the span holds it (as
    ANERcorp's annotators hold it too)."""
    if j <= i + 1 or j >= len(tokens) or tokens[i].norm not in _CLERICS or not joined(text, tokens, j):
        return 0
    word = tokens[j].norm
    return int(suffix_free(word) and not is_common(word, name_word, True) and not is_stop(word, table)
               and word not in ELATIVES and ends_name(text, tokens, j + 1, table))
