"""A compound given name written as one word, "عبد" and one of God's names with the article ("عبدالعزيز",
"عبدالحميد"), is a given name, though the index knows it only as two words and wordfreq's list holds it as a
frequent word: the name it opens or closes is a person's. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.word_shapes import frequent, servant_of


@pytest.mark.parametrize(("text", "person"), [
    ("وقال الفريق الركن عبدالحميد حجي رئيس الاتحاد إن البطولة ستقام في موعدها", "عبدالحميد حجي"),
    ("واستقبل الوزير عبدالمجيد محمود أمس في مكتبه بالعاصمة", "عبدالمجيد محمود"),
    ("وأكد عبدالوهاب الهاني أن الوفد وصل إلى العاصمة", "عبدالوهاب الهاني"),
    ("وقال النائب عبدالكريم الحسيني إن الجلسة أرجئت", "عبدالكريم الحسيني"),
])
def test_a_name_with_a_compound_written_as_one_word(text: str, person: str, name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"] == [person]


@pytest.mark.parametrize(("word", "compound"), [
    ("عبدالعزيز", True), ("وعبدالحميد", True), ("عبدالرحمن", True), ("عبدالوهاب", True),
    ("عبد", False), ("عبدال", False), ("عبدالي", False), ("العبد", False), ("عبدة", False),
])
def test_servant_of(word: str, compound: bool) -> None:
    assert servant_of(normalize(word)) is compound


@pytest.mark.parametrize("word", ["عبدالعزيز", "عبدالمجيد", "عبدالحميد", "عبدالوهاب"])
def test_no_compound_is_a_frequent_word(word: str) -> None:
    assert not frequent(normalize(word))
