"""Fit (and measure) the corridor's example learner on graded corridor lists.

    .venv/bin/python eval/train_example_learner.py --train DIR [--train DIR ...] [--test DIR ...] [--write]

Each DIR holds corridor*.jsonl lists (`{"id", "mission", "items": [{"id", "text", "grade"}]}`).
For every list and several random draws, k = 1, 3, 5 items per grade become the reviewer's examples
and the rest are judged. The multinomial model of hoshin.domain.corridor_examples is fitted on the
--train lists; the script prints tier macro-F1 and nDCG@10 per k, beside the zero-shot engine,
under 5-fold cross-validation by list on the training folders and, fitted on all of them, on every
--test folder. With --write the fit on all training lists is stored as
src/hoshin/data/example_learner.json (the product's coefficients).
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import macro_f1, ndcg  # noqa: E402

from hoshin.domain.corridor_examples import (  # noqa: E402
    FEATURE_NAMES,
    ExampleLearner,
    banded_scores,
    example_features,
)  # noqa: E402
from hoshin.service.alignment import Aligner  # noqa: E402
from hoshin.service.corridor_examples import learner_vectors  # noqa: E402

KS = (1, 3, 5)
SEEDS = 4
TIERS = {"core": 2, "adjacent": 1, "off": 0}
OUT = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data" / "example_learner.json"


@dataclass
class ScoredList:
    grades: np.ndarray
    vectors: np.ndarray
    z: np.ndarray
    zero_shot: np.ndarray  # the engine's own tier grades


def load_lists(aligner: Aligner, folder: str) -> list[ScoredList]:
    out = []
    for path in sorted(glob.glob(str(Path(folder) / "corridor*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            case = json.loads(line)
            texts = [i["text"] for i in case["items"]]
            model = aligner.mission_model(case["mission"])
            batch = aligner.score_batch(model, texts, use_feedback=True)
            zero = np.array([TIERS[v.tier.value] for v in batch.verdicts])
            out.append(
                ScoredList(
                    np.array([i["grade"] for i in case["items"]]),
                    learner_vectors(aligner, batch, texts),
                    np.asarray(batch.result.z, dtype=np.float64),
                    zero,
                )
            )
    return out


def draws(lists: list[ScoredList], ks=KS, seeds=SEEDS, drop_tier: float = 0.0):
    """(list index, k, example positions, judged positions) for every draw."""
    for li, sl in enumerate(lists):
        for k in ks:
            for seed in range(seeds):
                rng = np.random.default_rng(1000 * li + 10 * k + seed)
                grades = [g for g in (0, 1, 2) if (sl.grades == g).sum() > k]
                if drop_tier and len(grades) == 3 and rng.random() < drop_tier:
                    grades.remove(int(rng.integers(0, 3)))
                chosen = np.concatenate(
                    [rng.choice(np.flatnonzero(sl.grades == g), k, replace=False) for g in grades]
                )
                rest = np.setdiff1d(np.arange(len(sl.grades)), chosen)
                yield li, k, chosen, rest


def features_of(sl: ScoredList, chosen: np.ndarray, rest: np.ndarray) -> np.ndarray:
    x, _ = example_features(
        sl.vectors[rest], sl.z[rest], sl.vectors[chosen], sl.z[chosen], sl.grades[chosen].tolist()
    )
    return x


def design(lists: list[ScoredList], drop_tier: float) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for li, _, chosen, rest in draws(lists, drop_tier=drop_tier):
        xs.append(features_of(lists[li], chosen, rest))
        ys.append(lists[li].grades[rest])
    return np.vstack(xs), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> dict:
    """Multinomial logistic regression with an L2 penalty, each grade weighing the same (as it
    does in macro-F1)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale < 1e-9, 1.0, scale)
    xs = (x - mean) / scale
    n, f = xs.shape
    counts = np.bincount(y, minlength=3).astype(float)
    sample_w = (n / (3 * counts))[y]
    onehot = np.eye(3)[y]

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = p[: 3 * f].reshape(3, f), p[3 * f :]
        logits = xs @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        nll = -(sample_w * np.log(np.clip(probs[np.arange(n), y], 1e-12, None))).sum() / n
        diff = (probs - onehot) * sample_w[:, None] / n
        grad_w = diff.T @ xs + 2 * l2 * w / n
        return nll + l2 * float((w * w).sum()) / n, np.concatenate([grad_w.ravel(), diff.sum(axis=0)])

    res = minimize(loss, np.zeros(3 * f + 3), jac=True, method="L-BFGS-B")
    w, b = res.x[: 3 * f].reshape(3, f), res.x[3 * f :]
    return {
        "features": list(FEATURE_NAMES),
        "weights": [[round(float(v), 6) for v in row] for row in w],
        "bias": [round(float(v), 6) for v in b - b.mean()],
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
    }


