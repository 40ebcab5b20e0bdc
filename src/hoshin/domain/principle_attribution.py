"""Which principle a contradiction belongs to, when a text is checked against several at once.

The stance reading is generous on purpose: a plain give-up ("without a second sign-off", "to save
time") breaks a principle even when the sentence is only loosely close to it, so that "Skip the
second sign-off on dosage changes to save nurse time" breaks "Safety comes before speed or cost".
But an organisation checks every text against all its principles, and the same sentence then also
reads as breaking "We protect our guests' privacy". A contradiction that names nothing the principle
protects (only a shape of giving up) is therefore kept only for the principles the text is about:
the one it is closest to, those within a margin of it, and those it is clearly close to on its own;
when it names what one principle protects, that principle is the one it is about.
The others read as unrelated and say which principle the text is closer to. A contradiction that
names what the principle protects ("weakens emails", against a privacy principle) is kept. With
one principle nothing changes.

Measured with every text of a set checked against every principle of the set (eval_principles.py,
"all principles at once"; principles_heldout.jsonl has 16 principles of 10 fields): contradictions
of a principle of ANOTHER field fell from 16.6 % of such pairs to 5.2 % (principles_fields 21.7 % ->
12.7 %, principles_set 13.9 % -> 6.9 %, heldout2 15.1 % -> 6.3 %, heldout3 9.3 % -> 5.2 %), while
recall of each text's own principle fell 0.73 -> 0.63 (0.85 -> 0.80, 0.91 -> 0.88, 0.58 -> 0.56,
0.43 -> 0.40) at precision 0.98 / 0.89. A margin of 0.05 cut more false alarms and too much recall;
0.15-0.2 kept most false alarms. A text checked against one principle is read exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ATTRIBUTION_MARGIN", "CLEARLY_CLOSE", "attribute_contradictions"]

# Measured on the principles sets with every text checked against every principle of its set
# (eval/eval_principles.py, "all principles at once" and "false alarms, other fields").
ATTRIBUTION_MARGIN = 0.1  # MiniLM cosine below the closest principle that still counts as "about"
CLEARLY_CLOSE = 0.3  # a sentence this close to a principle is about it whatever else it is near


def attribute_contradictions(
    judgements: Sequence[Mapping[str, Any]],
    closeness: Sequence[float],
    names: Sequence[str],
    margin: float = ATTRIBUTION_MARGIN,
    clearly_close: float = CLEARLY_CLOSE,
) -> list[dict[str, Any]]:
    """`judgements[n]` is one text's verdict on principle n, `closeness[n]` the text's best sentence
    similarity to it and `names[n]` its id; returns the verdicts with contradictions kept only where
    the text is about the principle."""
    out = [dict(j) for j in judgements]
    if len(out) < 2:
        return [_plain(j) for j in out]
    closest = max(closeness)
    # The principle the text is about: one whose protected words it names, if it is about as close
    # as the closest one; else the closest.
    named = [
        n
        for n, j in enumerate(out)
        if j.get("verdict") == "contradicts" and j.get("named") and closeness[n] >= closest - margin
    ]
    nearest = max(named or range(len(out)), key=lambda n: closeness[n])
    for n, judgement in enumerate(out):
        if judgement.get("verdict") != "contradicts" or n == nearest or judgement.get("named"):
            continue
        if closeness[n] >= clearly_close or (not named and closeness[n] >= closeness[nearest] - margin):
            continue
        why = (
            f"What it gives up is what principle {names[nearest]} protects, which it names; not this one."
            if nearest in named
            else f"What it gives up is about principle {names[nearest]}, which it is closer to "
            f"({closeness[nearest]:.2f} against {closeness[n]:.2f}), not about this one."
        )
        out[n] = {"verdict": "unrelated", "evidence": None, "why": why}
    return [_plain(j) for j in out]


def _plain(judgement: dict[str, Any]) -> dict[str, Any]:
    judgement.pop("named", None)  # the reading's own bookkeeping, not part of a verdict
    return judgement
