"""Readings of what a mission statement says the organisation is and who it is made of, beside the
role reading of component_roles: the staff a possessive names ("our nurses"), "independent" said of
the organisation itself, and a list of single values that names nothing sold ("Courage, candour,
craft").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hoshin.domain.lexicon import CONCRETE_NOUNS, Token
from hoshin.domain.role_phrases import (
    AGENT,
    ORGANISATION,
    PHRASE_END,
    SERVED_AFTER,
    SERVED_CLASSES,
    THING,
    class_of,
    is_trade,
    phrase_at,
)

__all__ = [
    "GROUPS_OF_STAFF",
    "PEOPLE_READ_AS_THINGS",
    "first_group",
    "list_of_values",
    "owns_itself",
    "people_by_condition",
    "superlatives",
]

# Trades of people the model puts among things ("drivers" near device drivers, "mechanics" near
# physics): always people, so "our drivers" are staff and "for drivers" are served.
PEOPLE_READ_AS_THINGS = frozenset(
    "driver drivers mechanic mechanics conductors cleaners cooks fitters installers pickers".split()
)

# "a team of data scientists": the people the organisation is made of
GROUPS_OF_STAFF = frozenset(
    {
        "team",
        "teams",
        "crew",
        "crews",
        "staff",
        "group",
        "cooperative",
        "co-operative",
        "co-op",
        "partnership",
    }
)


def first_group(phrase: Sequence[int], toks: Sequence[Token], word_classes: Mapping[str, str]) -> list[int]:
    """The phrase cut after its first run of person or organisation words: in "our nurses visit
    elderly patients" the possessive owns "nurses", and the verb that follows starts a new phrase."""
    served = [j for j in phrase if class_of(toks[j], word_classes) in SERVED_CLASSES]
    if not served:
        return list(phrase)
    end = served[0]
    # A singular word may modify the next ("our team members"); a plural one ends the group.
    while (
        end + 1 in phrase
        and not toks[end].lower.endswith("s")
        and class_of(toks[end + 1], word_classes) in SERVED_CLASSES
    ):
        end += 1
    return [j for j in phrase if j <= end]


def owns_itself(text: str, toks: Sequence[Token], i: int, word_classes: Mapping[str, str]) -> bool:
    """ "independent" said of the organisation ("the largest independent brewery", "to stay
    independent"), not of what it offers ("independent journalism") or of whom it serves."""
    lowers = [t.lower for t in toks]
    if any(w in SERVED_AFTER or w == "of" for w in lowers[max(0, i - 3) : i]):
        return False  # "for independent shops", "the owners of independent shops"
    phrase = phrase_at(text, toks, i + 1, reach=3)
    if not phrase:
        return True  # "profitable and independent, for another hundred years": said of itself
    return any(
        (class_of(toks[j], word_classes) in (ORGANISATION, AGENT) or is_trade(toks[j], word_classes))
        and toks[j].stem not in CONCRETE_NOUNS  # "journalism", "schools": what is offered
        for j in phrase
    )


def list_of_values(
    text: str, toks: Sequence[Token], phrase: Sequence[int], word_classes: Mapping[str, str]
) -> bool:
    """ "Courage, candour, craft.": single words between commas, most of them no thing one could sell."""
    if len(phrase) < 3 or any(not _opens_part(text, toks, j) for j in phrase[1:]):
        return False
    things = sum(class_of(toks[j], word_classes) == THING for j in phrase)
    return 2 * things < len(phrase)


def _opens_part(text: str, toks: Sequence[Token], j: int) -> bool:
    return "," in text[toks[j - 1].end : toks[j].start] or toks[j - 1].lower in ("and", "or")


# Adjectives that English uses as nouns for the people in that condition ("the homeless").
_CONDITIONS = frozenset(
    "hungry homeless poor sick elderly vulnerable lonely bereaved disabled unemployed needy "
    "injured displaced dying".split()
)


def people_by_condition(text: str, toks: Sequence[Token]) -> list[int]:
    """ "Feeding Glasgow's hungry", "shelter for the homeless": an adjective after "the" or a
    possessive, with no noun after it, names the people served."""
    out = []
    for i, t in enumerate(toks):
        if t.lower not in _CONDITIONS or i == 0:
            continue
        before = toks[i - 1].lower
        if before != "the" and not before.endswith(("'s", "’s")):
            continue
        ends = i + 1 == len(toks) or toks[i + 1].lower in PHRASE_END
        if ends or any(ch in text[t.end : toks[i + 1].start] for ch in ",;:.!?()—–\n"):
            out.append(i)
    return out


# Words in -est that are no superlatives.
_NOT_SUPERLATIVE = frozenset(
    "interest forest harvest rest test west guest nest request contest chest quest crest protest "
    "honest modest earnest manifest invest digest suggest arrest".split()
)


def _no_superlative(word: str) -> bool:
    """A word in -est that claims nothing: a listed word, or a compass point ("north-west", "Midwest")."""
    last = word.split("-")[-1]
    return last in _NOT_SUPERLATIVE or last in ("northwest", "southwest", "midwest")


def superlatives(toks: Sequence[Token], lowers: Sequence[str]) -> list[int]:
    """ "the most trusted partner", "the quietest dishwashers": a claim to be better than the rest.

    Only a superlative that qualifies a following word counts ("deserve the best" claims nothing)."""
    out = []
    for i in range(1, len(toks) - 1):
        if lowers[i - 1] not in ("the", "our", "world's", "world’s"):
            continue
        word = lowers[i]
        if word == "most" and i + 2 < len(toks):
            out.append(i + 1)
        elif word.endswith("est") and len(word) > 5 and not _no_superlative(word):
            out.append(i)
        elif word in ("best", "leading", "largest", "first"):
            out.append(i)
    return out
