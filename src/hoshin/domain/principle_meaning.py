"""A contradiction read by meaning, for texts the word readings leave undecided (principles check).

The readings of `principles`, `principle_aim`, `principle_acts` and `principle_regard` call a text a
contradiction only on a cue they know: a check skipped, a motive named, an act negated. A text from a
field they were not written for may break a principle in words none of them knows ("Use the same
chopping board for raw chicken and salad during the lunch rush"), and is then called unrelated.

This reading compares such a text with the principle and with the principle *given up*: a sentence
made from the principle's value and what it ranks lower, "Ignore kitchen hygiene to save time or
money." (`given_up_prototype`). A sentence that is close to the principle (MiniLM cosine at or above
`MEANING_CLOSE`) and closer still, by `MEANING_MARGIN`, to its giving up is a contradiction by
meaning. It is weaker evidence than a cue, so it is only a fallback: it never overrules a support or
an unrelated verdict the readings gave for a reason (a refusal, a price paid), and its reason says
that it was read by meaning and names the closeness it rests on. It is not "named" (see
principle_attribution): checked against several principles, it stands only for those the text is
about.

Measured on the tuning sets (eval/eval_principles.py; set, fields, heldout, heldout2, heldout3), the
texts the readings leave unrelated hold 36 contradictions among about 270; this reading takes 11 of
those texts, 8 of them contradictions, and keeps precision at 0.91 or more on every tuning set. A
text is judged as a whole as well as by its sentences: by sentence alone, short asides of supportive
posts ("We fix it.", "Rare.") read as contradictions. Chosen on the tuning sets only among (see
docs/calibration.md): closeness alone (thresholds 0.3-0.5 lowered mean F1), the principle's polarity
flipped by rule ("We never trade safety for cost" -> "We trade safety for cost"), "<value> neglected,
skipped or cut", "We gave up <value>", margins 0.03-0.1 and closeness 0.12-0.25.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["MEANING_CLOSE", "MEANING_MARGIN", "given_up_prototype", "with_meaning"]

MEANING_CLOSE = 0.2  # MiniLM cosine of sentence and principle from which the sentence is about it
MEANING_MARGIN = 0.06  # how much closer to the principle given up than to the principle itself


def given_up_prototype(value: str, traded: str) -> str:
    """The principle given up, as one plain order: its value ignored for what it ranks lower, or for
    time and money when it names nothing ("Ignore patient safety for speed or cost.")."""
    reason = f"for {traded}" if traded.strip() else "to save time or money"
    return f"Ignore {value.strip()} {reason}."


def with_meaning(
    judgement: dict[str, Any],
    sentences: Sequence[str],
    to_principle: Sequence[float],
    to_given_up: Sequence[float],
    whole: tuple[float, float] | None = None,
    settled: Sequence[bool] = (),
    close: float = MEANING_CLOSE,
    margin: float = MEANING_MARGIN,
) -> dict[str, Any]:
    """The judgement, made a contradiction by meaning when the readings left the text unrelated and a
    sentence is `close` to the principle and `margin` closer to its giving up (`to_principle[n]` and
    `to_given_up[n]`: sentence n's cosines); the sentence that leans furthest that way is the evidence.
    `whole`: the same two cosines for the text as a whole (its sentences' mean vector), which must
    lean that way too: a short aside ("Broken? We fix it.") sits close to much and decides nothing.
    `settled[n]`: the word readings already weighed what sentence n does and found no breach (an aim
    for the value itself, a cut of something they measured): it is not read by meaning."""
    if not len(sentences) == len(to_principle) == len(to_given_up):
        raise ValueError("one similarity to the principle and one to its giving up per sentence")
    if judgement.get("verdict") != "unrelated":
        return judgement
    if whole is not None and (whole[0] < close or whole[1] - whole[0] < margin):
        return judgement  # the text as a whole does not lean that way
    best: tuple[float, int] | None = None
    for n, (near, given_up) in enumerate(zip(to_principle, to_given_up, strict=True)):
        lean = given_up - near
        if n < len(settled) and settled[n]:
            continue
        if near >= close and lean >= margin and (best is None or lean > best[0]):
            best = (lean, n)
    if best is None:
        return judgement
    n = best[1]
    sentence = sentences[n]
    why = (
        f"By meaning, not by a rule: '{sentence}' is close to the principle ({to_principle[n]:.2f}) "
        f"and closer still to giving it up ({to_given_up[n]:.2f}); it does not do what the principle "
        "asks. A weaker reason than a named cue: worth a reviewer's look."
    )
    return {"verdict": "contradicts", "evidence": sentence, "why": why, "named": False}
