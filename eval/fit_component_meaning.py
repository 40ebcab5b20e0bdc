"""Fit the learned component layer of mission analysis (domain/component_meaning.py).

Usage:  python eval/fit_component_meaning.py [--cache FILE] [--heldout] [--write]

For every statement of the sets whose errors were read (components_set, heldout, heldout2-7; never
heldout8) it records the rules' verdict per component (the analysis without the layer), the
statement's clause vectors and the hand labels. Per component it fits a logistic regression (numpy,
L2, on standardised inputs) of "the component is stated" over the layer's inputs (mean clause vector
and FEATURES), on every statement where that label is clear, or on the statements the rules left
absent only (POOLS). The layer adds the component where the rules left it absent and the chance
reaches the cut-off.

Penalty, pool and cut-off are chosen per component by leave-one-set-out over the eight training
sets: each set measured under a model fitted on the other seven, the additions pooled. Of the
settings whose pooled precision of additions reaches MIN_PRECISION and that add at least
MIN_RIGHT right ones, the one with the most right additions less wrong ones; a component with no
such setting gets no layer. It prints the choice, clear labels wrong per set before -> after under
leave-one-set-out and in-sample; with --heldout the TOTALS (never single statements) of heldout8
before -> after; with --write the models fitted on all training sets go to
src/hoshin/data/component_meaning.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from logistic import fit_logistic  # noqa: E402

from hoshin.domain.component_meaning import FEATURES, meaning_inputs
from hoshin.domain.lexicon import split_units
from hoshin.domain.mission_analysis import COMPONENTS, PROTOTYPES
from hoshin.embedding import CachedEmbedder, MemoryVectorCache, create_embedder
from hoshin.service.texts import COMPONENT_LAYER_FILE, analyze_missions

HERE = Path(__file__).parent
TRAINING = [
    "components_set",
    "components_heldout",
    "components_heldout2",
    "components_heldout3",
    "components_heldout4",
    "components_heldout5",
    "components_heldout6",
    "components_heldout7",
]
HELD_OUT = ["components_heldout8"]
MIN_PRECISION = 0.8  # an added component must be right at least this often (the rules' is ~0.9)
MIN_RIGHT = 3  # fewer right additions over all eight folds is luck, not a reading
PENALTIES = (3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
POOLS = ("all", "absent")
MODEL = "all-MiniLM-L6-v2"
OUT = HERE.parent / "src" / "hoshin" / "data" / COMPONENT_LAYER_FILE


def collect(name: str, embedder: Any) -> list[dict[str, Any]]:
    """Per statement: labels, unclear, the rules' present flags, the layer's inputs per component."""
    items = [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text().splitlines() if line.strip()]
    results = analyze_missions(
        [{"id": i["id"], "text": i["text"]} for i in items], embedder, with_themes=False, component_layer=None
    )
    prototype_texts = [p for texts in PROTOTYPES.values() for p in texts]
    protos = embedder.embed(prototype_texts)
    by_name, start = {}, 0
    for comp, texts in PROTOTYPES.items():
        by_name[comp] = protos[start : start + len(texts)]
        start += len(texts)
    out = []
    for item, result in zip(items, results, strict=True):
        units = split_units(item["text"])
        vecs = embedder.embed(units)
        out.append(
            {
                "id": item["id"],
                "truth": set(item["components"]),
                "unclear": set(item.get("unclear", ())),
                "rules": {c for c in COMPONENTS if result["components"][c]["present"]},
                "inputs": {c: meaning_inputs(vecs, by_name, c)[0] for c in COMPONENTS},
            }
        )
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Weights and bias in the raw input scale (eval/logistic.py, 30 Newton steps)."""
    return fit_logistic(x, y, l2, steps=30)


def _train(rows: list[dict[str, Any]], comp: str, l2: float, pool: str) -> tuple[np.ndarray, float]:
    use = [r for r in rows if comp not in r["unclear"] and (pool == "all" or comp not in r["rules"])]
    x = np.array([r["inputs"][comp] for r in use])
    y = np.array([comp in r["truth"] for r in use], dtype=float)
    return fit(x, y, l2)


def _chances(rows: list[dict[str, Any]], comp: str, model: tuple[np.ndarray, float]) -> np.ndarray:
    z = np.array([r["inputs"][comp] for r in rows]) @ model[0] + model[1]
    return 1 / (1 + np.exp(-np.clip(z, -60, 60)))


def additions(
    rows: list[dict[str, Any]], comp: str, chances: np.ndarray, threshold: float
) -> tuple[int, int]:
    """(right, wrong) additions of `comp` among clear labels."""
    right = wrong = 0
    for row, chance in zip(rows, chances, strict=True):
        if comp in row["rules"] or comp in row["unclear"] or chance < threshold:
            continue
        right += comp in row["truth"]
        wrong += comp not in row["truth"]
    return right, wrong


