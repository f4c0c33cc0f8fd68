"""A name of three words whose last is a family name the index does not know: a nisba that names no place
("محمد سعيد المقلادي", "حسن يوسف الدرويشي") ends the name, where an adjective of a place ("الفرنسي") or a
common adjective ("الحالي") does not join it; and a name the index knows whole goes on with its lineage ("عبد
الرحمن بن حمدون"), not only with name parts the index knows. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وشارك في الاجتماع محمد سعيد المقلادي وعدد من المسؤولين.", "محمد سعيد المقلادي"),
    ("وزار المصابين حسن يوسف الدرويشي برفقة الطاقم الطبي.", "حسن يوسف الدرويشي"),
    ("واجتمع الوفد مع خالد عمر الزبيدي في مكتبه بالعاصمة.", "خالد عمر الزبيدي"),
    ("والتقى رئيس البلدية بالنائب أحمد سالم الشمراني يوم الأحد.", "أحمد سالم الشمراني"),
])
def test_a_nisba_of_no_place_ends_a_three_word_name(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("وحضر الاجتماع عبد الرحمن بن حمدون ، رئيس الوفد.", "عبد الرحمن بن حمدون"),
    ("وشارك عبد الرحمن بن خلدون ، مؤسس علم الاجتماع.", "عبد الرحمن بن خلدون"),
    ("وكتب عبد العزيز بن حميدان ، الباحث في المركز.", "عبد العزيز بن حميدان"),
    ("وحضر الندوة عبد الكريم الخطابي ، قائد المقاومة.", "عبد الكريم الخطابي"),
])
def test_a_known_name_goes_on_with_its_lineage(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("وحضر الندوة سامي خليل الفرنسي وعدد من الباحثين.", "سامي خليل"),
    ("وشارك يوسف أحمد الحالي في الاجتماع.", "يوسف أحمد"),
])
def test_an_adjective_after_the_name_stays_out(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]
