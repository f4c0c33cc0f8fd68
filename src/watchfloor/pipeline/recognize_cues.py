"""The cue tables and word tests the name rules share (``recognize.py``, ``recognize_fa.py``, ``tagger.py``):
the trigger words of ``data/ner_cues.yaml``, the CLDR's place names, the common words, and how a word is
matched against them (clitics و ف ب ل ك and the article taken off, cues of up to three words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import ARTICLE, Token, arabic_prefix_variants, normalize, tokenize
from watchfloor.pipeline import cue_data
from watchfloor.pipeline.cue_data import article_names, cue_table, known_organisations, organisation_firsts

__all__ = ["Span", "Cues", "cues", "words_of", "cue_at", "joined", "glued", "TYPES", "stems", "has_article", "is_nisba",
           "is_stop", "is_place_word", "is_place_adjective", "places_of", "place_name_word", "is_ali", "complement",
           "opens_complement", "adjective_after", "clause_goes_on", "ARTICLE_AFTER_LI", "NOT_COMPLEMENTS",
           "CLITIC_ARTICLE"]

_DATA = Path(__file__).parent / "data"
TYPES = ("person", "organization", "place")
_BREAK = set(".,;:!?()[]{}«»\"“”،؛؟۔/\\|-–—\n")


@dataclass(frozen=True)
class Span:
    """A name found in the text: its type, character span and the signal that found it."""

    type: str
    start: int
    end: int
    signal: str
    whole: str | None = None  # the fuller name this one stands for ("Weber" found again after "Karl Weber")


def _norm_set(lists: dict[str, list[str]], langs: Iterable[str] | None = None) -> frozenset[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for lang, words in lists.items():
        if langs is not None and lang not in langs:
            continue
        for word in words:
            key = tuple(normalize(str(word)).split())
            if key:
                found.add(key)
    return frozenset(found)


@dataclass(frozen=True)
class Cues:
    """The trigger words, normalised, as token tuples."""

    person_titles: frozenset[tuple[str, ...]]
    person_roles: frozenset[tuple[str, ...]]
    person_introducers: frozenset[tuple[str, ...]]
    honorifics_fa: frozenset[tuple[str, ...]]  # titles a name follows at once, not offices ("رئیس دانشگاه")
    facility_heads_ar: frozenset[tuple[str, ...]]
    facility_heads_fa: frozenset[tuple[str, ...]]  # "استاد" is a stadium in Arabic, a master in Persian
    place_adjective_bases: frozenset[str]
    organisation_of: frozenset[tuple[str, ...]]
    organisation_heads: frozenset[tuple[str, ...]]
    place_heads: frozenset[tuple[str, ...]]
    place_heads_ar: frozenset[tuple[str, ...]]
    place_heads_fa: frozenset[tuple[str, ...]]  # "اقلیم" is a climate and "تحصیل" studies in Persian
    determiners_fa: frozenset[str]  # "این استان" is the province spoken of, no name
    place_before: frozenset[tuple[str, ...]]
    stop_words: frozenset[str]
    directions: frozenset[str]
    subject_verbs: frozenset[tuple[str, ...]]
    generic_heads: frozenset[tuple[str, ...]]
    media_heads: frozenset[tuple[str, ...]]
    media_words: frozenset[str]
    club_heads: frozenset[tuple[str, ...]]
    not_names: frozenset[str]
    places: frozenset[tuple[str, ...]]
    longest_place: int
    places_by_lang: dict[str, frozenset[tuple[str, ...]]]  # "ماهي" is Mahé in Arabic, "ماهی" a fish in Persian
    common: frozenset[str]  # data/ner_common_words.txt: words that end a person's name after it
    months: frozenset[tuple[str, ...]] = frozenset()  # every calendar's month names (data/months.yaml): no entity
    calendar: frozenset[str] = frozenset()  # those and the day words, one word each: stop words, some name parts
    titles_by_lang: dict[str, frozenset[tuple[str, ...]]] | None = None  # "امام" is a title in Persian only
    stops_by_lang: dict[str, frozenset[str]] | None = None  # "على" (on) is a stop word in Arabic only


@cache
def cues() -> Cues:
    """The cue lists of ``data/ner_cues.yaml`` and the CLDR place names, normalised once."""
    table: dict[str, dict[str, list[str]]] = cue_table()
    places_raw: dict[str, list[str]] = read_yaml(_DATA / "ner_places_cldr.yaml")
    places = _norm_set(places_raw)
    months: dict[str, dict[str, int]] = read_yaml(_DATA / "months.yaml")
    relative: dict[str, dict[str, dict[str, int]]] = read_yaml(_DATA / "relative_dates.yaml")
    month_names = [m for ms in months.values() for m in ms]
    # the day words of the languages the names stage reads in Arabic script (and English)
    calendar_words = month_names + [w for kind in ("days", "weekdays") for code in ("en", "ar", "fa", "ur")
                                    for w in relative[kind].get(code, {})]
    stop_lists = {**table["stop_words"], "calendar": calendar_words}
    stops = frozenset(k[0] for k in _norm_set(stop_lists) if len(k) == 1)
    return Cues(person_titles=_norm_set(table["person_titles"]), person_roles=_norm_set(table["person_roles"]),
                titles_by_lang={lang: _norm_set(table["person_titles"], (lang,)) for lang in table["person_titles"]},
                stops_by_lang={lang: frozenset(k[0] for k in _norm_set(stop_lists, (lang, "calendar")) if len(k) == 1)
                               for lang in table["stop_words"]},
                person_introducers=_norm_set(table["person_introducers"]),
                honorifics_fa=_norm_set(table["honorifics"]),
                facility_heads_ar=_norm_set(table["facility_heads"], ("ar",)),
                facility_heads_fa=_norm_set(table["facility_heads"], ("fa",)),
                place_adjective_bases=frozenset(k[0] for k in _norm_set(table["place_adjective_bases"])),
                organisation_of=_norm_set(table["organisation_of"]),
                organisation_heads=_norm_set(table["organisation_heads"]), place_heads=_norm_set(table["place_heads"]),
                place_heads_ar=_norm_set(table["place_heads"], ("ar",)),
                place_heads_fa=_norm_set(table["place_heads"], ("fa",)),
                determiners_fa=frozenset(k[0] for k in _norm_set(table["not_before_names"])),
                place_before=_norm_set(table["place_before"]), stop_words=stops,
                calendar=frozenset(k[0] for k in _norm_set({"calendar": calendar_words}) if len(k) == 1),
                directions=frozenset(k[0] for k in _norm_set(table["place_directions"])),
                subject_verbs=_norm_set(table["subject_verbs"]), generic_heads=_norm_set(table["generic_heads"]),
                media_heads=_norm_set(table["media_heads"]),
                media_words=frozenset(k[0] for k in _norm_set(table["media_words"])),
                club_heads=_norm_set(table["club_heads"]),
                not_names=frozenset(k[0] for k in _norm_set(table["not_names"]) if len(k) == 1), places=places,
                longest_place=max(len(k) for k in places),
                places_by_lang={lang: _norm_set(places_raw, (lang,)) for lang in places_raw},
                months=_norm_set({"months": month_names}),
                common=cue_data.common_word_list(cue_data.COMMON_SILVER))


def words_of(text: str) -> list[Token]:
    """The words of the text with their normalised forms (articles of Latin text dropped)."""
    return [t for t in tokenize(text) if t.norm]


def glued(text: str, tokens: list[Token], k: int) -> bool:
    """Whether token k is joined to the one before it by a zero-width non-joiner ("کتابخانه‌های")."""
    return k > 0 and text[tokens[k - 1].end:tokens[k].start] == "\u200c"


def joined(text: str, tokens: list[Token], i: int) -> bool:
    """Whether token i follows token i-1 with only spaces between them."""
    gap = text[tokens[i - 1].end:tokens[i].start]
    return len(gap) <= 3 and _BREAK.isdisjoint(gap)


stems = arabic_prefix_variants  # a word's clitic-stripped forms, kept per word


@lru_cache(maxsize=256)  # the words a table's cues begin with (a frozenset keeps its hash)
def first_words(table: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(cue[0] for cue in table if cue)


@lru_cache(maxsize=256)
def _longest(table: frozenset[tuple[str, ...]]) -> int:
    return max((len(cue) for cue in table), default=0)


def cue_at(tokens: list[Token], text: str, i: int, table: frozenset[tuple[str, ...]]) -> int:
    """Length of the longest cue in ``table`` that starts at token i (its first word may carry clitics), or 0."""
    firsts = first_words(table)
    starts = [stem for stem in stems(tokens[i].norm) if stem in firsts]
    if not starts:  # most words begin no cue: say so before looking at the words after them
        return 0
    for n in range(_longest(table), 0, -1):  # "فرهنگ و ارشاد اسلامی": four words
        if i + n > len(tokens) or any(not joined(text, tokens, k) for k in range(i + 1, i + n)):
            continue
        rest = tuple(t.norm for t in tokens[i + 1:i + n])
        if any((stem, *rest) in table for stem in starts):
            return n
    return 0


def has_article(norm: str) -> bool:
    names = article_names()  # "الكسندر" has none; nor has "إليود" in a text that writes it so
    return not cue_data.bare_as_written(norm) and any(s.startswith(ARTICLE) and s not in names for s in stems(norm)[:3])


def is_nisba(norm: str) -> bool:
    """A word with the article that ends in the relative suffix ي ("الياباني", "والفرنسي")."""
    return not cue_data.bare_as_written(norm) and any(s.startswith(ARTICLE) and s.endswith("\u064a") and len(s) >= 6
                                                      for s in stems(norm)[:3])


def places_of(table: Cues, lang: str | None) -> frozenset[tuple[str, ...]]:
    """The CLDR's place names in the language's own spelling (Arabic for unknown Arabic-script text), or every
    language's where the CLDR has none for it (Pashto)."""
    return table.places_by_lang.get(lang or "ar", table.places)


