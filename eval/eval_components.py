"""Precision and recall of mission component detection on hand-labelled statements.

Usage:  python eval/eval_components.py [--set all|tuning|heldout|heldout2..heldout8|PATH]
                                      [--embedder minilm|hashing] [--errors] [--rules-only]

Each line of a set is {"id", "text", "components": [names present], "unclear": [names]}, labelled by
hand. Components listed in "unclear" (a reasonable reader could say either) are not scored; every
other component is a clear label, present or absent. Nine sets: components_set.jsonl, which the word
lists were improved against; components_heldout.jsonl, written later in the style of published
statements (idioms such as "in business", "home planet", "family-owned", "on the market"), whose
errors showed which kinds of reading were missing (the role reading of component_roles came from
them); components_heldout2.jsonl, written after that change. The errors of heldout and heldout2
were later studied too (readings of the people acted on, of who uses what is offered, staff as
people, cue words checked against their written forms), so both are tuning data now;
components_heldout3.jsonl was written before that work and only its totals were looked at;
components_heldout4.jsonl (46 statements of many fields and styles, written before the reading of
trades, verbless slogans and cue words by position) likewise: totals only. Both were then studied
(staff, ownership, one-of-a-kind claims, creeds), so they are tuning data too;
components_heldout5.jsonl (46 statements of charities, public bodies, universities, co-ops, trades,
tech and heavy industry) was written before that work and only its totals were looked at; its
errors were read in the third pass (verbs by position, training offered, staff by trade), so it is
tuning data too. components_heldout6.jsonl (45 statements) was written before that pass; its
errors were read in the fourth pass (aims, staff named where customers stand, giving and keeping
verbs, cues inside hyphenated words), so it is tuning data too.
components_heldout7.jsonl (48 statements of water boards, universities, hospitals, co-ops, banks,
libraries, councils, charities, software and makers) was written before the fourth pass; its errors
were read in the fifth pass (duties to the world by structure, others' growth, the business one
builds), so it is tuning data too.
components_heldout8.jsonl (46 statements of seed breeders, shipping and ferry lines, broadcasters,
sports federations, tribunals and courts, think tanks, zoos, funeral directors, cement, forestry,
postal, weather, lottery, statistics, auction, tyre, winery, news agency and archives) was written
before the fifth pass; only its totals are looked at (read three times: before and after the fifth
pass, and once for the learned layer).
With MiniLM the learned component layer (domain/component_meaning.py, fitted by
eval/fit_component_meaning.py on every set but heldout8) is on; --rules-only measures the rules alone.
The script prints, per component, support, precision, recall and F1, the micro average, and how
many clear labels are wrong; --errors lists every disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hoshin.domain.mission_analysis import COMPONENTS
from hoshin.embedding import create_embedder
from hoshin.service.texts import analyze_missions

SETS = {
    "tuning": Path(__file__).with_name("components_set.jsonl"),
    "heldout": Path(__file__).with_name("components_heldout.jsonl"),
    "heldout2": Path(__file__).with_name("components_heldout2.jsonl"),
    "heldout3": Path(__file__).with_name("components_heldout3.jsonl"),
    "heldout4": Path(__file__).with_name("components_heldout4.jsonl"),
    "heldout5": Path(__file__).with_name("components_heldout5.jsonl"),
    "heldout6": Path(__file__).with_name("components_heldout6.jsonl"),
    "heldout7": Path(__file__).with_name("components_heldout7.jsonl"),
    "heldout8": Path(__file__).with_name("components_heldout8.jsonl"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    parser.add_argument("--errors", action="store_true", help="list every wrong call")
    parser.add_argument("--rules-only", action="store_true", help="without the learned component layer")
    parser.add_argument("--set", default="all", help="all (default), tuning, heldout or a path")
    args = parser.parse_args()
    embedder = create_embedder(args.embedder)
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        path = SETS.get(name, Path(name))
        print(f"== {name}: {path.name}")
        evaluate(path, embedder, args.errors, not args.rules_only)
        print()
    return 0


def evaluate(path: Path, embedder: object, errors: bool, layer: bool = True) -> None:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [{"id": item["id"], "text": item["text"]} for item in items]
    results = analyze_missions(rows, embedder, with_themes=False, component_layer=True if layer else None)  # type: ignore[arg-type]
    totals = {"tp": 0, "fp": 0, "fn": 0}
    print(f"{len(items)} statements\n")
    print(f"{'component':<14}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name in COMPONENTS:
        tp = fp = fn = 0
        for item, result in zip(items, results, strict=True):
            if name in item.get("unclear", ()):
                continue
            truth = name in item["components"]
            said = result["components"][name]["present"]
            tp += truth and said
            fp += said and not truth
            fn += truth and not said
            if errors and truth != said:
                kind = "missed" if truth else "false "
                evidence = result["components"][name]["evidence"]
                print(f"  {kind} {name:<13} {item['id']}: {item['text'][:70]!r}  evidence={evidence!r}")
        for key, value in (("tp", tp), ("fp", fp), ("fn", fn)):
            totals[key] += value
        print(f"{name:<14}{tp + fn:>8}{_ratio(tp, tp + fp):>11}{_ratio(tp, tp + fn):>8}{_f1(tp, fp, fn):>7}")
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    print(f"{'micro':<14}{tp + fn:>8}{_ratio(tp, tp + fp):>11}{_ratio(tp, tp + fn):>8}{_f1(tp, fp, fn):>7}")
    clear = sum(len(COMPONENTS) - len(item.get("unclear", ())) for item in items)
    print(f"clear labels wrong: {fp + fn} of {clear}")


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "-"


def _f1(tp: int, fp: int, fn: int) -> str:
    return f"{2 * tp / (2 * tp + fp + fn):.2f}" if tp else "0.00"


if __name__ == "__main__":
    sys.exit(main())
