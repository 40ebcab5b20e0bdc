"""Roles that words play in a mission statement: who is served, what is offered, where, by whom.

Cue lists (hoshin.domain.lexicon.COMPONENT_CUES) only know the words someone wrote down; a statement
about "independent pharmacies", "lifts" or "Chicago" names a customer, a product or a market with
words no list holds. This module reads the statement's structure instead: the phrase after "for",
"serve", "help" or "partner of" names who is served; the object of "make", "design" or "sell", or
a statement that opens with a noun phrase ("Affordable insulin for ..."), names what is offered;
"our X" or "by X" for a kind of person names the people who work there; a place name says where.
The object of any verb the organisation does ("we fly people", "connecting people") names whom it
serves or what it offers, and so does the subject of a clause about what it offers ("filters that
small towns can afford").

Whether a word names a person, an organisation, a thing, a place or something else comes from the
caller as `word_classes` (the service asks the embedding model which of a few generic category
words each one is closest to, see WORD_CLASS_PROTOTYPES), so this module stays free of any model.
Without classes the roles are not read and the analysis falls back to cue words alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.cue_position import plural_noun_reading
from hoshin.domain.lexicon import CONCRETE_NOUNS, Token, phrase_around
from hoshin.domain.role_claims import (
    GROUPS_OF_STAFF,
    PEOPLE_READ_AS_THINGS,
    first_group,
    list_of_values,
    owns_itself,
    people_by_condition,
)
from hoshin.domain.role_claims import superlatives as find_superlatives
from hoshin.domain.role_objects import (
    GIVING,
    KEEP,
    given_thing,
    kept_going,
    modifies_a_product,
    staff_serving,
    whose_thing,
)
from hoshin.domain.role_phrases import (
    AGENT,
    DETERMINERS,
    ORGANISATION,
    OTHER,
    PERSON,
    PHRASE_END,
    PLACE,
    SERVED_AFTER,
    SERVED_CLASSES,
    THING,
    TRADE,
    bare_word,
    class_of,
    conjuncts,
    is_trade,
    may_be_verb,
    may_head,
    phrase_at,
    word_class,
)
from hoshin.domain.role_verbs import (
    cares_for_things,
    listed_and_third_person_verbs,
    made_before,
    trains_for_others,
)

__all__ = [
    "IDIOMS",
    "OTHERS_AS_SUBJECT",
    "WORD_CLASS_PROTOTYPES",
    "RoleFinding",
    "bare_word",
    "classify_words",
    "masked_idioms",
    "masked_in_house",
    "read_roles",
    "role_words",
    "word_class",
]

# Who, as the subject of a value word, is someone other than the organisation ("customers trust").
OTHERS_AS_SUBJECT = SERVED_CLASSES | {PLACE, TRADE}

# Generic category words, never the words of any one statement: a word belongs to the class whose
# three closest prototypes are closest on average.
WORD_CLASS_PROTOTYPES: dict[str, tuple[str, ...]] = {
    # Not classes of their own: an agent is a person or an organisation by these.
    PERSON: ("person", "people", "workers", "professionals", "experts", "employees"),
    ORGANISATION: ("organisations", "companies", "businesses", "institutions", "firms"),
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
    # Not a class of its own either: an organisation or thing closer to these than to any class is
    # a kind of business (a place of business named by its trade, never a statement's own word).
    TRADE: ("shop", "store", "restaurant", "clinic", "factory", "studio", "salon", "garage"),
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
    # "go home safe": home as where someone goes, not a household served or a house sold
    (("go", "home"), "home"),
    (("goes", "home"), "home"),
    (("come", "home"), "home"),
    (("back", "home"), "home"),
    (("on", "the", "market"), "market"),
    # "a family business" names the owners, not families served
    (("family", "business"), "family"),
    (("family", "business"), "business"),
    (("family", "company"), "family"),
    (("family", "firm"), "family"),
    (("to", "market"), "market"),
)
_IDIOM_WORDS = frozenset({"family-owned", "family-run", "home-grown", "homegrown"})
# Words before "care" that name a service of health or social care, not a value.
_KINDS_OF_CARE = frozenset(
    "cancer maternity dental eye child elderly social palliative hospice foster respite patient primary "
    "urgent intensive emergency nursing personal residential day pet skin foot health hospital "
    "mental end-of-life".split()
)

_PARTNER = frozenset({"partner", "partners", "provider", "supplier", "friend"})
_OFFERED_AFTER = frozenset(
    "make makes making build builds building design designs designing produce produces producing "
    "sell sells selling offer offers offering provide provides providing deliver delivers delivering "
    "engineer engineers engineering manufacture manufactures manufacturing into grow grows".split()
)
_WORKERS_AFTER = frozenset({"our", "pay", "pays", "paying", "hire", "hires", "train", "trains"})
# People who are not staff even when they are "ours".
_NOT_STAFF = frozenset(
    "customers customer clients client members member users user shareholders shareholder investors "
    "owners partners communities community neighbours neighbors children families family guests "
    "patients readers people everyone we us membership".split()
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


def masked_idioms(toks: Sequence[Token]) -> list[Token]:
    """The tokens with the words of known idioms blanked (empty stem), so no cue matches them."""
    out = list(toks)
    lowers = [t.lower for t in toks]
    for i in range(len(toks)):
        if lowers[i] in _IDIOM_WORDS or (lowers[i] == "care" and i > 0 and lowers[i - 1] in _KINDS_OF_CARE):
            out[i] = _blank(toks[i])  # "cancer care" is a service, not the value "care"
        for idiom, blanked in IDIOMS:
            if tuple(lowers[i : i + len(idiom)]) == idiom:
                j = i + idiom.index(blanked)
                out[j] = _blank(toks[j])
    return out


def masked_in_house(toks: Sequence[Token]) -> list[Token]:
    """The tokens with the phrase after "our own" blanked: "our own drivers", "our own bakers" are the
    organisation's staff or assets, never the customers a cue word would otherwise take them for."""
    out = list(toks)
    for i in range(len(toks) - 1):
        if toks[i].lower == "own" and i > 0 and toks[i - 1].lower in ("our", "its"):
            for j in range(i + 1, min(i + 4, len(toks))):
                if toks[j].lower in PHRASE_END:
                    break
                out[j] = _blank(toks[j])
    return out