def predict(model: dict, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(0..1 scores, grades) exactly as the product computes them."""
    learner = ExampleLearner.from_dict(model)
    probs = learner.probabilities(x)
    grades = probs.argmax(axis=1)
    return banded_scores(probs, grades), grades


def measure(model: dict, lists: list[ScoredList]) -> dict[int, tuple[float, float, float, float]]:
    """k -> (learner macro-F1, zero-shot macro-F1 on the same rows, learner nDCG@10, engine nDCG@10)."""
    out = {}
    for k in KS:
        truth, pred, zero, nd, nd0 = [], [], [], [], []
        for li, _, chosen, rest in draws(lists, ks=(k,)):
            sl = lists[li]
            scores, grades = predict(model, features_of(sl, chosen, rest))
            g = sl.grades[rest]
            truth += g.tolist()
            pred += grades.tolist()
            zero += sl.zero_shot[rest].tolist()
            nd.append(ndcg(g[np.argsort(-scores)].tolist(), g.tolist(), 10))
            nd0.append(ndcg(g[np.argsort(-sl.z[rest])].tolist(), g.tolist(), 10))
        out[k] = (
            macro_f1(truth, pred, [0, 1, 2]),
            macro_f1(truth, zero, [0, 1, 2]),
            float(np.mean(nd)),
            float(np.mean(nd0)),
        )
    return out


def report(label: str, scores: dict[int, tuple[float, float, float, float]]) -> None:
    for k, (f1, f0, nd, nd0) in scores.items():
        print(f"{label}  k={k}: tier_macro_f1={f1:.3f} (zero-shot {f0:.3f})  ", end="")
        print(f"ndcg@10={nd:.3f} (engine {nd0:.3f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", action="append", required=True)
    ap.add_argument("--test", action="append", default=[])
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--drop-tier", type=float, default=0.2, help="share of draws that leave one tier out")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    aligner = Aligner()
    train = [sl for folder in a.train for sl in load_lists(aligner, folder)]
    print(f"{len(train)} training lists", flush=True)
    folds = 5
    pooled: dict[int, list] = {k: [] for k in KS}
    for fold in range(folds):
        fit_on = [sl for i, sl in enumerate(train) if i % folds != fold]
        held = [sl for i, sl in enumerate(train) if i % folds == fold]
        model = fit(*design(fit_on, a.drop_tier), l2=a.l2)
        for k, v in measure(model, held).items():
            pooled[k].append(v)
    report("cross-validated", {k: tuple(np.mean(v, axis=0)) for k, v in pooled.items()})
    model = fit(*design(train, a.drop_tier), l2=a.l2)
    for folder in a.test:
        report(Path(folder).name, measure(model, load_lists(aligner, folder)))
    if a.write:
        model["note"] = (
            "Ordinal logistic model of hoshin.domain.corridor_examples, fitted by "
            "eval/train_example_learner.py on graded corridor lists; one global setting, never per "
            "organisation."
        )
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
