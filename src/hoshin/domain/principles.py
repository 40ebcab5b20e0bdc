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
something up, a text is never called a contradiction, however close it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hoshin.domain.lexicon import STOPWORDS, content_stems, cue_list, find_cues, is_negated, stem, tokens

__all__ = [
    "CONCEPTS",
    "given_up_objects",
    "CONCEPT_PROTOTYPES",
    "Principle",
    "concepts_by_meaning",
    "judge_principle",
    "parse_principle",
]

# What else a sentence may name when it touches a protected value. Plain words; stemmed on load.
_CONCEPT_WORDS = {
    "safety": "safe, safety, test, tests, testing, check, checks, inspection, inspect, hazard, risk, "
    "pressure, "
    "certification, certified, accident, injury, protect, protection, guard, alarm, fire, recall, audit, "
    "helmet, harness, leak, fail-safe, unsafe, danger, dangerous, sign-off, verify, verified, "
    "calibrate, calibration, maintenance, durability, protective, emergency, warning, hygiene, "
    "contamination, expiry, rules, procedure, supervision, recalibrate, hat, hats, "
    "goggles, gloves, ppe",
    "quality": "quality, test, testing, inspection, inspect, check, defect, defects, durable, standard, "
    "standards, finish, materials, tolerance, rework, review, accuracy, accurate, error, errors, "
    "mistake, mistakes, verify, confirm, fact-check, proofread, fresh, durability, sign-off",
    "privacy": "privacy, data, personal, consent, track, tracking, cookies, share, profile, surveillance, "
    "advertisers, email, addresses, records, files, confidential, details, information, location, "
    "permission",
    "environment": "environment, planet, emissions, waste, recycling, energy, carbon, pollution, plastic, "
    "packaging, climate, water, diesel",
    "honesty": "honesty, honest, truth, disclose, disclosure, transparent, mislead, hide, lie, report, "
    "reporting, claims, advertising, tell, told, inform, explain, mention, results, fees, prices, terms, "
    "risks, figures",
    "people": "people, staff, employees, team, overtime, hours, wage, wages, pay, workload, health, "
    "wellbeing, breaks, shifts, holidays, contracts, rest, break, sleep, fatigue, stress, burnout, "
    "counselling, sick leave",
    "customers": "customers, customer, service, complaints, refund, refunds, support, clients",
    "fairness": "fair, fairness, wage, wages, price, prices, suppliers, farmers, pay, payments, paid, "
    "growers",
    "repair": "repair, repairs, repaired, repairable, spare, parts, technicians, manuals",
}
# One sentence per concept, for placing a principle's value among them by meaning.
CONCEPT_PROTOTYPES = {
    "safety": "keeping people safe from accidents, injury and harm",
    "quality": "quality, accuracy and careful, correct work",
    "privacy": "privacy and confidentiality of personal data and records",
    "environment": "protecting the environment, nature and the climate",
    "honesty": "honesty, telling the truth and disclosing the facts openly",
    "people": "the health, rest and wellbeing of the people in our care",
    "customers": "serving customers well and answering their complaints",
    "fairness": "paying fair prices and treating partners fairly",
    "repair": "repairing things so they last instead of replacing them",
}
CONCEPTS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w.strip()) for w in words.split(",")) for name, words in _CONCEPT_WORDS.items()
}
_SYNONYMS = {
    stem(w.strip()): concept
    for concept, words in _CONCEPT_WORDS.items()
    for w in (concept, *words.split(",")[:2])
}
_SYNONYMS.update(
    {
        stem("employees"): "people",
        stem("staff"): "people",
        stem("workers"): "people",
        stem("data"): "privacy",
        stem("planet"): "environment",
        stem("truth"): "honesty",
        stem("tested"): "quality",
        stem("patient"): "privacy",
        stem("accuracy"): "quality",
        stem("accurate"): "quality",
        stem("fresh"): "quality",
        stem("wellbeing"): "people",
        stem("well-being"): "people",
        stem("health"): "people",
        stem("rest"): "people",
        stem("confidential"): "privacy",
        stem("confidentiality"): "privacy",
        stem("records"): "privacy",
        stem("transparent"): "honesty",
        stem("truthful"): "honesty",
        stem("truthfully"): "honesty",
        stem("transparency"): "honesty",
    }
)

