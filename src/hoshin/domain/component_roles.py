"""Roles that words play in a mission statement: who is served, what is offered, where, by whom.

Cue lists (hoshin.domain.lexicon.COMPONENT_CUES) only know the words someone wrote down; a statement
about "independent pharmacies", "lifts" or "Chicago" names a customer, a product or a market with
words no list holds. This module reads the statement's structure instead: the phrase after "for",
"serve", "help" or "partner of" names who is served; the object of "make", "design" or "sell", or
a statement that opens with a noun phrase ("Affordable insulin for ..."), names what is offered;
"our X" or "by X" for a kind of person names the people who work there; a place name says where.

Whether a word names a person or organisation, a thing, a place or something else comes from the
caller as `word_classes` (the service asks the embedding model which of a few generic category
words each one is closest to, see WORD_CLASS_PROTOTYPES), so this module stays free of any model.
Without classes the roles are not read and the analysis falls back to cue words alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.lexicon import Token, phrase_around

__all__ = [
    "IDIOMS",
    "WORD_CLASS_PROTOTYPES",
    "RoleFinding",
    "bare_word",
    "classify_words",
    "masked_idioms",
    "read_roles",
    "role_words",
]

AGENT, THING, PLACE, OTHER = "agent", "thing", "place", "other"

# Generic category words, never the words of any one statement: a word belongs to the class whose
# three closest prototypes are closest on average.
WORD_CLASS_PROTOTYPES: dict[str, tuple[str, ...]] = {
    AGENT: (
        "people",
        "person",
        "customers",
        "clients",
        "users",
        "organisations",
        "companies",
        "businesses",
        "institutions",
        "communities",
        "members",
        "families",
    ),
    THING: ("products", "goods", "services", "things", "equipment", "food", "tools", "software"),
    PLACE: ("country", "city", "region", "town", "continent", "nation"),
    OTHER: (
        "years",
        "time",
        "generations",
        "planet",
        "environment",
        "money",
        "value",
        "quality",
        "future",
        "change",
        "outcome",
        "air",
        "water",
    ),
}

# Idioms whose words would otherwise be read as cues: "in business" names no customer businesses,
# "our home planet" no households, "on the market" no geographic market.
# Each idiom with the word it stops from reading as a cue (the other words keep their meaning:
# "home planet" is still a planet).
IDIOMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("in", "business"), "business"),
    (("of", "business"), "business"),
    (("home", "planet"), "home"),
    (("our", "home"), "home"),
    (("at", "home"), "home"),
    (("on", "the", "market"), "market"),
    (("to", "market"), "market"),
)
_IDIOM_WORDS = frozenset({"family-owned", "family-run", "home-grown", "homegrown"})

_DETERMINERS = frozenset(
    "the a an our their its his her your every each all any more most some many this that these those "
    "one two three four five ten hundred thousand million millions".split()
)
# Words that end the phrase after a trigger: a new clause, a preposition, a conjunction.
_PHRASE_END = frozenset(
    "that who which whose where when while because so to in at by with without from on of into "
    "through across around throughout and or but as than we they it is are be".split()
)
_SERVED_AFTER = frozenset(
    "for serve serves serving served help helps helping supply supplies supplying let lets "
    "enable enables enabling empower empowers empowering".split()
)
_PARTNER = frozenset({"partner", "partners", "provider", "supplier", "friend"})
_OFFERED_AFTER = frozenset(
    "make makes making build builds building design designs designing produce produces producing "
    "sell sells selling offer offers offering provide provides providing deliver delivers delivering "
    "engineer engineers engineering manufacture manufactures manufacturing into".split()
)
_WORKERS_AFTER = frozenset({"our", "pay", "pays", "paying", "hire", "hires", "train", "trains"})
# People who are not staff even when they are "ours".
_NOT_STAFF = frozenset(
    "customers customer clients client members member users user shareholders shareholder investors "
    "owners partners communities community neighbours neighbors children families family guests "
    "patients readers people everyone we us".split()
)
# Words after which a place-like word names where the organisation works ("in", "this town").
_PLACE_BEFORE = frozenset(
    {"in", "across", "throughout", "around", "of", "for", "from", "rural", "urban", "this", "our"}
)


@dataclass(frozen=True)
class RoleFinding:
    component: str
    word: str  # the word that plays the role
    evidence: str  # the phrase around it, as written


def bare_word(token: Token) -> str:
    """The token lower-cased without a possessive ending ("world's" -> "world")."""
    word = token.lower
    for ending in ("'s", "’s", "s'", "s’"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + ("s" if ending.startswith("s") else "")
    return word


def masked_idioms(toks: Sequence[Token]) -> list[Token]:
    """The tokens with the words of known idioms blanked (empty stem), so no cue matches them."""
    out = list(toks)
    lowers = [t.lower for t in toks]
    for i in range(len(toks)):
        if lowers[i] in _IDIOM_WORDS:
            out[i] = _blank(toks[i])
        for idiom, blanked in IDIOMS:
            if tuple(lowers[i : i + len(idiom)]) == idiom:
                j = i + idiom.index(blanked)
                out[j] = _blank(toks[j])
    return out


def _blank(token: Token) -> Token:
    return Token(token.text, token.lower, "", token.start, token.end)


def role_words(toks: Sequence[Token]) -> set[str]:
    """The words whose class `read_roles` may need: every word that could head a phrase."""
    return {bare_word(t) for t in toks if t.lower not in _DETERMINERS and t.lower not in _PHRASE_END}


def classify_words(
    words: Sequence[str], word_vectors: np.ndarray, prototype_vectors: Mapping[str, np.ndarray]
) -> dict[str, str]:
    """Each word's class: the class whose three closest prototypes (unit vectors) are closest on average."""
    if not len(words):
        return {}
    classes = list(prototype_vectors)
    scores = np.stack(
        [
            np.sort(np.asarray(word_vectors) @ np.asarray(prototype_vectors[c]).T, axis=1)[:, -3:].mean(
                axis=1
            )
            for c in classes
        ],
        axis=1,
    )
    return {word: classes[int(np.argmax(row))] for word, row in zip(words, scores, strict=True)}


