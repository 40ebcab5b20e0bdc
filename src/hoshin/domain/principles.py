"""Principles check: does a text contradict, support, or not touch one of the organisation's principles?

A principle protects something ("We never trade safety for cost" protects safety against cost) or
forbids an action ("We never sell customer data"). A text is read sentence by sentence:

- *related* when it shares content words with what the principle protects (expanded by a small
  concept list: safety -> test, inspection, pressure...) or is close to it in meaning;
- *contradicts* when a related sentence reduces, skips or cuts the protected thing (and more clearly
  so when it does that for speed or money), or does the forbidden action;
- *supports* when a related sentence adds to or strengthens the protected thing, or refuses to cut it.

Agreement and unrelatedness are kept apart from contradiction on purpose: without a reducing cue on
something the principle protects, a text is never called a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hoshin.domain.lexicon import STOPWORDS, content_stems, cue_list, find_cues, is_negated, stem, tokens

__all__ = ["CONCEPTS", "Principle", "judge_principle", "parse_principle"]

# What else a sentence may name when it touches a protected value. Plain words; stemmed on load.
_CONCEPT_WORDS = {
    "safety": "safe, safety, test, tests, testing, check, checks, inspection, inspect, hazard, risk, "
    "pressure, "
    "certification, certified, accident, injury, protect, protection, guard, alarm, fire, recall, audit, "
    "helmet, harness, leak, fail-safe",
    "quality": "quality, test, testing, inspection, inspect, check, defect, defects, durable, standard, "
    "standards, finish, materials, tolerance, rework, review",
    "privacy": "privacy, data, personal, consent, track, tracking, cookies, share, profile, surveillance, "
    "advertisers, email, addresses",
    "environment": "environment, planet, emissions, waste, recycling, energy, carbon, pollution, plastic, "
    "packaging, climate, water, diesel",
    "honesty": "honesty, honest, truth, disclose, disclosure, transparent, mislead, hide, lie, report, "
    "reporting, claims, advertising",
    "people": "people, staff, employees, team, overtime, hours, wage, wages, pay, workload, health, "
    "wellbeing, breaks, shifts, holidays, contracts",
    "customers": "customers, customer, service, complaints, refund, refunds, support, clients",
    "fairness": "fair, fairness, wage, wages, price, prices, suppliers, farmers, pay, payments, paid, "
    "growers",
    "repair": "repair, repairs, repaired, repairable, spare, parts, technicians, manuals",
}
CONCEPTS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w.strip()) for w in words.split(",")) for name, words in _CONCEPT_WORDS.items()
}
_SYNONYMS = {
    stem(w): concept for concept, words in _CONCEPT_WORDS.items() for w in (concept, *words.split(",")[:2])
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
        "don't mention, do not mention, fake"
    ),
    "quality": cue_list("untested, rushing, rushed, sloppy, shoddy, cut corners, gone downhill"),
    "safety": cue_list("unsafe, untested, without harnesses, skip checks, cut corners"),
    "privacy": cue_list("share, sharing, track, tracking, sell, selling, without consent", 0.5),
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
_NOT_REDUCING = cue_list("power cut, power is cut, cut open, cut off the power, stop the line, drop test")
_BOUNDARY = frozenset(
    "during if when while before after so because then until unless whether which and".split()
)
_PASSIVE = frozenset("is are was were be been being get gets got".split())
# Things a principle wants less of: cutting them keeps the principle, adding to them breaks it.
_HARMS = frozenset(
    stem(w)
    for w in "emissions waste pollution plastic accidents injuries defects risk risks leaks complaints "
    "overtime workload shifts".split()
)
_INCREASE = cue_list(
    """add, adding, extra, second, more, double, strengthen, improve, tighten, expand, introduce, extend,
    increase, upgrade, invest in, train, additional, every, each, always, new, stricter, better, audit"""
)
_MOTIVE = cue_list(
    """ship sooner, sooner, faster, speed up, save money, save, savings, cost, costs, cheaper, budget,
    deadline, deadlines, on time, margin, margins, profit, profits, quicker, fast"""
)
_FORBID = re.compile(r"\b(?:never|not|no|don't|do not|won't|will not|refuse to)\s+(\w+)", re.IGNORECASE)
_TRADE = re.compile(
    r"(?:trade|trades|sacrifice|sacrifices|compromise|compromises)\s+(?:on\s+)?(?P<protected>[\w\s-]+?)"
    r"\s+(?:for|to)\s+(?P<traded>[\w\s-]+)",
    re.IGNORECASE,
)
_OVER = re.compile(
    r"(?P<protected>[\w\s-]+?)\s+(?:before|over|above|ahead of)\s+(?P<traded>[\w\s-]+)", re.IGNORECASE
)
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


@lru_cache(maxsize=1024)  # an organisation's few principles are read again for every new text
def parse_principle(text: str) -> Principle:
    """Read what a principle protects, what it must not be traded for, and what it forbids."""
    protected: set[str] = set()
    traded: set[str] = set()
    match = _TRADE.search(text) or _OVER.search(text)
    if match:
        protected = content_stems(match.group("protected")) - _GENERIC
        traded = content_stems(match.group("traded")) - _GENERIC
    if not protected:
        protected = content_stems(text) - _GENERIC - traded
    forbidden = {
        stem(m.group(1))
        for m in _FORBID.finditer(text)
        if m.group(1).lower() not in STOPWORDS and stem(m.group(1)) not in _GENERIC
    }
    related = set(protected)
    for s in protected:
        concept = _SYNONYMS.get(s)
        if concept:
            related |= CONCEPTS[concept]
    related -= traded  # "repair before we replace": replacing is what the principle ranks lower
    return Principle(
        text, frozenset(protected), frozenset(related - _GENERIC), frozenset(traded), frozenset(forbidden)
    )


def _stance(principle: Principle, sentence: str) -> tuple[str, list[str], list[str]]:
    """('contradicts' | 'supports' | 'neutral' | 'unrelated', related words, cue words) for one sentence."""
    toks = _sentence_tokens(sentence)
    hits = sorted({t.lower for t in toks if t.stem in principle.related and t.lower not in STOPWORDS})
    forbidden = [
        t.lower for i, t in enumerate(toks) if t.stem in principle.forbidden and not is_negated(toks, i)
    ]
    if forbidden and hits:
        return "contradicts", hits, forbidden
    violations: list[str] = []
    refused: list[str] = []  # a violation ruled out ("no hidden fees") keeps the principle
    for concept, cues in _VIOLATE.items():
        if not CONCEPTS[concept] & principle.related:
            continue
        for m in find_cues(toks, cues):
            others = any(t.stem in principle.related for t in toks if t.stem not in m.cue.stems)
            if m.cue.weight >= 1.0 or others:
                (refused if is_negated(toks, m.first) else violations).append(m.cue.phrase)
    if not hits and not violations:
        return "unrelated", [], []
    if violations:
        return "contradicts", hits, violations
    for m in find_cues(toks, _DISMISS):
        if any(t.stem in principle.related for t in toks[m.last + 1 : m.last + 4]):
            return "contradicts", hits, [m.cue.phrase]
    reduce: list[str] = []
    increase: list[str] = ["no " + r for r in refused]
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
        if not _names_protected(sentence, toks, m.first, m.last, principle.related):
            continue
        harm = _harm_after(toks, m.last, principle.related)
        (increase if negated or harm else reduce).append(m.cue.phrase)
    for m in find_cues(toks, _INCREASE):
        if not is_negated(toks, m.first):
            harm = _harm_after(toks, m.last, principle.related)
            (more_harm if harm else increase).append(m.cue.phrase)
    motive = [m.cue.phrase for m in find_cues(toks, _MOTIVE)]
    if more_harm and motive and not reduce:
        return "contradicts", hits, more_harm + motive  # more overtime to ship sooner
    increase += more_harm
    if reduce:
        return "contradicts", hits, reduce + motive
    if increase:
        return "supports", hits, increase
    return "neutral", hits, []


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
        if t.lower in _BOUNDARY or any(mark in gap for mark in ";:,()"):
            break
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


def judge_principle(
    principle: Principle, sentences: Sequence[str], similarities: Sequence[float], scale: float = 1.0
) -> dict[str, Any]:
    """Verdict of one text (its sentences, and each sentence's similarity to the principle) on one
    principle: `{verdict, evidence, why}`; the evidence is the deciding sentence (None when unrelated)."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    for sentence, similarity in zip(sentences, similarities, strict=True):
        stance, hits, cues = _stance(principle, sentence)
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
        why = f"'{sentence}' weakens {', '.join(hits)} ({', '.join(action) or 'forbidden action'})"
        why += ", which the principle protects"
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
