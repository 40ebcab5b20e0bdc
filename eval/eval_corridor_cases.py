"""Held-out corridor cases: are a product's parts, materials and inputs core, its neighbours not?

Usage:  python eval/eval_corridor_cases.py [--embedder minilm|hashing] [--set FILE ...]

Two sets in the acceptance cases' shape ({"mission", "core": [...], "adjacent": [...], "off":
[...]}), written by hand for missions the acceptance cases do not hold:
- eval/corridor_cases_heldout.jsonl (10 missions, 83 texts), written before the WordNet grounding
  it measures and never tuned on: report its totals only;
- eval/corridor_cases_tuning.jsonl (8 missions, 64 texts), written after it, whose verdicts were
  read to find out why parts score low (a sibling product reads closer to the mission than a part
  does): tuning data. As in the acceptance cases, a core text must come back core, an adjacent one
anything but core, an off one off. Each mission's texts are triaged as one batch, as
`corridor triage` does.

Printed: the texts that pass, per tier and in all, and the balanced pass rate (the mean of the
three tiers' pass rates, so that calling everything near "core" does not win by the core tier's
size), and the ranking whatever the thresholds (AUC of each tier above the next).
Beside it, raw cosine of text and mission with the two thresholds that give the best
balanced pass rate on the whole set, picked after the fact (an optimistic baseline no product has).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from hoshin.embedding import create_embedder
from hoshin.service.alignment import Aligner
from hoshin.service.batch import triage

SETS = [Path(__file__).with_name(n) for n in ("corridor_cases_tuning.jsonl", "corridor_cases_heldout.jsonl")]
TIERS = ("core", "adjacent", "off")


def passes(expected: str, got: str) -> bool:
    return got == expected if expected != "adjacent" else got != "core"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="minilm", help="minilm (default) or hashing")
    parser.add_argument("--set", dest="paths", type=Path, action="append", help="a set (repeatable)")
    args = parser.parse_args()
    embedder = create_embedder(args.embedder)
    aligner = Aligner(embedder)
    for n, path in enumerate(args.paths or SETS):
        if n:
            print()
        evaluate(path, aligner)
    return 0


def evaluate(path: Path, aligner: Aligner) -> None:
    embedder = aligner.embedder
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ours = {tier: [0, 0] for tier in TIERS}
    cosines: list[float] = []
    scores: list[float] = []
    expected: list[str] = []
    for case in cases:
        rows = [
            {"id": f"{tier}{n}", "text": text} for tier in TIERS for n, text in enumerate(case.get(tier, []))
        ]
        out = {r["id"]: r for r in triage(aligner, case["mission"], rows)}
        got = {rid: r["tier"] for rid, r in out.items()}
        vectors = embedder.embed([case["mission"]] + [r["text"] for r in rows])
        for row, cosine in zip(rows, vectors[1:] @ vectors[0], strict=True):
            tier = row["id"].rstrip("0123456789")
            ours[tier][0] += passes(tier, got[row["id"]])
            ours[tier][1] += 1
            cosines.append(float(cosine))
            scores.append(float(out[row["id"]]["score"]))
            expected.append(tier)
    print(f"{path.name}: {len(cases)} missions, {len(expected)} texts, embedder {embedder.model_id}\n")
    total = sum(p for p, _ in ours.values())
    print(f"{'method':<34}" + "".join(f"{t:>10}" for t in TIERS) + f"{'all':>10}{'balanced':>10}")
    print(
        f"{'Hoshin triage':<34}"
        + "".join(f"{p:>6}/{n:<3}" for p, n in ours.values())
        + f"{total:>6}/{len(expected):<3}{_balanced(ours):>10.3f}"
    )
    best = _raw_oracle(np.array(cosines), expected)
    print(
        f"{'raw cosine, best two thresholds':<34}"
        + "".join(f"{p:>6}/{n:<3}" for p, n in best.values())
        + f"{sum(p for p, _ in best.values()):>6}/{len(expected):<3}{_balanced(best):>10.3f}"
    )
    # The ranking, whatever the thresholds: how often a text of the higher tier scores above one
    # of the lower (ties count half), the triage's score beside raw cosine.
    for high, low in (("core", "adjacent"), ("core", "off"), ("adjacent", "off")):
        print(
            f"AUC {high} above {low}: triage {_auc(scores, expected, high, low):.3f}, "
            f"raw cosine {_auc(cosines, expected, high, low):.3f}"
        )


def _auc(values: list[float], expected: list[str], high: str, low: str) -> float:
    v = np.array(values)
    tiers = np.array(expected)
    a, b = v[tiers == high], v[tiers == low]
    return float((a[:, None] > b[None, :]).mean() + 0.5 * (a[:, None] == b[None, :]).mean())


def _balanced(per: dict[str, list[int]]) -> float:
    return float(np.mean([p / n for p, n in per.values() if n]))


def _raw_oracle(cosines: np.ndarray, expected: list[str]) -> dict[str, list[int]]:
    """The passes per tier at the (off, core) cosine thresholds with the best balanced pass rate."""
    cuts = np.unique(cosines)
    best: tuple[float, dict[str, list[int]]] = (-1.0, {})
    for low in cuts:
        for high in cuts[cuts >= low]:
            said = np.where(cosines >= high, "core", np.where(cosines >= low, "adjacent", "off"))
            per = {tier: [0, 0] for tier in TIERS}
            for want, got in zip(expected, said, strict=True):
                per[want][0] += passes(want, str(got))
                per[want][1] += 1
            score = _balanced(per)
            if score > best[0]:
                best = (score, per)
    return best[1]


if __name__ == "__main__":
    sys.exit(main())
