"""Parent linking on the demo organisation's own goal tree (truth: the parents it was written with).

    .venv/bin/python eval/eval_parent_linking.py

Prints top-1 accuracy and MRR of `cascade link` next to raw cosine of child against parent texts.
Goals planted with a weak or missing parent are left out (their given parent is wrong on purpose).
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np

from hoshin.service.alignment import Aligner
from hoshin.service.batch import link_goals

PLANTED_WRONG = {"G-SA2", "G-MF3", "G-MK1"}


def main() -> None:
    data = json.loads(resources.files("hoshin.data").joinpath("demo/organisation.json").read_text("utf-8"))
    goals = data["goals"]
    truth = {g["id"]: set(g["parent_ids"]) for g in goals if g["parent_ids"] and g["id"] not in PLANTED_WRONG}
    rows = [
        {"id": g["id"], "text": g["text"], "level": str(g["level"]), "parent_id": "", "unit": g["unit_id"]}
        for g in goals
    ]
    aligner = Aligner()
    out = {r["id"]: [s["id"] for s in r["suggestions"]] for r in link_goals(aligner, rows)}
    vectors = dict(zip([g["id"] for g in goals], aligner.embed([g["text"] for g in goals])))
    by_level: dict[int, list[str]] = {}
    for g in goals:
        by_level.setdefault(g["level"], []).append(g["id"])
    level = {g["id"]: g["level"] for g in goals}
    acc, rr, raw_acc, raw_rr = [], [], [], []
    for gid, parents in truth.items():
        ranked = out[gid]
        first = next(i for i, p in enumerate(ranked) if p in parents)
        acc.append(first == 0)
        rr.append(1 / (first + 1))
        candidates = by_level[level[gid] - 1]
        sims = [float(vectors[gid] @ vectors[c]) for c in candidates]
        raw_ranked = [candidates[i] for i in np.argsort(sims)[::-1]]
        raw_first = next(i for i, p in enumerate(raw_ranked) if p in parents)
        raw_acc.append(raw_first == 0)
        raw_rr.append(1 / (raw_first + 1))
    print(
        f"demo goal tree ({len(truth)} goals): acc@1={np.mean(acc):.3f} (raw {np.mean(raw_acc):.3f})  "
        f"mrr={np.mean(rr):.3f} (raw {np.mean(raw_rr):.3f})"
    )


if __name__ == "__main__":
    main()
