"""The second reading of the principles check: how a sentence close to a principle gives it up by its
structure, whatever the field's words for the protected thing are.

`hoshin.domain.principles` first reads what a sentence does to the words a principle protects. Texts
from fields it has no words for ("let the toddlers nap unwatched so staff can eat together",
"one carer can hand out the medication alone on night shifts") still say the same few things in the
same few shapes, and this module reads those shapes in a sentence the caller already found close in
meaning to the principle:

- a safeguard loosened: a permission ("may", "can", "let") together with something left out or
  undone ("without a second signature", "alone", "unwatched", "their own work", "before the check
  comes back");
- a choice made for what the principle ranks lower: a motive (money, time, ease, output, or the
  principle's own traded words) in a purpose or reason clause ("to save lab fees", "it saves time",
  "easier than the safe", "so the profit looks stronger");
- figures or facts dressed up: made to look better, quietly changed.

A sentence that also pays the price for the value, refuses the act, or adds to what the principle
protects is left to the first reading, which keeps those as support.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hoshin.domain.lexicon import cue_list, find_cues, is_negated, stem

__all__ = ["MOTIVE_WORDS", "given_up_by_shape"]

# A rule relaxed: what may now be done.
PERMIT = cue_list(
    """may, can, could, let, lets, allowed to, allow, allows, no need to, don't need to, do not need to,
    don't have to, do not have to, doesn't have to, does not have to, ok to, okay to, fine to"""
)
# Something a safeguard needs left out or undone.
LACK = cue_list(
    """without, alone, by themselves, by himself, by herself, by itself, on their own, on his own,
    on her own, on its own, unattended, from memory, in plain text, with the door open, skipping"""
)
# Deeds that check someone's work: "their own" after them is a check by the one checked.
_SELF_CHECK = frozenset(
    stem(w) for w in "sign signs approve approves check checks review reviews mark marks verify".split()
)
_OWNERS = frozenset("own".split())
# What an act waits on: acting "before the results come back" acts without them.
_DONE = frozenset(
    stem(w)
    for w in """back cleared finished completed complete done arrived returned signed approved
    confirmed""".split()
)
# Motives: what a principle usually ranks below its value. Plain words, matched by stem.
MOTIVE = cue_list(
    """save, saves, saving, savings, cheaper, cheap, cost, costs, costly, money, budget, fees, bill, bills,
    profit, profits, margin, margins, revenue, sales, quicker, quickly, faster, speed up, sooner, on time,
    on schedule, deadline, deadlines, schedule, timetable, target, targets, quota, output, throughput,
    productivity, tonnage, easier, simpler, convenient, convenience, hassle, a pain, too long, too busy,
    too slow, slow down, slows down, slow us down, free up, short-staffed, understaffed, short of staff,
    behind, rush, busy, more money"""
)
MOTIVE_WORDS = frozenset(c.phrase for c in MOTIVE)
# Where a motive is the reason for the act: after these, or a reason on its own.
_REASON_OPENERS = frozenset("to so for because since as".split())
_SELF_REASONS = frozenset(
    stem(w) for w in """save saves saving savings cheaper quicker faster easier simpler sooner""".split()
)
# A motive inside a concession is a cost accepted for the value, not a reason to give it up.
_CONCESSION = cue_list("even if, even though, even when, even with, although, though, despite, whatever")
# Looking better than it is: "so the profit looks stronger", "make the loss appear smaller".
_LOOK = frozenset(stem(w) for w in "look looks looked appear appears seem seems".split())
_DRESSED = cue_list("quietly, on the quiet, massage, massaged, tweak, tweaked, adjust, adjusted")
# Verbs whose particle, after their object, turns them into hiding or shading the facts.
_SEPARABLE = {
    stem("round"): ("down", "up"),
    stem("leave"): ("out",),
    stem("left"): ("out",),
    stem("play"): ("down",),
    stem("water"): ("down",),
    stem("tone"): ("down",),
    stem("cover"): ("up",),
    stem("hush"): ("up",),
    stem("keep"): ("quiet",),
}
_COMPARATIVE_WORDS = frozenset("better worse more less".split())
_COPULAS = frozenset("is it's its are was were be being much far".split())


def given_up_by_shape(
    toks: Sequence[Any], traded_for: frozenset[str], honesty: bool, guards_lack: bool = False
) -> list[str]:
    """Cue words by which a sentence close to a principle gives it up (none when it does not).

    `traded_for`: stems of what the principle must not be traded for; `honesty`: whether it protects
    the truth (figures dressed up count then); `guards_lack`: it forbids acting without a safeguard
    ("code that has not been reviewed"), so a lack alone breaks it."""
    lacking = _lacking(toks)
    if lacking and (guards_lack or _permits(toks)):
        return lacking
    motive = _framed_motive(toks, traded_for)
    if motive and lacking:
        return lacking + motive
    if honesty:
        dressed = _dressed_up(toks)
        if dressed:
            return dressed
    return motive


def _permits(toks: Sequence[Any]) -> bool:
    """A rule relaxed ("may collect", "let the staff"), not an aim ("so it can be replaced")."""
    for m in find_cues(toks, PERMIT):
        if not any(t.lower in ("so", "that", "to") for t in toks[max(0, m.first - 2) : m.first]):
            return True
    return False


def _lacking(toks: Sequence[Any]) -> list[str]:
    """Something a safeguard needs is left out: "without X", "alone", "unwatched", "their own work",
    "before the check comes back"."""
    found = [
        m.cue.phrase
        for m in find_cues(toks, LACK)
        if not is_negated(toks, m.first, 2) and not _followed_by_cut(toks, m)
    ]
    for i, t in enumerate(toks):
        word = t.lower
        # "unwatched", "unlocked", "unencrypted": a protective deed not done (not "under...")
        if word.startswith("un") and word.endswith("ed") and len(word) > 6 and not word.startswith("under"):
            if not is_negated(toks, i, 2):
                found.append(word)
        if word in _OWNERS and i >= 2 and any(u.stem in _SELF_CHECK for u in toks[max(0, i - 3) : i]):
            found.append("own " + (toks[i + 1].lower if i + 1 < len(toks) else ""))
        if word == "before" and any(u.stem in _DONE for u in toks[i + 2 : i + 8]):
            found.append("before")
    return found


def _followed_by_cut(toks: Sequence[Any], match: Any) -> bool:
    """ "without cutting pay", "without delay": the lack that follows is ruled out, not made."""
    nxt = toks[match.last + 1].lower if match.last + 1 < len(toks) else ""
    return match.cue.phrase == "without" and (nxt.endswith("ing") or nxt in ("delay", "fail", "exception"))


def _framed_motive(toks: Sequence[Any], traded_for: frozenset[str]) -> list[str]:
    """Motives given as the reason for the act ("to save lab fees", "it saves time", "easier than the
    safe"), not the cost of keeping the value ("even though it means fewer trips")."""
    conceded = min((m.first for m in find_cues(toks, _CONCESSION)), default=len(toks))
    matches = [(m.first, m.last, m.cue.phrase) for m in find_cues(toks, MOTIVE)]
    taken = {i for first, last, _ in matches for i in range(first, last + 1)}
    matches += [(i, i, t.lower) for i, t in enumerate(toks) if t.stem in traded_for and i not in taken]
    found = []
    for first, last, phrase in matches:
        if first >= conceded or is_negated(toks, first, 2):
            continue
        opened = any(
            t.lower in _REASON_OPENERS and not _preposition(toks, n)
            for n, t in enumerate(toks[max(0, first - 5) : first], start=max(0, first - 5))
        )
        if opened or " " in phrase or last > first or _self_reason(toks, first):
            found.append(phrase)
    return found


def _self_reason(toks: Sequence[Any], index: int) -> bool:
    """A motive that is a reason by itself: "it saves time", "cheaper than fixing it", "it's quicker";
    not a thing described ("faster page loads", "the cheaper model suits me")."""
    word = toks[index]
    if word.stem not in _SELF_REASONS:
        return False
    if word.stem == stem("save") or word.lower.startswith("sav"):
        return True
    after = toks[index + 1].lower if index + 1 < len(toks) else ""
    before = toks[index - 1].lower if index > 0 else ""
    return after == "than" or before in _COPULAS


def _preposition(toks: Sequence[Any], index: int) -> bool:
    """ "to a cheaper provider", "for the cheapest": the opener leads a noun, not a purpose."""
    nxt = toks[index + 1].lower if index + 1 < len(toks) else ""
    return toks[index].lower in ("to", "for") and nxt in ("a", "an", "the", "our", "their", "its")


def _dressed_up(toks: Sequence[Any]) -> list[str]:
    """Figures made to look better than they are, or changed quietly."""
    found = [m.cue.phrase for m in find_cues(toks, _DRESSED)]
    for i, t in enumerate(toks):  # "round the loss down", "leave the readings out"
        if t.stem in _SEPARABLE and not is_negated(toks, i, 2):
            found += [t.lower + " " + u.lower for u in toks[i + 2 : i + 7] if u.lower in _SEPARABLE[t.stem]][
                :1
            ]
    for i, t in enumerate(toks):
        if t.stem in _LOOK:
            after = toks[i + 1 : i + 3]
            if any(u.lower in _COMPARATIVE_WORDS or u.lower.endswith("er") for u in after):
                found.append(t.lower + " " + after[0].lower)
    return found
