"""The state institutions, state media and political bodies of organizations_state.yaml: every entry has an
Arabic-script alias (the Iranian ones a Persian one too, written with ی and ک), ids are unique across the whole
knowledge base, wire-style sentences in Persian, Arabic, Pashto and English that name one of the new bodies link
it, and the ordinary words some of their names are made of ("اطلاعات" information, "کشور" country, "شرق" east)
link none of them. Sentences written for these tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from watchfloor.kb.loader import BUNDLED, load_entities
from watchfloor.kb.normalize import has_arabic

STATE = BUNDLED / "organizations_state.yaml"
ZWNJ = "\u200c"


def _entries(path: Any = STATE) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


NEW_IDS = frozenset(entry["id"] for entry in _entries())


def test_every_entry_has_an_arabic_script_alias_and_the_iranian_ones_a_persian_one() -> None:
    entries = _entries()
    assert len(entries) >= 40
    for entry in entries:
        ident, aliases = entry["id"], entry.get("aliases") or {}
        prefix = {"organization": "org:", "outlet": "outlet:"}[entry["type"]]
        assert ident.startswith(prefix), ident
        assert "movement" not in entry, f"{ident}: a movement would export a state body as a threat actor"
        assert isinstance(entry.get("country"), str) and len(entry["country"]) == 2, ident
        assert entry.get("description") and entry.get("sources"), ident
        assert any(has_arabic(a) for names in aliases.values() for a in names), f"{ident} has no Arabic-script alias"
        if entry["country"] in ("IR", "IQ", "LB", "SY", "YE"):
            assert aliases.get("ar") and all(has_arabic(a) for a in aliases["ar"]), f"{ident} has no Arabic alias"
        if entry["country"] == "IR":
            assert aliases.get("fa"), f"{ident} has no Persian alias"
        if entry["country"] == "AF":
            assert aliases.get("fa") or aliases.get("ps"), f"{ident} has no Persian or Pashto alias"
        # Persian is written with ی and ک, never the Arabic ي and ك
        assert not any(c in a for a in aliases.get("fa", []) for c in "\u064a\u0643"), ident


def test_ids_are_unique_across_the_knowledge_base_and_references_resolve() -> None:
    ids = Counter(entry["id"] for path in sorted(BUNDLED.glob("*.yaml")) for entry in _entries(path))
    assert [ident for ident, n in ids.items() if n > 1] == []
    entities = {e.id: e for e in load_entities()}
    for ident in NEW_IDS:
        assert entities[ident].related_ids() <= entities.keys(), ident


# wire-style sentences, each naming one of the new bodies
SENTENCES = [
    # Persian
    ("fa", f"سخنگوی قوه قضاییه در نشست خبری هفتگی به پرسش{ZWNJ}های خبرنگاران پاسخ داد.", "org:iran-judiciary"),
    ("fa", "وزارت کشور زمان برگزاری انتخابات شوراها را اعلام کرد.", "org:iran-ministry-of-interior"),
    ("fa", "سخنگوی وزارت امور خارجه در نشست خبری هفتگی به پرسش خبرنگاران پاسخ داد.",
     "org:iran-ministry-of-foreign-affairs"),
    ("fa", "وزارت فرهنگ و ارشاد اسلامی فهرست ناشران نمایشگاه کتاب را منتشر کرد.",
     "org:iran-ministry-of-culture-and-islamic-guidance"),
    ("fa", "دبیر شورای عالی امنیت ملی با همتای عراقی خود دیدار کرد.", "org:iran-supreme-national-security-council"),
    ("fa", "مجلس خبرگان رهبری اجلاسیه سالانه خود را در تهران برگزار کرد.", "org:iran-assembly-of-experts"),
    ("fa", "مجمع تشخیص مصلحت نظام این لایحه را در جلسه امروز بررسی کرد.", "org:iran-expediency-discernment-council"),
    ("fa", "فرمانده نیروی انتظامی از اجرای طرح ترافیکی جدید در پایتخت خبر داد.", "org:iran-law-enforcement-command"),
    ("fa", "به گزارش واحد مرکزی خبر، این نشست روز سه\u200cشنبه برگزار شد.", "outlet:irib-central-news-unit"),
    ("fa", "صدا و سیما این مراسم را به\u200cطور زنده پخش کرد.", "outlet:irib"),
    ("fa", "به گزارش ایلنا، کارگران این کارخانه مقابل فرمانداری تجمع کردند.", "outlet:ilna"),
    ("fa", "روزنامه کیهان در سرمقاله امروز خود به این موضوع پرداخت.", "outlet:kayhan"),
    ("fa", "روزنامه اطلاعات در شماره امروز گزارشی درباره بازار مسکن منتشر کرد.", "outlet:ettelaat"),
    ("fa", f"اعضای دفتر تحکیم وحدت بیانیه{ZWNJ}ای درباره انتخابات دانشگاه منتشر کردند.",
     "org:office-for-strengthening-unity"),
    ("fa", "جامعه روحانیت مبارز فهرست نامزدهای خود را اعلام کرد.", "org:combatant-clergy-association"),
    ("fa", "مجمع روحانیون مبارز نشست سالانه خود را برگزار کرد.", "org:association-of-combatant-clerics"),
    ("fa", "دبیرکل حزب کارگزاران سازندگی در این نشست سخنرانی کرد.", "org:executives-of-construction-party"),
    ("fa", "سازمان انرژی اتمی ایران از برگزاری همایش ملی فناوری هسته\u200cای خبر داد.",
     "org:atomic-energy-organization-of-iran"),
    ("fa", "وزارت کشور عراق از برگزاری انتخابات شوراهای استانی خبر داد.", "org:iraq-ministry-of-interior"),
    ("fa", "سخنگوی وزارت امور داخله گفت که این جاده بازگشایی شده است.", "org:afghanistan-ministry-of-interior"),
    # Pashto
    ("ps", "د کورنیو چارو وزارت ویاند وویل چې لاره بیا پرانیستل شوې ده.", "org:afghanistan-ministry-of-interior"),
    # Arabic
    ("ar", "أعلنت وزارة الخارجية الإيرانية أن الوزير سيزور بغداد الأسبوع المقبل.",
     "org:iran-ministry-of-foreign-affairs"),
    ("ar", "وقضت المحكمة الاتحادية العليا في العراق بعدم دستورية القرار.", "org:iraq-federal-supreme-court"),
    ("ar", "وأعلنت وزارة الداخلية العراقية خطة لتأمين الزيارة الأربعينية.", "org:iraq-ministry-of-interior"),
    ("ar", "وعقد المكتب السياسي لحزب الدعوة الإسلامية اجتماعه الدوري في بغداد.", "org:islamic-dawa-party"),
    ("ar", "ودعا الحزب الديمقراطي الكردستاني إلى استئناف الحوار مع الحكومة الاتحادية.", "org:kdp"),
    ("ar", "وأعلن الاتحاد الوطني الكردستاني أسماء مرشحيه للانتخابات.", "org:puk"),
    ("ar", "وقالت المديرية العامة لقوى الأمن الداخلي في بيان إن الطريق أعيد فتحه.",
     "org:lebanon-internal-security-forces"),
    ("ar", "وأصدرت المديرية العامة للأمن العام تعليمات جديدة بشأن جوازات السفر.", "org:lebanon-general-security"),
    ("ar", "وعقد التيار الوطني الحر اجتماعا لهيئته السياسية.", "org:free-patriotic-movement"),
    ("ar", "وأعلن حزب القوات اللبنانية موقفه من جلسة انتخاب رئيس الجمهورية.", "org:lebanese-forces"),
    ("ar", "وقرر تيار المستقبل عدم المشاركة في الانتخابات النيابية.", "org:future-movement"),
    ("ar", "والتقى رئيس الحزب التقدمي الاشتراكي السفير الفرنسي في بيروت.", "org:progressive-socialist-party"),
    ("ar", "وعقدت اللجنة العامة للمؤتمر الشعبي العام اجتماعا في صنعاء.", "org:general-peoples-congress"),
    ("ar", "وأصدر المجلس السياسي الأعلى قرارا بتعيين محافظ جديد.", "org:yemen-supreme-political-council"),
    ("ar", "وقالت وزارة الدفاع السورية في بيان إنها افتتحت دورة تدريبية جديدة.", "org:syria-ministry-of-defence"),
    # English
    ("en", "The Islamic Dawa Party said it would take part in the provincial elections.", "org:islamic-dawa-party"),
    ("en", "Iran's Supreme National Security Council met on Sunday.", "org:iran-supreme-national-security-council"),
    ("en", "The Progressive Socialist Party called for calm in the mountain villages.",
     "org:progressive-socialist-party"),
    ("en", "Afghanistan's General Directorate of Intelligence issued a statement on Tuesday.",
     "org:afghanistan-general-directorate-of-intelligence"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SENTENCES)
def test_a_sentence_naming_a_new_body_links_it(lang: str, text: str, expected: str, gazetteer: Any) -> None:
    assert expected in NEW_IDS
    found = {m.entity_id for m in gazetteer.find(text, lang)}
    assert expected in found, (text, found)


def test_a_country_s_own_ministry_wins_over_iran_s(gazetteer: Any) -> None:
    """Iraq's interior ministry ("وزارت کشور عراق") is not Iran's ("وزارت کشور") followed by Iraq."""
    found = {m.entity_id for m in gazetteer.find("وزارت کشور عراق از برگزاری انتخابات خبر داد.", "fa")}
    assert "org:iraq-ministry-of-interior" in found and "org:iran-ministry-of-interior" not in found


# the ordinary words that some of the new names are made of, on their own
PLAIN_WORDS = [
    ("fa", "اطلاعات بیشتری منتشر نشد."),
    ("fa", "این کشور با کمبود آب روبه\u200cرو است."),
    ("fa", "مردم به وعده\u200cهای مسئولان اعتماد ندارند."),
    ("fa", "باد شرق تا فردا ادامه دارد."),
    ("fa", "این کتاب درباره کیهان و کهکشان\u200cها است."),
    ("fa", "او همشهری ما است و در همین محله زندگی می\u200cکند."),
    ("fa", "کارگزاران بورس امروز سفارش\u200cهای زیادی ثبت کردند."),
    ("fa", "سخنگوی وزارت خارجه آمریکا به خبرنگاران گفت که گفت\u200cوگوها ادامه دارد."),
    ("ar", "نطمح إلى بناء دولة القانون والمؤسسات."),
    ("ar", "الأمن العام مسؤولية الجميع."),
    ("en", "Shark sightings rose along the coast this summer."),
    ("en", "The unity of the office staff was praised."),
]


@pytest.mark.parametrize(("lang", "text"), PLAIN_WORDS)
def test_plain_words_link_no_new_body(lang: str, text: str, gazetteer: Any) -> None:
    found = {m.entity_id for m in gazetteer.find(text, lang)}
    assert not found & NEW_IDS, (text, found & NEW_IDS)
