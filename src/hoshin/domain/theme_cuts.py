"""Where a mission sentence changes idea without a marker word: the cuts that words alone suggest.

`mission.extract_themes` cuts a sentence at commas and at marker words ("for", "who", "by"). Some
ideas meet with no such word between them, and some marker words do not start a new idea:
- "Our clinic gives *children with chronic illness* *expert care*": a verb of giving or helping
  takes a receiver (the people or organisations served) and then the thing given or done; the
  receiver ends where its own short describing phrase ("with chronic illness", "in dry regions")
  ends. That "with" describes the receiver, it does not bring the means.
- "We fix phones and *teach our customers* ...": "and" before a word that is followed by an article
  or a possessive joins a second action, not a second item of a list.
- "software that *small businesses* can *trust with their books*": in a relative clause the words
  before a modal verb are who acts (a receiver), the rest is what they do.
- "Our clinic gives ...", "At Northwind we move ...": the organisation naming itself is no idea.
Pure functions over the sentence text; no parser, no I/O. A change here that changes the themes a
statement gets must raise `mission.THEME_RULES_VERSION`, so stored missions get them derived again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Cut", "extra_cuts", "is_receiver_phrase", "lead_in_end", "protected_spans"]

_TOKEN = re.compile(r"[^\W\d_](?:[^\W_]|['’-](?=[^\W\d_]))*|\d+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Cut:
    start: int  # where the part before ends
    end: int  # where the next part begins
    kind: str  # the kind of the part that begins here


@dataclass(frozen=True)
class _Tok:
    text: str
    lower: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Tok]:
    return [
        _Tok(m.group(), m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(sentence)
    ]


# Verbs whose first object is who receives or is helped: "gives children ...", "help farmers save".
_RECEIVING_VERBS = frozenset(
    "give gives giving offer offers offering bring brings bringing grant grants granting lend lends "
    "lending send sends sending show shows showing help helps helping enable enables enabling let lets "
    "allow allows allowing".split()
)
# Who can be served or helped: people and the organisations and places made of them.
_RECEIVERS = frozenset(
    """
    people person everyone everybody anyone children child kids teenagers teens young adults adult
    families family parents parent women men girls boys babies elderly seniors pensioners patients
    students pupils learners readers users customers clients members citizens residents neighbours
    neighbors communities community tenants renters owners homeowners farmers growers workers
    employees staff refugees migrants veterans carers caregivers visitors guests travellers travelers
    businesses charities farms schools hospitals clinics libraries cities towns villages households
    homes organisations organizations companies firms shops retailers startups makers artists
    """.split()
)
# Endings of nouns that name people by what they do or are ("gardeners", "scientists", "tenants").
_PEOPLE_ENDINGS = ("ers", "ists", "ians", "ants", "ents")
_DETERMINERS = frozenset(
    "a an the our their its his her your every each all any some many more most this that these those "
    "them it us you".split()
)
# Words that open the object of a second action after "and" ("and teach our customers"); not
# "that", which after "and methods" opens a relative clause instead.
_OBJECT_OPENERS = frozenset("a an the our their its his her your every each them it us".split())
# Prepositions that open a receiver's short describing phrase ("with chronic illness", "in our county").
_DESCRIBING_PREPOSITIONS = frozenset({"with", "in", "across", "from", "of", "at", "on", "around"})
_FUNCTION = frozenset(
    "a an the and or but to for of in on at by with from as is are be was were that who which this "
    "these those it its their our your we they them us you can will could would may might should must "
    "not no so than".split()
)
_MODALS = frozenset("can will could would may might should".split())
_RELATIVES = frozenset({"that", "who", "which"})
# -ly words that are no adverbs.
_NOT_ADVERBS = frozenset(
    "family only early daily supply reply apply rely ally italy july assembly fly".split()
)


def _is_receiver(word: str) -> bool:
    return word in _RECEIVERS or (len(word) > 5 and word.endswith(_PEOPLE_ENDINGS))


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in _NOT_ADVERBS


def _receiver_end(toks: list[_Tok], first: int) -> int | None:
    """Index of the last token of a receiver phrase that starts at `first`, or None if none does:
    up to three leading words ("every", "small", "young"), a receiver noun, a coordinated second one
    ("children and teenagers"), and a short describing phrase ("with chronic illness")."""
    head = None
    for j in range(first, min(first + 4, len(toks))):
        if _is_receiver(toks[j].lower):
            head = j
            break
        if not toks[j].text[0].isalpha() or (
            toks[j].lower in _FUNCTION and toks[j].lower not in _DETERMINERS
        ):
            return None
    if head is None:
        return None
    j = head
    if j + 2 < len(toks) and toks[j + 1].lower in ("and", "or"):
        for k in range(j + 2, min(j + 5, len(toks))):
            if _is_receiver(toks[k].lower):
                j = k
                break
            if not toks[k].text[0].isalpha():
                break
    return _describing_end(toks, j)


def _describing_end(toks: list[_Tok], j: int) -> int:
    """The end of "with chronic illness" / "in our county" after a receiver noun at j: the
    preposition, a determiner, then at most two words that are not function words."""
    if j + 2 >= len(toks) or toks[j + 1].lower not in _DESCRIBING_PREPOSITIONS:
        return j
    k = j + 2
    if toks[k].lower in _DETERMINERS and toks[k].lower not in ("a", "an"):
        k += 1
    last, first_word = None, k
    while (
        k < len(toks) and k - first_word < 2 and toks[k].text[0].isalpha() and toks[k].lower not in _FUNCTION
    ):
        last = k
        k += 1
    return last if last is not None else j


def is_receiver_phrase(phrase: str) -> bool:
    """Whether a phrase names only who is served: "everyone in the valley", "elderly people"."""
    toks = _tokens(phrase)
    end = _receiver_end(toks, 0) if toks else None
    if end is None or end != len(toks) - 1:
        return False
    # What comes before the noun must describe it ("every", "elderly"), not act on it ("teach").
    head = next(j for j, t in enumerate(toks) if _is_receiver(t.lower))
    if toks[head].lower not in _RECEIVERS:
        return False  # without a verb of giving before it, "-ers" may be "disorders" or "computers"
    return all(t.lower in _DETERMINERS or _looks_like_adjective(t.lower) for t in toks[:head])


# Common describing words before a receiver, and the endings most adjectives have.
_ADJECTIVES = frozenset("young old small local poor rich sick new every single".split())
_ADJECTIVE_ENDINGS = (
    "al",
    "ic",
    "ive",
    "ous",
    "ed",
    "ful",
    "less",
    "ly",
    "y",
    "ble",
    "ish",
    "ary",
    "ent",
    "ant",
)


def _looks_like_adjective(word: str) -> bool:
    return word in _ADJECTIVES or "-" in word or word.endswith(_ADJECTIVE_ENDINGS)


def protected_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans in which a marker word does not cut: a receiver's describing phrase
    ("teenagers with chronic illness", "people from rural areas")."""
    toks = _tokens(sentence)
    out = []
    for j, tok in enumerate(toks):
        if tok.lower in _RECEIVING_VERBS and j + 1 < len(toks):
            end = _receiver_end(toks, j + 1)  # after "help", "engineers with hearing loss" too
            if end is not None:
                out.append((toks[j + 1].start, toks[end].end))
        # Else only the listed receivers: "computers with recycled parts" is a product and its means.
        if tok.lower in _RECEIVERS and j + 1 < len(toks) and toks[j + 1].lower in ("with", "from"):
            end = _describing_end(toks, j)
            if end > j:
                out.append((toks[j + 1].start, toks[end].end))
    return out


