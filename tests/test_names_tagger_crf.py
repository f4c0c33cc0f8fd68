"""The names tagger as a linear-chain CRF (issue 15): trained by python-crfsuite in ``scripts/train_ner.py``, its
weights and transitions decoded in Python by ``pipeline/tagger.py`` (Viterbi), with a bias towards the person
tags by language. The decoder must give what CRFsuite's own tagger gives for the same model. CRFsuite is native
code, so it runs in a child process here: a crash in it fails one test, not the suite."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from watchfloor.pipeline import tagger

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import train_ner  # noqa: E402  (pycrfsuite is imported only inside its CRF functions)

# trains a CRF in CRFsuite on the sentences of data.json, saves it as the stage's weights (model.json.gz, through
# the training script) and writes CRFsuite's own tags for the sentences of test.json
CHILD = """
import json, sys
from pathlib import Path
import pycrfsuite
sys.path.insert(0, sys.argv[2])
import train_ner
work = Path(sys.argv[1])
data = json.loads((work / "data.json").read_text())
trainer = pycrfsuite.Trainer(verbose=False)
for feats, tags in data:
    trainer.append([dict.fromkeys(f, 1.0) for f in feats], tags)
trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 60, "feature.possible_transitions": True})
trainer.train(str(work / "model.crfsuite"))
train_ner.crf_tagger(work / "model.crfsuite").save(work / "model.json.gz", {"model": "test"})
theirs = pycrfsuite.Tagger()
theirs.open(str(work / "model.crfsuite"))
test = json.loads((work / "test.json").read_text())
(work / "tags.json").write_text(json.dumps([theirs.tag([dict.fromkeys(f, 1.0) for f in feats]) for feats, _ in test]))
if len(sys.argv) > 3:  # the training script's own function, with a bias
    train_ner.train_crf(data, 0.05, 0.01, 40, {"ar": 1.0}).save(work / "script.json.gz", {"model": "test"})
