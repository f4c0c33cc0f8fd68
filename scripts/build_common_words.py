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

sys.path.insert(0, str(Path(__file__).parent))
from train_ner import pairs, skeleton_arabic, skeleton_latin  # noqa: E402

MAX_NAME_COUNT = 30  # a name part the index saw this often is a name, however common the word
ALLAH = "\u0627\u0644\u0644\u0647"  # the second part of "عبد الله", "نصر الله": the index counts the whole names
OUT = Path(__file__).resolve().parents[1] / "src" / "watchfloor" / "pipeline" / "data" / "ner_common_words.txt"
HEADER = ("# Common Arabic-script words, normalised, one a line: built by scripts/build_common_words.py from the\n"
          "# Arabic and Persian sides of NTREX-128 (CC BY-SA 4.0) and UN corpus sentences (free use with\n"
          "# attribution); see ner_tagger.LICENSE.md. No sentence is stored, only words.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--max-name-count", type=int, default=MAX_NAME_COUNT)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    names = NameStage()
    names.setup()
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
