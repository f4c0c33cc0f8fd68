"""A one-word name that the knowledge base never writes with the Arabic article, written with it, is another
word and links nothing: "الحماس" is zeal, not Hamas; "القطر" is a country (any) or a diameter, not Qatar.
The names that do take the article ("البيشمركة", "الأونروا"), a country's adjective ("الروسية") and people
("الخامنئي") still link."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage


def _linked(text: str, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text)}


@pytest.mark.parametrize(("text", "entity"), [
    ("أبدى الجمهور الحماس الكبير قبل المباراة.", "org:hamas"),  # zeal
    ("تحدث المدرب عن الحماس الذي يسود الفريق.", "org:hamas"),
    ("استقبل اللاعبون المدرب بالحماس نفسه.", "org:hamas"),  # with "ب" before the article
    ("وقال إن الفريق لعب بروح عالية والحماس واضح.", "org:hamas"),  # with "و" before it
    ("زار الرئيس القطر الشقيق في جولة إقليمية.", "place:qatar"),  # the brotherly country
    ("حدد المهندسون القطر المطلوب للأنابيب الجديدة.", "place:qatar"),  # the diameter
    ("احتفل الأهالي بذكرى الفتح في المدينة.", "org:fatah"),  # the conquest
])
def test_a_name_with_an_article_it_never_takes_links_nothing(text: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity not in _linked(text, gazetteer)


@pytest.mark.parametrize(("text", "entity"), [
    ("وصل وفد من حماس إلى القاهرة.", "org:hamas"),
    ("أعلنت حماس موافقتها على المقترح.", "org:hamas"),
    ("أعلنت حركة فتح رفضها للقرار.", "org:fatah"),
    ("وقال متحدث باسم البيشمركة إن القوات انسحبت.", "org:peshmerga"),  # written with the article
    ("أعلنت الأونروا تعليق عملها في المخيم.", "org:unrwa"),
    ("أعلن البنتاغون إرسال قوات إضافية.", "org:pentagon"),
    ("وأكدت اليونيفيل أن الدورية تعرضت لإطلاق نار.", "org:unifil"),
    ("ذكرت وزارة الخارجية الروسية أن الوفد وصل.", "place:russia"),  # a country's adjective
    ("وصل أمير قطر إلى الدوحة.", "place:qatar"),
    ("التقى الوفد بممثلين عن قطر ومصر.", "place:qatar"),
    ("قال المرشد الإيراني علي الخامنئي إن الاتفاق انتهى.", "person:ali-khamenei"),  # a person keeps it
])
def test_names_written_as_they_are_still_link(text: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in _linked(text, gazetteer)


@pytest.mark.parametrize("text", [
    "زار الرئيس القطر الشقيق في جولة إقليمية.",
    "حدد المهندسون القطر المطلوب للأنابيب الجديدة.",
    "وصل الوفد بالقطر الشقيق أمس.",  # with "ب" before the article
    "وتحدث عن المصر على موقفه.",
    "أبدى الجمهور الحماس الكبير قبل المباراة.",
])
def test_nor_does_the_names_stage_find_it(text: str, found_names: Any) -> None:
    assert not {s for s, kind in found_names(text, "ar") if kind in ("place", "organization")}


@pytest.mark.parametrize(("text", "place"), [
    ("وصل الوفد إلى قطر أمس.", "قطر"),
    ("وصل الوفد إلى العراق أمس.", "العراق"),  # names the list writes with the article
    ("عاد الوفد من المغرب أمس.", "المغرب"),
    ("وصل الوفد إلى اليمن أمس.", "اليمن"),
])
def test_places_written_as_they_are_are_still_places(text: str, place: str, name_stage: Any) -> None:
    assert place in {text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "place"}
