"""Where a found name must end, whichever rule found it: a month of any calendar is no name ("كانون الأول" is
December), a Persian organisation's name stops before a count or an ordinal ("شش داوطلب", "چهاردهمین دوره"),
and before a compound verb's noun written with a zero-width non-joiner ("ثبت‌نام کرد"). The sentences were
written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.names import NameStage


@pytest.fixture(scope="module")
def stage() -> NameStage:
    found = NameStage()
    found.setup()
    return found


def _spans(stage: NameStage, text: str, lang: str) -> set[tuple[str, str]]:
    return {(s.type, text[s.start:s.end]) for s in stage.spans(text, lang)}


@pytest.mark.parametrize("text", [
    "تنتهي ولاية البعثة في 31 كانون الأول 2025 بحسب القرار.",
    "وأعلنت الوزارة في الأول من كانون الثاني أن الاجتماع تأجل.",
    "وعقد الاجتماع في الخامس من تشرين الأول في بيروت.",
    "وقال المتحدث إن المفاوضات ستستأنف في تشرين الثاني المقبل.",
])
def test_a_month_is_no_name(stage: NameStage, text: str) -> None:
    found = _spans(stage, text, "ar")
    assert not any(("كانون" in surface or "تشرين" in surface) for _, surface in found), found


def test_a_month_beside_an_organisation_leaves_the_organisation(stage: NameStage) -> None:
    text = "وفي 31 كانون الأول أعلنت حركة النجباء انسحابها."
    assert ("organization", "حركة النجباء") in _spans(stage, text, "ar")
    assert not any("كانون" in surface for _, surface in _spans(stage, text, "ar"))


@pytest.mark.parametrize(("text", "name"), [
    ("شورای نگهبان شش داوطلب را تأیید کرد.", "شورای نگهبان"),
    ("سازمان ملل متحد سه گزارش تازه منتشر کرد.", "سازمان ملل متحد"),
    ("ستاد انتخابات کشور دومین فهرست را اعلام کرد.", "ستاد انتخابات کشور"),
    ("وزارت امور خارجه چهاردهمین نشست را برگزار کرد.", "وزارت امور خارجه"),
])
def test_a_persian_organisation_stops_before_a_number(stage: NameStage, text: str, name: str) -> None:
    organisations = {surface for kind, surface in _spans(stage, text, "fa") if kind == "organization"}
    assert name in organisations, organisations


@pytest.mark.parametrize(("text", "name"), [
    ("قالیباف در وزارت کشور ثبت\u200cنام کرد.", "وزارت کشور"),
    ("سازمان هواشناسی پیش\u200cبینی کرد که باران ببارد.", "سازمان هواشناسی"),
    ("وزارت بهداشت پیش\u200cبینی کرده است که شمار بیماران کم شود.", "وزارت بهداشت"),
])
def test_a_persian_organisation_stops_before_a_compound_verb_written_with_a_non_joiner(
        stage: NameStage, text: str, name: str) -> None:
    organisations = {surface for kind, surface in _spans(stage, text, "fa") if kind == "organization"}
    assert organisations == {name}


@pytest.mark.parametrize("text", [
    "شورای نگهبان صلاحیت نامزدها را بررسی کرد.",
    "شورای نگهبان صلاحیت شش داوطلب را تأیید کرد.",
    "سپاه پاسداران انقلاب اسلامی مانور تازه را آغاز کرد.",
    "سازمان بدر نامزدهای خود را معرفی کرد.",
])
def test_a_known_organisation_is_not_run_on_into_a_candidate(text: str, found_names: Any) -> None:
    """The knowledge base names the organisation where the noun begins: the words after it are not its name."""
    assert not {surface for surface, kind in found_names(text, "fa") if kind == "organization"}


def test_an_organisation_still_holds_a_place_after_its_noun(found_names: Any) -> None:
    # (not "خبرگزاری فرانسه", AFP, an outlet of the knowledge base)
    found = found_names("رادیو فرانسه گزارش داد که مذاکرات ادامه دارد.", "fa")
    assert ("رادیو فرانسه", "organization") in found


@pytest.mark.parametrize(("lang", "text", "organisation", "person"), [
    ("ar", "قال المتحدث باسم وزارة الداخلية خالد المحمدي إن التحقيق مستمر.", "وزارة الداخلية", "خالد المحمدي"),
    ("ar", "وقال المتحدث باسم حركة النهضة الوطنية عادل المصري إن الحركة ستشارك.", "حركة النهضة الوطنية",
     "عادل المصري"),
    ("ar", "وقال المتحدث باسم الوزارة سامر الخطيب إن الوفد سيعود.", None, "سامر الخطيب"),  # "the ministry": no name
    ("fa", "سخنگوی وزارت خارجه مهدی کریمی گفت که مذاکرات ادامه دارد.", "وزارت خارجه", "مهدی کریمی"),
    ("fa", "سخنگوی سازمان انرژی اتمی رضا رستمی گفت که بازرسان وارد شدند.", "سازمان انرژی اتمی", "رضا رستمی"),
])
def test_an_organisation_ends_where_the_person_after_it_begins(stage: NameStage, lang: str, text: str,
                                                               organisation: str | None, person: str) -> None:
    """"The spokesman for the Interior Ministry Khaled al-Mahmadi said": two names, not one organisation."""
    found = _spans(stage, text, lang)
    assert ("person", person) in found, found
    assert not any(kind == "organization" and person in surface for kind, surface in found), found
    if organisation is not None:
        assert ("organization", organisation) in found, found


@pytest.mark.parametrize(("lang", "text", "organisation"), [
    ("ar", "وأصدرت كتائب عز الدين القسام بيانا حول الهجوم.", "كتائب عز الدين القسام"),  # named after a person
    ("fa", "اتحادیه آموزشی هنری کشور نشست سالانه خود را برگزار کرد.", None),  # "هنری": artistic, not Henry
])
def test_a_given_name_inside_an_organisation_name_stays_in_it(stage: NameStage, lang: str, text: str,
                                                              organisation: str | None) -> None:
    found = _spans(stage, text, lang)
    assert not any(kind == "person" for kind, _ in found), found
    if organisation is not None:
        assert ("organization", organisation) in found, found


@pytest.mark.parametrize(("text", "organisation"), [
    ("أعلن المتحدث العسكري باسم القوات المسلحة الوطنية سامي الأحمد تنفيذ عمليتين.", "القوات المسلحة الوطنية"),
    ("وقال الناطق العسكري باسم حركة النهضة الوطنية إن الحركة ستشارك.", "حركة النهضة الوطنية"),
    ("وقالت المتحدثة باسم جبهة التحرير الشعبية إن الوفد وصل.", "جبهة التحرير الشعبية"),
])
def test_basim_after_a_spokesman_is_in_the_name_of_not_a_name(stage: NameStage, text: str, organisation: str) -> None:
    """"المتحدث العسكري باسم": the military spokesman for (باسم, "in the name of", is also the name Bassem);
    an organisation's name also stops before a given name that begins the person's name after it."""
    found = _spans(stage, text, "ar")
    assert ("person", "باسم") not in found, found
    assert ("organization", organisation) in found, found


@pytest.mark.parametrize(("text", "name"), [
    # a Persian word written with a zero-width non-joiner is taken whole or left out, never cut in two: the
    # rules and the tagger work on its parts ("هماهنگ" + "کننده")
    ("جان اسمیت هماهنگ‌کننده این برنامه در نشست خبری حاضر شد .", "جان اسمیت"),
    ("مارتین کلاین درعین‌حال به پرسش خبرنگاران پاسخ داد .", "مارتین کلاین"),
    # the rest of the word is a family name's part: the name goes on to the word's end
    ("مهندس رضا معین‌فر در مراسم افتتاح حضور داشت .", "رضا معین‌فر"),
    ("در این دیدار حسین طالب‌لو به عنوان سرپرست معرفی شد .", "حسین طالب‌لو"),
    ("دکتر سعید نیک‌منش مدیر این طرح است .", "سعید نیک‌منش"),
    ("علی حسن‌زاده و مهدی کریم‌پور در این جلسه حاضر بودند .", "مهدی کریم‌پور"),
])
def test_a_persian_name_ends_at_a_word_s_end(stage: NameStage, text: str, name: str) -> None:
    found = _spans(stage, text, "fa")
    assert ("person", name) in found, found
    ends = {s.end for s in stage.spans(text, "fa")}
    assert not any(text[end:end + 1] == "\u200c" for end in ends), found  # no span ends inside a word


@pytest.mark.parametrize(("text", "name"), [
    # a role after a Persian name is no part of it: "the assistant professor", "the organiser", "the philosopher"
    ("توماس کلاین استادیار دانشگاه وین در این همایش سخنرانی کرد .", "توماس کلاین"),
    ("پیتر مولر برگزارکننده این همایش از شرکت‌کنندگان تشکر کرد .", "پیتر مولر"),
    ("مارکو روسی دروازه‌بان تیم در این دیدار مصدوم شد .", "مارکو روسی"),
])
def test_a_persian_name_ends_before_a_role(stage: NameStage, text: str, name: str) -> None:
    found = _spans(stage, text, "fa")
    assert ("person", name) in found, found


@pytest.mark.parametrize(("text", "adjective"), [
    # after a role, an adjective of origin is the role's, not a name: "the Iranian calligrapher"
    ("آثار علی رضایی ، خوشنویس ایرانی ، روز شنبه به نمایش درآمد .", "ایرانی"),
    ("این گزارش را عکاس عراقی تهیه کرده است .", "عراقی"),
    ("جان اسمیت ، خبرنگار آمریکایی ، در تهران بازداشت شد .", "آمریکایی"),
])
def test_an_adjective_of_origin_after_a_persian_role_is_no_name(stage: NameStage, text: str,
                                                                 adjective: str) -> None:
    assert not any(adjective in surface for kind, surface in _spans(stage, text, "fa") if kind == "person")
