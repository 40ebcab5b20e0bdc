"""Which of the nine classic components a mission statement states, how concrete and how readable it is.

The nine components (customers, products, markets, technology, growth, philosophy, self_concept,
public_image, employees) are found by two signals: cue words (hoshin.domain.lexicon.COMPONENT_CUES,
matched on stems) and the similarity of each clause to a few short prototype sentences per component
(vectors computed by the caller, so this module stays free of any model). A component is present when
the cues are strong enough alone, or when a clause is close enough to one of its prototypes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hoshin.domain.component_roles import OTHERS_AS_SUBJECT, masked_idioms, masked_in_house, read_roles
from hoshin.domain.cue_position import (
    done_by_others,
    names_or_describes_others,
    plural_noun_reading,
    put_first,
    repeated_slogan,
    terse_commands,
)
from hoshin.domain.lexicon import (
    BUZZWORDS,
    COMPONENT_CUES,
    COMPONENTS,
    CONCRETE_NOUNS,
    PLACES,
    Cue,
    Token,
    find_cues,
    phrase_around,
    split_sentences,
    split_units,
    stem,
    tokens,
)
from hoshin.domain.own_business import blanked, grows_into
from hoshin.domain.public_duty import cares_for_served, public_duty
from hoshin.domain.role_phrases import ORGANISATION, THING, class_of
from hoshin.domain.role_verbs import (
    cares_for_things,
    given_to_others,
    listed_noun,
    opening_subjects,
    trains_for_others,
)
from hoshin.domain.word_forms import is_form_of

__all__ = [
    "COMPONENTS",
    "PROTOTYPES",
    "Analysis",
    "ComponentFinding",
    "SimilarityProfile",
    "analyze_statement",
    "readability",
    "specificity",
    "suggestions_for",
]

# Short sentences that say each component plainly; a clause close to one of them states the component.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "customers": (
        "We serve our customers and clients.",
        "Our users, patients and families come first.",
        "Who we serve: people and businesses who rely on us.",
    ),
    "products": (
        "We make and sell products and services.",
        "We manufacture goods.",
        "We offer a range of products.",
    ),
    "markets": (
        "We operate in markets around the world.",
        "Our business serves countries and regions across the globe.",
        "Where we compete: our geographic markets.",
    ),
    "technology": (
        "We use advanced technology and research.",
        "Digital innovation, engineering and science drive our work.",
    ),
    "growth": (
        "We aim for profitable growth and financial strength.",
        "We create long-term value for our shareholders.",
        "Our business grows and stays profitable.",
    ),
    "philosophy": (
        "Our values and beliefs guide everything we do.",
        "We act with integrity, honesty and respect.",
        "We are committed to ethical behaviour.",
    ),
    "self_concept": (
        "Our distinctive strength sets us apart from competitors.",
        "We are the leading company in our field.",
    ),
    "public_image": (
        "We are responsible to society and the communities we live in.",
        "We care for the environment and the planet.",
        "We want to be a good corporate citizen.",
    ),
    "employees": (
        "Our employees are our greatest asset.",
        "We support, train and develop our people and staff.",
        "We offer our team a great workplace.",
    ),
}


@dataclass(frozen=True)
class SimilarityProfile:
    """How close a clause must be to a prototype (cosine) to count, alone or backing a weak cue.

    The numbers depend on the embedding model; the service picks the profile for the model it uses.
    """

    alone: float = 0.62
    with_weak_cue: float = 0.42


@dataclass(frozen=True)
class ComponentFinding:
    present: bool
    evidence: str | None
    cue_score: float = 0.0
    similarity: float = 0.0
    why: str | None = None  # set only when no rule found it (component_meaning): how it was read

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"present": self.present, "evidence": self.evidence}
        return {**found, "why": self.why} if self.why else found


@dataclass
class Analysis:
    components: dict[str, ComponentFinding]
    specificity: float
    specificity_words: dict[str, list[str]]
    readability: dict[str, Any]
    suggestions: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [name for name in COMPONENTS if not self.components[name].present]

    def as_dict(self) -> dict[str, Any]:
        return {
            "components": {name: self.components[name].as_dict() for name in COMPONENTS},
            "missing": self.missing,
            "specificity": round(self.specificity, 3),
            "specificity_words": self.specificity_words,
            "readability": self.readability,
            "suggestions": self.suggestions,
        }


def analyze_statement(
    text: str,
    units: Sequence[str] | None = None,
    unit_vectors: np.ndarray | None = None,
    prototype_vectors: dict[str, np.ndarray] | None = None,
    profile: SimilarityProfile | None = None,
    word_classes: Mapping[str, str] | None = None,
) -> Analysis:
    """Analyse one statement. `units` are its clauses (split_units(text)) and `unit_vectors` their unit
    vectors; `prototype_vectors[name]` are the vectors of PROTOTYPES[name]; `word_classes` says which
    words name a person or organisation, a thing, a place (hoshin.domain.component_roles). Without
    vectors the analysis uses the cue words alone; without word classes it reads no roles."""
    profile = profile or SimilarityProfile()
    units = list(units) if units is not None else split_units(text)
    findings: dict[str, ComponentFinding] = {}
    written = _compounds_read(tokens(text))
    toks = masked_idioms(written)
    roles: dict[str, str] = {}
    served: set[str] = set()
    for role in read_roles(text, toks, word_classes) if word_classes else ():
        if role.component == "customers" and stem(role.word) in _STAFF_STEMS:
            continue  # "We treat every employee as a partner", "gets a crew to": staff, not served
        if role.component == "customers":
            served.add(role.word)
        if (
            role.component == "products"
            and stem(role.word) in _OTHER_COMPONENT_STEMS
            and role.word.lower() not in ("cares", "care", "caring")  # read only as upkeep of things
        ):
            continue  # "Tech for good", "Profitable growth": the word is another component's cue
        roles.setdefault(role.component, role.evidence)
    for name in COMPONENTS:
        cue_toks = (
            _without_staff(toks)
            if name == "customers"
            else _public_cues_only(toks, served, word_classes or {})
            if name == "public_image"
            # "family-owned", "family-run" are blanked as idioms for the other components only
            else written
            if name == "self_concept"
            else _staff_cues_only(text, toks, served)
            if name == "employees"
            else toks
        )
        if name in ("growth", "customers", "products"):
            cue_toks = blanked(cue_toks, name)  # "help small businesses grow", "build a business"
        if name == "philosophy" and word_classes:
            # "The trust cares for 300 miles of canals": the trust is the organisation naming itself,
            # and caring for canals is their upkeep, not the value of care.
            subject = opening_subjects(text, toks)
            cue_toks = [
                Token(t.text, t.lower, "", t.start, t.end)
                if k in subject or cares_for_things(text, toks, k, word_classes)
                else t
                for k, t in enumerate(cue_toks)
            ]
        cue_score, cue_evidence = _cue_evidence(
            text,
            _hyphen_parts(cue_toks),
            COMPONENT_CUES[name],
            name in _NOUN_CUES,
            word_classes if name == "philosophy" else None,
        )
        if name == "philosophy" and cue_score < 1.0:
            slogan = repeated_slogan(text) or terse_commands(text) or put_first(text)
            if slogan is not None:
                cue_score, cue_evidence = 1.0, slogan
        if name == "public_image" and cue_score < 1.0:
            duty = public_duty(text, toks)  # "protect the nation's forests", "without pesticides"
            if duty is not None:
                cue_score, cue_evidence = 1.0, duty
        if name == "growth" and cue_score < 1.0:
            grown = grows_into(text, toks)
            if grown is not None:
                cue_score, cue_evidence = 1.0, grown
        if name in roles:
            # The statement's structure names this component: as strong as a cue word on its own.
            cue_evidence = cue_evidence if cue_score >= 1.0 else roles[name]
            cue_score = max(cue_score, 1.0)
        similarity, best_unit = 0.0, None
        if unit_vectors is not None and prototype_vectors is not None and len(units):
            sims = np.asarray(unit_vectors) @ np.asarray(prototype_vectors[name]).T
            best = int(np.argmax(sims.max(axis=1)))
            similarity, best_unit = float(sims[best].max()), units[best]
        present = (
            cue_score >= 1.0
            or similarity >= profile.alone
            or (cue_score >= 0.5 and similarity >= profile.with_weak_cue)
        )
        evidence = (cue_evidence or _as_written(text, best_unit)) if present else None
        findings[name] = ComponentFinding(present, evidence, cue_score, similarity)
    spec, words = specificity(text)
    analysis = Analysis(findings, spec, words, readability(text))
    analysis.suggestions = suggestions_for(analysis)
    return analysis


def _as_written(text: str, unit: str | None) -> str | None:
    """The clause `unit` as the statement writes it: split_units joins a clause's words with single
    spaces, so a clause written over a double space or a tab is found again by its words."""
    if unit is None or unit in text:
        return unit
    words = unit.split()
    found = re.search(r"\s+".join(re.escape(w) for w in words), text) if words else None
    return found.group(0) if found else unit


# Second halves of a compound that say the first half is what matters ("science-led", "data-driven").
_LED_BY = frozenset("led driven based powered enabled focused centred centered first".split())


def _compounds_read(toks: Sequence[Token]) -> list[Token]:
    """The tokens with "science-led", "customer-focused" and kin read as their first half, so its cue
    counts ("science" for technology); every other word keeps its stem."""
    out = list(toks)
    for k, t in enumerate(toks):
        first, dash, last = t.lower.rpartition("-")
        if dash and first and "-" not in first and last in _LED_BY:
            out[k] = Token(t.text, first, stem(first), t.start, t.end)
    return out


# Words that on their own name the organisation's staff ("employee", "crew", "volunteers").
_STAFF_STEMS = frozenset(
    cue.stems[0] for cue in COMPONENT_CUES["employees"] if len(cue.stems) == 1 and cue.weight >= 1.0
)

# Every cue word that is one token as written ("long-term", "open-source", "eco-friendly").
_ONE_TOKEN_CUES = frozenset(
    cue.stems[0] for cues in COMPONENT_CUES.values() for cue in cues if len(cue.stems) == 1
)
# First halves that turn the rest of a compound around ("non-profit", "not-for-profit").
_NEGATING_PREFIXES = frozenset({"non", "not", "anti", "un", "no"})


def _hyphen_parts(toks: Sequence[Token]) -> list[Token]:
    """The tokens with each hyphenated word that is no cue as a whole split into its parts, so a cue
    inside it counts ("carbon-free" has "carbon", "Machine-learning tools" has "machine learning");
    a word that is a cue whole ("long-term", "eco-friendly") and a negated one ("non-profit") stay."""
    out: list[Token] = []
    for t in toks:
        parts = t.text.replace("’", "'").split("-")
        if (
            len(parts) < 2
            or not t.stem
            or t.stem in _ONE_TOKEN_CUES
            or parts[0].lower() in _NEGATING_PREFIXES
        ):
            out.append(t)
            continue
        start = t.start
        for part in parts:
            if part:
                out.append(Token(part, part.lower(), stem(part), start, start + len(part)))
            start += len(part) + 1
    return out


# Single-word cues of the components a product word could be mistaken for.
_OTHER_COMPONENT_STEMS = frozenset(
    cue.stems[0]
    for name in ("technology", "growth", "philosophy", "self_concept", "public_image")
    for cue in COMPONENT_CUES[name]
    if len(cue.stems) == 1
)


def _without_staff(toks: Sequence[Token]) -> list[Token]:
    """The tokens with the staff a statement names blanked ("our people", "our own drivers"): the
    people who work for the organisation are not the customers a cue word would take them for."""
    out = masked_in_house(toks)
    for m in find_cues(toks, COMPONENT_CUES["employees"]):
        if m.cue.weight >= 1.0:
            # "the people who work for us": whoever the clause is about is staff too
            first = m.first - 1 if m.first > 0 and toks[m.first].lower == "who" else m.first
            for k in range(first, m.last + 1):
                out[k] = Token(toks[k].text, toks[k].lower, "", toks[k].start, toks[k].end)
    return out


def _staff_cues_only(text: str, toks: Sequence[Token], served: set[str]) -> list[Token]:
    """The tokens with the staff cue words blanked where they say something else: "train" that trains
    people for someone else ("We train nurses for hospitals"), "training" or "trains" as an item of a
    list of things ("advice, training and guide dogs", "turbines, trains and mining machinery"), a job
    given to someone ("we give people leaving prison a job"), and the people read as the ones served
    ("shoes for people who walk a lot"): none is the care an employer takes of its own staff."""
    out = []
    for k, t in enumerate(toks):
        blank = (
            (t.lower in ("train", "trains") and trains_for_others(text, toks, k))
            or (t.lower in ("trains", "training") and listed_noun(text, toks, k))
            or (t.lower in ("job", "jobs") and given_to_others(text, toks, k))
            or t.text in served
        )
        out.append(Token(t.text, t.lower, "", t.start, t.end) if blank else t)
    return out


# Words for the public at large: serving them is still a duty to society ("warns communities").
_THE_PUBLIC = frozenset({"community", "communities", "society", "public", "citizens"})


def _public_cues_only(
    toks: Sequence[Token], served: set[str], word_classes: Mapping[str, str]
) -> list[Token]:
    """The tokens with "world" as reach blanked (_without_world_as_market), and the cue words that
    name an organisation served ("We help small charities raise money": the charities are
    customers) or the kind of organisation ("a mutual building society": a society after a word for
    a thing) rather than what is owed to society. People and places in need that are served ("small
    towns", "Glasgow's hungry") stay what is owed. Caring for the people served ("We care for people at
    the end of their lives") is the service, not a duty to society."""
    out = _without_world_as_market(toks)
    for k, t in enumerate(toks):
        named = (
            t.lower == "society"
            and k > 0
            and toks[k - 1].text.islower()
            and class_of(toks[k - 1], word_classes) in (THING, ORGANISATION)
        )
        organisation_served = t.text in served and class_of(t, word_classes) == ORGANISATION
        in_town = t.lower == "town" and k > 0 and toks[k - 1].lower in ("in", "around")  # where, not owed
        if (
            (organisation_served and t.lower not in _THE_PUBLIC)
            or named
            or in_town
            or cares_for_served(toks, k, served)
        ):
            out[k] = Token(t.text, t.lower, "", t.start, t.end)
    return out


def _without_world_as_market(toks: Sequence[Token]) -> list[Token]:
    """The tokens with "world" blanked where it says how far the business reaches ("the world's
    leading provider", "the safest lifts in the world", "around the world"), not what it owes."""
    out = list(toks)
    for k, t in enumerate(toks):
        if t.lower in ("world's", "world’s") or (
            t.lower == "world" and k > 1 and toks[k - 1].lower == "the" and toks[k - 2].lower in _REACH
        ):
            out[k] = Token(t.text, t.lower, "", t.start, t.end)
    return out


_REACH = frozenset({"in", "around", "across", "throughout", "over"})


# Components whose strong cues are nouns (things sold, people served): only their noun forms count.
_NOUN_CUES = frozenset({"products", "customers"})


def _cue_evidence(
    text: str,
    toks: Sequence[Token],
    cues: Sequence[Cue],
    nouns: bool = False,
    subjects: Mapping[str, str] | None = None,
) -> tuple[float, str | None]:
    """Summed weight of the cues found (repeats of one cue count once) and the phrase around the strongest.

    A match counts only where each word as written is a form of the cue's word: the stems of "care"
    and "cars" agree, the words do not (hoshin.domain.word_forms); where a one-word cue written with
    an -s reads as a plural noun by its place ("Denmark's trains"), only a noun cue stands. With
    `subjects` (word classes) a cue done by someone else ("customers trust") does not count."""
    found: list[tuple[float, int, int]] = []  # weight, first and last token of each match
    seen: dict[tuple[str, ...], float] = {}
    for m in find_cues(toks, cues):
        # Cues with the same stems ("fair", "fairly", "fairness") are one cue to the matcher: the
        # match stands if the words as written are a form of any of them, with that one's weight.
        written = [t.lower for t in toks[m.first : m.last + 1]]
        if subjects is not None and (
            done_by_others(toks, m.first, subjects, OTHERS_AS_SUBJECT)
            or names_or_describes_others(toks, m.first, m.last, subjects)
        ):
            continue
        weights = [
            cue.weight
            for cue in cues
            if cue.stems == m.cue.stems
            and _written_as(written, cue, nouns and cue.weight >= 1.0)
            and not (
                cue.phrase.lower() in _VERB_CUES and plural_noun_reading(toks, m.first, cue.phrase.lower())
            )
        ]
        if weights:
            found.append((max(weights), m.first, m.last))
            seen[m.cue.stems] = max(weights)
    if not found:
        return 0.0, None
    weight, first, last = max(found, key=lambda f: (f[0], -f[1]))
    return sum(seen.values()), phrase_around(text, toks, first, last, reach=2)


def _verb_cues() -> frozenset[str]:
    """One-word cues the lists also hold as an -ing form ("train" and "training our", "hire" and
    "hiring"): verbs, whose -s form after an article or a possessive is another word, a noun."""
    firsts = {cue.phrase.lower().split()[0] for cues in COMPONENT_CUES.values() for cue in cues}
    return frozenset(
        w
        for w in firsts
        if " " not in w and (w + "ing" in firsts or (w.endswith("e") and w[:-1] + "ing" in firsts))
    )


_VERB_CUES = _verb_cues()


# Cue words that count only as written: "returns" (on money), never "to return the river".
_ONLY_AS_WRITTEN = frozenset({"returns"})


def _written_as(written: Sequence[str], cue: Cue, noun: bool) -> bool:
    words = [t.lower for t in tokens(cue.phrase)]
    if words[0] in _ONLY_AS_WRITTEN:
        return list(written) == words
    return len(words) == len(written) and all(
        is_form_of(w, c, noun=noun) for w, c in zip(written, words, strict=True)
    )


# ---------------------------------------------------------------- specificity

_NUMBER = re.compile(r"\d")


def specificity(text: str) -> tuple[float, dict[str, list[str]]]:
    """0..1: how concrete the statement is. Named things (products, places, customers, numbers, proper
    names) raise it; buzzwords lower it. Returns the score and the words that made it."""
    toks = tokens(text)
    if not toks:
        return 0.0, {"concrete": [], "generic": []}
    concrete: list[str] = []
    generic: list[str] = []
    sentence_starts = {s.split()[0] for s in split_sentences(text) if s.split()}
    buzz = find_cues(toks, BUZZWORDS)
    buzz_positions = {i for m in buzz for i in range(m.first, m.last + 1)}
    generic = [" ".join(t.text for t in toks[m.first : m.last + 1]) for m in buzz]
    for i, t in enumerate(toks):
        if i in buzz_positions:
            continue
        if _NUMBER.search(t.text):
            concrete.append(t.text)
        elif t.stem in CONCRETE_NOUNS or t.stem in PLACES:
            concrete.append(t.text)
        elif (
            t.text[:1].isupper()
            and t.text not in sentence_starts
            and i > 0
            and t.lower not in ("i", "we", "our")
        ):
            concrete.append(t.text)  # a proper name mid-sentence: a brand, a city, a product line
    concrete = list(dict.fromkeys(concrete))
    generic = list(dict.fromkeys(generic))
    # Each concrete word is worth a little, each buzzword costs a little; the statement's length only
    # matters in that a long text needs more concrete words to read as concrete.
    raw = 0.22 * len(concrete) - 0.15 * len(generic) - 0.01 * max(0, len(toks) - 25)
    score = float(1.0 / (1.0 + np.exp(-3.0 * (raw - 0.35))))
    if not concrete:
        score = min(score, 0.25)
    return round(score, 3), {"concrete": concrete, "generic": generic}


# ---------------------------------------------------------------- readability

_VOWELS = re.compile(r"[aeiouy]+")


def _syllables(word: str) -> int:
    w = word.lower()
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def readability(text: str) -> dict[str, Any]:
    """Sentence and word counts, average sentence length, share of long words and Flesch reading ease."""
    sentences = split_sentences(text)
    words = [t.text for t in tokens(text)]
    if not words:
        return {
            "sentences": 0,
            "words": 0,
            "words_per_sentence": 0.0,
            "long_words": 0.0,
            "reading_ease": None,
            "level": "empty",
        }
    n_sent = max(1, len(sentences))
    syllables = sum(_syllables(w) for w in words)
    per_sentence = len(words) / n_sent
    ease = 206.835 - 1.015 * per_sentence - 84.6 * (syllables / len(words))
    long_words = sum(1 for w in words if _syllables(w) >= 3) / len(words)
    level = "easy" if ease >= 60 else "fair" if ease >= 40 else "hard" if ease >= 20 else "very hard"
    return {
        "sentences": len(sentences),
        "words": len(words),
        "words_per_sentence": round(per_sentence, 1),
        "long_words": round(long_words, 3),
        "reading_ease": round(max(-50.0, min(121.0, ease)), 1),
        "level": level,
    }


# ---------------------------------------------------------------- suggestions

_ADVICE = {
    "customers": "Say whom you serve (e.g. 'for families', 'for small farms').",
    "products": "Name what you make or offer (e.g. 'energy-saving refrigerators').",
    "markets": "Say where you compete (a region, a country, a market segment).",
    "technology": "Mention the technology or know-how you rely on, if it sets you apart.",
    "growth": "State how you intend to stay healthy: growth, profitability or long-term survival.",
    "philosophy": "State the values or beliefs that guide your choices.",
    "self_concept": "Say what you do better than anyone else (your distinctive strength).",
    "public_image": "Say what you owe society, your community or the environment.",
    "employees": "Say how you see the people who work with you.",
}


def suggestions_for(analysis: Analysis) -> list[str]:
    """Concrete advice: the components to add (most important first), buzzwords to replace, length."""
    advice = [_ADVICE[name] for name in analysis.missing]
    generic = analysis.specificity_words.get("generic", [])
    if generic:
        advice.append(f"Replace vague words ({', '.join(generic[:4])}) with what you actually do.")
    elif analysis.specificity < 0.4 and analysis.readability.get("words", 0) > 0:
        advice.append("Be more concrete: name products, customers, places or numbers.")
    read = analysis.readability
    if read.get("words_per_sentence", 0) > 30:
        advice.append("Split long sentences; aim for under 25 words each.")
    if 0 < read.get("words", 0) < 5:
        advice.append("A few more words would let the statement say what, for whom and why.")
    return advice