def choose(cached: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[float, str, float, int, int]]:
    """Per component with a setting that passes: (penalty, pool, cut-off, right, wrong) pooled LOSO."""
    chosen = {}
    for comp in COMPONENTS:
        best: tuple[Any, ...] | None = None
        for l2 in PENALTIES:
            for pool in POOLS:
                held_chances = {}
                for held in TRAINING:
                    train = [r for n in TRAINING if n != held for r in cached[n]]
                    held_chances[held] = _chances(cached[held], comp, _train(train, comp, l2, pool))
                for threshold in THRESHOLDS:
                    right = wrong = 0
                    for held in TRAINING:
                        r, w = additions(cached[held], comp, held_chances[held], threshold)
                        right, wrong = right + r, wrong + w
                    if right < MIN_RIGHT or right < MIN_PRECISION * (right + wrong):
                        continue
                    key = (right - wrong, threshold)
                    if best is None or key > best[0]:
                        best = (key, (l2, pool, threshold, right, wrong))
        if best is not None:
            chosen[comp] = best[1]
    return chosen


def wrong_labels(
    rows: list[dict[str, Any]], added: dict[str, set[str]] | None = None
) -> tuple[int, int, int, int]:
    """(clear labels wrong, clear labels, false positives, misses) with `added[id]` components added."""
    clear = fp = fn = 0
    for row in rows:
        said = row["rules"] | (added or {}).get(row["id"], set())
        for comp in COMPONENTS:
            if comp in row["unclear"]:
                continue
            clear += 1
            fp += comp in said and comp not in row["truth"]
            fn += comp in row["truth"] and comp not in said
    return fp + fn, clear, fp, fn


def added_by(
    rows: list[dict[str, Any]], models: dict[str, tuple[np.ndarray, float, float]]
) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {r["id"]: set() for r in rows}
    for comp, (weights, bias, threshold) in models.items():
        for row, chance in zip(rows, _chances(rows, comp, (weights, bias)), strict=True):
            if comp not in row["rules"] and chance >= threshold:
                out[row["id"]].add(comp)
    return out


def fitted(
    rows: list[dict[str, Any]], chosen: dict[str, tuple[float, str, float, int, int]]
) -> dict[str, Any]:
    out = {}
    for comp, (l2, pool, threshold, _, _) in chosen.items():
        weights, bias = _train(rows, comp, l2, pool)
        out[comp] = (weights, bias, threshold)
    return out


def _line(name: str, before: tuple[int, ...], after: tuple[int, ...]) -> str:
    return (
        f"{name:<22} wrong {before[0]:>3} -> {after[0]:>3} of {before[1]:>3}"
        f"   (fp {before[2]} -> {after[2]}, missed {before[3]} -> {after[3]})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the collected statements")
    parser.add_argument("--heldout", action="store_true", help="print heldout8 totals before -> after")
    parser.add_argument("--write", action="store_true", help="write src/hoshin/data/" + COMPONENT_LAYER_FILE)
    args = parser.parse_args()
    embedder = CachedEmbedder(create_embedder("minilm"), MemoryVectorCache())
    names = TRAINING + (HELD_OUT if args.heldout else [])
    cached: dict[str, list[dict[str, Any]]] = {}
    if args.cache and args.cache.exists():
        cached = pickle.loads(args.cache.read_bytes())
    for name in names:
        if name not in cached:
            cached[name] = collect(name, embedder)
    if args.cache:
        args.cache.write_bytes(pickle.dumps(cached))
    chosen = choose(cached)
    print("chosen per component (penalty, pool, cut-off; pooled leave-one-set-out additions right/wrong):")
    for comp in COMPONENTS:
        print(f"  {comp:<13} {chosen.get(comp, 'no layer: no setting reaches the floor')}")
    print("\nleave-one-set-out, clear labels wrong (rules -> rules + layer):")
    total_b, total_a = np.zeros(4, int), np.zeros(4, int)
    for held in TRAINING:
        rest = [r for n in TRAINING if n != held for r in cached[n]]
        before = wrong_labels(cached[held])
        after = wrong_labels(cached[held], added_by(cached[held], fitted(rest, chosen)))
        total_b, total_a = total_b + before, total_a + after
        print(_line(held, before, after))
    print(_line("pooled", tuple(total_b), tuple(total_a)))
    every = [r for n in TRAINING for r in cached[n]]
    models = fitted(every, chosen)
    print("\nin-sample (fitted on all training sets):")
    for name in TRAINING:
        print(
            _line(
                name, wrong_labels(cached[name]), wrong_labels(cached[name], added_by(cached[name], models))
            )
        )
    if args.heldout:
        print("\nheld out (totals only):")
        for name in HELD_OUT:
            print(
                _line(
                    name,
                    wrong_labels(cached[name]),
                    wrong_labels(cached[name], added_by(cached[name], models)),
                )
            )
    if args.write:
        raw = {
            "model": MODEL,
            "inputs": "the statement's mean clause vector (384, unit length), then " + ", ".join(FEATURES),
            "fitted_by": "eval/fit_component_meaning.py on " + ", ".join(TRAINING),
            "components": {
                comp: {
                    "weights": [round(float(v), 6) for v in weights],
                    "bias": round(bias, 6),
                    "threshold": threshold,
                    "setting": {"penalty": chosen[comp][0], "pool": chosen[comp][1]},
                }
                for comp, (weights, bias, threshold) in models.items()
            },
        }
        OUT.write_text(json.dumps(raw) + "\n", encoding="utf-8")
        print(f"\nwrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
