"""What keeping the ideas' vectors as int8 codes costs in quality: nothing measurable, shown here.

Usage:  python eval/eval_int8_rescore.py [DATA_DIR]

A re-score after a corridor change runs on the vectors the process keeps (service/corridor_state.py,
`StoredIdeas`), held as int8 codes with one scale per vector (domain/quantised.py) so a million
ideas take 0.39 GB rather than 1.5 GB; so that every path gives a text the same verdict, the engine
scores every text in that form (`Aligner.embed_scored`). This scores every case of the dev corridor data
(corridor*.jsonl in DATA_DIR, by default $HOSHIN_EVAL_DIR or ../shared/eval/dev) twice through the
same stored-vector path (`domain.nearest.align_stored`, the tiers of `judge_many`): once on the
float32 vectors, once on their int8 codes. It prints nDCG@10, AUC of core vs off and tier macro-F1
for both, how many ideas changed tier, and the largest change of z and of the ranking.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import auc, macro_f1, ndcg  # noqa: E402

from hoshin.domain.calibration import hubness  # noqa: E402
from hoshin.domain.explain import judge_many  # noqa: E402
from hoshin.domain.nearest import align_stored  # noqa: E402
from hoshin.domain.quantised import quantise  # noqa: E402
from hoshin.domain.text import boilerplate_words, strip_words  # noqa: E402
from hoshin.service.alignment import Aligner  # noqa: E402

TIER = {0: 2, 1: 1, 2: 0}  # tier code (core, adjacent, off) -> grade scale


def scored(aligner: Aligner, mission: str, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z, scores, tier codes) on float32 vectors and the same on int8 codes, stacked as rows 0/1."""
    model = aligner.mission_model(mission)
    drop = boilerplate_words(texts + [mission])
    prepared = aligner.prepare(model, drop)
    vectors = aligner.embed([strip_words(t, drop) for t in texts])
    hub = hubness(vectors, aligner.background, aligner.params.hub_k).astype(np.float32)
    out = []
    for held in (vectors, quantise(vectors)):
        result = align_stored(
            held, hub, prepared, aligner.background, aligner.params, background_hub=aligner.background_hub
        )
        scores, tiers = judge_many(
            result.z, aligner.thresholds, result.exclusion_z, len(prepared.exclusion_names) > 0
        )
        out.append((np.asarray(result.z), scores, tiers))
    return tuple(np.stack(part) for part in zip(*out, strict=True))  # type: ignore[return-value]


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HOSHIN_EVAL_DIR", default))
    paths = sorted(glob.glob(str(folder / "corridor*.jsonl")))
    if not paths:
        print(f"no corridor*.jsonl at {folder}; pass a folder or set HOSHIN_EVAL_DIR", file=sys.stderr)
        return 2
    aligner = Aligner()
    names = ("float32", "int8")
    nd: dict[str, list[float]] = {n: [] for n in names}
    au: dict[str, list[float]] = {n: [] for n in names}
    truth: list[int] = []
    pred: dict[str, list[int]] = {n: [] for n in names}
    changed = total = 0
    worst_z = 0.0
    same_order = 0
    cases = 0
    for path in paths:
        for line in open(path, encoding="utf-8"):
            case = json.loads(line)
            grades = [item["grade"] for item in case["items"]]
            z, scores, tiers = scored(aligner, case["mission"], [item["text"] for item in case["items"]])
            for k, name in enumerate(names):
                order = np.argsort(-scores[k], kind="stable")
                nd[name].append(ndcg([grades[j] for j in order], grades, 10))
                au[name].append(
                    auc(
                        [s for s, g in zip(scores[k], grades, strict=True) if g == 2],
                        [s for s, g in zip(scores[k], grades, strict=True) if g == 0],
                    )
                )
                pred[name] += [TIER[int(t)] for t in tiers[k]]
            truth += grades
            changed += int((tiers[0] != tiers[1]).sum())
            total += len(grades)
            worst_z = max(worst_z, float(np.abs(z[0] - z[1]).max()))
            ranks = [np.argsort(-z[k], kind="stable") for k in range(2)]
            same_order += int(np.array_equal(*ranks))
            cases += 1
    for name in names:
        print(
            f"{name:8s} ndcg@10={np.mean(nd[name]):.4f}  auc={np.nanmean(au[name]):.4f}  "
            f"tier_macro_f1={macro_f1(truth, pred[name], [0, 1, 2]):.4f}"
        )
    print(
        f"ideas whose tier changed: {changed} of {total}; largest |z change| {worst_z:.4f}; "
        f"cases with an identical ranking: {same_order} of {cases}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
