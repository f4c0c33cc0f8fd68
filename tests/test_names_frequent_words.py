"""The frequent words of wordfreq's Arabic list that no list of names knows (``data/ner_common_words_wordfreq.txt``,
built by ``scripts/build_common_words.py --wordfreq``) end a person's name in Arabic text: the silver data is
news of the UN, and the words of sport and culture ("كرة", "أغنية") ran on into names. They count in Arabic text
only and only for people: a place or a club named by such a word keeps its name, and Persian text is read without
them. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.cue_data import COMMON_WORDFREQ, common_word_list
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize_cues import cues, cues_for
from watchfloor.pipeline.tagger import wikidata_names
from watchfloor.pipeline.word_shapes import frequent_words


@pytest.mark.parametrize(("text", "person"), [
    ("وسدد المهاجم الهولندي ممفيس ديباي كرة قوية ارتدت من القائم.", "ممفيس ديباي"),
    ("وقدمت المغنية شاكيرا أغنية جديدة في الحفل.", "شاكيرا"),
    ("وأكد يورغن كلوب مدرب نادي ليفربول أن الفريق جاهز.", "يورغن كلوب"),
    ("وأضاف ألبيرتو روسي أن اللجنة أنهت عملها.", "ألبيرتو روسي"),  # written with a hamza: no article, no common word
])
def test_a_frequent_word_ends_a_name(text: str, person: str, name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"] == [person]


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("نزح مئات السكان من قرية الرملة الشرقية بعد الفيضانات.", "الرملة الشرقية", "place"),
    ("وتعرض فريق برشلونة لخسارة قاسية مساء السبت.", "برشلونة", "organization"),
])
def test_a_place_or_a_club_keeps_its_name(text: str, name: str, kind: str, name_stage: NameStage) -> None:
    assert name in [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == kind]


def test_the_list_holds_no_name_that_a_list_of_names_knows() -> None:
    words = common_word_list(COMMON_WORDFREQ)
    assert len(words) > 10_000
    assert not words & set(wikidata_names())
    assert not words & cues().common  # the silver list's words are not written twice
    for word in ("كره", "اغنيه", "هدفنا", "فيلمه"):  # a ball, a song, our goal, his film: frequent words
        assert normalize(word) in words
    for name in ("محمد", "روسي", "شميدت", "برشلونه"):  # a name, an adjective of a place, names Google's pairs hold
        assert normalize(name) not in words


def test_only_arabic_text_reads_them() -> None:
    assert frequent_words(cues_for("ar")) == frequent_words(cues_for(None)) == common_word_list(COMMON_WORDFREQ)
    assert frequent_words(cues_for("fa")) == frozenset()
    assert frequent_words(cues_for("ur")) == frozenset()