def _blank(token: Token) -> Token:
    return Token(token.text, token.lower, "", token.start, token.end)


def role_words(toks: Sequence[Token]) -> set[str]:
    """The words whose class `read_roles` may need: every word that could head a phrase."""
    return {bare_word(t) for t in toks if t.lower not in DETERMINERS and t.lower not in PHRASE_END}


def classify_words(
    words: Sequence[str], word_vectors: np.ndarray, prototype_vectors: Mapping[str, np.ndarray]
) -> dict[str, str]:
    """Each word's class: the class whose three closest prototypes (unit vectors) are closest on average.

    People and organisations are first one class (who can be served), then told apart by their two
    closest prototypes: the staff a statement names must be people, not "our hotels"."""
    if not len(words):
        return {}
    vectors = np.asarray(word_vectors)
    groups = {
        name: np.asarray(protos)
        for name, protos in prototype_vectors.items()
        if name not in _AGENT_KINDS and name != TRADE
    }
    classes = list(groups)
    scores = np.stack([_closest_mean(vectors, groups[c], 3) for c in classes], axis=1)
    out = {word: classes[int(np.argmax(row))] for word, row in zip(words, scores, strict=True)}
    out.update({word: AGENT for word in words if word in PEOPLE_READ_AS_THINGS})
    if PERSON in prototype_vectors and ORGANISATION in prototype_vectors:
        person = _closest_mean(vectors, np.asarray(prototype_vectors[PERSON]), 2)
        organisation = _closest_mean(vectors, np.asarray(prototype_vectors[ORGANISATION]), 2)
        for k, word in enumerate(words):
            if out[word] == AGENT and organisation[k] > person[k]:
                out[word] = ORGANISATION
            elif out[word] != AGENT and person[k] >= scores[k].max() + _CLEARLY_A_PERSON:
                # Trades and professions ("engineers", "technicians") sit far from the collective
                # agent words (communities, institutions) but clearly nearest the words for people.
                out[word] = AGENT
    if TRADE in prototype_vectors:
        # A person stays a person ("our dentists" are staff); anything else closer to the kinds of
        # business than to every class names a trade.
        trade = _closest_mean(vectors, np.asarray(prototype_vectors[TRADE]), 3)
        for k, word in enumerate(words):
            if out[word] != AGENT and trade[k] > scores[k].max():
                out[word] = f"{TRADE}:{out[word]}"
    return out


