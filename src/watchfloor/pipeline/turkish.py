"""Names in Turkish text by rules: people, organisations and places the knowledge base does not list.

No Turkish model ships (none is on PyPI), and spaCy's English model tags suffixed words such as "Ankara'da" as
names, so the names stage reads Turkish posts with the signals Turkish news text gives, every cue word in
``data/ner_cues_tr.yaml``:

* a name is a run of capitalised words (and acronyms); "ve", "bin" stand inside one only between capitalised
  words, and in an organisation's name only ("Çevre ve Şehircilik Bakanlığı");
* a case suffix after an apostrophe belongs to the name but not to its span ("Ankara'da" → "Ankara") and ends
  the run; a locative, ablative or dative suffix makes a name a place when nothing else types it;
* a title or role before the name makes it a person ("Dışişleri Bakanı Hakan Fidan" → "Hakan Fidan"; the title
  words are capitalised too and never part of the name); the words before a title name the office's holder: an
  organisation by its head word or acronym, a place before a governor's or a state's title ("Hatay Valisi",
  "Katar Dışişleri Bakanı");
* an organisation's head word closes its name ("İçişleri Bakanlığı"), acronyms in capitals are organisations
  (a few, such as "ABD", places, and the city of a dateline: "ANKARA (AA) -"), a capitalised place head word is
  part of a place's name ("Fırat Nehri");
* a lower-case place word after the name makes it a place and stays out of the span ("Hatay ili" → "Hatay",
  "Duhok kentinde" → "Duhok"), as Turkish writes the common noun lower-case;
* a common given name opens a person's name, the CLDR's Turkish names of countries and cities
  (``data/ner_places_cldr_tr.yaml``) are places, and a family name found again in the same text is the person.

A sentence's first word is capitalised anyway: it belongs to a name only with its own evidence (a given name,
an acronym, a known place, an apostrophe) or inside a name that another signal types, and never when it is a
common word or ends in a common word's case ending ("Açıklamada", "Toplantıya"). Month and weekday names are no
names. A capitalised name with no signal ("Kızılay", "Doha" mid-sentence) is left out: its type is unknown.
Words are compared folded the Turkish way (``fold``: "İ" → "i", "I" → "ı").
"""

from __future__ import annotations

from watchfloor.pipeline.recognize import Span
from watchfloor.pipeline.turkish_words import (
    DATELINE_AGENCY,
    DATELINE_DASH,
    MAX_NAME_WORDS,
    TurkishCues,
    Word,
    capital_runs,
    cues,
    fold,
    words_of,
)

__all__ = ["fold", "find", "cues", "TurkishCues", "Word", "words_of"]

Found = tuple[int, int, str, str]  # first and last word index, type, signal
_WEAK = ("case suffix", "genitive before a place word", "place word")  # they type a name, they do not open it