def extra_cuts(sentence: str, what: str, whom: str, principle: str) -> list[Cut]:
    """Cuts the marker words miss (see the module's note); kinds are passed in by the caller."""
    toks = _tokens(sentence)
    cuts: list[Cut] = []
    for i, tok in enumerate(toks):
        if tok.lower in _RECEIVING_VERBS and i + 1 < len(toks):
            end = _receiver_end(toks, i + 1)
            if end is not None and end + 1 < len(toks) and toks[end + 1].text[0].isalpha():
                nxt = toks[end + 1].lower
                # The verb itself is left out: the theme is the receiver ("children with ...").
                cuts.append(Cut(tok.start, toks[i + 1].start, whom))
                if nxt not in _FUNCTION or nxt in ("a", "an", "the"):
                    cuts.append(Cut(toks[end].end, toks[end].end, what))
        elif (
            tok.lower == "and"
            and 0 < i < len(toks) - 2
            and toks[i + 1].text[0].isalpha()
            and toks[i + 1].lower not in _FUNCTION
            and not _is_adverb(toks[i + 1].lower)
            and toks[i + 2].lower in _OBJECT_OPENERS
        ):
            cuts.append(Cut(tok.start, tok.end, what))  # "... and teach our customers"
        elif tok.lower in _RELATIVES:
            for k in range(i + 2, min(i + 6, len(toks))):
                if not toks[k].text[0].isalpha():
                    break
                if toks[k].lower in _MODALS:
                    cuts.append(Cut(tok.end, tok.end, whom))
                    cuts.append(Cut(toks[k].start, toks[k].start, principle))
                    break
    return cuts


def lead_in_end(sentence: str) -> int:
    """Where the sentence's ideas begin, after the organisation naming itself: "Our clinic gives
    ..." starts at "gives", "At Northwind Logistics we move ..." at "move". 0 when there is none."""
    toks = _tokens(sentence)
    if len(toks) < 4:
        return 0
    first = toks[0].lower
    if first in ("at", "in") and toks[1].text[0].isupper():
        for k in range(2, min(6, len(toks) - 1)):
            if toks[k].lower == "we":
                return toks[k + 1].start
            if not toks[k].text[0].isupper():
                break
        return 0
    if first in ("our", "the"):
        for k in (2, 3):
            verb = toks[k].lower
            subject = toks[1:k]
            if any(not t.text[0].isalpha() or t.lower in _FUNCTION or t.lower.endswith("s") for t in subject):
                return 0
            if (
                verb.endswith("s")
                and not verb.endswith(("ss", "us", "is"))
                and verb not in _FUNCTION
                and verb not in ("has", "was")
            ):
                return toks[k].start
    return 0