_AGENT_KINDS = frozenset({PERSON, ORGANISATION})
# How much nearer the person prototypes than every class a word must be to name a person.
_CLEARLY_A_PERSON = 0.05


def _closest_mean(vectors: np.ndarray, prototypes: np.ndarray, n: int) -> np.ndarray:
    """For each vector, the mean similarity of its `n` closest prototypes."""
    return np.asarray(np.sort(vectors @ prototypes.T, axis=1)[:, -n:].mean(axis=1))


def read_roles(text: str, toks: Sequence[Token], word_classes: Mapping[str, str]) -> list[RoleFinding]:
    """Customers, products, markets and employees the statement's structure names, each with its phrase.

    `toks` may have idiom words blanked (empty stem, see masked_idioms): those play no role."""
    found: list[RoleFinding] = []
    served_at: set[int] = set()
    staff_at: set[int] = set()

    def add(component: str, index: int) -> None:
        if component == "customers":
            served_at.add(index)
        if component == "employees":
            staff_at.add(index)
        elif component == "products" and index in staff_at:
            return  # "Our mechanics are trained by ...": the staff named are not what is offered
        found.append(
            RoleFinding(component, toks[index].text, phrase_around(text, toks, index, index, reach=3))
        )

    def served_head(indices: Sequence[int], places: bool = True) -> int | None:
        # Who is served: people or organisations other than staff, or a kind of place written in
        # lower case ("for cities", "small towns"): its people and councils, not a market's name.
        head = head_of(SERVED_CLASSES, indices)
        if head is not None and (bare_word(toks[head]) not in _NOT_STAFF or lowers[head] in _SERVED_ANYWAY):
            return head
        head = head_of(PLACE, indices) if places else None
        if head is not None and toks[head].text.islower() and lowers[head].endswith("s"):
            return head
        return None

    def head_of(kind: str | frozenset[str], indices: Sequence[int]) -> int | None:
        # English noun phrases end in their head ("the world's developers", "durable park benches"):
        # the last word of the class is the head; words ending in -ing or -ly are rarely heads.
        kinds = {kind} if isinstance(kind, str) else kind
        heads = [j for j in indices if may_head(toks[j]) and class_of(toks[j], word_classes) in kinds]
        return heads[-1] if heads else None

    lowers = [t.lower for t in toks]
    superlatives = set(find_superlatives(toks, lowers))
    plain = [
        i for i, t in enumerate(toks) if may_be_verb(t, lowers[i]) and _acts_plainly(text, toks, i, lowers)
    ]
    verbs = listed_and_third_person_verbs(text, toks, plain)
    for i, word in enumerate(lowers):
        after_partner = word in ("of", "to", "for") and i > 0 and lowers[i - 1] in _PARTNER
        served = (
            word in SERVED_AFTER and not (word == "for" and i > 0 and lowers[i - 1] in _FOR_AS_OBJECT)
        ) or (word == "to" and i > 0 and lowers[i - 1] in _HANDED_TO)
        if served or after_partner:
            heads = [served_head(phrase) for phrase in conjuncts(text, toks, i + 1)]
            served_heads = [h for h in heads if h is not None]
            if served_heads:
                add("customers", served_heads[0])
                served_at.update(served_heads)  # "for banks and hospitals": all of them are served
        if (
            word == "that"
            and i > 0
            and (lowers[i - 1] == "so" or class_of(toks[i - 1], word_classes) == THING)
        ):
            # "filters that small towns can afford", "so that clinics can use them": the subject of
            # a clause about what is offered is who uses it.
            head = served_head(phrase_at(text, toks, i + 1))
            if head is not None and head > i + 1:
                add("customers", head)
        # Verbs the triggers above do not already read ("serve", "make", "hire" and kin).
        read_above = served or word in _OFFERED_AFTER or word in _WORKERS_AFTER
        if (
            not read_above
            and lowers[i + 1 : i + 2] != ["our"]
            and _acts_on_object(text, toks, i, lowers, verbs)
        ):
            # "We fly people", "Connecting people", "to keep 2 billion people moving": the people
            # the organisation acts on are the ones it serves, a thing it acts on is what it offers.
            head = served_head(phrase_at(text, toks, i + 1), places=False)
            if head is None:
                head = whose_thing(text, toks, i, lowers, served_head)
            if head is not None and word not in _OPENS_OWN:
                add("customers", head)
            head = head_of(THING, phrase_at(text, toks, i + 1))
            if head is not None:
                add("products", head)
        if word == "we" and 0 < i < len(lowers) - 1 and lowers[i + 1] in SERVED_AFTER:
            # "the pharmacies we supply": the phrase before "we" is who is served.
            if toks[i - 1].stem and class_of(toks[i - 1], word_classes) in SERVED_CLASSES:
                add("customers", i - 1)
        if word == "we" and 0 < i < len(lowers) - 1 and _acts_on_object(text, toks, i + 1, lowers, verbs):
            # "every parcel we carry", "the bread we bake": the thing before "we" is what is offered.
            if toks[i - 1].stem and class_of(toks[i - 1], word_classes) == THING:
                add("products", i - 1)
        if word in _OFFERED_AFTER:
            object_phrase = phrase_at(text, toks, i + 1)
            head = head_of(THING, object_phrase)
            if head is None and object_phrase:
                # "We make weather forecasts": a plural the model puts among the abstract words is
                # still something made ("make a difference" is singular).
                last = object_phrase[-1]
                plural = lowers[last].endswith("s") and not lowers[last].endswith("ss")
                if plural and may_head(toks[last]) and class_of(toks[last], word_classes) == OTHER:
                    head = last
            if head is not None:
                add("products", head)
        if word in GIVING and (i in verbs or _acts_plainly(text, toks, i, lowers) or i == 0):
            given = given_thing(text, toks, i, lambda phrase: head_of(SERVED_CLASSES, phrase))
            if given is not None:
                add("products", given)  # "Give every family in our borough a safe, warm place to live"
        if cares_for_things(text, toks, i, word_classes):
            add("products", i)  # "The trust cares for 300 miles of canals": upkeep is the service
        if word in KEEP and _acts_on_object(text, toks, i, lowers, verbs):
            kept = kept_going(text, toks, i, lowers)
            if kept is not None and class_of(toks[kept], word_classes) != AGENT:
                add("products", kept)  # "We keep Denmark's trains running": the trains are the service
        made_by = word == "by" and made_before(text, toks, i)
        as_verb = not plural_noun_reading(toks, i, word[:-1])  # "Denmark's trains" train nobody
        if word in ("train", "trains") and trains_for_others(text, toks, i):
            add("products", i)  # "We train nurses for hospitals across Wales": training is the service
        elif (word in _WORKERS_AFTER and as_verb) or made_by:
            # "our pharmacists", not "our own satellite network": staff are people. "built and
            # maintained by people who live there": whoever makes what is offered works there.
            phrase = phrase_at(text, toks, i + 1)
            if word == "our":
                phrase = first_group(phrase, toks, word_classes)  # "Our nurses visit patients"
            head = head_of(SERVED_CLASSES, phrase)
            if (
                head is not None
                and class_of(toks[head], word_classes) == AGENT
                and (bare_word(toks[head]) not in _NOT_STAFF or (made_by and lowers[head] == "people"))
                and not toks[head].text[:1].isupper()
            ):
                add("employees", head)
                if word == "our":
                    visit = staff_serving(text, toks, head, lowers, served_head, word_classes)
                    if visit is not None:
                        add("products", visit)  # "Our nurses visit elderly patients at home"
        if word == "of" and i > 0 and lowers[i - 1] in GROUPS_OF_STAFF:
            # "a team of data scientists": the people the organisation is made of
            head = head_of(AGENT, phrase_at(text, toks, i + 1))
            if head is not None and bare_word(toks[head]) not in _NOT_STAFF:
                add("employees", head)
        if word == "independent" and owns_itself(text, toks, i, word_classes):
            add("self_concept", i)
        if (
            word == "the"
            and 1 < i < len(toks) - 1
            and lowers[i - 1] in ("be", "are")
            and lowers[i - 2] in ("to", "we")
            and not superlatives.intersection((i + 1, i + 2))  # read below: "the most trusted"
        ):
            # "To be the airline people choose first", "We are the only company that": one of a kind
            add("self_concept", i + 1)
        if (
            i > 0
            and lowers[i - 1] == "we"
            and lowers[i + 1 : i + 2] in (["to"], ["for"])
            and word not in _NOT_OFFERED
            and may_be_verb(toks[i], word)
            and served_head(phrase_at(text, toks, i + 2), places=False) is not None
        ):
            # "We lend to people the banks turn away": with no object, the verb itself is the service
            add("products", i)
        if (
            may_head(toks[i])
            and class_of(toks[i], word_classes) == PLACE
            and _names_a_place(toks, i, lowers)
            and not modifies_a_product(toks, i)
        ):
            add("markets", i)
    for i in people_by_condition(text, toks):
        add("customers", i)
    for i in sorted(superlatives):
        # "the poorest regions" ranks the places served, not the organisation.
        if not any(class_of(toks[j], word_classes) == PLACE for j in range(i + 1, min(i + 3, len(toks)))):
            add("self_concept", i)
    for i, word in enumerate(lowers[:-1]):
        # "the world's developers", "the safest lifts in the world", "lead the world": the whole world
        # is the market.
        if bare_word(toks[i]) == "world" and (
            word.endswith(("'s", "’s"))
            or (i > 1 and lowers[i - 2] == "in")
            or (i > 1 and lowers[i - 1] == "the" and lowers[i - 2] in ("lead", "leads", "leading"))
        ):
            add("markets", i)
    opening_phrase = phrase_at(text, toks, 0, allow_commas=True)
    opening = head_of(THING, opening_phrase)
    before_for = next((j - 1 for j in opening_phrase[2:] if lowers[j] == "for"), None)
    if (
        before_for is not None
        and lowers[before_for].endswith("ing")
        and class_of(toks[before_for], word_classes) == THING
    ):
        opening = (
            before_for  # "Recycled plastic fencing for farms": a noun in -ing before "for" heads the phrase
        )
    values = list_of_values(text, toks, opening_phrase, word_classes)
    if opening is not None and not values:
        add("products", opening)
    not_trades = served_at | set(opening_phrase) if values else served_at
    for i in _offered_by_trade(text, toks, opening_phrase, word_classes, not_trades, verbs):
        add("products", i)
    return found


