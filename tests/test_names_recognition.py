"""Names the knowledge base does not know: people, organisations and places found by the names stage in
Arabic, Persian, English and French posts; the context a common-word name needs before it links; candidates as
quote speakers; a story's place where the text puts the event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.models import Post, Source
from watchfloor.pipeline.coding import code_story
from watchfloor.pipeline.entities import EntityStage
from watchfloor.pipeline.names import CandidateTypes, NameStage
from watchfloor.pipeline.quotes import find_quotes

FoundNames = Callable[[str, str], set[tuple[str, str]]]


@pytest.mark.parametrize(("lang", "text", "surface", "kind"), [
    # a title or rank before the name
    ("ar", "التقى وزير الخارجية العراقي فؤاد حسين بنظيره في بغداد.", "فؤاد حسين", "person"),
    ("ar", "وصرح العميد خالد المحمدي للصحفيين بأن العملية انتهت.", "خالد المحمدي", "person"),
    ("fa", "سردار محمد پاکپور در این دیدار حضور داشت.", "محمد پاکپور", "person"),
    # a rank of several words ("second brigadier general, Guards")
    ("fa", "سرتیپ دوم پاسدار محمد اکبرزاده در این رزمایش حضور داشت.", "محمد اکبرزاده", "person"),
    # the subject of a verb of saying
    ("ar", "وقال سامر الحلبي إن الاجتماع سيعقد الأسبوع المقبل.", "سامر الحلبي", "person"),
    # an organisation noun opens the name; "the spokesman for"
    ("fa", "سخنگوی جنبش نجبا گفت که نشست برگزار شد.", "جنبش نجبا", "organization"),
    ("ar", "أصدرت حركة الأحرار الوطنية بيانا حول الانتخابات.", "حركة الأحرار الوطنية", "organization"),
    ("ar", "وقال المتحدث باسم جبهة التحرير الشعبية إن الوفد وصل.", "جبهة التحرير الشعبية", "organization"),
    # a place noun before a place, and the CLDR's place names
    ("ar", "وصل الوفد إلى بلدة عيتا الشعب صباح اليوم.", "عيتا الشعب", "place"),
    ("fa", "این نشست در روستای کلاته برگزار شد.", "کلاته", "place"),
    ("ar", "زار الوزير العاصمة النرويجية ثم توجه إلى البرتغال.", "البرتغال", "place"),
    # English by spaCy's small model
    ("en", "Officials met Mariam Okonkwo in Lagos on Monday.", "Mariam Okonkwo", "person"),
    ("en", "The Northern Farmers Union said the talks in Lagos would resume.", "Lagos", "place"),
    # French by spaCy's small French model (an article before the name is not part of it)
    ("fr", "Le porte-parole du ministère, Amadou Keïta, a déclaré que le convoi avait quitté Gao mardi.",
     "Amadou Keïta", "person"),
    ("fr", "La réunion s'est tenue hier à Douentza en présence des autorités locales.", "Douentza", "place"),
    ("fr", "Le Front national de libération a annoncé sa participation aux élections.",
     "Front national de libération", "organization"),
])
def test_unknown_names_become_typed_candidates(lang: str, text: str, surface: str, kind: str,
                                               found_names: FoundNames) -> None:
    assert (surface, kind) in found_names(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "عقد المجلس اجتماعه الدوري وناقش الموازنة العامة للعام المقبل."),
    ("ar", "صور من الاجتماع الذي عقد صباح اليوم."),
    ("fa", "این نشست با حضور اعضای کمیسیون برگزار شد و درباره بودجه گفتگو شد."),
    ("en", "the meeting ended without a statement, officials said."),
    ("fr", "la réunion s'est terminée sans déclaration, selon des responsables."),
    # a ship, which spaCy's small model takes for a person
    ("en", "the statement said missiles were fired at the aircraft carrier USS Dwight D. Eisenhower, officials said."),
])
def test_text_without_names_gives_no_candidates(lang: str, text: str, found_names: FoundNames) -> None:
    assert found_names(text, lang) == set()


@pytest.mark.parametrize(("text", "place"), [
    ("صور من الاجتماع الذي عقد أمس.", "place:tyre"),  # pictures of the meeting
    ("مشهد مؤثر من حفل التخرج.", "place:mashhad"),  # a moving scene
    ("نشرت القناة صور الحفل كاملة.", "place:tyre"),
    ("الوضع المالي للشركة مستقر.", "place:mali"),  # financial
    ("إن الجيش سوف تدمر كل المواقع.", "place:palmyra"),  # destroys
    ("وقف الحضور عند مدخل القاعة في مشهد لافت.", "place:mashhad"),
    ("این صور از نشست دیروز منتشر شد.", "place:tyre"),
    ("Chad Miller said the results were sour.", "place:chad"),
    ("The strike hit a warehouse, officials said.", "place:hit"),
    ("Prices rose by an acre of farmland each year.", "place:acre"),
    ("افتتحت الحكومة مدرسة حديثة في المنطقة.", "place:haditha"),  # a modern school
    ("قال في حديثه للصحفيين إن المفاوضات مستمرة.", "place:haditha"),  # in his remarks
    ("وصل الجنين إلى مرحلة متقدمة من النمو.", "place:jenin"),  # the fetus: Jenin takes no article
    ("تابع الأطباء حالة الجنين بعد الولادة.", "place:jenin"),
    ("وأكد أن العهد الجديد سيشهد إصلاحات.", "outlet:al-ahed"),  # the new era, not the outlet
    # a dash after it at a line's start is no dateline without the agency or "according to" after the dash
    ("صور - من الاجتماع الأخير للجنة.", "place:tyre"),  # pictures - of the meeting
    ("صور - حفل تخرج الدفعة الجديدة في الجامعة.", "place:tyre"),
    ("صور - وامتدت الاحتفالات حتى ساعة متأخرة من المساء.", "place:tyre"),  # "وام" (WAM) only as a word
])
def test_a_common_word_does_not_link_a_place_by_itself(text: str, place: str, gazetteer: Gazetteer) -> None:
    linked = {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text)}
    assert place not in linked


@pytest.mark.parametrize(("text", "place"), [
    ("سقط صاروخ في صور صباح اليوم.", "place:tyre"),
    ("قصفت الطائرات مدينة صور.", "place:tyre"),
    ("وصل الوفد إلى مشهد مساء أمس.", "place:mashhad"),
    ("اشتباكات قرب تدمر في البادية.", "place:palmyra"),
    ("حمله‌ای در صور انجام شد.", "place:tyre"),
    ("Talks were held in Chad on Monday.", "place:chad"),
    ("Several rockets landed near Tyre.", "place:tyre"),
    ("A convoy reached the town of Kut.", "place:kut"),
    ("اشتباكات في حديثة غرب الأنبار.", "place:haditha"),
    ("اقتحمت القوات مخيم جنين فجر اليوم.", "place:jenin"),
    ("وصلت التعزيزات إلى جنين.", "place:jenin"),
    ("عاد الوفد من البصرة مساء أمس.", "place:basra"),  # a name the knowledge base writes with its article
    # a news dateline: the place, a dash, the agency or "according to"
    ("صور - (رويترز) - قال مسؤولون محليون إن القصف استمر طوال الليل.", "place:tyre"),
    ("عاجل\nصور - (أ ف ب) - أعلن الدفاع المدني انتشال ثلاثة مصابين.", "place:tyre"),
    ("کیش ـ به گزارش خبرنگار ما ، نمایشگاه بین‌المللی امروز گشایش یافت .", "place:kish-island"),
    ("ساری ـ ایرنا ـ جلسه شورای شهر امروز برگزار شد .", "place:sari"),
    ("Tyre - Reuters - Shelling continued overnight, officials said.", "place:tyre"),
])
def test_a_common_word_links_with_a_place_like_context(text: str, place: str, gazetteer: Gazetteer) -> None:
    if place not in gazetteer.entities:
        pytest.skip(f"{place} is not in the bundled knowledge base")
    linked = {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text)}
    assert place in linked


def test_an_unknown_speaker_is_a_candidate(gazetteer: Gazetteer, name_stage: NameStage) -> None:
    text = "قال فؤاد حسين في مؤتمر صحفي ببغداد إن «الحكومة ماضية في تنفيذ الاتفاق مع الإقليم»."
    mentions = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    mentions += [m for m, _ in name_stage.find(text, mentions, "ar")]
    [quote] = find_quotes(text, mentions, CandidateTypes(gazetteer.types()))
    assert quote.speaker == "فؤاد حسين" and quote.speaker_id == "candidate:person:fouad-hussein"


def test_a_story_is_placed_where_its_posts_put_the_event(gazetteer: Gazetteer) -> None:
    source = Source(key="telegram:desk", name="Desk", lang="ar")
    texts = ["عقد الجانبان اجتماعا في طهران أكدا فيه دعم غزة ومواصلة التنسيق.",
             "اجتماع في طهران لبحث دعم غزة والأوضاع الإقليمية.",
             "Officials met in Tehran and voiced support for Gaza and for Gaza's people."]
    posts = []
    for n, text in enumerate(texts, start=1):
        post = Post(id=n, source=source, message_id=n, posted_at=datetime(2024, 5, 22, 9, tzinfo=UTC), text=text,
                    lang="en" if text.isascii() else "ar")
        post.mentions = EntityStage(gazetteer.find, gazetteer.entities).find(text)
        posts.append(post)
    assert {m.entity_id for p in posts for m in p.mentions} >= {"place:tehran", "place:gaza"}
    assert code_story(posts, gazetteer.entities).place == "place:tehran"


def test_names_only_the_translation_gives_are_candidates_without_a_span() -> None:
    from watchfloor.pipeline.names import TranslationNameStage

    stage = TranslationNameStage()
    stage.setup()
    post = Post(id=1, source=Source(key="telegram:x"), message_id=1, posted_at=datetime(2024, 5, 22, tzinfo=UTC),
                text="التقى الوزير بنظيره أمس.", lang="ar",
                text_en="The minister met his counterpart Pedro Alvarenga in Lisbon yesterday.",
                translation={"backend": "llamacpp", "model": "test"})
    stage.run([post])
    added = {(m.surface, m.start, m.entity_id.split(":")[1]) for m in post.mentions}
    assert ("Pedro Alvarenga", -1, "person") in added and ("Lisbon", -1, "place") in added
    assert {c.type for c in post.candidates} >= {"person", "place"}


@pytest.mark.parametrize(("lang", "text", "speaker"), [
    ("fa", "به گفته رضا کریمی «مذاکرات هفته آینده ادامه می‌یابد».", "رضا کریمی"),
    ("ar", "وبحسب كمال العبيدي فإن «المحادثات كانت مثمرة جدا».", "كمال العبيدي"),
    # the verb's feminine past and its present, and the other ways to say "according to"
    ("ar", "وتقول نادين عسيلي إن «المساعدات لم تصل إلى المخيم بعد».", "نادين عسيلي"),
    ("ar", "ويؤكد كمال العبيدي أن «المحادثات ستستأنف الأسبوع المقبل».", "كمال العبيدي"),
    ("ar", "وأوضحت فاليري أموس أن «قوافل الإغاثة توقفت عند الحاجز».", "فاليري أموس"),
    ("ar", "ووفقا لشومسكي فإن «السياسة الخارجية لم تتغير منذ عقود».", "شومسكي"),
    ("ar", "وعلى حد قول ستولتنبرغ فإن «الحلف موحد في موقفه».", "ستولتنبرغ"),
    ("ar", "وحذرت ماريا زاخاروفا من أن «التصعيد ستكون له عواقب».", "ماريا زاخاروفا"),
    # the source a report quotes ("نقلت الوكالة عن X قوله")
    ("ar", "ونقلت الوكالة عن زيباري قوله إن «الحكومة ستجتمع الأحد المقبل».", "زيباري"),
    ("ar", "ونقل التلفزيون عن سالم الحربي قوله إن «الطريق أغلق منذ الصباح».", "سالم الحربي"),
    ("ar", "ونقلت الإذاعة عن المتحدثة ماريا زاخاروفا قولها إن «موسكو لن ترد الآن».", "ماريا زاخاروفا"),
    ("en", 'According to Tomas Berger, "the convoy reached the border at dawn".', "Tomas Berger"),
    ("en", '"The convoy reached the border at dawn," according to Tomas Berger.', "Tomas Berger"),
    ("fr", "Selon Daniel Okafor, « les pourparlers se poursuivront demain ».", "Daniel Okafor"),
    ("fr", "« Les pourparlers se poursuivront demain », a déclaré Daniel Okafor.", "Daniel Okafor"),
])
def test_a_quote_attributed_to_an_unknown_person_has_that_speaker(lang: str, text: str, speaker: str,
                                                                  gazetteer: Gazetteer,
                                                                  name_stage: NameStage) -> None:
    """"According to X", "به گفته X", "selon X" tie a quote to its speaker as a verb of saying does."""
    mentions = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    mentions += [m for m, _ in name_stage.find(text, mentions, lang)]
    [quote] = find_quotes(text, mentions, CandidateTypes(gazetteer.types()))
    assert quote.speaker == speaker and (quote.speaker_id or "").startswith("candidate:person:")


@pytest.mark.parametrize(("text", "lang", "place", "linked"), [
    # a place that names a clock is no place of the story: Mecca time, Jerusalem time, Tehran time
    ("تبدأ الجلسة الساعة العاشرة بتوقيت مكة المكرمة.", "ar", "place:mecca", False),
    ("وانطلقت القافلة عند السادسة صباحا بتوقيت القدس.", "ar", "place:jerusalem", False),
    ("تبدأ المباراة الساعة الثامنة وفق توقيت بغداد.", "ar", "place:baghdad", False),
    ("این نشست ساعت ۹ به وقت تهران آغاز می‌شود .", "fa", "place:tehran", False),
    ("The talks begin at 9 a.m. Tehran time on Monday.", "en", "place:tehran", False),
    # the same places where something happens
    ("وقع الانفجار في القدس صباح اليوم.", "ar", "place:jerusalem", True),
    ("این نشست در تهران برگزار می‌شود .", "fa", "place:tehran", True),
    ("Tehran timed the announcement to coincide with the visit.", "en", "place:tehran", True),
])
def test_a_time_zone_names_no_place(text: str, lang: str, place: str, linked: bool, gazetteer: Gazetteer) -> None:
    assert place in gazetteer.entities
    found = {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}
    assert (place in found) is linked
