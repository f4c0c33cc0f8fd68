"""The runs of words that make a name, for the recogniser (``pipeline/recognize.py``): how far a person's name
goes from its first word (particles, a family name with the article, a compound's second half, a month word that
is a name part), where a name may end, a title with a pronoun written onto it, a name that names its father, and
a site named after a person."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from watchfloor.kb.normalize import ARTICLE, Token, has_arabic, normalize
from watchfloor.pipeline.recognize_cues import CLITIC_ARTICLE as _CLITIC_ARTICLE
from watchfloor.pipeline.recognize_cues import LISTED, Cues, Span, cue_at, cues, glued, is_ali, joined
from watchfloor.pipeline.recognize_cues import has_article as _article
from watchfloor.pipeline.recognize_cues import is_nisba as _nisba
from watchfloor.pipeline.recognize_cues import is_place_adjective as _place_adjective
from watchfloor.pipeline.recognize_cues import is_stop as _is_stop
from watchfloor.pipeline.recognize_cues import stems as _stems
from watchfloor.pipeline.word_shapes import (
    POSSESSED,
    PREPOSITIONS,
    SUFFIXES,
    frequent,
    frequent_words,
    object_shape,
    possessed_action,
    suffix_free,
    verb_after_name,
    verb_like,
)

__all__ = ["possessed_action", "ELATIVES", "SECOND_HALVES", "MAX_NAME_WORDS", "PARTICLES", "LINEAGE", "SON_OF",
           "FACILITY", "MEDIA", "CLUB", "LISTED", "facility", "ends_name", "run", "calendar_name",
           "is_common", "person_run", "pronoun_title", "adjective_before_name", "lineage", "SAYYID",
           "verb_like", "clitic_article", "PRESS", "suffix_free", "loose_head", "weak_head", "COUNTRY"]

MAX_NAME_WORDS = 5
# a preposition or conjunction with the article ("للصحفيين", "والوزير") never stands inside a person's name
# name particles: "عبد الله", "حمد بن خليفة آل ثاني", "أبو آلاء", the Mauritanian "محمد ولد عبد العزيز"
PARTICLES = frozenset(normalize(w) for w in ("عبد", "بن", "ابن", "آل", "أبو", "ابو", "أبي", "بنت", "أم", "ولد"))
SON_OF = normalize("ولد")  # also "was born": no stop word after it is a name part ("ولد في"), and it opens no name
LINEAGE = frozenset(normalize(w) for w in ("بن", "بنت", "ولد"))
SECOND_HALVES = frozenset(normalize(w) for w in ("الدين", "الله"))  # of a compound given name: "زين الدين"

FACILITY = "facility-noun"
MEDIA = "media-noun"
CLUB = "club-noun"
# the nouns of papers and channels whose names often take the article: "صحيفة الراية", "جريدة الوفاق", "فضائية
# الشرقية" (not "وكالة", also an agency, "قناة", also a canal and a means, "قناة الاتصال", nor "تلفزيون":
# "تلفزيون الدولة" is the state's)
PRESS = frozenset((normalize(w),) for w in ("صحيفة", "جريدة", "مجلة", "فضائية", "إذاعة"))


def facility(text: str, tokens: list[Token], i: int, table: Cues, name_word: Callable[[str], bool],
              given_name: Callable[[str], bool], taken: list[bool], lang: str | None) -> int:
    """A building, site or street named after a person, noun included: "مستشفى كمال عدوان", "مطار رفيق
    الحريري" (to its adjective: "الدولي" stays out), "بیمارستان امام خمینی", "جسر الملك حسين". The words
    after the noun must read as a person's name (a title, or a given name and another name part); other
    names after such a noun are left to the place rules ("مطار بيروت", "سجن صيدنايا"). 0 when there is none."""
    heads = table.facility_heads_fa if lang == "fa" else table.facility_heads_ar if lang in (None, "ar") else None
    head = cue_at(tokens, text, i, heads) if heads and not _article(tokens[i].norm) else 0
    j = i + head
    if not head or j >= len(tokens) or taken[j] or not joined(text, tokens, j):
        return 0
    title = cue_at(tokens, text, j, table.person_titles)
    k = j + title
    if title and k < len(tokens) and joined(text, tokens, k):
        # a name with the article after a title is the name: "مسجد الإمام الحسين"
        n = person_run(text, tokens, k, table, name_word, first_known=False) or \
            (1 if _article(tokens[k].norm) and name_word(tokens[k].norm) else 0)
    else:
        n = person_run(text, tokens, j, table, name_word, first_known=True)
        n = n if n >= 2 and given_name(tokens[j].norm) and name_word(tokens[j + 1].norm) else 0
        while n > 2 and not name_word(tokens[j + n - 1].norm):
            n -= 1  # the name ends on a part the index knows: "مستشفى كمال عدوان خرج عن الخدمة"
    if title and not n:
        return 0
    n += title
    while n and any(taken[j:j + n]):  # a place after the name is not part of it: "... امام خمینی تهران"
        n -= 1
    return head + n if n > title else 0


def ends_name(text: str, tokens: list[Token], k: int, table: Cues) -> bool:
    """Whether a name may end before token k: the end of the text, punctuation, a number, a word with "و", a stop
    word, a title or an organisation noun ("… بوتين الشركات" does not end well, "… هنري فريقه" does not either)."""
    if k < len(tokens) and (tokens[k].norm.isdigit() or (tokens[k].norm[:1] == "\u0648" and len(tokens[k].norm) > 3)):
        return True  # a score or a year ("لويس هورنا 6 - 4"), or "و" before the next name or clause ("... وريكل")
    if k >= len(tokens) or not joined(text, tokens, k) or verb_like(tokens[k].norm) or tokens[k].norm in ELATIVES \
            or any(v in table.common for v in _stems(tokens[k].norm)[:2]) \
            or frequent(tokens[k].norm, frequent_words(table)):
        return True
    return _is_stop(tokens[k].norm, table) or bool(cue_at(tokens, text, k, table.person_titles)
                                                   or cue_at(tokens, text, k, table.person_roles))


def run(text: str, tokens: list[Token], i: int, table: Cues, accept: Callable[[int, int], bool],
         after_particle: bool = False, name_word: Callable[[str], bool] | None = None) -> int:
    """How many tokens from i form a name: joined, Arabic-script, no stop word, ``accept(k, position)``;
    with ``after_particle``, a stop word right after a name particle is a name part ("آل ثاني"); with
    ``name_word``, Ali is a name part though "على" folds into it."""
    n = particles = 0  # particles do not count against the length: "محمد ولد سيدي ولد أحمد"
    while i + n < len(tokens) and n - particles < MAX_NAME_WORDS:
        k = i + n
        token = tokens[k]
        after_one = n > 0 and tokens[k - 1].norm in PARTICLES and tokens[k - 1].norm != SON_OF
        # a European name's particle is a stop word with its clitic taken off ("فان": ف + أن)
        particle = (after_particle and after_one) or (n > 0 and token.norm in _FOREIGN_PARTICLES)
        if not has_arabic(token.norm) or token.norm.isdigit() or (n and not joined(text, tokens, k)) \
                or (_is_stop(token.norm, table) and not particle
                    and not (name_word is not None and (is_ali(text, tokens, k, name_word)
                                                        or calendar_name(text, tokens, k, table, name_word)
                                                        or second_half(tokens, k, name_word)))):
            break
        # after a particle a title is a name part: "بندر بن سلطان", "أبو أمير"; so is one that is a name before "بن"
        # ("الأمير سلطان بن فهد", "خليفة بن زايد")
        son = k + 1 < len(tokens) and tokens[k + 1].norm in LINEAGE and joined(text, tokens, k + 1) \
            and name_word is not None and name_word(token.norm)
        if not after_one and not son and (any(cue_at(tokens, text, k, cue) for cue in (
                table.person_titles, table.organisation_heads, table.place_heads, table.person_roles,
                table.person_introducers)) or pronoun_title(token.norm, table)):
            break
        if not accept(k, n):
            break
        particles += after_particle and n > 0 and token.norm in PARTICLES
        n += 1
    return n


def calendar_name(text: str, tokens: list[Token], k: int, table: Cues, name_word: Callable[[str], bool]) -> bool:
    """A month or day word that is a name part, after a name part and before no number: "طه ياسين رمضان",
    "محمد جمعة"; not "في رمضان" or "شعبان 1445"."""
    return k > 0 and tokens[k].norm in table.calendar and name_word(tokens[k].norm) \
        and name_word(tokens[k - 1].norm) and not _is_stop(tokens[k - 1].norm, table) \
        and not (k + 1 < len(tokens) and joined(text, tokens, k + 1) and tokens[k + 1].norm.isdigit())


def second_half(tokens: list[Token], k: int, name_word: Callable[[str], bool]) -> bool:
    """"الله" or "الدين" after a name part, the second half of a compound name ("نصر الله", "فتح الله"), though
    "له" is a stop word; not in a blessing, where a word with a pronoun follows ("طيب الله ثراه", "رضي الله عنه")."""
    blessing = k + 1 < len(tokens) and tokens[k + 1].norm.endswith(SUFFIXES + ("\u0647",))
    return k > 0 and tokens[k].norm in SECOND_HALVES and name_word(tokens[k - 1].norm) and not blessing


def is_common(norm: str, name_word: Callable[[str], bool], wide: bool = False) -> bool:
    """A common word, no name part; "ك" ("like") is not taken off ("كوستا"), nor "ب" before a present verb's "ي",
    which no preposition takes ("بيولي"). A common word with the accusative's alif is one too ("مستشارا", "فنيا").
    ``wide``: wordfreq's frequent words too, which end a person's name but may name a place or a club ("برشلونة")."""
    verb = norm[:2] == "\u0628\u064a" and len(norm) >= 5
    forms = _stems(norm)[:1] if norm[:1] == "\u0643" or verb else _stems(norm)[:2]
    if norm.endswith("\u0627") and len(norm) >= 4:
        forms = (*forms, norm[:-1])
    if norm.endswith("\u064a\u0647") and len(norm) >= 5:
        forms = (*forms, norm[:-2])  # the plural with his pronoun: "محبيه", "مشجعيه"
    return not name_word(norm) and (any(v in cues().common for v in forms) or (wide and frequent(norm)))


def clitic_article(norm: str, name_word: Callable[[str], bool]) -> bool:
    """A word that opens with a conjunction or preposition and the article ("والوزير", "بالبصرة", "والحريري"),
    not a name that only begins like one: "فاليري" (Valery) and "فالح" (Falih) are attested as they stand, and
    what follows "فال" in them is no name of its own."""
    prefix = next((p for p in _CLITIC_ARTICLE if norm.startswith(p)), None)
    if prefix is None:
        return False
    rest = norm[len(prefix):]
    return not name_word(norm) or name_word(rest) or name_word(ARTICLE + rest)


# Persian prefixes written apart from their word with a zero-width non-joiner: "بی‌", "نا‌", "می‌", "نمی‌"
_FA_PREFIXES = frozenset(normalize(w) for w in ("بی", "نا", "می", "نمی"))
# the particles of European names, which are common words in Arabic too ("فان", a mortal)
_FOREIGN_PARTICLES = frozenset(normalize(w) for w in ("فان", "فون", "دي", "دو", "دا", "ديل", "دير", "دل", "دوس", "ديلا",
                                                     "دلا"))


# adjectives of the pattern أفعل that the index knows as names too ("أكبر" in "علي أكبر"), and their kin
ELATIVES = frozenset(normalize(w) for w in ("أفضل", "أكبر", "أصغر", "أحسن", "أكثر", "أقل", "أبرز", "أهم", "أشهر"))


_PERSIAN_LETTERS = "\u067e\u0686\u0698\u06af"  # پ چ ژ گ: a word written with them has no Arabic article


def _office_after(text: str, tokens: list[Token], k: int, table: Cues) -> bool:
    """Whether the holder's office or role follows token k in apposition, at once or after a comma ("... الجفيري رئيس
    قسم", "... البردويل ، المتحدث باسم"), or the clause the name is the subject of ("محمد الصيهود إن ...")."""
    after, norm = k + 1, tokens[k].norm
    if len(norm) >= 7 and norm.endswith(("\u064a\u0646", "\u0648\u0646", "\u0627\u062a")):
        return False  # a plural ("الحاضرين", the attendees) is the verb's object, no family name
    if after >= len(tokens) or (not joined(text, tokens, after)
                                and text[tokens[k].end:tokens[after].start].strip() not in (",", "\u060c")):
        return False
    return bool(cue_at(tokens, text, after, table.person_titles) or cue_at(tokens, text, after, table.person_roles)
                or (joined(text, tokens, after) and tokens[after].norm in _THAT))


