"""Write the knowledge base's counts into docs/kb.md (the coverage table, the "In all" line and the size of the
name-variant set) and README.md, from the bundled data files; `--check` only says whether they are current.

    PYTHONPATH=src python scripts/kb_counts.py [--check]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "watchfloor" / "kb" / "data"
VARIANTS = ROOT / "tests" / "data" / "kb" / "name_variants.tsv"
KB_PAGE = ROOT / "docs" / "kb.md"
README = ROOT / "README.md"
PLURAL = {"organization": "organisations", "person": "people", "place": "places", "outlet": "outlets"}


def counts() -> tuple[dict[str, int], Counter[str], tuple[int, int]]:
    """Entries per data file, entries per type over all files, and (variants, variants that match nothing)."""
    per_file: dict[str, int] = {}
    per_type: Counter[str] = Counter()
    for path in sorted(DATA.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        per_file[path.name] = len(entries)
        per_type.update(str(entry["type"]) for entry in entries)
    rows = [line.split("\t") for line in VARIANTS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return per_file, per_type, (len(rows), sum(1 for row in rows if row[1] == "-"))


def _in_all(per_type: Counter[str]) -> str:
    return ", ".join(f"{per_type[t]} {PLURAL[t]}" for t in PLURAL)


def update_kb_page(text: str) -> str:
    per_file, per_type, (variants, nothing) = counts()
    for name, number in per_file.items():
        text, found = re.subn(rf"^(\| `{re.escape(name)}` \| )\d+( \|)", rf"\g<1>{number}\g<2>", text, flags=re.M)
        if not found:
            raise SystemExit(f"docs/kb.md's coverage table has no row for {name}: add one")
    text = _sub(r"In all: [^;]+;", f"In all: {_in_all(per_type)};", text, "the 'In all' line")
    text = _sub(r"resolves the \d+ name variants", f"resolves the {variants} name variants", text, "the variant count")
    return _sub(r"with \d+ names that must match nothing", f"with {nothing} names that must match nothing", text,
                "the count of variants that match nothing")


def _sub(pattern: str, replacement: str, text: str, what: str) -> str:
    new, found = re.subn(pattern, replacement, text)
    if not found:
        raise SystemExit(f"{what} is no longer where scripts/kb_counts.py looks for it: update the script")
    return new


def update_readme(text: str) -> str:
    _, per_type, _ = counts()
    o, p, pl, ou = (per_type[t] for t in PLURAL)
    sentence = r"(a bundled knowledge base of )\d+( organisations,\s+)\d+( people,\s+)\d+(\s+places and )\d+( outlets)"
    return _sub(sentence, rf"\g<1>{o}\g<2>{p}\g<3>{pl}\g<4>{ou}\g<5>", text, "README's knowledge-base sentence")


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for path, update in ((KB_PAGE, update_kb_page), (README, update_readme)):
        text = path.read_text(encoding="utf-8")
        new = update(text)
        if new != text:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print(f"stale knowledge-base counts in {', '.join(map(str, stale))}: run python scripts/kb_counts.py")
        return 1
    print("\n".join(f"wrote {p}" for p in stale) if stale else "the counts are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
