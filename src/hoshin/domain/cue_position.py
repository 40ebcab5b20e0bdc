"""How a cue word reads where it stands: a noun or a verb, the organisation's act or someone else's.

A cue list matches words; the words around a match say what it means. Three readings live here:

- A word in -s right after a possessive, an article or a number is a plural noun, never a verb:
  "Denmark's trains" are no staff being trained, even though "train" is a cue for employees.
- A value word right after someone else as its subject is what they do, not what the organisation
  holds: "shops across Ireland trust (our software)" states no value of the writer's.
- A slogan without a verb that repeats its opening word over three or more short parts ("Healthy
  soil, healthy food, healthy people", "zero emissions, zero waste, zero accidents") states what
  the organisation stands for: the repetition is the rhetoric of a creed.
- "put the patient first", "putting people first": a priority put before all else is a value,
  whoever comes first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from hoshin.domain.lexicon import Token

__all__ = [
    "done_by_others",
    "names_or_describes_others",
    "plural_noun_reading",
    "put_first",
    "repeated_slogan",
    "terse_commands",
]

# Words after which the next word is a noun: articles, possessive pronouns and numbers.
_NOUN_BEFORE = frozenset("a an the this that these those its their his her my your every each".split())
_NUMBER = re.compile(r"^\d")
# After a preposition a verb would take -ing ("for training"); an -s form there is a noun ("for trains").
_PREPOSITIONS = frozenset("for of to with by from in on into at".split())


def plural_noun_reading(toks: Sequence[Token], index: int, cue_word: str) -> bool:
    """Whether token `index`, written as the cue word with an added -s, reads as a plural noun there.

    A verb's -s form cannot follow an article, a possessive, a number or a preposition; a noun's
    plural can. When the
    cue word was written as a verb ("train", "hire") the noun of the same spelling is another word."""
    written = toks[index].lower
    if written == cue_word or not written.endswith("s") or index == 0:
        return False
    before = toks[index - 1].lower
    return (
        before in _NOUN_BEFORE
        or before in _PREPOSITIONS
        or before.endswith(("'s", "’s", "s'", "s’"))
        or bool(_NUMBER.match(before))
    )


# The organisation speaking of itself: as a subject these make the value its own.
_SELF = frozenset({"we", "i", "us", "our", "company", "team"})


def done_by_others(
    toks: Sequence[Token], index: int, word_classes: Mapping[str, str] | None, others: frozenset[str]
) -> bool:
    """Whether the cue at `index` is a bare verb whose subject, just before it, is someone other than
    the organisation: a plural noun of a kind in `others` ("customers trust") or a proper name mid-
    sentence ("shops across Ireland trust"). "Customer trust" (a singular modifier) stays a value."""
    if index == 0 or word_classes is None:
        return False
    word, subject = toks[index].lower, toks[index - 1]
    if word.endswith(("ing", "ed")) or subject.lower in _SELF:
        return False
    proper = subject.text[:1].isupper() and index > 1
    plural = subject.lower.endswith("s") and not subject.lower.endswith("ss")
    found = word_classes.get(subject.lower, "")
    return (proper or plural) and (found in others or found.partition(":")[0] in others)


def names_or_describes_others(
    toks: Sequence[Token], first: int, last: int, word_classes: Mapping[str, str]
) -> bool:
    """Whether a value word is part of a name ("the hospital trust", "the Harbour Trust") or says what
    the people served are like ("a bookshop for curious readers"): no value the organisation holds."""
    before = toks[first - 1] if first > 0 else None
    if before is not None and first == last:
        trade = word_classes.get(before.lower, "").startswith("trade:")
        titled = toks[first].text[:1].isupper() and before.text[:1].isupper() and first > 1
        if (trade or titled) and before.end + 1 >= toks[first].start:
            return True
    after = toks[last + 1] if last + 1 < len(toks) else None
    served = after is not None and word_classes.get(after.lower, "") in ("agent", "organisation")
    return served and any(t.lower == "for" for t in toks[max(0, first - 2) : first])


_PARTS = re.compile(r"[,;:.!?]+|\band\b")
_LEADING_FILLER = frozenset({"a", "an", "the", "our"})
# Parts that open with these are clauses ("we teach, we discover"), not verbless phrases.
_CLAUSE_OPENERS = frozenset({"we", "i", "you", "they", "it", "to"})
_LONGEST_PART = 5
_FEWEST_PARTS = 3


def repeated_slogan(text: str) -> str | None:
    """The run of parts of a verbless slogan that open with the same word, or None.

    Three or more consecutive short parts (five words at most, commas or "and" between them) whose
    first word after an article is the same: "Healthy soil, healthy food, healthy people"."""
    spans = _part_spans(text)
    parts = [text[a:b] for a, b in spans]
    leads = [_lead(p) for p in parts]
    run_start = 0
    for k in range(1, len(parts) + 1):
        if k < len(parts) and leads[k] is not None and leads[k] == leads[run_start]:
            continue
        if leads[run_start] is not None and k - run_start >= _FEWEST_PARTS:
            # The statement's own words from the first part to the last, as written (the evidence
            # is a phrase of the statement, whatever stood between the parts)
            return text[spans[run_start][0] : spans[k - 1][1]]
        run_start = k
    return None


def _part_spans(text: str) -> list[tuple[int, int]]:
    """Where each part between commas, stops and "and" starts and ends, surrounding space left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for separator in [*_PARTS.finditer(text), None]:
        end = separator.start() if separator else len(text)
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, left + len(piece.strip())))
        start = separator.end() if separator else end
    return spans


def _lead(part: str) -> str | None:
    words = part.lower().split()
    while words and words[0] in _LEADING_FILLER:
        words = words[1:]
    if not words or len(words) > _LONGEST_PART or words[0] in _CLAUSE_OPENERS:
        return None
    return words[0]


_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_NOT_A_COMMAND = (
    _LEADING_FILLER | _CLAUSE_OPENERS | frozenset("this these those its their every each".split())
)
_FEWEST_COMMANDS = 3
_LONGEST_COMMAND = 7


def terse_commands(text: str) -> str | None:
    """The statement, when it is three or more short sentences that each open with a command or a
    bare word ("Listen first. Keep promises. Leave things better than we found them."): a creed of
    how to behave, not a description of what is sold. None otherwise."""
    sentences = [s.strip() for s in _SENTENCES.split(text.strip()) if s.strip()]
    if len(sentences) < _FEWEST_COMMANDS:
        return None
    for sentence in sentences:
        words = sentence.rstrip(".!?").split()
        if not 1 < len(words) <= _LONGEST_COMMAND or "," in sentence:
            return None
        if words[0].lower() in _NOT_A_COMMAND or not words[0][:1].isalpha():
            return None
    return text.strip()


# "put(s) / putting" + up to two words (after an optional determiner) + "first".
_PUT_FIRST = re.compile(
    r"\b(?:put|puts|putting)\s+(?:(?:the|our|every|each|their|its)\s+)?[^\W\d_]+(?:\s+[^\W\d_]+)?\s+first\b",
    re.IGNORECASE,
)


def put_first(text: str) -> str | None:
    """The phrase that puts someone or something first ("We put the patient first in everything we
    do"): a priority before all else, which is a value the organisation holds. None otherwise."""
    found = _PUT_FIRST.search(text)
    return found.group(0) if found else None