_REDUCE = cue_list(
    """cut, cuts, cutting, reduce, reduced, reducing, halve, in half, skip, skipping, drop, remove, eliminate,
    shorten, fewer, less, loosen, relax, bypass, waive, scrap, stop, cancel, postpone, downgrade, trim,
    lower, weaken, ignore, abolish, outsource, instead of, no longer, without, only one,
    cancelled, canceled, scrapped, stopped, dropped, removed, halved, delay, delays, delayed, postpone,
    postponed, anymore"""
)
# Words that break a principle by themselves (a negated one keeps it: "no hidden fees"), by concept.
_VIOLATE = {
    "honesty": cue_list(
        "hide, hid, hidden, conceal, concealed, mislead, misleading, lie, lied, cover up, small print, "
        "don't mention, do not mention, fake, withhold, withheld, omit, omitted, fine print, keep quiet, "
        "never told, never tell, not tell, didn't tell, did not tell, without telling, round down, "
        "rounded down, show only, only show, publish only, report only, only publish, only report, "
        "look better than, exaggerate, inflate, inflated, leave out, left out, bury, buried"
    ),
    "quality": cue_list("untested, rushing, rushed, sloppy, shoddy, cut corners, gone downhill"),
    "safety": cue_list("unsafe, untested, without harnesses, skip checks, cut corners"),
    "privacy": cue_list("share, sharing, track, tracking, sell, selling, without consent", 0.5)
    + cue_list(
        "shared, sold, pass on, passed on, pass, passed, hand over, handed over, give, gave, send, sent, "
        "email, emailed, post, posted, publish, published, out loud, aloud, in public, publicly, "
        "disclose, disclosed, expose, exposed, leak, leaked, browse, by default",
        0.5,
    ),
}
# Weight 0.5 marks everyday words ("share") that break a principle only next to something it protects.
# Cues that carry their own negation: "isn't offered anymore" reduces, it is not a negated reduction.
_SELF_NEGATED = frozenset({"anymore", "no longer"})
# A reduction counts only when what it reduces is protected: a protected word among the few words
# after the cue ("cut the test programme") or just before it ("checks will be skipped").
_OBJECT_AFTER, _OBJECT_BEFORE = 5, 3
# Dismissing what follows ("whatever the emissions") breaks a principle that protects it.
_DISMISS = cue_list(
    "regardless of, whatever the, who cares about, never mind, no matter, don't bother with, "
    "do not bother with"
)
# Phrases where a reducing word means something else ("a power cut", "cut open a sample"); matched
# with the reducing cues so that, being longer, they hide the word inside them.
_NOT_REDUCING = cue_list(
    "power cut, power is cut, cut open, cut off the power, stop the line, drop test, cuts power, cut power, "
    "cutting power, cuts the power, cut the power, cuts off"
)
_BOUNDARY = frozenset(
    "during if when while before after so because then until unless whether which and".split()
)
_PASSIVE = frozenset("is are was were be been being get gets got".split())
# Things a principle wants less of: cutting them keeps the principle, adding to them breaks it.
_HARMS = frozenset(
    stem(w)
    for w in "emissions waste pollution plastic accidents injuries defects risk risks leaks complaints "
    "overtime workload shifts errors mistakes infections contamination breaches fraud fatigue stress "
    "burnout noise hazards dangers".split()
)
_INCREASE = cue_list(
    """add, adding, extra, second, more, double, strengthen, improve, tighten, expand, introduce, extend,
    increase, upgrade, invest in, train, additional, every, each, always, new, stricter, better, audit"""
)
_MOTIVE = cue_list(
    """ship sooner, sooner, faster, speed up, save money, save, savings, cost, costs, cheaper, budget,
    deadline, deadlines, on time, margin, margins, profit, profits, quicker, fast, cheap, cheapest,
    lower-priced, low-cost, money, spend, spending, price, price point, expensive, bill, fees, quickly,
    schedule, on schedule, late, rush, hurry, be first, beat, throughput, free up, more time, slow,
    slowing, revenue, sales, easier, simpler, hassle, annoying, annoys, inconvenient, effort, bother,
    tedious"""
)

