"""Shared by the evaluation scripts: where the public data sets are, and where results go."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WATCHFLOOR_EVAL_DATA", ROOT.parent / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"


def need(path: Path) -> Path:
    """The path, or exit with a clear message when the public data sets are not beside the clone."""
    if not path.exists():
        sys.exit(f"{path} not found: the evaluation sets live in ../shared/data (or set WATCHFLOOR_EVAL_DATA)")
    return path


def save(task: str, result: dict[str, Any]) -> None:
    """Write a task's result (with the date and the command) for eval/report.py, and print it."""
    result = {"task": task, "date": datetime.now(UTC).date().isoformat(),
              "command": "python " + " ".join([f"eval/{Path(sys.argv[0]).name}", *sys.argv[1:]]), **result}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{task}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


def lines(path: Path) -> list[str]:
    """The non-empty lines of a UTF-8 text file."""
    return [line.strip() for line in need(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def tsv_column(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of the UN conflict TSVs (quoted text, header skipped, read line by line).

    Lines end at a line feed only: the DeepL file holds five NEL characters (U+0085) inside its row 2,552,
    which ``str.splitlines`` would take for line ends, shifting every later DeepL row by five."""
    rows = []
    for line in need(path).read_text(encoding="utf-8").split("\n")[1:]:
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        rows.append((text.strip().strip('"'), label.strip().strip('"')))
    return rows


def cluster_scores(predicted: dict[Any, Any], gold: dict[Any, Any]) -> dict[str, Any]:
    """Pairwise and B-cubed precision, recall and F1 of a clustering against gold clusters (same keys)."""
    import itertools

    keys = sorted(predicted, key=repr)
    tp = fp = fn = 0
    for a, b in itertools.combinations(keys, 2):
        same_pred, same_gold = predicted[a] == predicted[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    pair_p = tp / (tp + fp) if tp + fp else 1.0
    pair_r = tp / (tp + fn) if tp + fn else 1.0
    by_pred: dict[Any, list[Any]] = {}
    by_gold: dict[Any, list[Any]] = {}
    for key in keys:
        by_pred.setdefault(predicted[key], []).append(key)
        by_gold.setdefault(gold[key], []).append(key)
    b_p = sum(sum(gold[q] == gold[k] for q in by_pred[predicted[k]]) / len(by_pred[predicted[k]]) for k in keys)
    b_r = sum(sum(predicted[q] == predicted[k] for q in by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in keys)
    b_p, b_r = b_p / len(keys), b_r / len(keys)

    def f1(p: float, r: float) -> float:
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    return {"pairwise": {"precision": round(pair_p, 3), "recall": round(pair_r, 3), "f1": f1(pair_p, pair_r)},
            "bcubed": {"precision": round(b_p, 3), "recall": round(b_r, 3), "f1": f1(b_p, b_r)}}