def is_place_word(norm: str, table: Cues) -> bool:
    return any((stem,) in table.places for stem in stems(norm))


def origin_fa(norm: str, table: Cues) -> bool:
    """A Persian adjective of origin made from a place the CLDR names: "ایرانی", "آمریکایی", "عراقی"."""
    for ending in ("\u064a\u064a", "\u0627\u064a", "\u064a"):  # ـیی, ـای, ـی, normalised
        if norm.endswith(ending) and len(norm) > len(ending) + 1 and (norm[:-len(ending)],) in table.places:
            return True
    return False


def is_place_adjective(norm: str, table: Cues) -> bool:
    """An Arabic adjective of origin made from a place the CLDR names: "اللبنانية", "الإيراني", "للكيني"."""
    forms = stems(norm)
    # its last clitic-free form; after "ل", which takes the article's alif ("للكيني": for the Kenyan), the form with
    # the article first ("للبنانية" may also be "ل" and "لبنانية")
    articled = [f for f in forms if f.startswith(ARTICLE)][:1] if norm[:2] == "\u0644\u0644" else []
    for bare in (*articled, *forms[-1:]):
        bare = bare[2:] if bare.startswith(ARTICLE) else bare
        ending = next((e for e in ("\u064a\u0647", "\u064a") if bare.endswith(e) and len(bare) - len(e) >= 2), "")
        base = bare[:-len(ending)] if ending else ""  # يه (the feminine, normalised), ي
        # "لبنان", "روسيا", "أمريكا", "العراق", "السعودية"
        named = (base, base + "\u0627", base + "\u064a\u0627", ARTICLE + base, ARTICLE + base + "\u064a\u0647")
        if base and (base in table.place_adjective_bases or any((form,) in table.places for form in named)):
            return True
    return False