# ---- the stance any field expresses (read only in sentences close to the principle) ----
# Something flawed in use: the principle gives way unless the flawed thing is being got rid of.
_FLAWED = cue_list(
    """failed, fails, failing, not passed, uncertified, untested, unverified, unchecked, unlicensed,
    unqualified, expired, out of date, past its, past their, past the, broken, faulty, defective, damaged,
    worn out, wore out, wears out, unsafe, substandard, counterfeit, open defect"""
)
_SELF_NEGATED_FLAWS = frozenset({"not passed"})
_GET_RID = cue_list(
    """replace, replaced, replacing, reject, rejected, recall, recalled, ground, grounded, discard,
    discarded, throw out, threw out, thrown out, throw away, threw away, scrap, scrapped, taken off,
    take off, pulled, withdraw, withdrew, withdrawn, return, returned, fix, fixed, repair, repaired,
    quarantine, destroy, destroyed, never, refuse, refused, stop, stopped, cancel, cancelled"""
)
# The value dismissed: a luxury, not worth it, in the way, unnoticed if dropped.
_BELITTLE = cue_list(
    """not worth, isn't worth, is not worth, waste of time, waste of money, luxury, overkill, red tape,
    slow us down, slows us down, slowing us down, holds us up, too expensive, too costly, costs too much,
    cost too much, too slow, too high, nobody can tell, no one can tell, nobody will notice,
    no one will notice, won't notice, will not notice, fewer people notice, nobody checks, no one checks,
    don't need, do not need, can't afford, cannot afford, can do without, nice to have, optional,
    more than it is worth, more than it's worth, not needed"""
)
_NOT_BELITTLING = cue_list("not worth the risk, can't afford to, cannot afford to, don't need to worry")
# Checks and other deeds that deliver a value; negated ("will not be recalibrated", "never told her")
# they give it up, done after the fact ("check the quotes later") or after the act they should guard
# ("pour the slab before the engineer has inspected") they give it up too.
_DEEDS = frozenset(
    stem(w)
    for w in """test tested testing check checked checking inspect inspected inspection verify verified
    confirm confirmed certify certified calibrate calibrated recalibrate recalibrated review reviewed audit
    audited approve approved sign-off fact-check tell told inform informed disclose disclosed explain
    explained consent agree agreed pay paid maintain maintained service serviced train
    trained certificate certification licence license permit""".split()
)
_DEFER = cue_list(
    "later, afterwards, after the fact, at a later date, next time, some other time, can wait, wait until, "
    "until after"
)
_AHEAD = cue_list("before, ahead of, prior to")
# The cost accepted for the value: "even if it costs us the slot", "we paid more", "at its own cost".
_CONCEDE = cue_list(
    """even if, even though, even when, even with, even in, although, despite, whatever, at a cost,
    at the cost, at its own cost, at our own cost, at their own cost, at its own expense,
    at our own expense"""
)
_LOSS = frozenset(
    stem(w)
    for w in """cost costs costing meant means mean lose lost loss fewer less late later slower longer
    delay delayed sale sales price money expense deadline peak busy""".split()
)
_PAID_MORE = cue_list(
    """paid more, pay more, pays more, paying more, spend more, spent more, spending more, costs more,
    cost more, invest, invested, investing, at any cost, whatever it costs, whatever the cost"""
)
_CONSENT = cue_list(
    """with consent, with their consent, with permission, only if they agree, only when they agree,
    asks before, ask before, asks first, ask first, opt in, opt-in, defaults to no"""
)
_GIVE_UP = [c for c in _REDUCE if c.phrase != "without"] + cue_list(
    """stretch, less often, less frequently, take down, took down, taken down, switch off, turn off,
    do away with, get rid of, anyway, regardless, thinner, weaker, lower grade, lower-grade, inferior,
    second-rate"""
)
# Pressing on with a flawed thing: "fly with the broken radar rather than cancel".
_PRESS_ON = cue_list("rather than, anyway, regardless, still, even though, although, despite")
_PERIL = frozenset(stem(w) for w in "risk risks danger dangerous unsafe harm hazard injury injuries".split())
_HIDING_VERBS = frozenset(stem(w) for w in "hide conceal withhold omit bury cover lie mislead".split())
_PURPOSE = frozenset("so to for until".split())
_LINKS = frozenset("to and or with for".split())
_NEGATING = frozenset("not no never without nobody none".split())
# Time pressure: a cut made "when the queue is long" or "on busy days" is made for speed.
_PRESSURE = cue_list(
    "queue, busy, rush, peak, backlog, short-staffed, understaffed, behind schedule, waiting, in a hurry"
)
# Where the object of a cut ends: "the hand-washing step | between orders", "the side airbags | from".
_OBJECT_END = frozenset("from in on at by between during across within".split())
_PRONOUNS = frozenset("it them this that these those".split())
_ABSENT = frozenset("no without lacks lacking".split())  # "has no certificate", not "not the people"
_CLOSE = 0.2  # a sentence this close to the principle (MiniLM cosine) is about what it protects
_FORBID = re.compile(r"\b(?:never|not|no|don't|do not|won't|will not|refuse to)\s+(\w+)", re.IGNORECASE)
_TRADE = re.compile(
    r"(?:trade|trades|sacrifice|sacrifices|compromise|compromises)\s+(?:on\s+)?(?P<protected>[\w\s'’-]+?)"
    r"\s+(?:for|to)\s+(?P<traded>[\w\s'’-]+)",
    re.IGNORECASE,
)
# "Drivers' rest is never traded for delivery speed": the passive says the same.
_TRADED = re.compile(
    r"(?P<protected>[\w\s'’-]+?)\s+(?:is|are)\s+(?:never|not)\s+(?:traded|sacrificed|compromised)\s+"
    r"(?:for|to)\s+(?P<traded>[\w\s'’-]+)",
    re.IGNORECASE,
)
_OVER = re.compile(
    r"(?P<protected>[\w\s'’-]+?)\s+(?:before|over|above|ahead of)\s+(?P<traded>[\w\s'’-]+)", re.IGNORECASE
)
# Light verbs in what is traded ("to keep to the schedule", "to save money"): the thing is the noun.
_LIGHT = frozenset(stem(w) for w in "keep save make get stay meet hit be have reach win gain".split())
_GENERIC = frozenset(
    stem(w)
    for w in "we always never value values principle principles our us trade sacrifice "
    "compromise come comes first matter matters everything ever put build builds make makes product "
    "products".split()
)


