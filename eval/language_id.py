"""Language identification accuracy per language on NTREX-128 (ar, fa, prs→fa, ps, en) and the UN
Arabic/English sentences, on full sentences and on their first three words.

    python eval/language_id.py
"""

from __future__ import annotations

from _common import DATA, lines, save, tsv_column

from watchfloor.pipeline.language import detect

NTREX = {"arb": "ar", "fas": "fa", "prs": "fa", "pus": "ps"}


def accuracy(texts: list[str], expected: str) -> tuple[float, float, int]:
    full = sum(detect(t)[0] == expected for t in texts) / len(texts)
    short = sum(detect(" ".join(t.split()[:3]))[0] == expected for t in texts) / len(texts)
    return round(full, 4), round(short, 4), len(texts)


def main() -> None:
    rows = []
    base = DATA / "ntrex128"
    for code, expected in NTREX.items():
        full, short, n = accuracy(lines(base / f"newstest2019-ref.{code}.txt"), expected)
        rows.append({"set": f"NTREX-128 {code}", "expected": expected, "n": n, "full": full, "first_3_words": short})
    full, short, n = accuracy(lines(base / "newstest2019-src.eng.txt"), "en")
    rows.append({"set": "NTREX-128 eng", "expected": "en", "n": n, "full": full, "first_3_words": short})
    for side in ("ar", "en"):
        texts = [t for t, _ in tsv_column(DATA / "un_conflict_ar_en" / f"{side}_binary.tsv")]
        full, short, n = accuracy(texts, side)
        rows.append({"set": f"UN conflict {side}", "expected": side, "n": n, "full": full, "first_3_words": short})
    save("language_id", {"rows": rows})


if __name__ == "__main__":
    main()
