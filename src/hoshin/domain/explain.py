"""Verdicts with reasons: turn calibrated numbers into a tier, a 0..1 score and one sentence."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from hoshin.domain.calibration import Thresholds, score_from_z
from hoshin.domain.evidence_words import quotable_words, quote
from hoshin.domain.text import MISSION_FILLER, stems
from hoshin.domain.verdict import Tier, Verdict

__all__ = ["judge", "judge_many", "quotable_shared_words", "reason", "shared_words", "verdict_for"]


@lru_cache(maxsize=1024)
def _evidence_stems(evidence: str) -> frozenset[str]:
    # The same theme text is the evidence for thousands of items in a batch: stem it once.
    return frozenset(stems(evidence, MISSION_FILLER))


def shared_words(text: str, evidence: str, limit: int = 4) -> list[str]:
    """Words of `text` whose stem also occurs in `evidence` (the words that carried a match)."""
    theirs = _evidence_stems(evidence)
    mine = stems(text, MISSION_FILLER)
    return [word for key, word in mine.items() if key in theirs][:limit]


def quotable_shared_words(text: str, evidence: str, limit: int = 4) -> list[str]:
    """`shared_words` a reason may quote (domain/evidence_words.py): the checks that ask whether two
    texts share a word at all keep `shared_words`, so no verdict moves with what a sentence shows."""
    return quotable_words(shared_words(text, evidence, limit=len(text)), limit)


# The scores a tier's verdicts may carry, as people read them (two decimals on the pages, four in
# JSON): core 0.70 and up, adjacent 0.40 to 0.69, off 0.39 and below. score_from_z puts the cut
# points at exactly 0.7 and 0.4, so a z a hair under the core one scored 0.6999 and read "adjacent
# (0.70)". Each tier's scores are therefore drawn into the band it reads as (adjacent 0.40-0.70
# onto 0.40-0.69, off 0-0.40 onto 0-0.39; core as it is). Drawn in, not cut off: cutting gave every
# z in the last 0.01 under a cut point the same score, and those ties were then ordered by input
# position, not by z (a batch's own core bound, domain/tier_bounds.py, can widen that stretch to
# 0.2 sd and cost a ranked list its order).
_READS_AS = np.array([(0.70, 1.0), (0.40, 0.69), (0.0, 0.39)])  # rows: core, adjacent, off
_NATURAL = np.array([(0.70, 1.0), (0.40, 0.70), (0.0, 0.40)])  # what score_from_z gives each tier
_TIER_ROW = {Tier.CORE: 0, Tier.ADJACENT: 1, Tier.OFF: 2}  # judge_many's tier codes


def _drawn_in(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`scores` of tiers `rows` (judge_many's codes), each mapped linearly from its tier's natural
    range onto the band it reads as, so the order of the scores is kept."""
    low, high = _READS_AS[rows, 0], _READS_AS[rows, 1]
    nat_low, nat_high = _NATURAL[rows, 0], _NATURAL[rows, 1]
    drawn: np.ndarray = np.clip(low + (scores - nat_low) * (high - low) / (nat_high - nat_low), low, high)
    return drawn


def _as_read(score: float, tier: Tier) -> float:
    """`_drawn_in` for one score (plain floats: one verdict at a time is the common call)."""
    row = _TIER_ROW[tier]
    low, high = float(_READS_AS[row, 0]), float(_READS_AS[row, 1])
    nat_low, nat_high = float(_NATURAL[row, 0]), float(_NATURAL[row, 1])
    drawn = low + (score - nat_low) * (high - low) / (nat_high - nat_low)
    return min(max(drawn, low), high)


