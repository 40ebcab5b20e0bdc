"""Principles check: does a text contradict, support, or not touch one of the organisation's principles?

A principle protects something ("We never trade safety for cost" protects safety against cost) or
forbids an action ("We never sell customer data"). A text is read sentence by sentence:

- *related* when it shares content words with what the principle protects (expanded by a small
  concept list: safety -> test, inspection, pressure...) or is close to it in meaning;
- *contradicts* when a related sentence reduces, skips or cuts the protected thing (and more clearly
  so when it does that for speed or money), or does the forbidden action;
- *supports* when a related sentence adds to or strengthens the protected thing, or refuses to cut it.

Those word rules fit the goods makers the project started with. A second reading carries them to other
fields without naming any field's things: the caller says, per sentence, whether it is *close in
meaning* to the principle (the embedding model does that), and a close sentence contradicts when it
gives up what the principle protects in a way any field says it: a check, test or sign-off skipped,
deferred or done after the fact; a flawed thing (failed, uncertified, expired) used anyway; the value
dismissed as a luxury or as slowing things down; facts hidden or rounded; private data passed on;
something dropped for the sake of what the principle must not be traded for (cost, speed). A text that
accepts the cost for the value ("we paid more", "even if it costs us the slot") supports it. The
principle's value is also placed among the known concepts by meaning, so "accuracy" or "wellbeing"
bring the checks and the cares of their kind.

Agreement and unrelatedness are kept apart from contradiction on purpose: without a cue that gives
something up, this reading never calls a text a contradiction, however close (principle_meaning may).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hoshin.domain import principle_cues as cue
from hoshin.domain.evidence_words import quotable_words
from hoshin.domain.lexicon import STOPWORDS, content_stems, find_cues, is_negated, stem, tokens
from hoshin.domain.principle_aim import aim_given_up
from hoshin.domain.principle_choice import chosen_against
from hoshin.domain.principle_circumstance import acted_on_condition
from hoshin.domain.principle_cues import CONCEPT_PROTOTYPES, CONCEPTS
from hoshin.domain.principle_reach import CLOSE_TO_BREAK, FAR, breaks_from_afar, pressed_or_aimed
from hoshin.domain.principle_regard import IMPARTIAL, UNIVERSAL, only_some, treated_unequally
from hoshin.domain.principle_tradeoff import given_up_by_shape

_GUARDS_LACK = re.compile(
    r"\b(?:un\w{3,}ed|without|unless|(?:has|have|had)\s+not\s+been|(?:has|have|had)\s+not\s+\w+ed|"
    r"(?:hasn't|haven't)\s+\w+)\b",
    re.IGNORECASE,
)
_AUXILIARY_BEFORE = re.compile(r"\b(?:has|have|had|is|are|was|were)\s*$", re.IGNORECASE)
_RANKING_VERBS = frozenset("come comes came go goes is are was first always".split())
_PRONOUNS = frozenset("we it they i you he she".split())
_CLOSE = 0.2  # a sentence this close to the principle (MiniLM cosine) is about what it protects

__all__ = [
    "CONCEPTS",
    "given_up_objects",
    "CONCEPT_PROTOTYPES",
    "Principle",
    "concepts_by_meaning",
    "judge_principle",
    "parse_principle",
    "traded_phrase",
]


@dataclass(frozen=True)
class Principle:
    text: str
    protected: frozenset[str]  # stems of what the principle protects
    related: frozenset[str]  # protected stems plus their concept words
    traded_for: frozenset[str]  # what it must not be traded for ("cost"), if said
    forbidden: frozenset[str]  # stems of actions it forbids ("sell" in "never sell data")
    concepts: frozenset[str] = frozenset()  # the kinds of value it protects ("safety", "honesty")
    # it forbids acting without a safeguard ("code that has not been reviewed", "unsupervised"): a text
    # that acts without one breaks it with no rule relaxed or motive given
    guards_lack: bool = False


@lru_cache(maxsize=1024)  # an organisation's few principles are read again for every new text
def parse_principle(text: str, concepts: frozenset[str] = frozenset()) -> Principle:
    """Read what a principle protects, what it must not be traded for, and what it forbids.

    `concepts`: names of CONCEPTS the caller placed the principle's value among by meaning
    (`concepts_by_meaning`); they add to those its words name."""
    protected: set[str] = set()
    traded: set[str] = set()
    match = _ranking(text)
    if match:
        protected = content_stems(match.group("protected")) - cue.GENERIC
        traded = content_stems(match.group("traded")) - cue.GENERIC - cue.LIGHT
    if not protected:
        protected = content_stems(text) - cue.GENERIC - traded
    forbidden = {
        stem(m.group(1))
        for m in cue.FORBID.finditer(text)
        if not _AUXILIARY_BEFORE.search(text[: m.start()])  # "accounts we have not verified"
        and m.group(1).lower() not in STOPWORDS
        and stem(m.group(1)) not in cue.GENERIC | traded
    }
    kinds = {cue.SYNONYMS[s] for s in protected if s in cue.SYNONYMS} | (set(concepts) & set(CONCEPTS))
    if IMPARTIAL.search(text):
        kinds.add("equality")  # "whatever their background": everyone it covers treated alike
    if forbidden & cue.HIDING_VERBS:
        kinds.add("honesty")  # "we never hide trial results" protects the truth about them
    related = set(protected)
    for concept in kinds:
        related |= CONCEPTS[concept]
    related -= traded  # "repair before we replace": replacing is what the principle ranks lower
    return Principle(
        text,
        frozenset(protected),
        frozenset(related - cue.GENERIC),
        frozenset(traded),
        frozenset(forbidden),
        frozenset(kinds),
        bool(_GUARDS_LACK.search(text)),
    )


def _ranking(text: str) -> re.Match[str] | None:
    """Where a principle ranks its value above something else, in any of the ways it may say so."""
    over = cue.OVER.search(text)
    if over and over.group(0)[len(over.group("protected")) :].split()[0].lower() == "before":
        # "before" ranks ("Quality comes before speed", "We repair before we replace") or only says
        # when ("We always tell owners the full cost before treatment")
        said_before = over.group("protected").split()[-1].lower()
        said_after = over.group("traded").split()[0].lower()
        short = len(over.group("protected").split()) <= 3  # "Safety before speed"
        if not short and said_before not in _RANKING_VERBS and said_after not in _PRONOUNS:
            over = None
    return cue.TRADED.search(text) or cue.TRADE.search(text) or cue.JUSTIFY.search(text) or over


def value_phrase(text: str) -> str:
    """The words of a principle that name what it protects ("patient safety" in "Patient safety comes
    before speed or cost"), for placing it among the concepts by meaning; the whole text when no
    trade-off is stated."""
    match = _ranking(text)
    phrase = match.group("protected") if match else text
    words = [t.text for t in tokens(phrase) if t.stem not in cue.GENERIC and t.lower not in STOPWORDS]
    return " ".join(words) or text


def traded_phrase(text: str) -> str:
    """The words of a principle that name what it ranks lower ("speed or cost"); "" when none."""
    match = _ranking(text)
    return match.group("traded").strip() if match else ""


def concepts_by_meaning(
    similarities: dict[str, float], threshold: float = 0.45, margin: float = 0.05
) -> frozenset[str]:
    """The concepts a principle's value is close to: `similarities` maps each CONCEPT_PROTOTYPES name
    to the cosine of the value phrase and that prototype; the best concept when it reaches
    `threshold`, with any other within `margin` of it."""
    if not similarities:
        return frozenset()
    best = max(similarities.values())
    if best < threshold:
        return frozenset()
    return frozenset(name for name, sim in similarities.items() if sim >= best - margin)


def _stance(
    principle: Principle,
    sentence: str,
    close: bool = False,
    objects: Mapping[str, bool] | None = None,
    loose: bool = False,
) -> tuple[str, list[str], list[str]]:
    """('contradicts' | 'supports' | 'neutral' | 'unrelated', related words, cue words) for one sentence;
    `close`: the sentence is close in meaning to the principle; `objects`: for the phrases
    `given_up_objects` found, whether each is close in meaning to what the principle protects (the
    caller measured both); `loose`: the sentence is only loosely close, so what a cut acts on must be
    known to be close to the value."""
    objects = objects or {}
    near = close and not loose  # the whole sentence is about the principle, whatever its objects
    toks = _sentence_tokens(sentence)
    hits = sorted({t.lower for t in toks if t.stem in principle.related and t.lower not in STOPWORDS})
    forbidden = [
        t.lower for i, t in enumerate(toks) if t.stem in principle.forbidden and not is_negated(toks, i)
    ]
    consent = [m.cue.phrase for m in find_cues(toks, cue.CONSENT)]
    if forbidden and hits:
        return ("supports", hits, consent) if consent else ("contradicts", hits, forbidden)
    violations: list[str] = []
    refused: list[str] = []  # a violation ruled out ("no hidden fees") keeps the principle
    for concept, cues in cue.VIOLATE.items():
        if not CONCEPTS[concept] & principle.related:
            continue
        for m in find_cues(toks, cues):
            others = any(t.stem in principle.related for t in toks if t.stem not in m.cue.stems)
            if m.cue.weight >= 1.0 or others or close:
                (refused if is_negated(toks, m.first) else violations).append(m.cue.phrase)
    if "honesty" in principle.concepts and _kept_out(toks):
        violations.append("kept out")
    if principle.concepts & {"equality", "dignity"} and near:  # some treated worse than others
        violations += treated_unequally(toks)
    elif near and UNIVERSAL.search(principle.text):  # "every valid claim" against "pay only some"
        violations += only_some(toks)
    if violations and consent:
        return "supports", hits, consent
    close = close or any(objects.get(phrase, False) for phrase in given_up_objects(sentence))
    # a flawed part or batch is a matter of safety and quality whatever it is
    close = close or bool(principle.concepts & {"safety", "quality"} and find_cues(toks, cue.FLAWED))
    if not hits and not violations and not close:
        return "unrelated", [], []
    if violations:
        return "contradicts", hits, violations
    for m in find_cues(toks, cue.DISMISS):
        if any(t.stem in principle.related for t in toks[m.last + 1 : m.last + 4]):
            return "contradicts", hits, [m.cue.phrase]
    belittled = _belittled(toks)
    if belittled:
        return "contradicts", hits, belittled
    accepted = _accepted_cost(principle, toks)
    if accepted:
        return "supports", hits, accepted
    reduce: list[str] = []
    increase: list[str] = ["no " + r for r in refused]
    motive_named = bool(_motives(principle, toks))
    pressed = motive_named or bool(find_cues(toks, cue.PRESSURE))
    more_harm: list[str] = []
    named = False  # some increase acts on what the principle protects, not "the extra nitrogen"
    masked = find_cues(toks, cue.REDUCE + cue.NOT_REDUCING)
    reductions = [m for m in masked if m.cue not in cue.NOT_REDUCING]
    starts = {m.first for m in reductions}
    for m in reductions:
        if m.cue.phrase == "without" and m.last + 1 in starts:
            continue  # "without cutting pay": the cut that follows is what is ruled out
        window = 6 if m.cue.phrase == "without" else 3
        negated = m.cue.phrase not in cue.SELF_NEGATED and (
            is_negated(toks, m.first, window) or _after_without(toks, m.first)
        )
        # what the cut acts on: a protected word, or (under a motive or time pressure) a phrase close
        # in meaning to the value ("skip the hand-washing step when the queue is long")
        if not (
            _names_protected(sentence, toks, m.first, m.last, principle.related)
            or (pressed or m.cue.phrase in cue.STRONG_GIVE_UP)
            and _close_object(principle, sentence, toks, m.last, objects)
            # a strong give-up verb in a sentence about the principle gives up whatever it acts on
            # ("Skip the fridge temperature log"), unless that is a harm or what is ranked lower; not
            # when a motive is named, which may be all that brings the sentence close to a principle
            # that names it ("skip the team lunch to save time" against "safety before speed")
            or near
            and not motive_named
            and m.cue.phrase in cue.STRONG_GIVE_UP
            and _plain_object(principle, sentence, toks, m.last)
            and not _harm_after(toks, m.last, principle.related)
        ):
            continue
        harm = _harm_after(toks, m.last, principle.related)
        (increase if negated or harm else reduce).append(m.cue.phrase)
    motive = _motives(principle, toks)
    for m in find_cues(toks, cue.INCREASE):
        if _aimed_at(principle, toks, m.first, m.last):
            motive.append(m.cue.phrase)  # "so they get more revision time": what the act is for
        elif not is_negated(toks, m.first) and not _motive_after(principle, toks, m.last):
            harm = _harm_after(toks, m.last, principle.related)
            (more_harm if harm else increase).append(m.cue.phrase)
            named = named or harm or any(t.stem in principle.related for t in toks[m.first : m.last + 4])
    if more_harm and motive and not reduce:
        return "contradicts", hits, more_harm + motive  # more overtime to ship sooner
    increase += more_harm
    if reduce:
        return "contradicts", hits, reduce + motive
    if not refused and not _adds_to_value(principle, toks):
        # the shapes any field gives a value up in: a safeguard loosened, a choice made for money
        # or time, figures dressed up
        # a principle whose act is telling ("Every ingredient is listed on the label") is broken by
        # facts dressed up too, though its words are not honesty's
        honest = "honesty" in principle.concepts or (
            "privacy" not in principle.concepts and bool(principle.protected & cue.TELLING_VERBS)
        )
        shape = given_up_by_shape(toks, principle.traded_for, honest, principle.guards_lack)
        if shape:
            return "contradicts", hits, shape
    # an increase of something the principle does not name supports it without a cue word, so that
    # a purpose that leans to gain may still overrule it (principle_aim)
    shown = increase if named else []
    if increase and not motive:
        return "supports", hits, shown
    given_up = _given_up(principle, sentence, toks, motive, objects)
    if given_up:
        return "contradicts", hits, given_up + motive
    if increase:
        return "supports", hits, shown
    return "neutral", hits, []


def _adds_to_value(principle: Principle, toks: Sequence[Any]) -> bool:
    """True when the sentence adds to what the principle protects ("add a second check", "more
    inspectors"): a choice made for money then is not made against the value."""
    for m in find_cues(toks, cue.INCREASE):
        if not is_negated(toks, m.first) and any(
            t.stem in principle.related for t in toks[m.first : m.last + 4]
        ):
            return True
    return False


def _motives(principle: Principle, toks: Sequence[Any]) -> list[str]:
    """What the sentence is after that the principle ranks lower: money, time, or its own traded words."""
    found = [m.cue.phrase for m in find_cues(toks, cue.MOTIVE)]
    found += [t.lower for t in toks if t.stem in principle.traded_for and t.lower not in found]
    return found


def _accepted_cost(principle: Principle, toks: Sequence[Any]) -> list[str]:
    """Cue words of a cost taken on for the value ("even if it costs us the slot", "we paid more"):
    a concession whose clause names a loss of money or time, not a flaw or a danger."""
    found = [m.cue.phrase for m in find_cues(toks, cue.PAID_MORE) if not is_negated(toks, m.first)]
    for m in find_cues(toks, cue.CONCEDE):
        clause = toks[m.last + 1 : m.last + 8]
        stems = {t.stem for t in clause}
        flawed = find_cues(clause, cue.FLAWED)
        if flawed or stems & cue.PERIL or stems & principle.protected:
            continue
        if stems & (cue.LOSS | principle.traded_for) or find_cues(clause, cue.MOTIVE):
            found.append(m.cue.phrase)
    return found


def _given_up(
    principle: Principle, sentence: str, toks: Sequence[Any], motive: list[str], objects: Mapping[str, bool]
) -> list[str]:
    """Cue words of the value given up in a sentence close to the principle, as any field says it."""
    flaws = [
        m
        for m in find_cues(toks, cue.FLAWED)
        if m.cue.phrase in cue.SELF_NEGATED_FLAWS or not is_negated(toks, m.first)
    ]
    if flaws and (motive or find_cues(toks, cue.PRESS_ON)) and not find_cues(toks, cue.GET_RID):
        return [m.cue.phrase for m in flaws]
    deeds = [i for i, t in enumerate(toks) if t.stem in cue.DEEDS]
    give_ups = find_cues(toks, cue.GIVE_UP + cue.NOT_REDUCING)
    give_up_at = {i for m in give_ups for i in range(m.first, m.last + 1)}
    for i in deeds:
        # "will not be recalibrated", "without confirming it": the deed is left undone ...
        if _undone(toks, i) and not give_up_at & set(range(max(0, i - 3), i + 4)):
            return ["not " + toks[i].lower]
    for m in find_cues(toks, cue.DEFER):  # ... or put off ("check the quotes later") ...
        if any(m.first - 4 <= i < m.first for i in deeds):
            return [m.cue.phrase]
    for m in find_cues(toks, cue.AHEAD):  # ... or comes after the act it should guard
        if any(m.last < i <= m.last + 5 for i in deeds) and not any(i < m.first for i in deeds):
            return [m.cue.phrase]
    if not motive:
        return []
    motive_at = {i for m in find_cues(toks, cue.MOTIVE) for i in range(m.first, m.last + 1)}
    for i, t in enumerate(toks):  # "the cheaper frame that has no safety certificate"
        if i in motive_at or t.stem in cue.HARMS or not (t.stem in principle.related or t.stem in cue.DEEDS):
            continue
        near = set(range(max(0, i - 2), i + 3))
        if any(u.lower in cue.ABSENT for u in toks[max(0, i - 2) : i]) and not give_up_at & near:
            return ["no " + t.lower]
    for m in give_ups:  # dropped for the sake of what the principle ranks lower
        if m.cue in cue.NOT_REDUCING or is_negated(toks, m.first) or _after_without(toks, m.first):
            continue
        after = toks[m.last + 1 : m.last + 4]
        if find_cues(after, cue.MOTIVE) or any(
            t.stem in principle.traded_for or t.stem in cue.HARMS for t in after
        ):
            continue  # "cut costs", "halve the emissions": what is cut is not the value
        obj = _object_after(sentence, toks, m.last)
        if _names_protected(sentence, toks, m.first, m.last, principle.related) or _close_object(
            principle, sentence, toks, m.last, objects
        ):
            return [m.cue.phrase]
        if obj.lower() in cue.PRONOUNS and any(t.stem in principle.related for t in toks[: m.first]):
            return [m.cue.phrase]  # "the safety rules slow us down; relax them"
    return []


def _plain_object(principle: Principle, sentence: str, toks: Sequence[Any], last: int) -> bool:
    """True when a phrase follows token `last` and is not itself what the principle ranks lower."""
    words = tokens(_object_after(sentence, toks, last))
    return (
        bool(words)
        and not find_cues(words, cue.MOTIVE)
        and not any(t.stem in principle.traded_for for t in words)
    )


def _close_object(
    principle: Principle, sentence: str, toks: Sequence[Any], last: int, objects: Mapping[str, bool]
) -> bool:
    """True when the phrase after token `last` is close in meaning to the value and is not itself what
    the principle ranks lower ("repaired instead of replaced")."""
    phrase = _object_after(sentence, toks, last)
    if not objects.get(phrase, False):
        return False
    words = tokens(phrase)
    return not find_cues(words, cue.MOTIVE) and not any(t.stem in principle.traded_for for t in words)


def _undone(toks: Sequence[Any], index: int) -> bool:
    """True when a negation governs token `index` itself: "will not be recalibrated", "without
    confirming", not "without panels to confirm"."""
    for t in reversed(toks[max(0, index - 2) : index]):
        if t.lower in cue.LINKS:
            return False
        if t.lower.replace("’", "'") in cue.NEGATING or t.lower.endswith("n't"):
            return True
    return False


def _belittled(toks: Sequence[Any]) -> list[str]:
    """Cue words that dismiss what they talk about ("a luxury we can't afford", "slows us down")."""
    for m in find_cues(toks, cue.BELITTLE + cue.NOT_BELITTLING):
        plain = toks[m.first].lower not in ("option", "options")  # "optional" shares their stem
        if plain and m.cue not in cue.NOT_BELITTLING and not is_negated(toks, m.first):
            return [m.cue.phrase]
    return []


def _motive_after(principle: Principle, toks: Sequence[Any], index: int) -> bool:
    """True when the words after token `index` name a motive ("more revision time", "extra profit")."""
    after = toks[index + 1 : index + 4]
    return bool(find_cues(after, cue.MOTIVE)) or any(t.stem in principle.traded_for for t in after)


def _aimed_at(principle: Principle, toks: Sequence[Any], first: int, last: int) -> bool:
    """True for more of something the principle does not protect, in a purpose clause ("so they get
    more revision time", "to sell more loaves"): the aim of the act, not an addition to the value."""
    before = toks[max(0, first - 4) : first]
    if not any(t.lower in cue.PURPOSE for t in before):
        return False
    return not any(t.stem in principle.related for t in toks[last + 1 : last + 4])


def _kept_out(toks: Sequence[Any]) -> bool:
    """True for "leave the failed trial out of the paper", "kept the figures out of the report"."""
    for i, t in enumerate(toks[:-1]):
        if t.lower == "out" and toks[i + 1].lower == "of":
            if any(
                u.lower in ("leave", "left", "keep", "kept", "leaves", "keeps")
                for u in toks[max(0, i - 8) : i]
            ):
                return True
    return False


@lru_cache(maxsize=4096)
def _sentence_tokens(sentence: str) -> tuple[Any, ...]:
    # A sentence is judged against every principle in turn: its words are read once.
    return tuple(tokens(sentence))


def _names_protected(
    sentence: str, toks: Sequence[Any], first: int, last: int, related: frozenset[str]
) -> bool:
    """True when the cue spanning tokens first..last acts on something the principle protects: a
    protected word among the next few words, before a clause ends, or (passive) just before it."""
    for n, t in enumerate(toks[last + 1 : last + 1 + cue.OBJECT_AFTER]):
        gap = sentence[toks[last + n].end : t.start]
        if t.lower in cue.BOUNDARY or t.lower == "to" and n > 0 or any(mark in gap for mark in ";:,()"):
            break  # "without panels to confirm it": the cut acts on the panels
        if t.stem in related:
            return True
    if toks[first].lower == "instead":
        return False  # "A instead of B" reduces B, which follows
    if (
        first > 0
        and toks[first - 1].lower in cue.PASSIVE
        or first > 1
        and toks[first - 2].lower in cue.PASSIVE
    ):
        return any(t.stem in related for t in toks[max(0, first - cue.OBJECT_BEFORE - 1) : first])
    return False


def _harm_after(toks: Sequence[Any], index: int, related: frozenset[str]) -> bool:
    """True when the object of the cue at token `index` is a harm ("halve the emissions"): a harm word
    comes within four words, before anything else the principle protects ("stop disclosing defects")."""
    for t in toks[index + 1 : index + 5]:
        if t.stem in cue.HARMS:
            return True
        if t.stem in related:
            return False
    return False


def _after_without(toks: Sequence[Any], index: int) -> bool:
    """True for a cue right after "without" ("without cutting pay" keeps what it names)."""
    return index > 0 and toks[index - 1].lower == "without"


def given_up_objects(sentence: str) -> list[str]:
    """The phrases a sentence cuts, skips or drops ("the hand-washing step" in "Skip the hand-washing
    step when the queue is long"), for the caller to measure against what a principle protects."""
    toks = _sentence_tokens(sentence)
    found = [_object_after(sentence, toks, m.last) for m in find_cues(toks, cue.REDUCE + cue.NOT_REDUCING)]
    return [phrase for phrase in dict.fromkeys(found) if phrase]


def _object_after(sentence: str, toks: Sequence[Any], last: int) -> str:
    """The words after token `last` up to the end of their clause or a purpose, at most five."""
    end = last
    for n, t in enumerate(toks[last + 1 : last + 6]):
        gap = sentence[toks[last + n].end : t.start]
        if (
            t.lower in cue.BOUNDARY
            or t.lower in cue.PURPOSE
            or t.lower in cue.OBJECT_END
            or t.lower == "because"
            or any(c in gap for c in ";:,()")
        ):
            break
        end = last + 1 + n
    return sentence[toks[last + 1].start : toks[end].end] if end > last else ""


def judge_principle(
    principle: Principle,
    sentences: Sequence[str],
    similarities: Sequence[float],
    scale: float = 1.0,
    objects: Mapping[str, bool] | None = None,
    near_motives: frozenset[str] = frozenset(),
    aims: Mapping[tuple[str, str], str] | None = None,
) -> dict[str, Any]:
    """Verdict of one text (its sentences, and each sentence's similarity to the principle) on one
    principle: `{verdict, evidence, why}`; the evidence is the deciding sentence (None when unrelated).
    `objects`: whether each phrase `given_up_objects` found is close in meaning to what the principle
    protects; without it only words say what a cut acts on. `near_motives`: see principle_reach.
    `aims`: how each purpose and concession clause leans (principle_aim.aim_given_up)."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    for sentence, similarity in zip(sentences, similarities, strict=True):
        stance, hits, cues = _stance(principle, sentence, similarity >= CLOSE_TO_BREAK * scale, objects)
        if stance != "contradicts" and CLOSE_TO_BREAK * scale <= similarity < _CLOSE * scale:
            stance, hits, cues = _stance(principle, sentence, False, objects)  # too far to support
        if stance == "unrelated" and similarity >= FAR * scale:  # far, but what it gives up is plain
            loose = _stance(principle, sentence, True, objects, loose=True)
            if loose[0] == "contradicts" and breaks_from_afar(
                principle.traded_for, loose[2], _sentence_tokens(sentence), similarity / scale, near_motives
            ):
                stance, hits, cues = loose
        if stance == "neutral" and similarity >= _CLOSE * scale:
            toks = _sentence_tokens(sentence)
            pressed = pressed_or_aimed(toks, principle.traded_for) + chosen_against(sentence, toks)
            pressed += acted_on_condition(toks)
            stance, cues = ("contradicts", pressed) if pressed else (stance, cues)
        if aims and stance != "contradicts" and similarity >= CLOSE_TO_BREAK * scale:
            gave = aim_given_up(sentence, aims, cues if stance == "supports" else ())
            stance, cues = ("contradicts", gave) if gave else (stance, cues)
        if stance == "neutral" and similarity >= 0.6 * scale:
            stance = "supports"  # says much the same as the principle, without weakening it
        if stance == "unrelated" and similarity >= 0.75 * scale:
            stance, hits = "supports", []
        if stance not in found:
            found[stance] = (sentence, hits, cues)
    if "contradicts" in found:
        sentence, hits, cues = found["contradicts"]
        cues = list(dict.fromkeys(cues))
        motive = [c for c in cues if c in cue.MOTIVE_WORDS]
        action = [c for c in cues if c not in motive]
        shown = quotable_words(hits)  # named as evidence: no function or generic word
        what = ", ".join(shown) or "what the principle protects"
        why = f"'{sentence}' weakens {what} ({', '.join(action) or 'forbidden action'})"
        why += ", which the principle protects" if shown else ""
        if motive:
            why += f", for the sake of {', '.join(motive)}"
        # "named": the sentence names what the principle protects, not only a shape of giving up
        return {"verdict": "contradicts", "evidence": sentence, "why": why + ".", "named": bool(hits)}
    if "supports" in found:
        sentence, hits, cues = found["supports"]
        shown = quotable_words(hits)
        detail = f" ({', '.join(cues)} {', '.join(shown)})" if cues and shown else ""
        return {
            "verdict": "supports",
            "evidence": sentence,
            "why": f"'{sentence}' strengthens what the principle protects{detail}.",
        }
    if "neutral" in found:
        sentence, hits, _ = found["neutral"]
        hits = quotable_words(hits)
        return {
            "verdict": "unrelated",
            "evidence": sentence,
            "why": (
                f"Mentions {', '.join(hits)} but neither strengthens nor weakens it."
                if hits
                else "Is about the principle's subject but neither strengthens nor weakens it."
            ),
        }
    return {
        "verdict": "unrelated",
        "evidence": None,
        "why": "Shares no subject with the principle (" + ", ".join(sorted(principle.protected)) + ").",
    }