def person_run(text: str, tokens: list[Token], i: int, table: Cues, name_word: Callable[[str], bool],
                first_known: bool) -> int:
    """A person's name from token i: no article on its first word; a word with the article ends it ("حسين الفردان
    العضو") unless after a particle ("آل ثاني"), and after two words needs the index ("فلاديمير بوتين الشركات"), or
    an office or "إن" after it (``_office_after``); an unknown word with و opens a second name ("أندرو فاير وكراغ")."""
    state = {"ended": False, "compound": False}
    arabic = bool(frequent_words(table))

    def accept(k: int, pos: int) -> bool:
        norm = tokens[k].norm
        if norm in table.not_names or clitic_article(norm, name_word):
            return False
        if norm in _FA_PREFIXES and k + 1 < len(tokens) and glued(text, tokens, k + 1):
            return False  # a Persian prefix before its word, no name: "بی‌اعتمادی" (distrust), "کامل بی‌عدالتی"
        if state["ended"] and not (_article(norm) and name_word(norm)):
            return False  # after a family name with the article only another one: "ناصر الأحمد الجابر"
        if state["compound"] and _article(norm):
            return False  # "حسن نصر الله الأمين العام": the title after the name
        if pos == 0 and norm == SON_OF:
            return False  # "ولد" opens no name: "was born" ("ولد سلفادور دالي في ...")
        if pos == 0:
            article = _article(norm) and (norm.startswith(ARTICLE) or clitic_article(norm, name_word))  # not "فالح"
            return not article and (name_word(norm) or not first_known) and not is_common(norm, name_word, arabic)
        previous = tokens[k - 1].norm
        if previous in PARTICLES or norm in PARTICLES:  # "آل" is a particle, not the article
            return True
        if previous in _FOREIGN_PARTICLES and pos >= 2 and not _article(norm):
            return True  # the word after a European name's particle is the name's: "فون دير لاين"
        if norm[:1] == "\u0648" and (not name_word(norm) or (len(norm) > 3 and name_word(norm[1:]))
                                     or norm[1:] in PARTICLES):
            return False  # "و" before an unknown word, a name part or a particle opens a second name ("ومارك هانسن",
            # "مبارك وعبد الله")
        if norm[:1] in PREPOSITIONS and len(norm) > 3 and not name_word(norm) and (
                name_word(norm[1:]) or _article(norm[1:]) or norm[1:] in cues().common):
            return False  # "صامويل إيتو بنظام اللعب"
        if norm in _FOREIGN_PARTICLES and k + 1 < len(tokens) and joined(text, tokens, k + 1) \
                and not is_common(tokens[k + 1].norm, name_word):
            return True  # "رود فان نيستلروي", "أورسولا فون دير لاين", "ليوناردو دي كابريو"
        if is_common(norm, name_word, arabic) and not (frequent(norm) and _office_after(
                text, tokens, k, table)):  # a frequent word that names too, before his office: "يورغن كلوب مدرب"
            return False  # "ناجي صبري عقد اجتماعا": a common word ends the name
        if (pos >= 2 and norm in ELATIVES) or (norm[:1] in "\u0643\u0628\u0644" and norm[1:] in ELATIVES):
            return False  # a foreign name ends before an adjective: "كارميلو أنطوني أفضل مسجل", "باتشان كأشهر"
        if not name_word(norm) and (verb_like(norm) or (pos >= 2 and len(norm) <= 3 and norm[-1] == "\u062a")
                                    or (pos >= 2 and verb_after_name(norm))
                                    or norm.endswith(POSSESSED) or possessed_action(norm) or object_shape(norm)):
            return False  # "... قيديد سيطروا", "صامويل إيتو بتمزق", "هوجو شافيز سعت", "ابن خلدون مقدمته"
        if _article(norm):
            # a family name with the article ends the name ("سليم الخطيب نظيره"), a compound's second half does not
            # ("زين الدين زيدان", "مي عز الدين", "فتح الله كولن")
            state["compound"] = norm in SECOND_HALVES and name_word(tokens[k - 1].norm)
            # counted without the particles: "عبد اللطيف القرقاوي" is a given name and a family name, and so is a
            # nisba of no place ("محمد مقلد المريخي"); a word with the article that is no name ends it: "جوزيه
            # الإفصاح" ("الپاتف" has none); unless an office or "إن" follows it (looked at only then)
            if not state["compound"] and ((sum(t.norm not in _UNCOUNTED for t in tokens[k - pos:k]) >= 2
                                           and not name_word(norm)
                                           and not (_nisba(norm) and not _place_adjective(norm, table))) or (
                    not _nisba(norm) and not any(name_word(s) for s in _stems(norm)[:3])
                    and not any(c in norm for c in _PERSIAN_LETTERS))) and not _office_after(text, tokens, k, table):
                return False
            state["ended"] = not state["compound"]
        return True

    n = run(text, tokens, i, table, accept, after_particle=True, name_word=name_word)
    while n > 1 and tokens[i + n - 1].norm in PARTICLES:
        n -= 1  # a name ends on no particle: "فيصل ابن" is no name after "ابن"
    return n


