"""People named as the source of what a post reports, after "according to": "بحسب زاخاروفا، ...", "ووفقا
لشومسكي فإن ...", "على حد قول ...", "به گفته محمدزاده ، ...". The words after the cue (``according_to`` in
``data/ner_cues.yaml``), at most three, up to a comma, a colon or "فإن", are a person's name when none of them is
a stop word, a common subject ("المصادر", "منابع", "وی"), a common word, a title or an organisation's, place's or
outlet's noun, and the first word is a name part or no plural and has no pronoun or feminine ending ("بحسب
قوله": by his words; "به گفته شاهدان عینی": by eyewitnesses). The source a report quotes, "عن X قوله", is a
person too (``quoted_from``), and so is the one whose statements, warnings or articles a report names ("تصريحات
أنان", "استفزازات ماتيراتزي"), or a family's or dynasty's name ("أسرة مينغ", "عشيرة دينغ": ``clause_subject``).
So is the spokesman named after the body he speaks for (``spokesman``) and the one named after a nationality
(``after_origin``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from watchfloor.kb.normalize import ARTICLE, PREPOSITIONS_APART, Token, has_arabic, normalize
from watchfloor.pipeline.cue_data import cue_table
from watchfloor.pipeline.recognize_cues import (
    Cues,
    Span,
    cue_at,
    cues,
    cues_for,
    has_article,
    is_nisba,
    is_place_adjective,
    is_stop,
    joined,
    stems,
)
from watchfloor.pipeline.recognize_runs import SECOND_HALVES, ends_name, is_common, person_run, suffix_free, verb_like

__all__ = ["according_to", "quoted_from", "clause_subject", "spokesman", "after_origin", "object_follows"]

MAX_WORDS = 3
_THEN = frozenset(normalize(w) for w in ("فإن", "إن", "فقد"))  # what goes on after the source in Arabic
_TAKE_LI = frozenset(normalize(w) for w in ("وفقا", "ووفقا", "طبقا", "وطبقا"))  # "وفقا لشومسكي"
_LI = "\u0644"
_PLURALS_FA = tuple(normalize(w) for w in ("ان", "ها", "های", "ین"))


def _nouns(table: Cues) -> tuple[frozenset[tuple[str, ...]], ...]:
    """The cue lists whose words are no part of a source's name: titles, roles, and organisation, place and
    outlet nouns (``according_to``, ``quoted_from`` and ``clause_subject`` stop at them)."""
    return table.person_titles, table.person_roles, table.organisation_heads, table.place_heads, table.media_heads


def _singular_fa(norm: str) -> bool:
    """A Persian word of three letters or more that is no plural ("شاهدان", "محققان", "مسئولین", "گروهها")."""
    return len(norm) >= 3 and not norm.endswith(_PLURALS_FA)


def _gap_after(text: str, tokens: list[Token], k: int) -> str:
    """What stands between token k and the next one (to the text's end after the last)."""
    return text[tokens[k].end:tokens[k + 1].start] if k + 1 < len(tokens) else text[tokens[k].end:]


def _pause_after(text: str, tokens: list[Token], k: int) -> bool:
    """Whether a comma or a colon follows token k."""
    return any(mark in _gap_after(text, tokens, k) for mark in (",", "\u060c", ":"))


def _sentence_ends(text: str, tokens: list[Token], k: int) -> bool:
    """Whether the text or its sentence ends after token k."""
    return k + 1 == len(tokens) or any(mark in _gap_after(text, tokens, k) for mark in (".", "\u061f", "?", "!",
                                                                                        "\u061b", ";", "\n"))


@cache
def _cues() -> dict[str, frozenset[tuple[str, ...]]]:
    table: dict[str, list[str]] = cue_table()["according_to"]
    return {lang: frozenset(tuple(normalize(v).split()) for v in values) for lang, values in table.items()}


def according_to(text: str, tokens: list[Token], lang: str | None, name_word: Callable[[str], bool]) -> list[Span]:
    """The people named after "according to" in Arabic-script text."""
    arabic = lang not in PREPOSITIONS_APART
    table = cues_for(lang)
    heads = _cues()["ar" if arabic else "fa"]
    nouns = _nouns(table)
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
        # the end of the sentence closes a name the index knows: "... على حد قول سنو."
        closed = closed or (end > j and _sentence_ends(text, tokens, end - 1) and name_word(first))
        if not closed or not (name_word(first) or (suffix_free(first) if arabic else _singular_fa(first))):
            continue
        found.append(Span("person", tokens[j].start + (1 if attached else 0), tokens[end - 1].end, "according-to"))
    return found


_FROM = frozenset(normalize(w) for w in ("عن", "وعن"))
_HIS_WORDS = frozenset(normalize(w) for w in ("قوله", "قولها", "قولهما"))  # not "قولهم": sources, witnesses


def _family_name(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A family name with the article: known with it ("الحريري") or without ("البارزاني": "بارزاني")."""
    article = norm.startswith(ARTICLE)
    return name_word(norm) or (article and name_word(norm[2:]) and not is_common(norm, name_word))


def quoted_from(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """The person an Arabic report quotes as "عن X قوله" ("ونقلت الوكالة عن زيباري قوله إن ...", "ونقل عن
    وزير الخارجية هوشيار زيباري قوله"): the words before "قوله", at most three, back to "عن" or a title; a
    family name with the article only last ("عن البارزاني قوله"). Not a source named by a common noun ("عن
    مصدر مسؤول قوله", "عن المتحدث باسم الجيش قوله")."""
    table = cues_for("ar")
    nouns = _nouns(table)
    found: list[Span] = []
    for end in range(1, len(tokens)):
        if tokens[end].norm not in _HIS_WORDS or not joined(text, tokens, end):
            continue
        start = end
        while start > 0 and end - start < MAX_WORDS and joined(text, tokens, start):
            norm = tokens[start - 1].norm
            if (not has_arabic(norm) or norm in _FROM or is_stop(norm, table) or norm in table.not_names
                    or is_common(norm, name_word) or (is_nisba(norm) and start < end)
                    or (has_article(norm) and (start < end or not _family_name(norm, name_word)))
                    or any(cue_at(tokens, text, start - 1, cue) for cue in nouns)):
                break
            start -= 1
        # "عن" or a title right before the name, after "عن" ("عن وزير الدفاع جوونو سودارسونو قوله")
        titled = any(cue_at(tokens, text, k, cue) for cue in nouns[:2] for k in range(max(0, start - 3), start))
        opened = start > 0 and (tokens[start - 1].norm in _FROM or titled and any(
            tokens[k].norm in _FROM for k in range(max(0, start - 6), start)))
        if start == end or not opened or not (name_word(tokens[start].norm) or suffix_free(tokens[start].norm)):
            continue
        found.append(Span("person", tokens[start].start, tokens[end - 1].end, "quoted-from"))
    return found


_THAT = frozenset(normalize(w) for w in ("أن", "إن", "بأن", "وأن", "لأن", "كان", "وكان"))
# what a person says or writes, before the person's name ("تصريحات أنان", "استفزازات ماتيراتزي", "مقالات محفوظ"),
# and a family or dynasty before its family name ("أسرة مينغ", "عشيرة دينغ")
_SAYINGS = frozenset(normalize(w) for w in ("تصريحات", "تحذيرات", "انتقادات", "اتهامات", "استفزازات", "تهديدات",
                                            "مقالات", "مذكرات", "تغريدات", "أسرة", "أسرتي", "عائلة", "عشيرة"))
_AUXILIARY = frozenset(normalize(w) for w in ("قد", "لم", "لن", "سوف", "كان", "سيكون", "يجب"))


def clause_subject(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """The subject of an Arabic clause opened by "أن" or "كان" and followed by an auxiliary, a verb of saying or a
    title in apposition ("أن أدريانز كان يعتقد", "وكان كين قد رحل", "أن ايبرمان أكد", "إن سيلفا مدرب"): one word,
    or a name part and one more, that has no article, is no common word, stop word, place or cue word, has no
    pronoun ending and is no accusative noun ("أن صاروخا قد"; "أن محمدا قد" is a name)."""
    table = cues_for("ar")
    nouns = _nouns(table)

    def name_like(k: int) -> bool:
        norm = tokens[k].norm
        return (has_arabic(norm) and not has_article(norm) and not is_stop(norm, table) and norm not in table.not_names
                and not is_common(norm, name_word) and (norm,) not in table.places and len(norm) >= 3
                and (name_word(norm) or suffix_free(norm)) and not any(cue_at(tokens, text, k, cue) for cue in nouns)
                # the accusative after "أن" marks a noun ("أن صاروخا قد"); a name declines only if it is Arabic
                and (not norm.endswith("\u0627") or name_word(norm) or name_word(norm[:-1]))
                and not (norm[:1] == "\u0648" and name_word(norm[1:]))  # no "و" here: "وفدا" is a delegation
                # a plural the index does not know as a name: "غارات" (raids), "قتلى" (the dead)
                and (name_word(norm) or not (norm.endswith("\u0627\u062a") and len(norm) >= 5
                                             or text[tokens[k].start:tokens[k].end].endswith("\u0649"))))

    found: list[Span] = []
    for i in range(1, len(tokens)):
        # an adjective of the feminine plural is no name: "مقالات علمية", "تصريحات صحفية"
        said = any(f in _SAYINGS for f in stems(tokens[i - 1].norm)[:2]) and not has_article(tokens[i - 1].norm) and (
            name_word(tokens[i].norm) or not tokens[i].norm.endswith("\u064a\u0647"))
        if (tokens[i - 1].norm not in _THAT and not said) or not joined(text, tokens, i) or not name_like(i):
            continue
        n = 2 if (i + 2 < len(tokens) and name_word(tokens[i].norm) and joined(text, tokens, i + 1)
                  and name_like(i + 1)) else 1
        after = i + n
        if said and (after == len(tokens) or not joined(text, tokens, after) or is_stop(tokens[after].norm, table)
                     or is_common(tokens[after].norm, name_word) or verb_like(tokens[after].norm)
                     or (has_article(tokens[after].norm) and tokens[after].norm not in SECOND_HALVES)):
            found.append(Span("person", tokens[i].start, tokens[after - 1].end, "sayings-of"))
        elif after < len(tokens) and joined(text, tokens, after) and (
                tokens[after].norm in _AUXILIARY or cue_at(tokens, text, after, table.subject_verbs)
                # or a title or role in apposition, in construct: "إن ماركو سيلفا مدرب فولهام سيبقى"
                or not has_article(tokens[after].norm) and (cue_at(tokens, text, after, table.person_titles)
                                                            or cue_at(tokens, text, after, table.person_roles))):
            found.append(Span("person", tokens[i].start, tokens[after - 1].end, "clause-subject"))
    return found


def spokesman(text: str, tokens: list[Token], i: int, table: Cues, name_word: Callable[[str], bool],
              tests: tuple[Callable[[str], bool] | None, ...] = ()) -> int:
    """The words of a spokesman's name from token i, after the body he speaks for ("المتحدث باسم وزارة الدفاع جون
    كيربي", "ناطق باسم الخارجية الأميركية شون ماكورماك"), or 0: two words or more, one of them a name part (by
    ``name_word`` or one of ``tests``), or two words that end where a name ends."""
    m = person_run(text, tokens, i, table, name_word, first_known=False) \
        if i < len(tokens) and joined(text, tokens, i) else 0
    words = [tokens[k].norm for k in range(i, i + m)]
    if m >= 2 and (any(test(w) for test in (name_word, *tests) if test for w in words)
                   or (m == 2 and ends_name(text, tokens, i + m, table))):
        return m
    return 0


def after_origin(text: str, tokens: list[Token], i: int, table: Cues, name_word: Callable[[str], bool]) -> int:
    """The words of a name after a nationality or origin at token i ("الفرنسي تييري هنري", "والياباني هاروكي
    موراكامي", "وكذلك الروسية سفتلانا كوزنتسوفا"), or 0: a name the index knows in part, or one shaped as a
    foreign name after a place's adjective ("الروسي مارات سافين"), that ends cleanly or before a description;
    not a clause going on ("الشعب العراقي ومرورا", "الجانب الفلسطيني بتنفيذ"). The feminine qualifies a noun
    more often than it names a woman ("القوات الأميركية اقتحمت"): after it, two words or more, no "و"."""
    norm, j = tokens[i].norm, i + 1
    feminine = not (nisba := is_nisba(norm)) and has_article(norm) and is_place_adjective(norm, table)
    if not (feminine or nisba) or j >= len(tokens) or not joined(text, tokens, j) or has_article(
            tokens[j].norm):
        return 0
    n = person_run(text, tokens, j, table, name_word, first_known=False)
    described = n >= 2 and j + n < len(tokens) and joined(text, tokens, j + n) \
        and has_article(tokens[j + n].norm) and not name_word(tokens[j + n].norm)  # "... ليوبيسيتش المصنف"
    foreign = is_place_adjective(norm, table) and tokens[j].norm[:1] != "\u0648" and all(
        (suffix_free(tokens[k].norm) or (k < j + n - 1 and len(tokens[k].norm) == 3))  # "رود فان نيستلروي"
        and not verb_like(tokens[k].norm) for k in range(j, j + n))
    if n and (foreign or any(name_word(tokens[k].norm) for k in range(j, j + n))) and (
            described or ends_name(text, tokens, j + n, table)) and not (
            feminine and (n < 2 or tokens[j].norm[:1] == "\u0648")):
        return n
    return 0


def object_follows(text: str, tokens: list[Token], j: int, n: int, name_word: Callable[[str], bool]) -> bool:
    """Whether the object follows a subject of known name parts after a verb: "وتوقع فارس تزايد الأضرار",
    "وأضاف راوول الهدف الثاني"; not a title ("استقبل سعادة الشيخ") or a two-letter word ("يضيف لي")."""
    k = j + n
    table = cues()
    # or one word the index does not know, shaped as a name by itself: "ورحب كوفمان بقرار ..."
    known = all(name_word(tokens[m].norm) and len(tokens[m].norm) > 2 for m in range(j, k)) or (
        n == 1 and suffix_free(tokens[j].norm) and not has_article(tokens[j].norm))
    return bool(n) and k < len(tokens) and known \
        and (is_common(tokens[k].norm, name_word) or has_article(tokens[k].norm)) \
        and not any(cue_at(tokens, text, k, cue) for cue in (table.person_titles, table.person_roles))
