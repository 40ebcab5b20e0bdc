"""How far from a principle a sentence may be and still break it.

The principles check calls a sentence *close* to a principle from a MiniLM cosine of 0.2 on. Many
texts that break a principle sit much further away: the sentence talks about its own things ("merge
straight to main without a pull request", "cut roof bolting to every second row") and only one or two
of its words touch what the principle protects or what it ranks lower. Measured on the development
sets, reading every sentence as if it were close finds 0.81 of the contradictions at precision 0.94,
against 0.64 of them when only close sentences count; what lets the far reading wrongly call a
contradiction is almost always a motive alone ("speed up invoicing", "reduce the printers to save
money"), or a cue word inside another word ("options" read as "optional").

So a sentence further off than `close` breaks a principle when what it gives up is said by itself:

- a strong cue with no motive or dismissive word beside it (a check skipped, "without a pull
  request", a record passed on) breaks it from `FAR` on;
- a motive breaks it from `LOOSE` on only when the motive *means* what the principle ranks lower, by
  word meaning ("easier" ~ "convenience", "timetable" ~ "schedule"; the caller measures each motive
  word against the principle's traded words), and the motive is the reason for another act, not the
  act itself: "Speed up invoicing by email" is about speed, not about giving anything up for it.

Word-level closeness as a relatedness signal on its own (each content word of the sentence against
the principle's value words, rarity-weighted or at its best) was measured too and separates related
from unrelated texts less well than the sentence cosine (AUC 0.70-0.77 against 0.89 on the three
development sets), so it is used only where it names something precise: the motive.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from hoshin.domain import principle_cues as cue
from hoshin.domain.lexicon import cue_list, find_cues, is_negated, stem
from hoshin.domain.principle_tradeoff import MOTIVE as SHAPE_MOTIVE
from hoshin.domain.principle_tradeoff import MOTIVE_WORDS as SHAPE_MOTIVE_WORDS

__all__ = [
    "CLOSE_TO_BREAK",
    "FAR",
    "LOOSE",
    "MOTIVE_PHRASES",
    "MOTIVE_NEAR",
    "breaks_from_afar",
    "gives_up_by_itself",
]

# A sentence this close is loosely about the principle (MiniLM cosine): texts unrelated to a principle
# sit mostly below 0.08, contradicting ones mostly above 0.1.
LOOSE = 0.08
# A sentence this close (MiniLM cosine) is read in full for what it gives up; support still needs the
# principles check's 0.2 ("New menus for the terrace" is 0.15-0.2 from a kitchen-hygiene principle,
# and "new" would read as more of it). Measured on the five labelled sets: recall of contradictions
# rose on three and fell on none at 0.15, with precision kept; 0.12 added one more on two sets
# (principles_fields, heldout3) with precision kept and false alarms on other fields' principles up
# 0.1-0.8 points; lower than 0.12 was not measured.
CLOSE_TO_BREAK = 0.12
# Below LOOSE only a cue that gives the value up by itself counts, and not below this.
FAR = 0.0
# Every phrase either reading takes for a motive: the caller measures each against the principle's
# traded words.
MOTIVE_PHRASES: frozenset[str] = cue.MOTIVE_WORDS | SHAPE_MOTIVE_WORDS
# A motive this close (MiniLM cosine, word or short phrase) to one of the principle's traded words
# names what the principle ranks lower ("speed" ~ "faster" 0.71, "cost" ~ "cheaper" 0.71,
# "convenience" ~ "easier" 0.46; unrelated pairs such as "test scores" ~ "sales" sit near 0.2).
MOTIVE_NEAR = 0.45
_WEAK_CUES = MOTIVE_PHRASES | frozenset(c.phrase for c in cue.BELITTLE + cue.DISMISS)
_REASON_OPENERS = frozenset("to so for because since as".split())


def gives_up_by_itself(traded_for: Collection[str], cues: Sequence[str]) -> bool:
    """True when a contradiction gives the value up by itself (a check skipped, "without", "round
    down") with no motive named: a motive ("to save time") or a dismissive word ("optional") may be
    all that brings a loosely close sentence near a principle that names it ("skip the team lunch to
    save time" against "safety before speed")."""
    weak = _WEAK_CUES | frozenset(traded_for)
    strong = [c for c in cues if c not in weak and stem(c) not in weak]
    return bool(strong) and len(strong) == len(cues)


def breaks_from_afar(
    traded_for: Collection[str],
    cues: Sequence[str],
    toks: Sequence[Any],
    similarity: float,
    near_motives: Collection[str],
) -> bool:
    """Whether a sentence read as breaking the principle (by `cues`, the reading of it as close) does
    so although it is only `similarity` (already scaled to MiniLM) from the principle."""
    if similarity >= FAR and gives_up_by_itself(traded_for, cues):
        return True
    if similarity < LOOSE or not cues:
        return False
    motives = [c for c in cues if c in MOTIVE_PHRASES or stem(c) in traded_for]
    if len(motives) != len(cues):
        return False  # a dismissive word, or a cue that needs a close sentence
    return all(c in near_motives or stem(c) in traded_for for c in motives) and not _motive_is_the_act(
        toks, motives
    )


def _motive_is_the_act(toks: Sequence[Any], motives: Sequence[str]) -> bool:
    """True when the sentence opens with its motive ("Speed up invoicing", "Save money on paper"): the
    sentence is about that aim, not about something given up for it."""
    if not toks:
        return True
    first = toks[0].lower
    if first in _REASON_OPENERS:
        return False
    return any(first == m.split()[0] or toks[0].stem == stem(m.split()[0]) for m in motives)


# ---- a close sentence that gives no word of giving up, but acts under pressure or for an aim ----
# "Use the same chopping board for raw chicken and salad during the lunch rush", "Put everyone in pads
# at night so staff do not have to help them": the act itself is the field's own ("pads", "chopping
# board"), what shows it gives the value up is that it is done for ease, time or money.
_PURPOSE = cue_list("so, so that, in order to, to")
_AIMS = cue_list(
    """do not have to, don't have to, doesn't have to, does not have to, no need to, fit more, fit in,
    get more, more time, finish"""
)
_PRESSURE = cue_list(
    """rush, busy, peak, backlog, short-staffed, understaffed, short of staff, behind schedule,
    behind on, running late, in a hurry, queue is long, anyway"""
)


def pressed_or_aimed(toks: Sequence[Any], traded_for: Collection[str]) -> list[str]:
    """Cue words by which a sentence close to a principle, that neither gives it up nor adds to it in
    words, acts under pressure ("during the lunch rush", "if we are short-staffed") or for an aim the
    principle ranks lower ("so staff do not have to", "so we can fit more")."""
    found = [
        f"done under pressure: {m.cue.phrase}"
        for m in find_cues(toks, _PRESSURE)
        if not is_negated(toks, m.first, 2)
    ]
    for m in find_cues(toks, _PURPOSE):
        if m.first == 0:
            continue  # "To keep the kitchen clean, ..." opens with its aim: the aim is the value
        after = toks[m.last + 1 : m.last + 7]
        aims = find_cues(after, _AIMS) + find_cues(after, SHAPE_MOTIVE) + find_cues(after, cue.MOTIVE)
        found += [f"done so that: {a.cue.phrase}" for a in aims]
        found += [f"done for: {t.lower}" for t in after if t.stem in traded_for]
    # something skipped or waived in a sentence that names what the principle ranks lower ("Skip the
    # waste labelling this week; we have a grant deadline"): given up for it, however it is joined
    traded = [t.lower for t in toks if t.stem in traded_for]
    for m in find_cues(toks, cue.REDUCE):
        if traded and m.cue.phrase in cue.STRONG_GIVE_UP and not is_negated(toks, m.first):
            found.append(f"{m.cue.phrase} for: {traded[0]}")
    return list(dict.fromkeys(found))
