"""Verdicts with reasons: turn calibrated numbers into a tier, a 0..1 score and one sentence."""

from __future__ import annotations

from functools import lru_cache

from hoshin.domain.calibration import Thresholds, score_from_z
from hoshin.domain.text import MISSION_FILLER, stems
from hoshin.domain.verdict import Tier, Verdict

__all__ = ["shared_words", "verdict_for"]


@lru_cache(maxsize=1024)
def _evidence_stems(evidence: str) -> frozenset[str]:
    # The same theme text is the evidence for thousands of items in a batch: stem it once.
    return frozenset(stems(evidence, MISSION_FILLER))


def shared_words(text: str, evidence: str, limit: int = 4) -> list[str]:
    """Words of `text` whose stem also occurs in `evidence` (the words that carried a match)."""
    theirs = _evidence_stems(evidence)
    mine = stems(text, MISSION_FILLER)
    return [word for key, word in mine.items() if key in theirs][:limit]


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


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
    excluded = exclusion_name is not None and exclusion_z >= thresholds.adjacent and exclusion_z > z
    if excluded:
        # Closer to something the strategist ruled out than to anything the mission wants.
        capped = min(z, thresholds.adjacent - 0.01 - (exclusion_z - z))
        words = shared_words(text, exclusion_name or "")
        because = f" (shares {_quote(words)})" if words else ""
        why = (
            f"Off: matches the exclusion '{exclusion_name}'{because} more closely than any mission theme "
            f"(nearest theme: '{theme_name}')."
        )
        return Verdict(score_from_z(capped, thresholds), Tier.OFF, theme_name, why)

    if z >= thresholds.core:
        tier = Tier.CORE
    elif z >= thresholds.adjacent:
        tier = Tier.ADJACENT
    else:
        tier = Tier.OFF
    words = shared_words(text, theme_text)
    strength = f"{z:.1f} sd above generic activities"
    if tier is Tier.CORE:
        lead = f"Core: serves the theme '{theme_name}'"
    elif tier is Tier.ADJACENT:
        lead = f"Adjacent: related to the theme '{theme_name}' but not at its centre"
    else:
        lead = f"Off: no closer to the mission than generic activities; nearest theme '{theme_name}'"
    if words:
        evidence = f"shared words {_quote(words)}"
    elif tier is Tier.OFF:
        evidence = "no shared words"
    else:
        evidence = "close in meaning, no shared words"
    return Verdict(score_from_z(z, thresholds), tier, theme_name, f"{lead} ({evidence}; {strength}).")
