"""The phrases of a mission statement that the role reading (component_roles) looks at, and the
classes of their words: where a short phrase starts and ends, which phrases are joined by "and", and
which class (person or organisation, thing, place, trade) the caller gave a word.

Kept apart from the readings themselves so each module stays small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hoshin.domain.lexicon import Token

__all__ = [
    "AGENT",
    "DETERMINERS",
    "ORGANISATION",
    "OTHER",
    "PERSON",
    "PHRASE_END",
    "PLACE",
    "SERVED_AFTER",
    "SERVED_CLASSES",
    "THING",
    "TRADE",
    "bare_word",
    "class_of",
    "conjuncts",
    "is_trade",
    "may_be_verb",
    "may_head",
    "phrase_at",
    "word_class",
]

# A kind of business named by what it offers ("bakery", "clinic", "bookshop"): an organisation one
# can serve, and, where the statement names itself so, what is offered.
# A trade word keeps its class for every other reading, written "trade:<class>" ("trade:place" for
# "museum": one still works "in museums").
TRADE = "trade"
AGENT, ORGANISATION, THING, PLACE, OTHER = "agent", "organisation", "thing", "place", "other"
PERSON = "person"  # prototypes that tell a person from an organisation among the agents
# Who can be served: a person or an organisation. Only a person can be on the staff.
SERVED_CLASSES = frozenset({AGENT, ORGANISATION})
# Words after which a phrase names who is served.
SERVED_AFTER = frozenset(
    "for serve serves serving served help helps helping supply supplies supplying let lets "
    "enable enables enabling empower empowers empowering".split()
)

DETERMINERS = frozenset(
    "the a an our their its his her your every each all any more most some many this that these those "
    "one two three four five ten hundred hundreds thousand thousands million millions billion "
    "billions".split()
)
# Words that end the phrase after a trigger: a new clause, a preposition, a conjunction.
PHRASE_END = frozenset(
    "that who which whose where when while because so to in at by with without from on of into "
    "through across around throughout and or but as than we they it is are be".split()
)


def bare_word(token: Token) -> str:
    """The token lower-cased without a possessive ending ("world's" -> "world")."""
    word = token.lower
    for ending in ("'s", "’s", "s'", "s’"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + ("s" if ending.startswith("s") else "")
    return word


def phrase_at(
    text: str, toks: Sequence[Token], start: int, allow_commas: bool = False, reach: int = 4
) -> list[int]:
    """The words of the short phrase that starts at `start`, determiners skipped, up to a clause break."""
    if 0 < start < len(toks) and any(
        ch in text[toks[start - 1].end : toks[start].start] for ch in ",;:.!?()—–\n"
    ):
        return []  # "to collect, protect and share": the word before the comma has no phrase after it
    i = start
    while i < len(toks) and toks[i].lower in DETERMINERS:
        i += 1
    out: list[int] = []
    marks = ";:.!?()—–\n" if allow_commas else ",;:.!?()—–\n"
    for j in range(i, min(len(toks), i + reach)):
        if toks[j].lower in PHRASE_END:
            break
        out.append(j)
        if j + 1 < len(toks) and any(ch in text[toks[j].end : toks[j + 1].start] for ch in marks):
            break
    return out


def conjuncts(text: str, toks: Sequence[Token], start: int) -> list[list[int]]:
    """The phrase at `start` and those joined to it by "and" or "or" ("for animals and the people who
    love them"): each may be the one that names who is served."""
    phrases = [phrase_at(text, toks, start)]
    while len(phrases) < 3 and phrases[-1]:
        after = phrases[-1][-1] + 1
        if after >= len(toks) or toks[after].lower not in ("and", "or"):
            break
        if any(ch in text[toks[after - 1].end : toks[after].start] for ch in ";:.!?()—–\n"):
            break
        phrases.append(phrase_at(text, toks, after + 1))
    return phrases


def class_of(token: Token, word_classes: Mapping[str, str]) -> str | None:
    return word_class(word_classes, bare_word(token))


def is_trade(token: Token, word_classes: Mapping[str, str]) -> bool:
    return word_classes.get(bare_word(token), "").startswith(TRADE + ":")


def word_class(word_classes: Mapping[str, str], word: str) -> str | None:
    """The class of `word` for reading roles: a trade word's own class ("trade:place" -> "place")."""
    found = word_classes.get(word)
    return found.partition(":")[2] if found and found.startswith(TRADE + ":") else found


# Words after "we" that are no verb of acting on someone.
_NOT_ACTION = frozenset(
    "are is were was be been will would can could shall should may might must do does did have has had "
    # verbs that say what the organisation is, not what it does to someone ("to remain a company")
    "remain remains stay stays become becomes staying remaining becoming being "
    # adverbs between "to" and its verb ("to still be here") are no verbs of their own
    "also always still never just only even ever all each both".split()
)


_NOT_A_VERB = DETERMINERS | PHRASE_END


def may_be_verb(token: Token, lower: str) -> bool:
    """Whether a word may be a verb the organisation does: no auxiliary, copula, adverb of time,
    determiner or word that ends a phrase."""
    return bool(token.stem) and lower not in _NOT_ACTION and lower not in _NOT_A_VERB


def may_head(token: Token) -> bool:
    """Whether a word may head a role's phrase: words in -ing or -ly are rarely heads, and some
    words are never a role."""
    word = token.lower
    adverb_like = word.endswith(("ing", "ly")) and word not in _NOUNS_IN_LY
    return bool(token.stem) and not adverb_like and word not in _NOT_A_ROLE


# Nouns that end as an adverb does ("every family", "a water supply").
_NOUNS_IN_LY = frozenset({"family", "supply", "assembly"})


# Agents that are neither customers nor staff: too vague to say who is served, or the competition.
_NOT_A_ROLE = frozenset(
    "stakeholders stakeholder peers competitors competition rivals own within profits "
    # words about the statement itself, not about what is offered
    "vision mission purpose aim goal goals ambition drive "
    # pronouns name no kind of customer, place or product ("who work for us")
    "us we them you it "
    # places by pointing, and the whole world (read as the market below), are nobody served
    "here there world's world’s "
    # money the organisation takes in, not people ("to grow sales")
    "sales".split()
)
