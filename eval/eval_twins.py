"""Near-duplicate ideas: are reworded twins told from same-field strangers? (eval/twins_set.jsonl)

Usage:  python eval/eval_twins.py [--embedder minilm|hashing] [--pairs]

Each line of the set is {"id", "field", "kind": "twin"|"stranger", "a", "b"}, written by hand as
an innovation inbox would receive them: a twin is one proposal said in other words, a stranger
another proposal of the same field. The fields split the set in two: the tuning half (the twin
score's weights and default threshold were chosen there) and the held-out half, never tuned on.
eval/twins_heldout2.jsonl (same format) is a second held-out set written later, before the twin
score's frame penalty (domain/twin_frame.py), from eight other fields, with harder strangers: the
same frame with the object, material, place or quantity swapped ("Offer flood cover to homes near
rivers" / "Offer fire cover to homes near forests"). It is reported in total only; --pairs does
not list it.
eval/twins_heldout3.jsonl (same format) is a third held-out set, written before the word alignment
of issue 20 item 4 from eight more fields (water utility, public transport, fashion, publishing,
pharmaceuticals, mining, sports club, real estate): 32 rewordings with few shared words and 32
strangers that swap one key element. Reported in total only; --pairs lists neither held-out set.
eval/twins_swaps_tuning.jsonl is tuning material of that kind for the tuning fields (written after
heldout2, before the twin score's frame penalty was chosen on it and the tuning half), with the
issue's own pair and its strangers; the last four (the issue's strangers against the rewording
rather than the original) were added when the threshold was chosen.

Per half and for raw sentence cosine beside the twin score (hoshin.domain.twins, scored through
service.twin_scores as the product does):
- recall at zero strangers: the share of twins scoring above every stranger (the best threshold);
- AUC: the chance that a twin outscores a stranger;
- at the shipped threshold (raw cosine: the old default 0.75): twins and strangers grouped.
--pairs lists every pair with both scores and the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from hoshin.embedding import create_embedder
from hoshin.service.alignment import Aligner
from hoshin.service.duplicates import DEFAULT_THRESHOLD
from hoshin.service.twin_scores import Pair, judge_pairs

SET = Path(__file__).with_name("twins_set.jsonl")
HELDOUT2 = Path(__file__).with_name("twins_heldout2.jsonl")
HELDOUT3 = Path(__file__).with_name("twins_heldout3.jsonl")
SWAPS = Path(__file__).with_name("twins_swaps_tuning.jsonl")
TUNING_FIELDS = frozenset({"manufacturing", "software", "healthcare", "retail"})
RAW_THRESHOLD = 0.75  # the cosine threshold shipped before the twin score


def recall_at_zero_strangers(scores: np.ndarray, twin: np.ndarray) -> float:
    return float((scores[twin] > scores[~twin].max()).mean())


def auc(scores: np.ndarray, twin: np.ndarray) -> float:
    diff = scores[twin][:, None] - scores[~twin][None, :]
    return float((diff > 0).mean() + 0.5 * (diff == 0).mean())


def _read(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    parser.add_argument("--pairs", action="store_true", help="list every pair with its scores and reason")
    args = parser.parse_args()
    first = _read(SET)
    second = _read(HELDOUT2)
    swaps = _read(SWAPS)
    items = first + second + swaps + _read(HELDOUT3)
    aligner = Aligner(create_embedder(args.embedder))
    texts = sorted({i["a"] for i in items} | {i["b"] for i in items})
    vectors = dict(zip(texts, aligner.embed(texts), strict=True))
    pairs = [
        Pair(i["a"], vectors[i["a"]], i["b"], vectors[i["b"]], float(vectors[i["a"]] @ vectors[i["b"]]))
        for i in items
    ]
    judged = judge_pairs(aligner, pairs, DEFAULT_THRESHOLD)
    raw = np.array([p.cosine for p in pairs])
    ours = np.array([j.score for j in judged])
    twin = np.array([i["kind"] == "twin" for i in items])
    row = np.arange(len(items))
    in_first = row < len(first)
    in_second = (row >= len(first)) & (row < len(first) + len(second))
    in_swaps = (row >= len(first) + len(second)) & (row < len(first) + len(second) + len(swaps))
    in_third = row >= len(first) + len(second) + len(swaps)
    tuning = in_first & np.array([i["field"] in TUNING_FIELDS for i in items])
    for name, keep in (
        (SET.name, in_first),
        (HELDOUT2.name, in_second),
        (SWAPS.name, in_swaps),
        (HELDOUT3.name, in_third),
    ):
        fields = {i["field"] for i, k in zip(items, keep, strict=True) if k}
        print(
            f"{name}: {keep.sum()} pairs ({(twin & keep).sum()} twins, {(~twin & keep).sum()} strangers), "
            f"{len(fields)} fields"
        )
    print(f"shipped thresholds: twin score {DEFAULT_THRESHOLD}, raw cosine {RAW_THRESHOLD}\n")
    print(
        f"{'half':<10}{'score':<8}{'recall@0 strangers':>20}{'AUC':>7}"
        f"{'twins grouped':>15}{'strangers grouped':>19}"
    )
    for half, keep in (
        ("tuning", tuning),
        ("held-out", in_first & ~tuning),
        ("heldout2", in_second),
        ("swaps", in_swaps),
        ("heldout3", in_third),
    ):
        for name, scores, cut in (("raw", raw, RAW_THRESHOLD), ("twin", ours, DEFAULT_THRESHOLD)):
            s, t = scores[keep], twin[keep]
            grouped = f"{int((s[t] >= cut).sum())}/{int(t.sum())}"
            strangers = f"{int((s[~t] >= cut).sum())}/{int((~t).sum())}"
            print(
                f"{half:<10}{name:<8}{recall_at_zero_strangers(s, t):>20.2f}{auc(s, t):>7.3f}"
                f"{grouped:>15}{strangers:>19}"
            )
    if args.pairs:
        print()
        for item, pair, j in sorted(
            [
                z
                for z, held in zip(zip(items, pairs, judged, strict=True), in_second | in_third, strict=True)
                if not held
            ],
            key=lambda z: (z[0]["kind"], -z[2].score),
        ):
            print(
                f"{item['kind']:<9}{j.score:6.3f} (cos {pair.cosine:.3f}) "
                f"{item['a']!r} / {item['b']!r}: {j.reason}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
