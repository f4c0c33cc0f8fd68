"""Continents and world regions are places: the CLDR's continents in Arabic, Persian and Urdu ("أوروبا",
"اروپا", "یورپ"), not "the world"; the Middle East and the Arabian Peninsula from the knowledge base, where an
outlet cited by its full name (the newspaper "صحيفة الشرق الأوسط") still links the outlet. Regions, like countries,
are too broad to tell stories apart. The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.engine.driver import BROAD_PLACES
from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.names import NameStage


@pytest.mark.parametrize(("lang", "text", "place"), [
    ("ar", "ووصل الوفد إلى أوروبا بعد جولة في آسيا.", "أوروبا"),
    ("ar", "وتعهد الاتحاد بتقديم مساعدات إلى أفريقيا خلال العام المقبل.", "أفريقيا"),
    ("ar", "وقال إن الهجرة من أمريكا اللاتينية تراجعت هذا العام.", "أمريكا اللاتينية"),
    ("fa", "هیئت ایرانی برای مذاکره به اروپا سفر کرد .", "اروپا"),
    ("ur", "وزیر خارجہ یورپ کے دورے پر روانہ ہو گئے۔", "یورپ"),
])
def test_a_continent_is_a_place(lang: str, text: str, place: str, name_stage: NameStage) -> None:
    assert (place, "place") in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, lang)}


def test_the_world_is_no_place(name_stage: NameStage) -> None:
    text = "وقال إن العالم يراقب ما يجري في المنطقة."
    assert not any(text[s.start:s.end] == "العالم" for s in name_stage.spans(text, "ar"))


@pytest.mark.parametrize(("lang", "text", "entity"), [
    ("ar", "ويزور الوزير الشرق الأوسط الأسبوع المقبل في جولة تشمل أربع دول.", "place:middle-east"),
    ("fa", "وزیر خارجه هفته آینده به خاورمیانه سفر می‌کند .", "place:middle-east"),
    ("en", "The envoy returns to the Middle East next week.", "place:middle-east"),
    ("ar", "وتشهد شبه الجزيرة العربية موجة حر غير مسبوقة.", "place:arabian-peninsula"),
    ("ar", "وقالت صحيفة الشرق الأوسط إن المحادثات استؤنفت.", "outlet:asharq-al-awsat"),
])
def test_regions_link_and_the_outlet_keeps_its_full_name(lang: str, text: str, entity: str, gazetteer: Any) -> None:
    linked = {m.entity_id for m in keep_mentions(text, gazetteer.find(text, lang), gazetteer.entities)}
    assert entity in linked
    if entity.startswith("outlet:"):
        assert "place:middle-east" not in linked


def test_regions_are_broad_like_countries(gazetteer: Any) -> None:
    for ident in ("place:middle-east", "place:arabian-peninsula", "place:levant"):
        assert gazetteer.entities[ident].attrs.get("kind") in BROAD_PLACES
    assert gazetteer.entities["place:tehran"].attrs.get("kind") not in BROAD_PLACES


@pytest.mark.parametrize(("text", "place"), [
    ("ووصل الوفد إلى هونج كونج صباح اليوم.", "هونج كونج"),  # Egyptian spelling of "هونغ كونغ"
    ("وعقد الاجتماع في سنجافورة الأسبوع الماضي.", "سنجافورة"),
    ("وأعلنت السلطات في بيونج يانج عن تجربة جديدة.", "بيونج يانج"),
    ("ووقعت الاتفاقية في استوكهولم عام 1970.", "استوكهولم"),  # the alif before a cluster
    ("واندلعت اشتباكات في الكونغو خلال الليل.", "الكونغو"),  # the CLDR writes "الكونغو - كينشاسا"
])
def test_other_spellings_of_cldr_places_are_places(text: str, place: str, name_stage: NameStage) -> None:
    assert (place, "place") in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, "ar")}


@pytest.mark.parametrize(("text", "word"), [
    ("وجزّ الراعي جزة الصوف قبل الشتاء.", "جزة"),  # no "ج" variant of an Arabic "غ" ("غزة")
    ("وقال المجرب من اللاعبين إن الفريق جاهز.", "المجرب"),  # nor of "المغرب"
    ("وقال تيمور إن الاجتماع انتهى.", "تيمور"),  # the short form of "تيمور - ليشتي" is a given name
])
def test_no_spelling_variant_makes_a_word_a_place(text: str, word: str, name_stage: NameStage) -> None:
    assert (word, "place") not in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, "ar")}


@pytest.mark.parametrize(("lang", "text", "entity"), [
    ("ar", "ونقل المعتقلون من غوانتانامو إلى بلدانهم.", "place:guantanamo-bay"),
    ("ar", "وأغلق معتقل جوانتانامو أمام الصحفيين.", "place:guantanamo-bay"),
    ("ar", "وفاز منتخب إنجلترا على ضيفه بهدفين.", "place:england"),
    ("fa", "تیم ملی انگلستان در این دیدار پیروز شد .", "place:england"),
    ("ar", "وأجري الاستفتاء في اسكتلندا عام 2014.", "place:scotland"),
])
def test_more_places_link(lang: str, text: str, entity: str, gazetteer: Any) -> None:
    assert entity in {m.entity_id for m in keep_mentions(text, gazetteer.find(text, lang), gazetteer.entities)}
