"""Readings of what an organisation owes the world around it, beyond its customers (public image).

The public-image cue words ("environment", "community", "landfill") miss duties a statement states
by its structure instead: the natural world protected ("We protect the nation's forests, rivers and
wild places"), a harm done without ("grown without pesticides"), waste put to use ("we turn waste
plastics back into raw materials"). And one cue word says something else by its structure: caring
for the people served ("We care for people at the end of their lives") is the service itself, not
a duty to society. Pure functions over tokens; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hoshin.domain.lexicon import Token, phrase_around

# Acts of keeping something from harm or bringing it back.
_PROTECTING = frozenset(
    "protect protects protecting conserve conserves conserving preserve preserves preserving restore "
    "restores restoring safeguard safeguards safeguarding".split()
)

# The natural world: whatever is protected among these is owed to everyone, not sold to someone.
_NATURE = frozenset(
    "forest forests woodland woodlands river rivers lake lakes sea seas ocean oceans coast coasts "
    "coastline coastlines wild wilderness countryside landscape landscapes groundwater soil soils "
    "reef reefs species moorland moorlands meadows heathland peatland peatlands birds".split()
)

# How far after the protecting verb the natural thing may stand ("the nation's forests, rivers").
_OBJECT_REACH = 5

# Things whose absence is a duty to the world: "grown without pesticides", "no plastic packaging".
_HARMS = frozenset(
    "pesticide pesticides chemicals plastic plastics pollution emissions fossil antibiotics "
    "herbicides".split()
)
_WITHOUT = frozenset({"without", "no", "fewer", "less"})
_HARM_REACH = 2  # words between "without" and the harm ("without any synthetic pesticides")

# What turns waste into something of use: "turn waste plastics into", "heated by waste warmth".
_PUT_TO_USE = frozenset(
    "turn turns turning turned by from use uses using reuse reuses reusing recycle recycles recycling "
    "convert converts converting".split()
)

_CARE = frozenset({"care", "cares", "caring"})
# Those owed care whoever they are: caring for them stays a duty, not a service.
_OWED = frozenset(
    "planet earth environment nature world climate community communities society public neighbours "
    "neighbors generations".split()
)
_SKIPPED = frozenset("the a an our their its every each all those these".split())


def public_duty(text: str, toks: Sequence[Token]) -> str | None:
    """The phrase that states a duty to the world by its structure, or None."""
    for reading in (_nature_protected, _harm_avoided, _waste_put_to_use):
        found = reading(toks)
        if found is not None:
            first, last = found
            return phrase_around(text, toks, first, last, reach=1)
    return None


def _nature_protected(toks: Sequence[Token]) -> tuple[int, int] | None:
    for i, t in enumerate(toks):
        if t.lower not in _PROTECTING:
            continue
        for j in range(i + 1, min(len(toks), i + 1 + _OBJECT_REACH)):
            if toks[j].lower in _NATURE:
                return i, j
    return None


def _harm_avoided(toks: Sequence[Token]) -> tuple[int, int] | None:
    for i, t in enumerate(toks):
        parts = t.lower.split("-")
        if len(parts) == 2 and parts[1] == "free" and parts[0] in _HARMS | {"carbon", "waste"}:
            return i, i  # "pesticide-free", "plastic-free"
        if t.lower not in _WITHOUT:
            continue
        for j in range(i + 1, min(len(toks), i + 2 + _HARM_REACH)):
            if toks[j].lower in _HARMS:
                return i, j
    return None


def _waste_put_to_use(toks: Sequence[Token]) -> tuple[int, int] | None:
    """ "waste" used as the stuff something is made of, after a word that puts it to use."""
    for i in range(1, len(toks) - 1):
        if toks[i].lower == "waste" and toks[i - 1].lower in _PUT_TO_USE and toks[i + 1].lower.isalpha():
            return i, i + 1
    return None


def cares_for_served(toks: Sequence[Token], i: int, served: set[str]) -> bool:
    """Whether "care(s) for" at `i` has for object people the statement serves ("We care for people at
    the end of their lives", "for every patient"): the service itself, not what is owed to society."""
    if toks[i].lower not in _CARE or i + 1 >= len(toks) or toks[i + 1].lower != "for":
        return False
    j = i + 2
    while j < len(toks) and toks[j].lower in _SKIPPED:
        j += 1
    if j >= len(toks) or toks[j].lower in _OWED:
        return False
    return toks[j].text in served or toks[j].lower in ("people", "patients", "everyone", "anyone")
