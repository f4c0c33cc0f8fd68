"""A small statistical name tagger for Arabic-script text, in pure Python: a linear-chain CRF over BIO tags,
decoded by Viterbi (trained by python-crfsuite in ``scripts/train_ner.py``, only its weights shipped), or an
averaged perceptron decoded greedily left to right (``train``, kept to compare). Its features are the word, its
stem without clitics, affixes, the words around it and the recogniser's signals (titles, organisation and place
nouns, name parts the romaniser's index knows, CLDR places, the common words of ``data/ner_common_words.txt``)
and the name parts Wikidata's people bear (``data/ner_wikidata_names.txt``), so it finds what the rules miss.

The shipped weights (``data/ner_tagger.json.gz``) are trained by ``scripts/train_ner.py`` on silver
data whose licences let the model ship (``data/ner_tagger.LICENSE.md`` says which); without the file
the names stage runs on the rules alone.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

from watchfloor.kb.normalize import ARTICLE, Token, arabic_prefix_variants, has_arabic
from watchfloor.pipeline.recognize import Span, cue_at, cues, joined, words_of
from watchfloor.pipeline.recognize_cues import cues_for, is_place_adjective
from watchfloor.pipeline.recognize_fa import compound_verb_at
from watchfloor.pipeline.recognize_runs import SON_OF
from watchfloor.pipeline.word_shapes import frequent as is_frequent
from watchfloor.pipeline.word_shapes import frequent_words, possessed_action, verb_like

__all__ = ["Tagger", "load", "features", "TAGS", "MODEL_PATH", "train", "spans_from_tags", "name_parts", "trim"]

MODEL_PATH = Path(__file__).parent / "data" / "ner_tagger.json.gz"
TAGS = ("O", "B-person", "I-person", "B-organization", "I-organization", "B-place", "I-place")


WIKIDATA_PATH = Path(__file__).parent / "data" / "ner_wikidata_names.txt"
OFTEN = 20  # a name part in this many of Wikidata's names or more is a common one ("جون", "سميث")


@cache
def wikidata_names(path: Path = WIKIDATA_PATH) -> dict[str, int]:
    """Name parts of Wikidata's people as Arabic writes them, with how many names hold each (CC0 1.0;
    ``scripts/build_wikidata_names.py``); empty without the file."""
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {word: int(count) for word, count in rows}


NAME_PART_LETTERS = 4  # shorter words of Wikidata's names are too often plain words ("لو", if; "بات", became)


def name_parts(plain: frozenset[str]) -> frozenset[str]:
    """Wikidata's name parts that the rules may read as name parts in Arabic text: four letters or more and none
    of the ``plain`` words (common and stop words, places), which its names hold too ("رأس", "هدية", "قبرص")."""
    return frozenset(w for w in wikidata_names() if len(w) >= NAME_PART_LETTERS and w not in plain)


def _stem(norm: str) -> str:
    variants = arabic_prefix_variants(norm)
    return variants[-1] if variants else norm


def features(text: str, tokens: Sequence[Token], name_word: Callable[[str], bool],
             frequent: frozenset[str] = frozenset()) -> list[list[str]]:
    """Each token's features (without the previous tag, which the decoder adds); ``frequent`` words are common
    words too (wordfreq's, in Arabic text)."""
    table = cues()
    tokens = list(tokens)
    out: list[list[str]] = []
    norms = [t.norm for t in tokens]
    stems = [_stem(n) for n in norms]
    flags = []  # each token's flags that hold, in this order
    attested = wikidata_names()
    for i, norm in enumerate(norms):
        variants = arabic_prefix_variants(norm)
        name = name_word(norm)
        seen = max((attested.get(v, 0) for v in variants[:2]), default=0)
        flags.append([k for k, v in (
            ("title", cue_at(tokens, text, i, table.person_titles) > 0),
            ("orghead", cue_at(tokens, text, i, table.organisation_heads) > 0),
            ("placehead", cue_at(tokens, text, i, table.place_heads) > 0),
            ("placebefore", cue_at(tokens, text, i, table.place_before) > 0),
            ("stop", norm in table.stop_words),
            ("nameword", name),
            ("wikidata", 0 < seen < OFTEN),
            ("wikidataoften", seen >= OFTEN),
            ("place", any((s,) in table.places for s in variants)),
            ("arabic", has_arabic(norm)),
            ("common", (any(v in table.common for v in variants[:2]) or is_frequent(norm, frequent)) and not name),
            ("article", norm.startswith(ARTICLE) or stems[i] != norm and ARTICLE in norm[:4]),
        ) if v])
    for i, norm in enumerate(norms):
        stem = stems[i]
        f = ["b", f"w={norm}", f"s={stem}", f"p2={stem[:2]}", f"x2={stem[-2:]}", f"x3={stem[-3:]}",
             f"len={min(len(stem), 8)}", *flags[i]]
        if i and not joined(text, tokens, i):
            f.append("gap")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(norms):
                f.append(f"s{offset}={stems[j]}")
                f += [f"{k}{offset}" for k in flags[j]]
            else:
                f.append(f"edge{offset}")
        f.append(f"s-1|s={stems[i - 1] if i else '^'}|{stem}")
        out.append(f)
    return out


def spans_from_tags(tokens: Sequence[Token], tags: Sequence[str], signal: str = "tagger") -> list[Span]:
    """Spans from BIO tags (an I- without its B- opens a span)."""
    found: list[Span] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
            found.append(Span(kind, tokens[start].start, tokens[i - 1].end, signal))
            start = None
        if tag != "O" and start is None:
            start, kind = i, tag[2:]
    return found


def trim(text: str, span: Span, tokens: list[Token], lang: str | None, name_word: Callable[[str], bool]) -> Span:
    """A tagger's span cut before its first common word ("جينسون باتون سائق فريق": the driver's name) or
    a Persian compound verb's noun ("جان باختند"), or emptied when it holds a title, an Arabic role or a common
    subject ("الدكتورة", "عهد الإمبراطور") or a title of two words holds its first ("معاون اول": first deputy)."""
    inside = [t for t in tokens if span.start <= t.start and t.end <= span.end]
    table, first = cues(), (tokens.index(inside[0]) if inside else 0)
    common, frequent = table.common, frequent_words(cues_for(lang))
    if (first and cue_at(tokens, text, first - 1, table.person_titles) > 1) or \
            any(cue_at(tokens, text, k, table.person_titles) or tokens[k].norm in table.not_names
                or (lang != "fa" and cue_at(tokens, text, k, table.person_roles))
                for k in range(first, first + len(inside))) or \
            (len(inside) == 1 and is_place_adjective(inside[0].norm, table)):  # "الرئيس السوداني"
        return Span(span.type, span.start, span.start, span.signal)
    if len(inside) > 1 and lang != "fa" and inside[0].norm == SON_OF:  # "was born", no "son of" at the start
        span = Span(span.type, inside[1].start, span.end, span.signal)
        inside, first = inside[1:], first + 1
    for k, token in enumerate(inside):  # the first word too: "رانت", "فوریت" are no names
        if k and lang == "fa" and compound_verb_at(text, tokens, first + k):
            # a compound verb and its noun are no name: "جان باختند" (were killed)
            return Span(span.type, span.start, inside[k - 2].end if k >= 2 else span.start, span.signal)
        forms = arabic_prefix_variants(token.norm)[:2]
        if not name_word(token.norm) and (any(v in common for v in forms) or is_frequent(token.norm, frequent)
                                          or possessed_action(token.norm) or verb_like(token.norm)):
            return Span(span.type, span.start, inside[k - 1].end if k else span.start, span.signal)
    return span


class Tagger:
    """Weights (feature -> tag -> weight) and, for a linear-chain CRF, the tag-to-tag transition weights, which
    make the decoding a Viterbi search over the whole sentence; without them the weights are an averaged
    perceptron's, decoded greedily with the previous tag as a feature. ``person_bias`` (by language) is added
    to the person tags' scores of a CRF: more people found, at some precision."""

    def __init__(self, weights: dict[str, dict[str, float]],
                 transitions: dict[str, dict[str, float]] | None = None,
                 person_bias: dict[str, float] | None = None) -> None:
        self.weights = weights
        self.transitions = transitions
        self.person_bias = person_bias or {}
        # the transitions into each tag from every tag in TAGS' order, once for every sentence decoded
        self._into = [[(transitions or {}).get(a, {}).get(b, 0.0) for a in TAGS] for b in TAGS]
        # a CRF's weights as one tuple per feature in TAGS' order (0.0 where a tag has none): summing tuples
        # adds the same numbers in the same order as summing the dictionaries, at half the cost
        self._rows = {feat: tuple(row.get(t, 0.0) for t in TAGS) for feat, row in weights.items()} \
            if transitions is not None else {}

    def _scores(self, feats: Iterable[str]) -> dict[str, float]:
        """Each tag's summed weight over the features (a tag no feature weighs is absent)."""
        scores: dict[str, float] = {}
        weights = self.weights
        for feat in feats:
            row = weights.get(feat)
            if row:  # most features were never seen in training
                for tag, weight in row.items():
                    scores[tag] = scores.get(tag, 0.0) + weight
        return scores

    def _best(self, feats: list[str], previous: str) -> str:
        scores = self._scores((*feats, f"prev={previous}", f"prev={previous}|{feats[2]}"))
        best = max(TAGS, key=lambda t: (scores.get(t, 0.0), t == "O"))
        if best.startswith("I-") and previous[2:] != best[2:]:
            best = "B-" + best[2:]
        return best

    def _emissions(self, feats: list[str], bias: float) -> list[float]:
        """Each tag's score for one token, in TAGS' order: its features' weights summed, the bias on people."""
        rows = self._rows
        o = bp = ip = bo = io = bl = il = 0.0
        for feat in feats:
            row = rows.get(feat)
            if row is not None:  # most features were never seen in training
                o += row[0]
                bp += row[1]
                ip += row[2]
                bo += row[3]
                io += row[4]
                bl += row[5]
                il += row[6]
        return [o, bp + bias, ip + bias, bo, io, bl, il]

    def _viterbi(self, feats: list[list[str]], bias: float) -> list[str]:
        into = self._into
        scores = self._emissions(feats[0], bias)
        back: list[list[int]] = []
        for f in feats[1:]:
            emitted = self._emissions(f, bias)
            step = []  # for each tag, the best tag before it
            for moves in into:
                column = [score + move for score, move in zip(scores, moves, strict=True)]
                step.append(column.index(max(column)))
            scores = [scores[a] + into[b][a] + emitted[b] for b, a in enumerate(step)]
            back.append(step)
        best = max(range(len(TAGS)), key=lambda b: scores[b])
        path = [best]
        for step in reversed(back):
            best = step[best]
            path.append(best)
        return [TAGS[i] for i in reversed(path)]

    def predict(self, feats: list[list[str]], lang: str | None = None) -> list[str]:
        """BIO tags for one sentence's features."""
        if not feats:
            return []
        if self.transitions is not None:
            return self._viterbi(feats, self.person_bias.get(lang or "", 0.0))
        tags: list[str] = []
        for f in feats:
            tags.append(self._best(f, tags[-1] if tags else "^"))
        return tags

    def tag(self, text: str, tokens: Sequence[Token] | None, name_word: Callable[[str], bool],
            lang: str | None = None) -> list[Span]:
        """Spans the model finds in the text (of the language ``lang``, where the model's bias depends on it)."""
        tokens = list(tokens) if tokens is not None else words_of(text)
        if not tokens:
            return []
        return spans_from_tags(tokens, self.predict(features(text, tokens, name_word, frequent_words(cues_for(lang))),
                                                    lang))

    def save(self, path: Path, meta: dict[str, object]) -> None:
        """Write the weights (rounded, near-zero ones dropped) as gzipped JSON."""
        kept = {f: {t: round(w, 3) for t, w in tags.items() if abs(w) >= 0.01} for f, tags in self.weights.items()}
        kept = {f: tags for f, tags in kept.items() if tags}
        data: dict[str, object] = {"meta": meta, "weights": kept}
        if self.transitions is not None:
            data["transitions"] = {a: {b: round(w, 3) for b, w in row.items()} for a, row in self.transitions.items()}
            data["person_bias"] = self.person_bias
        with gzip.open(path, "wt", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))


