"""Which mission theme a goal serves, for the strategy map's lanes and the units x themes heatmap.

The theme a goal scores best against is the wrong question for a map: every goal of a refrigerator
maker is closest to "reliable, energy-saving refrigerators", because every goal is about
refrigerators. A lane should hold the goals a theme sets apart from the others. So each theme's
closeness is standardised over the organisation's own goals (how much closer than usual this goal is
to this theme), and a goal goes to the theme where it stands out most. A goal that stands out for no
theme (every standardised closeness below zero) serves the mission as a whole.

With few goals the spread of a theme's closeness says little, so below `MIN_GOALS` goals the plain
closeness decides.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["MIN_GOALS", "distinct_themes"]

MIN_GOALS = 6  # below this, a theme's spread over the goals is too noisy to standardise by
_SPREAD_FLOOR = 0.05  # a theme every goal is equally close to would otherwise divide by ~0


def distinct_themes(closeness: np.ndarray, names: Sequence[str], whole: str | None = None) -> list[str]:
    """The theme each goal serves: `closeness` is (goals, theme rows), `names` the theme of each row
    (a theme may own several rows; its best row counts). Returns one name per goal, or `whole` for a
    goal no theme sets apart (None: always a theme)."""
    if closeness.shape[1] != len(names):
        raise ValueError(f"{closeness.shape[1]} theme rows for {len(names)} names")
    themes = list(dict.fromkeys(names))
    if not len(closeness) or not themes:
        return [whole or "" for _ in range(len(closeness))]
    per_theme = np.stack(
        [closeness[:, [j for j, n in enumerate(names) if n == theme]].max(axis=1) for theme in themes], axis=1
    )
    if len(per_theme) < MIN_GOALS:
        return [themes[int(k)] for k in per_theme.argmax(axis=1)]
    spread = np.maximum(per_theme.std(axis=0), _SPREAD_FLOOR)
    standing = (per_theme - per_theme.mean(axis=0)) / spread
    best = standing.argmax(axis=1)
    return [whole if whole is not None and standing[i, k] < 0 else themes[int(k)] for i, k in enumerate(best)]