@dataclass(frozen=True)
class Principle:
    text: str
    protected: frozenset[str]  # stems of what the principle protects
    related: frozenset[str]  # protected stems plus their concept words
    traded_for: frozenset[str]  # what it must not be traded for ("cost"), if said
    forbidden: frozenset[str]  # stems of actions it forbids ("sell" in "never sell data")
    concepts: frozenset[str] = frozenset()  # the kinds of value it protects ("safety", "honesty")


@lru_cache(maxsize=1024)  # an organisation's few principles are read again for every new text
def parse_principle(text: str, concepts: frozenset[str] = frozenset()) -> Principle:
    """Read what a principle protects, what it must not be traded for, and what it forbids.

    `concepts`: names of CONCEPTS the caller placed the principle's value among by meaning
    (`concepts_by_meaning`); they add to those its words name."""
    protected: set[str] = set()
    traded: set[str] = set()
    match = _TRADED.search(text) or _TRADE.search(text) or _OVER.search(text)
    if match:
        protected = content_stems(match.group("protected")) - _GENERIC
        traded = content_stems(match.group("traded")) - _GENERIC - _LIGHT
    if not protected:
        protected = content_stems(text) - _GENERIC - traded
    forbidden = {
        stem(m.group(1))
        for m in _FORBID.finditer(text)
        if m.group(1).lower() not in STOPWORDS and stem(m.group(1)) not in _GENERIC
    }
    kinds = {_SYNONYMS[s] for s in protected if s in _SYNONYMS} | (set(concepts) & set(CONCEPTS))
    if forbidden & _HIDING_VERBS:
        kinds.add("honesty")  # "we never hide trial results" protects the truth about them
    related = set(protected)
    for concept in kinds:
        related |= CONCEPTS[concept]
    related -= traded  # "repair before we replace": replacing is what the principle ranks lower
    return Principle(
        text,
        frozenset(protected),
        frozenset(related - _GENERIC),
        frozenset(traded),
        frozenset(forbidden),
        frozenset(kinds),
    )


