"""What an organisation's examples of a principle add to the principles check, measured by holding out.

Usage:  python eval/eval_principle_examples.py [--set FILE ...] [--seeds 5] [--close 0.55 0.6 ...]

For every principle of a labelled set (eval/principles_*.jsonl), a few of its rows labelled
contradicts and supports are drawn at random as the organisation's examples (3 of each, the pool);
the principle's other rows are the texts. The same texts are checked with 0, 1 and 3 examples of each
stance (the first 1 or 3 of the pool), so the three figures compare like with like; each figure is
the mean over --seeds draws. Printed per set: precision and recall of contradicts, and accuracy over
the three labels, for every example threshold given (--close), beside the check without examples.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from hoshin.service import texts
from hoshin.service.texts import check_principles, default_embedder

SETS = [
    Path(__file__).with_name(name)
    for name in ("principles_set.jsonl", "principles_fields.jsonl", "principles_heldout.jsonl")
]


def _scores(items: list[dict], verdicts: dict[str, str]) -> tuple[float, float, float]:
    tp = sum(1 for i in items if i["label"] == "contradicts" and verdicts[i["id"]] == "contradicts")
    said = sum(1 for i in items if verdicts[i["id"]] == "contradicts")
    truth = sum(1 for i in items if i["label"] == "contradicts")
    accuracy = sum(1 for i in items if verdicts[i["id"]] == i["label"]) / len(items)
    return (tp / said if said else 0.0), (tp / truth if truth else 0.0), accuracy


def _draw(items: list[dict], seed: int, pool: int) -> tuple[dict[str, list[dict]], list[dict]]:
    """Per principle, `pool` examples of each stance drawn from its rows; the rows left are texts."""
    rng = random.Random(seed)
    by_principle: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_principle[item["principle"]].append(item)
    examples: dict[str, list[dict]] = {}
    left: list[dict] = []
    for principle, rows in by_principle.items():
        drawn: list[dict] = []
        for stance in ("contradicts", "supports"):
            labelled = [r for r in rows if r["label"] == stance]
            rng.shuffle(labelled)
            drawn += labelled[:pool]
        examples[principle] = drawn
        left += [r for r in rows if r not in drawn]
    return examples, left


def _verdicts(texts_left: list[dict], examples: dict[str, list[dict]], per_stance: int, embedder) -> dict:
    verdicts: dict[str, str] = {}
    for principle in dict.fromkeys(i["principle"] for i in texts_left):
        pool = examples.get(principle, [])
        chosen = [
            e for s in ("contradicts", "supports") for e in [p for p in pool if p["label"] == s][:per_stance]
        ]
        row = {
            "id": "p",
            "text": principle,
            "examples": [{"text": e["text"], "stance": e["label"]} for e in chosen],
        }
        batch = [{"id": i["id"], "text": i["text"]} for i in texts_left if i["principle"] == principle]
        for result in check_principles(principle, [row], batch, embedder):
            verdicts[result["id"]] = result["verdict"]
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", type=Path)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--close", type=float, nargs="+", default=[texts.EXAMPLE_CLOSE])
    args = parser.parse_args()
    embedder = default_embedder(None)
    for path in args.sets or SETS:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"{path.name}: {len(items)} rows")
        totals: dict[tuple[float, int], list[tuple[float, float, float]]] = defaultdict(list)
        for seed in range(args.seeds):
            examples, left = _draw(items, seed, 3)
            for close in args.close:
                texts.EXAMPLE_CLOSE = close
                for k in (0, 1, 3):
                    if k == 0 and close != args.close[0]:
                        totals[(close, 0)].append(totals[(args.close[0], 0)][-1])
                        continue
                    totals[(close, k)].append(_scores(left, _verdicts(left, examples, k, embedder)))
        for close in args.close:
            cells = []
            for k in (0, 1, 3):
                runs = totals[(close, k)]
                p, r, a = (sum(x[i] for x in runs) / len(runs) for i in range(3))
                cells.append(f"k={k}: P {p:.2f} R {r:.2f} acc {a:.2f}")
            print(f"  close {close:.2f}  " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
