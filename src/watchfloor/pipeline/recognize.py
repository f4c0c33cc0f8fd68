"""Recognising people, organisations and places in Arabic-script text that the knowledge base does not list.

Rules over the signals this kind of text gives, with every trigger word in ``data/ner_cues.yaml``:

* a title or rank ("العميد ...", "سردار ...") opens a person's name; "the spokesman for" ("المتحدث
  باسم ...") or an organisation noun ("حركة", "كتائب"; Persian ones in ``recognize_fa.py``) an organisation's;
* a place noun ("مدينة", "بلدة", "روستای") opens a place's name, and the CLDR's names of countries and
  cities (``data/ner_places_cldr.yaml``) are places wherever they stand;
* a run of words the romaniser's index knows as name parts is a person when the index holds the
  whole run as an attested full name, or when a title stands before it;
* a role ("اللاعب", "زميله") or an origin adjective ("الفرنسي") before a name opens it, and the
  foreign names of ``data/ner_foreign_names.yaml`` (read by ``cue_data.py``) count as name parts.

Clitics (و ف ب ل ك) and the article are taken off before a word is compared. A name runs until a stop
word, a common word (``data/ner_common_words.txt``), punctuation or a word of another script. The tagger
(``pipeline/tagger.py``) adds what these rules miss; this module is its feature source too. How far a name
runs, and where it may end, is in ``pipeline/recognize_runs.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from watchfloor.kb.normalize import ARTICLE, PREPOSITIONS_APART, Token, has_arabic
from watchfloor.pipeline import recognize_titles as titles
from watchfloor.pipeline.recognize_cues import (
    TYPES,
    Cues,
    Span,
    adjective_after,
    clause_goes_on,
    complement,
    cue_at,
    cues,
    cues_for,
    date_tail,
    first_words,
    glued,
    is_place_adjective,
    joined,
    opens_complement,
    origin_fa,
    place_name_word,
    places_of,
    quoted,
    words_of,
)
from watchfloor.pipeline.recognize_cues import has_article as _article
from watchfloor.pipeline.recognize_cues import is_nisba as _nisba
from watchfloor.pipeline.recognize_cues import is_place_word as _place_word
from watchfloor.pipeline.recognize_cues import is_stop as _is_stop
from watchfloor.pipeline.recognize_cues import stems as _stems
from watchfloor.pipeline.recognize_runs import (
    CLUB,
    FACILITY,
    LISTED,
    MAX_NAME_WORDS,
    MEDIA,
    PARTICLES,
    PRESS,
    SAYYID,
    SON_OF,
    kunya,
    loose_head,
    suffix_free,
    weak_head,
)
from watchfloor.pipeline.recognize_runs import adjective_before_name as _adjective_before_name
from watchfloor.pipeline.recognize_runs import ends_name as _ends_name
from watchfloor.pipeline.recognize_runs import facility as _facility
from watchfloor.pipeline.recognize_runs import is_common as _common
from watchfloor.pipeline.recognize_runs import lineage as _lineage
from watchfloor.pipeline.recognize_runs import person_run as _person_run
from watchfloor.pipeline.recognize_runs import pronoun_title as _pronoun_title
from watchfloor.pipeline.recognize_runs import run as _run
from watchfloor.pipeline.recognize_source import after_origin, object_follows, spokesman

__all__ = ["Span", "Cues", "cues", "recognise", "words_of", "cue_at", "joined", "TYPES", "PARTICLES", "FACILITY",
           "MEDIA", "LISTED", "CLUB", "MAX_NAME_WORDS"]
_FOR = "\u0628\u0627\u0633\u0645"  # "باسم" (for, on behalf of)
_TEAM = "\u0627\u0644\u0641\u0631\u064a\u0642"  # "الفريق", a general's rank and the team: "الفريق مستعد" (ready)


def _plural_fa(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A Persian plural written without its zero-width non-joiner ("حرفهای", "کتابها"), no name part."""
    return len(norm) > 4 and norm.endswith(("\u0647\u0627", "\u0647\u0627\u064a", "\u0647\u0627\u06cc")) \
        and not name_word(norm)