def value_phrase(text: str) -> str:
    """The words of a principle that name what it protects ("patient safety" in "Patient safety comes
    before speed or cost"), for placing it among the concepts by meaning; the whole text when no
    trade-off is stated."""
    match = _TRADED.search(text) or _TRADE.search(text) or _OVER.search(text)
    phrase = match.group("protected") if match else text
    words = [t.text for t in tokens(phrase) if t.stem not in _GENERIC and t.lower not in STOPWORDS]
    return " ".join(words) or text


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
    principle: Principle, sentence: str, close: bool = False, objects: Mapping[str, bool] | None = None
) -> tuple[str, list[str], list[str]]:
    """('contradicts' | 'supports' | 'neutral' | 'unrelated', related words, cue words) for one sentence;
    `close`: the sentence is close in meaning to the principle; `objects`: for the phrases
    `given_up_objects` found, whether each is close in meaning to what the principle protects (the
    caller measured both)."""
    objects = objects or {}
    toks = _sentence_tokens(sentence)
    hits = sorted({t.lower for t in toks if t.stem in principle.related and t.lower not in STOPWORDS})
    forbidden = [
        t.lower for i, t in enumerate(toks) if t.stem in principle.forbidden and not is_negated(toks, i)
    ]
    consent = [m.cue.phrase for m in find_cues(toks, _CONSENT)]
    if forbidden and hits:
        return ("supports", hits, consent) if consent else ("contradicts", hits, forbidden)
    violations: list[str] = []
    refused: list[str] = []  # a violation ruled out ("no hidden fees") keeps the principle
    for concept, cues in _VIOLATE.items():
        if not CONCEPTS[concept] & principle.related:
            continue
        for m in find_cues(toks, cues):
            others = any(t.stem in principle.related for t in toks if t.stem not in m.cue.stems)
            if m.cue.weight >= 1.0 or others or close:
                (refused if is_negated(toks, m.first) else violations).append(m.cue.phrase)
    if "honesty" in principle.concepts and _kept_out(toks):
        violations.append("kept out")
    if violations and consent:
        return "supports", hits, consent
    close = close or any(objects.get(phrase, False) for phrase in given_up_objects(sentence))
    # a flawed part or batch is a matter of safety and quality whatever it is
    close = close or bool(principle.concepts & {"safety", "quality"} and find_cues(toks, _FLAWED))
    if not hits and not violations and not close:
        return "unrelated", [], []
    if violations:
        return "contradicts", hits, violations
    for m in find_cues(toks, _DISMISS):
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
    pressed = bool(_motives(principle, toks) or find_cues(toks, _PRESSURE))
    more_harm: list[str] = []
    masked = find_cues(toks, _REDUCE + _NOT_REDUCING)
    reductions = [m for m in masked if m.cue not in _NOT_REDUCING]
    starts = {m.first for m in reductions}
    for m in reductions:
        if m.cue.phrase == "without" and m.last + 1 in starts:
            continue  # "without cutting pay": the cut that follows is what is ruled out
        window = 6 if m.cue.phrase == "without" else 3
        negated = m.cue.phrase not in _SELF_NEGATED and (
            is_negated(toks, m.first, window) or _after_without(toks, m.first)
        )
        # what the cut acts on: a protected word, or (under a motive or time pressure) a phrase close
        # in meaning to the value ("skip the hand-washing step when the queue is long")
        if not (
            _names_protected(sentence, toks, m.first, m.last, principle.related)
            or pressed
            and _close_object(principle, sentence, toks, m.last, objects)
        ):
            continue
        harm = _harm_after(toks, m.last, principle.related)
        (increase if negated or harm else reduce).append(m.cue.phrase)
    motive = _motives(principle, toks)
    for m in find_cues(toks, _INCREASE):
        if _aimed_at(principle, toks, m.first, m.last):
            motive.append(m.cue.phrase)  # "so they get more revision time": what the act is for
        elif not is_negated(toks, m.first) and not _motive_after(principle, toks, m.last):
            harm = _harm_after(toks, m.last, principle.related)
            (more_harm if harm else increase).append(m.cue.phrase)
    if more_harm and motive and not reduce:
        return "contradicts", hits, more_harm + motive  # more overtime to ship sooner
    increase += more_harm
    if reduce:
        return "contradicts", hits, reduce + motive
    if increase and not motive:
        return "supports", hits, increase
    given_up = _given_up(principle, sentence, toks, motive, objects)
    if given_up:
        return "contradicts", hits, given_up + motive
    if increase:
        return "supports", hits, increase
    return "neutral", hits, []


