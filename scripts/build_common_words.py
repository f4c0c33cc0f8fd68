"""Build the names stage's list of common Arabic-script words (src/watchfloor/pipeline/data/ner_common_words.txt):
words that end a person's name when they follow it ("ناجي صبري عقد اجتماعا": the name ends before "عقد").

    PYTHONPATH=src python scripts/build_common_words.py [--min-count 3]

Counted over the Arabic and Persian sides of the silver data that may ship (ner_tagger.LICENSE.md): NTREX-128
(CC BY-SA 4.0) and the UN corpus sentences (free use with attribution). A word counts as a name where its
consonant skeleton matches a capitalised word of the English side of its sentence ("بوتين" beside "Putin"):
a word kept here was seen at least ``--min-count`` times, almost never as a name, and is no name part the
romaniser's index saw ``--max-name-count`` times or more: the index holds plain words as rare name parts
("نظام", "جديد", "سبيل"), and the names stage takes a word of this list for a common word, not a name part.
Only single normalised words are written, no sentence.

    pip install wordfreq==3.1.1 && PYTHONPATH=src python scripts/build_common_words.py --wordfreq 45000

writes a second list (ner_common_words_wordfreq.txt) from wordfreq's Arabic word list (its data CC BY-SA 4.0): the
``--wordfreq`` most frequent words, normalised, that no list of names knows at all (the romaniser's index at any
count, Wikidata's name parts, the given names, the foreign given and family names, and the Arabic side of Google's
transliteration pairs mined from Wikipedia, github.com/google/transliteration, Apache-2.0, read from
``--translit``), no place the CLDR names or adjective of one ("روسي" is Rossi too), no particle or title. The silver
data is news of the UN and NTREX only; wordfreq adds the words of sport, culture and daily life ("كرة" after "روبن
فان بيرسي", "هدفنا" after "ليبرمان") that end a name there. wordfreq is needed for that build only. Measured on
2026-12-03 (people's precision / recall, ANERcorp train's unread second half, with the tagger's bias on Arabic
people at 1.0): none 0.772 / 0.604 (bias 0.5), 30,000 words 0.778 / 0.616, 45,000 0.789 / 0.614, 60,000 0.789 /
0.614 with dev's recall 0.701 against 0.707 for 45,000: 45,000 is kept. Names that wordfreq holds and no list of
names knows still end a name (a foreign family name seen often enough); the rules read these words in Arabic text
only, and only to end a person's name, not a place's or a club's ("الرملة", "برشلونة").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from watchfloor.kb.normalize import has_arabic, normalize
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize import PARTICLES, cues, words_of
from watchfloor.pipeline.recognize_cues import is_place_adjective

sys.path.insert(0, str(Path(__file__).parent))
from train_ner import pairs, skeleton_arabic, skeleton_latin  # noqa: E402

MAX_NAME_COUNT = 30  # a name part the index saw this often is a name, however common the word
ALLAH = "\u0627\u0644\u0644\u0647"  # the second part of "عبد الله", "نصر الله": the index counts the whole names
OUT = Path(__file__).resolve().parents[1] / "src" / "watchfloor" / "pipeline" / "data" / "ner_common_words.txt"
OUT_WORDFREQ = OUT.with_name("ner_common_words_wordfreq.txt")
TRANSLIT = Path(__file__).resolve().parents[2] / "shared" / "data" / "name_translit" / "google_ar2en"
HEADER = ("# Common Arabic-script words, normalised, one a line: built by scripts/build_common_words.py from the\n"
          "# Arabic and Persian sides of NTREX-128 (CC BY-SA 4.0) and UN corpus sentences (free use with\n"
          "# attribution); see ner_tagger.LICENSE.md. No sentence is stored, only words.\n")
HEADER_WORDFREQ = ("# Common Arabic-script words, normalised, one a line: built by scripts/build_common_words.py\n"
                   "# --wordfreq from wordfreq 3.1.1's Arabic word list (Robyn Speer et al., data CC BY-SA 4.0),\n"
                   "# less every word a list of names knows; see ner_tagger.LICENSE.md. Only words, no frequencies.\n")


def from_wordfreq(names: NameStage, top: int, out: Path, translit: Path) -> None:
    """The ``top`` most frequent Arabic words of wordfreq that no list of names knows, into ``out``; ``translit``
    holds Google's Arabic-English name pairs (a word there is a name: "شميدت", "برشلونة")."""
    if not translit.is_dir():
        raise SystemExit(f"{translit}: the ar2en-*.txt files of github.com/google/transliteration (Apache-2.0)")
    try:
        import wordfreq  # type: ignore[import-not-found]
    except ImportError:
        raise SystemExit("this list is built from wordfreq's data: pip install wordfreq==3.1.1") from None
    from watchfloor.pipeline.tagger import wikidata_names

    assert names.index is not None
    known = {normalize(key) for key, _ in names.index.name_parts(("given", "surname"))}
    known |= set(wikidata_names()) | names.foreign_given | names.foreign_family
    known |= set(OUT.read_text(encoding="utf-8").splitlines())  # the silver list has them already
    known |= {normalize(line.split("\t")[0]) for path in sorted(translit.glob("ar2en-*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()}
    table = cues()
    kept = set()
    for word in wordfreq.top_n_list("ar", top):
        norm = normalize(word)
        if len(norm) >= 3 and " " not in norm and has_arabic(norm) and norm not in known \
                and not names.is_given_name(norm) and norm not in PARTICLES \
                and (norm,) not in table.person_titles and (norm,) not in table.places \
                and not is_place_adjective(norm, table):  # "روسي" is Russian and Rossi
            kept.add(norm)
    out.write_text(HEADER_WORDFREQ + "\n".join(sorted(kept)) + "\n", encoding="utf-8")
    print(f"{len(kept)} words of wordfreq's {top} -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--max-name-count", type=int, default=MAX_NAME_COUNT)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--wordfreq", type=int, default=0, metavar="N",
                        help="build the second list from wordfreq's N most frequent Arabic words instead")
    parser.add_argument("--translit", type=Path, default=TRANSLIT,
                        help="the folder of Google's ar2en-*.txt name pairs, names left out of the second list")
    args = parser.parse_args()
    names = NameStage()
    names.setup()
    if args.wordfreq:
        from_wordfreq(names, args.wordfreq, args.out or OUT_WORDFREQ, args.translit)
        return
    args.out = args.out or OUT
    assert names.index is not None
    as_part: Counter[str] = Counter()
    for key, count in names.index.name_parts(("given", "surname")):
        as_part[normalize(key)] = max(as_part[normalize(key)], count)
    seen: Counter[str] = Counter()
    as_name: Counter[str] = Counter()
    for english_text, text, _ in pairs(100_000):
        capitals = {skeleton_latin(w) for w in re.findall(r"(?<=\w\W)\b[A-Z][a-z]+", english_text)}
        capitals.discard("")
        for token in words_of(text):
            if not has_arabic(token.norm) or " " in token.norm:
                continue
            seen[token.norm] += 1
            if skeleton_arabic(token.norm) in capitals:
                as_name[token.norm] += 1
    kept = sorted(w for w, n in seen.items() if n >= args.min_count and as_name[w] * 10 < n
                  and as_part[w] < args.max_name_count and len(w) >= 2
                  and not (w[:1] == "\u0648" and as_part[w[1:]] >= args.max_name_count)
                  and w not in PARTICLES and w != ALLAH and (w,) not in cues().person_titles
                  and w not in names.foreign_given | names.foreign_family)
    args.out.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words of {len(seen)} -> {args.out}")


if __name__ == "__main__":
    main()