# Verbs whose object is the organisation's own outlets ("open twenty new stores", "runs cafes"), not
# whom it serves.
_OPENS_OWN = frozenset("open opens opening close closes closing run runs running own owns owning".split())

# Verbs of "we ... to/for someone" that name no service.
_NOT_OFFERED = frozenset(
    "work works exist exists belong belongs listen listens answer answers care cares matter matters "
    "stand stands speak speaks talk talks look looks "
    # verbs of intent: "We aim to double our revenue" says what the organisation wants, not offers
    "aim aims want wants hope hopes seek seeks strive strives plan plans intend intends try tries".split()
)


def _offered_by_trade(
    text: str,
    toks: Sequence[Token],
    opening: Sequence[int],
    word_classes: Mapping[str, str],
    served: set[int],
    verbs: frozenset[int] = frozenset(),
) -> list[int]:
    """Words that name what is offered by naming who offers it: a kind of business not read as one
    that is served ("a family-owned bakery", "The museum exists to", "in twelve veterinary clinics"),
    or a statement that opens with a person for someone ("A dentist for every family")."""
    lowers = [t.lower for t in toks]
    out = [
        i
        for i, t in enumerate(toks)
        if i not in served
        and may_head(t)
        and is_trade(t, word_classes)
        and not _acts_on_object(text, toks, i, lowers, verbs)  # "we hire, train and promote": a verb
    ]
    if opening and toks[0].lower in ("a", "an"):
        before_for = [j - 1 for j in opening if lowers[j] == "for" and j - 1 in opening]
        last = before_for[0] if before_for else None
        if (
            last is not None
            and class_of(toks[last], word_classes) == AGENT
            and lowers[last] not in _NOT_STAFF
        ):
            out.append(last)
        elif last is not None and last - 1 in opening and class_of(toks[last], word_classes) == ORGANISATION:
            # "An accounting firm for musicians", "A software company for ...": the modifier is the trade
            modifier = toks[last - 1]
            if modifier.lower.endswith("ing") or modifier.stem in CONCRETE_NOUNS:
                out.append(last - 1)
    return out


