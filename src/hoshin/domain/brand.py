"""Brand consistency: does a text live up to the attributes the mission promises, or work against them?

A mission's brand attributes are read from its wording (`derive_attributes`: "reliable" gives
Reliability, "care for the planet" gives Sustainability). A text is then read sentence by sentence:
a sentence *supports* an attribute when it shows it (cue words, or closeness to the attribute's
prototype sentence) and *contradicts* it when it shows the opposite ("cheap", "who cares how long
they last", a negated support). Being on topic is not enough: a sentence about fridges that shrugs
at durability contradicts a brand built on reliability.

A complaint ("it broke after a year", "hums much louder than before", "not what I expected") is never
support: the attribute words in it ("year", "repair") name what went wrong. It counts against every
attribute it names or is close to in meaning, and leaves the others alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.domain.lexicon import Cue, cue_list, find_cues, is_negated, stem, tokens

__all__ = [
    "ATTRIBUTES",
    "BrandAttribute",
    "assess_brand",
    "attribute_prototypes",
    "complaint_words",
    "derive_attributes",
    "lexicon_of",
]


@dataclass(frozen=True)
class AttributeLexicon:
    evoked_by: list[Cue]  # words in a mission that promise the attribute
    supports: list[Cue]  # words in a text that show it
    opposes: list[Cue]  # words in a text that show its opposite
    prototype: str  # one sentence that shows it plainly


def _lex(
    evoked: str, supports: str, opposes: str, prototype: str, weak_opposes: str = ""
) -> AttributeLexicon:
    return AttributeLexicon(
        cue_list(evoked), cue_list(supports), cue_list(opposes) + cue_list(weak_opposes, 0.5), prototype
    )


ATTRIBUTES: dict[str, AttributeLexicon] = {
    "Reliability": _lex(
        """reliable, reliability, dependable, durable, durability, long-lasting, lasting, robust,
        built to last, trusted""",
        """reliable, reliability, dependable, durable, durability, lasting, long-lasting, built to last,
        lasts,
        last for years, tested, test, testing, warranty, guarantee, guaranteed, robust, sturdy, trust,
        trusted,
        years, decades, never fails, never breaks, spare parts, repairable, quality, proven""",
        """cheap, cheaply, flimsy, disposable, throwaway, breaks, break down, breaks down, falls apart,
        fall apart, who cares, short-lived, unreliable, faulty, defective, shoddy, cut corners, obsolescence,
        don't last, won't last""",
        "Built to last for many years, thoroughly tested, backed by a long warranty.",
        weak_opposes="fast, quick, quickly, rushed",
    ),
    "Sustainability": _lex(
        """sustainable, sustainability, care for the planet, planet, energy-saving, energy-efficient,
        environment, environmentally, green, eco-friendly, climate, renewable, carbon, nature, earth""",
        """energy-saving, energy-efficient, efficient, less energy, recycled, recyclable, recycle, renewable,
        solar, low-carbon, carbon-neutral, emissions, planet, green, reuse, repair, climate, sustainable,
        kWh, natural refrigerant, biodegradable""",
        """disposable, throwaway, single-use, wasteful, waste, polluting, pollution, gas-guzzling, coal,
        who cares about the planet, landfill""",
        "Uses less energy and recycled materials to protect the planet.",
    ),
    "Affordability": _lex(
        "affordable, affordability, low-cost, low prices, accessible, value for money, budget, inexpensive",
        """affordable, low price, low prices, save, savings, discount, value for money, free, inexpensive,
        budget""",
        "expensive, overpriced, pricey, luxury, premium price, costly",
        "Good products at a price every family can afford.",
    ),
    "Quality": _lex(
        "quality, craftsmanship, skilled, handmade, precision, finest, premium, artisan, crafted, excellence",
        """quality, handmade, crafted, craftsmanship, skilled, precision, inspected, finest,
        attention to detail,
        carefully, by hand""",
        "shoddy, sloppy, mass-produced, low quality, poor quality, cut corners, cheap, rushed, careless",
        "Carefully made by skilled people, checked for quality in every detail.",
    ),
    "Safety": _lex(
        "safe, safety, secure, security, protect, protection",
        "safe, safety, tested, certified, protect, protects, protection, secure, inspected, checked",
        "risky, unsafe, dangerous, hazardous, skip checks, cut corners, untested, recall",
        "Safe to use, certified and tested to protect people.",
    ),
    "Innovation": _lex(
        "innovative, innovation, pioneering, pioneer, cutting-edge, invent, new ideas, technology, smart",
        "new, first, patent, patented, breakthrough, innovative, launch, invented, smart, reinvented",
        "outdated, old-fashioned, obsolete, same as always, behind the times",
        "A new invention that nobody has built before.",
    ),
    "Customer care": _lex(
        "care, caring, serve, service, families, customers, people, help",
        "help, support, service, listen, families, customers, care, caring, friendly, personal",
        "who cares, don't care, not our problem, no refunds, tough luck, ignore, ignored",
        "We listen to our customers and help them whenever they need us.",
    ),
    "Health": _lex(
        "healthy, health, wellbeing, well-being, nutritious, fresh, wholesome",
        "healthy, fresh, natural, vitamins, nutritious, organic, wholesome, balanced, wellbeing",
        "junk, sugary, greasy, unhealthy, artificial, deep-fried",
        "Fresh, nutritious food that keeps people healthy.",
    ),
    "Honesty": _lex(
        "honest, honesty, transparent, transparency, integrity, fair, fairly, truthful, open",
        "transparent, honest, openly, clear, no hidden, fair, fairly, disclose, truthful",
        "hidden fees, small print, misleading, secret, conceal, concealed, spin, fake",
        "We tell our customers the truth, openly and clearly, with nothing hidden.",
    ),
    "Speed": _lex(
        "fast, quick, quickly, convenient, convenience, easy, simple, instant",
        "fast, quick, quickly, instant, easy, simple, convenient, same-day, in minutes",
        "slow, delay, delays, delayed, complicated, waiting, hassle",
        "Quick and easy, ready in minutes.",
    ),
    "Inclusivity": _lex(
        "everyone, inclusive, inclusion, diverse, diversity, for all, accessible to all",
        "everyone, inclusive, accessible, diverse, all ages, for all, welcome",
        "exclusive, members only, elite, not for everyone",
        "Welcoming everyone, whoever they are.",
    ),
}


# What people write when something let them down; about the thing, the service or the experience,
# in no particular trade. A negated one ("never broke once", "not noisy at all") is no complaint.
_COMPLAINTS = cue_list(
    """broke, broken, broke down, died, dead, failed, fails, failing, stopped working, stops working,
    doesn't work, does not work, didn't work, did not work, quit, gave up, leaks, leaking, leaked, louder,
    noisy, noisier, too loud, rattles, rattling, buzzes, buzzing, worse, worst, disappointed,
    disappointing, disappointment, not what i expected, waste of money, useless, terrible, awful, poor,
    regret, returned it, sent it back, faulty, defect, defective, cracked, rusted, rusty, wore out,
    worn out, overheats, overheating, never again, unreliable, went wrong, gone downhill"""
)
# Sentences that lay the complaint on someone else ("unlike other brands, ours never ...").
_ELSEWHERE = frozenset(stem(w) for w in "unlike competitors competitor others rivals".split())
# A complaint this close (cosine) to an attribute's prototype is about that attribute.
_COMPLAINT_NEAR = 0.3


_CLAUSE = re.compile(r"\s*(?:[,;:]|\bbut\b|\bthough\b|\balthough\b|\bhowever\b|\byet\b)\s*", re.IGNORECASE)


def complaint_clauses(sentence: str) -> list[str]:
    """The clauses of a sentence that complain ("the fridge hums much louder than before" in "The
    repair was free but the fridge hums much louder than before")."""
    if not complaint_words(sentence):
        return []
    return [c for c in _CLAUSE.split(sentence) if c and complaint_words(c)] or [sentence]


def complaint_words(sentence: str) -> list[str]:
    """The complaint cues of a sentence, as written; empty when it is not a complaint."""
    toks = tokens(sentence)
    if any(t.stem in _ELSEWHERE for t in toks):
        return []
    return [
        sentence[toks[m.first].start : toks[m.last].end]
        for m in find_cues(toks, _COMPLAINTS)
        if not is_negated(toks, m.first)
    ]


@dataclass(frozen=True)
class BrandAttribute:
    name: str
    source_phrase: str

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> BrandAttribute:
        return cls(data["name"], data["source_phrase"])


def derive_attributes(mission_text: str) -> list[dict[str, str]]:
    """The brand attributes the mission's wording promises, in order of appearance:
    `[{name, source_phrase}]`, e.g. "reliable" -> Reliability. Empty when the mission promises none."""
    toks = tokens(mission_text)
    owner: dict[tuple[str, ...], str] = {}
    cues: list[Cue] = []
    for name, lex in ATTRIBUTES.items():
        for cue in lex.evoked_by:
            if cue.stems not in owner:  # a phrase belongs to the first attribute that lists it
                owner[cue.stems] = name
                cues.append(cue)
    found: dict[str, str] = {}
    for match in find_cues(toks, cues):
        name = owner[match.cue.stems]
        if name not in found:
            found[name] = mission_text[toks[match.first].start : toks[match.last].end]
    return [{"name": name, "source_phrase": phrase} for name, phrase in found.items()]


# Words that point a custom-named attribute ("Energy thrift") at the lexicon that reads it.
_ALIASES = {
    stem(word): name
    for name, words in {
        "Sustainability": "energy, electricity, watt, watts, planet, thrift, efficiency, emissions",
        "Reliability": "last, lasting, repair, repaired, repairable, durable, dependable",
        "Quality": "craft, craftsmanship, crafted, skill, skilled, pride",
        "Honesty": "truth, trust, transparent",
    }.items()
    for word in words.split(", ")
}


def lexicon_of(attribute: BrandAttribute) -> AttributeLexicon:
    """The lexicon that reads texts for `attribute`.

    People may rename attributes ("Care for the planet" instead of Sustainability), so a name that is
    not a lexicon of its own is resolved from its wording: first as a mission would evoke it, then by
    a few telling words; failing both, its own words are the only support cues and it has no
    opposites (it can then be shown but never contradicted)."""
    if attribute.name in ATTRIBUTES:
        return ATTRIBUTES[attribute.name]
    wording = f"{attribute.name}. {attribute.source_phrase}"
    evoked = derive_attributes(wording)
    if evoked:
        return ATTRIBUTES[evoked[0]["name"]]
    for token in tokens(wording):
        if token.stem in _ALIASES:
            return ATTRIBUTES[_ALIASES[token.stem]]
    own = ", ".join(sorted({t.lower for t in tokens(wording) if len(t.lower) > 3}))
    return AttributeLexicon([], cue_list(own), [], wording)


def attribute_prototypes(attributes: Sequence[BrandAttribute]) -> list[str]:
    """The prototype sentence of each attribute, in the same order, for the caller to embed."""
    return [lexicon_of(a).prototype for a in attributes]


def _sentence_stance(sentence: str, lex: AttributeLexicon) -> tuple[float, float, list[str]]:
    """(support weight, opposition weight, cue words) of one sentence towards one attribute.
    A negated support ("won't last") counts as opposition; a negated opposition ("never cheap") as support."""
    toks = tokens(sentence)
    kind = {c: "support" for c in lex.supports} | {c: "oppose" for c in lex.opposes}
    support = oppose = 0.0
    words: list[str] = []
    for match in find_cues(toks, list(kind)):
        negated = is_negated(toks, match.first) and match.cue.phrase not in ("who cares",)
        is_support = (kind[match.cue] == "support") != negated
        written = sentence[toks[match.first].start : toks[match.last].end]
        words.append(("not " if negated else "") + written)
        if is_support:
            support += match.cue.weight
        else:
            oppose += match.cue.weight
    return support, oppose, words


def assess_brand(
    attributes: Sequence[BrandAttribute],
    sentences: Sequence[str],
    sentence_vectors: np.ndarray,
    prototype_vectors: np.ndarray,
    topicality: float,
    prototype_threshold: float = 0.55,
) -> dict[str, Any]:
    """Score one text (its sentences and their vectors) against the brand attributes.

    `topicality` (0..1) says how on-topic the text is for the mission. Returns `{score, tier,
    attributes: {name: {score, supports, contradicts}}, why}`; a contradicted attribute keeps the
    text out of the core tier however on-topic it is."""
    per_attribute: dict[str, dict[str, Any]] = {}
    n_support = n_contra = 0
    reasons: list[str] = []
    complaints = [complaint_words(sentence) for sentence in sentences]
    clauses = [
        complaint_clauses(sentence) if found else []
        for sentence, found in zip(sentences, complaints, strict=True)
    ]
    for index, attribute in enumerate(attributes):
        lex = lexicon_of(attribute)
        supports: list[str] = []
        contradicts: list[str] = []
        for row, sentence in enumerate(sentences):
            support, oppose, words = _sentence_stance(sentence, lex)
            similarity = (
                float(sentence_vectors[row] @ prototype_vectors[index]) if len(prototype_vectors) else 0.0
            )
            if complaints[row]:
                # what it complains about: an attribute word in the complaining clause, or its meaning
                named = any(_sentence_stance(c, lex)[2] for c in clauses[row])
                if named or similarity >= min(_COMPLAINT_NEAR, prototype_threshold):
                    contradicts.append(sentence)
                    cues = ", ".join(dict.fromkeys(complaints[row]))
                    reasons.append(f"'{_short(sentence)}' works against {attribute.name} ({cues})")
                continue
            if oppose >= 1.0 and oppose >= support:
                contradicts.append(sentence)
                reasons.append(f"'{_short(sentence)}' works against {attribute.name} ({', '.join(words)})")
            elif support >= 1.0 or (oppose == 0 and similarity >= prototype_threshold):
                supports.append(sentence)
        total = len(supports) + len(contradicts)
        score = 0.5 if total == 0 else len(supports) / total
        per_attribute[attribute.name] = {
            "score": round(score, 3),
            "source_phrase": attribute.source_phrase,
            "supports": supports,
            "contradicts": contradicts,
        }
        n_support += bool(supports)
        n_contra += bool(contradicts)
    if n_contra:
        consistency = 0.0
    elif n_support:
        consistency = 1.0
    else:
        consistency = 0.3  # shows none of the promises: the text must earn its place by topic alone
    score = 0.55 * topicality + 0.45 * consistency
    if n_contra:
        score = min(score, 0.3 if n_contra >= n_support else 0.5)
        tier = "off" if n_contra >= n_support else "adjacent"
    else:
        tier = "core" if score >= 0.6 else "adjacent" if score >= 0.35 else "off"
    why = _why(tier, topicality, per_attribute, reasons, attributes)
    return {"score": round(float(score), 4), "tier": tier, "attributes": per_attribute, "why": why}


def _why(
    tier: str,
    topicality: float,
    per_attribute: dict[str, dict[str, Any]],
    reasons: list[str],
    attributes: Sequence[BrandAttribute],
) -> str:
    if reasons:
        return reasons[0] + "."
    shown = [name for name, a in per_attribute.items() if a["supports"]]
    topic = "on topic" if topicality >= 0.5 else "loosely related" if topicality >= 0.25 else "off topic"
    if shown:
        return f"Shows {', '.join(shown)}, as the mission promises; the text is {topic} for the mission."
    if not attributes:
        return f"The mission names no brand attribute to check; the text is {topic} for the mission."
    names = ", ".join(a.name for a in attributes)
    return f"Shows none of the promised attributes ({names}); the text is {topic} for the mission."


def _short(sentence: str, width: int = 70) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 1] + "…"