def _motives(principle: Principle, toks: Sequence[Any]) -> list[str]:
    """What the sentence is after that the principle ranks lower: money, time, or its own traded words."""
    found = [m.cue.phrase for m in find_cues(toks, _MOTIVE)]
    found += [t.lower for t in toks if t.stem in principle.traded_for and t.lower not in found]
    return found


def _accepted_cost(principle: Principle, toks: Sequence[Any]) -> list[str]:
    """Cue words of a cost taken on for the value ("even if it costs us the slot", "we paid more"):
    a concession whose clause names a loss of money or time, not a flaw or a danger."""
    found = [m.cue.phrase for m in find_cues(toks, _PAID_MORE) if not is_negated(toks, m.first)]
    for m in find_cues(toks, _CONCEDE):
        clause = toks[m.last + 1 : m.last + 8]
        stems = {t.stem for t in clause}
        flawed = find_cues(clause, _FLAWED)
        if flawed or stems & _PERIL or stems & principle.protected:
            continue
        if stems & (_LOSS | principle.traded_for) or find_cues(clause, _MOTIVE):
            found.append(m.cue.phrase)
    return found


def _given_up(
    principle: Principle, sentence: str, toks: Sequence[Any], motive: list[str], objects: Mapping[str, bool]
) -> list[str]:
    """Cue words of the value given up in a sentence close to the principle, as any field says it."""
    flaws = [
        m
        for m in find_cues(toks, _FLAWED)
        if m.cue.phrase in _SELF_NEGATED_FLAWS or not is_negated(toks, m.first)
    ]
    if flaws and (motive or find_cues(toks, _PRESS_ON)) and not find_cues(toks, _GET_RID):
        return [m.cue.phrase for m in flaws]
    deeds = [i for i, t in enumerate(toks) if t.stem in _DEEDS]
    give_ups = find_cues(toks, _GIVE_UP + _NOT_REDUCING)
    give_up_at = {i for m in give_ups for i in range(m.first, m.last + 1)}
    for i in deeds:
        # "will not be recalibrated", "without confirming it": the deed is left undone ...
        if _undone(toks, i) and not give_up_at & set(range(max(0, i - 3), i + 4)):
            return ["not " + toks[i].lower]
    for m in find_cues(toks, _DEFER):  # ... or put off ("check the quotes later") ...
        if any(m.first - 4 <= i < m.first for i in deeds):
            return [m.cue.phrase]
    for m in find_cues(toks, _AHEAD):  # ... or comes after the act it should guard
        if any(m.last < i <= m.last + 5 for i in deeds) and not any(i < m.first for i in deeds):
            return [m.cue.phrase]
    if not motive:
        return []
    motive_at = {i for m in find_cues(toks, _MOTIVE) for i in range(m.first, m.last + 1)}
    for i, t in enumerate(toks):  # "the cheaper frame that has no safety certificate"
        if i in motive_at or t.stem in _HARMS or not (t.stem in principle.related or t.stem in _DEEDS):
            continue
        near = set(range(max(0, i - 2), i + 3))
        if any(u.lower in _ABSENT for u in toks[max(0, i - 2) : i]) and not give_up_at & near:
            return ["no " + t.lower]
    for m in give_ups:  # dropped for the sake of what the principle ranks lower
        if m.cue in _NOT_REDUCING or is_negated(toks, m.first) or _after_without(toks, m.first):
            continue
        after = toks[m.last + 1 : m.last + 4]
        if find_cues(after, _MOTIVE) or any(
            t.stem in principle.traded_for or t.stem in _HARMS for t in after
        ):
            continue  # "cut costs", "halve the emissions": what is cut is not the value
        obj = _object_after(sentence, toks, m.last)
        if _names_protected(sentence, toks, m.first, m.last, principle.related) or _close_object(
            principle, sentence, toks, m.last, objects
        ):
            return [m.cue.phrase]
        if obj.lower() in _PRONOUNS and any(t.stem in principle.related for t in toks[: m.first]):
            return [m.cue.phrase]  # "the safety rules slow us down; relax them"
    return []