_PRONOUNS = tuple(normalize(w) for w in ("هما", "هم", "ها", "ه"))  # "رئيسها", "زعيمهم", "مدربه"
SAYYID = frozenset(normalize(w) for w in ("سید", "سیده", "سیّد"))  # Persian: the Prophet's lineage, in the name


def pronoun_title(norm: str, table: Cues) -> int:
    """1 for a one-word title with a pronoun written onto it ("رئيسها" her president, "مدربه" his coach)."""
    return int(any(norm.endswith(p) and len(norm) - len(p) >= 3 and (
        (norm[:-len(p)],) in table.person_titles or (norm[:-len(p)],) in table.person_roles) for p in _PRONOUNS))


def adjective_before_name(text: str, tokens: list[Token], j: int) -> bool:
    """An origin adjective after a title with a word without the article after it: "الرئيس الجزائري عبد
    المجيد", though the index knows "الجزائري" as a family name."""
    return _nisba(tokens[j].norm) and j + 1 < len(tokens) and joined(text, tokens, j + 1) \
        and not _article(tokens[j + 1].norm)


KUNYA = frozenset(normalize(w) for w in ("أبو", "أبي", "أبا", "ابن", "وأبو", "وابن", "لأبي", "لابن", "بأبي", "بابن"))
_UNCOUNTED = PARTICLES | KUNYA  # the words of a name not counted against its length ("بأبي محمد العدناني")


