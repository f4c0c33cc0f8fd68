"""Name linking across scripts and name transliteration, accuracy at 1 and at 5.

    python eval/name_linking.py

1. UN sanctions list: a knowledge base is built from the list's Latin names and aliases only; each
   entry's original-script (Arabic, Pashto, Dari) name is then resolved against it. This measures
   linking an Arabic-script name to an entry known only in Latin: folding, fuzzy matching and the
   romaniser's spellings together.
2. Google ar2en test set (Arabic name → English spelling): the romaniser's top 1 and top 5, exact
   (case-insensitive) and after Watchfloor's Latin folding (Qaani = Ghaani).
"""

from __future__ import annotations

from _common import DATA, need, save

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.normalize import has_arabic, normalize_latin
from watchfloor.kb.un_sanctions import parse_un_sanctions
from watchfloor.models import Entity


def un_linking() -> dict[str, object]:
    entries = parse_un_sanctions(need(DATA / "un_sanctions_list" / "un_consolidated_2020-03-20.xml").read_bytes())
    latin_only, queries = [], []
    for entry in entries:
        originals = [a.text for a in entry.aliases if has_arabic(a.text)]
        latin = [a for a in entry.aliases if not has_arabic(a.text)]
        latin_only.append(Entity(entry.id, entry.type, entry.name, latin))
        if originals:
            queries.append((originals[0], entry.id))
    gazetteer = Gazetteer(latin_only)
    at1 = at5 = 0
    for name, expected in queries:
        ranked = [e.id for e, _ in gazetteer.resolve(name, limit=5)]
        at1 += bool(ranked) and ranked[0] == expected
        at5 += expected in ranked
    n = len(queries)
    return {"queries": n, "entries": len(latin_only), "acc_at_1": round(at1 / n, 3), "acc_at_5": round(at5 / n, 3)}


def transliteration() -> dict[str, object]:
    import arabic_name_romanizer

    pairs = [line.split("\t") for line in need(DATA / "name_translit" / "google_ar2en" / "ar2en-test.txt")
             .read_text(encoding="utf-8").splitlines() if "\t" in line]
    exact1 = exact5 = folded1 = folded5 = 0
    for arabic, english in pairs:
        variants = [c.text.casefold() for c in arabic_name_romanizer.transliterate(arabic, top_k=5)]
        target = english.strip().casefold()
        exact1 += bool(variants) and variants[0] == target
        exact5 += target in variants
        folded = [normalize_latin(v) for v in variants]
        folded1 += bool(folded) and folded[0] == normalize_latin(target)
        folded5 += normalize_latin(target) in folded
    n = len(pairs)
    return {"pairs": n, "exact_at_1": round(exact1 / n, 3), "exact_at_5": round(exact5 / n, 3),
            "folded_at_1": round(folded1 / n, 3), "folded_at_5": round(folded5 / n, 3)}


def main() -> None:
    save("name_linking", {"un_sanctions": un_linking(), "google_ar2en_test": transliteration()})


if __name__ == "__main__":
    main()