"""


def _in_child(work: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(work), str(SCRIPTS), *extra], capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode == 0, f"CRFsuite's child exited {done.returncode}: {done.stderr[-2000:]}"


def test_the_transitions_decide_over_the_whole_sentence() -> None:
    # alone, "a" is O and "b" I-person; O cannot go on to I-person, so the best sentence is B-person I-person
    model = tagger.Tagger({"w=a": {"O": 1.0, "B-person": 0.8}, "w=b": {"I-person": 2.0, "O": 0.5}},
                          {"O": {"I-person": -5.0}, "B-person": {"I-person": 1.0}})
    assert model.predict([["w=a"], ["w=b"]]) == ["B-person", "I-person"]
    greedy = tagger.Tagger({"w=a": {"O": 1.0, "B-person": 0.8}, "w=b": {"I-person": 2.0, "O": 0.5}})
    assert greedy.predict([["w=a", "x", "y"], ["w=b", "x", "y"]]) == ["O", "B-person"]  # no transitions: greedy


def test_the_person_bias_follows_the_language() -> None:
    model = tagger.Tagger({"w=a": {"O": 1.0, "B-person": 0.6}}, {}, {"ar": 0.5, "fa": 0.3})
    assert model.predict([["w=a"]], "ar") == ["B-person"]
    assert model.predict([["w=a"]], "fa") == ["O"]
    assert model.predict([["w=a"]], None) == ["O"]
    assert model.predict([], "ar") == []


def test_saved_weights_keep_the_transitions_and_the_bias(tmp_path: Path) -> None:
    model = tagger.Tagger({"w=a": {"O": 1.0, "B-person": 0.6}}, {"O": {"B-person": -0.25}}, {"ar": 0.5})
    model.save(tmp_path / "model.json.gz", {"model": "test"})
    again = tagger.load(tmp_path / "model.json.gz")
    assert again is not None
    assert again.transitions == {"O": {"B-person": -0.25}}
    assert again.person_bias == {"ar": 0.5}
    assert again.predict([["w=a"]], "ar") == ["B-person"]


def _random_sentences(rng: random.Random, count: int) -> list[tuple[list[list[str]], list[str]]]:
    """Sentences whose words carry a person or place signal some of the time, with noise."""
    data = []
    for _ in range(count):
        feats, tags = [], []
        for _ in range(rng.randint(1, 9)):
            kind = rng.choice(["O", "O", "O", "person", "place"])
            previous = tags[-1] if tags else "O"
            tag = "O" if kind == "O" else (f"I-{kind}" if previous.endswith(kind) and rng.random() < 0.5
                                           else f"B-{kind}")
            signal = kind if rng.random() < 0.8 else rng.choice(["O", "person", "place"])
            feats.append(["b", f"w={signal}{rng.randint(0, 3)}", f"sig={signal}", f"len={rng.randint(1, 4)}"])
            tags.append(tag)
        data.append((feats, tags))
    return data


def test_the_python_decoder_gives_what_crfsuite_gives(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps(_random_sentences(random.Random(3), 300)))
    sentences = _random_sentences(random.Random(4), 200)
    (tmp_path / "test.json").write_text(json.dumps(sentences))
    _in_child(tmp_path)
    ours = tagger.load(tmp_path / "model.json.gz")
    assert ours is not None and ours.transitions
    theirs = json.loads((tmp_path / "tags.json").read_text())
    agree = [ours.predict(feats) == tags for (feats, _), tags in zip(sentences, theirs, strict=True)]
    assert all(agree), f"{agree.count(False)} of {len(agree)} sentences decoded otherwise"
    # and it learnt something: most tags of unseen sentences are right
    right = sum(p == t for feats, tags in sentences for p, t in zip(ours.predict(feats), tags, strict=True))
    assert right / sum(len(tags) for _, tags in sentences) > 0.6


def test_the_training_script_trains_a_crf_the_stage_can_read(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps(_random_sentences(random.Random(5), 200)))
    (tmp_path / "test.json").write_text("[]")
    _in_child(tmp_path, "--script")
    model = tagger.load(tmp_path / "script.json.gz")
    assert model is not None and model.transitions and model.person_bias == {"ar": 1.0}
    person = [["b", "w=person1", "sig=person", "len=2"]]
    assert model.predict(person, "ar") == ["B-person"]
    plain = [["b", "w=O2", "sig=O", "len=1"], ["b", "w=O1", "sig=O", "len=3"]]
    assert model.predict(plain, "ar") == ["O", "O"]


@pytest.mark.parametrize(("text", "biases"), [("ar=1.0,fa=0.5", {"ar": 1.0, "fa": 0.5}), ("ar=2", {"ar": 2.0}),
                                              ("", {})])
def test_the_bias_option_reads_languages_and_values(text: str, biases: dict[str, float]) -> None:
    assert train_ner._biases(text) == biases


def test_the_shipped_tagger_is_a_crf_with_a_person_bias() -> None:
    model = tagger.load()
    assert model is not None and model.transitions
    assert model.person_bias.get("ar", 0) > 0
    # a B- tag does not go on to the I- tag of another type
    assert model.transitions["B-place"].get("I-person", 0.0) < model.transitions["B-person"]["I-person"]


@pytest.mark.parametrize("lang", ["ar", "fa", None])
def test_each_tag_scores_its_own_weights_plus_the_bias_on_people(lang: str | None) -> None:
    """The decoder sums the weights as one tuple per feature in TAGS' order: every tag's score must be its own
    weights' sum (as the dictionaries give it), the bias on the two person tags only, whatever the order."""
    model = tagger.load()
    assert model is not None
    rng = random.Random(11)
    known = sorted(model.weights)
    bias = model.person_bias.get(lang or "", 0.0)
    for _ in range(300):
        feats = rng.sample(known, rng.randint(1, 40)) + ["never-seen-feature"]
        summed = model._scores(feats)
        want = [summed.get(tag, 0.0) + (bias if tag.endswith("-person") else 0.0) for tag in tagger.TAGS]
        assert model._emissions(feats, bias) == pytest.approx(want, abs=1e-12)
    # a feature that weighs one tag only moves that tag alone
    for tag in tagger.TAGS:
        single = tagger.Tagger({"f": {tag: 2.0}}, {}, {})
        assert [tagger.TAGS[i] for i, score in enumerate(single._emissions(["f"], 0.0)) if score] == [tag]
