"""Whether a word as written is a form of a cue word, not just a word the stemmer folds onto it.

The cue matcher compares stems, and a stemmer that cuts endings folds unrelated words together:
"care" and "cars", "win" and "wine", "clean" and "cleaning", "new" and "news". A mission statement
that "cares for the planet" then names cars as its product. This check is the second look: the
written word must be the cue word with an ordinary inflection ("farmer" - "farmers", "care" -
"caring", "supply" - "supplies"). A noun cue (a thing that is sold: "news", "cleaning") only
takes its own noun forms, singular or plural; the bare verb or adjective beside it ("clean air",
"new markets") is another word.
"""

from __future__ import annotations

__all__ = ["is_form_of"]

# Nouns ending in -s that are no plural: cutting the -s leaves another word ("news" - "new").
_NOT_PLURAL = frozenset("news series species means physics logistics analytics electronics".split())


def is_form_of(written: str, cue_word: str, noun: bool = False) -> bool:
    """Whether `written` (lower case) is `cue_word` or one of its inflected forms."""
    written, cue_word = _without_possessive(written), _without_possessive(cue_word)
    if written == cue_word:
        return True
    if noun:
        return bool(_noun_bases(written) & _noun_bases(cue_word))
    if (
        len(cue_word) >= _LONG
        and written[len(cue_word) :] in _FOREIGN_ENDINGS
        and written.startswith(cue_word)
    ):
        return True  # "nachhaltige", "sostenibles": a long cue word with another language's ending
    return bool(_bases(written) & _bases(cue_word))


# Endings of German, French and Spanish adjectives and nouns; only on long cue words, where an
# English word of another meaning is unlikely to begin the same way.
_FOREIGN_ENDINGS = frozenset({"e", "en", "er", "es", "s"})
_LONG = 7


def _without_possessive(word: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


def _noun_bases(word: str) -> set[str]:
    """The word and its singular: "cars" -> car, "supplies" -> supply, "boxes" -> box."""
    out = {word}
    if word in _NOT_PLURAL:
        return out
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    elif word.endswith(("ches", "shes", "sses", "xes", "zes")):
        out.add(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.add(word[:-1])
    return out


def _bases(word: str) -> set[str]:
    """The forms the word could come from by one ordinary ending: plural or third person -s, -ed,
    -ing (with the silent e put back or a doubled consonant undone), -er, -ly."""
    out = _noun_bases(word)
    for ending in ("ing", "ed", "er", "ers"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            root = word[: -len(ending)]
            out |= {root, root + "e"}
            if len(root) > 2 and root[-1] == root[-2]:
                out.add(root[:-1])  # "planning" -> plan
            if root.endswith("i"):
                out.add(root[:-1] + "y")  # "supplied" -> supply
    if word.endswith("ly") and len(word) > 4:
        out.add(word[:-2])
        if word.endswith("ally"):
            out.add(word[:-4])  # "ethically" -> ethic
    return out