@cache
def cues_for(lang: str | None) -> Cues:
    """``cues()`` with the place nouns and titles of the text's language: in Arabic (and unknown Arabic-script
    text) "بندر" is a given name, not the Persian port, "شهر" a month, and "أمام" (before) no Persian imam."""
    table = cues()
    titles = (table.titles_by_lang or {}).get(lang or "ar", table.person_titles)
    stops = (table.stops_by_lang or {}).get(lang or "ar", table.stop_words)
    if lang in (None, "ar"):
        return replace(table, place_heads=table.place_heads_ar, person_titles=titles, stop_words=stops)
    return replace(table, place_heads=table.place_heads_fa, person_titles=titles, stop_words=stops) \
        if lang == "fa" else replace(table, person_titles=titles, stop_words=stops)


def is_stop(norm: str, table: Cues) -> bool:
    return norm in table.stop_words or any(s in table.stop_words for s in stems(norm)[1:2])


ARTICLE_AFTER_LI = normalize("لل")  # "ل" and the article: "للاستثمار"
CLITIC_ARTICLE = tuple(normalize(w) for w in ("لل", "بال", "كال", "وال", "فال", "ولل", "وبال", "فبال"))
NOT_COMPLEMENTS = frozenset(normalize(w) for w in (
    "للمرة", "لمدة", "للغاية", "للتو", "لذلك", "للحظة", "لأول", "لاول", "للحديث", "للصحفيين", "للصحافيين",
    "للصحافة", "للإعلام", "للاعلام", "لوسائل", "للأنباء", "للانباء", "لوكالة", "لقناة", "لصحيفة", "للتلفزيون"))


def opens_complement(norm: str) -> bool:
    """Whether a word is "ل" with the article that may open an organisation's complement ("للاستثمار"), not
    what a sentence goes on with ("للمرة", "للصحفيين")."""
    return norm.startswith(ARTICLE_AFTER_LI) and norm not in NOT_COMPLEMENTS


