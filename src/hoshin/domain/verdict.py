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
    `theme` the text serves best, and `why`: one sentence naming the evidence.

    `decided_by_example`: a reviewer's examples (labelled ideas) set the tier, not the engine alone;
    `example_id` is the labelled idea that did (None when the labels decided without one of that
    tier). Neither is part of `as_dict`, the batch contract's verdict; `stored` adds them."""

    score: float
    tier: Tier
    theme: str
    why: str
    decided_by_example: bool = False
    example_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "tier": self.tier.value, "theme": self.theme, "why": self.why}

    def stored(self) -> dict[str, Any]:
        """`as_dict` with whether an example decided it, as a stored verdict keeps it."""
        return {
            **self.as_dict(),
            "decided_by_example": self.decided_by_example,
            "example_id": self.example_id,
        }
