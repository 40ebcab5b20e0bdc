"""Quality of the engine on labelled data: prints the numbers the README and issue notes quote.

    .venv/bin/python eval/run_eval.py [FOLDER_OR_SOURCE ...]

With no argument it evaluates every source it finds: the development data ../shared/eval/dev beside
the repository (labelled "dev"; $HOSHIN_EVAL_DIR names another folder for it) and each folder
eval/sets/<source>/ (built from public data, see eval/sets/README.md). An argument is either a folder
or the name of a source under eval/sets. The data is read from there and never copied into the
product. Prints one line per file, prefixed by its source, each metric next to raw cosine of the
same model:
- corridor*.jsonl: nDCG@10, AUC of core vs off, tier macro-F1 (shipped thresholds; beside it raw
  cosine's macro-F1 with the best two global thresholds picked after the fact, an oracle); then
  tier macro-F1 with 1, 3 and 5 reviewer examples per tier (eval_examples.py) beside zero-shot, and
  what one wrong example per tier does;
- cascade*.jsonl: top-1 accuracy and MRR of parent suggestions, per hierarchy;
- knowledge*.jsonl: nDCG@5 (gain = importance - 1) and Spearman of knowledge ranking;
- acceptance-cases.json: pass/fail of every case.
Then a table, source x task, ours/raw, with "!" where ours is below raw cosine.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_examples import examples_line  # noqa: E402
from metrics import auc, macro_f1, ndcg, spearman  # noqa: E402

from hoshin.service.alignment import Aligner  # noqa: E402
from hoshin.service.batch import link_goals, rank_knowledge, triage  # noqa: E402

TIER = {"core": 2, "adjacent": 1, "off": 0}
HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "eval" / "dev"
SETS = HERE / "sets"


@dataclass
class Result:
    """One file's numbers: metric -> list of (ours, raw), one pair per file or per hierarchy."""

    line: str
    pairs: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


def oracle_tier_f1(sims: list[float], grades: list[int]) -> float:
    """Raw cosine's tier macro-F1 with the best two global thresholds (picked after the fact)."""
    s, g = np.asarray(sims, float), np.asarray(grades)
    cuts = np.unique(np.quantile(s, np.linspace(0.0, 1.0, 161)))
    best = 0.0
    for i, lo in enumerate(cuts):
        for hi in cuts[i:]:
            pred = np.where(s >= hi, 2, np.where(s >= lo, 1, 0))
            f1s = []
            for label in (0, 1, 2):
                tp = np.sum((g == label) & (pred == label))
                fp = np.sum((g != label) & (pred == label))
                fn = np.sum((g == label) & (pred != label))
                f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
            best = max(best, float(np.mean(f1s)))
    return best


def corridor(aligner: Aligner, path: str) -> Result:
    nd, au, raw_nd, raw_au, truth, pred, raw_sims, raw_grades = [], [], [], [], [], [], [], []
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
        raw_sims += [float(s) for s in sims]
        raw_grades += [i["grade"] for i in case["items"]]
    ours = {"ndcg": float(np.mean(nd)), "auc": float(np.nanmean(au))}
    raw = {"ndcg": float(np.mean(raw_nd)), "auc": float(np.nanmean(raw_au))}
    return Result(
        f"ndcg@10={ours['ndcg']:.3f} (raw {raw['ndcg']:.3f}){_mark(ours['ndcg'], raw['ndcg'])}  "
        f"auc={ours['auc']:.3f} (raw {raw['auc']:.3f}){_mark(ours['auc'], raw['auc'])}  "
        f"tier_macro_f1={macro_f1(truth, pred, [0, 1, 2]):.3f} "
        f"(raw, best thresholds after the fact {oracle_tier_f1(raw_sims, raw_grades):.3f})",
        {k: [(ours[k], raw[k])] for k in ours},
    )


def cascade(aligner: Aligner, path: str) -> Result:
    parts, pairs = [], {"acc": [], "mrr": []}
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
        a, ra = float(np.mean(acc)), float(np.mean([r == 0 for r in raw_ranks]))
        m, rm = float(np.mean(rr)), float(np.mean([1 / (r + 1) for r in raw_ranks]))
        pairs["acc"].append((a, ra))
        pairs["mrr"].append((m, rm))
        parts.append(
            f"{case['id']}: acc@1={a:.3f} (raw {ra:.3f}){_mark(a, ra)}  "
            f"mrr={m:.3f} (raw {rm:.3f}){_mark(m, rm)}"
        )
    return Result(" | ".join(parts), pairs)