def complement(text: str, tokens: list[Token], k: int, table: Cues) -> int:
    """The words of an Arabic organisation's name after "ل" from token k: "لحقوق الإنسان", "للأعمال الإنسانية",
    "لدول الخليج العربية"; not the words a sentence goes on with ("للمرة الثانية", "قال ... للصحفيين")."""
    if k < 1 or k >= len(tokens) or not joined(text, tokens, k) or tokens[k].norm in NOT_COMPLEMENTS \
            or tokens[k - 1].norm.startswith(CLITIC_ARTICLE) or cue_at(tokens, text, k, table.organisation_heads):
        return 0  # "اللجنة التنفيذية لمنظمة التحرير": the organisation after "ل" is another one
    norm = tokens[k].norm
    after = k + 1 < len(tokens) and joined(text, tokens, k + 1) and has_article(tokens[k + 1].norm) \
        and not is_stop(tokens[k + 1].norm, table)
    if not (opens_complement(norm) or (norm[:1] == "\u0644" and len(norm) > 3 and after)):
        return 0
    n = 1
    while k + n < len(tokens) and n < 4 and joined(text, tokens, k + n) and has_article(tokens[k + n].norm) \
            and not is_stop(tokens[k + n].norm, table) and not cue_at(tokens, text, k + n, table.person_titles):
        n += 1
    return n


def clause_goes_on(text: str, tokens: list[Token], k: int, table: Cues) -> bool:
    """Whether a verb of saying's subject may end before token k: the text's or clause's end, a stop word, a preposition
    with the article ("بيرغمان للصحفيين"), an office in construct ("كلوب مدرب نادي"; "الخليفة" may be a name)."""
    return k == len(tokens) or not joined(text, tokens, k) or tokens[k].norm in table.stop_words \
        or tokens[k].norm.startswith(CLITIC_ARTICLE) or not has_article(tokens[k].norm) and bool(
            cue_at(tokens, text, k, table.person_titles) or cue_at(tokens, text, k, table.person_roles))


def at_line_start(text: str, start: int) -> bool:
    """Whether ``start`` opens the text or a line (a dateline's place: "الدوحة - قنا :", "کیش ـ به گزارش")."""
    return not text[:start].strip() or "\n" in text[max(0, start - 3):start]


def adjective_after(text: str, tokens: list[Token], i: int, table: Cues) -> bool:
    """Whether token i is an adjective of origin agreeing with the word before it ("الحركة السورية")."""
    return i > 0 and joined(text, tokens, i) and has_article(tokens[i].norm) and has_article(tokens[i - 1].norm) \
        and is_place_adjective(tokens[i].norm, table)


_ALI = normalize("علي")
_SON = frozenset(normalize(w) for w in ("بن", "ابن"))


def is_ali(text: str, tokens: list[Token], k: int, name_word: Callable[[str], bool]) -> bool:
    """Whether token k is the name Ali, not the preposition "على" that normalising folds into it: written with
    the Persian ye ("علی"), or with the Arabic ya before a name part ("العميد علي الحسني", not "علي توقعات")."""
    if tokens[k].norm != _ALI:
        return False
    last = text[tokens[k].end - 1:tokens[k].end]
    if last in ("\u06cc", "\u0649"):  # ی, ى
        return last == "\u06cc"
    if k + 1 < len(tokens) and joined(text, tokens, k + 1) and (
            name_word(tokens[k + 1].norm) or tokens[k + 1].norm in _SON):
        return True  # "علي الحسني", "علي بن أبي طالب"
    if k > 0 and joined(text, tokens, k) and tokens[k - 1].norm in _SON:
        return True  # "الحسن بن علي"
    # after a name part, at the end of the clause: "وقال محمد علي إن ...", not "حصل محمد علي الجائزة"
    ends = k + 1 == len(tokens) or not joined(text, tokens, k + 1) or is_stop(tokens[k + 1].norm, cues())
    return ends and k > 0 and joined(text, tokens, k) and name_word(tokens[k - 1].norm)


