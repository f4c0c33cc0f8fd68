"""Persian verbs end names: a conjugated verb (known by its stems, from hazm's verb list in
``pipeline/data/fa_verbs.tsv``) is no word of an organisation's, a place's or a person's name; a place noun before a
verb or before the noun of a compound verb names no place; and a family name of origin that is also a given name
("حسینی", "صادقی") opens a report like any family name. The sentences were written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize_fa_bounds import verb_form

DATA = Path(__file__).resolve().parent.parent / "src" / "watchfloor" / "pipeline" / "data"


@pytest.fixture(scope="module")
def stage() -> NameStage:
    found = NameStage()
    found.setup()
    return found


def _spans(stage: NameStage, text: str) -> set[tuple[str, str]]:
    return {(s.type, text[s.start:s.end]) for s in stage.spans(text, "fa")}


@pytest.mark.parametrize("word", ["کردند", "نوشتند", "پذیرفته", "نوشته", "نداشته", "وابسته", "دیدیم", "ندهند",
                                  "بگیرند", "نباشد", "بپرسد", "ندانند"])
def test_a_conjugated_verb_is_a_verb_form(word: str) -> None:
    assert verb_form(normalize(word))


@pytest.mark.parametrize("word", ["کرد", "داد", "گذشت", "کمیته", "تهران", "فعالیت", "اقدامی", "آینده", "زنده",
                                  "بند", "کند", "متحده", "برنده", "سازنده", "حسینی", "کردستان"])
def test_a_noun_or_a_bare_stem_is_no_verb_form(word: str) -> None:
    """A bare past stem is often a noun too ("کرد", Kurd; "داد", justice), and so is a word that only looks like
    a participle ("کمیته", "آینده")."""
    assert not verb_form(normalize(word))


@pytest.mark.parametrize(("text", "name"), [
    ("استانداری لرستان نوشته است که آرامش برقرار شده است.", "استانداری لرستان"),
    ("شرکت مایکروسافت پذیرفته است که خطا از سامانه بوده است.", "شرکت مایکروسافت"),
    ("باشگاه دختران جوان وابسته به شهرداری تعطیل شد.", "باشگاه دختران جوان"),
    ("سازمان بنادر اعلام کردند که کشتی‌ها پهلو گرفته‌اند.", "سازمان بنادر"),
    ("اتحادیه صادرکنندگان فرش نپذیرفته است که تعرفه افزایش یابد.", "اتحادیه صادرکنندگان فرش"),
])
def test_a_persian_organisation_stops_at_a_verb(stage: NameStage, text: str, name: str) -> None:
    organisations = {surface for kind, surface in _spans(stage, text) if kind == "organization"}
    assert name in organisations, organisations


@pytest.mark.parametrize(("text", "word"), [
    ("گزارش‌ها حاکی است هیچ گونه درگیری در منطقه وجود نداشته است.", "وجود"),
    ("جوانان باید به دشمنان میدان ندهند و هوشیار باشند.", "ندهند"),
    ("گردشگران خارجی از اماکن تاریخی استان دیدن کردند.", "دیدن"),
    ("گروهی از معترضان شب در شهر بیتوته کرده‌اند.", "بیتوته"),
    ("بازرسان از بخش دیدن می‌کنند و گزارش می‌نویسند.", "دیدن"),
    ("پژوهشگران درباره منطقه‌گرایی در آسیا سخن گفتند.", "گرایی"),
])
def test_a_place_noun_before_a_verb_names_no_place(stage: NameStage, text: str, word: str) -> None:
    places = {surface for kind, surface in _spans(stage, text) if kind == "place"}
    assert not any(word in surface for surface in places), places


@pytest.mark.parametrize(("text", "place"), [
    ("نیروهای امدادی به روستای کلاته رسیدند.", "کلاته"),
    ("سیل در روستای کلاته خسارت زیادی به بار آورد.", "کلاته"),
    ("مردم روستای کلاته در کنار رودخانه زندگی می‌کنند.", "کلاته"),
    ("باستان‌شناسان در شهر سوخته کاوش کردند.", "شهر سوخته"),
])
def test_a_place_before_a_verb_of_going_or_a_participle_stays(stage: NameStage, text: str, place: str) -> None:
    """"رسیدند" and "آورد" follow the place one reaches; a participle may name one (the Burnt City)."""
    places = {surface for kind, surface in _spans(stage, text) if kind == "place"}
    assert any(place in surface for surface in places), places


@pytest.mark.parametrize(("text", "verb"), [
    ("ما در این سفر آقای عظیمی دیدیم که با مردم گفتگو می‌کرد.", "دیدیم"),
    ("کسی که فقیه نباشد نمی‌تواند فتوا دهد.", "نباشد"),
    ("گزارشگر از آقای رحیمی پرسیدیم که طرح کی آغاز می‌شود.", "پرسیدیم"),
    ("از خانم کریمی نخواستند که در جلسه حاضر شود.", "نخواستند"),
])
def test_a_person_stops_at_a_verb(stage: NameStage, text: str, verb: str) -> None:
    assert not any(verb in surface for _, surface in _spans(stage, text))


@pytest.mark.parametrize(("text", "name"), [
    ("حسینی با اشاره به این که طرح آماده است گفت کار از هفته آینده آغاز می‌شود.", "حسینی"),
    ("صادقی در بخش دیگری از سخنان خود به وضع بازار پرداخت.", "صادقی"),
    ("موسوی در پاسخ به پرسش خبرنگاران از برگزاری نشست خبر داد.", "موسوی"),
])
def test_a_family_name_of_origin_opens_a_report(stage: NameStage, text: str, name: str) -> None:
    assert ("person", name) in _spans(stage, text)


def test_the_stems_record_their_source_and_licence() -> None:
    table = (DATA / "fa_verbs.tsv").read_text(encoding="utf-8")
    assert "hazm" in table.splitlines()[0] and "MIT" in table.splitlines()[1]
    assert len([line for line in table.splitlines() if "\t" in line]) > 600
    assert "Permission is hereby granted" in (DATA / "fa_verbs.LICENSE.md").read_text(encoding="utf-8")
