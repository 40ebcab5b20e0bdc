"""Ranking and classification metrics, computed the usual way (no library needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def ndcg(ranked_gains: Sequence[float], all_gains: Sequence[float], k: int) -> float:
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(ranked_gains[:k]))
    ideal = sorted(all_gains, reverse=True)
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal[:k]))
    return dcg / idcg if idcg else 0.0


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def macro_f1(truth: Sequence[int], pred: Sequence[int], labels: Sequence[int]) -> float:
    scores = []
    for label in labels:
        tp = sum(t == label and p == label for t, p in zip(truth, pred))
        fp = sum(t != label and p == label for t, p in zip(truth, pred))
        fn = sum(t == label and p != label for t, p in zip(truth, pred))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ra = np.argsort(np.argsort(a, kind="stable"), kind="stable").astype(float)
    rb = np.argsort(np.argsort(b, kind="stable"), kind="stable").astype(float)
    # average ranks for ties
    for values, ranks in ((np.asarray(a, float), ra), (np.asarray(b, float), rb)):
        for v in np.unique(values):
            mask = values == v
            ranks[mask] = ranks[mask].mean()
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])
