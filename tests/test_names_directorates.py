"""Persian directorates named by their head's title: after "مدیرکل", "مدیر" or "مدیرعامل" a portfolio or a
directorate's body with its province is an organisation ("مدیرکل گمرک استان بوشهر"), after "مدیرکل" without it
too ("مدیرکل منابع طبیعی"), and an organisation found a word or two on opens right after the title ("مدیر
بازرگانی سازمان بنادر و دریانوردی"). A word that qualifies the title ("مدیر اجرائی") is not the body's, and a
plain manager's field without a province names nothing ("مدیر ارتباطات این شرکت"). Both the names stage and the
whole pipeline's candidates are checked. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage
from watchfloor.pipeline.names import NameStage


def _orgs(name_stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "organization"]


def _candidates(name_stage: NameStage, gazetteer: Gazetteer, text: str) -> list[str]:
    mentions = EntityStage(gazetteer.find, gazetteer.entities).find(text, "fa")
    return [m.surface for m, entity in name_stage.find(text, mentions, "fa") if entity.type == "organization"]


@pytest.mark.parametrize(("text", "body"), [
    ("بوشهر ـ مدیرکل گمرک استان بوشهر گفت صادرات کالا در شش ماه گذشته افزایش یافته است .", "گمرک استان بوشهر"),
    ("مدیرکل میراث فرهنگی استان کرمان از کشف یک محوطه تاریخی در جنوب استان خبر داد .",
     "میراث فرهنگی استان کرمان"),
    ("مدیرکل فرهنگ و ارشاد اسلامی استان گیلان گفت جشنواره هفته آینده برگزار می‌شود .",
     "فرهنگ و ارشاد اسلامی استان گیلان"),
    ("مدیر بهزیستی استان کهگیلویه و بویراحمد اعلام کرد کمک‌ها به روستاها رسیده است .",
     "بهزیستی استان کهگیلویه و بویراحمد"),
    ("مدیرکل تأمین اجتماعی خراسان رضوی گفت پرداخت مستمری‌ها به موقع انجام می‌شود .", "تأمین اجتماعی خراسان رضوی"),
    ("مدیرعامل آب منطقه‌ای استان سیستان و بلوچستان از کاهش ذخایر سدها خبر داد .",
     "آب منطقه‌ای استان سیستان و بلوچستان"),
    ("به گفته مدیرکل منابع طبیعی ، آتش‌سوزی جنگل مهار شده است .", "منابع طبیعی"),
    ("مدیرکل آموزش و پرورش استان یزد گفت مدارس از شنبه باز می‌شوند .", "آموزش و پرورش استان یزد"),
    ("مدیر بازرگانی سازمان بنادر و دریانوردی گفت تخلیه کالا ادامه دارد .", "بازرگانی سازمان بنادر و دریانوردی"),
    ("مدیر آموزش شرکت ملی گاز ایران از برگزاری دوره‌های جدید خبر داد .", "آموزش شرکت ملی گاز ایران"),
    # "آب" opens the name: water, not the Levant's name for August
    ("مدیرکل آب و فاضلاب استان قم گفت مصرف آب در تابستان بالا رفته است .", "آب و فاضلاب استان قم"),
])
def test_the_body_a_directors_title_names(text: str, body: str, name_stage: NameStage,
                                          gazetteer: Gazetteer) -> None:
    assert body in _orgs(name_stage, text)
    assert body in _candidates(name_stage, gazetteer, text)


@pytest.mark.parametrize(("text", "wrong"), [
    ("مدیر اجرائی شرکت ملی نفت گفت تولید افزایش یافته است .", "اجرائی شرکت ملی نفت"),
    ("مدیر روابط عمومی سازمان هواپیمایی گفت پروازها برقرار است .", "روابط عمومی سازمان هواپیمایی"),
    ("مدیر ارتباطات این شرکت گفت قرارداد هفته آینده امضا می‌شود .", "ارتباطات"),
    ("مدیر ارتباطات گفت قرارداد هفته آینده امضا می‌شود .", "ارتباطات"),
    ("مدیرعامل گفت قرارداد هفته آینده امضا می‌شود .", "گفت"),
    ("مدیر مالی بانک گفت سود سهام پرداخت می‌شود .", "مالی بانک"),
])
def test_what_qualifies_the_title_or_names_no_body(text: str, wrong: str, name_stage: NameStage) -> None:
    assert wrong not in _orgs(name_stage, text)
