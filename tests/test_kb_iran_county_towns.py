"""Iran's county seats (places_iran_counties.yaml): every entry is a town in an Iranian province the knowledge
base lists, written in Persian with ی, ک and the zero-width non-joiner, and with no alias that another entry
already has; the towns link where wire-style Persian and Arabic sentences name them, and the ones whose names
are also words or given names link only with a place-like context: "در میانه راه" (halfway) is not Mianeh,
"نور خورشید" (sunlight) is not Nur, "إبادة جماعية" (genocide) is not Abadeh. The sentences were written for
these tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import BUNDLED, load_entities
from watchfloor.kb.normalize import has_arabic, tokenize
from watchfloor.pipeline.entities import EntityStage

COUNTIES = BUNDLED / "places_iran_counties.yaml"
# Iran's 31 provinces as the knowledge base has them (three, in places.yaml, without `kind: province`)
PROVINCES = frozenset(f"place:{p}" for p in (
    "alborz", "ardabil-province", "bushehr-province", "chaharmahal-bakhtiari", "east-azerbaijan", "fars-province",
    "gilan", "golestan-province", "hamadan-province", "hormozgan", "ilam-province", "isfahan-province",
    "kerman-province", "kermanshah-province", "khuzestan", "kohgiluyeh-boyer-ahmad", "kurdistan-province",
    "lorestan", "markazi", "mazandaran", "north-khorasan", "qazvin-province", "qom-province", "razavi-khorasan",
    "semnan-province", "sistan-baluchestan", "south-khorasan", "tehran-province", "west-azerbaijan",
    "yazd-province", "zanjan-province"))


def _entries() -> list[dict[str, Any]]:
    return yaml.safe_load(COUNTIES.read_text(encoding="utf-8")) or []


def _key(alias: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(alias) if t.norm)


def _aliases(entry: dict[str, Any]) -> list[str]:
    return [entry["name"], *(a for names in (entry.get("aliases") or {}).values() for a in names)]


def _linked(text: str, lang: str, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


def test_every_entry_is_a_town_in_an_iranian_province() -> None:
    entries = _entries()
    assert len(entries) >= 150
    known = {e.id: e for e in load_entities()}
    assert known.keys() >= PROVINCES
    provinces = set()
    for entry in entries:
        ident, aliases = entry["id"], entry.get("aliases") or {}
        assert entry["type"] == "place" and ident.startswith("place:"), ident
        assert entry["country"] == "IR" and entry.get("kind") is None, ident
        within = known.get(entry.get("within", ""))
        assert within is not None, f"{ident}: within {entry.get('within')!r} is no entry"
        assert within.id in PROVINCES and within.attrs.get("country") == "IR", ident
        provinces.add(within.id)
        assert aliases.get("fa") and all(has_arabic(a) for a in aliases["fa"]), f"{ident} has no Persian alias"
        # Persian is written with ی and ک, never the Arabic ي and ك; Arabic has no Persian-only letters
        assert not any(c in a for a in aliases["fa"] for c in "\u064a\u0643"), ident
        assert not any(c in a for a in aliases.get("ar", []) for c in "\u06cc\u06a9\u06af\u0686\u067e\u0698"), ident
        assert all(has_arabic(a) for a in aliases.get("ar", [])), ident
        assert entry.get("sources"), ident
    # spread over the country: all of its provinces but Qom
    assert len(provinces) >= 30


def test_no_alias_is_another_entrys() -> None:
    entries = _entries()
    ours = {entry["id"] for entry in entries}
    theirs: dict[tuple[str, ...], set[str]] = {}
    for entity in load_entities():
        if entity.id not in ours:
            for alias in entity.aliases:
                theirs.setdefault(_key(alias.text), set()).add(entity.id)
    seen: dict[tuple[str, ...], str] = {}
    for entry in entries:
        for alias in _aliases(entry):
            key = _key(alias)
            assert key, (entry["id"], alias)
            assert key not in theirs, f"{entry['id']}: {alias!r} is also {sorted(theirs[key])}'s"
            assert seen.setdefault(key, entry["id"]) == entry["id"], f"{alias!r}: {seen[key]} and {entry['id']}"


@pytest.mark.parametrize(("text", "entity", "province"), [
    ("زمین‌لرزه سال ۱۳۸۲ شهر بم را ویران کرد .", "place:bam", "place:kerman-province"),
    ("زائران اربعین از مرز مهران وارد عراق شدند .", "place:mehran", "place:ilam-province"),
    ("رآکتور آب سنگین خنداب در استان مرکزی قرار دارد .", "place:khondab", "place:markazi"),
    ("جلسه شورای تأمین شهرستان میانه برگزار شد .", "place:mianeh", "place:east-azerbaijan"),
    ("بندر جاسک در کرانه دریای عمان قرار دارد .", "place:jask", "place:hormozgan"),
    ("محور کوهدشت به پلدختر پس از بارش برف بازگشایی شد .", "place:pol-e-dokhtar", "place:lorestan"),
    ("نماینده مردم دورود و ازنا در جلسه علنی مجلس سخنرانی کرد .", "place:azna", "place:lorestan"),
    ("پایانه مرزی دوغارون در نزدیکی تایباد قرار دارد .", "place:taybad", "place:razavi-khorasan"),
    ("برداشت زعفران در مزارع قائن آغاز شد .", "place:qaen", "place:south-khorasan"),
    ("قطار مسافری مشهد به سرخس امروز حرکت کرد .", "place:sarakhs", "place:razavi-khorasan"),
    ("شهر دوگنبدان مرکز شهرستان گچساران است .", "place:dogonbadan", "place:kohgiluyeh-boyer-ahmad"),
    ("منطقه آزاد ماکو در شمال غرب کشور قرار دارد .", "place:maku", "place:west-azerbaijan"),
    ("ماهیگیران آستانه‌اشرفیه فصل صید را آغاز کردند .", "place:astaneh-ye-ashrafiyeh", "place:gilan"),
    ("شورای شهر شاهین‌شهر شهردار جدید را انتخاب کرد .", "place:shahin-shahr", "place:isfahan-province"),
    ("نشست شورای اداری شهرستان بهبهان برگزار شد .", "place:behbahan", "place:khuzestan"),
    ("مسابقات قایقرانی در تالاب گمیشان برگزار شد .", "place:gomishan", "place:golestan-province"),
    ("شبکه آبرسانی روستاهای خوسف و سربیشه تکمیل شد .", "place:sarbisheh", "place:south-khorasan"),
    ("بارش باران در گیلانغرب و اسلام‌آباد غرب ادامه دارد .", "place:eslamabad-e-gharb", "place:kermanshah-province"),
    ("جلسه دادگاه در مجتمع قضایی شهرری برگزار شد .", "place:rey", "place:tehran-province"),
    ("تجمع بازنشستگان در شهر بابل برگزار شد .", "place:babol", "place:mazandaran"),
])
def test_a_county_seat_links_in_persian(text: str, entity: str, province: str, gazetteer: Gazetteer) -> None:
    assert entity in _linked(text, "fa", gazetteer)
    assert gazetteer.entities[entity].attrs["within"] == province


@pytest.mark.parametrize(("text", "entity"), [
    ("عبر آلاف الزوار منفذ مهران الحدودي متجهين إلى كربلاء.", "place:mehran"),
    ("دمر زلزال عام 2003 مدينة بم جنوب شرقي إيران.", "place:bam"),
    ("يقع ميناء جاسك على ساحل بحر عمان.", "place:jask"),
    ("تقع مدينة سرخس على الحدود مع تركمانستان.", "place:sarakhs"),
    ("ولد الإمام الخميني في مدينة خمين وسط إيران.", "place:khomeyn"),
])
def test_a_county_seat_links_in_arabic(text: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in _linked(text, "ar", gazetteer)


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("این پروژه در میانه راه متوقف شد .", "fa", "place:mianeh"),  # halfway
    # a suffix after a zero-width non-joiner goes on with the word: no phrase ends after "در میانه"
    ("این پروژه در میانه‌ی راه متوقف شد .", "fa", "place:mianeh"),  # halfway, with the ezafe written
    ("کارگران در تاکستان‌های منطقه کار می‌کنند .", "fa", "place:takestan"),  # in the vineyards of the region
    ("نور خورشید از پنجره به داخل اتاق تابید .", "fa", "place:nur"),  # sunlight
    ("مسافران در جاده کویری سراب دیدند .", "fa", "place:sarab"),  # a mirage
    ("برادرش مهران در این مسابقه شرکت کرد .", "fa", "place:mehran"),  # a given name
    ("مراسم در ایوان خانه برگزار شد .", "fa", "place:eyvan"),  # the porch
    ("کشاورزان در تاکستان انگور چیدند .", "fa", "place:takestan"),  # the vineyard
    ("این گروه از تحریم‌ها به عنوان اهرم فشار استفاده کرد .", "fa", "place:ahram"),  # a lever
    ("اتهمت المنظمة الجيش بارتكاب إبادة جماعية.", "ar", "place:abadeh"),  # genocide
    ("افتتحت محلات تجارية جديدة في السوق.", "ar", "place:mahallat"),  # shops
    ("أعلن الجيش بدء هجوم بري على المدينة.", "ar", "place:rey"),  # by land
    ("وقالت مصادر مقربة من بري إنه لم يحصل اتفاق.", "ar", "place:rey"),  # Nabih Berri
])
def test_a_town_whose_name_is_a_word_needs_its_context(text: str, lang: str, entity: str,
                                                        gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity not in _linked(text, lang, gazetteer)


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("فرماندار شهرستان میانه از بازگشایی جاده خبر داد .", "fa", "place:mianeh"),
    ("جلسه شورای شهر در شهرستان نور برگزار شد .", "fa", "place:nur"),
    ("قالی‌بافان شهر سراب در نمایشگاه فرش شرکت کردند .", "fa", "place:sarab"),
    ("زائران اربعین دیروز وارد شهر مهران شدند .", "fa", "place:mehran"),
    ("بیمارستان جدید در شهرستان ایوان افتتاح شد .", "fa", "place:eyvan"),
    ("کارخانه جدیدی در شهر تاکستان افتتاح شد .", "fa", "place:takestan"),
    ("شهر اهرم مرکز شهرستان تنگستان است .", "fa", "place:ahram"),
    ("تقع مدينة آباده في محافظة فارس.", "ar", "place:abadeh"),
    ("وتقع مدينة محلات في محافظة مركزي.", "ar", "place:mahallat"),
])
def test_with_its_context_it_links(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in _linked(text, lang, gazetteer)