def judge(
    z: float, thresholds: Thresholds, exclusion_z: float = float("-inf"), has_exclusion: bool = False
) -> tuple[float, Tier, bool]:
    """(score, tier, excluded) for a calibrated z and the best exclusion's z: the numbers of a
    verdict without its sentence (`reason` writes that, as cheaply later as now)."""
    excluded = has_exclusion and exclusion_z >= thresholds.adjacent and exclusion_z > z
    if excluded:
        # Closer to something the strategist ruled out than to anything the mission wants.
        capped = min(z, thresholds.adjacent - 0.01 - (exclusion_z - z))
        return _as_read(score_from_z(capped, thresholds), Tier.OFF), Tier.OFF, True
    if z >= thresholds.core:
        tier = Tier.CORE
    elif z >= thresholds.adjacent:
        tier = Tier.ADJACENT
    else:
        tier = Tier.OFF
    return _as_read(score_from_z(z, thresholds), tier), tier, False


def judge_many(
    z: np.ndarray, thresholds: Thresholds, exclusion_z: np.ndarray, has_exclusion: bool
) -> tuple[np.ndarray, np.ndarray]:
    """`judge` for arrays: (scores as float64, tiers as int8 codes 0 core, 1 adjacent, 2 off)."""
    z = np.asarray(z, dtype=np.float64)
    exclusion_z = np.asarray(exclusion_z, dtype=np.float64)
    tiers = np.where(z >= thresholds.core, 0, np.where(z >= thresholds.adjacent, 1, 2)).astype(np.int8)
    excluded = np.zeros(len(z), dtype=bool)
    if has_exclusion:
        excluded = (exclusion_z >= thresholds.adjacent) & (exclusion_z > z)
    capped = np.where(excluded, np.minimum(z, thresholds.adjacent - 0.01 - (exclusion_z - z)), z)
    tiers[excluded] = 2
    # The 0..1 mapping is calibration's; one call per verdict keeps it in one place.
    scores = np.fromiter((score_from_z(v, thresholds) for v in capped.tolist()), np.float64, len(z))
    return _drawn_in(scores, tiers.astype(np.intp)), tiers


def reason(
    text: str,
    z: float,
    theme_name: str,
    theme_text: str,
    thresholds: Thresholds,
    exclusion_name: str | None = None,
    exclusion_z: float = float("-inf"),
) -> str:
    """The `why` sentence of the verdict `verdict_for` gives for the same arguments."""
    _, tier, excluded = judge(z, thresholds, exclusion_z, exclusion_name is not None)
    if excluded:
        words = quotable_shared_words(text, exclusion_name or "")
        because = f" (shares {quote(words)})" if words else ""
        return (
            f"Off: matches the exclusion '{exclusion_name}'{because} more closely than any mission theme "
            f"(nearest theme: '{theme_name}')."
        )
    words = quotable_shared_words(text, theme_text)
    strength = f"{z:.1f} sd above generic activities"
    if tier is Tier.ADJACENT:
        # A batch may raise the core bound above the shipped one (domain/tier_bounds.py): an idea at
        # 5 sd then reads adjacent, and the reason says where core starts.
        strength += f", core from {thresholds.core:.1f}"
    if tier is Tier.CORE:
        lead = f"Core: serves the theme '{theme_name}'"
    elif tier is Tier.ADJACENT:
        lead = f"Adjacent: related to the theme '{theme_name}' but not at its centre"
    else:
        lead = f"Off: no closer to the mission than generic activities; nearest theme '{theme_name}'"
    if words:
        evidence = f"shared words {quote(words)}"
    elif tier is Tier.OFF:
        evidence = "no shared words"
    else:
        evidence = "close in meaning, no shared words"
    return f"{lead} ({evidence}; {strength})."


def verdict_for(
    text: str,
    z: float,
    theme_name: str,
    theme_text: str,
    thresholds: Thresholds,
    exclusion_name: str | None = None,
    exclusion_z: float = float("-inf"),
) -> Verdict:
    """The verdict for one text, given its calibrated z and the theme that served it best."""
    score, tier, _ = judge(z, thresholds, exclusion_z, exclusion_name is not None)
    why = reason(text, z, theme_name, theme_text, thresholds, exclusion_name, exclusion_z)
    return Verdict(score, tier, theme_name, why)
