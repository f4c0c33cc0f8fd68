"""Context for linked names: a word that is also a name must not link by itself.

* A knowledge-base name that is also a common word or a given name (``data/common_word_names.yaml``:
  صور "pictures" and Tyre, مشهد "scene" and Mashhad, Chad, Acre) links only with a place-like context
  before it ("في", "مدينة", "in", "the town of") or a second signal: another place of the same
  country named in the same text.
* In English text, a name written without a capital letter is not a name ("the strike hit", "sour").
* A one-word name that the knowledge base never writes with the Arabic article does not link with it:
  "الجنين" is the fetus, not Jenin; "الحماس" is zeal, not Hamas.
* A person's mention holds the name, not the title the knowledge base wrote before it: "الشيخ حمد بن
  خليفة آل ثاني" links "حمد بن خليفة آل ثاني" (a title with the article, or one before another of the
  person's names: "سرلشکر حسین سلامی"; "حافظ الأسد", "امیر خان متقی" and the lineage "سید محمد خاتمی"
  keep their first word).
* An organisation's name inside the name of another, national body does not link: "مجلس الأمن القومي"
  and "National Security Council" are not the UN Security Council ("مجلس الأمن", "Security Council"); nor
  does a state body's name followed by another country's: "وزارت امور خارجه آمریکا" is not Iran's ministry.
* A story's place is the place its posts put the event in ("a meeting in Tehran"), before the places
  they only mention ("support for Gaza"): ``place_context`` tells the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import ARTICLE, arabic_prefix_variants, has_arabic, normalize
from watchfloor.models import Entity, Mention
from watchfloor.pipeline.recognize import cue_at, cues, joined, words_of
from watchfloor.pipeline.recognize_cues import at_line_start, is_place_adjective
from watchfloor.pipeline.recognize_runs import SAYYID

__all__ = ["common_words", "place_context", "keep_mentions"]

_DATA = Path(__file__).parent / "data" / "common_word_names.yaml"


# the languages whose own list decides (the others, Urdu and Pashto among them, take every list)
_OWN_LIST = ("ar", "fa", "en")


@cache
def common_words(lang: str | None = None) -> frozenset[str]:
    """The normalised names that are also common words: in Arabic, Persian or English text that language's
    list and the English one ("إيلام" is "inflicting pain" in Arabic, and only Ilam in Persian), otherwise
    every list."""
    lists: dict[str, list[str]] = read_yaml(_DATA)
    # English words stand in Arabic and Persian posts too (a quote, a hashtag)
    chosen = [lists[lang], lists["en"]] if lang in _OWN_LIST else list(lists.values())
    words = {normalize(str(w)) for names in chosen for w in names if normalize(str(w))}
    # with and without the article: "الرقة" (tenderness) is "رقة" after a clitic ("ورقة", a sheet of paper)
    return frozenset(words | {w[2:] for w in words if w.startswith(ARTICLE) and len(w) > 4})


def place_context(text: str, start: int, end: int | None = None) -> bool:
    """Whether the words just before ``start`` put a place there: "near", "the city of", "مدينة", "قرب",
    or a plain "in" ("في", "در", "in"). Given the name's ``end``, a plain "in" counts only when the name
    ends its phrase (punctuation, a stop word or another preposition follows): "في مشهد لافت" is "in a
    striking scene", "سقط صاروخ في صور." is a rocket that fell in Tyre. A name that opens with its place noun
    ("شهر تهران", a Persian mention) has it."""
    own = text[start:start + 40]
    if start >= 0 and (words := words_of(own)) and cue_at(words, own, 0, cues().place_heads) \
            and (end is None or words[0].end < end - start):
        return True
    if end is not None and _dateline(text, start, end):
        return True
    if start <= 0:
        return False
    head = text[max(0, start - 40):start]
    tokens = words_of(head + " x")
    if len(tokens) < 2:
        return False
    table = cues()
    last = len(tokens) - 1  # the placeholder standing for the name
    if not joined(head + " x", tokens, last):
        return False
    for n in (1, 2, 3):
        i = last - n
        if i < 0:
            continue
        if cue_at(tokens[:last], head, i, table.place_heads) == n:
            return True
        if cue_at(tokens[:last], head, i, table.place_before) == n:
            weak = n == 1 and tokens[i].norm in _weak()
            return not weak or end is None or _phrase_ends(text, end)
    return False


@cache
def _weak() -> frozenset[str]:
    """Prepositions that also mean "in a (scene)", "of (pictures)": they need the name to end its phrase."""
    return frozenset(normalize(w) for w in ("في", "فى", "من", "على", "عن", "در", "از", "به", "میں", "سے", "in", "at",
                                            "from", "to", "on"))


# a news dateline: the place at the start of a line, a dash, then the agency or "according to" ("ساری ـ ایرنا",
# "کیش ـ به گزارش", "صور - (رويترز)", "Tyre - Reuters"): "صور - من الاجتماع" (pictures - of the meeting) is none
_DATELINE = re.compile(r"[ \t]*[-–—\u0640][ \t]*(?:\(|(?:" + "|".join(re.escape(w) for w in (
    "ایرنا", "ایسنا", "ایلنا", "تسنیم", "به گزارش", "خبرگزاری", "رويترز", "وكالات", "أ ف ب", "ا ف ب", "أ.ف.ب", "د ب أ",
    "قنا", "واس", "سانا", "وام", "بترا", "الأناضول", "الاناضول", "أ ش أ", "Reuters", "AFP", "AP", "dpa"))
    + r")(?![^\W\d_]))")  # a whole word: "صور - وامتدت" (pictures - and it spread) is none


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start``-``end`` opens a news dateline."""
    return start >= 0 and at_line_start(text, start) and _DATELINE.match(text, end) is not None