def read_roles(text: str, toks: Sequence[Token], word_classes: Mapping[str, str]) -> list[RoleFinding]:
    """Customers, products, markets and employees the statement's structure names, each with its phrase.

    `toks` may have idiom words blanked (empty stem, see masked_idioms): those play no role."""
    found: list[RoleFinding] = []

    def add(component: str, index: int) -> None:
        found.append(
            RoleFinding(component, toks[index].text, phrase_around(text, toks, index, index, reach=3))
        )

    def head_of(kind: str, indices: Sequence[int]) -> int | None:
        # English noun phrases end in their head ("the world's developers", "durable park benches"):
        # the last word of the class is the head; words ending in -ing or -ly are rarely heads.
        heads = [j for j in indices if _may_head(toks[j]) and _class(toks[j], word_classes) == kind]
        return heads[-1] if heads else None

    lowers = [t.lower for t in toks]
    for i, word in enumerate(lowers):
        after_partner = word in ("of", "to", "for") and i > 0 and lowers[i - 1] in _PARTNER
        served = word in _SERVED_AFTER and not (word == "for" and i > 0 and lowers[i - 1] in _FOR_AS_OBJECT)
        if served or after_partner:
            head = head_of(AGENT, _phrase(text, toks, i + 1))
            if head is not None and (
                bare_word(toks[head]) not in _NOT_STAFF or lowers[head] in _SERVED_ANYWAY
            ):
                add("customers", head)
        if word == "we" and 0 < i < len(lowers) - 1 and lowers[i + 1] in _SERVED_AFTER:
            # "the pharmacies we supply": the phrase before "we" is who is served.
            if toks[i - 1].stem and _class(toks[i - 1], word_classes) == AGENT:
                add("customers", i - 1)
        if word in _OFFERED_AFTER:
            head = head_of(THING, _phrase(text, toks, i + 1))
            if head is not None:
                add("products", head)
        if word in _WORKERS_AFTER:
            head = head_of(AGENT, _phrase(text, toks, i + 1))
            if (
                head is not None
                and bare_word(toks[head]) not in _NOT_STAFF
                and not toks[head].text[:1].isupper()
            ):
                add("employees", head)
        if _may_head(toks[i]) and _class(toks[i], word_classes) == PLACE and _names_a_place(toks, i, lowers):
            add("markets", i)
    for i in _superlatives(toks, lowers):
        # "the poorest regions" ranks the places served, not the organisation.
        if not any(_class(toks[j], word_classes) == PLACE for j in range(i + 1, min(i + 3, len(toks)))):
            add("self_concept", i)
    for i, word in enumerate(lowers[:-1]):
        # "the world's developers", "the safest lifts in the world": the whole world is the market.
        if bare_word(toks[i]) == "world" and (
            word.endswith(("'s", "’s")) or (i > 1 and lowers[i - 2] == "in")
        ):
            add("markets", i)
    opening = head_of(THING, _phrase(text, toks, 0, allow_commas=True))
    if opening is not None:
        add("products", opening)
    return found


