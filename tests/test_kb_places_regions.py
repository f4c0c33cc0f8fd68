"""The provinces, governorates and cities of places_regions.yaml: every entry has an Arabic alias and a country
(Iranian and Afghan entries a Persian one too), ids are unique across the whole knowledge base, a city's
`within` names an existing entry, and news-like sentences in Arabic, Persian, Urdu, Pashto and English that name
one of the new places link it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from watchfloor.kb.loader import BUNDLED, load_entities
from watchfloor.kb.normalize import has_arabic

REGIONS = BUNDLED / "places_regions.yaml"
ZWNJ = "\u200c"


def _entries(path: Any = REGIONS) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def test_every_entry_has_arabic_a_country_and_persian_where_needed() -> None:
    entries = _entries()
    assert len(entries) >= 150
    for entry in entries:
        ident, aliases = entry["id"], entry.get("aliases") or {}
        assert entry["type"] == "place" and ident.startswith("place:"), ident
        assert isinstance(entry.get("country"), str) and len(entry["country"]) == 2, ident
        assert aliases.get("ar") and all(has_arabic(a) for a in aliases["ar"]), f"{ident} has no Arabic alias"
        if entry["country"] in ("IR", "AF"):
            assert aliases.get("fa"), f"{ident} has no Persian alias"
        # Persian is written with ی and ک, never the Arabic ي and ك
        assert not any(c in a for a in aliases.get("fa", []) for c in "\u064a\u0643"), ident
        assert entry.get("kind") in (None, "province"), ident
        assert entry.get("sources"), ident


def test_ids_are_unique_across_the_knowledge_base_and_within_points_at_an_entry() -> None:
    ids = Counter(entry["id"] for path in sorted(BUNDLED.glob("*.yaml")) for entry in _entries(path))
    assert [ident for ident, n in ids.items() if n > 1] == []
    known = {e.id for e in load_entities()}
    for entry in _entries():
        assert entry.get("within") is None or entry["within"] in known, entry["id"]


def test_provinces_cover_the_countries() -> None:
    provinces = Counter(e["country"] for e in _entries() if e.get("kind") == "province")
    # Iran has 31 provinces (3 in places.yaml), Afghanistan 34 (6 in places.yaml)
    assert provinces["IR"] == 28 and provinces["AF"] == 28
    assert provinces["IQ"] >= 14 and provinces["SY"] >= 13 and provinces["YE"] >= 18


# wire-style sentences, each naming one of the new places
SENTENCES = [
    # Persian, with the zero-width non-joiner where Persian writes one
    ("fa", f"استاندار لرستان امروز در خرم{ZWNJ}آباد با نمایندگان مجلس دیدار کرد.", "place:khorramabad"),
    ("fa", f"کارخانه فولاد نجف{ZWNJ}آباد تولید خود را در سال جاری افزایش داد.", "place:najafabad"),
    ("fa", "بارش برف سنگین در استان زنجان راه‌های روستایی را مسدود کرد.", "place:zanjan-province"),
    ("fa", "نخستین جشنواره فیلم کودک در شهر قزوین برگزار شد.", "place:qazvin"),
    ("fa", "سازمان هواشناسی برای جزیره قشم هشدار وزش باد شدید صادر کرد.", "place:qeshm"),
    ("fa", "شهردار سنندج از افتتاح یک کتابخانه عمومی جدید خبر داد.", "place:sanandaj"),
    ("fa", "نمایشگاه صنایع دستی روز شنبه در شهر ساری گشایش یافت.", "place:sari"),
    ("fa", "زمین‌لرزه‌ای به بزرگی چهار ریشتر استان کهگیلویه و بویراحمد را لرزاند.",
     "place:kohgiluyeh-boyer-ahmad"),
    ("fa", "والی ولایت بلخ با هیئت تجاری ازبکستان دیدار کرد.", "place:balkh"),
    ("fa", "باران‌های شدید در ولایت بامیان به زمین‌های کشاورزی خسارت زد.", "place:bamyan-province"),
    ("fa", "یک بیمارستان جدید در شهر لشکرگاه افتتاح شد.", "place:lashkar-gah"),
    # Arabic, with the governorate written out ("في محافظة X")
    ("ar", "هطلت أمطار غزيرة في محافظة ذي قار جنوبي العراق.", "place:dhi-qar"),
    ("ar", "أجريت الانتخابات البلدية في محافظة كرمان الإيرانية.", "place:kerman-province"),
    ("ar", "افتتح معرض للكتاب في محافظة السويداء جنوبي سوريا.", "place:suwayda-governorate"),
    ("ar", "وصل وزير الصحة العراقي إلى مدينة السماوة لافتتاح مستشفى جديد.", "place:samawah"),
    ("ar", "عقد محافظ لحج اجتماعا مع ممثلي المنظمات الإنسانية.", "place:lahij"),
    ("ar", "زار وفد من وزارة الزراعة جزيرة سقطرى لتقييم أضرار الإعصار.", "place:socotra"),
    ("ar", "أعلنت بلدية زحلة عن برنامج لتأهيل الطرق الداخلية.", "place:zahle"),
    ("ar", "وصلت قافلة مساعدات غذائية إلى ولاية أوروزغان وسط أفغانستان.", "place:uruzgan"),
    ("ar", "ارتفعت درجات الحرارة في إقليم البنجاب الباكستاني إلى مستويات قياسية.", "place:punjab-pakistan"),
    # Urdu and Pashto
    ("ur", "پنجاب کے شہر فیصل آباد میں کرکٹ میچ کھیلا گیا۔", "place:faisalabad"),
    ("ps", "د ارزګان ولایت والي له قومي مشرانو سره وکتل.", "place:uruzgan"),
    # English
    ("en", "The governor of Gilan Province met rice farmers on Tuesday.", "place:gilan"),
    ("en", "Heavy rain was reported in Lashkar Gah on Monday.", "place:lashkar-gah"),
    ("en", "Officials in Gujranwala opened a new hospital wing.", "place:gujranwala"),
    ("en", "Election staff in Sulaymaniyah Governorate counted ballots overnight.",
     "place:sulaymaniyah-governorate"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SENTENCES)
def test_news_sentences_link_the_new_places(gazetteer: Any, lang: str, text: str, expected: str) -> None:
    found = [m.entity_id for m in gazetteer.find(text, lang)]
    assert expected in found, found


def test_a_province_and_its_capital_stay_apart(gazetteer: Any) -> None:
    assert [m.entity_id for m in gazetteer.find("استان کرمان", "fa")] == ["place:kerman-province"]
    assert [m.entity_id for m in gazetteer.find("شهر کرمان", "fa")] == ["place:kerman"]
    assert [m.entity_id for m in gazetteer.find("في محافظة النجف", "ar")] == ["place:najaf-governorate"]
    assert [m.entity_id for m in gazetteer.find("في النجف", "ar")] == ["place:najaf"]
