"""Precision and recall of mission component detection on eval/components_set.jsonl.

Usage:  python eval/eval_components.py [--embedder minilm|hashing] [--errors]

Each line of the set is {"id", "text", "components": [names present]}, labelled by hand. The script
prints, per component, how many statements state it (support), precision, recall and F1, then the
micro average over all components; --errors lists every disagreement to help improve the word lists.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hoshin.domain.mission_analysis import COMPONENTS
from hoshin.embedding import create_embedder
from hoshin.service.texts import analyze_missions

SET = Path(__file__).with_name("components_set.jsonl")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    parser.add_argument("--errors", action="store_true", help="list every wrong call")
    args = parser.parse_args()
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [{"id": item["id"], "text": item["text"]} for item in items]
    results = analyze_missions(rows, create_embedder(args.embedder), with_themes=False)
    totals = {"tp": 0, "fp": 0, "fn": 0}
    print(f"{len(items)} statements\n")
    print(f"{'component':<14}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name in COMPONENTS:
        tp = fp = fn = 0
        for item, result in zip(items, results, strict=True):
            truth = name in item["components"]
            said = result["components"][name]["present"]
            tp += truth and said
            fp += said and not truth
            fn += truth and not said
            if args.errors and truth != said:
                kind = "missed" if truth else "false "
                evidence = result["components"][name]["evidence"]
                print(f"  {kind} {name:<13} {item['id']}: {item['text'][:70]!r}  evidence={evidence!r}")
        for key, value in (("tp", tp), ("fp", fp), ("fn", fn)):
            totals[key] += value
        print(f"{name:<14}{tp + fn:>8}{_ratio(tp, tp + fp):>11}{_ratio(tp, tp + fn):>8}{_f1(tp, fp, fn):>7}")
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    print(f"{'micro':<14}{tp + fn:>8}{_ratio(tp, tp + fp):>11}{_ratio(tp, tp + fn):>8}{_f1(tp, fp, fn):>7}")
    return 0


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "-"


def _f1(tp: int, fp: int, fn: int) -> str:
    return f"{2 * tp / (2 * tp + fp + fn):.2f}" if tp else "0.00"


if __name__ == "__main__":
    sys.exit(main())
