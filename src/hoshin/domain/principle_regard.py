"""Some people treated worse than others: the shapes that break a principle of equal treatment.

A principle that asks to treat everyone alike ("We treat every candidate fairly, whatever their
background", "All patients get the same care, whoever they are") is broken by a text that
sorts the very people it covers and treats one sort worse, in words no field list can hold: "Reject
applicants who use wheelchairs", "bin CVs with gaps", "only accept candidates from five elite
universities". The shape is the same in every field:

- a turning-away act (reject, refuse, exclude, bin ...) whose object is narrowed by a trait
  ("applicants WHO use wheelchairs", "CVs WITH gaps");
- "only" narrowing who gets something ("only accept candidates from ...").

The caller reads these only for a principle of equal treatment or of respect (treating some people
worse for what they are is disrespect too), and only in a sentence close to it in meaning: "only" or
"reject" alone say nothing about fairness. "only" alone is read for any principle that covers every one
of its kind ("We pay every valid claim fairly and promptly" against "pay only the ones that appeal").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hoshin.domain.lexicon import cue_list, find_cues, is_negated

__all__ = ["IMPARTIAL", "UNIVERSAL", "only_some", "treated_unequally"]

# A principle that covers every one of its kind ("We pay every valid claim", "Every product is tested").
UNIVERSAL = re.compile(r"\b(?:every|each|all)\b", re.IGNORECASE)
# How a principle says that everyone it covers is treated alike, whoever they are.
IMPARTIAL = re.compile(
    r"\b(?:whatever|whichever)\s+(?:their|his|her|your)\b|\bwhoever\b|\bregardless\s+of\s+(?:who|their)\b|"
    r"\bnot\s+just\b|\b(?:equally|alike)\b|\bthe\s+same\s+(?:treatment|chance|rules?|terms)\b",
    re.IGNORECASE,
)

# Acts that turn people or their requests away.
_TURN_AWAY = cue_list(
    """reject, rejects, rejected, refuse, refuses, refused, turn away, turns away, turned away, exclude,
    excludes, excluded, bin, bins, binned, bar, bars, barred, ban, bans, banned, deny, denies, denied,
    weed out, screen out, filter out, drop, drops, dropped"""
)
# What narrows the object of a turning-away act to a sort of people.
_NARROWING = frozenset("who whose with from without over under".split())
# "only" that sets a condition keeps the principle ("only if they agree"), as does "not only".
_CONDITION_AFTER_ONLY = frozenset("if when after once with where".split())
_REACH = 6  # words after the act where its object may be narrowed


def treated_unequally(toks: Sequence[Any]) -> list[str]:
    """The words of a sentence that treat some of the people a principle covers worse than others
    ("reject applicants who", "only accept"); [] when none."""
    found: list[str] = []
    for m in find_cues(toks, _TURN_AWAY):
        if is_negated(toks, m.first):
            continue  # "we never reject applicants who ..." keeps the principle
        after = toks[m.last + 1 : m.last + 1 + _REACH]
        narrowed = next((t for t in after if t.lower in _NARROWING), None)
        if narrowed is not None:
            found.append(f"{m.cue.phrase} ... {narrowed.lower}")
    return found + only_some(toks)


def only_some(toks: Sequence[Any]) -> list[str]:
    """The word "only" narrowing whom or what an act reaches ("pay only the ones that appeal", "only accept
    candidates from ..."): against a principle that covers every one, the rest are left out. Not a
    condition ("only if they agree") nor "not only"."""
    found = []
    for i, t in enumerate(toks[:-1]):
        if t.lower != "only" or toks[i + 1].lower in _CONDITION_AFTER_ONLY:
            continue
        if i > 0 and toks[i - 1].lower in ("not", "if"):
            continue
        found.append(f"only {toks[i + 1].lower}")
    return found
