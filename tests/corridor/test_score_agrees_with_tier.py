"""A verdict's score, as people read it, agrees with its tier at the cut points (issue 24, item 4):
an idea just under the core cut point scored 0.6999 and read "adjacent (0.70)"."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.calibration import Thresholds
from hoshin.domain.explain import judge, judge_many, verdict_for
from hoshin.domain.verdict import Tier

THRESHOLDS = Thresholds(core=2.4, adjacent=1.1)
STEP = 1e-4
# z at and just around each cut point, and one under it by as little as a float allows.
NEAR = [
    THRESHOLDS.core - STEP,
    np.nextafter(THRESHOLDS.core, 0.0),
    THRESHOLDS.core,
    THRESHOLDS.core + STEP,
    THRESHOLDS.adjacent - STEP,
    np.nextafter(THRESHOLDS.adjacent, 0.0),
    THRESHOLDS.adjacent,
    THRESHOLDS.adjacent + STEP,
]
READS = {Tier.CORE: (0.70, 1.0), Tier.ADJACENT: (0.40, 0.69), Tier.OFF: (0.0, 0.39)}
CODES = {0: Tier.CORE, 1: Tier.ADJACENT, 2: Tier.OFF}


def reads_as_its_tier(score: float, tier: Tier) -> bool:
    low, high = READS[tier]
    return all(low <= float(shown) <= high for shown in (f"{score:.2f}", f"{round(score, 4)}"))


@pytest.mark.parametrize("z", NEAR)
def test_one_verdict_reads_as_its_tier_at_the_cut_points(z: float) -> None:
    score, tier, _ = judge(float(z), THRESHOLDS)
    assert reads_as_its_tier(score, tier), (z, score, tier)
    verdict = verdict_for("an idea", float(z), "theme", "theme text", THRESHOLDS).as_dict()
    assert reads_as_its_tier(verdict["score"], Tier(verdict["tier"]))


def test_a_batch_reads_as_its_tiers_and_keeps_the_tiers_and_the_order_elsewhere() -> None:
    z = np.array([*NEAR, -1.0, 0.5, 1.8, 3.5, 6.0])
    scores, tiers = judge_many(z, THRESHOLDS, np.full(len(z), -np.inf), has_exclusion=False)
    for score, code in zip(scores.tolist(), tiers.tolist(), strict=True):
        assert reads_as_its_tier(score, CODES[code]), (score, code)
    # The tiers are the thresholds' own, and single and batch verdicts give the same scores.
    assert [CODES[c] for c in tiers.tolist()] == [judge(float(v), THRESHOLDS)[1] for v in z]
    assert np.allclose(scores, [judge(float(v), THRESHOLDS)[0] for v in z])
    assert np.all(
        np.diff(judge_many(np.linspace(-2, 6, 50), THRESHOLDS, np.full(50, -np.inf), False)[0]) >= 0
    )


def test_an_excluded_idea_reads_as_off() -> None:
    # Its z is capped just under the adjacent cut point: the score must not read 0.40.
    z = THRESHOLDS.adjacent + 0.3
    score, tier, excluded = judge(z, THRESHOLDS, exclusion_z=z + 1e-9, has_exclusion=True)
    assert excluded and tier is Tier.OFF and reads_as_its_tier(score, tier)