def _phrase_ends(text: str, end: int) -> bool:
    rest = text[end:end + 40]
    if rest[:1] == _ZWNJ:
        return False  # the word goes on: "در میانه‌ی راه" (halfway), "در تاکستان‌های" (in the vineyards of)
    following = words_of(rest)
    if not following or rest[:following[0].start].strip():
        return True  # the end of the text, or punctuation
    norm = following[0].norm
    table = cues()
    return (norm in table.stop_words or not has_arabic(norm)
            or cue_at(following, rest, 0, table.place_before) > 0 or cue_at(following, rest, 0, table.place_heads) > 0)


# the words that make a national or local body of an international one's name: after it in Arabic ("مجلس
# الأمن القومي"), before it in English ("Supreme National Security Council")
_QUALIFIERS_AFTER = frozenset(normalize(w) for w in (
    "القومي", "القومية", "الوطني", "الوطنية", "الأعلى", "العليا", "الإقليمي", "الإقليمية", "المحلي", "المحلية",
    "الانتقالي", "الانتقالية", "المؤقت", "المؤقتة"))
_QUALIFIERS_BEFORE = frozenset(("National", "Supreme", "Higher", "Regional", "Local", "Provincial", "Transitional",
                                "Interim"))


def _inside_another_name(text: str, mention: Mention) -> bool:
    """Whether an organisation's linked name stands inside the name of another body (see above)."""
    if has_arabic(mention.surface):
        rest = text[mention.end:mention.end + 30]
        following = words_of(rest)
        return bool(following) and not rest[:following[0].start].strip() and following[0].norm in _QUALIFIERS_AFTER
    before = text[max(0, mention.start - 30):mention.start].split()
    return bool(before) and text[mention.start - 1:mention.start] == " " and before[-1] in _QUALIFIERS_BEFORE


def _of_another_country(text: str, mention: Mention, entity: Entity, found: Sequence[Mention],
                        entities: Mapping[str, Entity]) -> bool:
    """Whether a state body's linked name is followed by another country's name: "وزارت امور خارجه آمریکا" (the
    Ministry of Foreign Affairs of America) is not Iran's ministry, which its name alone would link; nor is "ارتش
    ژاپن" (Japan's army, a country the knowledge base does not list but the CLDR names) Iran's army."""
    country = entity.attrs.get("country")
    if not country:
        return False
    for other in found:
        place = entities.get(other.entity_id)
        if 0 < other.start - mention.end <= 2 and not text[mention.end:other.start].strip("\u200c ") \
                and place is not None and place.type == "place" and place.attrs.get("country"):
            return bool(place.attrs.get("country") != country)
    # a country the knowledge base does not list, by its CLDR name: "ارتش ژاپن" (Japan's army)
    after = text[mention.end:mention.end + 40]
    following = words_of(after)
    return bool(following) and not after[:following[0].start].strip("\u200c ") \
        and bool(cue_at(following, after, 0, cues().places))


# the people of an outlet: "مراسل الجزيرة" is Al Jazeera's correspondent, not an island's
_REPORTERS = frozenset((normalize(w),) for w in ("مراسل", "مراسلة", "مراسلو", "مراسلي", "مذيع", "مذيعة"))


