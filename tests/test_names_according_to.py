"""A person named as the source of a report, after "according to" ("بحسب", "وفقا ل", "نقلا عن", "على حد قول",
"به گفته", "به اعتقاد"), up to the comma or "فإن" that goes on with the report; and what follows such a cue
without being anyone (sources, eyewitnesses, a statement, his words, an organisation's noun) is no name. The
sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(name_stage: NameStage, text: str, lang: str) -> list[str]:
    return [text[s.start:s.end] for s in name_stage.spans(text, lang) if s.type == "person"]


@pytest.mark.parametrize(("lang", "text", "person"), [
    ("ar", "وبحسب زاخاروفا فإن موسكو لن ترد على الاتهامات.", "زاخاروفا"),
    ("ar", "ووفقا لشومسكي فإن السياسة الخارجية لم تتغير.", "شومسكي"),
    ("ar", "ووفقا لبيرغمان فإن المحادثات ستستأنف الأسبوع المقبل.", "بيرغمان"),
    ("ar", "وعلى حد قول ستولتنبرغ فإن الحلف موحد.", "ستولتنبرغ"),
    ("ar", "وحسب كارين جان بيير، فإن الرئيس سيسافر غدا.", "كارين جان بيير"),
    ("ar", "نقلا عن فيليبوف، انسحبت القوات من البلدة.", "فيليبوف"),
    ("fa", "به گفته محمدزاده ، تیم ملی در اردو حاضر شد .", "محمدزاده"),
    ("fa", "به گفته بهرام نوروزی ، نشست فردا برگزار می‌شود .", "بهرام نوروزی"),
    ("fa", "به اعتقاد کدیور ، این قانون اصلاح خواهد شد .", "کدیور"),
    ("fa", "به گفته شهرام قنبری ، دو نفر در این حادثه زخمی شدند .", "شهرام قنبری"),
])
def test_the_source_after_according_to_is_a_person(lang: str, text: str, person: str,
                                                   name_stage: NameStage) -> None:
    assert person in _people(name_stage, text, lang)


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("ar", "وبحسب قوله فإن الاتفاق بات قريبا.", "قوله"),
    ("ar", "حسب المصادر، فإن الاجتماع تأجل.", "المصادر"),
    ("ar", "وبحسب مصادر محلية، فإن القتلى مدنيون.", "مصادر"),
    ("ar", "ووفقا للبيان، فإن الهجوم استهدف ثكنة.", "للبيان"),
    ("ar", "وبحسب المتحدث فإن الاجتماع تأجل.", "المتحدث"),
    ("ar", "بحسب تقديرات الأمم المتحدة، نزح آلاف السكان.", "تقديرات"),
    ("ar", "وبحسب شهود عيان، فإن الانفجار وقع قرب السوق.", "شهود"),
    ("fa", "به گفته منابع محلی ، دو نفر کشته شدند .", "منابع"),
    ("fa", "به گفته وی ، نشست فردا برگزار می‌شود .", "وی"),
    ("fa", "به گفته شاهدان عینی ، انفجار در نزدیکی بازار رخ داد .", "شاهدان"),
    ("fa", "به اعتقاد محققان ، این روند ادامه خواهد داشت .", "محققان"),
    ("fa", "به نظر می‌رسد که مذاکرات ادامه دارد .", "می‌رسد"),
])
def test_what_follows_according_to_without_being_anyone(lang: str, text: str, word: str,
                                                        name_stage: NameStage) -> None:
    people = _people(name_stage, text, lang)
    assert not any(word in person.split() for person in people), people
