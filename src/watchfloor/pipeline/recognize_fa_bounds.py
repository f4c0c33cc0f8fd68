"""Where a Persian name stops: the words a name cannot run over (a count, an ordinal after "گروه", the centre
of a province, a minister's portfolio, the object after it with the indefinite "‌ای", the noun of a compound
verb before a light verb, a conjugated verb known by its stems in ``data/fa_verbs.tsv``) and the end of a person's
name inside a word written with a zero-width non-joiner, before a role or a verb. ``recognize_fa`` reads them while
it runs over an organisation's or a person's words."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from watchfloor.kb.normalize import Token, normalize
from watchfloor.pipeline.recognize import Cues, Span, cue_at, cues
from watchfloor.pipeline.recognize_cues import glued

__all__ = ["family_shaped", "number", "ordinal", "verb_form", "listed_verb", "light_verb", "portfolio", "centre_of",
           "indefinite", "person_end", "GROUP", "NEW_WORDS", "KIND_OF_PLACE"]

Table = dict[str, frozenset[tuple[str, ...]]]

# Persian number words: a count or an ordinal opens a new phrase ("صلاحیت شش داوطلب", "چهاردهمین دوره"),
# never the rest of an organisation's name
_NUMBERS = frozenset(normalize(w) for w in (
    "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "یازده", "دوازده", "سیزده", "چهارده",
    "پانزده", "شانزده", "هفده", "هجده", "نوزده", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود",
    "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد", "هزار", "میلیون", "میلیارد"))
_ORDINAL = normalize("مین")
_ORDINALS = frozenset(normalize(w) for w in ("دوم", "سوم"))


def number(norm: str) -> bool:
    """A Persian number word or its ordinal ("شش", "چهاردهمین", "نخستین")."""
    return norm in _NUMBERS or norm == normalize("نخستین") or (
        norm.endswith(_ORDINAL) and norm[:-len(_ORDINAL)].rstrip("ا") in _NUMBERS)


def ordinal(norm: str) -> bool:
    """A Persian ordinal in "م" ("هفتم", "دوم", "سوم"; not "سیم", a wire): inside a name ("مجلس ششم", "جبهه دوم
    خرداد") but no name after "گروه" ("گروه هفتم", a tournament's seventh group)."""
    return norm in _ORDINALS or (norm.endswith("\u0645") and norm[:-1] in _NUMBERS and norm != normalize("سیم"))


@cache
def _stems() -> tuple[frozenset[str], frozenset[str]]:
    """The past and the present stems of ``data/fa_verbs.tsv`` (from hazm's verb list), normalised."""
    past, present = set(), set()
    for line in (Path(__file__).parent / "data" / "fa_verbs.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            before, _, now = line.partition("\t")
            past.update(normalize(before).split()[-1:])
            present.update(normalize(now).split()[-1:])
    return frozenset(past), frozenset(present)


_PAST_ENDINGS = tuple(normalize(w) for w in ("ند", "یم", "ید", "ه"))  # "کردند", "نوشتیم", "پذیرفته"
_PRESENT_ENDINGS = tuple(normalize(w) for w in ("ند", "یم", "ید", "د", "م"))
_NEGATION = "\u0646"
_PREFIXES = (_NEGATION, "\u0628")  # negation, the subjunctive: "ندهند", "بگیرند"


def listed_verb(norm: str, verbs: frozenset[str]) -> bool:
    """Whether a word is one of ``verbs``, as it stands or negated ("ندهند", "نداشته")."""
    return norm in verbs or (norm[:1] == _NEGATION and norm[1:] in verbs)


def verb_form(norm: str) -> bool:
    """Whether a word is a Persian verb's conjugated form that no noun shares: a past stem with a person's ending
    or as a participle ("کردند", "نوشته", "نپذیرفته"), or a present stem after the negation or the subjunctive
    with its ending ("ندهند", "بگیرند"); a bare stem ("کرد", Kurd; "داد", justice) is not one."""
    past, present = _stems()
    bare = norm[1:] if norm[:1] == _NEGATION else norm
    if any(bare.endswith(e) and bare[:-len(e)] in past for e in _PAST_ENDINGS):
        return True
    return norm[:1] in _PREFIXES and any(norm.endswith(e) and norm[1:-len(e)] in present for e in _PRESENT_ENDINGS)


def light_verb(tokens: list[Token], k: int, fa: Table) -> bool:
    """Whether token k is "می‌" before a compound verb's light verb ("می‌کنند", "می‌شود"; not "می‌گوید")."""
    return tokens[k].norm == "مي" and k + 1 < len(tokens) and (tokens[k + 1].norm,) in fa["light"]


_MINISTRY = frozenset(normalize(w) for w in ("وزیر", "وزارت"))


def portfolio(tokens: list[Token], i: int, j: int, fa: Table) -> bool:
    """Whether the noun at tokens i..j is a minister's portfolio after "وزیر" or "وزارت" ("وزیر دادگستری"): the
    ministry's name, which ``ministries`` reads, not an organisation of its own."""
    return i > 0 and tokens[i - 1].norm in _MINISTRY and tuple(t.norm for t in tokens[i:j]) in fa["portfolios"]


_CENTRE, GROUP = normalize("مرکز"), normalize("گروه")
_DIVISIONS = frozenset(normalize(w) for w in ("استان", "شهرستان", "کشور", "بخش"))


def centre_of(tokens: list[Token], i: int, j: int, table: Cues) -> bool:
    """Whether "مرکز" at token i is the centre of a province or a country ("خرم‌آباد مرکز استان لرستان", the
    capital of Lorestan; "سئول مرکز کره جنوبی"), not a centre's name."""
    return j == i + 1 and tokens[i].norm == _CENTRE and j < len(tokens) and (
        tokens[j].norm in _DIVISIONS or (tokens[j].norm,) in table.places
        or (j + 1 < len(tokens) and (tokens[j].norm, tokens[j + 1].norm) in table.places))


# nouns and adjectives that, with the indefinite "‌ای", open the object after a name: "بیانیه‌ای" (a statement),
# "گزارش تازه‌ای" (a new report); "منطقه‌ای" (regional) is an adjective of the name ("سازمان آب منطقه‌ای فارس")
_INDEFINITES = frozenset(normalize(w) for w in ("بیانیه", "نامه", "اطلاعیه", "جلسه", "مصاحبه", "نشریه", "تازه",
                                                "ویژه", "گسترده", "عمده", "ساده"))
NEW_WORDS = frozenset(normalize(w) for w in ("تازه", "ویژه", "گسترده", "عمده", "ساده"))


def indefinite(text: str, tokens: list[Token], k: int) -> bool:
    """Whether token k is one of ``_INDEFINITES`` with the indefinite "‌ای" written after it."""
    return tokens[k].norm in _INDEFINITES and k + 1 < len(tokens) and glued(text, tokens, k + 1) \
        and tokens[k + 1].norm == "\u0627\u064a"


# the parts of Persian family names written after a zero-width non-joiner that the romaniser's index does not
# hold as name parts ("معین‌فر", "طالب‌لو"): a name's word goes on with them
_NAME_ENDS = frozenset(normalize(w) for w in ("فر", "لو", "فرد", "منش", "نسب", "مهر", "دوست", "پناه", "بخش"))


def person_end(text: str, tokens: list[Token], span: Span, name_word: Callable[[str], bool]) -> Span:
    """A Persian person's span that ends inside a word written with a zero-width non-joiner: the word is taken
    whole when the rest of it is a name's part ("معین" of "معین‌فر"), and left out otherwise ("واین میلر هماهنگ"
    of "هماهنگ‌کننده", the coordinator). A span is cut before a role or a title inside it. Emptied when nothing
    is left; a title that is also a name part stays ("محمد امیر احمدی")."""
    if span.type != "person":
        return span
    inside = [k for k, t in enumerate(tokens) if span.start <= t.start and t.end <= span.end]
    table = cues()
    role = next((k for k in inside[1:] if not glued(text, tokens, k) and not name_word(tokens[k].norm) and (
        cue_at(tokens, text, k, table.person_roles) or cue_at(tokens, text, k, table.person_titles))), None)
    if role is not None:  # a role after the name is no part of it: "ارسطو فیلسوف یونانی", Aristotle the philosopher
        return Span(span.type, span.start, tokens[role - 1].end, span.signal)
    verb = next((k for k in inside if verb_form(tokens[k].norm) and not name_word(tokens[k].norm)), None)
    if verb is not None:  # nor a verb: "عظیمی دیدیم", "فقیه نباشد"
        return Span(span.type, span.start, tokens[verb - 1].end if verb > inside[0] else span.start, span.signal)
    end = inside[-1] + 1 if inside else 0
    rest = end
    while inside and rest < len(tokens) and glued(text, tokens, rest):
        rest += 1
    if rest == end:
        return span
    if all(name_word(t.norm) or t.norm in _NAME_ENDS for t in tokens[end:rest]):
        return Span(span.type, span.start, tokens[rest - 1].end, span.signal)
    end -= 1  # the last word goes, from its first token
    while end > inside[0] and glued(text, tokens, end):
        end -= 1
    return Span(span.type, span.start, tokens[end - 1].end if end > inside[0] else span.start, span.signal)


# endings of Persian family names: "خضریان", "هاشم‌زاده", "علیپور", "موسوی‌نژاد", "امینی‌نیا"
_FAMILY_ENDINGS = tuple(normalize(w) for w in ("یان", "زاده", "پور", "نژاد", "نیا"))


def family_shaped(norm: str) -> bool:
    """Whether a word the index does not know is shaped as a Persian family name (``_FAMILY_ENDINGS``), with
    three letters at least before its ending, and is no plural in "یان" of a common word or a place
    ("دانشجویان", "روستائیان", "ایرانیان", "مسیحیان", "دانشگاهیان")."""
    if not any(norm.endswith(e) and len(norm) - len(e) >= 3 for e in _FAMILY_ENDINGS):
        return False
    if not norm.endswith(_FAMILY_ENDINGS[0]):
        return True
    table = cues()
    singular, stem = norm[:-2], norm[:-3].rstrip("\u064a")
    return not (stem.endswith(("\u0627", "\u0648")) or singular in table.common or stem in table.common
                or (stem,) in table.places)


# adjectives of a place noun that say what kind of place it is ("میدان نفتی", an oil field): the name comes after
# them (recognize_fa.place_bounds)
KIND_OF_PLACE = frozenset(normalize(w) for w in (
    "نفتی", "گازی", "مرزی", "صنعتی", "ساحلی", "مسکونی", "تجاری", "کوهستانی", "پرجمعیت"))
