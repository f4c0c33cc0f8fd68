"""The world political figures of people_world.yaml (heads of state and government and foreign ministers,
1995-2025, UN Secretaries-General and envoys, Yasser Arafat): every entry has a Latin name and an Arabic-script
alias, ids are unique across the whole knowledge base, wire-style sentences in Arabic, Persian and English that
name one of them (by full name or by a distinctive family name alone) link it, a son's name does not link his
father, and the ordinary words and given names deliberately left out as bare aliases ("مبارك" blessed, "الأسد"
the lion, "عون" help, Persian "آنان" they) link none of them. Sentences written for these tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.kb.loader import BUNDLED, load_entities
from watchfloor.kb.normalize import has_arabic, normalize, script_of, tokenize

WORLD = BUNDLED / "people_world.yaml"
COMMON_WORDS = Path(__file__).parents[1] / "src" / "watchfloor" / "pipeline" / "data" / "ner_common_words.txt"
ZWNJ = "\u200c"


def _entries(path: Path = WORLD) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


NEW_IDS = frozenset(entry["id"] for entry in _entries())


def _key(text: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(text) if t.norm)


def test_every_entry_has_a_latin_name_and_an_arabic_script_alias() -> None:
    entries = _entries()
    assert len(entries) >= 150
    for entry in entries:
        ident, aliases = entry["id"], entry.get("aliases") or {}
        assert entry["type"] == "person" and ident.startswith("person:") and ident.isascii(), ident
        assert script_of(entry["name"]) == "latin", ident
        assert entry.get("description") and entry.get("sources"), ident
        assert isinstance(entry.get("country"), str) and len(entry["country"]) == 2, ident
        assert aliases.get("ar") and all(has_arabic(a) for a in aliases["ar"]), f"{ident} has no Arabic alias"
        assert aliases.get("fa") and all(has_arabic(a) for a in aliases["fa"]), f"{ident} has no Persian alias"
        assert all(script_of(a) == "latin" for a in aliases.get("en", [])), ident
        # Persian is written with ی and ک, never the Arabic ي and ك
        assert not any(c in a for a in aliases["fa"] for c in "\u064a\u0643"), ident


def test_ids_are_unique_across_the_knowledge_base_and_references_resolve() -> None:
    ids = Counter(entry["id"] for path in sorted(BUNDLED.glob("*.yaml")) for entry in _entries(path))
    assert [ident for ident, n in ids.items() if n > 1] == []
    entities = {e.id: e for e in load_entities()}
    for ident in NEW_IDS:
        assert entities[ident].related_ids() <= entities.keys(), ident


def test_no_alias_is_shared_with_an_entry_of_another_file() -> None:
    others: dict[tuple[str, ...], str] = {}
    for entity in load_entities():
        if entity.id not in NEW_IDS:
            for alias in entity.aliases:
                others.setdefault(_key(alias.text), entity.id)
    shared = [(e.id, a.text, others[_key(a.text)]) for e in load_entities([WORLD]) for a in e.aliases
              if _key(a.text) in others]
    assert shared == []


# family names that are also ordinary words or common given names, never a bare alias here
NOT_BARE = ["مبارك", "الأسد", "عباس", "حسين", "عون", "صدام", "خان", "شريف", "سلمان", "مرسي", "مودي", "باول",
            "روحاني", "روحانی", "ظريف", "ظریف", "سلام", "خميس", "غالي", "المعلم", "الشرع", "أنان", "عنان", "شارون",
            "براون", "شرودر", "ليبرمان", "رابين", "بينيت", "جوبيه", "القذافي", "الحريري", "عرفات", "جونسون", "ماي",
            "هادي", "السراج", "البشير", "البرهان", "غني", "متقي", "ولايتي", "رباني"]


def test_bare_family_names_are_neither_common_words_nor_the_excluded_ones() -> None:
    common = {normalize(line.strip()) for line in COMMON_WORDS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    excluded = {normalize(word) for word in NOT_BARE}
    for entity in load_entities([WORLD]):
        for alias in entity.aliases:
            key = _key(alias.text)
            if len(key) == 1 and has_arabic(alias.text):
                assert key[0] not in common, (entity.id, alias.text)
                assert key[0] not in excluded, (entity.id, alias.text)


# wire-style sentences, each naming one of the new people
SENTENCES = [
    # Arabic, full names
    ("ar", "استقبل الرئيس الفرنسي جاك شيراك وزير الخارجية اللبناني في قصر الإليزيه.", "person:jacques-chirac"),
    ("ar", "التقى الأمين العام للأمم المتحدة كوفي أنان بوزير الخارجية السوري في نيويورك.", "person:kofi-annan"),
    ("ar", "زار رئيس الوزراء البريطاني توني بلير مدينة البصرة يوم الاثنين.", "person:tony-blair"),
    ("ar", "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو تدعم الحل السياسي.", "person:sergey-lavrov"),
    ("ar", "وصل المبعوث الأممي هانس غروندبرغ إلى مسقط لإجراء مشاورات.", "person:hans-grundberg"),
    ("ar", "أجرى الرئيس عبد الفتاح السيسي اتصالاً هاتفياً مع أمير قطر.", "person:abdel-fattah-el-sisi"),
    ("ar", "بحث أمير قطر الشيخ تميم بن حمد آل ثاني مع ضيفه العلاقات الثنائية.", "person:tamim-bin-hamad-al-thani"),
    ("ar", "استقبل الملك عبد الله الثاني في عمّان وزير الخارجية الأمريكي.", "person:abdullah-ii-of-jordan"),
    ("ar", "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى عمّان في جولة إقليمية.", "person:antony-blinken"),
    ("ar", "وصرح الرئيس حسني مبارك للصحفيين بأن الزيارة كانت ناجحة.", "person:hosni-mubarak"),
    ("ar", "وقال ياسر عرفات في كلمة متلفزة إن الشعب الفلسطيني متمسك بالسلام.", "person:yasser-arafat"),
    ("ar", "وقال جورج بوش الأب في مذكراته إن حرب الخليج غيرت المنطقة.", "person:george-h-w-bush"),
    ("ar", "التقى ستافان دي ميستورا بوفد المعارضة السورية في جنيف.", "person:staffan-de-mistura"),
    # Arabic, by the family name alone
    ("ar", "وقال بوتين إن المحادثات مع نظيره التركي كانت مفيدة.", "person:vladimir-putin"),
    ("ar", "وأكد أردوغان خلال مؤتمر صحفي في أنقرة أهمية الحوار.", "person:recep-tayyip-erdogan"),
    ("ar", "وقال ماكرون إن فرنسا ستستضيف مؤتمراً لدعم لبنان.", "person:emmanuel-macron"),
    ("ar", "التقى غوتيريش بوزراء خارجية الدول العربية على هامش القمة.", "person:antonio-guterres"),
    ("ar", "أعلن ميقاتي تشكيل لجنة وزارية لمتابعة الملف.", "person:najib-mikati"),
    ("ar", "واجتمع شيراك بنظيره المصري في باريس.", "person:jacques-chirac"),
    ("ar", "وصرح لحود في بيان صادر عن رئاسة الجمهورية بأن القمة ناجحة.", "person:emile-lahoud"),
    # the UN's Iraq list names Saddam Hussein only in full ("صدام حسين التكريتي"): the news names him shorter
    ("ar", "ولم تنته الأزمة إلا بعد الإطاحة بصدام حسين عام 2003.", "person:saddam-hussein"),
    ("ar", "وقال صدام حسين التكريتي في خطاب إذاعي إن الحصار ظالم.", "person:saddam-hussein"),
    ("fa", "صدام حسین در دی ماه ۱۳۸۵ اعدام شد.", "person:saddam-hussein"),
    ("en", "Saddam Hussein was captured near Tikrit in December 2003.", "person:saddam-hussein"),
    # Persian
    ("fa", f"ولادیمیر پوتین در کرملین با نخست{ZWNJ}وزیر هند دیدار کرد.", "person:vladimir-putin"),
    ("fa", f"مکرون گفت فرانسه از گفت{ZWNJ}وگوهای هسته{ZWNJ}ای حمایت می{ZWNJ}کند.", "person:emmanuel-macron"),
    ("fa", "محمدجواد ظریف، وزیر امور خارجه، به مسکو سفر کرد.", "person:mohammad-javad-zarif"),
    ("fa", "آنتونیو گوترش، دبیرکل سازمان ملل، با وزیر خارجه عمان گفت‌وگو کرد.", "person:antonio-guterres"),
    ("fa", f"اردوغان در آنکارا با رئیس{ZWNJ}جمهور عراق دیدار کرد.", "person:recep-tayyip-erdogan"),
    ("fa", f"محمود احمدی{ZWNJ}نژاد در سال ۱۳۸۴ به ریاست جمهوری رسید.", "person:mahmoud-ahmadinejad"),
    ("fa", f"حسن روحانی در نیویورک با نخست{ZWNJ}وزیر ژاپن گفت{ZWNJ}وگو کرد.", "person:hassan-rouhani"),
    ("fa", "آنگلا مرکل، صدراعظم آلمان، در برلین با رئیس‌جمهور مصر دیدار کرد.", "person:angela-merkel"),
    ("fa", "حامد کرزی در کابل با فرستاده سازمان ملل دیدار کرد.", "person:hamid-karzai"),
    ("fa", "رابین کوک، وزیر خارجه بریتانیا، وارد تهران شد.", "person:robin-cook"),
    # English
    ("en", "Foreign Minister Walid al-Muallem met the UN envoy Geir Pedersen in Damascus.", "person:walid-muallem"),
    ("en", "Foreign Minister Walid al-Muallem met the UN envoy Geir Pedersen in Damascus.", "person:geir-pedersen"),
    ("en", "Chancellor Merkel and President Chirac spoke by telephone on Tuesday.", "person:jacques-chirac"),
    ("en", "Secretary of State John Kerry arrived in Vienna for the talks.", "person:john-kerry"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SENTENCES)
def test_a_sentence_naming_one_of_them_links_it(gazetteer: Any, lang: str, text: str, expected: str) -> None:
    assert expected in NEW_IDS
    assert expected in [m.entity_id for m in gazetteer.find(text, lang)], text


# a son's full name holds his father's: the son is linked, never the father
SONS = [
    ("ar", "وأشار سيف الإسلام القذافي إلى نيته الترشح للانتخابات.", "person:saif-al-islam-gaddafi",
     "person:muammar-gaddafi"),
    ("ar", "ترأس الشيخ حمدان بن محمد بن راشد آل مكتوم اجتماع المجلس التنفيذي.", "person:hamdan-bin-mohammed-al-maktoum",
     "person:mohammed-bin-rashid-al-maktoum"),
    ("ar", "استقبل الشيخ خالد بن محمد بن زايد وفداً رسمياً في أبوظبي.", "person:khaled-bin-mohamed-bin-zayed",
     "person:mohamed-bin-zayed-al-nahyan"),
    ("ar", "وترأس الشيخ أحمد نواف الأحمد الصباح اجتماع مجلس الوزراء.", "person:ahmad-nawaf-al-ahmad-al-sabah",
     "person:nawaf-al-ahmad-al-jaber-al-sabah"),
    ("ar", "قتل عدي صدام حسين في الموصل في تموز 2003.", "person:uday-hussein", "person:saddam-hussein"),
    ("ar", "وكان قصي صدام حسين يقود الحرس الجمهوري.", "person:qusay-hussein", "person:saddam-hussein"),
]


@pytest.mark.parametrize(("lang", "text", "expected", "father"), SONS)
def test_a_sons_name_links_the_son_not_the_father(gazetteer: Any, lang: str, text: str, expected: str,
                                                 father: str) -> None:
    found = [m.entity_id for m in gazetteer.find(text, lang)]
    assert expected in found and father not in found, (text, found)


# ordinary words and given names that are some of their family names, and other people who share one
PLAIN = [
    ("ar", "يوم مبارك للجميع وكل عام وأنتم بخير."),
    ("ar", "شاهد الأطفال الأسد في حديقة الحيوان."),
    ("ar", "قدمت الجمعية العون للنازحين في المخيم."),
    ("ar", "سلك الزوار الطريق المؤدي إلى المدينة القديمة."),
    ("ar", "وصل الوفد في أول زيارة رسمية، وبأول قافلة مساعدات."),
    ("ar", "التقى صديقه عباس في السوق يوم الخميس."),
    ("ar", "كان رجلاً ظريف الطبع وشريف النفس."),
    ("ar", "كشف المصمم توم براون عن مجموعة أزياء جديدة."),
    ("ar", "تمثل وجوبية إنفاذ القانون جانباً حاسماً في حماية الحقوق."),
    ("ar", "يصطاد الصيادون التونة والبينيت في المياه الدافئة."),
    ("fa", "آنان گفتند که فردا به خانه بازمی‌گردند."),
    ("ar", "وقعت صدامات بين المحتجين وقوات الأمن في وسط المدينة."),  # clashes
    ("ar", "حذر المراقبون من صدام حول الموازنة بين الكتل."),  # a clash
    ("fa", "یک روحانی در مسجد برای نمازگزاران سخنرانی کرد."),
]


@pytest.mark.parametrize(("lang", "text"), PLAIN)
def test_ordinary_words_link_none_of_them(gazetteer: Any, lang: str, text: str) -> None:
    found = [(m.entity_id, m.surface) for m in gazetteer.find(text, lang) if m.entity_id in NEW_IDS]
    assert found == [], text
