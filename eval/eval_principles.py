"""Precision and recall of "contradicts" in the principles check, against a raw-cosine baseline.

Usage:  python eval/eval_principles.py [--embedder minilm|hashing] [--errors]

eval/principles_set.jsonl holds hand-labelled text-principle pairs
({"id", "principle", "text", "style", "label": contradicts/supports/unrelated}), balanced over the
three labels and written in several styles (goals, ideas, memos, press releases, ads, social posts)
for ten principles of ten kinds of organisation.

The baseline calls a pair "contradicts" when the cosine similarity of text and principle reaches a
threshold; it is given its best threshold on this very set (an optimistic baseline), and its
precision at the threshold where recall first reaches 0.7 is printed too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from hoshin.service.texts import check_principles, default_embedder

SET = Path(__file__).with_name("principles_set.jsonl")


def _prf(truth: list[bool], said: list[bool]) -> tuple[float, float, float]:
    tp = sum(t and s for t, s in zip(truth, said, strict=True))
    fp = sum(s and not t for t, s in zip(truth, said, strict=True))
    fn = sum(t and not s for t, s in zip(truth, said, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    parser.add_argument("--errors", action="store_true", help="list every wrong call")
    args = parser.parse_args()
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = default_embedder(args.embedder)
    verdicts: dict[str, str] = {}
    for principle in dict.fromkeys(item["principle"] for item in items):
        # Each text is checked against its own principle only, all texts of a principle in one batch.
        rows = [{"id": i["id"], "text": i["text"]} for i in items if i["principle"] == principle]
        for result in check_principles(principle, [{"id": "p", "text": principle}], rows, embedder):
            verdicts[result["id"]] = result["verdict"]
    said = [verdicts[item["id"]] for item in items]
    truth = [item["label"] == "contradicts" for item in items]
    p, r, f = _prf(truth, [s == "contradicts" for s in said])
    accuracy = sum(s == item["label"] for s, item in zip(said, items, strict=True)) / len(items)
    print(f"{len(items)} pairs ({sum(truth)} contradicts), embedder {embedder.model_id}\n")
    print(f"{'method':<28}{'precision':>10}{'recall':>8}{'F1':>7}")
    print(f"{'principles check':<28}{p:>10.2f}{r:>8.2f}{f:>7.2f}   3-way accuracy {accuracy:.2f}")

    vectors = embedder.embed([i["principle"] for i in items] + [i["text"] for i in items])
    cosines = np.sum(vectors[: len(items)] * vectors[len(items) :], axis=1)
    best = max(((*_prf(truth, list(cosines >= t)), t) for t in np.unique(cosines)), key=lambda x: x[2])
    bp, br, bf, bt = best
    print(f"{'raw cosine, best threshold':<28}{bp:>10.2f}{br:>8.2f}{bf:>7.2f}   (t={bt:.3f})")
    at_recall = [(_prf(truth, list(cosines >= t)), t) for t in sorted(np.unique(cosines), reverse=True)]
    reach = next(((prf, t) for prf, t in at_recall if prf[1] >= 0.7), None)
    if reach:
        (bp, br, bf), t = reach
        print(f"{'raw cosine at recall 0.7':<28}{bp:>10.2f}{br:>8.2f}{bf:>7.2f}   (t={t:.3f})")

    by_style = []
    for style in sorted({i["style"] for i in items}):
        picked = [n for n, i in enumerate(items) if i["style"] == style]
        recall = _prf([truth[n] for n in picked], [said[n] == "contradicts" for n in picked])[1]
        by_style.append(f"{style} {recall:.2f}")
    print("\nrecall of contradicts by style: " + ", ".join(by_style))
    if args.errors:
        print()
        for item, verdict in zip(items, said, strict=True):
            if verdict != item["label"]:
                label = f"{item['label']:>11} said {verdict:<11}"
                print(f"  {item['id']} {label} {item['principle']!r}: {item['text']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
