"""Arabic people the index may not know: the subject of a verb of welcoming, appealing, deciding, accusing or
believing, as of a verb of saying; a name after a nationality spelled otherwise than the CLDR's country
("النيوزلندي", "الاسكتلندي", "النمساوي", "البريطاني", "الكوري"); a European name's particle ("فان", "فون دير",
"دي") inside the name; and the words that end a name: an adjective of the pattern أفعل ("أفضل لاعب"), a past
verb of the tenth form ("استطاع"), a verbal noun with its pronoun ("ابتعاده"). The sentences and names were
written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize_cues import cues_for, is_place_adjective
from watchfloor.pipeline.recognize_runs import verb_like


def _people(name_stage: NameStage, text: str) -> set[str]:
    return people_found(name_stage, text, "ar")


@pytest.mark.parametrize(("text", "name"), [
    ("ورحب كوفمان بقرار المجلس تمديد الهدنة", "كوفمان"),
    ("وناشد رودريغيز المواطنين الالتزام بالتعليمات", "رودريغيز"),
    ("وقرر هيلمر الاستقالة من منصبه بعد الاجتماع", "هيلمر"),
    ("واتهم كوستيلو الحكومة بالتقصير في إدارة الأزمة", "كوستيلو"),
    ("وأعرب ماتيولي عن قلقه من تدهور الأوضاع", "ماتيولي"),
    ("ويعتقد ستيرلنغ أن الأزمة ستطول", "ستيرلنغ"),
    ("وتطرق بيرنارد إلى ملف اللاجئين في كلمته", "بيرنارد"),
])
def test_the_subject_of_a_verb_with_a_human_subject(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "ورحب المجلس بقرار تمديد الهدنة",
    "وأعربت أسر الضحايا عن غضبها من التأخير",
    "واتهم بيان الحكومة المعارضة بالتحريض",
    "وقرر مجلس الإدارة تأجيل الاجتماع",
])
def test_no_person_when_the_subject_is_no_name(name_stage: NameStage, text: str) -> None:
    assert not _people(name_stage, text)


@pytest.mark.parametrize(("text", "name"), [
    ("حتى خلفه في رئاسة المختبر النيوزلندي جيمس هادلي", "جيمس هادلي"),
    ("وأكد الاسكتلندي إيوان ماكفرسون أن الفريق جاهز", "إيوان ماكفرسون"),
    ("وفاز النمساوي توماس كيرشباوم بالمرحلة الثالثة", "توماس كيرشباوم"),
    ("وقال البريطاني غاريث هولدن إن السباق كان صعبا", "غاريث هولدن"),
    ("وقال الكوري هوانغ دونغ إن الفريق جاهز للمباراة", "هوانغ دونغ"),
    ("وفاز الفرنسي بيولي على منافسه في الدور الأول", "بيولي"),  # not "ب" and the verb "يولي"
    ("وقال الإيطالي بيوندي إن الفريق جاهز للمباراة", "بيوندي"),
])
def test_a_name_after_a_nationality_the_cldr_spells_otherwise(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize(("text", "name"), [
    ("وسجل الهولندي يان فان دالن هدف الفوز", "يان فان دالن"),
    ("والتقت الألمانية أورسولا فون دير لاين رئيس الوزراء", "أورسولا فون دير لاين"),
    ("وكان الإيطالي ماركو دي سانتيس قد أعلن اعتزاله", "ماركو دي سانتيس"),
    ("وأعلن المدرب فيسنتي دل بوسكي التشكيلة", "فيسنتي دل بوسكي"),  # Spanish "del"
    ("وقال المتحدث جوزيه دوس سانتوس إن الاجتماع انتهى", "جوزيه دوس سانتوس"),  # Portuguese "dos"
    ("وقال المتحدث جوزيه ديلا روفيري إن الاجتماع انتهى", "جوزيه ديلا روفيري"),  # Italian "della"
])
def test_a_european_names_particle_stays_inside_it(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


def test_a_particle_before_a_common_word_is_no_name(name_stage: NameStage) -> None:
    """"فان" is also ف + أن: after a name and before a common word it ends the name."""
    text = "وقال محمد فان الحكومة قررت التأجيل"
    assert not any("\u0641\u0627\u0646" in name for name in _people(name_stage, text))


@pytest.mark.parametrize(("text", "name", "after"), [
    ("وكان الأميركي كارل بريستون أفضل لاعب في المباراة", "كارل بريستون", "أفضل"),
    ("وكان الكندي مارك ديلون أكثر اللاعبين تسجيلا", "مارك ديلون", "أكثر"),
    ("وقال إن سامر حداد استطاع الفرار من المدينة", "سامر حداد", "استطاع"),
])
def test_a_name_ends_before_an_adjective_or_a_verb(name_stage: NameStage, text: str, name: str, after: str) -> None:
    people = _people(name_stage, text)
    assert name in people
    assert not any(after in p for p in people)


@pytest.mark.parametrize("text", [
    "وواصل ماتوسيك ابتعاده عن الملاعب بسبب الإصابة",
    "وأعلن فيلدمان انسحابه من السباق",
])
def test_a_verbal_noun_with_its_pronoun_is_no_part_of_a_name(name_stage: NameStage, text: str) -> None:
    assert not any(p.endswith(("ابتعاده", "انسحابه")) for p in _people(name_stage, text))


@pytest.mark.parametrize(("word", "verb"), [
    ("استطاع", True), ("واستقبل", True), ("استعرض", True), ("استيفن", False), ("استون", False), ("استراليا", False),
])
def test_a_past_verb_of_the_tenth_form(word: str, verb: bool) -> None:
    assert verb_like(normalize(word)) is verb


@pytest.mark.parametrize("word", ["النيوزلندي", "الاسكتلندي", "النمساوي", "البريطاني", "البريطانية", "الكوري",
                                  "والإنجليزي"])
def test_nationalities_the_cldr_names_otherwise(word: str) -> None:
    assert is_place_adjective(normalize(word), cues_for("ar"))


@pytest.mark.parametrize(("text", "name"), [
    ("ورفضت الحكومة تصريحات هالفورسن بشأن الاتفاق", "هالفورسن"),
    ("وأثارت تحذيرات كريستنسن الأخيرة جدلا واسعا", "كريستنسن"),
    ("وردت الوزارة على انتقادات برادلي للخطة", "برادلي"),
    ("واستنكر الاتحاد اتهامات رينولدز للحكام", "رينولدز"),
    ("وتناولت الندوة مقالات فاخوري عن الهجرة", "فاخوري"),
])
def test_the_person_whose_statements_a_report_names(name_stage: NameStage, text: str, name: str) -> None:
    """What a person says or writes, before the name: "تصريحات X", "تحذيرات X", "مقالات X"."""
    assert name in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "وأدلى الوزير بتصريحات صحفية بعد الاجتماع",
    "ونشر الباحث مقالات علمية في المجلة",
    "وصدرت تحذيرات شديدة من العاصفة",
    "وصدرت تحذيرات الأرصاد من العاصفة",
    "وأطلق تصريحات نارية ضد المعارضة",
    "مدد الكونغرس بمجلسيه الشيوخ والنواب العقوبات",
])
def test_no_person_in_statements_described_or_a_plural_with_its_pronoun(name_stage: NameStage, text: str) -> None:
    assert not _people(name_stage, text)


@pytest.mark.parametrize(("text", "role"), [
    ("في عهد الإمبراطور تشن هوا بني المسجد", "الإمبراطور"),
    ("وفي عهد السلطان قلاوون بنيت المدرسة", "السلطان"),
])
def test_no_name_holds_a_role(name_stage: NameStage, text: str, role: str) -> None:
    """The statistical tagger's spans too: a role is before a name, never in it ("عهد الإمبراطور")."""
    assert not any(role in p for p in _people(name_stage, text))


@pytest.mark.parametrize(("text", "name"), [
    ("بني المسجد في عهد أسرة مينغ قبل خمسة قرون", "مينغ"),
    ("وقال أحد وجهاء عشيرة كولاني إن القرية تضم مسجدا قديما", "كولاني"),
    ("وتلقت عائلة برهوم اتصالا من الصليب الأحمر", "برهوم"),
])
def test_the_family_name_after_a_family_or_dynasty(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "وتعيش الأسرة في منزل صغير قرب السوق",
    "وتلقت أسرة فقيرة مساعدات غذائية",
    "وتضم عائلة كبيرة عشرة أفراد",
    "وأكدت أسرة الضحية أنها ستلجأ إلى القضاء",
])
def test_no_family_name_after_a_family_described(name_stage: NameStage, text: str) -> None:
    assert not _people(name_stage, text)