def train(sentences: Sequence[tuple[list[list[str]], list[str]]], epochs: int = 5, seed: int = 7) -> Tagger:
    """An averaged perceptron over (features, gold tags) sentences."""
    import random

    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[tuple[str, str], float] = defaultdict(float)
    stamps: dict[tuple[str, str], int] = defaultdict(int)
    step = 0
    model = Tagger(weights)
    order = list(range(len(sentences)))
    rng = random.Random(seed)

    def update(feat: str, tag: str, value: float) -> None:
        key = (feat, tag)
        totals[key] += (step - stamps[key]) * weights[feat][tag]
        stamps[key] = step
        weights[feat][tag] += value

    for _ in range(epochs):
        rng.shuffle(order)
        for index in order:
            feats, gold = sentences[index]
            previous = "^"
            for f, truth in zip(feats, gold, strict=True):
                step += 1
                guess = model._best(f, previous)
                if guess != truth:
                    for feat in [*f, f"prev={previous}", f"prev={previous}|{f[2]}"]:
                        update(feat, truth, 1.0)
                        update(feat, guess, -1.0)
                previous = truth
    averaged: dict[str, dict[str, float]] = {}
    for feat, tags in weights.items():
        for tag, weight in tags.items():
            key = (feat, tag)
            total = totals[key] + (step - stamps[key]) * weight
            averaged.setdefault(feat, {})[tag] = total / max(step, 1)
    return Tagger(averaged)


@cache
def load(path: Path = MODEL_PATH) -> Tagger | None:
    """The shipped tagger (read once per process), or None when its weights are not there."""
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return Tagger(data["weights"], data.get("transitions"), data.get("person_bias"))
