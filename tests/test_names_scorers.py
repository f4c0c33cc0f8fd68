"""A match report names each scorer before the minute of the goal in brackets ("وكريم بنزيمة ( 89 )"): the one to
three words before a bracketed number from 1 to 120 are a person when none of them is a common or frequent word, a
stop word, a place, a word with the article, a verb's shape or a word with a pronoun; "و" or "ل" may open the first.
Counts, ages, years and numbered items in brackets stay what they are. A results table's row, a rank, a dash, a name
and a country ("8 - شينوزوكا اليابان"), names a competitor; a numbered list's item does not. The sentences were written
for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize import words_of
from watchfloor.pipeline.recognize_lists import MINUTES, ranked, scorers


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "people"), [
    ("وسجل للفريق الضيف سيلادو ( 59 ) قبل أن يتعادل أصحاب الأرض.", ["سيلادو"]),
    ("وتعادل الفريق بهدف دروبيتسكي ( 85 ) في الدقائق الأخيرة.", ["دروبيتسكي"]),
    ("وأضاف أوكوندو ( 31 ) وغوربيتشا ( 77 ) هدفين للفريق.", ["أوكوندو", "غوربيتشا"]),  # "و" comes off
    ("الأهداف : نوفاكوفيتش ( 9 ) ، ووليد بيرغيني ( 40 ) ، وسالاسكي ( 88 ) .",
     ["نوفاكوفيتش", "وليد بيرغيني", "سالاسكي"]),  # "وليد" keeps its letter
    ("وتقدم الفريق بهدفين لأوليفر ماركس ( 7 ) وستيفان كوفاتش (118) في الوقت الإضافي.",
     ["لأوليفر ماركس", "ستيفان كوفاتش"]),
])
def test_a_scorer_before_the_minute(text: str, people: list[str], name_stage: NameStage) -> None:
    assert _people(name_stage, text) == people


@pytest.mark.parametrize("text", [
    "وقتل في الهجوم ثلاثة أشخاص ( 14 ) وأصيب آخرون بجروح.",  # a count after common words
    "وأعلنت الوزارة المرحلة الأولى ( 2 ) من الخطة.",  # an item's number after a word with the article
    "وشارك في المؤتمر ممثلو الدول ( 45 دولة ) في جنيف.",  # a number with a word in the brackets
    "وتعرض الطفل ( 14 عاما ) لإصابة في قدمه.",  # an age
    "ووصلت القافلة إلى بغداد ( 3 ) بعد ظهر أمس.",  # a place
    "وتضم القائمة ملفات ستيفان كوفاتش ( 2024 ) في الأرشيف.",  # a year, past any match's minutes
])
def test_no_scorer_in_other_brackets(text: str, name_stage: NameStage) -> None:
    assert scorers(text, words_of(text), name_stage.is_name_word, name_stage.given_names.__contains__) == []


@pytest.mark.parametrize(("minute", "found"), [(1, True), (MINUTES, True), (MINUTES + 1, False), (0, False)])
def test_only_a_matchs_minutes(minute: int, found: bool, name_stage: NameStage) -> None:
    text = f"وأضاف ستيفان كوفاتش ( {minute} ) هدفا."
    assert bool(scorers(text, words_of(text), name_stage.is_name_word, name_stage.given_names.__contains__)) is found


@pytest.mark.parametrize(("text", "people"), [
    ("ترتيب المرحلة : 1 - ليندكفيست السويد 3 ساعات , 2 - أوكاموتو اليابان , 3 - بيرتولاتي ايطاليا .",
     ["ليندكفيست", "أوكاموتو", "بيرتولاتي"]),
    ("8 - ماركو سيدلاتشيك النمسا بفارق دقيقتين", ["ماركو سيدلاتشيك"]),
    ("4 - كوفالسكي جنوب افريقيا بفارق 40 ثانية", ["كوفالسكي"]),  # a country of two words
])
def test_a_results_tables_rows(text: str, people: list[str], name_stage: NameStage) -> None:
    assert _people(name_stage, text) == people


@pytest.mark.parametrize("text", [
    "وتشمل الخطة : 1 - توسعة قاعدة المستثمرين 2 - خفض التكلفة",  # a numbered list's items
    "2 - لحظة غروب الشمس في موقع المرصد",
    "وفاز الفريق على مضيفه 1 - صفر مساء الجمعة في باريس",  # a score
    "3 - مكاتب الوزارة في بغداد",  # a word with the article before the place
])
def test_no_competitor_in_other_numbered_lines(text: str, name_stage: NameStage) -> None:
    assert ranked(text, words_of(text), name_stage.is_name_word) == []
