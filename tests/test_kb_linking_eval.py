"""Name linking on the evaluation set (tests/data/kb/name_variants.tsv): precision and recall of the
bundled knowledge base's resolver across scripts and spellings. docs/kb.md reports the figures."""

from __future__ import annotations

from pathlib import Path

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities

DATA = Path(__file__).parent / "data" / "kb" / "name_variants.tsv"
MIN_SCORE = 0.75  # below this the resolver's best guess is not taken as a link


def _cases() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            variant, expected = line.split("\t")
            rows.append((variant, expected))
    return rows


def test_every_expected_entry_exists() -> None:
    ids = {e.id for e in load_entities()}
    cases = _cases()
    assert len(cases) >= 300
    assert {expected for _, expected in cases if expected != "-"} <= ids


def test_precision_and_recall_across_scripts() -> None:
    gazetteer = Gazetteer(load_entities())
    predicted = correct = positives = 0
    misses: list[str] = []
    for variant, expected in _cases():
        ranked = gazetteer.resolve(variant)
        guess = ranked[0][0].id if ranked and ranked[0][1] >= MIN_SCORE else "-"
        positives += expected != "-"
        if guess != "-":
            predicted += 1
            correct += guess == expected
        if guess != expected:
            misses.append(f"{variant} -> {guess} (expected {expected})")
    precision, recall = correct / predicted, correct / positives
    print(f"\nname linking: {len(_cases())} variants, precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(misses))
    assert precision >= 0.95, misses
    assert recall >= 0.90, misses