def _org_context(text: str, start: int) -> bool:
    """Whether an organisation noun or an outlet's reporter stands just before ``start`` ("قناة الميادين", "حركة
    أمل", "مراسل الجزيرة")."""
    head = text[max(0, start - 30):start]
    tokens = words_of(head)
    if not tokens or head[tokens[-1].end:].strip():
        return False
    table = cues()
    return any(len(tokens) >= n and n in (cue_at(tokens, head, len(tokens) - n, cue) for cue in (
        table.organisation_heads, table.media_heads, _REPORTERS)) for n in (1, 2))


def _article_added(surface: str, entity: Entity) -> bool:
    """A one-word Arabic name that the knowledge base never writes with the article, written with it, is
    another word: "الجنين" is the fetus, not Jenin ("جنين"), "الحماس" is zeal, not Hamas, "القطر" is the
    country (any), not Qatar. A person keeps the name ("الخامنئي"), and so does a country's adjective
    ("الروسية": the Russian ministry names Russia)."""
    norm = normalize(surface)
    if " " in norm or not has_arabic(norm) or entity.type == "person":
        return False
    stems = [norm]
    for letters in ("\u0648\u0641", "\u0628\u0643"):  # و ف, then ب ك (ل is left: "للجنين" is not read here)
        stems += [s[1:] for s in stems if s[:1] in letters and len(s) > 4]
    added = [s for s in stems if s.startswith(ARTICLE) and len(s) > 4]
    if not added or (entity.attrs.get("kind") == "country" and any(s.endswith(("\u064a", "\u064a\u0647"))
                                                                     for s in added)):
        return False
    written = [normalize(a.text) for a in entity.aliases] + [normalize(entity.name)]
    return not any(w.startswith(ARTICLE) for w in written if has_arabic(w))


def _capitalised(surface: str) -> bool:
    return any(c.isupper() for c in surface)


def keep_mentions(text: str, found: Sequence[Mention], entities: Mapping[str, Entity],
                  lang: str | None = None) -> list[Mention]:
    """The mentions that stand on their own or have the context their name needs; in Persian a linked place
    holds the place noun before it, as the names stage's Persian places do ("شهر تهران", "استان لرستان")."""
    mixed_case = any(c.islower() for c in text) and any(c.isupper() for c in text)
    country_of = {m.entity_id: str(e.attrs.get("country")) for m in found
                  if (e := entities.get(m.entity_id)) is not None and e.type == "place" and e.attrs.get("country")}
    kept: list[Mention] = []
    common = common_words(lang)
    for mention in found:
        entity = entities.get(mention.entity_id)
        surface = mention.surface
        if not has_arabic(surface) and mixed_case and not _capitalised(surface):
            continue
        if mention.start >= 0 and has_arabic(surface) and _part_of_a_word(text, mention.start, mention.end):
            continue
        is_common = any(v in common for v in arabic_prefix_variants(normalize(surface)))
        # an organisation or outlet whose name is a common word needs its noun: "قناة الميادين"
        if entity is not None and entity.type != "place" and is_common \
                and not (mention.start >= 0 and _org_context(text, mention.start)):
            continue
        if entity is not None and entity.type == "organization" and mention.start >= 0 \
                and (_inside_another_name(text, mention)
                     or _of_another_country(text, mention, entity, found, entities)):
            continue
        if entity is not None and _article_added(surface, entity):
            continue
        if entity is not None and entity.type == "place" and mention.start >= 0 and _clock_of(text, mention):
            continue
        if entity is not None and entity.type == "place" and is_common:
            # a second signal: a place of the same country right after it ("صور، جنوب لبنان", "Tyre, Lebanon")
            country = country_of.get(mention.entity_id)
            beside = any(other.entity_id != mention.entity_id and country_of.get(other.entity_id) == country
                         and 0 <= other.start - mention.end <= 25 for other in found)
            if not (mention.start >= 0 and place_context(text, mention.start, mention.end)) and not beside:
                continue
        kept.append(_without_title(text, mention, entity) if entity is not None and entity.type == "person"
                    else _with_place_noun(text, mention) if entity is not None and entity.type == "place"
                    and lang == "fa" else mention)
    return kept


# a place that names a clock, not where anything happens: "الساعة العاشرة بتوقيت مكة المكرمة", "به وقت تهران",
# "9 a.m. Tehran time"
_CLOCK_BEFORE = re.compile(r"(?:\b|[\u0648\u0641])(?:ب|وفق |حسب |على )?(?:ال)?توقيت\s*$|به\s+وقت\s*$")
_CLOCK_AFTER = re.compile(r"\s+time\b", re.IGNORECASE)


