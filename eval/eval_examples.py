"""How fast the corridor learns from a reviewer's examples, through the product's own triage.

For every graded corridor list, k = 1, 3, 5 items per grade become the reviewer's examples (three
random draws each) and `hoshin.service.batch.triage(..., examples=...)` judges the rest; the tier
macro-F1 is printed per k beside the zero-shot verdicts on the same rows (k = 0). Then the same
draws with k = 3, one example per tier given the wrong tier (as a careless reviewer would): the
report says how many verdicts that flipped against correct examples and what F1 it left.

    .venv/bin/python eval/eval_examples.py FILE [FILE ...]     (corridor*.jsonl)

run_eval.py calls `examples_line` for every corridor file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import macro_f1  # noqa: E402

from hoshin.domain.verdict import Tier  # noqa: E402
from hoshin.service.alignment import Aligner  # noqa: E402
from hoshin.service.batch import triage  # noqa: E402
from hoshin.service.corridor_examples import LabelledExample  # noqa: E402

GRADE = {"core": 2, "adjacent": 1, "off": 0}
TIER_OF = {2: Tier.CORE, 1: Tier.ADJACENT, 0: Tier.OFF}
KS = (1, 3, 5)
SEEDS = 3


def _draw(items: list[dict], k: int, seed: int) -> tuple[list[dict], list[dict]]:
    rng = np.random.default_rng(seed)
    chosen: set[int] = set()
    for grade in (0, 1, 2):
        members = [i for i, item in enumerate(items) if item["grade"] == grade]
        if len(members) > k:
            chosen.update(int(i) for i in rng.choice(members, k, replace=False))
    return [items[i] for i in sorted(chosen)], [it for i, it in enumerate(items) if i not in chosen]


def _tiers(aligner: Aligner, mission: str, rows: list[dict], examples: list[LabelledExample]) -> dict:
    out = triage(aligner, mission, [{"id": r["id"], "text": r["text"]} for r in rows], examples=examples)
    return {r["id"]: GRADE[r["tier"]] for r in out}


def _wrong(examples: list[dict], seed: int) -> list[LabelledExample]:
    """The examples with one per tier moved to another tier."""
    rng = np.random.default_rng(seed + 99)
    out, moved = [], set()
    for e in examples:
        grade = e["grade"]
        if grade not in moved:
            moved.add(grade)
            grade = int(rng.choice([g for g in (0, 1, 2) if g != grade]))
        out.append(LabelledExample(e["text"], TIER_OF[grade], e["id"]))
    return out


def examples_line(aligner: Aligner, path: str) -> str:
    truth: dict[int, list[int]] = {k: [] for k in (0, *KS)}
    pred: dict[int, list[int]] = {k: [] for k in (0, *KS)}
    noisy_truth, noisy_pred, flipped, judged = [], [], 0, 0
    for number, line in enumerate(open(path, encoding="utf-8")):
        case = json.loads(line)
        zero = _tiers(aligner, case["mission"], case["items"], [])
        for k in KS:
            for seed in range(SEEDS):
                given, rest = _draw(case["items"], k, 1000 * number + 10 * k + seed)
                examples = [LabelledExample(e["text"], TIER_OF[e["grade"]], e["id"]) for e in given]
                got = _tiers(aligner, case["mission"], rest, examples)
                truth[k] += [r["grade"] for r in rest]
                pred[k] += [got[r["id"]] for r in rest]
                if k == 1:  # zero-shot on the rows judged with examples, drawn as often
                    truth[0] += [r["grade"] for r in rest]
                    pred[0] += [zero[r["id"]] for r in rest]
                if k == 3:
                    bad = _tiers(aligner, case["mission"], rest, _wrong(given, seed))
                    noisy_truth += [r["grade"] for r in rest]
                    noisy_pred += [bad[r["id"]] for r in rest]
                    flipped += sum(bad[r["id"]] != got[r["id"]] for r in rest)
                    judged += len(rest)
    f1 = {k: macro_f1(truth[k], pred[k], [0, 1, 2]) for k in truth}
    per_k = "  ".join(f"k={k}: {f1[k]:.3f}" for k in KS)
    noisy = macro_f1(noisy_truth, noisy_pred, [0, 1, 2])
    return (
        f"examples tier_macro_f1 {per_k} (zero-shot {f1[0]:.3f}); "
        f"one wrong example per tier at k=3 flips {flipped / max(judged, 1):.1%} of verdicts, "
        f"F1 {noisy:.3f}"
    )


def main() -> int:
    aligner = Aligner()
    for path in sys.argv[1:]:
        print(f"{Path(path).name}: {examples_line(aligner, path)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
