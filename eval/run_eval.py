"""Quality of the engine on labelled data: prints the numbers the README and issue notes quote.

    .venv/bin/python eval/run_eval.py [DATA_DIR]

DATA_DIR defaults to $HOSHIN_EVAL_DIR, else ../shared/eval/dev beside the repository. The data is
read from there and never copied into the product. Prints, next to raw cosine of the same model:
- corridor*.jsonl: nDCG@10, AUC of core vs off, tier macro-F1 (with the shipped thresholds);
- cascade*.jsonl: top-1 accuracy and MRR of parent suggestions;
- knowledge*.jsonl: nDCG@5 and Spearman of knowledge ranking;
- acceptance-cases.json: pass/fail of every case.
"""

from __future__ import annotations

import glob
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import auc, macro_f1, ndcg, spearman  # noqa: E402

from hoshin.service.alignment import Aligner  # noqa: E402
from hoshin.service.batch import link_goals, rank_knowledge, triage  # noqa: E402

TIER = {"core": 2, "adjacent": 1, "off": 0}


def corridor(aligner: Aligner, path: str) -> str:
    nd, au, raw_nd, raw_au, truth, pred = [], [], [], [], [], []
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        grade = {i["id"]: i["grade"] for i in case["items"]}
        rows = [{"id": i["id"], "text": i["text"]} for i in case["items"]]
        out = triage(aligner, case["mission"], rows)
        nd.append(ndcg([grade[r["id"]] for r in out], list(grade.values()), 10))
        au.append(
            auc(
                [r["score"] for r in out if grade[r["id"]] == 2],
                [r["score"] for r in out if grade[r["id"]] == 0],
            )
        )
        truth += [grade[r["id"]] for r in out]
        pred += [TIER[r["tier"]] for r in out]
        m = aligner.embed([case["mission"]])[0]
        sims = aligner.embed([i["text"] for i in case["items"]]) @ m
        order = np.argsort(-sims)
        grades = [case["items"][j]["grade"] for j in order]
        raw_nd.append(ndcg(grades, list(grade.values()), 10))
        raw_au.append(
            auc(
                [s for s, i in zip(sims, case["items"]) if i["grade"] == 2],
                [s for s, i in zip(sims, case["items"]) if i["grade"] == 0],
            )
        )
    return (
        f"ndcg@10={np.mean(nd):.3f} (raw {np.mean(raw_nd):.3f})  auc={np.nanmean(au):.3f} "
        f"(raw {np.nanmean(raw_au):.3f})  tier_macro_f1={macro_f1(truth, pred, [0, 1, 2]):.3f}"
    )


def cascade(aligner: Aligner, path: str) -> str:
    parts = []
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        truth = {c["id"]: c["parent"] for c in case["children"]}
        rows = [{"id": p["id"], "text": p["text"], "level": "1", "parent_id": ""} for p in case["parents"]]
        rows += [{"id": c["id"], "text": c["text"], "level": "2", "parent_id": ""} for c in case["children"]]
        out = link_goals(aligner, rows)
        acc, rr = [], []
        for r in out:
            ids = [s["id"] for s in r["suggestions"]]
            acc.append(ids[:1] == [truth[r["id"]]])
            rr.append(1 / (ids.index(truth[r["id"]]) + 1))
        pv = aligner.embed([p["text"] for p in case["parents"]])
        cv = aligner.embed([c["text"] for c in case["children"]])
        order = np.argsort(-(cv @ pv.T), axis=1)
        pids = [p["id"] for p in case["parents"]]
        raw_ranks = [
            [pids[j] for j in order[i]].index(truth[c["id"]]) for i, c in enumerate(case["children"])
        ]
        parts.append(
            f"{case['id']}: acc@1={np.mean(acc):.3f} (raw {np.mean([r == 0 for r in raw_ranks]):.3f})  "
            f"mrr={np.mean(rr):.3f} (raw {np.mean([1 / (r + 1) for r in raw_ranks]):.3f})"
        )
    return " | ".join(parts)


def knowledge(aligner: Aligner, path: str) -> str:
    nd, rho, raw_nd, raw_rho = [], [], [], []
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        imp = case["importance"]
        gain = {k: max(0.0, v - 1.0) for k, v in imp.items()}
        out = rank_knowledge(aligner, case["mission"], case["areas"])
        nd.append(ndcg([gain[r["id"]] for r in out], list(gain.values()), 5))
        rho.append(spearman([imp[r["id"]] for r in out], [r["score"] for r in out]))
        m = aligner.embed([case["mission"]])[0]
        sims = aligner.embed([f"{a['name']}: {a['description']}" for a in case["areas"]]) @ m
        order = np.argsort(-sims)
        raw_nd.append(ndcg([gain[case["areas"][j]["id"]] for j in order], list(gain.values()), 5))
        raw_rho.append(spearman([imp[a["id"]] for a in case["areas"]], list(sims)))
    return (
        f"ndcg@5={np.mean(nd):.3f} (raw {np.mean(raw_nd):.3f})  "
        f"spearman={np.nanmean(rho):.3f} (raw {np.nanmean(raw_rho):.3f})"
    )


def acceptance(aligner: Aligner, path: str) -> list[tuple[str, bool, str]]:
    from acceptance import run_acceptance

    return run_acceptance(aligner, json.load(open(path, encoding="utf-8")))


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HOSHIN_EVAL_DIR", default))
    if not folder.is_dir():
        print(f"no evaluation data at {folder}; pass a folder or set HOSHIN_EVAL_DIR", file=sys.stderr)
        return 2
    aligner = Aligner()
    for task, fn in (("corridor", corridor), ("cascade", cascade), ("knowledge", knowledge)):
        for path in sorted(glob.glob(str(folder / f"{task}*.jsonl"))):
            print(f"{os.path.basename(path)}: {fn(aligner, path)}", flush=True)
    cases = folder / "acceptance-cases.json"
    if cases.exists():
        results = acceptance(aligner, str(cases))
        passed = sum(ok for _, ok, _ in results)
        for name, ok, detail in results:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}{'' if ok else '  -- ' + detail}")
        print(f"acceptance: {passed}/{len(results)} passed")
    return 0


if __name__ == "__main__":
    math.isfinite(0.0)
    raise SystemExit(main())
