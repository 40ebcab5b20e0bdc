"""What the organisation's verbs act on, read by position: whom its staff serve, what it gives or
keeps going, whose thing it improves, and a place word that is a kind of product.

component_roles reads who is served and what is offered after "for", "make" and their kin; these
readings cover shapes with two objects or a subject between ("Our nurses visit elderly patients",
"Give every family ... a safe, warm place to live", "keep Denmark's trains running", "improve the
health of mountain communities"). Kept apart so component_roles stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from hoshin.domain.lexicon import CONCRETE_NOUNS, Token
from hoshin.domain.role_phrases import (
    AGENT,
    DETERMINERS,
    class_of,
    conjuncts,
    may_be_verb,
    may_head,
    phrase_at,
)

__all__ = [
    "GIVING",
    "KEEP",
    "given_thing",
    "kept_going",
    "modifies_a_product",
    "staff_serving",
    "whose_thing",
]


# How far the verb of the staff may follow them ("Our nurses and carers visit"), and how far its
# object may reach ("visit more than 4,000 patients").
_STAFF_TO_VERB = 3
_VERB_TO_SERVED = 5


def staff_serving(
    text: str,
    toks: Sequence[Token],
    staff: int,
    lowers: Sequence[str],
    served_head: Callable[..., int | None],
    word_classes: Mapping[str, str],
) -> int | None:
    """The verb of "our" staff when it acts on people served ("Our nurses visit elderly patients at
    home", "Our nurses and carers visit more than 4,000 patients"): what the staff do for them is the
    service offered."""
    verb = None
    for j in range(staff + 1, min(len(toks), staff + 1 + _STAFF_TO_VERB)):
        if any(ch in ",;:.!?()" for ch in text[toks[j - 1].end : toks[j].start]):
            return None
        if lowers[j] == "and" or class_of(toks[j], word_classes) == AGENT:
            continue  # "nurses and carers"
        verb = j
        break
    if verb is None or not may_be_verb(toks[verb], lowers[verb]) or not toks[verb].text.islower():
        return None
    for j in range(verb + 1, min(len(toks), verb + 1 + _VERB_TO_SERVED)):
        if any(ch in ",;:.!?()" for ch in text[toks[j - 1].end : toks[j].start]):
            return None
        if lowers[j] in _PREPOSITIONS:
            return None  # "work in", "live for": whoever follows is not acted on
        if served_head([j], places=False) is not None:
            return verb
    return None


_PREPOSITIONS = frozenset("to for in at by with from on into of through across around".split())


KEEP = frozenset({"keep", "keeps", "keeping"})


def kept_going(text: str, toks: Sequence[Token], verb: int, lowers: Sequence[str]) -> int | None:
    """The thing "keep" keeps going ("keep Denmark's trains running", "keep the lights on" has no
    -ing and is left to the cue words): the last word of the object right before a word in -ing."""
    phrase = phrase_at(text, toks, verb + 1)
    going = next((n for n, j in enumerate(phrase) if n > 0 and lowers[j].endswith("ing")), None)
    if going is None and phrase and phrase[-1] + 1 < len(toks) and lowers[phrase[-1] + 1].endswith("ing"):
        going = len(phrase)
    if going is None:
        return None
    last = phrase[going - 1]
    return last if may_head(toks[last]) and not toks[last].text[:1].isupper() else None


# Verbs with two objects, someone and what they are given.
GIVING = frozenset("give gives giving offer offers offering find finds finding".split())
# How far after the person given to the thing given may start ("every family in our borough a ...").
_GIVEN_REACH = 6


def given_thing(
    text: str, toks: Sequence[Token], verb: int, person_in: Callable[[Sequence[int]], int | None]
) -> int | None:
    """What a giving verb hands to someone it names first: "give every family in our borough a safe,
    warm place to live" offers the place, "give people leaving prison a job" the job."""
    if person_in(phrase_at(text, toks, verb + 1)) is None:
        return None
    for j in range(verb + 2, min(len(toks), verb + 2 + _GIVEN_REACH)):
        if any(ch in ".!?;:" for ch in text[toks[j - 1].end : toks[j].start]):
            return None
        if toks[j].lower in ("a", "an"):
            phrase = phrase_at(text, toks, j, allow_commas=True)
            cut = next((n for n, k in enumerate(phrase) if toks[k].lower in DETERMINERS), len(phrase))
            heads = [k for k in phrase[:cut] if may_head(toks[k])]
            return heads[-1] if heads else None
    return None


def whose_thing(
    text: str,
    toks: Sequence[Token],
    verb: int,
    lowers: Sequence[str],
    served_head: Callable[..., int | None],
) -> int | None:
    """Whom an object "of" someone belongs to: "improve the health and harvests of mountain
    communities", "change the lives of children" act for the people named after "of"."""
    objects = conjuncts(text, toks, verb + 1)
    last = objects[-1] if objects and objects[-1] else None
    if last is None or last[-1] + 2 >= len(toks) or lowers[last[-1] + 1] != "of":
        return None
    if lowers[last[-1] + 2] in ("our", "its"):
        return None  # "invest a tenth of our revenue": the organisation's own
    return served_head(phrase_at(text, toks, last[-1] + 2), places=False)


def modifies_a_product(toks: Sequence[Token], i: int) -> bool:
    """A place-like word in lower case right before a word for something offered is a kind of that
    thing ("in home insurance", "city bikes"), not where the organisation works."""
    return toks[i].text.islower() and i + 1 < len(toks) and toks[i + 1].stem in CONCRETE_NOUNS
