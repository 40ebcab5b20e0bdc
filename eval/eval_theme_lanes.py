"""Which theme does each goal serve? The strategy map's lanes, measured on eval/theme_lanes_set.jsonl.

    .venv/bin/python eval/eval_theme_lanes.py

Each line of the set is an organisation written for this check: a mission statement and goals, each
goal with a phrase of the statement it serves. A goal is placed right when the theme it is put under
holds that phrase. Prints, per organisation and in all, the share placed right by:
- verdict: the theme of the goal's verdict (the mission row that scored it best), as the map did;
- closest: the theme row closest to the goal (calibrated z, the whole statement left out);
- distinct: each theme's closeness standardised over the organisation's goals, so a theme every
  goal is close to (the organisation's own product, say) does not take them all; what the map uses.
Chance is printed beside them (one over the number of themes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hoshin.domain.alignment import calibrated_rows
from hoshin.domain.theme_lanes import distinct_themes
from hoshin.service.alignment import Aligner

HERE = Path(__file__).resolve().parent


def main() -> int:
    aligner = Aligner()
    totals = {"verdict": 0, "closest": 0, "distinct": 0, "chance": 0.0, "goals": 0}
    for line in (HERE / "theme_lanes_set.jsonl").read_text().splitlines():
        org = json.loads(line)
        goals = [g for g, _ in org["goals"]]
        keys = [k.lower() for _, k in org["goals"]]
        model = aligner.mission_model(org["mission"])
        prepared = aligner.prepare(model)
        texts = {t.name: t.text.lower() for t in model.themes}
        verdicts = aligner.score(model, goals)
        z = calibrated_rows(aligner.embed(goals), prepared.vectors, aligner.background)
        names = list(prepared.names)
        closest = [names[1 + int(row[1:].argmax())] for row in z]
        lanes = distinct_themes(z[:, 1:], names[1:])
        picks = {"verdict": [v.theme for v in verdicts], "closest": closest, "distinct": lanes}
        right = {
            how: sum(key in texts.get(name, "") for name, key in zip(chosen, keys))
            for how, chosen in picks.items()
        }
        chance = len(goals) / max(1, len(texts))
        print(
            f"{org['org']:<10} goals {len(goals):>3}  themes {len(texts)}  "
            + "  ".join(f"{how} {right[how]:>2}" for how in picks)
            + f"  chance {chance:.1f}"
        )
        for how in picks:
            totals[how] += right[how]
        totals["chance"] += chance
        totals["goals"] += len(goals)
    n = totals["goals"]
    print(
        f"{'all':<10} goals {n:>3}            "
        + "  ".join(f"{how} {totals[how] / n:.2f}" for how in ("verdict", "closest", "distinct"))
        + f"  chance {totals['chance'] / n:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