def kunya(text: str, tokens: list[Token], k: int, name_word: Callable[[str], bool]) -> bool:
    """"أبو", "أبي" or "ابن" and a name part: "أبي سفيان", "ابن خلدون", "أبو عبيدة" (not "ابن عمه"); after "أبو", any
    word of three letters or more without the article that is no common, frequent or stop word nor a verb: a nom de
    guerre or a nickname the index does not know ("أبو هريرة", "أبو خوصة"; not "أبو الإلكترون")."""
    if tokens[k].norm not in KUNYA or k + 1 >= len(tokens) or not joined(text, tokens, k + 1):
        return False
    after = tokens[k + 1].norm
    if tokens[k].norm.endswith("\u0628\u0648") and has_arabic(after) and len(after) >= 3 and not _article(after) \
            and not is_common(after, name_word, True) and not verb_like(after) and not _is_stop(after, cues()):
        return True
    return name_word(after) and not is_common(after, name_word)


def lineage(text: str, tokens: list[Token], i: int, table: Cues, name_word: Callable[[str], bool]) -> int:
    """A name that names a father: a word, "بن", "بنت" or "ولد", and a name part or a kunya ("سيدي ولد أحمد
    ولد سالم", "سعيد بن مسفر", "معاوية بن أبي سفيان"); the first word is no common word or stop word (but Ali,
    "علي بن أبي طالب"), and has the article only as a name part ("الحسن بن علي")."""
    first = tokens[i].norm
    if i + 2 >= len(tokens) or tokens[i + 1].norm not in LINEAGE or not all(
            joined(text, tokens, k) for k in (i + 1, i + 2)) or not (name_word(tokens[i + 2].norm) or kunya(
                text, tokens, i + 2, name_word)) \
            or first in PARTICLES or (_is_stop(first, table) and not is_ali(text, tokens, i, name_word)) \
            or (i and any(stem in PARTICLES for stem in _stems(tokens[i - 1].norm)[:2])):
        return 0  # no second half of a name: "وعبد الرحمان ولد محمد" does not start at "الرحمان"
    if first.startswith(ARTICLE) and name_word(first) and not is_common(first, name_word):
        n = 1 + person_run(text, tokens, i + 1, table, name_word, first_known=False)
    else:
        n = person_run(text, tokens, i, table, name_word, first_known=False)
    return n if n >= 3 else 0


