"""A close sentence that acts on a condition which shows the value given up (principles check).

Two shapes any field uses, with no word of giving up in them:
- care or a safeguard made to hang on payment: "Do not give pain relief after neutering unless the
  owner pays for it", "only if they pay extra";
- acting on regardless while the means of a safeguard is out of order: "Give the evening doses from
  memory when the printer for the drug charts is down".

Read only for a sentence already close to the principle and about its subject (principles.judge_principle
asks when its reading found the subject but no stance): the shapes alone say nothing about which value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hoshin.domain.lexicon import cue_list, find_cues

__all__ = ["acted_on_condition"]

_ON_PAYMENT = cue_list("unless, only if, only when, until")
_PAID = frozenset(("pay", "pays", "paid", "paying", "pays extra", "payment"))
_WHILE = cue_list("when, while, whenever, if")
_OUT_OF_ORDER = cue_list(
    """is down, are down, goes down, go down, is offline, are offline, out of order, is broken, are
    broken, not working, isn't working, aren't working, stops working, has failed, have failed,
    is unavailable, are unavailable"""
)
_WINDOW = 8  # words between the condition's opener and what it says; one clause in practice


def acted_on_condition(toks: Sequence[Any]) -> list[str]:
    """Cue words by which a sentence makes the value hang on payment or acts while a safeguard is down."""
    found: list[str] = []
    for m in find_cues(toks, _ON_PAYMENT):
        after = toks[m.last + 1 : m.last + 1 + _WINDOW]
        if any(t.lower in _PAID for t in after):
            found.append(f"only if paid: {m.cue.phrase}")
    for m in find_cues(toks, _WHILE):
        after = toks[m.last + 1 : m.last + 1 + _WINDOW]
        found += [f"done while {o.cue.phrase}" for o in find_cues(after, _OUT_OF_ORDER)][:1]
    return list(dict.fromkeys(found))
