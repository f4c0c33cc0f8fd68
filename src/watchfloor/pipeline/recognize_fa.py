"""Persian names the Arabic rules of ``recognize.py`` cannot see.

* Persian puts the verb of saying after its subject ("حمید طاهایی افزود :", "اسکندری گفت :"), so the
  words from the start of a clause up to one of those verbs (``subject_verbs_after`` in
  ``data/ner_cues.yaml``) are a person's name when the index knows their first word as a name part, or
  when they are one word that is not a common subject. A clause also opens after "که", "ولی" and "اما"; an
  adverb may stand between the name and the verb ("سپس", "نیز"); a title before the name is not part of it.
* Persian writes no ezafe and no capital letters, so an organisation's name runs from its noun ("سازمان",
  "وزارت", "تیم") over the words after it, places and other organisation nouns included ("وزارت دفاع
  روسیه", "شورای مرکزی جبهه مشارکت"), until a stop word, a verb or the noun of a compound verb ("سازمان
  زندانها نگهداری شوند" names "سازمان زندانها").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from watchfloor.kb.normalize import ARTICLE, Token, has_arabic, normalize
from watchfloor.pipeline.cue_data import cue_table
from watchfloor.pipeline.recognize import Cues, Span, cue_at, cues, joined
from watchfloor.pipeline.recognize_cues import glued
from watchfloor.pipeline.recognize_fa_bounds import (
    GROUP,
    KIND_OF_PLACE,
    NEW_WORDS,
    centre_of,
    family_shaped,
    indefinite,
    light_verb,
    listed_verb,
    number,
    ordinal,
    portfolio,
    verb_form,
)
from watchfloor.pipeline.recognize_runs import COUNTRY, SECOND_HALVES, is_common, loose_head, weak_head

__all__ = ["said_after", "titled_after", "organisations", "opens_report", "ministries", "offices", "directorates",
           "compound_verb_at", "place_bounds"]

MAX_WORDS = 3
MAX_ORG_WORDS = 8  # after the organisation noun
@cache
def _table() -> dict[str, frozenset[tuple[str, ...]]]:
    table = cue_table()

    def read(*keys: str) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(normalize(str(v)).split()) for key in keys for v in table[key]["fa"])

    return {"verbs_after": read("subject_verbs_after"), "verbs": read("verbs_fa"), "light": read("light_verbs_fa"),
            "copulas": read("copulas_fa"),
            "not_before": read("not_before_names"), "inside": read("organisation_words_fa"),
            "heads": read("organisation_heads", "organisation_heads_only_fa"), "report": read("report_phrases"),
            "portfolios": read("ministry_portfolios"), "bodies": read("ministry_portfolios", "directorate_bodies"),
            "general": read("director_titles_general"), "directors": read("director_titles"),
            "qualifiers": read("director_qualifiers"), "provinces": read("provinces_fa")}


def _verbs() -> frozenset[tuple[str, ...]]:
    return _table()["verbs_after"]


def compound_verb_at(text: str, tokens: list[Token], k: int) -> bool:
    """Whether a Persian verb that takes a noun before it (``verbs_fa``: "جان باختند", "انجام شد") is token k."""
    return bool(cue_at(tokens, text, k, _table()["verbs"]))


# the light verbs of doing and having ("دیدن کردند", "وجود نداشت", "بیتوته کرده‌اند"): the word before one is a
# compound verb's noun; not "شد", "رسید" or "آمد", which follow a place one goes to ("به روستای کلاته رسید")
_DOING = frozenset(normalize(w) for w in (
    "کرد", "کردند", "کرده", "کند", "کنند", "کنیم", "نمود", "نمودند", "نموده", "نماید", "نمایند", "داشت",
    "داشتند", "داشته", "دارد", "دارند"))


@cache
def _light() -> frozenset[str]:
    """The one-word light verbs (``light_verbs_fa``)."""
    return frozenset(v[0] for v in _table()["light"] if len(v) == 1)


def place_bounds(text: str, tokens: list[Token], span: Span) -> Span:
    """A Persian place's span found by its place noun ("شهر ...", "منطقه ..."), emptied when its word is a verb
    ("میدان ندهند") or a compound verb's noun ("استان دیدن کردند", "منطقه وجود نداشته"), or when the noun is
    part of a longer word ("منطقه‌گرایی", regionalism)."""
    if span.type != "place" or span.signal != "place-noun":
        return span
    inside = [k for k, t in enumerate(tokens) if span.start <= t.start and t.end <= span.end]
    if len(inside) < 2:
        return span
    last, after = inside[-1], inside[-1] + 1
    if after < len(tokens) and tokens[after].norm == "\u0645\u064a" and joined(text, tokens, after):
        after += 1  # "می‌کنند"
    word = tokens[last].norm  # a participle may name a place: "شهر سوخته" (the Burnt City)
    verb = listed_verb(word, _light()) or (verb_form(word) and not word.endswith("\u0647"))
    verb = verb or (after < len(tokens) and joined(text, tokens, after) and listed_verb(tokens[after].norm, _DOING))
    if verb or glued(text, tokens, inside[0] + 1):
        return Span(span.type, span.start, span.start, span.signal)
    if word in KIND_OF_PLACE and len(inside) == 2:
        # a kind of place names none by itself ("میدان نفتی", "شهر پرجمعیت"); its name follows ("میدان گازی زیره")
        nxt = last + 1
        named = nxt < len(tokens) and joined(text, tokens, nxt) and has_arabic(tokens[nxt].norm) and (
            (tokens[nxt].norm,) in cues().places or not (is_common(tokens[nxt].norm, lambda w: False)
                                                          or tokens[nxt].norm in cues().stop_words))
        return Span(span.type, span.start, tokens[nxt].end if named else span.start, span.signal)
    return span


# words after which a clause opens: "و", "که" (that), "ولی" and "اما" (but): "... جویا شد که یونسی اظهار داشت"
_OPENERS = frozenset(normalize(w) for w in ("و", "که", "ولی", "اما"))
# adverbs between a subject and its verb of saying: "ناطق سپس افزود", "محدث همچنین ... گفت"
_BETWEEN = frozenset(normalize(w) for w in ("نیز", "همچنین", "سپس", "هم"))


def _clause_start(text: str, tokens: list[Token], k: int) -> bool:
    """Whether token k opens a clause: the text's start, after punctuation, or after a lone "و", "که", "ولی" or
    "اما"."""
    return k == 0 or not joined(text, tokens, k) or tokens[k - 1].norm in _OPENERS


def _head_at(text: str, tokens: list[Token], i: int, heads: frozenset[tuple[str, ...]]) -> int:
    """Length of the Persian organisation noun at token i, taken as written (Persian has no clitics)."""
    for n in (2, 1):
        if i + n <= len(tokens) and all(joined(text, tokens, k) for k in range(i + 1, i + n)) and \
                tuple(t.norm for t in tokens[i:i + n]) in heads:
            return n
    return 0


def _part(text: str, tokens: list[Token], k: int, table: Cues, fa: dict[str, frozenset[tuple[str, ...]]]) -> bool:
    """Whether token k may stand in an organisation's name: no stop word, verb, title or role."""
    norm = tokens[k].norm
    if (norm,) in fa["inside"]:
        return True
    return not (norm in table.stop_words or not has_arabic(norm) or norm.isdigit() or number(norm) or norm == "مي"
                or verb_form(norm)
                or cue_at(tokens, text, k, fa["verbs"]) or cue_at(tokens, text, k, fa["copulas"])
                or cue_at(tokens, text, k, table.person_titles) or cue_at(tokens, text, k, table.person_roles))


