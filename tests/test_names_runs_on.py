"""A person's name runs on to its last part: a month or day word that is a name part ("طه ياسين رمضان", "محمد
جمعة") after a name part, and the family name after a name the romaniser's index holds whole ("عبد اللطيف
القرقاوي"). A month or day word after no name part, or before a year, stays the calendar's. The sentences were
written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage

WHOLE = [
    ("وقال طه ياسين رمضان أمس إن الوفد وصل.", "طه ياسين رمضان"),
    ("وأكد اللواء محمد جمعة أن القوات انسحبت.", "محمد جمعة"),
    ("التقى الوزير خالد شعبان بنظيره الأردني في عمان.", "خالد شعبان"),
    ("وصرح عادل رجب للصحفيين بأن المحادثات مستمرة.", "عادل رجب"),
    ("وقال سامي خميس إن الاجتماع انتهى دون اتفاق.", "سامي خميس"),
    ("إلا أن عبد اللطيف القرقاوي أحد المسؤولين قال إن الموعد تأجل.", "عبد اللطيف القرقاوي"),
    ("وذكر أبو محمد العدناني في التسجيل أن الهجوم وقع ليلا.", "أبو محمد العدناني"),
    # Persian stop words are no stop words in Arabic: "مي" (the Persian verbal prefix) is the given name May
    ("وتظهر الفنانة مي عز الدين في الجزء الثاني من المسلسل.", "مي عز الدين"),
    # a title after a particle is a name part, and "أمير" after the name is a title that ends it
    ("واستقبل الشيخ حمد بن خليفة آل ثاني أمير قطر الوفد.", "حمد بن خليفة آل ثاني"),
    # an organisation's name that runs on into a person's gives the person whole
    ("وقال رئيس مجلس الأمن القومي السعودي بندر بن سلطان إن الزيارة مهمة.", "بندر بن سلطان"),
]


@pytest.mark.parametrize(("text", "person"), WHOLE)
def test_a_name_runs_on_to_its_last_part(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert person in people, people


@pytest.mark.parametrize(("text", "word"), [
    ("وصل الوفد في شهر رمضان المبارك إلى بغداد.", "رمضان"),
    ("وصل محمد في رمضان الماضي إلى بغداد.", "رمضان"),
    ("عقد الاجتماع يوم الخميس في بغداد.", "الخميس"),
    ("وقال أحمد يوم الجمعة إن الوفد غادر.", "الجمعة"),
    ("ووصل محمود رمضان 1445 إلى المدينة.", "رمضان"),
    ("وبعث الشيخ جاسم بن حمد آل ثاني ولي العهد برقية تهنئة.", "برقية"),
])
def test_a_word_after_no_name_part_stays_out_of_names(text: str, word: str, name_stage: NameStage) -> None:
    names = [text[s.start:s.end] for s in name_stage.spans(text, "ar")]
    assert not any(word in name.split() for name in names), names
