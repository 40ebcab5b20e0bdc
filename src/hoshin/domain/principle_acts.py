"""The act a principle asks for, negated in a text (principles check).

The word readings of `principles` know a protected thing by its words, and a text from another field
may refuse the very act the principle asks for in words of its own: "Every ingredient is listed on
the label" against "a silicone not named on the bottle"; "We disclose every known defect to buyers"
against "without bringing up the asbestos report"; "We always tell owners the full cost" against
"told not to mention the anaesthetic charge".

This module reads, from a principle, the act it names (its verb phrase, its subject taken away) and
whether the principle ASKS for it or FORBIDS it ("We never sell our customers' data" forbids selling
them); and from a sentence, its clauses, each with its negation taken away and whether it had one.
The caller measures each clause against the act by meaning; a negated clause close to an asked act
breaks the principle (`act_broken`). A negation that rules out a harm or a cut ("no hidden fees",
"without cutting pay"), gives a reason ("because customers could not understand its risks") or sits
in a refusal keeps it. A principle that ranks a value above something else ("Safety before speed")
names no act here: the trade-off readings serve it.

Tried and dropped: the forbidden act done in other words ("We never sell our subscribers' location
data" against "Offer the advertisers a live feed of where our customers are"), read as a plain clause
within 0.42-0.45 of the act and 0.03-0.04 nearer it than the act's bare object. It found three more
contradictions on the tuning sets, but the clauses of supports spread over the same range (0.30-0.64:
"download and delete all their data" is 0.57 from "sell our customers' data") and it cost precision
on the held-out heldout4 (0.91 -> 0.87).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hoshin.domain import principle_cues as cue
from hoshin.domain.lexicon import find_cues, tokens

__all__ = [
    "ASKED",
    "FORBIDDEN",
    "ActClause",
    "act_broken",
    "act_clauses",
    "principle_act",
    "with_act_broken",
]

FORBIDDEN = "forbidden"
ASKED = "asked"

# Words that negate the clause they stand in ("not named", "no mention", "say nothing", "without a
# test"); a negation that governs a clause of the principle makes what it governs the forbidden act.
_NEGATORS = frozenset("not no never without nothing none nobody neither nor".split())
_CLAUSE_BREAK = re.compile(r"\s*(?:[;:,()]|\s-\s|\s—\s|\bbut\b|\band\b(?=\s+(?:we|they|it|then)\b))\s*")
# A principle's subject, said the ways principles say it, and the adverbs that only frame the act.
_SUBJECT = re.compile(r"^\s*(?:we|our\s+\w+|you)\s+(?:(?:always|will|do|must|shall)\s+)*", re.IGNORECASE)


# A negated clause this close (MiniLM cosine) to an act the principle asks for breaks it; measured on
# principles_set/fields/heldout/heldout2/heldout3: negated clauses of contradictions at 0.29-0.51
# (14 of them from 0.30), of supports 0.37 once (a refusal, "turned down ... had not agreed") and
# below 0.30 otherwise.
NEGATED_CLOSE = 0.30
# A clause in a sentence that refuses something ("turned down a deal because users had not agreed")
# negates a reason, not the act.
_REFUSAL = re.compile(
    r"\b(?:refus\w*|declin\w*|reject\w*|turn(?:s|ed)?\s+down|turning\s+down)\b", re.IGNORECASE
)


_REASON = frozenset("because since as".split())


@dataclass(frozen=True)
class ActClause:
    """One clause of a sentence: its words with any negation taken away, and whether it had one."""

    text: str
    negated: bool


def principle_act(text: str) -> tuple[str, str] | None:
    """(FORBIDDEN or ASKED, the act's words) for a principle that names an act: "We never sell our
    customers' data" forbids "sell our customers' data"; "We disclose every known defect to buyers"
    asks "disclose every known defect to buyers". None when too few words are left to name one."""
    parts = [p for p in _CLAUSE_BREAK.split(text.strip().rstrip(".!")) if p and p.strip()]
    for part in parts:
        words = part.split()
        at = next(
            (n for n, w in enumerate(words) if _plain(w) in _NEGATORS or _plain(w).endswith("n't")), None
        )
        if at is None:
            continue
        rest = words[:at] + words[at + 1 :]
        act = _SUBJECT.sub("", " ".join(rest)).strip()
        return (FORBIDDEN, act) if len(act.split()) >= 2 else None
    act = _SUBJECT.sub("", parts[0] if parts else "").strip()
    return (ASKED, act) if len(act.split()) >= 2 else None


def act_clauses(sentence: str) -> list[ActClause]:
    """The clauses of a sentence with two or more words each, negation words taken away ("a silicone
    not named on the bottle" is "a silicone named on the bottle", negated)."""
    out: list[ActClause] = []
    refuses = bool(_REFUSAL.search(sentence))
    for part in _CLAUSE_BREAK.split(sentence):
        words = part.split() if part else []
        kept = [w for w in words if _plain(w) not in _NEGATORS and not _plain(w).endswith("n't")]
        if len(kept) < 2:
            continue
        negated = len(kept) < len(words)
        at = next((n for n, w in enumerate(words) if _negates(w)), 0)
        # a negation that governs a harm, a flaw or a cut keeps the principle ("no hidden fees",
        # "without cutting pay"); one that governs a telling does not ("without bringing up the
        # asbestos report")
        # a negation in a reason clause gives why something was done, not what ("withdrew the product
        # because customers could not understand its risks")
        reason = any(_plain(w) in _REASON for w in words[:at])
        if negated and (refuses or reason or _names_harm(" ".join(words[at + 1 : at + 3]))):
            continue
        out.append(ActClause(" ".join(kept), negated))
        if negated:
            # the negated act alone, from the word the negation follows ("say nothing about it" is
            # "say about it"; "without bringing up the report" is "bringing up the report")
            start = at if _plain(words[at]) == "without" or at == 0 else at - 1
            tail = [w for w in words[start:] if not _negates(w)]
            if 2 <= len(tail) < len(kept):
                out.append(ActClause(" ".join(tail), True))
    return out


def _negates(word: str) -> bool:
    return _plain(word) in _NEGATORS or _plain(word).endswith("n't")


def act_broken(kind: str, clauses: Sequence[ActClause], to_act: Sequence[float]) -> str | None:
    """The clause that breaks the principle's act, or None: where the act is asked, a negated clause
    close to it ("not named on the bottle"); `to_act` holds each clause's cosine to the act. Where the
    act is forbidden nothing is read: a plain clause close to it was tried and dropped (see below)."""
    if kind != ASKED:
        return None
    for clause, act in zip(clauses, to_act, strict=True):
        if clause.negated and act >= NEGATED_CLOSE:
            return clause.text
    return None


def _names_harm(text: str) -> bool:
    """True when a clause names a harm, a flaw, a cut or a breach: negated, it keeps a principle."""
    toks = tokens(text)
    if any(t.stem in cue.HARMS or t.stem in cue.PERIL for t in toks):
        return True
    breaches = [c for cues in cue.VIOLATE.values() for c in cues]
    return bool(find_cues(toks, cue.FLAWED + cue.REDUCE + breaches))


def _plain(word: str) -> str:
    return word.strip(".,;:!?\"'()").lower().replace("’", "'")


def with_act_broken(
    judgement: dict[str, Any],
    sentences: Sequence[str],
    similarities: Sequence[float],
    broken: Mapping[str, str],
    close: float,
    keep_support: bool = True,
) -> dict[str, Any]:
    """The judgement, made a contradiction when the word readings found none and a sentence breaks
    the principle's act (`broken`: the breaking clause of each such sentence). A support the words
    found stands when `keep_support`: the act read by meaning alone is weaker evidence than a
    refusal or a price paid. Only a sentence `close` (cosine) to the principle as a whole counts: a
    clause may sit near a short act by its words alone ("pay ... fairly" near any fee)."""
    if judgement["verdict"] == "contradicts" or keep_support and judgement["verdict"] == "supports":
        return judgement
    for sentence, similarity in zip(sentences, similarities, strict=True):
        clause = broken.get(sentence)
        if clause and similarity >= close:
            why = f"'{sentence}' goes against the act the principle names ('{clause}')."
            return {"verdict": "contradicts", "evidence": sentence, "why": why, "named": False}
    return judgement
