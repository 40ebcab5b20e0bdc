"""Goal cascade checks: the pure rules that find problems in a set of goals.

The service layer embeds the goals and scores them against the mission; these functions take the
numbers (similarities, link scores, verdict scores) and the texts, and decide which goals to flag.

The cut-offs live in `CheckLimits` and were set on the demo organisation (see each field's note):
- duplicates: cosine of the two goal texts >= 0.70. On the demo goals the planted duplicate pair
  sits at 0.74 and the closest unrelated pairs (two different compressor tests, the two sides of
  the seal conflict) at 0.65; pairs where one goal is an ancestor of the other are never duplicates
  (a key result often restates its objective);
- conflicts: a shared subject (cosine >= 0.35 and a shared content word) where one goal only uses
  cost-cutting words and the other only quality-raising words;
- weak parent: the given parent's link score is at least 0.20 below the best candidate's and at
  most half of it (on the demo the planted case has 0.10 against 0.36; the nearest ordinary goal
  0.22 against 0.40);
- off-mission: an off-tier verdict is not enough, since a key result such as "sign forty new
  dealers" reads as off on its own and still serves an on-mission parent. A goal is flagged when it
  matches an exclusion word for word, or when no on-mission parent carries it (link score >= 0.25)
  and its z is clearly off (< 1.0) and it is not written in plain commercial language;
- weak units: mean verdict score < 0.25 (the demo's planted unit scores 0.13-0.19, the next 0.29).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.text import MISSION_FILLER, STOP_WORDS, stem, stems, words

__all__ = [
    "CheckLimits",
    "Issue",
    "Pair",
    "ancestors",
    "conflicting_pairs",
    "direction",
    "duplicate_pairs",
    "is_mission_neutral",
    "is_weak_parent",
    "shared_subject_words",
]


@dataclass(frozen=True)
class Issue:
    kind: str  # orphan | off-mission | duplicate | conflict | weak-parent
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class CheckLimits:
    duplicate_cosine: float = 0.70
    conflict_cosine: float = 0.35
    weak_parent_gap: float = 0.20  # best candidate's link score minus the given parent's
    weak_parent_ratio: float = 0.50  # the given parent's link score as a share of the best one
    carry_link: float = 0.25  # link score at which an on-mission parent vouches for an off-tier goal
    clearly_off_z: float = 1.0  # below this z an off-tier goal is clearly off, not borderline
    weak_unit_score: float = 0.25  # a unit whose goals' mean score is below this is weak
    theme_cover_cosine: float = 0.45  # a goal this close to a theme serves it


@dataclass(frozen=True)
class Pair:
    first: int
    second: int
    words: tuple[str, ...]  # the shared words that back the finding


# ---------------------------------------------------------------------------- cue lexicons
# Word beginnings (matched against lower-cased words) that say a goal pushes for lower cost or
# more speed, and ones that say it pushes for quality, durability or safety. Prefixes keep the
# lists short: "cheap" covers cheaper and cheapest, "durab" covers durable and durability.
_COST_CUES = (
    "cheap",
    "lowest-pric",
    "low-pric",
    "lowest-cost",
    "low-cost",
    "cost",
    "spend",
    "price",
    "budget",
    "discount",
    "faster",
    "fastest",
    "speed up",
    "quicker",
    "shorter lead",
    "headcount",
    "savings",
    "cut corners",
    "outsourc",
    "offshor",
)
_QUALITY_CUES = (
    "quality",
    "qualif",
    "reliab",
    "durab",
    "robust",
    "surviv",
    "withstand",
    "endur",
    "long-lasting",
    "lifetime",
    "lifespan",
    "last longer",
    "tight",
    "safe",
    "failure",
    "fail",
    "defect",
    "warranty",
    "life test",
    "premium",
    "certif",
)
# "still seals after 200,000 openings", "still stops after 10,000 km": wear-resistance in a phrase.
_QUALITY_PATTERNS = (re.compile(r"\bstill\b.+\bafter\b"),)
# Words of the cost side that also occur, harmlessly, in quality talk ("energy-saving").
_COST_EXCEPTIONS = ("energy-saving", "energy saving", "running cost")

# Words of plain commercial goals (grow revenue, win customers, enter a region) and of the
# functions every organisation runs (newsletters, hiring, offices). A goal written only in these is
# neutral towards any mission: it is judged through the goals it serves, never flagged by itself.
_NEUTRAL = frozenset(
    stem(w)
    for w in """
    grow growth increase raise boost double triple reach achieve win launch lift revenue revenues sales
    sell turnover profit profits margin margins market markets share customer customers client clients
    order orders region regions central northern southern eastern western europe european america asia
    country countries national international domestic abroad city cities percent year years quarter
    quarters month months annual annually weekly monthly daily target targets volume volumes business
    existing company marketing brand awareness unprompted newsletter newsletters subscriber subscribers
    social media follower followers following website online campaign campaigns retail chain chains
    store stores shop shops dealer dealers partner partners channel channels staff employee employees
    hire hiring recruit office offices team teams people number
    """.split()
)


def _has_cue(lowered: str, cues: Sequence[str]) -> list[str]:
    found = []
    for cue in cues:
        if " " in cue:
            if cue in lowered:
                found.append(cue)
        elif re.search(r"(?<![\w-])" + re.escape(cue), lowered):
            found.append(cue)
    return found


def direction(text: str) -> str | None:
    """'cost' when the goal pushes only for cheaper/faster, 'quality' when only for better/safer/
    longer-lasting, None when it does neither or both (a goal that balances the two is no side)."""
    lowered = " ".join(words(text)) if text else ""
    lowered_raw = text.lower()
    for exception in _COST_EXCEPTIONS:
        lowered_raw = lowered_raw.replace(exception, " ")
        lowered = lowered.replace(exception, " ")
    cost = _has_cue(lowered_raw, _COST_CUES) or _has_cue(lowered, _COST_CUES)
    quality = (
        _has_cue(lowered_raw, _QUALITY_CUES)
        or _has_cue(lowered, _QUALITY_CUES)
        or any(p.search(lowered_raw) for p in _QUALITY_PATTERNS)
    )
    if cost and not quality:
        return "cost"
    if quality and not cost:
        return "quality"
    return None


def is_mission_neutral(text: str) -> bool:
    """True when every content word of the goal is plain commercial language (revenue, sales,
    regions, percentages): such a goal neither serves nor leaves the mission by itself."""
    content = [w for w in words(text) if len(w) > 2 and w not in STOP_WORDS and w not in MISSION_FILLER]
    if not content:
        return True
    return all(stem(w) in _NEUTRAL for w in content)


def _cue_stems() -> frozenset[str]:
    return frozenset(stem(w) for cue in _COST_CUES + _QUALITY_CUES for w in words(cue))


def shared_subject_words(
    a: str, b: str, ignore: frozenset[str] = frozenset(), skip_cues: bool = False
) -> tuple[str, ...]:
    """Content words the two goals share (by stem), leaving out `ignore`d words and, with
    `skip_cues`, the cost and quality cue words (so that "cost" in both is no shared subject)."""
    skip = {stem(w) for w in ignore} | (_cue_stems() if skip_cues else frozenset())
    mine = stems(a, MISSION_FILLER)
    theirs = stems(b, MISSION_FILLER)
    return tuple(word for key, word in mine.items() if key in theirs and key not in skip)


# ---------------------------------------------------------------------------- the rules
def ancestors(parents: Mapping[int, Sequence[int]], goal: int) -> set[int]:
    """Every goal above `goal` through its parent links (the input is known to have no cycles)."""
    seen: set[int] = set()
    stack = list(parents.get(goal, ()))
    while stack:
        p = stack.pop()
        if p not in seen:
            seen.add(p)
            stack.extend(parents.get(p, ()))
    return seen


def _related(above: Sequence[set[int]], i: int, j: int) -> bool:
    return i in above[j] or j in above[i]


def duplicate_pairs(
    texts: Sequence[str],
    similarity: np.ndarray,
    above: Sequence[set[int]],
    limits: CheckLimits = CheckLimits(),
    ignore: frozenset[str] = frozenset(),
) -> list[Pair]:
    """Pairs of goals that say the same thing: very close in meaning and sharing at least one
    content word, and not one the ancestor of the other."""
    out = []
    # Only the few pairs above the cut-off are looked at word by word.
    close = np.argwhere(np.triu(similarity >= limits.duplicate_cosine, k=1))
    for i, j in close.tolist():
        if _related(above, i, j):
            continue
        shared = shared_subject_words(texts[i], texts[j], ignore)
        if shared:
            out.append(Pair(i, j, shared))
    return out


def conflicting_pairs(
    texts: Sequence[str],
    similarity: np.ndarray,
    above: Sequence[set[int]],
    limits: CheckLimits = CheckLimits(),
    ignore: frozenset[str] = frozenset(),
) -> list[Pair]:
    """Pairs on one subject that pull opposite ways; `first` is always the cost-cutting goal."""
    sides = [direction(t) for t in texts]
    out = []
    for i, side in enumerate(sides):
        if side != "cost":
            continue
        for j, other in enumerate(sides):
            if other != "quality" or similarity[i, j] < limits.conflict_cosine or _related(above, i, j):
                continue
            shared = shared_subject_words(texts[i], texts[j], ignore, skip_cues=True)
            if shared:
                out.append(Pair(i, j, shared))
    return out


def is_weak_parent(given: float, best: float, limits: CheckLimits = CheckLimits()) -> bool:
    """True when the given parent's link score is clearly below the best candidate's."""
    return best - given >= limits.weak_parent_gap and given <= limits.weak_parent_ratio * best
