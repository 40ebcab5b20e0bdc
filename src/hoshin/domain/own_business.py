"""Readings of the organisation's own business as against its customers' (growth, products, customers).

Two cue words change sides by their structure. "grow" is the organisation's growth unless it grows
someone else ("We help the city's small businesses grow": their growth is the service offered). And
"build a profitable business" builds the organisation itself: the business is neither a customer
nor a product. "To grow into the largest network of clinics" states growth however weak "grow" is
alone. Pure functions over tokens; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hoshin.domain.lexicon import Token, phrase_around

_GROW = frozenset({"grow", "grows", "growing", "thrive", "thrives", "thriving"})
# Verbs that make someone else do what follows: "help farmers grow", "let small firms thrive".
_MAKING_OTHERS = frozenset("help helps helping helped let lets enable enables enabling".split())
_OTHERS_REACH = 5  # words between "help" and "grow" ("help the city's small businesses grow")

_BUILDING = frozenset("build builds building create creates creating run runs running".split())
# Words for an organisation as a whole: built by the writer, it is the writer itself.
_WHOLE = frozenset("business company firm enterprise organisation organization".split())
_BEFORE_WHOLE = frozenset("a an our one the".split())
_MODIFIERS_REACH = 3  # "build a profitable, independent family business"


def blanked(toks: Sequence[Token], name: str) -> list[Token]:
    """The tokens with the cue words of component `name` blanked where the structure says otherwise."""
    out = list(toks)
    for i, t in enumerate(toks):
        blank = (
            (name == "growth" and t.lower in _GROW and _grows_others(toks, i))
            or (name == "customers" and t.lower in _WHOLE and _built_whole(toks, i) is not None)
            or (name == "products" and t.lower in _BUILDING and _builds_whole(toks, i))
        )
        if blank:
            out[i] = Token(t.text, t.lower, "", t.start, t.end)
    return out


def grows_into(text: str, toks: Sequence[Token]) -> str | None:
    """ "To grow into the largest network", "grow into a national chain": the organisation's growth."""
    for i in range(len(toks) - 2):
        if (
            toks[i].lower in ("grow", "grows", "growing")
            and toks[i + 1].lower == "into"
            and toks[i + 2].lower in _BEFORE_WHOLE
            and not _grows_others(toks, i)
        ):
            return phrase_around(text, toks, i, i + 1, reach=1)
    return None


def _grows_others(toks: Sequence[Token], i: int) -> bool:
    for j in range(i - 1, max(-1, i - 1 - _OTHERS_REACH), -1):
        if toks[j].lower in _MAKING_OTHERS:
            return j < i - 1 and toks[j + 1].lower not in ("us", "our")  # someone sits between them
    return False


def _built_whole(toks: Sequence[Token], i: int) -> int | None:
    """The building verb whose object is the organisation-as-a-whole word at `i`, or None."""
    for j in range(i - 1, max(-1, i - 2 - _MODIFIERS_REACH), -1):
        if toks[j].lower in _BEFORE_WHOLE:
            return j - 1 if j > 0 and toks[j - 1].lower in _BUILDING else None
    return None


def _builds_whole(toks: Sequence[Token], i: int) -> bool:
    return any(
        toks[k].lower in _WHOLE and _built_whole(toks, k) == i
        for k in range(i + 2, min(len(toks), i + 3 + _MODIFIERS_REACH))
    )
