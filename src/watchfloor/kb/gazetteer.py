"""Finding knowledge-base entities in text: multi-script alias matching after normalisation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Any

from watchfloor.datafiles import read_yaml
from watchfloor.kb.normalize import PREPOSITIONS_APART, Token, arabic_prefix_variants, has_arabic, tokenize
from watchfloor.models import Entity, Mention

__all__ = ["Gazetteer"]

MAX_ALIAS_TOKENS = 8
DESIGNATORS_FILE = Path(__file__).parent / "lexicon" / "designators.yaml"


@cache
def designators() -> frozenset[str]:
    """Normalised words that designate rather than name (harakat, kataib, al-Lubnani, ...)."""
    words: dict[str, list[str]] = read_yaml(DESIGNATORS_FILE)
    return frozenset(t.norm for ws in words.values() for w in ws for t in tokenize(w) if t.norm)


def _squeeze(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _is_acronym(text: str) -> bool:
    """UN, IS, UAE, SAA, LeT, IRGC-QF: short Latin aliases written mostly in capitals."""
    letters = _squeeze(text)
    return (letters.isascii() and 2 <= len(letters) <= 7 and sum(c.isupper() for c in letters) >= 2
            and sum(c.islower() for c in letters) <= 1)


def _core(key: tuple[str, ...]) -> tuple[str, ...]:
    core = tuple(k for k in key if k not in designators())
    return core or key


class Gazetteer:
    """An index from normalised alias token sequences to entities, with context disambiguation."""

    def __init__(self, entities: Sequence[Entity], built: Mapping[str, Any] | None = None) -> None:
        """Index the entities' aliases; ``built`` is the index of these same entities as ``index_data``
        gave it (kb/gazetteer_cache.py keeps it between runs), which is then read instead of built."""
        self.entities = {e.id: e for e in entities}
        if built is not None:
            self._restore(built)
        else:
            self._build(entities)
        self.longest = max((len(k) for k in self.index), default=0)
        self.firsts = frozenset(k[0] for k in self.index if k)  # the words an alias begins with
        self.joined: dict[str, list[str]] = {" ".join(k): v for k, v in self.index.items()}

    def _build(self, entities: Sequence[Entity]) -> None:
        self.index: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.related: dict[str, set[str]] = defaultdict(set)
        self.written: set[tuple[str, str]] = set()  # (entity, alias exactly as written), for ties
        self.acronyms: dict[tuple[str, ...], set[str]] = defaultdict(set)  # key -> acronyms as written
        self.words: set[tuple[str, ...]] = set()  # keys that some alias spells out in words
        for entity in entities:
            for alias in entity.aliases:
                key = tuple(t.norm for t in tokenize(alias.text) if t.norm)
                if key and len(key) <= MAX_ALIAS_TOKENS and entity.id not in self.index[key]:
                    self.index[key].append(entity.id)
                if key and _is_acronym(alias.text):
                    self.acronyms[key].add(_squeeze(alias.text))
                elif key:
                    self.words.add(key)
                self.written.add((entity.id, alias.text.casefold()))
            for other in entity.related_ids():
                self.related[entity.id].add(other)
                self.related[other].add(entity.id)
        self.cores: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for key, ids in self.index.items():
            self.cores[_core(key)].update(ids)

    def index_data(self) -> dict[str, Any]:
        """The index as plain JSON values (lists and strings), for ``Gazetteer(entities, built=...)``."""
        return {"index": [[list(k), v] for k, v in self.index.items()],
                "related": {k: sorted(v) for k, v in self.related.items()},
                "written": sorted([e, w] for e, w in self.written),
                "acronyms": [[list(k), sorted(v)] for k, v in self.acronyms.items()],
                "words": sorted(list(k) for k in self.words),
                "cores": [[list(k), sorted(v)] for k, v in self.cores.items()]}

    def _restore(self, data: Mapping[str, Any]) -> None:
        """Read ``index_data``'s values; a value of another shape raises TypeError, ValueError or KeyError."""
        def key(value: Any) -> tuple[str, ...]:
            if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
                raise TypeError("an index key is a list of strings")
            return tuple(value)

        def names(value: Any) -> list[str]:
            if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
                raise TypeError("an index entry is a list of strings")
            return list(value)

        self.index = defaultdict(list, {key(k): names(v) for k, v in data["index"]})
        self.related = defaultdict(set, {str(k): set(names(v)) for k, v in dict(data["related"]).items()})
        self.written = {(str(e), str(w)) for e, w in data["written"]}
        self.acronyms = defaultdict(set, {key(k): set(names(v)) for k, v in data["acronyms"]})
        self.words = {key(k) for k in data["words"]}
        self.cores = defaultdict(set, {key(k): set(names(v)) for k, v in data["cores"]})

    def types(self) -> dict[str, str]:
        """Entity id to type, for stages that need it."""
        return {ident: e.type for ident, e in self.entities.items()}

    def _match_at(self, text: str, tokens: list[Token], norms: list[str], i: int,
                  clitics: bool = True) -> tuple[int, list[str]] | None:
        forms = arabic_prefix_variants(norms[i]) if clitics else (norms[i],)
        firsts = [first for first in forms if first in self.firsts]
        if not firsts:  # most words begin no alias
            return None
        for n in range(min(self.longest, len(norms) - i), 0, -1):
            rest = tuple(norms[i + 1:i + n])
            for first in firsts:
                key = (first, *rest)
                ids = self.index.get(key)
                if not ids:
                    continue
                # a key that only acronyms give ("on" folds like "UN") needs the acronym as written
                if key not in self.words and _squeeze(text[tokens[i].start:tokens[i + n - 1].end]) \
                        not in self.acronyms.get(key, set()):
                    continue
                return n, ids
        return None

    def find(self, text: str, lang: str | None = None) -> list[Mention]:
        """Every entity mention in the text, longest alias first, ambiguous names settled by context. Persian,
        Urdu and Pashto write their prepositions apart: a word of theirs loses no Arabic clitic ("باراک" is
        Barak, not "in Arak")."""
        tokens = [t for t in tokenize(text) if t.norm]  # the article "al-" folds away, as in the aliases
        norms = [t.norm for t in tokens]
        clitics = lang not in PREPOSITIONS_APART
        spans: list[tuple[int, int, list[str]]] = []
        i = 0
        while i < len(tokens):
            match = self._match_at(text, tokens, norms, i, clitics)
            if match is None:
                i += 1
                continue
            n, ids = match
            spans.append((tokens[i].start, tokens[i + n - 1].end, ids))
            i += n
        certain = {ids[0] for _, _, ids in spans if len(ids) == 1}
        result: list[Mention] = []
        for start, end, ids in spans:
            if len(ids) == 1:
                chosen, score = ids[0], 1.0
            else:
                surface = text[start:end].casefold()
                ranked = sorted(ids, key=lambda e: (-len(self.related[e] & certain),
                                                    (e, surface) not in self.written, e))
                chosen = ranked[0]
                score = 0.8 if self.related[chosen] & certain else 0.5
            result.append(Mention(entity_id=chosen, surface=text[start:end], start=start, end=end, score=score))
        return result

    def _romanised(self, name: str) -> list[str]:
        try:
            import arabic_name_romanizer
        except ImportError:  # pragma: no cover - a core dependency
            return []
        variants: list[str] = []
        for country in (None, "IR"):
            variants += [c.text for c in arabic_name_romanizer.transliterate(name, top_k=3, country=country)]
        return list(dict.fromkeys(v for v in variants if v))

    def _fuzzy(self, wanted: str, weight: float, scores: dict[str, float]) -> None:
        arabic = has_arabic(wanted)
        floor = 0.8 if len(wanted) >= 7 else 0.9  # short names differ by one letter from other names
        for joined, ids in self.joined.items():
            if has_arabic(joined) != arabic:
                continue
            matcher = SequenceMatcher(None, wanted, joined, autojunk=False)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor:
                for ident in ids:
                    scores[ident] = max(scores.get(ident, 0.0), weight * ratio)

    def resolve(self, name: str, context: str | None = None, limit: int = 10,
                kind: str | None = None) -> list[tuple[Entity, float]]:
        """Ranked candidate entries for a name in any script or spelling: an exact alias scores 1.0, a
        close spelling up to 0.9, a match through the romaniser's spellings of an Arabic-script name up
        to 0.9; each entry the context also names (a role's organisation, a parent) adds 0.1."""
        key = tuple(t.norm for t in tokenize(name) if t.norm)
        if not key:
            return []
        scores: dict[str, float] = {ident: 1.0 for ident in self.index.get(key, [])}
        if not scores:  # "Harakat Hamas", "Kataib al-Qassam": the name without its designators
            scores = {ident: 0.9 for ident in self.cores.get(_core(key), set())}
        self._fuzzy(" ".join(key), 0.9, scores)
        if has_arabic(name) and not scores:
            for variant in self._romanised(name):
                latin = tuple(t.norm for t in tokenize(variant) if t.norm)
                for ident in self.index.get(latin, []):
                    scores[ident] = max(scores.get(ident, 0.0), 0.9)
                self._fuzzy(" ".join(latin), 0.8, scores)
        if kind:
            scores = {i: v for i, v in scores.items() if self.entities[i].type == kind}
        context_ids = {m.entity_id for m in self.find(context)} if context else set()
        for ident in scores:
            scores[ident] += 0.1 * len(self.related[ident] & context_ids)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(self.entities[ident], round(score, 3)) for ident, score in ranked]
