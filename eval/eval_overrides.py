"""Do reviewer overrides make the corridor better for ideas nobody has reviewed yet?

Usage:  python eval/eval_overrides.py [--embedder minilm|hashing] [--folds 5] [--seed 0]

The demo organisation's ideas carry planted tiers (src/hoshin/data/demo/PLANTED.md: listed off
and adjacent ideas; every other idea is ordinary, i.e. core). A simulated reviewer reads the
ideas of the training folds and overrides the engine wherever it disagrees with the planted tier.
On the held-back fold we compare the engine's tiers (before) with the tiers after learning from
those overrides, two ways:

- vote: the nearest overridden ideas vote on the tier (what the app does);
- cuts: the score cut points refitted to every reviewed training idea (a global shift);
- both: the vote applied on top of the refitted cuts.

Accuracy is reported on all held-back ideas and on the held-back ideas the reviewer would have
overridden (where the engine was wrong: "before" is 0 there by construction).
"""

from __future__ import annotations

import argparse
import json
import re
from importlib import resources

import numpy as np

from hoshin.domain.override_calibration import Cuts, OverrideVote, fit_cuts, tier_for
from hoshin.embedding import create_embedder
from hoshin.service.alignment import Aligner

COLUMNS = ("before", "vote", "cuts", "both")
CASES = {"off ideas": "off", "adjacent ideas": "adjacent"}


def planted_tiers(ids: list[str]) -> dict[str, str]:
    text = resources.files("hoshin.data").joinpath("demo/PLANTED.md").read_text("utf-8")
    section = text.split("## Ideas", 1)[1].split("\n## ", 1)[0]
    tiers = dict.fromkeys(ids, "core")
    for line in section.splitlines():
        match = re.match(r"- \*\*(.+?)\*\*: (.+?) — ", line.strip())
        if match and match.group(1) in CASES:
            for idea_id in re.findall(r"`([^`]+)`", match.group(2)):
                tiers[idea_id] = CASES[match.group(1)]
    return tiers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-similarity", type=float, default=OverrideVote.min_similarity)
    args = parser.parse_args()

    org = json.loads(resources.files("hoshin.data").joinpath("demo/organisation.json").read_text("utf-8"))
    ideas = org["ideas"]
    ids = [i["id"] for i in ideas]
    truth = planted_tiers(ids)
    aligner = Aligner(create_embedder(args.embedder))
    mission = org["mission"]
    model = aligner.mission_model(mission["text"], mission["focus_areas"], mission["exclusions"])
    verdicts = aligner.score(model, [i["text"] for i in ideas])
    engine = [v.tier.value for v in verdicts]
    scores = [v.score for v in verdicts]
    vectors = aligner.embed([i["text"] for i in ideas])
    gold = [truth[i] for i in ids]

    rng = np.random.default_rng(args.seed)
    fold_of = rng.permutation(len(ids)) % args.folds
    tally = {name: [0, 0] for name in COLUMNS}  # [right, of]
    wrong_tally = {name: [0, 0] for name in COLUMNS}
    overrides_used = 0
    for fold in range(args.folds):
        train = np.flatnonzero(fold_of != fold)
        test = np.flatnonzero(fold_of == fold)
        overridden = [int(j) for j in train if engine[j] != gold[j]]
        overrides_used += len(overridden)
        vote = OverrideVote(
            vectors[overridden], tuple(gold[j] for j in overridden), min_similarity=args.min_similarity
        )
        voted = vote.apply(vectors[test], [engine[j] for j in test])
        cuts = fit_cuts([scores[j] for j in train], [gold[j] for j in train], base=Cuts())
        shifted = [tier_for(scores[j], cuts) for j in test]
        predictions = {
            "before": [engine[j] for j in test],
            "vote": [r.tier for r in voted],
            "cuts": shifted,
            "both": [r.tier for r in vote.apply(vectors[test], shifted)],
        }
        for name, predicted in predictions.items():
            for j, tier in zip(test, predicted, strict=True):
                tally[name][0] += tier == gold[j]
                tally[name][1] += 1
                if engine[j] != gold[j]:
                    wrong_tally[name][0] += tier == gold[j]
                    wrong_tally[name][1] += 1
        print(
            f"fold {fold + 1}: {len(overridden)} overrides to learn from, "
            f"cuts {cuts.core:.2f}/{cuts.adjacent:.2f}"
        )

    print(f"\n{len(ids)} demo ideas, {args.folds}-fold, embedder {args.embedder}")
    print(f"{'':28}" + "".join(f"{n:>8}" for n in COLUMNS))
    for label, table in (("all held-back ideas", tally), ("held-back overrides", wrong_tally)):
        cells = "".join(f"{table[n][0] / max(table[n][1], 1):8.3f}" for n in COLUMNS)
        name = f"{label} (n={table['before'][1]})"
        print(f"{name:28}{cells}")


if __name__ == "__main__":
    main()