_THAT = frozenset(normalize(w) for w in ("إن", "أن", "بأن"))


_LOOSE = frozenset(normalize(w) for w in ("جامعه", "جنبش"))


def loose_head(tokens: list[Token], i: int, j: int, n: int, table: Cues) -> bool:
    """A Persian head and one adjective, the n words from j: "جامعه مدنی" (civil society), "جنبش دانشجویی" (the
    student movement); not "جامعه مدرسین ...", "جنبش عدم تعهد" or "جامعه اسلامی مهندسین". The adjective may be a
    family name too ("مدنی")."""
    if tokens[i].norm not in _LOOSE or j >= len(tokens) or not tokens[j].norm.endswith(("\u064a", "\u06cc")):
        return False
    return n == 1 and (tokens[j].norm,) not in table.places


_WEAK = frozenset(normalize(w) for w in ("گروه", "ستاد", "کمیته", "کمیسیون", "هیأت", "هیات"))
COUNTRY = normalize("کشور")  # "... of the country": ends a Persian national body's name


def weak_head(tokens: list[Token], i: int, j: int, n: int, table: Cues, name_word: Callable[[str], bool]) -> bool:
    """A Persian committee, group or staff named by the one or two common words from j is a description: "گروه
    فشار" (the pressure group), "کمیسیون تحقیق" (the inquiry commission), "گروه اول"; not "کمیته المپیک ایران",
    a national body ("ستاد انتخابات کشور") or a longer name ("ستاد کل نیروهای مسلح")."""
    return tokens[i].norm in _WEAK and 0 < n <= 2 and all(
        is_common(tokens[k].norm, name_word) and (tokens[k].norm,) not in table.places and tokens[k].norm != COUNTRY
        for k in range(j, j + n))


