"""Build the names stage's list of common Arabic-script words (src/watchfloor/pipeline/data/ner_common_words.txt):
words that end a person's name when they follow it ("ناجي صبري عقد اجتماعا": the name ends before "عقد").

    PYTHONPATH=src python scripts/build_common_words.py [--min-count 3]

Counted over the Arabic and Persian sides of the silver data that may ship (ner_tagger.LICENSE.md): NTREX-128
(CC BY-SA 4.0) and the UN corpus sentences (free use with attribution). A word counts as a name where its
consonant skeleton matches a capitalised word of the English side of its sentence ("بوتين" beside "Putin"):
a word kept here was seen at least ``--min-count`` times, almost never as a name, and is not a name part the
romaniser's index knows. Only single normalised words are written, no sentence.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from watchfloor.kb.normalize import has_arabic
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize import words_of

sys.path.insert(0, str(Path(__file__).parent))
from train_ner import pairs, skeleton_arabic, skeleton_latin  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "watchfloor" / "pipeline" / "data" / "ner_common_words.txt"
HEADER = ("# Common Arabic-script words, normalised, one a line: built by scripts/build_common_words.py from the\n"
          "# Arabic and Persian sides of NTREX-128 (CC BY-SA 4.0) and UN corpus sentences (free use with\n"
          "# attribution); see ner_tagger.LICENSE.md. No sentence is stored, only words.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    names = NameStage()
    names.setup()
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
                  and not names.is_name_word(w) and len(w) >= 2)
    args.out.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words of {len(seen)} -> {args.out}")


if __name__ == "__main__":
    main()
