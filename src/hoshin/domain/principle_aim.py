"""What a sentence does its act for, and what it accepts along the way (principles check).

The word readings of `principles` and `principle_tradeoff` know a motive when it is one of their
words ("to save money", "faster"). Texts from fields they have no words for name the aim in the
field's own terms: "so we can fit in the next patient" is chair turnover, "so the animals are always
visible" is visitor numbers, "so customers do not lose power" is uptime, "to push yields this season"
is a bigger harvest. And a concession may give up the very thing the principle protects: "Finish the
synthesis by Friday even if the safety review waits", "Sail tonight despite the storm warning".

This module cuts a sentence into those clauses; the caller measures each clause by meaning, and
`aim_given_up` reads the stance from that:

- an act done FOR gain (a purpose or reason clause closer in meaning to GAIN_PROTOTYPES, more output,
  speed, money, the schedule, than to CARE_PROTOTYPES) in a sentence close to the principle gives the
  value up, unless the first reading found support outside that clause (a price paid, a refusal).
  Measured against the principle's own traded phrase instead, the aim separates badly: "chair
  turnover" is 0.17 from "so we can fit in the next patient"; the generic gain/care contrast puts
  most aims of contradictions above +0.12 and most aims of supports below it;
- an act done although it costs what the principle protects (a concession clause closer to the value
  than to the traded thing) gives the value up too; a concession that accepts a cost in the traded
  thing ("even if it costs us the slot") keeps it, as the first reading already says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoshin.domain.lexicon import cue_list, find_cues, tokens

__all__ = ["AIM", "CARE_PROTOTYPES", "CONCEDED", "GAIN_PROTOTYPES", "aim_given_up", "clauses"]

AIM = "aim"
CONCEDED = "conceded"
# What an act may be done for that principles usually rank below their value, and what serves it.
GAIN_PROTOTYPES = (
    "to get more customers and sell more",
    "to go faster and finish sooner",
    "to save money and cut costs",
    "to produce more and increase output",
    "to keep to the schedule",
)
CARE_PROTOTYPES = (
    "to keep people safe and well",
    "to protect them and take care",
    "to be honest and open",
    "to avoid harm and damage",
)

# Openers of a clause that says what the act is for.
# Not "because" or "since": those give a cause ("slipped a day because the changes were still in
# review"), which as often excuses the value's side as gain's.
_PURPOSE = cue_list("so that, so, in order to, to make room for, to, for the sake of, just to, all to")
# Openers of a clause that says what the act is done in spite of.
_CONCESSION = cue_list(
    "even if, even though, even when, despite, in spite of, regardless of, whatever, no matter"
)
# "to" that leads a noun ("to the officer", "to eleven"), or follows a verb of wanting or moving or a
# noun it completes ("moves to", "an offer to buy"): no purpose.
_NOT_PURPOSE_AFTER_TO = frozenset(
    """a an the our their its his her my your this that these those every all each one two three four
    five six seven eight nine ten eleven twelve half under over about them him us me""".split()
)
_NUMBER_WORDS = frozenset(
    """thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
    seventy eighty ninety hundred thousand million""".split()
)
_TO_AFTER_VERB = frozenset(
    """want wants need needs have has had going used able due according next up move moves moved go
    goes went come comes came back return returns returned send sends sent offer offers request requests
    proposal plan plans attempt decision chance right refuse refused refuses decline declined""".split()
)
# A sentence that refuses its act keeps the value, whatever the act was for.
_REFUSAL = cue_list(
    """refused, refuse, refuses, declined, decline, declines, turned down, turn down, rejected, won't,
    will not, never, no longer"""
)
_CLAUSE_BREAKS = frozenset(",;:()")


def clauses(sentence: str) -> list[tuple[str, str]]:
    """(kind, clause) for every purpose or reason clause (AIM) and concession clause (CONCEDED) of the
    sentence; a clause after a semicolon or dash that gives no order of its own counts as a reason
    ("Skip the waste labelling this week; we have a grant deadline")."""
    toks = tokens(sentence)
    openers: list[tuple[int, int, str]] = []
    for m in find_cues(toks, _PURPOSE):
        if m.cue.phrase == "to" and not _purpose_to(toks, m.first):
            continue
        if m.first == 0:
            continue  # "To keep the kitchen clean, ...": a sentence that opens with its aim names the value
        openers.append((m.first, m.last, AIM))
    openers += [(m.first, m.last, CONCEDED) for m in find_cues(toks, _CONCESSION) if m.first > 0]
    for i in range(1, len(toks)):
        gap = sentence[toks[i - 1].end : toks[i].start]
        if (";" in gap or " - " in gap or "—" in gap) and toks[i].lower in _REASON_SUBJECTS:
            openers.append((i, i - 1, AIM))
    openers.sort()
    out: list[tuple[str, str]] = []
    starts = [first for first, _, _ in openers]
    for first, last, kind in openers:
        later = [start for start in starts if start > first]
        end = last + 2  # a clause holds at least the word after its opener
        while end < len(toks) and end not in later and not _break_before(sentence, toks, end):
            end += 1
        if last + 1 < len(toks):
            out.append((kind, sentence[toks[last + 1].start : toks[end - 1].end]))
    return list(dict.fromkeys(out))


# A second clause that starts with a subject gives a reason, not another order ("; we have a grant
# deadline", "; clients prefer younger staff", "; it doubles the outage time").
_REASON_SUBJECTS = frozenset("we it they there this that the clients customers nobody no".split())


def _purpose_to(toks: Sequence[Any], i: int) -> bool:
    """ "to" that opens a purpose: a verb follows (lower case: "to Thursday afternoons" leads a name)."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    before = toks[i - 1].lower if i > 0 else ""
    return (
        nxt.text[:1].islower()
        and nxt.lower not in _NOT_PURPOSE_AFTER_TO
        and not nxt.lower.isdigit()
        and nxt.lower not in _NUMBER_WORDS
        and before not in _TO_AFTER_VERB
    )


def _break_before(sentence: str, toks: Sequence[Any], i: int) -> bool:
    return any(ch in sentence[toks[i - 1].end : toks[i].start] for ch in _CLAUSE_BREAKS)


def aim_given_up(
    sentence: str, leaning: Mapping[tuple[str, str], str], support_cues: Sequence[str] = ()
) -> list[str]:
    """Cue words by which a sentence close to a principle gives it up through its aim or concession.

    `leaning` maps each (kind, clause) of `clauses(sentence)` to "gain" (an aim that leans to
    GAIN_PROTOTYPES), "value" (a concession closer to what the principle protects than to what it
    ranks lower) or "" (neither);
    `support_cues`: what made the first reading call the sentence support, which stands unless all of
    it lies inside an aim for the traded thing ("so we can see more patients")."""
    found: list[str] = []
    inside: list[str] = []
    if find_cues(tokens(sentence), _REFUSAL):
        return []
    for kind, clause in clauses(sentence):
        lean = leaning.get((kind, clause), "")
        if kind == AIM and lean == "gain":
            found.append(f"done for: {clause}")
            inside.append(clause.lower())
        elif kind == CONCEDED and lean == "value":
            found.append(f"done although: {clause}")
    if found and support_cues and not all(any(c.lower() in i for i in inside) for c in support_cues):
        return []
    return found