# Nouns whose "for" says what the feeling or payment is about, not whom the organisation serves.
_FOR_AS_OBJECT = frozenset(
    "respect care love passion pay wages value concern compassion responsibility returns room time "
    "sake need demand".split()
)


def _may_head(token: Token) -> bool:
    word = token.lower
    return bool(token.stem) and not word.endswith(("ing", "ly")) and word not in _NOT_A_ROLE


# Agents that are neither customers nor staff: too vague to say who is served, or the competition.
_NOT_A_ROLE = frozenset(
    "stakeholders stakeholder peers competitors competition rivals own within profits "
    # words about the statement itself, not about what is offered
    "vision mission purpose aim goal goals ambition drive".split()
)

_SERVED_ANYWAY = frozenset({"people", "everyone", "families", "customers", "clients", "users", "patients"})


# Words in -est that are no superlatives.
_NOT_SUPERLATIVE = frozenset(
    "interest forest harvest rest test west guest nest request contest chest quest crest protest "
    "honest modest earnest manifest invest digest suggest arrest".split()
)


def _superlatives(toks: Sequence[Token], lowers: Sequence[str]) -> list[int]:
    """ "the most trusted partner", "the quietest dishwashers": a claim to be better than the rest.

    Only a superlative that qualifies a following word counts ("deserve the best" claims nothing)."""
    out = []
    for i in range(1, len(toks) - 1):
        if lowers[i - 1] not in ("the", "our", "world's", "world’s"):
            continue
        word = lowers[i]
        if word == "most" and i + 2 < len(toks):
            out.append(i + 1)
        elif word.endswith("est") and len(word) > 5 and word not in _NOT_SUPERLATIVE:
            out.append(i)
        elif word in ("best", "leading", "largest", "first"):
            out.append(i)
    return out


def _names_a_place(toks: Sequence[Token], i: int, lowers: Sequence[str]) -> bool:
    """A place-like word names a market when it is a proper name or follows "in", "across" and kin."""
    proper = i > 0 and toks[i].text[:1].isupper()
    return proper or (i > 0 and lowers[i - 1] in _PLACE_BEFORE)


def _phrase(
    text: str, toks: Sequence[Token], start: int, allow_commas: bool = False, reach: int = 4
) -> list[int]:
    """The words of the short phrase that starts at `start`, determiners skipped, up to a clause break."""
    i = start
    while i < len(toks) and toks[i].lower in _DETERMINERS:
        i += 1
    out: list[int] = []
    marks = ";:.!?()—–\n" if allow_commas else ",;:.!?()—–\n"
    for j in range(i, min(len(toks), i + reach)):
        if toks[j].lower in _PHRASE_END:
            break
        out.append(j)
        if j + 1 < len(toks) and any(ch in text[toks[j].end : toks[j + 1].start] for ch in marks):
            break
    return out


def _class(token: Token, word_classes: Mapping[str, str]) -> str | None:
    return word_classes.get(bare_word(token))