class _Reader:
    """One text's words and the spans found in them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.table = cues()
        self.words = words_of(text)

    def is_title(self, k: int) -> bool:
        word = self.words[k]
        if word.stem in self.table.titles:
            return True
        after = self.text[word.end:word.end + 1]
        return word.stem in self.table.abbreviated_titles and after == "."

    def title_before(self, k: int) -> bool:
        """Whether a title (lower-case too, or written short with its full stop) stands just before word k."""
        if k == 0:
            return False
        before = self.words[k - 1]
        gap = self.text[before.end:self.words[k].start]
        if before.suffix:
            return False
        if before.stem in self.table.abbreviated_titles and gap.strip() == ".":
            return True
        return self.words[k].joined and before.stem in self.table.titles

    def place_word_after(self, last: int) -> bool:
        if last + 1 >= len(self.words) or self.words[last].suffix or not self.words[last + 1].joined:
            return False
        after = self.words[last + 1]
        return not after.capital and after.stem.startswith(self.table.place_words)

    def genitive_place(self, last: int) -> bool:
        """A genitive name before a word of place ("Irak'ın kuzeyindeki")."""
        word = self.words[last]
        if word.suffix not in self.table.genitive_suffixes or last + 1 >= len(self.words):
            return False
        after = self.words[last + 1]
        return after.joined and not after.capital and after.stem.startswith(self.table.place_after_genitive)

    def known_place(self, first: int, last: int) -> bool:
        return tuple(w.stem for w in self.words[first:last + 1]) in self.table.places

    def spans(self) -> list[Span]:
        """The names of the text, no two overlapping, in text order."""
        found: list[Found] = []
        untyped: list[tuple[int, int]] = []
        for run in capital_runs(self.words, self.table):
            self.run_spans(run, found, untyped)
        found = [kept for f in found if (kept := self.first_word_checked(f)) is not None]
        # a common noun written capitalised for an institution ("Meclis'te", "Bakanlık") is no name by itself
        found = [f for f in found if f[0] != f[1] or self.words[f[0]].stem not in self.table.not_names]
        spans = [Span(kind, self.words[a].start, self.words[b].stem_end, f"turkish {signal}")
                 for a, b, kind, signal in found]
        spans += self.found_again(found, untyped)
        return sorted(spans, key=lambda s: s.start)

    def run_spans(self, run: list[int], found: list[Found], untyped: list[tuple[int, int]]) -> None:
        """The spans of one run: cut at its titles, each part typed by the title around it or by its own words."""
        titles = [k for k in run if self.is_title(k)]
        if not titles:
            self.plain(run[0], run[-1], self.title_before(run[0]), found, untyped)
            return
        phrases: list[tuple[int, int]] = []  # title phrases: fields before a title word, then the title
        for k in titles:
            a = k
            while a - 1 >= run[0] and (self.words[a - 1].stem in self.table.fields or self.is_title(a - 1) or (
                    self.words[a - 1].stem in self.table.connectors and a - 2 >= run[0]
                    and self.words[a - 2].stem in self.table.fields)):
                a -= 1
            if phrases and a <= phrases[-1][1] + 1:
                phrases[-1] = (phrases[-1][0], k)
            else:
                phrases.append((a, k))
        before = self.title_before(run[0])
        start = run[0]
        for a, b in phrases:
            if start < a:
                self.before_title(start, a - 1, (a, b), before, found, untyped)
            start, before = b + 1, True
        if start <= run[-1]:
            self.plain(start, run[-1], True, found, untyped)

    def before_title(self, first: int, last: int, title: tuple[int, int], after_title: bool,
                     found: list[Found], untyped: list[tuple[int, int]]) -> None:
        """Words before a title: its holder's office (an organisation, a province, a country), and before that,
        where a title stands before them too, a person ("Bakan Hakan Fidan Katar Emiri ...")."""
        phrase = tuple(w.stem for w in self.words[title[0]:title[1] + 1])
        keep = self.table.state_titles | self.table.place_titles | self.table.organisation_titles
        while phrase and phrase[0] in self.table.fields and phrase not in keep:
            phrase = phrase[1:]  # "Dışişleri Bakanı" is a state's title by its last words too
        holder = self.holder(first, last, phrase)
        if holder is None and last > first:
            holder = self.holder(last, last, phrase)
            if holder is not None:
                holder = (last, last, holder[2], holder[3])
        if holder is None:
            if after_title:
                self.plain(first, last, True, found, untyped)
            return
        if holder[0] > first:
            self.plain(first, holder[0] - 1, after_title, found, untyped)
        found.append(holder)

    def holder(self, first: int, last: int, phrase: tuple[str, ...]) -> Found | None:
        """The office a title belongs to, named in the words before it, typed."""
        words = self.words[first:last + 1]
        heads = [k for k in range(first, last + 1) if self.is_organisation_head(k)]
        if heads and heads[-1] > first:
            return (first, heads[-1], "organization", "organisation head")
        if words[-1].acronym and len(words) == 1:
            kind = "place" if words[-1].stem in self.table.place_acronyms else "organization"
            return (first, last, kind, "acronym")
        if phrase in self.table.place_titles or any(phrase[-len(p):] == p for p in self.table.place_titles):
            return (first, last, "place", "place title")
        if self.known_place(first, last) or (len(words) <= 2 and (
                phrase in self.table.state_titles or phrase[-1:] in self.table.state_titles)):
            return (first, last, "place", "state title")
        if len(words) <= 3 and phrase in self.table.organisation_titles:
            return (first, last, "organization", "organisation title")
        return None

    def is_organisation_head(self, k: int) -> bool:
        stem = self.words[k].stem
        return self.words[k].capital and (stem in self.table.organisation_heads or (
            not self.words[k].suffix and len(stem) > 6 and any(
                stem.startswith(h) for h in self.table.organisation_heads if len(h) >= 6)))

    def plain(self, first: int, last: int, after_title: bool, found: list[Found],
              untyped: list[tuple[int, int]]) -> None:
        """Words without a title among them, typed by their own words and those around them."""
        words = self.words
        table = self.table
        while first <= last and words[first].stem in table.connectors:
            first += 1
        while last >= first and words[last].stem in table.connectors:
            last -= 1
        if first > last:
            return
        heads = [k for k in range(first + 1, last + 1) if self.is_organisation_head(k)]
        if heads:
            found.append((first, heads[-1], "organization", "organisation head"))
            if heads[-1] < last:
                self.plain(heads[-1] + 1, last, False, found, untyped)
            return
        pieces = [k for k in range(first, last + 1) if words[k].stem in table.connectors]
        if pieces:  # a connector stands inside an organisation's name only
            for a, b in zip([first, *(p + 1 for p in pieces)], [*(p - 1 for p in pieces), last], strict=True):
                self.plain(a, b, after_title and a == first, found, untyped)
            return
        place_heads = [k for k in range(first + 1, last + 1) if words[k].capital and words[k].stem in table.place_heads]
        if place_heads:
            found.append((first, place_heads[-1], "place", "place head"))
            if place_heads[-1] < last:
                self.plain(place_heads[-1] + 1, last, False, found, untyped)
            return
        if words[last].stem in table.after_titles and last > first:
            found.append((first, last - 1, "person", "honorific after"))
            return
        if after_title:
            self.person(first, last, "title", found)
            return
        if words[first].initial and all(w.acronym for w in words[first:last + 1]) and (
                DATELINE_AGENCY.match(self.text, words[last].end) or (
                    len(words[last].stem) >= 5 and DATELINE_DASH.match(self.text, words[last].end))):
            found.append((first, last, "place", "dateline"))  # "ANKARA (AA) -", "GAZİANTEP -", not "PKK - KCK"
            return
        if words[first].acronym and (first == last or not words[first + 1].acronym):
            kind = "place" if words[first].stem in table.place_acronyms or self.known_place(first, first) \
                else "organization"
            found.append((first, first, kind, "acronym"))
            if first < last:
                self.plain(first + 1, last, False, found, untyped)
            return
        if words[last].acronym:
            self.plain(first, last - 1, False, found, untyped)
            self.plain(last, last, False, found, untyped)
            return
        if self.known_place(first, last):
            found.append((first, last, "place", "CLDR place"))
        elif words[first].stem in table.given_names and last > first:
            self.person(first, last, "given name", found)
        elif self.place_word_after(last):
            found.append((first, last, "place", "place word"))
        elif words[last].suffix in table.place_suffixes:
            found.append((first, last, "place", "case suffix"))
        elif self.genitive_place(last):
            found.append((first, last, "place", "genitive before a place word"))
        elif words[first].initial and last > first:
            self.plain(first + 1, last, False, found, untyped)  # the sentence's first word said nothing
        else:
            untyped.append((first, last))

    def person(self, first: int, last: int, signal: str, found: list[Found]) -> None:
        """A person's name, without a last word that takes a place's case ("Fidan Doha'da": two names)."""
        if last > first and (self.words[last].suffix in self.table.locative_suffixes or self.known_place(last, last)):
            found.append((last, last, "place", "case suffix" if self.words[last].suffix else "CLDR place"))
            last -= 1
        if last - first < MAX_NAME_WORDS:
            found.append((first, last, "person", signal))

    def first_word_checked(self, span: Found) -> Found | None:
        """A span that opens a sentence keeps its first word when the word is evidence itself (a given name, an
        acronym, a known place), or is no common word inside a name a strong signal types (a head word, a title);
        a weak signal (a case suffix, a genitive) types the words after it only. A first word alone needs an
        apostrophe or a title or place word after it, and no common word's shape."""
        first, last, kind, signal = span
        word = self.words[first]
        if not word.initial or word.acronym or word.stem in self.table.given_names or self.known_place(first, last):
            return span
        common = word.stem not in self.table.fields and (self.is_common(word.stem) or (not word.suffix and any(
            word.stem.endswith(e) and len(word.stem) > len(e) + 2 for e in self.table.common_endings)))
        if first == last:
            alone = bool(word.suffix) or signal in ("place title", "state title", "organisation title", "place word")
            return span if alone and not common else None
        if common or signal in _WEAK:
            return (first + 1, last, kind, signal)
        return span

    def is_common(self, stem: str) -> bool:
        """A common word of the list, or one with a case vowel after it ("haberi", "toplantıya")."""
        bare = stem[:-2] if stem[-2:-1] in ("y", "n") else stem[:-1]
        return stem in self.table.not_names or (stem[-1:] in "aeıiuü" and bare in self.table.not_names)

    def found_again(self, found: list[Found], untyped: list[tuple[int, int]]) -> list[Span]:
        """Untyped words that repeat a name found in this text: a person's family name, or a one-word name."""
        names: dict[str, tuple[str, str]] = {}
        for a, b, kind, _ in found:
            whole = " ".join(self.text[self.words[a].start:self.words[b].stem_end].split())
            if kind == "person" or a == b:
                names.setdefault(self.words[b].stem, (kind, whole))
        again = []
        for a, b in untyped:
            if a == b and self.words[a].stem in names and (not self.words[a].initial or self.words[a].suffix):
                kind, whole = names[self.words[a].stem]
                again.append(Span(kind, self.words[a].start, self.words[a].stem_end, "recurrence",
                                  whole if whole != self.text[self.words[a].start:self.words[a].stem_end] else None))
        return again


def find(text: str) -> list[Span]:
    """People, organisations and places named in Turkish text (see the module's docstring)."""
    return _Reader(text).spans()