def place_name_word(norm: str, pos: int, name_word: Callable[[str], bool], after_article: bool) -> bool:
    """A word of an Arabic place's name after a place noun: not an adjective ("مدينة تجارية", "المنطار
    القريب", "لاتسيو الإيطالية"); a second word has no conjunction, and the article only after a word
    without it ("عيتا الشعب", "دير البلح")."""
    forms = stems(norm)
    if not forms:
        return False
    bare = forms[-1]
    if pos and has_article(norm) and (bare[:-1] if bare.endswith("\u0647") else bare) in cues().directions:
        return after_article  # "قرية الرملة الشرقية"
    if (pos and is_nisba(norm)) or (not has_article(norm) and norm.endswith("\u064a\u0647")):
        return False  # "مدينة تجارية", "لاتسيو الإيطالية"; "مخيم الزعتري" is a name
    if not pos and not name_word(norm) and any(v in cues().common for v in forms[:2]):
        return False  # a common word first: "منطقة مهمة", "ميناء دولي" ("عيتا الشعب" is a name)
    return not (pos and ((has_article(norm) and after_article) or (norm[:1] == "\u0648" and not name_word(norm))))


# ordinals that a date in a name ends on: "جبهه دوم خرداد", "حركة السادس من أبريل", "تيار الرابع عشر من آذار"
ORDINAL_WORDS = frozenset(normalize(w) for w in (
    "اول", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم", "یازدهم", "دوازدهم", "سیزدهم",
    "چهاردهم", "پانزدهم", "شانزدهم", "هفدهم", "هجدهم", "نوزدهم", "بیستم", "سی‌ام", "الأول", "الثاني", "الثالث",
    "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر", "الحادي", "عشر", "والعشرين", "والثلاثين"))
_TEENS = frozenset(normalize(w) for w in ("عشر", "والعشرين", "والثلاثين"))
_OF = normalize("من")


def date_tail(text: str, tokens: list[Token], k: int, table: Cues) -> int:
    """How many tokens from k end a name with a date after an ordinal or a number before k (the rest of
    "الرابع عشر من آذار", "دوم خرداد"): the teens' second word, "من", and a month; 0 when none."""
    if k == 0 or k >= len(tokens) or not (tokens[k - 1].norm in ORDINAL_WORDS or tokens[k - 1].norm.isdigit()):
        return 0
    j = k
    while j < len(tokens) and joined(text, tokens, j) and (tokens[j].norm in _TEENS or tokens[j].norm == _OF):
        j += 1
    if j < len(tokens) and joined(text, tokens, j) and (tokens[j].norm,) in table.months:
        return j + 1 - k
    return 0


def token_after(tokens: Sequence[Token], offset: int) -> int:
    """The index of the first token that starts at or after a character offset (len(tokens) when none does)."""
    return next((k for k, t in enumerate(tokens) if t.start >= offset), len(tokens))


def with_date(text: str, span: Span, tokens: list[Token], table: Cues) -> Span:
    """An organisation's span that stopped at the month of the date it is named after, run on to the month."""
    if span.type != "organization":
        return span
    after = token_after(tokens, span.end)
    n = date_tail(text, tokens, after, table) if after else 0
    return Span(span.type, span.start, tokens[after + n - 1].end, span.signal, span.whole) if n else span


_OPENING = ("\"", "«", "“", "'", "''", "‘")
_CLOSING = set("\"»”'’")


def quoted(text: str, tokens: list[Token], j: int, longest: int = 5) -> int:
    """How many tokens from j a name in quotation marks right before token j holds ("صحيفة «الوفاق»", "تلفزيون
    " سمانيولو "", "مجلة "لورالي أيرو-أتلنتيك""): up to the closing mark, a hyphen allowed inside; 0 when
    there is no such name or it is longer than ``longest`` words."""
    if j == 0 or j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start].strip() not in _OPENING:
        return 0
    for k in range(j, min(len(tokens), j + longest)):
        after = text[tokens[k].end:tokens[k + 1].start] if k + 1 < len(tokens) else text[tokens[k].end:]
        if _CLOSING & set(after[:3]):
            return k + 1 - j
        if after.strip() not in ("", "-"):
            return 0
    return 0


LISTED = "organisation-list"  # the names of data/ner_organisations.yaml


def organisations_known(text: str, tokens: Sequence[Token]) -> list[Span]:
    """Spans of the well-known organisations wherever they stand (clitics taken off the first word)."""
    known = known_organisations()
    firsts = organisation_firsts()
    words = list(tokens)
    found: list[Span] = []
    i = 0
    while i < len(tokens):
        firsts_here = [stem for stem in stems(tokens[i].norm)[:2] if stem in firsts]
        for n in (4, 3, 2, 1) if firsts_here else ():  # most words begin no organisation's name
            rest = tuple(t.norm for t in tokens[i + 1:i + n])
            if i + n <= len(tokens) and all(joined(text, words, k) for k in range(i + 1, i + n)) and any(
                    (stem, *rest) in known for stem in firsts_here):
                found.append(Span("organization", tokens[i].start, tokens[i + n - 1].end, LISTED))
                i += n - 1
                break
        i += 1
    return found