_PERIODICALS = frozenset(tuple(normalize(w).split()) for w in ("روزنامه", "هفته‌نامه", "ماهنامه", "نشریه", "مجله"))


def organisations(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """Persian organisations: a noun of ``organisation_heads`` and the words after it, no two overlapping."""
    table = cues()
    fa = _table()
    found: list[Span] = []
    i = 0
    while i < len(tokens):
        head = _head_at(text, tokens, i, fa["heads"])
        j = i + head
        # not a name: "این روزنامه", "روزنامه‌ها" (a plural), "جامعه‌ای" (one society)
        if not head or (i and (glued(text, tokens, i) or (tokens[i - 1].norm,) in fa["not_before"])) \
                or (j < len(tokens) and glued(text, tokens, j)) or portfolio(tokens, i, j, fa) \
                or centre_of(tokens, i, j, table) \
                or (tokens[i].norm == GROUP and j < len(tokens) and ordinal(tokens[j].norm)):
            i += 1
            continue
        n = 0
        while j + n < len(tokens) and n < MAX_ORG_WORDS and joined(text, tokens, j + n):
            k = j + n
            norm = tokens[k].norm
            if glued(text, tokens, k) and norm in ("ها", "هاي", "اي", "ي"):
                n += 1  # a suffix after a zero-width non-joiner belongs to its word
                continue
            if n and indefinite(text, tokens, k):
                n -= 1 if tokens[k].norm in NEW_WORDS and n > 1 and not glued(text, tokens, k - 1) else 0
                break  # "a statement", "a new report": the object after the name ("نامه‌ای به وزیر نوشت")
            if norm == "و" and n and k + 1 < len(tokens) and joined(text, tokens, k + 1) and _part(
                    text, tokens, k + 1, table, fa) and not _head_at(text, tokens, k + 1, fa["heads"]) \
                    and (tokens[k + 1].norm,) not in table.places:
                n += 2  # "وزارت فرهنگ و ارشاد اسلامی", not "ارتش و نیروی دریایی"
                continue
            # an Arabic compound written with a zero-width non-joiner is one word: "سازمان عفو بین‌الملل"
            compound = k + 1 < len(tokens) and glued(text, tokens, k + 1) and tokens[k + 1].norm.startswith(ARTICLE) \
                and not cue_at(tokens, text, k, table.person_titles)
            if n and compound and not _part(text, tokens, k, table, fa) and _part(text, tokens, k + 1, table, fa):
                n += 2
                continue
            if not _part(text, tokens, k, table, fa):
                break
            if n and (tokens[k - 1].norm,) in table.places:
                break  # a place ends the name: "وزارت دفاع روسیه ایگور سرگئیف", "باشگاه یوونتوس ایتالیا قرارداد"
            if n and ordinal(tokens[k - 1].norm) and (norm,) not in table.months:
                break  # an ordinal ends it ("دولت سیزدهم بودجه را", "مجلس پنجم قوانینی"), not before a month
            if n and tokens[k - 1].norm == COUNTRY and (norm,) not in table.places:
                break  # so does "کشور" (of the country): "ستاد انتخابات کشور فهرست نامزدها را", not "وزارت کشور عراق"
            n += 1
        after = j + n
        if n and after < len(tokens) and joined(text, tokens, after) and (
                light_verb(tokens, after, fa) or cue_at(tokens, text, after, fa["verbs"])):
            n -= 1  # the noun of a compound verb: "نگهداری شوند", "تولید شده"
            while n and glued(text, tokens, j + n):
                n -= 1
        while after < len(tokens) and glued(text, tokens, after):
            after += 1  # the word the name's last token begins, when a zero-width non-joiner goes on with it
        if n and after > j + n and after < len(tokens) and cue_at(tokens, text, after, fa["verbs"]):
            while n and glued(text, tokens, j + n):
                n -= 1  # that word is a compound verb's noun: "وزارت کشور" before "ثبت‌نام کرد"
        while n and tokens[j + n - 1].norm == "\u0648":
            n -= 1  # no name ends on "و": "سازمان مدیریت و" before "برنامه‌ریزی کرد"
        if n and loose_head(tokens, i, j, n, table):
            n = 0
        if n and weak_head(tokens, i, j, n, table, name_word):
            n = 0
        if n:
            # a paper's or magazine's name without its noun: "روزنامه اطلاعات" is Ettela'at
            first = j if tuple(t.norm for t in tokens[i:j]) in _PERIODICALS else i
            found.append(Span("organization", tokens[first].start, tokens[j + n - 1].end, "organisation-noun"))
            i = j + n
            continue
        i += 1
    return found


def _cue(text: str, tokens: list[Token], k: int, table: Cues) -> bool:
    """Whether a title, a role, an organisation noun or a place noun starts at token k: no word of a name."""
    return any(cue_at(tokens, text, k, cues_of) for cues_of in (table.person_titles, table.person_roles,
                                                                table.organisation_heads, table.place_heads))


def said_after(text: str, tokens: list[Token], name_word: Callable[[str], bool]) -> list[Span]:
    """People named right before a Persian verb of saying, from the start of their clause."""
    table = cues()
    verbs = _verbs()
    found: list[Span] = []
    for at in range(1, len(tokens)):
        if not cue_at(tokens, text, at, verbs):
            continue
        v = at - 1 if tokens[at - 1].norm in _BETWEEN and at > 1 and joined(text, tokens, at) else at
        start = v
        while start > 0 and v - start < MAX_WORDS + 1 and joined(text, tokens, start):
            norm = tokens[start - 1].norm
            if norm in table.stop_words or not has_arabic(norm) or norm.isdigit():
                break
            start -= 1
        if not _clause_start(text, tokens, start):
            continue
        # a title or role before the name is not part of it: "قاضی گازمن تصریح نکرد"
        titled = max(cue_at(tokens, text, start, table.person_titles), cue_at(tokens, text, start, table.person_roles))
        start += titled if start + titled < v else 0
        n = v - start
        if not n or n > MAX_WORDS:
            continue
        if any(tokens[k].norm in table.not_names or _cue(text, tokens, k, table) for k in range(start, v)):
            continue
        first = tokens[start].norm
        # a given name of two parts joined by a zero-width non-joiner: "قوام‌الدین بزرگیان"
        compound = n >= 2 and glued(text, tokens, start + 1) and tokens[start + 1].norm in SECOND_HALVES
        alone = n == 1 and len(first) >= 3 and not is_common(first, name_word)  # not "راننده", "زیرا"
        if alone or name_word(first) or compound:
            found.append(Span("person", tokens[start].start, tokens[v - 1].end, "subject-before-saying"))
    return found


def titled_after(text: str, tokens: list[Token], name_word: Callable[[str], bool],
                 given_name: Callable[[str], bool]) -> list[Span]:
    """People named right before their title, from the start of their clause: "مجید تخت‌روانچی معاون سیاسی
    وزارت امور خارجه ..." and "ناصر کنعانی، سخنگوی ...". The name is a given name and one or two more words,
    none a stop word, a cue or a place."""
    table = cues()
    found: list[Span] = []
    for v in range(2, len(tokens)):
        if not (cue_at(tokens, text, v, table.person_titles) or cue_at(tokens, text, v, table.person_roles)):
            continue
        gap = text[tokens[v - 1].end:tokens[v].start]
        if not (joined(text, tokens, v) or gap.strip() in (",", "\u060c")):
            continue
        # the words before the title, those joined by a zero-width non-joiner counted as one ("تخت‌روانچی")
        firsts = [k for k in range(max(0, v - 6), v) if not glued(text, tokens, k)]
        for units in (2, 3):
            if len(firsts) < units:
                continue
            start = firsts[-units]
            second = range(firsts[-units + 1], firsts[-units + 2] if units == 3 else v)
            if not given_name(tokens[start].norm):
                continue
            # the clause's start, or after a preposition: "از سوی جانت رینو، وزیر دادگستری"
            clause_start = _clause_start(text, tokens, start) or tokens[start - 1].norm in table.stop_words
            inside = range(start, v)
            if not clause_start or any(k > start and not joined(text, tokens, k) for k in inside):
                continue
            if any(tokens[k].norm in table.stop_words or tokens[k].norm in table.not_names
                   or not has_arabic(tokens[k].norm) or (tokens[k].norm,) in table.places
                   or _cue(text, tokens, k, table) for k in inside):
                continue
            if units == 2 or any(name_word(tokens[k].norm) for k in second):
                found.append(Span("person", tokens[start].start, tokens[v - 1].end, "name-before-title"))
                break
    return found


def opens_report(text: str, tokens: list[Token], name_word: Callable[[str], bool],
                 given_name: Callable[[str], bool]) -> list[Span]:
    """A family name alone at the start of a clause, before a phrase that opens a report ("یونسی در پاسخ به
    ...", "کروبی با اشاره به ..."; ``report_phrases``): the index knows it and it is no given name, common word or
    place ("زمان", "عرفان" and "حکمت" are given names and common words too)."""
    table = cues()
    phrases = _table()["report"]
    found: list[Span] = []
    for i, token in enumerate(tokens):
        end = i + 1
        while end < len(tokens) and glued(text, tokens, end):
            end += 1  # a name written with a zero-width non-joiner: "موسوی‌نژاد"
        # a headline's speaker before a colon: "ربیعی : ترس ما ..."
        headline = i == 0 and end < len(tokens) and text[tokens[end - 1].end:tokens[end].start].strip() == ":"
        if end >= len(tokens) or not (headline or (cue_at(tokens, text, end, phrases) and joined(text, tokens, end))):
            continue
        norm = token.norm
        known = name_word(norm) or (family_shaped(norm) and not headline)  # "خضریان با بیان ..."
        if _clause_start(text, tokens, i) and len(norm) >= 3 and known and not _given_only(norm, given_name) \
                and not is_common(norm, name_word) and norm not in table.stop_words and norm not in table.not_names \
                and (norm,) not in table.places and not _cue(text, tokens, i, table):
            found.append(Span("person", token.start, tokens[end - 1].end, "opens-report"))
    return found


def _given_only(norm: str, given_name: Callable[[str], bool]) -> bool:
    """A given name that is no family name too: a family name of origin ending in "ی" ("حسینی", "صادقی",
    "موسوی") is one as well, unless it is a common word."""
    return given_name(norm) and not (norm.endswith("\u064a") and len(norm) >= 4 and norm not in cues().common)


_MINISTER = normalize("وزیر")


def ministries(text: str, tokens: list[Token]) -> list[Span]:
    """The ministry a Persian minister's title names: the portfolio after "وزیر" (``ministry_portfolios``:
    "وزیر اطلاعات", "معاون وزیر امور خارجه"), with the country after it ("وزیر دادگستری ژاپن"). The candidate
    it makes is named as the ministry ("وزارت اطلاعات", "وزارت دادگستری ژاپن")."""
    table = cues()
    found: list[Span] = []
    for i in range(len(tokens) - 1):
        if tokens[i].norm != _MINISTER or not joined(text, tokens, i + 1):
            continue
        n = cue_at(tokens, text, i + 1, _table()["portfolios"])
        if not n:
            continue
        end = i + 1 + n
        if end < len(tokens) and joined(text, tokens, end) and (tokens[end].norm,) in table.places:
            end += 1
        ministry = "وزارت " + " ".join(text[tokens[i + 1].start:tokens[end - 1].end].split())
        found.append(Span("organization", tokens[i + 1].start, tokens[end - 1].end, "minister-of", ministry))
    return found


_PROVINCE = normalize("استان")


def _province_after(text: str, tokens: list[Token], end: int) -> int:
    """How many tokens from ``end`` name a province: "استان" with the province's name (or alone, "the province's"),
    or the name of one of Iran's provinces without it."""
    if end >= len(tokens) or not joined(text, tokens, end):
        return 0
    if tokens[end].norm == _PROVINCE:
        return 1 + (cue_at(tokens, text, end + 1, _table()["provinces"]) if end + 1 < len(tokens)
                    and joined(text, tokens, end + 1) else 0)
    return cue_at(tokens, text, end, _table()["provinces"])


def directorates(text: str, tokens: list[Token], orgs: list[Span]) -> list[Span]:
    """``orgs`` with the bodies a Persian director's title names. An organisation found a word or two after the
    title opens right after it ("مدیر باغبانی سازمان کشاورزی استان خوزستان"); otherwise a portfolio or a
    directorate's body (``directorate_bodies``) with its province is one ("مدیرکل گمرک استان اصفهان", "مدیر
    میراث فرهنگی استان سیستان و بلوچستان"), or without it after "مدیرکل" ("مدیرکل میراث فرهنگی")."""
    fa = _table()
    found = list(orgs)
    for i in range(len(tokens) - 1):
        general = cue_at(tokens, text, i, fa["general"])
        n = general or cue_at(tokens, text, i, fa["directors"])
        start = i + n
        if not n or start >= len(tokens) or not joined(text, tokens, start) \
                or cue_at(tokens, text, start, fa["qualifiers"]):
            continue
        later = [(k, o) for k, o in enumerate(found) if tokens[start].start < o.start]
        k, org = min(later, key=lambda pair: pair[1].start) if later else (-1, None)
        between = [t for t in range(start, len(tokens)) if org is not None and tokens[t].end <= org.start]
        if org is not None and len(between) <= 2 and all(
                joined(text, tokens, t + 1) and _part(text, tokens, t, cues(), fa) for t in between):
            if between:
                found[k] = Span(org.type, tokens[start].start, org.end, "director-of", org.whole)
            continue
        body = cue_at(tokens, text, start, fa["bodies"])
        province = _province_after(text, tokens, start + body) if body else 0
        end = start + body + province
        if body and (general or province) and not any(o.start < tokens[end - 1].end and tokens[start].start < o.end
                                                      for o in found):
            found.append(Span("organization", tokens[start].start, tokens[end - 1].end, "director-of"))
    return found


def offices(text: str, tokens: list[Token], orgs: list[Span]) -> list[Span]:
    """``orgs`` with the bodies an official's title names: a director's (``directorates``) and a minister's
    ministry (``ministries``) where no organisation stands."""
    orgs = directorates(text, tokens, orgs)
    return orgs + [s for s in ministries(text, tokens) if not any(o.start < s.end and s.start < o.end for o in orgs)]