def _acts_on_object(
    text: str, toks: Sequence[Token], i: int, lowers: Sequence[str], verbs: frozenset[int] = frozenset()
) -> bool:
    """Whether word i is a verb the organisation does to something that follows: the word after "we",
    the verb of a sentence that opens with "to ..." or with an "-ing" word, or a later verb of a list
    that starts with one ("to collect, protect and share the art": the verbs share the object)."""
    if i + 1 >= len(toks):
        return False
    j = i
    for _ in range(_LONGEST_VERB_LIST):
        if not may_be_verb(toks[j], lowers[j]):
            return False
        if j in verbs or _acts_plainly(text, toks, j, lowers):
            return True  # `verbs`: third-person and listed verbs (role_verbs)
        previous = j - 2 if j > 1 and lowers[j - 1] in ("and", "or") else j - 1
        listed = previous < j - 1 or (previous >= 0 and "," in text[toks[previous].end : toks[j].start])
        if previous < 0 or not listed:
            return False
        j = previous
    return False


_LONGEST_VERB_LIST = 6


def _acts_plainly(text: str, toks: Sequence[Token], i: int, lowers: Sequence[str]) -> bool:
    if i > 0 and lowers[i - 1] == "we":
        return True
    if _opens_sentence(text, toks, i):
        return lowers[i].endswith("ing")
    # After "to", a verb in its plain form: no plural -s ("to grassroots groups"), no proper name.
    plain = not lowers[i].endswith("s") or lowers[i].endswith("ss")
    return lowers[i - 1] == "to" and plain and toks[i].text.islower()


