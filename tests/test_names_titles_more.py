"""More of the ways a title announces a name in Arabic: a title with a pronoun written onto it ("رئيسها ألكسندر
لوكاشنكو", "مدربه"), a king's or imam's name with the article and his ordinal ("الملك الراحل الحسن الثاني"), a
title word after a particle, which is a name part ("بندر بن سلطان"), and a title word that is a given name
before "بن", which opens the name ("الأمير سلطان بن فهد", "الشيخ أمير بن سعيد"), a royal name's lineage and
family ("الوليد بن طلال بن عبدالعزيز آل سعود"), a compound's second half ("زين الدين زيدان"), foreign given
names that begin with the article's letters ("ألبرت", "ألكسندر"), an origin adjective before a name and its
description ("الكرواتي إيفان ليوبيسيتش المصنف"), a title of one word that was missing ("مستشار"), and "الفريق",
the team as well as a general's rank, which one word after it does not make a general ("الفريق مستعد"). The
sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage

PEOPLE = [
    ("وأجرى الوزير محادثات مع رئيسها ألكسندر لوكاشنكو في مينسك.", "ألكسندر لوكاشنكو"),
    ("وقال مدربه كارلو أنشيلوتي إن اللاعب سيعود قريبا.", "كارلو أنشيلوتي"),
    ("والتقى وزير الخارجية سفيرها ميخائيل بوغدانوف أمس.", "ميخائيل بوغدانوف"),
    ("وشارك في جنازة الملك الراحل الحسن الثاني عدد من القادة.", "الحسن الثاني"),
    ("وصل الأمير الوليد بن طلال إلى باريس.", "الوليد بن طلال"),
    ("واستقبل الملك عبد الله الثاني وفدا أمريكيا.", "عبد الله الثاني"),
    ("وحضر الحفل اللاعب البرت موتتانيس مع فريقه.", "البرت موتتانيس"),
    ("وقال مستشار الأمن القومي السعودي بندر بن سلطان إن المحادثات مثمرة.", "بندر بن سلطان"),
    ("وأعلن خالد بن سلطان أن القوات عادت.", "خالد بن سلطان"),
    ("وسجل الفرنسي زين الدين زيدان الهدف الأول.", "زين الدين زيدان"),
    ("ويلاقي الكرواتي إيفان ليوبيسيتش المصنف الأول في البطولة.", "إيفان ليوبيسيتش"),
    ("واستقبل الأمير سلطان بن فهد بن عبدالعزيز آل سعود الوفد في الرياض.", "سلطان بن فهد بن عبدالعزيز آل سعود"),
    ("وأصدر الشيخ سلطان بن محمد القاسمي مرسوما بتعيين مدير جديد.", "سلطان بن محمد القاسمي"),
    ("وقال أمير بن سعيد رئيس البلدية إن الطرق فتحت.", "أمير بن سعيد"),
    ("وافتتح الشيخ خليفة بن حمد المعرض صباح اليوم.", "خليفة بن حمد"),
    ("وقال مستشار بن علي السابق إن الوثائق أتلفت.", "بن علي"),  # an office that is no given name stays out
    ("وقال الفريق الركن عبد الأمير يار الله إن القوات وصلت.", "عبد الأمير يار الله"),  # the general's rank
    # a royal name with the article, its lineage and its family ("عبد" written joined)
    ("ولد الأمير الوليد بن طلال بن عبدالعزيز آل سعود في الرياض.", "الوليد بن طلال بن عبدالعزيز آل سعود"),
    ("وحضر الأمير الفيصل بن عبدالرحمن آل سعود الحفل.", "الفيصل بن عبدالرحمن آل سعود"),
]


@pytest.mark.parametrize(("text", "person"), PEOPLE)
def test_a_title_announces_the_whole_name(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert people == [person]


@pytest.mark.parametrize(("text", "word"), [
    ("وأحضر الفريق العائد إلى الأرض عينات من الصخور.", "العائد"),  # the team that came back
    # "الفريق" is the team as well as a general's rank: one word after it, though a name part, is no general
    ("وأكد الحارس كاسياس أن الفريق مستعد للمباراة المقبلة.", "مستعد"),  # the team is ready
    ("وقال المدرب إن الفريق سعيد بالفوز على منافسه.", "سعيد"),  # the team is happy
    ("ومستشار الأمين العام للأمم المتحدة يزور بيروت.", "الأمين"),  # the Secretary-General's adviser
    ("انتصر الشعب أمام الحق والعدل.", "الحق"),  # before the truth
    ("وقال الرئيس السوداني إن الاتفاق صامد.", "السوداني"),
    ("وأكد السيد حسن نصر الله الأمين العام للحزب أن المعركة مستمرة.", "الأمين"),
    ("وألقت الشرطة القبض على المشتبه به ونقلته إلى مقرها.", "مقرها"),
])
def test_a_word_after_a_title_that_names_no_one_stays_out(text: str, word: str, name_stage: NameStage) -> None:
    names = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert not any(word in name.split() for name in names), names


@pytest.mark.parametrize(("text", "words"), [
    ("وألقى كلمة أمام حشود أنصاره في الساحة.", {"حشود", "أنصاره"}),  # "أمام" (before) is the Persian "امام"
    ("ووقف الوزير أمام جمهور المؤتمر وقرأ البيان.", {"جمهور"}),
    ("وقال القيادي خالد شيخ محمد إن الخطة فشلت.", set()),  # "شيخ" is a Persian title, a name part in Arabic
])
def test_another_languages_title_is_no_title_in_arabic(text: str, words: set[str], name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert not any(words & set(name.split()) for name in people), people
    if not words:
        assert people == ["خالد شيخ محمد"]