def knowledge(aligner: Aligner, path: str) -> Result:
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
    ours = {"ndcg": float(np.mean(nd)), "spearman": float(np.nanmean(rho))}
    raw = {"ndcg": float(np.mean(raw_nd)), "spearman": float(np.nanmean(raw_rho))}
    rho_o, rho_r = ours["spearman"], raw["spearman"]
    return Result(
        f"ndcg@5={ours['ndcg']:.3f} (raw {raw['ndcg']:.3f}){_mark(ours['ndcg'], raw['ndcg'])}  "
        f"spearman={rho_o:.3f} (raw {rho_r:.3f}){_mark(rho_o, rho_r)}",
        {k: [(ours[k], raw[k])] for k in ours},
    )


def _mark(ours: float, raw: float) -> str:
    return " !" if ours < raw else ""


def acceptance(aligner: Aligner, path: str) -> list[tuple[str, bool, str]]:
    from acceptance import run_acceptance

    return run_acceptance(aligner, json.load(open(path, encoding="utf-8")))


TASKS = (("corridor", corridor), ("cascade", cascade), ("knowledge", knowledge))
# The table's columns: (task, metric key, heading).
COLUMNS = (
    ("corridor", "ndcg", "corr nDCG@10"),
    ("corridor", "auc", "corr AUC"),
    ("cascade", "acc", "link acc@1"),
    ("cascade", "mrr", "link MRR"),
    ("knowledge", "ndcg", "know nDCG@5"),
    ("knowledge", "spearman", "know rho"),
)


def sources(args: list[str]) -> list[tuple[str, Path]]:
    if not args:
        found = []
        dev = Path(os.environ.get("HOSHIN_EVAL_DIR", DEV))
        if dev.is_dir():
            found.append(("dev", dev))
        found += [(p.name, p) for p in sorted(SETS.iterdir()) if p.is_dir()] if SETS.is_dir() else []
        return found
    out = []
    for arg in args:
        path = Path(arg) if Path(arg).is_dir() else SETS / arg
        if not path.is_dir():
            raise SystemExit(f"no evaluation data at {arg} (neither a folder nor a source in {SETS})")
        name = "dev" if path.resolve() == DEV.resolve() else path.name
        out.append((name, path))
    return out


def table(summary: dict[str, dict[str, dict[str, list[tuple[float, float]]]]]) -> list[str]:
    """Source x task, ours/raw; over several files or hierarchies the mean, marked "!" where ours
    is below raw in any of them."""
    width = max([len(s) for s in summary] + [6])
    lines = [f"{'source':<{width}}  " + "  ".join(f"{h:<14}" for _, _, h in COLUMNS).rstrip()]
    for source, tasks in summary.items():
        cells = []
        for task, key, _ in COLUMNS:
            pairs = tasks.get(task, {}).get(key, [])
            pairs = [(o, r) for o, r in pairs if not (np.isnan(o) or np.isnan(r))]
            if not pairs:
                cells.append(f"{'-':<14}")
                continue
            o, r = np.mean([p[0] for p in pairs]), np.mean([p[1] for p in pairs])
            mark = "!" if any(p[0] < p[1] for p in pairs) else " "
            cells.append(f"{o:.3f}/{r:.3f}{mark}".ljust(14))
        lines.append((f"{source:<{width}}  " + "  ".join(cells)).rstrip())
    lines.append('(ours/raw cosine; "!" = ours below raw on at least one file or hierarchy)')
    return lines


def main() -> int:
    found = sources(sys.argv[1:])
    if not found:
        print(f"no evaluation data: no {DEV} and no {SETS}/<source>; pass a folder", file=sys.stderr)
        return 2
    aligner = Aligner()
    summary: dict[str, dict[str, dict[str, list[tuple[float, float]]]]] = {}
    for name, folder in found:
        for task, fn in TASKS:
            for path in sorted(glob.glob(str(folder / f"{task}*.jsonl"))):
                result = fn(aligner, path)
                print(f"{name:<5} {os.path.basename(path)}: {result.line}", flush=True)
                if task == "corridor":
                    print(f"{name:<5} {os.path.basename(path)}: {examples_line(aligner, path)}", flush=True)
                per_task = summary.setdefault(name, {}).setdefault(task, {})
                for key, pairs in result.pairs.items():
                    per_task.setdefault(key, []).extend(pairs)
        cases = folder / "acceptance-cases.json"
        if cases.exists():
            results = acceptance(aligner, str(cases))
            passed = sum(ok for _, ok, _ in results)
            for case, ok, detail in results:
                print(f"  {'PASS' if ok else 'FAIL'}  {case}{'' if ok else '  -- ' + detail}")
            print(f"{name:<5} acceptance: {passed}/{len(results)} passed", flush=True)
    print()
    print("\n".join(table(summary)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