def _and_written_on(text: str, token: Token, given_name: Callable[[str], bool]) -> bool:
    """Whether a word may be "و" (and) written onto another word: it opens with the letter as written, is long
    enough to hold a word after it, and is no given name itself ("وليد", "وسام")."""
    return token.norm[:1] == "\u0648" and len(token.norm) >= 4 and text[token.start] == "\u0648" \
        and not given_name(token.norm)


def conjunction_off(text: str, span: Span, tokens: Sequence[Token], name_word: Callable[[str], bool],
                    given_name: Callable[[str], bool]) -> Span:
    """A person's name without the "و" written onto its first word ("وسامي بركات": and Sami) unless the word is a given
    name with it ("وليد", "وائل"), nor "ب" or "ل" before a given name ("بيوسف", not "بشار") or a kunya ("بأبي محمد",
    "لابن خلدون"). ``name_word`` and ``given_name`` say whether the index or the given names hold a word as written."""
    first = next((t for t in tokens if t.start == span.start), None)
    if span.type != "person" or first is None:
        return span
    rest = first.norm[1:]
    preposition = text[first.start] in PREPOSITIONS and (rest in KUNYA or (
        len(rest) >= 3 and given_name(rest) and not name_word(first.norm) and not given_name(first.norm)))
    conjunction = _and_written_on(text, first, given_name) and (
        given_name(rest) or (name_word(rest) and not name_word(first.norm)))
    return Span(span.type, span.start + 1, span.end, span.signal, span.whole) if preposition or conjunction else span


def split_at_and(text: str, span: Span, tokens: Sequence[Token], given_name: Callable[[str], bool]) -> list[Span]:
    """A person's span that runs over "و" and a second given name is two people ("جورج ميلر ومارك هانسن": George
    Miller and Mark Hansen); a given name that starts with the letter ("وليد", "وسام") splits nothing.
    ``given_name`` says whether a word as written after the "و" opens a second name."""
    if span.type != "person":
        return [span]
    inside = [t for t in tokens if span.start <= t.start and t.end <= span.end]
    found, start = [], span.start
    for k in range(1, len(inside)):
        word = inside[k]
        if _and_written_on(text, word, given_name) and given_name(word.norm[1:]):
            found.append(Span(span.type, start, inside[k - 1].end, span.signal))
            start = word.start + 1
    return [*found, Span(span.type, start, span.end, span.signal)] if found else [span]
