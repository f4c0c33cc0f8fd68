"""The splitter keeps hashtags, URLs and handles intact and cuts at Arabic and Persian sentence marks; the
guard tells a translation from a refusal, commentary, an overlong answer or a loop."""

from __future__ import annotations

from watchfloor.translate.guard import check, clean_llm_output
from watchfloor.translate.split import join_pieces, split_text


def test_split_at_arabic_persian_and_latin_sentence_marks_and_join_back() -> None:
    text = "وصل الوفد إلى بغداد. هل انتهى الاجتماع؟ قال المتحدث إنه مستمر!\nآیا نشست تمام شد؟ بله۔ Done."
    pieces = split_text(text)
    assert [p.segment for p in pieces] == ["وصل الوفد إلى بغداد.", "هل انتهى الاجتماع؟", "قال المتحدث إنه مستمر!",
                                           "آیا نشست تمام شد؟", "بله۔", "Done."]
    assert join_pieces(pieces, [p.segment for p in pieces]) == text


def test_protected_tokens_are_held_out_and_survive_a_backend_that_drops_them() -> None:
    text = "#عاجل @news_desk قال المتحدث إن التقرير على https://example.org/a.b?x=1. نشر في t.me/somechannel #بغداد"
    pieces = split_text(text)
    assert pieces[0].head.startswith("#عاجل @news_desk")
    assert pieces[0].segment == "قال المتحدث إن التقرير على [0]."
    assert pieces[0].tokens == ["https://example.org/a.b?x=1"]
    assert pieces[1].segment == "نشر في" and pieces[1].tail.strip() == "t.me/somechannel #بغداد"
    # a back-end that keeps the placeholder, and one that loses it
    kept = join_pieces(pieces, ["The spokesman said the report is at [0].", "Published in"])
    assert kept == ("#عاجل @news_desk The spokesman said the report is at https://example.org/a.b?x=1. "
                    "Published in t.me/somechannel #بغداد")
    lost = join_pieces(pieces, ["The spokesman said so.", "Published in"])
    for token in ("#عاجل", "@news_desk", "https://example.org/a.b?x=1", "t.me/somechannel", "#بغداد"):
        assert token in lost


def test_a_literal_bracketed_number_is_not_taken_for_a_placeholder() -> None:
    pieces = split_text("ورد في التقرير [1] أن الطريق مغلق https://example.org")
    assert join_pieces(pieces, ["The report [0] says the road is closed"]).startswith("The report [1] says")
    assert "https://example.org" in join_pieces(pieces, ["The report [0] says the road is closed"])


def test_nothing_to_translate_in_a_post_of_only_links_and_tags() -> None:
    pieces = split_text("https://example.org/x #tag @somehandle 2024")
    assert all(not p.segment for p in pieces)
    assert join_pieces(pieces, ["" for _ in pieces]) == "https://example.org/x #tag @somehandle 2024"


def test_very_long_sentence_is_cut_at_clause_marks() -> None:
    clause = "وقال المسؤول إن المحادثات مستمرة بين الطرفين، "
    pieces = split_text(clause * 30)
    assert len(pieces) > 1 and all(len(p.segment) <= 400 for p in pieces)
    assert join_pieces(pieces, [p.segment for p in pieces]) == clause * 30


SOURCE = "التقى وزير الخارجية بنظيره في مسقط يوم الثلاثاء لبحث العلاقات الثنائية"


def test_guard_accepts_a_translation() -> None:
    assert check(SOURCE, "The foreign minister met his counterpart in Muscat on Tuesday to discuss relations.",
                 "ar") == []


def test_guard_flags_refusal_commentary_length_loop_and_echo() -> None:
    assert "refusal" in check(SOURCE, "I'm sorry, but I can't help with that request.", "ar")
    assert "commentary" in check(SOURCE, "Here is the translation of the text you sent me in English.", "ar")
    assert "too_long" in check(SOURCE, "The minister met his counterpart. " * 8, "ar")
    assert "too_short" in check(SOURCE, "OK", "ar")
    assert "loop" in check(SOURCE, "the general of the allied forces the general of the allied forces "
                                   "the general of the allied forces the general of the allied forces", "ar")
    assert "untranslated" in check(SOURCE, SOURCE, "ar")
    assert "garbled" in check(SOURCE, "rحagح barنy mتحok the mتحn magح minister", "ar")
    assert check(SOURCE, "   ", "ar") == ["empty"]


def test_llm_output_is_cut_to_its_first_line_and_sentence() -> None:
    reply = 'Translation: "The minister arrived in Muscat on Tuesday. Note: this was in 2019."\nMore text'
    assert clean_llm_output(reply) == "The minister arrived in Muscat on Tuesday."
    assert clean_llm_output("U.S. officials met in Doha. They left.", 2) == "U.S. officials met in Doha. They left."
