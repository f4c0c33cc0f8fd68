"""People named in a list beside people the other rules found: the members of a delegation, a team, the
detained. An item of two or three words that opens with a known given name is a person when two items of the
list at least are; no list runs across a full stop, and a list of things is no list of people. The sentences
were written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.pipeline.names import NameStage


def _people(name_stage: NameStage, text: str, lang: str) -> set[str]:
    return people_found(name_stage, text, lang)


@pytest.mark.parametrize(("lang", "text", "listed"), [
    ("fa", "در این نشست سرهنگ مجید فروتن ، سردار مهدی قواسی ، علی واحد و محمود چراغچی حضور داشتند .",
     {"علی واحد", "محمود چراغچی"}),
    ("fa", "اعضای هیئت عبارتند از دکتر رضا کریمی ، مهندس حسن نوروزی ، مسعود مهندسی و مهدی شورجه .",
     {"مسعود مهندسی", "مهدی شورجه"}),
    ("ar", "وضم الوفد العميد سالم الحربي ، واللواء كمال العبيدي ، وعلي الحجار ، ومحمد منير .",
     {"علي الحجار", "محمد منير"}),
    ("ar", "وأفرجت السلطات عن الصحفي يوسف الخطيب ، والناشط رامي السعدي ، وسامي بركات ، وخالد نعمان .",
     {"سامي بركات", "خالد نعمان"}),
    # two words the index does not know, none common, no place and no article, among people
    ("ar", "وشارك في الحفل المطرب عمرو دياب ، والمطربة نيكول سابا ، ومحمد منير ، وباسكال مشعلاني .",
     {"باسكال مشعلاني"}),
    ("fa", "در این نشست سرهنگ مجید فروتن ، سردار مهدی قواسی ، علی واحد و بهنود برمایه حضور داشتند .",
     {"بهنود برمایه"}),
])
def test_the_other_people_of_a_list(lang: str, text: str, listed: set[str], name_stage: NameStage) -> None:
    assert listed <= _people(name_stage, text, lang)


@pytest.mark.parametrize(("lang", "text", "word"), [
    # one person only, and a list of things after a full stop
    ("fa", "سرهنگ مجید فروتن گفت . صبر زیاد ، کار سخت و تلاش جمعی لازم است .", "صبر زیاد"),
    ("ar", "وقال العميد سالم الحربي إن المطلوب ، أمل كبير ، وعمل جاد ، وصبر طويل .", "أمل كبير"),
    # two people and then things: the list ends at the full stop
    ("ar", "وحضر العميد سالم الحربي ، واللواء كمال العبيدي . أمل كبير ، وعمل جاد ، وصبر طويل .", "أمل كبير"),
    # two people and a common noun phrase or a place of two words in the same list
    ("ar", "وحضر الحفل العميد سالم الحربي ، واللواء كمال العبيدي ، وجمهور كبير .", "جمهور كبير"),
    ("ar", "وزار الوفد العميد سالم الحربي ، واللواء كمال العبيدي ، ومدينة الموصل .", "مدينة الموصل"),
])
def test_no_person_where_the_list_is_not_of_people(lang: str, text: str, word: str, name_stage: NameStage) -> None:
    assert word not in _people(name_stage, text, lang)


@pytest.mark.parametrize(("lang", "text", "office"), [
    # the office after each name is no person, though its first word is a given name too ("رئیس")
    ("fa", "در این سانحه حمید کریمی ، رئیس‌جمهور ، و مهدی نوروزی ، وزیر امور خارجه ، جان باختند .", "رئیس‌جمهور"),
    ("fa", "از جمله رضا کاظمی ، رئیس مجلس ، و مسعود مهندسی ، نماینده تبریز ، در جلسه بودند .", "رئیس مجلس"),
    ("fa", "از جمله رضا کاظمی ، رئیس مجلس ، و مسعود مهندسی ، نماینده تبریز ، در جلسه بودند .", "نماینده تبریز"),
    ("ar", "وحضر سالم الحربي ، رئيس اللجنة ، وكمال العبيدي ، أمين السر ، وخالد نعمان .", "رئيس اللجنة"),
])
def test_an_office_in_a_list_of_people_is_no_person(lang: str, text: str, office: str,
                                                    name_stage: NameStage) -> None:
    assert office not in _people(name_stage, text, lang)