def _clock_of(text: str, mention: Mention) -> bool:
    """Whether a place's mention names the time zone of a time ("بتوقيت القدس", "Jerusalem time")."""
    before = text[max(0, mention.start - 20):mention.start]
    return bool(_CLOCK_BEFORE.search(before)) or (
        not has_arabic(mention.surface) and _CLOCK_AFTER.match(text, mention.end) is not None
        and bool(re.search(r"\d", text[max(0, mention.start - 25):mention.start])))


_ZWNJ = "\u200c"
# what a Persian name takes after a zero-width non-joiner and stays itself: a plural, the ezafe, a possessive
_NAME_SUFFIXES = frozenset(normalize(w) for w in ("ها", "های", "هایی", "ای", "ی", "ایی", "اش", "شان", "مان"))


def _part_of_a_word(text: str, start: int, end: int) -> bool:
    """Whether a mention is part of a longer word written with a zero-width non-joiner: "چین" in "چین‌خوردگی"
    (a fold) or "چین‌دار" is no mention of China; "آمریکا‌ها" (a plural) stays one."""
    if start > 0 and text[start - 1] == _ZWNJ and start > 1 and not text[start - 2].isspace():
        return True
    if end < len(text) and text[end] == _ZWNJ:
        rest = words_of(text[end + 1:end + 12])  # "سیستان‌وبلوچستان": two names joined by "و" stay names
        return bool(rest) and rest[0].start == 0 and rest[0].norm not in _NAME_SUFFIXES \
            and not rest[0].norm.startswith("\u0648")
    return False


_RANKS = frozenset(normalize(w) for w in ("الأعلى", "الأعلي", "العام", "الأكبر"))  # "المرشد الأعلى": the supreme
_BESIDE = frozenset(normalize(w) for w in ("اطراف", "پایتخت"))  # "around", "the capital of": beside the name
_DIRECTIONS = frozenset(normalize(w) for w in ("شمال", "جنوب", "شرق", "غرب"))


def _with_place_noun(text: str, mention: Mention) -> Mention:
    """A Persian place's mention from the place noun before it ("شهر تهران", "جنوب لبنان"); a noun with the
    ezafe "ی" ("روستای", "دریای") stays outside, as in the names stage's rule, and so do "around" and "the
    capital of" ("پایتخت قطر")."""
    if mention.start <= 0:
        return mention
    head = text[max(0, mention.start - 30):mention.start]
    tokens = words_of(head + " x")
    last = len(tokens) - 1
    if last < 1 or not joined(head + " x", tokens, last):
        return mention
    nouns = cues().place_heads_fa
    n = next((n for n in (2, 1) if last - n >= 0 and cue_at(tokens, head, last - n, nouns) == n), 0)
    if not n or tokens[last - 1].norm.endswith("\u064a") or tokens[last - 1].norm in _BESIDE:
        return mention
    first = last - n
    while first > 0 and tokens[first].norm in _DIRECTIONS and tokens[first - 1].norm in _DIRECTIONS \
            and joined(head, tokens, first):
        first -= 1  # "شمال غرب ایران" (north-west Iran), not "غرب ایران"
    start = mention.start - len(head) + tokens[first].start
    return Mention(mention.entity_id, text[start:mention.end], start, mention.end, mention.score)


def _without_title(text: str, mention: Mention, entity: Entity) -> Mention:
    """The mention less the title that opens it (``person_titles`` of ``data/ner_cues.yaml``), where the title
    has the Arabic article or the words after it are another of the person's names."""
    if mention.start < 0:
        return mention
    surface = text[mention.start:mention.end]
    tokens = words_of(surface)
    n = cue_at(tokens, surface, 0, cues().person_titles) if len(tokens) > 1 else 0
    if not n or n >= len(tokens):
        return mention
    rest = tuple(t.norm for t in tokens[n:])
    if tokens[0].norm in SAYYID:
        return mention  # a lineage, part of the name: "سید محمد خاتمی"
    titled = any(t.norm.startswith(ARTICLE) for t in tokens[:n]) and has_arabic(tokens[0].norm)
    if not titled and rest not in {tuple(t.norm for t in words_of(name))
                                   for name in [entity.name, *(a.text for a in entity.aliases)]}:
        return mention
    if rest[0] in _RANKS or is_place_adjective(rest[0], cues()):
        return mention  # an adjective after the title makes an epithet, whole: "المرشد الإيراني" is Khamenei
    start = mention.start + tokens[n].start
    return Mention(mention.entity_id, text[start:mention.end], start, mention.end, mention.score)
