"""spaCy's small English and French models run their NER alone: the shared ``tok2vec`` fed only the tagger and the
parser, which are not loaded, so it is dropped; the NER embeds words with a tok2vec of its own, and finds the same
entities at the same offsets as the pipeline that keeps it. A model whose kept components listen to the shared
``tok2vec`` keeps it. The sentences were written for these tests."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from watchfloor.pipeline import english  # noqa: E402

TEXTS = {
    "en": [
        "The UN envoy Hans Grundberg met officials of the Houthi movement in Sanaa on Monday, the agency said.",
        "Reuters reported that the Lebanese army deployed units near the border town of Naqoura after the strikes.",
        "In a statement, the Islamic Revolutionary Guard Corps said its commander Hossein Salami visited Tehran.",
        "Prime Minister Mohammed Shia al-Sudani received the Turkish foreign minister Hakan Fidan in Baghdad.",
        "The World Health Organization said hospitals in Gaza City and Khan Younis were running out of fuel.",
        "no capitals here at all, only a short note about the weather in the hills.",
        "",
    ],
    "fr": [
        "Le ministre des Affaires étrangères Jean-Noël Barrot s'est rendu à Beyrouth jeudi, selon l'AFP.",
        "L'armée malienne a annoncé que des combats avaient eu lieu près de Kidal, dans le nord du pays.",
        "Le Conseil de sécurité des Nations unies se réunira à New York lundi pour examiner la situation au Soudan.",
        "Selon Le Monde, Emmanuel Macron a reçu le président sénégalais Bassirou Diomaye Faye à l'Élysée.",
    ],
}


def _model(lang: str) -> english.EnglishNer:
    ner = english.load(lang)
    if ner is None:  # pragma: no cover - the models are development dependencies
        pytest.skip(f"spaCy's {lang} model is not installed")
    return ner


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_only_the_ner_runs(lang: str) -> None:
    assert _model(lang).nlp.pipe_names == ["ner"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_same_entities_as_with_the_shared_tok2vec(lang: str) -> None:
    lean = _model(lang)
    full = english.EnglishNer(spacy.load(english.MODELS[lang][0], exclude=list(english.EXCLUDED)))
    assert "tok2vec" in full.nlp.pipe_names  # the comparison is with the pipeline that keeps it
    expected = full.find_all(TEXTS[lang])
    assert sum(map(len, expected)) >= len(TEXTS[lang]) - 2  # the texts name things: the comparison is not empty
    assert lean.find_all(TEXTS[lang]) == expected
    assert [lean.find(text) for text in TEXTS[lang]] == expected


def test_a_listened_tok2vec_stays() -> None:
    _model("en")
    nlp = spacy.load(english.MODELS["en"][0], exclude=["lemmatizer", "parser", "attribute_ruler"])  # the tagger stays
    assert english.without_idle_tok2vec(nlp).pipe_names[0] == "tok2vec"
