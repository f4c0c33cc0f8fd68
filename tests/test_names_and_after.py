"""A person joined by "و" to a person found is one too when the words after the "و" are shaped as a name
("فيدرر وهينان", "ديدييه دروغبا ودراماني ديابي"): a name part the index knows, or a word no common, frequent or
stop word, place, verb's shape or pronoun; an office, a delegation, a relative, a number or a verb after the "و"
is no person ("ووزير", "ووفد", "وابنه", "وعدد", "وقال"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "first", "second"), [
    ("وواصل فيدرر وهينان التقدم في البطولة.", "فيدرر", "هينان"),
    ("وغاب عن التدريبات ديدييه دروغبا ودراماني ديابي بسبب الإصابة.", "ديدييه دروغبا", "دراماني ديابي"),
    ("ووصف عنان وصبري المحادثات بأنها مثمرة.", "عنان", "صبري"),
    ("والتقى لافروف وبوريل في جنيف.", "لافروف", "بوريل"),
    ("وحضر الاجتماع هانز شولتس وكارلوتشي.", "هانز شولتس", "كارلوتشي"),
    ("وتبادل ميسي وسواريز الكرة.", "ميسي", "سواريز"),
    ("وقال غوتيريش وبوريل في بيان إن الهدنة صامدة.", "غوتيريش", "بوريل"),
])
def test_the_person_after_and(text: str, first: str, second: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [first, second]


def test_a_person_added_opens_the_next(name_stage: NameStage) -> None:
    assert _people(name_stage, "وواصل فيدرر وهينان وسافين التقدم في البطولة.") == ["فيدرر", "هينان", "سافين"]


@pytest.mark.parametrize(("text", "person"), [
    ("وحضر الاجتماع جون كيري ووزير الخارجية الأردني.", "جون كيري"),
    ("وصل توني بلير ووفد من مستشاريه إلى المدينة.", "توني بلير"),
    ("وتحدث ديفيد كاميرون وابنه للصحفيين.", "ديفيد كاميرون"),
    ("والتقى ميشال عون وعدد من النواب.", "ميشال عون"),
    ("وغادر إيمانويل ماكرون وقال إن الزيارة ناجحة.", "إيمانويل ماكرون"),
    ("وتعاقد النادي مع ليونيل ميسي وصهره في الصفقة ذاتها.", "ليونيل ميسي"),
    ("واستقبل الملك عبد الله الثاني وفدا أمريكيا.", "عبد الله الثاني"),
])
def test_no_person_after_and(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]
