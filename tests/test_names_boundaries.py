"""The recogniser's fourth round (issue 15): where a person's name begins and ends (a second name after
"و", lineage with "بن" and "ولد", family names with the article in a row, a preposition after the name,
common words the romaniser's index also lists as name parts), and Persian place nouns that name no place.
The people are invented; the sentences were written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from watchfloor.pipeline.recognize import cues

FoundNames = Callable[[str, str], set[tuple[str, str]]]


def test_common_words_the_index_saw_rarely_as_names_are_common() -> None:
    common = cues().common
    assert {"نظام", "جديد", "سبيل"} <= common  # the index saw each a few times as a name part
    assert not {"عبد", "الله", "بن", "ولد", "علي", "حسن", "محمد"} & common


@pytest.mark.parametrize(("text", "names"), [
    # "و" before a name part opens a second name, which is named without the "و"
    ("كتب السيناريو جورج ميلر ومارك هانسن وأخرجه آخر.", {"جورج ميلر", "مارك هانسن"}),
    ("وحضر اللقاء سامر الحلبي ومحمد الخطيب أمس.", {"سامر الحلبي", "محمد الخطيب"}),
    ("وحضر الحفل رامي السعدي وسامر الحلبي أمس.", {"رامي السعدي", "سامر الحلبي"}),
    # a given name with "و" in it keeps it
    ("وحضر الحفل رامي السعدي ووليد الحلبي أمس.", {"رامي السعدي", "وليد الحلبي"}),
    ("وقال وسام الحسن إن التحقيق مستمر.", {"وسام الحسن"}),
])
def test_a_second_name_opens_after_wa(text: str, names: set[str], found_names: FoundNames) -> None:
    people = {surface for surface, kind in found_names(text, "ar") if kind == "person"}
    assert names <= people


@pytest.mark.parametrize(("text", "surface"), [
    # a name with the father's name after "ولد" or "بن", however long
    ("وشارك في الاجتماع سيدي ولد أحمد ولد سالم ممثلا عن الولاية.", "سيدي ولد أحمد ولد سالم"),
    ("وانتخب النواب محمد ولد سيدي محمود رئيسا للجنة.", "محمد ولد سيدي محمود"),
    ("التقى الوفد سعيد بن مسفر في الرياض.", "سعيد بن مسفر"),
    # a kunya after "بن", a first name with the article, Ali written like the preposition "على"
    ("وحكم معاوية بن أبي سفيان من دمشق.", "معاوية بن أبي سفيان"),
    ("وتولى علي بن أبي طالب الخلافة بعد ذلك.", "علي بن أبي طالب"),
    ("واستقبل الحسن بن علي الوفد في المدينة.", "الحسن بن علي"),
    ("وقدم الأمير الوليد بن طلال تبرعا للمستشفى.", "الوليد بن طلال"),
    ("وحضر الحسين بن مسفر حفل الافتتاح.", "الحسين بن مسفر"),
    ("وقال زياد بن أبي بكر إن الطريق مفتوح.", "زياد بن أبي بكر"),
    # a kunya opens a name by itself
    ("وكتب ابن خلدون مقدمته في القرن الرابع عشر.", "ابن خلدون"),
    ("وبعد خروج أبي زيد من المدينة عاد الجيش.", "أبي زيد"),
    ("وظهر أبو حمزة في تسجيل مصور بثته القناة.", "أبو حمزة"),
    ("ونقلت الصحيفة رسالة ابن سينا إلى الأمير.", "ابن سينا"),
    # family names with the article in a row
    ("وصل الشيخ ناصر الأحمد الجابر إلى المطار صباحا.", "ناصر الأحمد الجابر"),
    # an origin adjective after a title, though the index knows it as a family name
    ("وقال الرئيس الجزائري عبد المجيد حداد إن الانتخابات ستجرى في موعدها.", "عبد المجيد حداد"),
])
def test_lineage_and_article_chains_make_one_name(text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "person") in found_names(text, "ar")


@pytest.mark.parametrize(("text", "surface", "not_surface"), [
    # a preposition with a known word after it ends the name
    ("وأشاد صامويل إيتو بنظام اللعب الجديد.", "صامويل إيتو", "صامويل إيتو بنظام"),
    # a common word the index also lists as a name part ends the name
    ("اعتمد المدرب كارلوس مندوزا نظام دفاع جديد.", "كارلوس مندوزا", "كارلوس مندوزا نظام"),
    # a name ends on no particle: "ولد" is "was born" here
    ("وقال الكاتب سمير ولد في بيروت عام 1950.", "سمير", "سمير ولد"),
])
def test_a_name_ends_before_the_next_phrase(text: str, surface: str, not_surface: str,
                                           found_names: FoundNames) -> None:
    found = found_names(text, "ar")
    assert (surface, "person") in found
    assert (not_surface, "person") not in found


@pytest.mark.parametrize(("text", "surface"), [
    # after a verb of saying, a preposition with the article starts the next phrase
    ("وقال كارستن بيرغمان للصحفيين إن المحادثات مستمرة.", "كارستن بيرغمان"),
    ("وأكد ماركو فيراتي بالأمس أن الفريق جاهز.", "ماركو فيراتي"),
])
def test_a_subject_after_a_verb_of_saying(text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "person") in found_names(text, "ar")


@pytest.mark.parametrize("text", [
    # Arabic or Urdu place nouns are Persian words: a climate, studies
    "این طرح تأثیر زیادی روی اقلیم منطقه دارد .",
    "دانشجویان خارجی مشغول به تحصیل هستند .",
    # a Persian place noun before a common word, or after a determiner
    "این منطقه مهم برای کشاورزی است .",
    "بودجه زیادی به این استان اختصاص یافت .",
    "در آن شهر زندگی می‌کنند .",
])
def test_persian_place_nouns_that_name_no_place(text: str, found_names: FoundNames) -> None:
    assert not [surface for surface, kind in found_names(text, "fa") if kind == "place"]


@pytest.mark.parametrize(("text", "surface"), [
    ("سیل در شهرستان چالدران خسارت زیادی به بار آورد .", "شهرستان چالدران"),
    ("کارگران در شهرستان اندیکا دست به اعتصاب زدند .", "شهرستان اندیکا"),
])
def test_persian_place_nouns_still_name_places(text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "place") in found_names(text, "fa")


@pytest.mark.parametrize(("text", "word"), [
    # no second half of a name opens one, a kunya is no "son of his uncle", and a possessed noun ends a name
    ("وحضر عبد الرحمان ولد محمد حمودي الاجتماع.", "الرحمان ولد محمد حمودي"),
    ("وزار ابن عمه المدينة أمس.", "ابن عمه"),
    ("وكتب ابن خلدون مقدمته في القرن الرابع عشر.", "ابن خلدون مقدمته"),
    ("وسلم الوزير محمد الخطيب استقالته إلى الرئيس.", "محمد الخطيب استقالته"),
])
def test_what_a_lineage_or_a_kunya_does_not_take(text: str, word: str, found_names: FoundNames) -> None:
    assert (word, "person") not in found_names(text, "ar")


@pytest.mark.parametrize(("text", "surface", "not_surface"), [
    # a word with the article that the index knows as no name and that is no nisba ends a name
    ("ورفض المدرب جوزيه الإفصاح عن التشكيلة قبل المباراة.", "جوزيه", "جوزيه الإفصاح"),
    ("وحاول الحارس ماركو الإمساك بالكرة في اللحظة الأخيرة.", "ماركو", "ماركو الإمساك"),
    ("ورفض اللاعب ماتيو الإدلاء بأي تصريح بعد المباراة.", "ماتيو", "ماتيو الإدلاء"),
    ("وحاول المدرب روبرتو الإبقاء على التشكيلة نفسها.", "روبرتو", "روبرتو الإبقاء"),
    # a family name the index knows, a nisba, and a Persian spelling whose "ال" is no article stay in it
    ("وقال الوزير خالد الزيدي إن الحكومة ستجتمع.", "خالد الزيدي", "خالد"),
    ("وقال المدرب فيكتور العيساوي إن الفريق جاهز.", "فيكتور العيساوي", "فيكتور"),
    ("وقال الدبلوماسي آلکساندر الپاتف إن المفاوضات مستمرة.", "آلکساندر الپاتف", "آلکساندر"),
])
def test_a_word_with_the_article_that_is_no_name_ends_one(text: str, surface: str, not_surface: str,
                                                         found_names: FoundNames) -> None:
    people = {s for s, kind in found_names(text, "ar") if kind == "person"}
    assert surface in people
    assert not_surface not in people
