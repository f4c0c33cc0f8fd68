"""Build the tagger's list of name parts attested in Wikidata (src/watchfloor/pipeline/data/ner_wikidata_names.txt):
the Arabic-script words of people's names as Wikidata's Arabic labels write them, with how many names hold each.

    PYTHONPATH=src python scripts/build_wikidata_names.py [--min-count 2]

Read from the token pairs of Merhav and Ash, "Design Challenges in Named Entity Transliteration" (COLING 2018),
github.com/steveash/NETransliteration-COLING2018 at 5d5f59e, ``data/wd_arabic.normalized.aligned.tokens``:
English and Arabic tokens aligned from the full names of Wikidata's people, under CC0 1.0 (its data/LICENSE).
Only the normalised Arabic words and their counts are written; a word seen in fewer than ``--min-count`` names
is left out (a one-off is as often a spelling slip as a name).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from watchfloor.kb.normalize import has_arabic, normalize

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "name_translit" / "wikidata_coling2018" / \
    "wd_arabic.normalized.aligned.tokens"
OUT = ROOT / "src" / "watchfloor" / "pipeline" / "data" / "ner_wikidata_names.txt"
HEADER = ("# Name parts of Wikidata's people as its Arabic labels write them, normalised, with the number of names\n"
          "# that hold each: built by scripts/build_wikidata_names.py from the token pairs of Merhav & Ash (COLING\n"
          "# 2018), github.com/steveash/NETransliteration-COLING2018, CC0 1.0. See ner_tagger.LICENSE.md.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--source", type=Path, default=SOURCE, help="the token pairs file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    for line in args.source.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[2].strip().isdigit():
            continue
        word = normalize(fields[1].replace(" ", ""))
        if has_arabic(word) and len(word) > 1:
            counts[word] += int(fields[2])
    kept = sorted((w, c) for w, c in counts.items() if c >= args.min_count)
    args.out.write_text(HEADER + "".join(f"{w}\t{c}\n" for w, c in kept), encoding="utf-8")
    print(f"{len(kept)} words of {len(counts)} -> {args.out}")


if __name__ == "__main__":
    main()
