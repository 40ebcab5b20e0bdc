"""The verdict: what Hoshin says about any text measured against the mission."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["TIERS", "Tier", "Verdict"]


class Tier(str, Enum):
    CORE = "core"
    ADJACENT = "adjacent"
    OFF = "off"

    def __str__(self) -> str:
        return self.value


TIERS = (Tier.CORE, Tier.ADJACENT, Tier.OFF)


@dataclass(frozen=True)
class Verdict:
    """`score` in 0..1 (calibrated: the same score means the same across missions), `tier`, the mission
    `theme` the text serves best, and `why`: one sentence naming the evidence."""

    score: float
    tier: Tier
    theme: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "tier": self.tier.value, "theme": self.theme, "why": self.why}
