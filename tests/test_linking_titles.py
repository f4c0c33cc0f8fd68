"""A linked person's mention holds the name, not the title the knowledge base wrote before it: an alias such
as "الشيخ حمد بن خليفة آل ثاني" links the words "حمد بن خليفة آل ثاني". A title with the Arabic article
comes off; one without it comes off only where the words after it are another of the person's names
("سرلشکر حسین سلامی"), so a given name that is also a title stays ("حافظ الأسد", "امیر خان متقی"), and so does
"سید", a lineage."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage


def _surfaces(text: str, entity: str, gazetteer: Gazetteer) -> list[str]:
    found = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    for mention in found:
        assert text[mention.start:mention.end] == mention.surface
    return [m.surface for m in found if m.entity_id == entity]


@pytest.mark.parametrize(("text", "entity", "name"), [
    ("وأكد الشيخ حمد بن خليفة آل ثاني أن الدوحة ستستضيف القمة.", "person:hamad-bin-khalifa-al-thani",
     "حمد بن خليفة آل ثاني"),
    ("قال السيد حسن نصر الله في كلمة متلفزة إن المفاوضات لم تبدأ.", "person:hassan-nasrallah", "حسن نصر الله"),
    ("وقال العميد يحيى سريع في بيان إن الهجوم استهدف سفينة.", "person:yahya-saree", "يحيى سريع"),
    ("وقال الملك عبد الله الثاني خلال لقائه الوفد إن الحل سياسي.", "person:abdullah-ii-of-jordan",
     "عبد الله الثاني"),
    ("واستقبل الأمير محمد بن سلمان وزير الخارجية الأمريكي.", "person:mohammed-bin-salman", "محمد بن سلمان"),
    ("وقال الرئيس هادي إن الحكومة ستعود إلى عدن.", "person:abdrabbuh-mansur-hadi", "هادي"),
    ("سرلشکر حسین سلامی در مراسمی در تهران گفت که رزمایش ادامه دارد.", "person:hossein-salami", "حسین سلامی"),
    ("آیت‌الله هاشمی رفسنجانی در خطبه‌های نماز جمعه گفت که انتخابات آزاد است.",
     "person:akbar-hashemi-rafsanjani", "هاشمی رفسنجانی"),
])
def test_a_title_before_a_linked_name_stays_outside_its_mention(text: str, entity: str, name: str,
                                                                 gazetteer: Gazetteer) -> None:
    assert _surfaces(text, entity, gazetteer) == [name]


@pytest.mark.parametrize(("text", "entity", "name"), [
    ("وقال حافظ الأسد في خطاب أمام البرلمان إن السلام خيار.", "person:hafez-al-assad", "حافظ الأسد"),
    ("امیر خان متقی در کابل به خبرنگاران گفت که مذاکرات ادامه دارد.", "person:un-tai-026", "امیر خان متقی"),
    ("وقال حسن نصر الله إن المفاوضات لم تبدأ.", "person:hassan-nasrallah", "حسن نصر الله"),
    ("سید محمد خاتمی در دیدار با دانشجویان گفت که گفت‌وگو ادامه دارد.", "person:mohammad-khatami",
     "سید محمد خاتمی"),  # Sayyid, the Prophet's lineage, is part of the name
])
def test_a_given_name_that_is_also_a_title_stays_in_the_mention(text: str, entity: str, name: str,
                                                                 gazetteer: Gazetteer) -> None:
    assert _surfaces(text, entity, gazetteer) == [name]
