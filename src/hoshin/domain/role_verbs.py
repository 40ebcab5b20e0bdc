"""Verbs the organisation does that the plain readings of component_roles miss.

component_roles reads a verb as something the organisation does when it follows "we", "to", or opens
a sentence in -ing. Two common shapes escape that:

- A sentence about the organisation in the third person: "The college welcomes adults", "The
  council's library service lends books". The first word in -s after a short subject that opens
  the sentence is its verb.
- Later verbs of a list whose objects sit between them: "we prevent fires, answer every call and
  keep residents safe", "lends books, runs reading groups and gives free access to ...". A word of
  the same form (plain, -s or -ing) right after a comma or "and" in the same sentence is one more
  verb of the same subject.

Without a tagger this is a guess by position and form; a noun of a list ("boats, ships and barges")
can pass for a verb, but its "object" then is the next item's conjunction, which names nothing.

mission_analysis asks a few more questions of the same shapes here: whether a word in -s or -ing is
an item of a list of nouns (`listed_noun`: "advice, training and guide dogs"), whether a job is
given to others (`given_to_others`), which words are the organisation naming itself by its kind
(`opening_subjects`: "The trust cares ..."), and whether "cares for" is the upkeep of things
(`cares_for_things`: "cares for 300 miles of canals").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hoshin.domain.lexicon import CONCRETE_NOUNS, Token
from hoshin.domain.role_objects import GIVING
from hoshin.domain.role_phrases import AGENT, DETERMINERS, ORGANISATION, PHRASE_END, class_of, phrase_at

__all__ = [
    "cares_for_things",
    "given_to_others",
    "listed_and_third_person_verbs",
    "listed_noun",
    "made_before",
    "opening_subjects",
    "trains_for_others",
]

# A list of verbs is read for at most this many verbs, over at most this many words: as far as
# component_roles reads a list back, and no quadratic walk over a very long comma list.
_LONGEST_LIST = 6
_LIST_REACH = 40
# How many words a subject may have before its verb ("The council's library service lends").
_LONGEST_SUBJECT = 5
_SUBJECT_OPENERS = frozenset({"the", "our", "this"})
# Words in -s that are no verbs of a third-person subject.
_NOT_VERBS = frozenset("is was has does its this thus us plus as always perhaps".split())


def listed_and_third_person_verbs(
    text: str, toks: Sequence[Token], first_verbs: Sequence[int]
) -> frozenset[int]:
    """Indices of words that act as the organisation's verbs: third-person verbs after an opening
    subject, and the later verbs of a list that starts at one of `first_verbs` or at those."""
    found = set(_third_person_verbs(text, toks))
    listed: set[int] = set()
    for start in sorted(set(first_verbs) | found):
        if start not in listed:
            listed.update(_listed_after(text, toks, start))
    return frozenset(found | listed)


def opening_subjects(text: str, toks: Sequence[Token]) -> frozenset[int]:
    """Indices of the words of a short singular subject that opens a sentence with "The" or "This"
    before a verb in -s ("The trust cares for ...", "The housing trust builds ..."): the organisation
    naming itself by its kind, whatever the words would mean elsewhere. "Our passion drives us"
    opens with what the organisation holds, so "our" opens no such subject."""
    out: set[int] = set()
    for start in range(len(toks)):
        if not _opens_sentence(text, toks, start) or toks[start].lower not in ("the", "this"):
            continue
        for j in range(start + 2, min(len(toks), start + 1 + _LONGEST_SUBJECT)):
            if _breaks_before(text, toks, j) or toks[j - 1].lower in PHRASE_END:
                break
            word = toks[j].lower
            verb_like = (
                word.endswith("s") and not word.endswith(("ss", "'s", "’s")) and word not in _NOT_VERBS
            )
            if verb_like and toks[j].text.islower() and not toks[j - 1].lower.endswith("s"):
                out.update(range(start + 1, j))
                break
    return frozenset(out)


def _third_person_verbs(text: str, toks: Sequence[Token]) -> list[int]:
    out = []
    for start in range(len(toks)):
        if not _opens_sentence(text, toks, start) or toks[start].lower not in _SUBJECT_OPENERS:
            continue
        for j in range(start + 1, min(len(toks), start + 1 + _LONGEST_SUBJECT)):
            if _breaks_before(text, toks, j) or toks[j].lower in PHRASE_END:
                break
            word = toks[j].lower
            if "'" in word or "’" in word:
                continue  # "the council's library"
            if word.endswith("s") and not word.endswith("ss"):
                # The verb of a singular subject, with an object after it ("welcomes adults").
                singular = not toks[j - 1].lower.endswith("s") or toks[j - 1].lower.endswith("ss")
                if _verb_form(toks, j) and singular and j > start + 1:
                    out.append(j)
                break
    return out


def _listed_after(text: str, toks: Sequence[Token], start: int) -> list[int]:
    """Words after a comma or "and" in the sentence of verb `start` that share its form."""
    form = _form(toks[start].lower)
    out: list[int] = []
    for j in range(start + 2, min(len(toks), start + _LIST_REACH)):
        if len(out) >= _LONGEST_LIST - 1:
            break
        if any(ch in text[toks[j - 1].end : toks[j].start] for ch in ".!?;:"):
            break
        joined = toks[j - 1].lower == "and" or "," in text[toks[j - 1].end : toks[j].start]
        if joined and _form(toks[j].lower) == form and _verb_form(toks, j):
            out.append(j)
    return out


def _form(word: str) -> str:
    if word.endswith("ing"):
        return "ing"
    return "s" if word.endswith("s") and not word.endswith("ss") else "plain"


def _verb_form(toks: Sequence[Token], j: int) -> bool:
    """A lower-case word that is no known thing, with a word after it that could start an object."""
    t = toks[j]
    return (
        bool(t.stem)
        and t.text.islower()
        and t.lower not in _NOT_VERBS
        and t.lower not in DETERMINERS
        and t.lower not in PHRASE_END
        and t.stem not in CONCRETE_NOUNS
        and j + 1 < len(toks)
        and toks[j + 1].lower not in PHRASE_END
    )


def _opens_sentence(text: str, toks: Sequence[Token], i: int) -> bool:
    return i == 0 or any(ch in ".!?;:" for ch in text[toks[i - 1].end : toks[i].start])


def _breaks_before(text: str, toks: Sequence[Token], j: int) -> bool:
    return any(ch in ",;:.!?()—–\n" for ch in text[toks[j - 1].end : toks[j].start])


# How far after "train" a "for" may say whom the training is for.
_TRAINING_REACH = 10


def trains_for_others(text: str, toks: Sequence[Token], i: int) -> bool:
    """Whether "train" at `i` trains people for someone else ("We train nurses for hospitals across
    Wales"): then training is the service offered, not the care an employer takes of its staff."""
    if i + 1 < len(toks) and toks[i + 1].lower in ("our", "its", "them", "us"):
        return False
    for j in range(i + 1, min(len(toks), i + _TRAINING_REACH)):
        if any(ch in ".!?;:" for ch in text[toks[j - 1].end : toks[j].start]):
            return False
        if toks[j].lower == "for":
            return True
    return False


def listed_noun(text: str, toks: Sequence[Token], i: int) -> bool:
    """Whether word i, written in -s or -ing, is an item of a list of nouns: it comes right after a
    comma or "and" and is followed by another item or the end of its clause ("through advice,
    training and guide dogs", "for wind turbines, trains and mining machinery"). A verb there would
    have an object before the next comma ("we hire locally, train constantly")."""
    word = toks[i].lower
    if i == 0 or not (word.endswith("ing") or (word.endswith("s") and not word.endswith("ss"))):
        return False
    joined = toks[i - 1].lower in ("and", "or") or "," in text[toks[i - 1].end : toks[i].start]
    if not joined:
        return False
    if i + 1 == len(toks) or any(ch in ",;:.!?()" for ch in text[toks[i].end : toks[i + 1].start]):
        return True
    return toks[i + 1].lower in ("and", "or")


_GIVING_REACH = 6


def given_to_others(text: str, toks: Sequence[Token], i: int) -> bool:
    """Whether word i is the second object of a giving verb in its clause ("we give people leaving
    prison a job"; "find young people jobs") or brought to a place ("jobs to the region"): a thing
    offered to them, not the organisation's staff."""
    if i == 0 or toks[i - 1].lower in ("our", "its"):
        return False
    if i + 2 < len(toks) and toks[i + 1].lower == "to" and toks[i + 2].lower in ("the", "its", "local"):
        return True  # "brings trade and jobs to the region": jobs brought to a place, not staff
    for j in range(i - 1, max(-1, i - 1 - _GIVING_REACH), -1):
        if any(ch in ".!?;:" for ch in text[toks[j].end : toks[j + 1].start]):
            return False
        if toks[j].lower in GIVING:  # "give people leaving prison a job" offers the job
            return j < i - 1 and toks[j + 1].lower not in DETERMINERS  # someone sits between them
    return False


# What caring for stands for a value whatever follows: the world and nature are owed care.
_OWED_CARE = frozenset("planet earth environment nature world climate".split())
_CARE = frozenset({"care", "cares", "caring"})


def cares_for_things(text: str, toks: Sequence[Token], i: int, word_classes: Mapping[str, str]) -> bool:
    """Whether "care(s) for" at `i` is the upkeep of things the organisation looks after ("The trust
    cares for 300 miles of canals"): a service, not the value of caring. Care for people or for the
    planet is left to the cue words."""
    if toks[i].lower not in _CARE or i + 1 >= len(toks) or toks[i + 1].lower != "for":
        return False
    own_act = toks[i].lower == "cares" or (i > 0 and toks[i - 1].lower == "we") or i == 0
    phrase = phrase_at(text, toks, i + 2)
    if not own_act or not phrase:
        return False
    return not any(
        toks[j].lower in _OWED_CARE or class_of(toks[j], word_classes) in (AGENT, ORGANISATION)
        for j in phrase
    )


# Participles of making and running what is offered: "made by", "run by" name who does the work
# ("trusted by", "owned by", "loved by", "tested by" name others).
_MADE = frozenset(
    "made built designed produced crafted baked brewed grown engineered manufactured maintained run "
    "operated staffed taught written delivered cooked sewn woven knitted developed created "
    "assembled repaired serviced rolled forged milled roasted printed harvested picked caught packed "
    "prepared restored".split()
)


def made_before(text: str, toks: Sequence[Token], i: int) -> bool:
    """Whether "by" at i closes "made ... by" in one clause ("rolled in Port Talbot by people")."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if toks[j].lower in _MADE:
            return True
        if j == 0 or any(ch in ",;:.!?()" for ch in text[toks[j - 1].end : toks[j].start]):
            return False
    return False
