"""Which way a goal pulls, and on what: "Cut spending on agency nurses" pulls *down* on nurses,
"Bring in more agency nurses" pulls *up* on them; two such goals of different units conflict.

Sentence cosine cannot see this (the two goals above are as close as two rewordings), and cue
words of one trade-off (cost against quality, `cascade_checks.direction`) miss most conflicts of
other kinds. So a goal is read by its structure: each direction word ("cut", "raise", "close",
"more", "centralise") acts on an object, the words that follow it up to the end of the clause
("Close the two smallest branches | to save ..."), or, where the direction word ends its clause,
the words just before it ("Keep every branch open"). The object's subject word is the last
content word of its first noun phrase ("smallest branches" -> branches), and when that word only
measures something ("spending on agency nurses", "the rate of infections", "the energy use of
campus buildings"), also the last word of the phrase after it, the thing measured. Scope phrases
after the object ("the subsidy per passenger") are not its subject: a goal that cuts the subsidy
per passenger does not pull against one that carries more passengers.

The direction words are plain English verbs and comparatives of more and less, grouped by
meaning (grow/open/add against cut/close/stop), and one second axis, central against local
control ("buy centrally" / "each branch chooses its own"). They are general words, not words of
any evaluation organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoshin.domain.text import STOP_WORDS, stem, words

__all__ = ["Pull", "opposed_subjects", "pulls"]

# Direction words by stem (the project's crude stemmer: "dropping" -> "drop", "reduced" -> "reduc").
_UP = frozenset(
    stem(w)
    for w in """
    increase raise grow boost expand extend add more double triple lift widen open opening hire
    require introduce strengthen speed accelerate maximise maximize enlarge restore reopen
    """.split()
)
_DOWN = frozenset(
    stem(w)
    for w in """
    cut reduce lower decrease halve drop remove close closing fewer less freeze stop shrink scrap
    skip eliminate cap limit shorten trim slash abolish replace minimise minimize withdraw end
    cancel shut pause save
    """.split()
)
# Central against local control: its own axis, read over the whole goal rather than one object.
# Plain "central" and "local" are left out: they name regions and suppliers as often ("Central
# Europe", "local flour"); "own" counts only as "its own" or "their own" ("our own laboratory" is
# no one unit's autonomy).
_CENTRAL = frozenset(
    stem(w) for w in "centralise centralize centrally centralised centralized headquarters".split()
)
_LOCAL = frozenset(
    stem(w) for w in "decentralise decentralize decentralised locally autonomy autonomous devolve".split()
)
_OWN_CHOICE = frozenset(stem(w) for w in "choose chooses decide decides control controls".split())
# Words that end a clause: the object of a direction word stops before them.
_BREAKS = frozenset(
    """
    to by so and but while before after until because instead than with without from within at
    through via unless
    """.split()
)
# Prepositions that join a measure to what it measures ("spending on nurses", "rate of falls").
_JOINS = frozenset("of on for in per".split())
# Nouns that measure something rather than name it: the subject is what they measure.
_MEASURES = frozenset(
    stem(w)
    for w in """
    spending spend cost costs budget budgets number share rate rates amount amounts level levels use
    time times count volume size proportion percentage price prices bill bills
    """.split()
)
_NOT_SUBJECT = STOP_WORDS - {"more", "less", "own", "use"}


@dataclass(frozen=True)
class Pull:
    """One direction word of a goal and the subject it acts on."""

    way: str  # up | down | central | local
    word: str  # the direction word as written (lower-cased)
    subjects: frozenset[str]  # stems of the subject words
    shown: tuple[str, ...]  # the subject words as written


def _is_content(word: str) -> bool:
    return len(word) > 2 and word not in _NOT_SUBJECT and word not in _BREAKS


def _way(word: str) -> str | None:
    s = stem(word)
    if s in _UP:
        return "up"
    if s in _DOWN:
        return "down"
    return None


def _phrases(span: list[str]) -> list[list[str]]:
    """The span's noun phrases: runs of words split at joining prepositions."""
    out: list[list[str]] = [[]]
    for w in span:
        if w in _JOINS:
            out.append([])
        elif _is_content(w) and _way(w) is None:
            out[-1].append(w)
    return [p for p in out if p]


def _subject(span: list[str]) -> tuple[str, ...]:
    """The subject words of an object span (see the module note)."""
    phrases = _phrases(span)
    if not phrases:
        return ()
    chosen = [phrases[0][-1]]
    if stem(chosen[0]) in _MEASURES and len(phrases) > 1:
        chosen.append(phrases[1][-1])
    return tuple(chosen)


def pulls(text: str) -> list[Pull]:
    """Every direction word of the goal with the subject it acts on (none when it names none)."""
    tokens = words(text)
    found: list[Pull] = []
    for i, w in enumerate(tokens):
        way = _way(w)
        if way is None:
            continue
        span: list[str] = []
        for nxt in tokens[i + 1 :]:
            if nxt in _BREAKS or _way(nxt) is not None:
                break
            span.append(nxt)
        if not any(_is_content(t) for t in span) or (span and span[0] in _JOINS):
            # "Keep every branch open", "keep every shop open on Sundays": the direction word closes
            # its phrase, the object came first (and what follows, if anything, is its scope).
            start = i
            while start > 0 and tokens[start - 1] not in _BREAKS and _way(tokens[start - 1]) is None:
                start -= 1
            if any(_is_content(t) for t in tokens[start:i]):
                span = tokens[start:i] + span
        subject = _subject(span)
        if subject:
            found.append(Pull(way, w, frozenset(stem(s) for s in subject), subject))
    stems_of = {stem(w): w for w in tokens if _is_content(w)}
    central = [w for w in tokens if stem(w) in _CENTRAL]
    local = [w for w in tokens if stem(w) in _LOCAL]
    local += [w for before, w in zip(tokens, tokens[1:]) if w == "own" and before in ("its", "their")]
    if "each" in tokens:
        # "Let each branch choose its books": choosing for itself is local control too.
        local += [w for w in tokens if stem(w) in _OWN_CHOICE]
    if bool(central) != bool(local):
        # The whole goal's nouns are what is run centrally or locally ("Buy all books centrally").
        axis_words = set(central or local)
        nouns = {s: w for s, w in stems_of.items() if w not in axis_words and _way(w) is None}
        found.append(
            Pull(
                "central" if central else "local",
                (central or local)[0],
                frozenset(nouns),
                tuple(nouns.values()),
            )
        )
    return found


_OPPOSITE = {"up": "down", "down": "up", "central": "local", "local": "central"}


def opposed_subjects(mine: list[Pull], theirs: list[Pull]) -> tuple[str, str, tuple[str, ...]] | None:
    """(my direction word, theirs, the shared subject words) where the two goals pull opposite
    ways on one subject; None when they do not."""
    for a in mine:
        for b in theirs:
            if _OPPOSITE[a.way] != b.way:
                continue
            shared = a.subjects & b.subjects
            if shared:
                return a.word, b.word, tuple(w for w in a.shown if stem(w) in shared)
    return None
