"""The tagger's lexicon of Wikidata's name parts (issue 15): the Arabic-script words of the names of Wikidata's
people (CC0 1.0, ``pipeline/data/ner_wikidata_names.txt``) are a feature of the tagger, which is trained on
names projected from English only, so it finds foreign family names the rules have no signal for; and a tagger
span that runs over "و" and a second given name is two people. The sentences were written for these tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import people_found
from watchfloor.kb.normalize import normalize
from watchfloor.pipeline import tagger
from watchfloor.pipeline.recognize import Span, words_of
from watchfloor.pipeline.recognize_runs import split_at_and

ROOT = Path(__file__).resolve().parents[1]


def test_the_lexicon_holds_name_parts_and_no_common_words() -> None:
    names = tagger.wikidata_names()
    assert len(names) > 10_000
    for word in ("سميث", "ميلر", "اندرسون", "جونسون", "شميت", "محمد"):
        assert names.get(normalize(word), 0) >= 2, word
    for word in ("الحكومة", "اجتماع", "وزير", "العاصمة", "السباق"):
        assert normalize(word) not in names, word


def test_a_name_part_and_its_neighbours_carry_the_flag(name_stage: Any) -> None:
    text = "وغادر مولر العاصمة متوجها إلى باريس"
    tokens = words_of(text)
    feats = tagger.features(text, tokens, name_stage.is_name_word)
    by_word = {text[t.start:t.end]: f for t, f in zip(tokens, feats, strict=True)}
    assert "wikidata" in by_word["مولر"] or "wikidataoften" in by_word["مولر"]
    assert not {"wikidata", "wikidataoften"} & set(by_word["العاصمة"])
    assert {"wikidata-1", "wikidataoften-1"} & set(by_word["العاصمة"])  # the word after the name sees it
    assert {"wikidata1", "wikidataoften1"} & set(by_word["وغادر"])


def test_the_build_script_counts_normalised_words(tmp_path: Path) -> None:
    source = tmp_path / "tokens.tsv"
    source.write_text("smith\tس م ي ث\t3\n"
                      "smyth\tس م ي ث\t2\n"  # another English spelling of the same Arabic word
                      "ahmad\tأ ح م د\t1\n"
                      "ahmed\tا ح م د\t1\n"  # the same word once normalised: 2 in all
                      "once\tو ا ح د\t1\n"  # one name only: left out
                      "latin\tx y\t9\n"  # no Arabic letter
                      "broken line\n"
                      "bad\tب ا د\tmany\n", encoding="utf-8")
    out = tmp_path / "names.txt"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_wikidata_names.py"), "--source",
                           str(source), "--out", str(out), "--min-count", "2"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert tagger.wikidata_names(out) == {"سميث": 5, "احمد": 2}
    assert tagger.wikidata_names(tmp_path / "missing.txt") == {}


def test_the_shipped_tagger_was_trained_with_the_lexicon() -> None:
    model = tagger.load()
    assert model is not None
    assert model.weights["wikidata"].get("B-person", 0.0) > 0  # a Wikidata name part leans to a person
    assert "wikidataoften" in model.weights


@pytest.mark.parametrize(("text", "person"), [
    ("وحصل اندرسون على الميدالية الذهبية في السباق", "اندرسون"),
    ("والتقى كلاين شميت بوفد من الاتحاد الأوروبي في برلين", "كلاين شميت"),
    ("وغادر مولر العاصمة متوجها إلى باريس", "مولر"),
    # found before too: by the rules or the earlier weights
    ("وتسلم جونسون جائزة أفضل لاعب في البطولة", "جونسون"),
    ("وانتقد روبنسون قرار اللجنة في مؤتمر صحفي", "روبنسون"),
    # more of the class, written after the tagger was trained (11 of 20 such sentences found; 9 before it)
    ("وأعلن فيشر استقالته من منصبه يوم الثلاثاء", "فيشر"),
    ("وغادر ريتشاردسون المستشفى بعد إجراء الفحوص", "ريتشاردسون"),
    ("ووصل كوالسكي إلى وارسو مساء الأحد", "كوالسكي"),
    ("وفاز ماكغريغور بالسباق في دورته الأخيرة", "ماكغريغور"),
    ("وأكد شنايدر أن الشركة ستواصل العمل في المنطقة", "شنايدر"),
    ("وحصل يوهانسون على المركز الأول في البطولة", "يوهانسون"),
    ("والتقى دوبوا بممثلي النقابات في باريس", "دوبوا"),
    ("وحذر كروغمان من ركود اقتصادي خلال العام المقبل", "كروغمان"),
    ("ونفى أندرسن الاتهامات الموجهة إليه", "أندرسن"),
    ("وتولى ماكدونالد قيادة الفريق بعد إقالة المدرب", "ماكدونالد"),
    ("وزار تاناكا المصنع الجديد في أوساكا", "تاناكا"),
])
def test_a_foreign_family_name_after_a_verb_is_a_person(text: str, person: str, name_stage: Any) -> None:
    assert people_found(name_stage, text, "ar") == {person}


@pytest.mark.parametrize("text", [
    "وحصل المنتخب على الميدالية الذهبية في السباق",
    "والتقى وزير الخارجية بوفد من الاتحاد الأوروبي في برلين",
    "وغادر الوفد العاصمة متوجها إلى باريس",
    "ووقع الجانبان اتفاقا جديدا للتعاون الاقتصادي",
    "وأعلن الوزير استقالته من منصبه يوم الثلاثاء",
    "وغادر المصابون المستشفى بعد إجراء الفحوص",
    "وعاد الوفد إلى العاصمة بعد زيارة استمرت يومين",
    "وأكدت الشركة أنها ستواصل العمل في المنطقة",
    "وحذر البنك من ركود اقتصادي خلال العام المقبل",
    "ونفت الحكومة الاتهامات الموجهة إليها",
    "وتولى المجلس إدارة المدينة بعد الانتخابات",
    "ووقعت الوزارة عقدا جديدا مع الشركة",
    "وقدم النائب استقالته إلى رئيس البرلمان",
])
def test_a_common_subject_after_a_verb_is_no_person(text: str, name_stage: Any) -> None:
    assert people_found(name_stage, text, "ar") == set()


def _split(text: str, surface: str) -> list[str]:
    start = text.index(surface)
    given = {"جورج", "مارك", "وليد", "رامي", "سامر", "وسام", "هانز"}.__contains__
    spans = split_at_and(text, Span("person", start, start + len(surface), "tagger"), words_of(text), given)
    return [text[s.start:s.end] for s in spans]


@pytest.mark.parametrize(("surface", "parts"), [
    ("جورج ميلر ومارك هانسن", ["جورج ميلر", "مارك هانسن"]),
    ("رامي السعدي ووليد الحلبي", ["رامي السعدي", "وليد الحلبي"]),  # "و" and the given name "وليد"
    ("جورج ميلر ومارك هانسن وهانز كلاين", ["جورج ميلر", "مارك هانسن", "هانز كلاين"]),
    ("سامر وليد الحلبي", ["سامر وليد الحلبي"]),  # "وليد" is the given name itself
    ("رامي وسام الحلبي", ["رامي وسام الحلبي"]),
    ("جورج ميلر وهانسن", ["جورج ميلر وهانسن"]),  # no given name after "و"
])
def test_a_tagged_span_over_and_a_given_name_is_two_people(surface: str, parts: list[str]) -> None:
    text = f"وحضر الحفل {surface} أمس."
    assert _split(text, surface) == parts


def test_only_people_are_split() -> None:
    text = "وحضر الحفل جورج ميلر ومارك هانسن أمس."
    start = text.index("جورج")
    span = Span("organization", start, text.index(" أمس"), "tagger")
    assert split_at_and(text, span, words_of(text), {"مارك"}.__contains__) == [span]


def test_a_long_run_of_names_splits_in_one_pass() -> None:
    # hostile input: a span of thousands of names joined by "و" (the tagger may return one) splits without
    # recursing once per name
    surface = "جورج ميلر " + " ".join(["ومارك هانسن"] * 3000)
    parts = _split(f"وحضر الحفل {surface} أمس.", surface)
    assert len(parts) == 3001
    assert parts[0] == "جورج ميلر" and set(parts[1:]) == {"مارك هانسن"}