def _close_object(
    principle: Principle, sentence: str, toks: Sequence[Any], last: int, objects: Mapping[str, bool]
) -> bool:
    """True when the phrase after token `last` is close in meaning to the value and is not itself what
    the principle ranks lower ("repaired instead of replaced")."""
    phrase = _object_after(sentence, toks, last)
    if not objects.get(phrase, False):
        return False
    words = tokens(phrase)
    return not find_cues(words, _MOTIVE) and not any(t.stem in principle.traded_for for t in words)


def _undone(toks: Sequence[Any], index: int) -> bool:
    """True when a negation governs token `index` itself: "will not be recalibrated", "without
    confirming", not "without panels to confirm"."""
    for t in reversed(toks[max(0, index - 2) : index]):
        if t.lower in _LINKS:
            return False
        if t.lower.replace("’", "'") in _NEGATING or t.lower.endswith("n't"):
            return True
    return False


def _belittled(toks: Sequence[Any]) -> list[str]:
    """Cue words that dismiss what they talk about ("a luxury we can't afford", "slows us down")."""
    for m in find_cues(toks, _BELITTLE + _NOT_BELITTLING):
        if m.cue not in _NOT_BELITTLING and not is_negated(toks, m.first):
            return [m.cue.phrase]
    return []


def _motive_after(principle: Principle, toks: Sequence[Any], index: int) -> bool:
    """True when the words after token `index` name a motive ("more revision time", "extra profit")."""
    after = toks[index + 1 : index + 4]
    return bool(find_cues(after, _MOTIVE)) or any(t.stem in principle.traded_for for t in after)


def _aimed_at(principle: Principle, toks: Sequence[Any], first: int, last: int) -> bool:
    """True for more of something the principle does not protect, in a purpose clause ("so they get
    more revision time", "to sell more loaves"): the aim of the act, not an addition to the value."""
    before = toks[max(0, first - 4) : first]
    if not any(t.lower in _PURPOSE for t in before):
        return False
    return not any(t.stem in principle.related for t in toks[last + 1 : last + 4])


