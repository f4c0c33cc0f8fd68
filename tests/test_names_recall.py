"""The recogniser's second round (issue 15): foreign names as the news writes them, roles and origins
before a name, "آل" inside a name, Persian subjects before their verb of saying, Persian places with
their noun; and descriptions after a place noun or a role that are not names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

FoundNames = Callable[[str, str], set[tuple[str, str]]]


@pytest.mark.parametrize(("lang", "text", "surface", "kind"), [
    # a foreign family name by itself, a foreign given name with the family name after it
    ("ar", "وفازت شارابوفا بالمباراة النهائية أمس.", "شارابوفا", "person"),
    ("ar", "اجتمع الوزير مع جورج هوفمان في برلين.", "جورج هوفمان", "person"),
    ("ar", "التقى الوفد فولفغانغ شميدت في فرانكفورت.", "فولفغانغ شميدت", "person"),
    ("ar", "التقى الوفد كلاوس بيكارد في فرانكفورت.", "كلاوس بيكارد", "person"),  # not "like Laos"
    # a role before the name, with an origin adjective between them
    ("ar", "وقال المدرب الإيطالي روبرتو دونادوني إن الفريق مستعد.", "روبرتو دونادوني", "person"),
    ("ar", "وفاز الروائي الياباني هاروكي موراكامي بالجائزة.", "هاروكي موراكامي", "person"),
    # an origin adjective alone before the name
    ("ar", "وأشاد الجمهور بأداء الفرنسي تييري هنري أمس.", "تييري هنري", "person"),
    # a name that runs past an article word stops at a word that is no name part
    ("ar", "وقال الوزير الروسي فلاديمير كوزلوف الشركات التي تعمل هنا.", "فلاديمير كوزلوف", "person"),
    # Persian: the subject before its verb of saying; a place with its noun
    ("fa", "حمید طاهایی افزود که کار ادامه دارد .", "حمید طاهایی", "person"),
    ("fa", "این طرح در شهرستان کوهرنگ اجرا شد .", "شهرستان کوهرنگ", "place"),
    # Persian offices of two words, and offices stacked before the name
    ("fa", "رئیس جمهور تاجیکستان امامعلی رحمان با هیئتی از عراق دیدار کرد .", "امامعلی رحمان", "person"),
    ("fa", "به گزارش خبرگزاری، رئیس‌جمهور شوکت میرضیایف در نشست خبری شرکت کرد .", "شوکت میرضیایف", "person"),
    ("fa", "معاون اول رئیس جمهور محمدرضا عارف امروز به تبریز سفر کرد .", "محمدرضا عارف", "person"),
    ("fa", "رئیس مجلس عراق محمود المشهدانی این طرح را امضا کرد .", "محمود المشهدانی", "person"),
    # an Arabic place noun before a construct name and a direction
    ("ar", "نزح مئات السكان من قرية الرملة الشرقية بعد الفيضانات.", "الرملة الشرقية", "place"),
    ("ar", "زار الوفد مخيم الزعتري يوم الأحد.", "الزعتري", "place"),
])
def test_names_the_second_round_finds(lang: str, text: str, surface: str, kind: str,
                                      found_names: FoundNames) -> None:
    assert (surface, kind) in found_names(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    # a place noun with the article, or before an adjective, is a description
    ("ar", "اكتسبت المدينة شهرة عالمية في السنوات الأخيرة."),
    ("ar", "وهي مدينة تجارية صاخبة تعج بالحركة."),
    ("ar", "يكون المطار الوحيد في المنطقة الحرة."),
    # a role before a verb is no name
    ("ar", "وكان اللاعب يريد الرحيل منذ أسابيع."),
    # Persian: a common subject before the verb of saying, Monday is not Dushanbe
    ("fa", "رئیس بیمارستان گفت که حال مصدومان خوب است ."),
    ("fa", "وزیران روز دوشنبه اعلام کردند که نشست برگزار می‌شود ."),
    # an office written in two words, "the late", and "the Leader of the Revolution" are no names
    ("fa", "رئیس جمهور فقید در این مراسم یاد شد ."),
    ("fa", "رهبر انقلاب از رئیس جمهور فقید تجلیل کرد ."),
    ("fa", "از همسر مرحوم در این مراسم تجلیل شد ."),
    # stacked offices with no name after them
    ("fa", "معاون اول وزیر در این جلسه حضور داشت ."),
    ("fa", "رییس جمهور آمریکا گفت که مذاکرات ادامه دارد ."),
    ("fa", "رهبر انقلاب اسلامی صبح امروز، دوشنبه ۱۴ خرداد ۱۴۰۳، در مراسم سالگرد رحلت در تهران سخنرانی کرد ."),
])
def test_descriptions_are_not_names(lang: str, text: str, found_names: FoundNames) -> None:
    assert found_names(text, lang) == set()
