"""A close sentence that gives nothing up in words, yet chooses against the principle.

"Sell the cheaper flea treatment even though it causes skin reactions in some cats", against
"Animal welfare comes before profit": no verb of cutting or skipping, no purpose clause, but the
thing is chosen for its price, and chosen although it harms. Three shapes, each read only in a
sentence already close to the principle (the caller checks that):
- chosen for its price: "the cheaper pads", "the lowest-priced supplier";
- a reason given after the act, in a clause of its own: "..., it saves fees", "..., throwing it
  away costs money", "..., we are behind on tonnage";
- a harm accepted in a concession: "even though it causes skin reactions", "although the sensors
  failed". A concession that accepts a cost ("even though journeys take longer") keeps the value
  and is not read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hoshin.domain import principle_cues as cue
from hoshin.domain.lexicon import cue_list, find_cues, is_negated, stem

__all__ = ["chosen_against"]

_CHEAP = cue_list(
    """cheaper, cheapest, cheap, lower-priced, lowest-priced, low-cost, lower-cost, less expensive,
    costs less, cost less, lowest price, lowest bidder"""
)
_CONCESSION = cue_list("even though, even if, although, though, despite")
# A clause of its own that gives the act's reason: a saving, a cost avoided, a hurry.
_REASON = cue_list(
    """saves, save, saving, costs money, cost money, costs too much, too expensive, is cheaper, is
    faster, is quicker, is easier, too slow, takes too long, behind on, behind schedule, running late,
    short-staffed, understaffed"""
)
# What a concession accepts when it gives the value up: a failure or a harm.
_HARMED = (
    frozenset(
        stem(w)
        for w in """fail fails failed failing cause causes caused break breaks broke broken harm harms
    harmed hurt hurts injure injures injured unsafe danger dangerous risk risks risky reaction
    reactions sick ill faulty defective expired leak leaks leaking""".split()
    )
    | cue.HARMS
)
_CLAUSE_BREAKS = frozenset(",;:")


def chosen_against(sentence: str, toks: Sequence[Any]) -> list[str]:
    """The cues by which the sentence chooses against what a principle protects (see above)."""
    found = [
        f"chosen for its price: {m.cue.phrase}"
        for m in find_cues(toks, _CHEAP)
        if not is_negated(toks, m.first)
    ]
    for start in _clause_starts(sentence, toks):
        if start == 0:
            continue
        clause = toks[start : _clause_end(sentence, toks, start)]
        if find_cues(clause[:2], _CONCESSION):
            found += _harm_accepted(clause)
            continue
        if clause and clause[0].lower in ("so", "to", "and", "but", "which", "who", "because"):
            continue  # a purpose or another act, read elsewhere
        reasons = find_cues(clause, _REASON)
        found += [f"done for: {m.cue.phrase}" for m in reasons if not is_negated(clause, m.first, 2)][:1]
    for m in find_cues(toks, _CONCESSION):
        if m.first > 0 and not _after_break(sentence, toks, m.first):
            # "Keep the shaft open even though the sensors failed": a concession without a comma
            found += _harm_accepted(toks[m.last + 1 : _clause_end(sentence, toks, m.last + 1)])
    return list(dict.fromkeys(found))


def _harm_accepted(clause: Sequence[Any]) -> list[str]:
    """The first harm a concession clause accepts ("even though it causes ..."), as a cue."""
    return [f"done although it {t.lower}" for t in clause if t.stem in _HARMED][:1]


def _after_break(sentence: str, toks: Sequence[Any], i: int) -> bool:
    return i > 0 and any(ch in sentence[toks[i - 1].end : toks[i].start] for ch in _CLAUSE_BREAKS)


def _clause_starts(sentence: str, toks: Sequence[Any]) -> list[int]:
    return [0] + [i for i in range(1, len(toks)) if _after_break(sentence, toks, i)]


def _clause_end(sentence: str, toks: Sequence[Any], start: int) -> int:
    for i in range(start + 1, len(toks)):
        if _after_break(sentence, toks, i):
            return i
    return len(toks)