def _kept_out(toks: Sequence[Any]) -> bool:
    """True for "leave the failed trial out of the paper", "kept the figures out of the report"."""
    for i, t in enumerate(toks[:-1]):
        if t.lower == "out" and toks[i + 1].lower == "of":
            if any(
                u.lower in ("leave", "left", "keep", "kept", "leaves", "keeps")
                for u in toks[max(0, i - 6) : i]
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
    for n, t in enumerate(toks[last + 1 : last + 1 + _OBJECT_AFTER]):
        gap = sentence[toks[last + n].end : t.start]
        if t.lower in _BOUNDARY or t.lower == "to" and n > 0 or any(mark in gap for mark in ";:,()"):
            break  # "without panels to confirm it": the cut acts on the panels
        if t.stem in related:
            return True
    if toks[first].lower == "instead":
        return False  # "A instead of B" reduces B, which follows
    if first > 0 and toks[first - 1].lower in _PASSIVE or first > 1 and toks[first - 2].lower in _PASSIVE:
        return any(t.stem in related for t in toks[max(0, first - _OBJECT_BEFORE - 1) : first])
    return False


def _harm_after(toks: Sequence[Any], index: int, related: frozenset[str]) -> bool:
    """True when the object of the cue at token `index` is a harm ("halve the emissions"): a harm word
    comes within four words, before anything else the principle protects ("stop disclosing defects")."""
    for t in toks[index + 1 : index + 5]:
        if t.stem in _HARMS:
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
    found = [_object_after(sentence, toks, m.last) for m in find_cues(toks, _REDUCE + _NOT_REDUCING)]
    return [phrase for phrase in dict.fromkeys(found) if phrase]


def _object_after(sentence: str, toks: Sequence[Any], last: int) -> str:
    """The words after token `last` up to the end of their clause or a purpose, at most five."""
    end = last
    for n, t in enumerate(toks[last + 1 : last + 6]):
        gap = sentence[toks[last + n].end : t.start]
        if (
            t.lower in _BOUNDARY
            or t.lower in _PURPOSE
            or t.lower in _OBJECT_END
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
) -> dict[str, Any]:
    """Verdict of one text (its sentences, and each sentence's similarity to the principle) on one
    principle: `{verdict, evidence, why}`; the evidence is the deciding sentence (None when unrelated).
    `objects`: whether each phrase `given_up_objects` found is close in meaning to what the principle
    protects; without it only words say what a cut acts on."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    for sentence, similarity in zip(sentences, similarities, strict=True):
        stance, hits, cues = _stance(principle, sentence, similarity >= _CLOSE * scale, objects)
        if stance == "neutral" and similarity >= 0.6 * scale:
            stance = "supports"  # says much the same as the principle, without weakening it
        if stance == "unrelated" and similarity >= 0.75 * scale:
            stance, hits = "supports", []
        if stance not in found:
            found[stance] = (sentence, hits, cues)
    if "contradicts" in found:
        sentence, hits, cues = found["contradicts"]
        cues = list(dict.fromkeys(cues))
        motive = [c for c in cues if c in _MOTIVE_WORDS]
        action = [c for c in cues if c not in motive]
        what = ", ".join(hits) or "what the principle protects"
        why = f"'{sentence}' weakens {what} ({', '.join(action) or 'forbidden action'})"
        why += ", which the principle protects" if hits else ""
        if motive:
            why += f", for the sake of {', '.join(motive)}"
        return {"verdict": "contradicts", "evidence": sentence, "why": why + "."}
    if "supports" in found:
        sentence, hits, cues = found["supports"]
        detail = f" ({', '.join(cues)} {', '.join(hits)})" if cues and hits else ""
        return {
            "verdict": "supports",
            "evidence": sentence,
            "why": f"'{sentence}' strengthens what the principle protects{detail}.",
        }
    if "neutral" in found:
        sentence, hits, _ = found["neutral"]
        return {
            "verdict": "unrelated",
            "evidence": sentence,
            "why": f"Mentions {', '.join(hits)} but neither strengthens nor weakens it.",
        }
    return {
        "verdict": "unrelated",
        "evidence": None,
        "why": "Shares no subject with the principle (" + ", ".join(sorted(principle.protected)) + ").",
    }


_MOTIVE_WORDS = frozenset(c.phrase for c in _MOTIVE)
