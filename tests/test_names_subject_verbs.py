"""More verbs whose subject is a person in Arabic news: refusing, admitting, praising, pledging, threatening,
proposing, answering, commenting, chairing, taking office, delivering, leaving, joining and leading; writing,
being chosen, receiving, fearing, praising, ruling out, describing, suffering, dying, resigning, returning and
speaking, and the present and future of chairing, taking office, meeting and visiting. A role with the article
after the verb is no family name ("وتحدث الكاتب عن"). A lone
name after one of them is a person ("ورفض كينيون التطرق ..."); the same word as a noun, with the article
("هذا الرفض يطال ..."), is no verb; verbs whose subject is as often a team or an adverb stays out ("وفاز
ريكرياتيفو هويلفا", "نجح باقتدار"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("ورفض هاريسون التعليق على نتائج التحقيق.", "هاريسون"),
    ("واعترف بالتازار بأن الخطة تأخرت.", "بالتازار"),
    ("وأشاد ماكلين بجهود فرق الإنقاذ.", "ماكلين"),
    ("وتعهد كوفاتشيتش بإعادة بناء الجسر.", "كوفاتشيتش"),
    ("وهدد ستروغانوف بالانسحاب من المفاوضات.", "ستروغانوف"),
    ("واقترح فيرهوفن عقد اجتماع ثان.", "فيرهوفن"),
    ("فأجاب كارلسون بأن الموعد لم يحدد.", "كارلسون"),
    ("وعلق برانكو على القرار في مؤتمر صحفي.", "برانكو"),
    ("وترأس أوكونكوو اجتماعا للحكومة صباح اليوم.", "أوكونكوو"),
    ("وتولى رادوفانوفيتش منصبه في العام الماضي.", "رادوفانوفيتش"),
    ("وألقى فانديربيلت كلمة في افتتاح المؤتمر.", "فانديربيلت"),
    ("وغادر موسكوفيتشي العاصمة مساء الأحد.", "موسكوفيتشي"),
    # being chosen, receiving, taking office or chairing ahead (the present, the future) and fearing
    ("واختير ماتاريلا رئيسا للجنة في اجتماعها الأخير.", "ماتاريلا"),
    ("وحظي لوكاشينكو باستقبال رسمي في العاصمة.", "لوكاشينكو"),
    ("وسيترأس ميناوي السلطة الانتقالية في الإقليم.", "ميناوي"),
    ("ويتولى هاكوبيان منصبه الجديد الشهر المقبل.", "هاكوبيان"),
    ("ويخشى كارديناس من تأخر المساعدات.", "كارديناس"),
    # praising, ruling out, describing, suffering, dying, resigning, returning, speaking; meeting and visiting ahead
    ("وامتدح غوتيريش جهود الوسطاء في المنطقة.", "غوتيريش"),
    ("واستبعد لافروف عقد لقاء قريب مع نظيره.", "لافروف"),
    ("ووصف بوريل الاتفاق بأنه خطوة مهمة.", "بوريل"),
    ("وتعرض كاستيلو للإصابة في الشوط الأول.", "كاستيلو"),
    ("وتوفي كارلوتشي عن عمر ناهز ثمانين عاما.", "كارلوتشي"),
    ("واستقال هامبرتون من منصبه أمس.", "هامبرتون"),
    ("وعاد فيلدمان إلى العاصمة بعد جولة إقليمية.", "فيلدمان"),
    ("وتحدث ماكغريغور عن أهمية الاتفاق.", "ماكغريغور"),
    ("ويزور شولتس العاصمة الأسبوع المقبل.", "شولتس"),
])
def test_a_name_after_a_verb_whose_subject_is_a_person(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", [
    "وقال إن هذا الرفض يطال البعد السياسي للاتفاق.",
    "وأكد أن الاعتراف يشمل الحقوق كلها.",
    "ولكنه نجح باقتدار في إنهاء المهمة.",
    "وفاز ريكرياتيفو على ضيفه بهدفين.",
    "وأحرز منتخبنا الوطني الميدالية الذهبية.",
    "وكتبت الصحيفة أن المفاوضات توقفت.",
    "وحظي الفريق بدعم جماهيري كبير.",
    "ويتولى المجلس الإشراف على الانتخابات.",
    "وتحدث الكاتب عن تجربته في المنفى.",
    "وعاد الهدوء إلى المدينة بعد الاشتباكات.",
    "ووصف البيان الهجوم بأنه إرهابي.",
    "وتعرض الموكب لإطلاق نار قرب الحدود.",
    "وتوفي شخصان في الحادث.",
])
def test_no_subject_after_a_noun_or_a_verb_of_teams(text: str, name_stage: NameStage) -> None:
    # the rule of verbs and their subjects finds no one here (the tagger may still take a lone foreign word for
    # a person: "ريكرياتيفو" after "وفاز")
    assert [s for s in name_stage.spans(text, "ar") if s.signal == "subject-of-saying"] == []