def _article_added(norm: str, places: frozenset[tuple[str, ...]]) -> bool:
    """Whether a word with the article matches a one-word place only without it ("القطر" and "قطر"), the
    place's own forms having none with it; an adjective keeps it ("الروسية")."""
    if not _article(norm):
        return False
    bare = [s for s in _stems(norm) if (s,) in places]
    return bool(bare) and not any(s.startswith(ARTICLE) or s.endswith(("\u064a", "\u064a\u0647")) for s in bare)


def recognise(text: str, name_word: Callable[[str], bool], full_name: Callable[[str], bool],
              tokens: list[Token] | None = None, lang: str | None = None,
              given_name: Callable[[str], bool] | None = None,
              open_name: Callable[[str], bool] | None = None) -> list[Span]:
    """Names in Arabic-script text by the rules above, longest first, no two overlapping.

    ``name_word(norm)`` says whether the romaniser's index knows a word as part of a name;
    ``full_name(surface)`` whether it holds a whole run as an attested full name. In Arabic (not
    Persian, Urdu or Pashto, which have no article) an organisation's name goes on with words that carry
    the article or are names: "كتائب حزب الله", not "الجيش بلدة"."""
    table = cues_for(lang)
    arabic = lang not in PREPOSITIONS_APART
    tokens = tokens if tokens is not None else words_of(text)

    def org_word(k: int, pos: int) -> bool:
        norm = tokens[k].norm
        if arabic and pos > 0 and not _article(norm) and _article(tokens[k - 1].norm) and norm not in PARTICLES \
                and cue_at(tokens, text, k - 1, table.person_titles) != 1:
            return False  # a definite word closes the name: "وزارة الدفاع جون كيربي", not "جامعة الملك سعود"
        # a particle before a name part stays in the name: "مؤسسة محمد بن راشد"
        return not arabic or _article(norm) or name_word(norm) or (
            pos > 0 and norm in PARTICLES and k + 1 < len(tokens) and name_word(tokens[k + 1].norm))

    found: list[Span] = []
    taken = [False] * len(tokens)

    def add(kind: str, i: int, n: int, signal: str) -> None:
        if n <= 0 or any(taken[i:i + n]):
            return
        for k in range(i, i + n):
            taken[k] = True
        found.append(Span(kind, tokens[i].start, tokens[i + n - 1].end, signal))

    def outlet(i: int) -> tuple[int, int] | None:
        """An outlet's or a club's name after its noun, noun left out (start, length): "صحيفة فاينانشال تايمز",
        "وكالة قنا", "نادي الغرافة"; no common word ("صحيفة بريطانية" is a British paper) unless outlets' names use
        it ("تايمز")."""
        media = cue_at(tokens, text, i, table.media_heads) or cue_at(tokens, text, i, table.club_heads) \
            if arabic and not _article(tokens[i].norm) else 0
        if media and (n := quoted(text, tokens, i + media)):  # a name in quotation marks: "تلفزيون «سمانيولو»"
            return i + media, n
        if not media or i + media >= len(tokens) or not joined(text, tokens, i + media):
            return None
        j = i + media
        if cue_at(tokens, text, i, PRESS) and _article(tokens[j].norm) and not (
                _is_stop(tokens[j].norm, table) or is_place_adjective(tokens[j].norm, table) or _nisba(tokens[j].norm)
                or tokens[j].norm in table.not_names or any(cue_at(tokens, text, j, heads) for heads in (
                    table.organisation_heads, table.media_heads, table.place_heads, table.person_titles))):
            return j, 1  # a paper's or a channel's name with the article: "صحيفة الراية" (not "صحيفة الحكومة")
        club = bool(cue_at(tokens, text, i, table.club_heads))  # a club's name may have the article: "نادي الغرافة"
        n = _run(text, tokens, i + media, table, lambda k, pos: pos < 3 and (club or not _article(tokens[k].norm))
                 and not (pos and _nisba(tokens[k].norm)) and (
            any(t.norm in table.media_words for t in tokens[k:k + 3 - pos]) or not (
                _common(tokens[k].norm, name_word) or (pos == 0 and tokens[k].norm.endswith("\u064a\u0647"))
                or is_place_adjective(tokens[k].norm if _article(tokens[k].norm) else ARTICLE + tokens[k].norm,
                                      table))))
        return (i + media, n) if n else None

    # an outlet or a club named after its city goes before the city: "صحيفة واشنطن بوست", "فريق برشلونة"
    outlets = {i: media for i in range(len(tokens)) if (media := outlet(i)) is not None}  # read again below
    for i, media in outlets.items():
        club = cue_at(tokens, text, i, table.club_heads)
        # a paper with the article is named whole even after a city: "صحيفة القدس" is no mention of Jerusalem
        press = cue_at(tokens, text, i, PRESS) and _article(tokens[media[0]].norm)
        if club or press or any(tokens[k].norm in table.media_words for k in range(media[0], sum(media))):
            add("organization", media[0], media[1], CLUB if club or press else MEDIA)
    # places the CLDR names, longest first
    places = places_of(table, lang)
    place_firsts = first_words(places)
    for i in range(len(tokens)):  # a clitic comes off only a word that is no name ("كلاوس" is Klaus, not "like Laos")
        stems = [stem for stem in (_stems(tokens[i].norm)[:1] if name_word(tokens[i].norm) else _stems(tokens[i].norm))
                 if stem in place_firsts]  # most words begin no place's name: no run of words is tried there
        for n in range(min(table.longest_place, len(tokens) - i), 0, -1) if stems else ():
            if any(not joined(text, tokens, k) for k in range(i + 1, i + n)):
                continue
            rest = tuple(t.norm for t in tokens[i + 1:i + n])
            if any((stem, *rest) in places for stem in stems):
                # "روز دوشنبه" is Monday, not Dushanbe; "حركة الأحرار السورية" is Syrian, an adjective; "القطر" is
                # a country (any) or a diameter, not Qatar: a name the list never writes with the article
                if n > 1 or (tokens[i].norm not in table.stop_words and not adjective_after(text, tokens, i, table)
                             and not _article_added(tokens[i].norm, places)):
                    add("place", i, n, "place-list")
                break
    i = 0
    while i < len(tokens):
        if not has_arabic(tokens[i].norm):
            i += 1
            continue
        owner = cue_at(tokens, text, i, table.organisation_of)
        owner = 0 if owner == 1 and arabic and _article(tokens[i].norm) else owner  # "الزعيم الشيعي محمود ..."
        head = cue_at(tokens, text, i, table.organisation_heads)
        # "متحدث باسم" (a spokesman for) names a body that is rarely a name: only his name is looked for after it
        spokesman_of = arabic and owner > 1 and tokens[i + owner - 1].norm == _FOR
        if owner and i + owner < len(tokens) and joined(text, tokens, i + owner) and not (
                spokesman_of and not _article(tokens[i].norm)):
            j = i + owner
            n = _run(text, tokens, j, table, lambda k, pos: org_word(k, pos) and (pos > 0 or not arabic
                                                                                      or _article(tokens[k].norm)))
            head_there = cue_at(tokens, text, j, table.organisation_heads)
            if n == 1 and not head_there and not name_word(tokens[j].norm) and arabic:
                n = 0  # "القيادي في الفصيل" is a member of a faction, no name
            if not arabic and not head_there:
                n = 0  # Persian marks no name: "اعضای کمیسیون" is the committee's members, "فرمانده مهدی" a person
            if head_there:
                after = _run(text, tokens, j + head_there, table, org_word)
                n = head_there + after if after and not (
                    lang == "fa" and weak_head(tokens, j, j + head_there, after, table, name_word)) else 0
            n += complement(text, tokens, j + n, table) if n and arabic else 0
            if n:
                add("organization", j, n, "spokesman-for")
                i = j + n
                m = spokesman(text, tokens, i, table, name_word, (given_name, open_name)) if arabic else 0
                add("person", i, m, "spokesman")
                i += m
                continue
        if owner > 1:  # "المتحدث باسم ...": never a title before a name; after a body that is no name, its
            i += owner  # spokesman's ("المتحدث باسم الحكومة الألمانية أولريتش فيلهلم")
            body = next((b for b in range(3) if i + b >= len(tokens) or not joined(text, tokens, i + b)
                         or not _article(tokens[i + b].norm)), 3) if spokesman_of else 0
            m = spokesman(text, tokens, i + body, table, name_word, (given_name, open_name)) if body else 0
            add("person", i + body, m, "spokesman")
            i += body + m
            continue
        if given_name and (n := _facility(text, tokens, i, table, name_word, given_name, taken, lang)):
            add("place", i, n, FACILITY)
            i += n
            continue
        title = cue_at(tokens, text, i, table.person_titles) or cue_at(tokens, text, i, table.person_roles) \
            or (cue_at(tokens, text, i, table.person_introducers) if arabic else 0) \
            or (_pronoun_title(tokens[i].norm, table) if arabic else 0)
        if title:
            j = i + title
            # adjectives and offices after the title ("الرئيس الإيراني", "وزير الخارجية") are skipped
            skipped = intro = 0
            while j < len(tokens) and skipped < 3 and joined(text, tokens, j) and _article(tokens[j].norm) \
                    and not (intro := cue_at(tokens, text, j, table.person_introducers) if arabic else 0) \
                    and (not name_word(tokens[j].norm) or _adjective_before_name(text, tokens, j)
                         or tokens[j].norm in table.common) and not titles.imam_epithet(tokens, j):
                j += 1
                skipped += 1
            j += intro  # "القيادي المعروف باسم أبو دجانة": the name after "known as", not "باسم" (Basim)
            j = i + title if arabic and titles.after_cleric(text, tokens, i, i + title, table, name_word) else j
            # Persian stacks offices and names the country between office and name: "معاون اول رئیس جمهور
            # محمدرضا عارف" (the first vice-president, Aref), "رئیس جمهور تاجیکستان امامعلی رحمان"
            while not arabic and j < len(tokens) and skipped < 3 and joined(text, tokens, j) and (
                    more := cue_at(tokens, text, j, table.person_titles)
                    or (1 if (tokens[j].norm,) in table.places or origin_fa(tokens[j].norm, table) else 0)):
                j += more
                skipped += 1
            if j < len(tokens) and joined(text, tokens, j):
                n = _person_run(text, tokens, j, table, name_word, first_known=False)
                royal = titles.titled(tokens[i].norm, titles.ROYAL)  # "الملك", "للإمام"
                if arabic and (royal or (not n and titles.titled(tokens[i].norm, titles.RULERS))):
                    n = titles.royal_name(text, tokens, j, n, name_word)  # a ruler's family name ends: "الرئيس الأسد"
                    n = n if royal or _ends_name(text, tokens, j + n, table) else 0
                if arabic and n <= 1 and titles.after_cleric(text, tokens, i, j, table, name_word):
                    j, n = i, j - i + 1  # the rank is written as part of the name: "آية الله السيستاني"
                if lang == "fa":  # Persian marks no end of a name: a given name and a family name, or a family name
                    n = min(n, (2 + (n > 2 and name_word(tokens[j + 2].norm))) if name_word(tokens[j].norm) else 1)
                    n = 1 if n == 2 and _plural_fa(tokens[j + 1].norm, name_word) else n  # "آقای خاتمی حرفهای"
                elif not arabic:  # Urdu and Pashto end it with a postposition ("گوہر علی خان نے")
                    n = min(n, 4)
                # two words or more after a title need a name part the index knows or a clean end
                # ("اللاعب طلب الرحيل" is not a name)
                known = any(name_word(tokens[k].norm) for k in range(j, j + n)) or titles.imam_epithet(tokens, j)
                named = arabic and tokens[i].norm in titles.CALLED and suffix_free(tokens[j].norm) and not _common(
                    tokens[j].norm, name_word)  # one word after "called" is a name if nothing else: "تدعى جنجر"
                # with no known part, a word with the article ends a description, not a name ("يريد الرحيل")
                bare = not any(_article(tokens[k].norm) for k in range(j, j + n))
                # after a Persian honorific ("آقای", "دکتر", "مهندس"), not an office ("رئیس دانشگاه"), one word that is
                # no common word is a family name: "مهندس لطفعلیان"
                honoured = lang == "fa" and n == 1 and bool(cue_at(tokens, text, i, table.honorifics_fa)) \
                    and not glued(text, tokens, j) \
                    and not _common(tokens[j].norm, name_word) and (tokens[j].norm,) not in table.places
                if (n >= 2 and (known or (bare and _ends_name(text, tokens, j + n, table)))) or (
                        n == 1 and (known or named) and (tokens[i].norm != _TEAM or j > i + 1)) or honoured:
                    if lang == "fa" and tokens[j - 1].norm in SAYYID:  # a lineage, part of the name: "سید محمد خاتمی"
                        j, n = j - 1, n + 1
                    add("person", j, n, "title")
                    i = j + n
                    continue
        if (media := outlets.get(i)) is not None:
            add("organization", media[0], media[1], CLUB if cue_at(tokens, text, i, table.club_heads) else MEDIA)
            i = media[0] + media[1]
            continue
        if head and lang != "fa":  # Persian organisations: recognize_fa.organisations
            n = _run(text, tokens, i + head, table, org_word)
            n = n if arabic else min(n, 4)
            named = any(name_word(tokens[k].norm) or _place_word(tokens[k].norm, table)
                        for k in range(i + head, i + head + n))
            # a complement with "ل" names the body too ("الهيئة العامة للاستثمار", "الاتحاد الدولي للصحفيين"), and
            # so does a date ("قوى الثامن من آذار")
            more = (complement(text, tokens, i + head + n, table) if arabic else 0) + date_tail(
                text, tokens, i + head + n, table) if n else 0
            within = arabic and any(opens_complement(tokens[k].norm) for k in range(i + head + 1, i + head + n))
            named, n = named or bool(more) or within, n + more
            if (cue_at(tokens, text, i, table.generic_heads) == head and not named) or (
                    lang == "fa" and loose_head(tokens, i, i + head, n, table)):
                n = 0
            if n:
                add("organization", i, head + n, "organisation-noun")
                i += head + n
                continue
        # in Arabic only the Arabic place nouns, and only without the article: "بمنطقة خزاعة", not
        # "المنطقة الحرة" (a description) or "رود" (a Persian river, an English given name)
        heads = table.place_heads_ar if arabic else table.place_heads_fa if lang == "fa" else table.place_heads
        place = cue_at(tokens, text, i, heads)
        place = 0 if arabic and _article(tokens[i].norm) else place
        place = place if arabic or (tokens[i].norm,) in heads else 0  # no clitics in Persian: "برود"
        place = 0 if lang == "fa" and i and tokens[i - 1].norm in table.determiners_fa else place
        if place and i + place < len(tokens) and joined(text, tokens, i + place):
            j = i + place
            # a Persian place noun before a common word is no name: "منطقه مهم", "استان اختصاص یافته"
            n = _run(text, tokens, j, table, lambda k, pos: pos < (2 if arabic else 1) and (
                place_name_word(tokens[k].norm, pos, name_word, _article(tokens[k - 1].norm)) if arabic
                else lang != "fa" or not _common(tokens[k].norm, name_word) or _place_word(tokens[k].norm, table)))
            # Persian names a place with its noun ("استان کردستان", "جزیره هرمز"); a noun with the ezafe ی
            # ("روستای کلاته", the village of Kalateh) stays outside the name
            if n and not arabic and not tokens[i].norm.endswith("\u064a"):
                add("place", i, place + n, "place-noun")
                i = j + n
                continue
            if n:
                add("place", j, n, "place-noun")
                i = j + n
                continue
        verb = cue_at(tokens, text, i, table.subject_verbs) if arabic else 0
        verb = 0 if _article(tokens[i].norm) and (tokens[i].norm,) not in table.subject_verbs else verb  # "الرفض"
        if verb and i + verb < len(tokens) and joined(text, tokens, i + verb):
            j = i + verb
            n = _person_run(text, tokens, j, table, name_word, first_known=False)
            ends_well = clause_goes_on(text, tokens, j + n, table) or object_follows(text, tokens, j, n, name_word)
            if n and ends_well and tokens[j].norm not in table.not_names and (n > 1 or name_word(tokens[j].norm)
                                                                               or suffix_free(tokens[j].norm)):
                add("person", j, n, "subject-of-saying")
                i = j + n
                continue
            # a family name with the article alone, before the clause goes on or the verb's object: "وأكد الحريري
            # أن ...", "وأكد الحريري تمسك ..."
            word = tokens[j].norm
            if not n and _article(word) and name_word(word) and not _common(word, name_word) \
                    and (clause_goes_on(text, tokens, j + 1, table)
                         or not (name_word(tokens[j + 1].norm) or tokens[j + 1].norm in PARTICLES)) \
                    and not (is_place_adjective(word, table) or _place_word(word, table) or _is_stop(word, table)
                             or word in table.not_names or cue_at(tokens, text, j, table.organisation_heads)
                             or cue_at(tokens, text, j, table.person_titles)
                             or cue_at(tokens, text, j, table.person_roles)):  # "وتحدث الكاتب عن
                add("person", j, 1, "subject-of-saying")
                i = j + 1
                continue
        if arabic and (n := after_origin(text, tokens, i, table, name_word)):
            add("person", i + 1, n, "origin")  # "الفرنسي تييري هنري", "والياباني هاروكي موراكامي"
            i += 1 + n
            continue
        if arabic and (n := _lineage(text, tokens, i, table, name_word)):
            add("person", i, n, "lineage")
            i += n
            continue
        # a kunya opens a name: "أبو عبيدة", "ابن خلدون", "بعد خروج أبي زيد"
        if arabic and kunya(text, tokens, i, name_word) and not (i and name_word(tokens[i - 1].norm)) and (
                n := _person_run(text, tokens, i, table, name_word, first_known=False)) >= 2:
            add("person", i, n, "kunya")
            i += n
            continue
        if name_word(tokens[i].norm) and tokens[i].norm != SON_OF:  # "ولد جورج واشنطن في": was born
            n = _run(text, tokens, i, table, lambda k, pos: name_word(tokens[k].norm) or pos > 0)
            for m in range(min(n, 3), 0, -1):
                if full_name(text[tokens[i].start:tokens[i + m - 1].end]):
                    # the name goes on with the name parts after it: "طه ياسين رمضان", "عبد اللطيف القرقاوي"
                    whole = _person_run(text, tokens, i, table, name_word, first_known=True)
                    # and the lineage after it: "عبد الرحمن بن خلدون"
                    if whole > m and _ends_name(text, tokens, i + whole, table) and all(
                            name_word(tokens[k].norm) or (k == i + whole - 1 and _nisba(tokens[k].norm))
                            or tokens[k].norm in PARTICLES or tokens[k - 1].norm in PARTICLES
                            for k in range(i + m, i + whole)):
                        m = whole
                    add("person", i, m, "attested-name")
                    i += m
                    break
            else:
                # a common given name followed by another name part: "سامر الحلبي", "رامي السعدي"
                m = _person_run(text, tokens, i, table, name_word, first_known=True) if given_name else 0
                # a foreign given name takes any family name after it ("كلاوس بيكارد")
                foreign = open_name is not None and open_name(tokens[i].norm)
                # in Arabic a name part before a family name the index knows whole is its given name: "أندري أغاسي"
                # (not "رحيل أحمد مظهر", "بيت عبد الكريم": a given name opens the name after; nor Persian "جای X")
                before = next((k - i + 1 for k in range(i + 1, min(i + m, i + 3)) if full_name(
                    text[tokens[i + 1].start:tokens[k].end])), 0) if arabic and m >= 2 and given_name and not (
                    given_name(tokens[i + 1].norm) or tokens[i + 1].norm in PARTICLES or _common(tokens[i].norm,
                    name_word) or cue_at(tokens, text, i, table.subject_verbs)) else 0  # "وواصل فيدرر"
                if before:
                    add("person", i, before, "given-name")
                    i += before
                elif given_name and m >= 2 and given_name(tokens[i].norm) and (
                        name_word(tokens[i + 1].norm) or (foreign and _ends_name(text, tokens, i + m, table))):
                    add("person", i, m, "given-name")
                    i += m
                else:
                    i += 1
            continue
        i += 1
    return sorted(found, key=lambda s: s.start)
