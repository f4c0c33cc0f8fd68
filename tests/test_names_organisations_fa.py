"""Persian organisations (issue 15, pipeline/recognize_fa.organisations): a noun and the words after it,
places and further organisation nouns included, up to a stop word, a verb or the noun of a compound
verb; a Persian organisation that holds a linked place replaces it; and well-known organisations
named without a noun (data/ner_organisations.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

FoundNames = Callable[[str, str], set[tuple[str, str]]]


@pytest.mark.parametrize(("text", "surface"), [
    # a ministry, a bank, a municipality: nouns the rules took for descriptions before
    ("وزارت صنایع در بیانیه‌ای از طرح تازه خبر داد .", "وزارت صنایع"),
    ("بانک مرکزی روز شنبه نرخ سود را ثابت نگه داشت .", "بانک مرکزی"),
    ("ساختمان قدیمی به شهرداری اصفهان تحویل شد .", "شهرداری اصفهان"),
    # a place inside the name, and a second organisation noun inside it
    ("یک مقام وزارت دفاع روسیه روز دوشنبه از این رزمایش خبر داد .", "وزارت دفاع روسیه"),
    ("عضو شورای مرکزی جبهه مشارکت در این نشست سخنرانی کرد .", "شورای مرکزی جبهه مشارکت"),
    # "و" between two words of one name
    ("وزارت راه و شهرسازی این طرح را تصویب کرد .", "وزارت راه و شهرسازی"),
    # a team and a club in sports news
    ("تیم ملی والیبال ایران در دیدار نخست پیروز شد .", "تیم ملی والیبال ایران"),
    ("بازیکن جوان به باشگاه استقلال خوزستان پیوست .", "باشگاه استقلال خوزستان"),
    # the noun of a compound verb is not part of the name
    ("زندانیان در سازمان زندانها نگهداری شوند .", "سازمان زندانها"),
    # a verb after "می‌" that is no light verb leaves the name whole (it took the last word for its noun)
    ("یک استاد دانشگاه تهران می‌گوید این طرح اجرا نمی‌شود .", "دانشگاه تهران"),
    ("شهرداری مشهد می‌خواهد این خیابان را بازسازی کند .", "شهرداری مشهد"),
    ("اتحادیه نانوایان تهران می‌افزاید که قیمت نان تغییر نکرد .", "اتحادیه نانوایان تهران"),
    ("بانک ملی ایران می‌تواند این وام را بپردازد .", "بانک ملی ایران"),
    ("سازمان هواشناسی کشور می‌نویسد که باران ادامه دارد .", "سازمان هواشناسی کشور"),
    # the offices of a province, a county and a district, a province's courts and prosecutors
    ("استانداری خوزستان از وقوع سیل در سه شهرستان خبر داد .", "استانداری خوزستان"),
    ("فرمانداری آبادان اعلام کرد که مدارس روز شنبه تعطیل است .", "فرمانداری آبادان"),
    ("این حکم از سوی دادگستری تهران صادر شد .", "دادگستری تهران"),
    ("پرونده در دادسرای عمومی و انقلاب مشهد بررسی می‌شود .", "دادسرای عمومی و انقلاب مشهد"),
    ("بخشداری مرکزی شهرستان ایذه از امدادرسانی به روستاها خبر داد .", "بخشداری مرکزی شهرستان ایذه"),
    # the object after the name, "a statement", "a letter", "a new report", is no part of it
    ("مرکز پژوهش‌های مجلس گزارش تازه‌ای درباره بودجه منتشر کرد .", "مرکز پژوهش‌های مجلس"),
    ("انجمن صنفی روزنامه‌نگاران نامه‌ای به وزیر کار نوشت .", "انجمن صنفی روزنامه‌نگاران"),
    ("اتحادیه صادرکنندگان فرش بیانیه‌ای درباره تعرفه‌ها صادر کرد .", "اتحادیه صادرکنندگان فرش"),
    # an adjective in "‌ای" of the name stays in it: professional, regional
    ("انجمن حرفه‌ای مربیان فوتبال از این تصمیم انتقاد کرد .", "انجمن حرفه‌ای مربیان فوتبال"),
    ("اتحادیه منطقه‌ای تولیدکنندگان برق نشست خود را برگزار کرد .", "اتحادیه منطقه‌ای تولیدکنندگان برق"),
    # an ordinal inside a name stays in it: the sixth Majlis
    ("نمایندگان اصلاح‌طلب در مجلس ششم اکثریت داشتند .", "مجلس ششم"),
    # and ends it: "the thirteenth government" presented the budget
    ("دولت سیزدهم بودجه سال آینده را به مجلس ارائه داد .", "دولت سیزدهم"),
    ("مجلس پنجم قوانینی درباره مطبوعات تصویب کرد .", "مجلس پنجم"),
    # a government, a customs service, a senate, a guard, with its country
    ("دولت آلمان این طرح را رد کرد .", "دولت آلمان"),
    ("گمرک انگلیس این محموله را توقیف کرد .", "گمرک انگلیس"),
    ("سنای آمریکا این لایحه را با اکثریت آرا تصویب کرد .", "سنای آمریکا"),
    ("گارد ملی ونزوئلا در مرز مستقر شد .", "گارد ملی ونزوئلا"),
    ("گارد ساحلی آمریکا یک قایق ماهیگیری را توقیف کرد .", "گارد ساحلی آمریکا"),
    # a light verb after "می‌" still takes the noun before it
    ("بیماران در بیمارستان بستری می‌شوند و سازمان بهزیستی کمک می‌کند .", "سازمان بهزیستی"),
    ("کارکنان در سازمان زندانها نگهداری می‌شوند .", "سازمان زندانها"),
])
def test_persian_organisations_are_found(text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "organization") in found_names(text, "fa")


@pytest.mark.parametrize("text", [
    "این روزنامه عمر چندانی نداشت .",  # "this newspaper": a common noun
    "روزنامه‌ها از این تصمیم انتقاد کردند .",  # a plural
    "دو گروه کاری در این منطقه فعال هستند .",  # a number before the noun
    "نشریه دیگری چنین کند .",  # "another journal"
    "ناآرامی‌ها در خرم‌آباد مرکز استان لرستان ادامه دارد .",  # the capital of Lorestan province
    "این نشست در سئول مرکز کره جنوبی برگزار شد .",  # the capital of South Korea
    "در قرعه‌کشی مسابقات ، تیم‌ها در گروه هفتم و گروه دوم قرار گرفتند .",  # a tournament's groups
    "دولت جدید این طرح را تصویب کرد .",  # "the new government"
    "دولت باید به این پرسش پاسخ دهد .",  # "the government must"
    "دولت‌ها باید در این زمینه همکاری کنند .",  # a plural
])
def test_persian_common_nouns_are_not_organisations(text: str, found_names: FoundNames) -> None:
    assert not any(kind == "organization" for _, kind in found_names(text, "fa"))


def test_a_persian_organisation_holds_the_linked_place_in_it(gazetteer: Any, name_stage: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage
    from watchfloor.pipeline.names import outside

    text = "به گزارش رادیو فرانسه از لندن ، مذاکرات ادامه دارد ."  # (AFP, "خبرگزاری فرانسه", is an outlet of the KB)
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    assert {"فرانسه", "لندن"} <= {m.surface for m in linked}  # the linker alone: France and London
    found = [m for m, _ in name_stage.find(text, linked, "fa")]
    assert "رادیو فرانسه" in {m.surface for m in found}
    kept = {m.surface for m in outside(linked, found)}  # what NameStage.run keeps
    assert "فرانسه" not in kept and "لندن" in kept  # a place outside the name stays linked


def test_arabic_keeps_the_linked_place_an_organisation_noun_runs_over(gazetteer: Any, name_stage: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage

    text = "وقال مسؤول في وزارة الخارجية الروسية إن المحادثات مستمرة."
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    assert linked  # "الروسية" links to Russia
    found = name_stage.find(text, linked, "ar")
    assert not any(m.start < linked[0].end and linked[0].start < m.end for m, _ in found)


@pytest.mark.parametrize(("lang", "text", "surface"), [
    # well-known organisations named without a noun (data/ner_organisations.yaml), clitics aside (Reuters, AFP
    # and Xinhua are outlets of the knowledge base now: tests/test_kb_outlets_cited.py)
    ("ar", "وذكرت وكالة إنترفاكس أن المفاوضات توقفت.", "إنترفاكس"),
    ("ar", "وقال مسؤول لبلومبرغ إن الاجتماع تأجل.", "لبلومبرغ"),
    ("ar", "وفاز مانشستر يونايتد على ضيفه بهدفين.", "مانشستر يونايتد"),
    ("ar", "وقررت أوبك خفض الإنتاج الشهر المقبل.", "أوبك"),
    ("fa", "اوپک تولید نفت را کاهش داد .", "اوپک"),
    ("fa", "به گزارش اینترفاکس ، این نشست دیروز برگزار شد .", "اینترفاکس"),  # ISNA, ILNA, Xinhua: the KB's now
    # in Persian the noun's rule keeps the club's whole name
    ("fa", "او با باشگاه یوونتوس ایتالیا قرارداد بست .", "باشگاه یوونتوس ایتالیا"),
])
def test_well_known_organisations_are_found(lang: str, text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "organization") in found_names(text, lang)


@pytest.mark.parametrize(("text", "surface", "named"), [
    # a minister's portfolio names the ministry: the candidate is named as the ministry
    ("وزیر اطلاعات در پاسخ به خبرنگاران گفت که پرونده بسته شد .", "اطلاعات", "وزارت اطلاعات"),
    ("معاون وزیر امور خارجه روز دوشنبه به مسکو رفت .", "امور خارجه", "وزارت امور خارجه"),
    ("وزیر فرهنگ و ارشاد اسلامی از نمایشگاه کتاب بازدید کرد .", "فرهنگ و ارشاد اسلامی",
     "وزارت فرهنگ و ارشاد اسلامی"),
    ("وزیر نفت گفت که صادرات افزایش یافته است .", "نفت", "وزارت نفت"),
    ("وزیر بهداشت درباره واکسن توضیح داد .", "بهداشت", "وزارت بهداشت"),
    ("وزیر آموزش و پرورش از مدارس بازدید کرد .", "آموزش و پرورش", "وزارت آموزش و پرورش"),
    ("وزیر امور خارجه ترکیه به تهران آمد .", "امور خارجه ترکیه", "وزارت امور خارجه ترکیه"),
    # with the country after it: that country's ministry
    ("وزیر دادگستری ژاپن پس از این ماجرا استعفا کرد .", "دادگستری ژاپن", "وزارت دادگستری ژاپن"),
])
def test_a_ministers_portfolio_names_the_ministry(text: str, surface: str, named: str, gazetteer: Any,
                                                 name_stage: Any) -> None:
    """The ministry is linked where the knowledge base lists it under that name, else a candidate so named."""
    from watchfloor.pipeline.entities import EntityStage

    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text, "fa")
    found = {(m.surface, e.type): e for m, e in name_stage.find(text, linked, "fa")}
    listed = [gazetteer.entities[m.entity_id] for m in linked if m.surface == surface]
    if listed:
        assert listed[0].type == "organization" and named in {a.text for a in listed[0].aliases}
    else:
        assert found[(surface, "organization")].aliases[0].text == named


@pytest.mark.parametrize("text", [
    "وزیر جوان دولت در این جلسه حضور نداشت .",  # no portfolio after the title
    "وزیر گفت که کشور آماده است .",
    "وزیران کشورهای عضو در وین دیدار کردند .",
])
def test_no_ministry_without_a_portfolio(text: str, found_names: FoundNames) -> None:
    assert not {s for s, kind in found_names(text, "fa") if kind == "organization"}


@pytest.mark.parametrize("text", [
    # a committee, group or staff named by one or two common words is a description
    "برخوردهای غیر قانونی گروه فشار با مردم ادامه دارد .",
    "کمیسیون تحقیق گزارش خود را به مجلس ارائه داد .",
    "نظرهای مختلفی در ستاد اقتصادی ما وجود دارد .",
    "اعضای گروه اول روز شنبه به تهران رفتند .",
])
def test_a_committee_named_by_common_words_is_no_organisation(text: str, found_names: FoundNames) -> None:
    assert not {s for s, kind in found_names(text, "fa") if kind == "organization"}


@pytest.mark.parametrize(("text", "surface"), [
    ("عضو کمیسیون امنیت ملی و سیاست خارجی مجلس در این باره گفت .", "کمیسیون امنیت ملی و سیاست خارجی مجلس"),
    ("اعضای گروه تروریستی منافقین در مرز دستگیر شدند .", "گروه تروریستی منافقین"),
    ("کمیته المپیک ایران این تصمیم را تأیید کرد .", "کمیته المپیک ایران"),
    ("به گفته سخنگوی ستاد انتخابات کشور ، نتایج فردا اعلام می‌شود .", "ستاد انتخابات کشور"),  # a national body
])
def test_a_committee_with_a_name_or_a_long_name_stays(text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "organization") in found_names(text, "fa")


@pytest.mark.parametrize(("text", "surface"), [
    # "کشور" (of the country) ends a national body's name unless a place follows it
    ("ستاد انتخابات کشور فهرست نامزدها را روز یکشنبه اعلام کرد .", "ستاد انتخابات کشور"),
    ("سازمان ثبت احوال کشور آمار تازه را منتشر کرد .", "سازمان ثبت احوال کشور"),
    ("وزارت کشور ترکیه از این طرح حمایت کرد .", "وزارت کشور ترکیه"),
])
def test_country_ends_a_national_bodys_name(text: str, surface: str, found_names: FoundNames) -> None:
    assert surface in {s for s, kind in found_names(text, "fa") if kind == "organization"}


@pytest.mark.parametrize(("text", "ministry", "surface"), [
    # a minister's portfolio links the ministry the knowledge base lists
    ("مهدی نوروزی ، وزیر امور خارجه ، به مسکو رفت .", "org:iran-ministry-of-foreign-affairs", "امور خارجه"),
    ("وزیر اطلاعات در پاسخ به خبرنگاران سخن گفت .", "org:iran-ministry-of-intelligence", "اطلاعات"),
    ("وزیر کشور عراق روز دوشنبه به تهران آمد .", "org:iraq-ministry-of-interior", "کشور عراق"),
])
def test_a_ministers_portfolio_links_the_listed_ministry(text: str, ministry: str, surface: str, gazetteer: Any,
                                                         name_stage: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage

    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text, "fa")
    assert (surface, ministry) in {(m.surface, m.entity_id) for m in linked}
    assert "place:iraq" not in {m.entity_id for m in linked}  # the ministry holds the country's name
    assert not [e for _, e in name_stage.find(text, linked, "fa") if e.type == "organization"]


def test_another_countrys_minister_is_not_irans_ministry(gazetteer: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage

    linked = EntityStage(gazetteer.find, gazetteer.entities).find("وزیر خارجه آمریکا وارد ریاض شد .", "fa")
    assert "org:iran-ministry-of-foreign-affairs" not in {m.entity_id for m in linked}


@pytest.mark.parametrize(("text", "entity"), [
    ("جامعه مدرسین حوزه علمیه قم در بیانیه‌ای از برگزاری انتخابات خبر داد .", "org:society-of-seminary-teachers-of-qom"),
    ("جامعه روحانیت مبارز فهرست نامزدهای خود را اعلام کرد .", "org:combatant-clergy-association"),
    ("کمیته امداد امام خمینی کمک‌های تازه‌ای به مناطق سیل‌زده فرستاد .", "org:imam-khomeini-relief-foundation"),
])
def test_a_society_the_knowledge_base_lists_links_whole(text: str, entity: str, gazetteer: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage

    assert entity in {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, "fa")}


@pytest.mark.parametrize(("text", "surface"), [
    # a question word or a preposition of facing or holding ends the name
    ("معلوم نیست دولت فلسطین چگونه اداره خواهد شد .", "دولت فلسطین"),
    ("تیم پرسپولیس مقابل استقلال به برتری رسید .", "تیم پرسپولیس"),
    ("کارشناسان نمی‌دانند شرکت ملی گاز چرا قیمت را بالا برد .", "شرکت ملی گاز"),
    ("سپرده‌های دولت نزد بانک مرکزی افزایش یافت .", "بانک مرکزی"),
    # no name ends on "و"
    ("سازمان مدیریت و برنامه‌ریزی کرد .", "سازمان مدیریت"),
])
def test_a_persian_organisation_ends_before_a_question_or_a_preposition(text: str, surface: str,
                                                                       found_names: FoundNames) -> None:
    found = {s for s, kind in found_names(text, "fa") if kind == "organization"}
    assert surface in found
    assert not any(s != surface and s.startswith(surface) for s in found)