def _opens_sentence(text: str, toks: Sequence[Token], i: int) -> bool:
    return i == 0 or any(ch in ".!?;:" for ch in text[toks[i - 1].end : toks[i].start])


# Nouns whose "for" says what the feeling or payment is about, not whom the organisation serves.
_FOR_AS_OBJECT = frozenset(
    "respect care love passion pay wages value concern compassion responsibility returns room time "
    "sake need demand".split()
)


_SERVED_ANYWAY = frozenset(
    {
        "people",
        "everyone",
        "families",
        "customers",
        "clients",
        "users",
        "patients",
        "communities",
        "community",
    }
)

# Verbs of handing over after which "to" names who receives what is offered ("delivered to cafes").
_HANDED_TO = frozenset(
    "deliver delivers delivered delivering sell sells sold selling lend lends lent lending ship shipped "
    "shipping".split()
)


def _names_a_place(toks: Sequence[Token], i: int, lowers: Sequence[str]) -> bool:
    """A place-like word names a market when it is a proper name or follows "in", "across" and kin."""
    proper = i > 0 and toks[i].text[:1].isupper()
    before = i - 1
    while before > 0 and lowers[before] in ("the", "every", "each", "all"):
        before -= 1  # "in the valley", "across every county"
    return proper or (before >= 0 and lowers[before] in _PLACE_BEFORE)
