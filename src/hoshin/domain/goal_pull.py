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

Readings beyond the direction words (docs/calibration.md, "Conflicts beyond the direction words"):
- a goal that opens with a verb and a count ("Drill 150 new wells", "Open four new clinics") or
  with a verb and "new" pulls *up* on what it counts: it wants more of it;
- a goal that opens with a verb and "every" ("Answer every live support chat within two minutes")
  keeps that thing going; it pulls against a goal that ends it ("Replace live support chat with a
  chatbot"), not against one that only trims it ("Cut the cost of each chat");
- buying verbs spend ("Replace 40 diesel trucks") against frozen purchases; "head office" is
  central control;
- phrasal verbs take their way from the particle ("Bring the fare down", "Put up the price");
- a cycle ("Ship a new release every week") pulls against a wait before each one that is at least
  as long ("Hold every release for a two-week security review");
- a subject is matched by meaning where plain words name one quantity in several ways: what
  people are charged (price, fare, fee, tariff), what is bought (buy, purchasing, procurement),
  and who is employed (staff, headcount, payroll, workforce). "Cut fares" pulls against "Raise
  ticket prices" with no word in common.
"""

from __future__ import annotations

import re
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
# Down words that end a thing outright rather than trim it: only these pull against a goal that
# keeps "every" one of that thing going.
_ENDING = frozenset(
    stem(w)
    for w in """
    replace stop close closing scrap abolish remove end drop cancel withdraw shut eliminate skip
    discontinue
    """.split()
)
# Verbs that buy what they act on: a goal that uses one spends on purchases.
_BUYING = frozenset(stem(w) for w in "replace buy purchase".split())
# Words that name one quantity in several ways, by stem -> the name of their group. Kept to what
# people are charged, what is bought and who is employed: general words, each group a quantity a
# finance goal and a service goal often both move.
_KINDRED = {
    stem(w): group
    for group, members in (
        ("price", "price prices fare fares fee fees tariff tariffs tuition toll tolls"),
        ("buying", "buy buying purchase purchases purchasing procurement sourcing"),
        ("staff", "staff staffing headcount payroll workforce personnel"),
    )
    for w in members.split()
}
# A goal's opening verb and what follows it: a count ("150", "four"), "new" or "every".
_SPELLED_COUNTS = (
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred"
)
_OPENING = re.compile(
    r"^\s*([A-Za-z][\w'-]*)\s+(every|each|new|\d{1,3}(?:,\d{3})+|\d+|"
    + "|".join(_SPELLED_COUNTS.split())
    + r")\s+(?:new\s+|more\s+)?(.+)$",
    re.IGNORECASE | re.DOTALL,
)
# Central against local control: its own axis, read over the whole goal rather than one object.
# Plain "central" and "local" are left out: they name regions and suppliers as often ("Central
# Europe", "local flour"); "own" counts only as "its own" or "their own" ("our own laboratory" is
# no one unit's autonomy).
_CENTRAL = frozenset(
    stem(w)
    for w in "centralise centralize centrally centralised centralized headquarters head-office".split()
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
# "this year", "every month", "next spring": a time adjunct, not part of the phrase before it.
_TIME_OPENERS = frozenset("this next every each per a the".split())
_TIMES = frozenset(
    stem(w)
    for w in """
    year years month months week weeks day days quarter quarters season spring summer autumn winter term
    """.split()
)
# Nouns that measure something rather than name it: the subject is what they measure.
_MEASURES = frozenset(
    stem(w)
    for w in """
    spending spend cost costs budget budgets number share rate rates amount amounts level levels use
    time times count volume size proportion percentage price prices bill bills
    """.split()
)
# What an opening count may count without wanting more of a thing ("Visit 3 times a year").
_HOW_OFTEN = _MEASURES | _TIMES | {stem("percent"), stem("times")}
_NOT_SUBJECT = STOP_WORDS - {"more", "less", "own", "use"}


@dataclass(frozen=True)
class Pull:
    """One direction word of a goal and the subject it acts on."""

    way: str  # up | down | central | local | keep (every one of it) | end (none of it)
    word: str  # the direction word as written (lower-cased)
    subjects: frozenset[str]  # stems of the subject words (or their group's name, _KINDRED)
    shown: tuple[str, ...]  # the subject words as written
    days: float = 0.0  # pace: the cycle ("every week": 7); hold: how long each one waits (14)


def _is_content(word: str) -> bool:
    return len(word) > 2 and word not in _NOT_SUBJECT and word not in _BREAKS


def _key(word: str) -> str:
    """The key a subject word is matched by: its group where it has one, else its stem."""
    s = stem(word)
    return _KINDRED.get(s, s)


def _way(word: str) -> str | None:
    s = stem(word)
    if s in _UP:
        return "up"
    if s in _DOWN:
        return "down"
    return None


def _time_follows(span: list[str], n: int) -> bool:
    """Whether a time word starts at `n`, or a count then a time word ("two weeks", "30 days")."""
    if n < len(span) and stem(span[n]) in _TIMES:
        return True
    counted = n < len(span) and (span[n].isdigit() or span[n] in _NUMBER_WORDS)
    return counted and n + 1 < len(span) and stem(span[n + 1]) in _TIMES


def _phrases(span: list[str]) -> list[list[str]]:
    """The span's noun phrases: runs of words split at joining prepositions. A time adjunct after
    a phrase's words ends it ("new wells this year": the wells, not the year); what follows, up
    to the next joining word, is no subject."""
    out: list[list[str]] = [[]]
    closed = False
    for n, w in enumerate(span):
        if w in _JOINS:
            out.append([])
            closed = False
        elif w in _TIME_OPENERS and out[-1] and _time_follows(span, n + 1):
            closed = True
        elif not closed and _is_content(w) and _way(w) is None:
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


def _as_verb(tokens: list[str], i: int) -> bool:
    """Whether the word at `i` is used as a verb: the goal's opening word, or after "to", "will"
    or "and" ("Buy 40 trucks", "plan to purchase"); "Freeze all truck purchases" names them."""
    return i == 0 or tokens[i - 1] in ("to", "will", "and", "we")


def pulls(text: str) -> list[Pull]:
    """Every direction word of the goal with the subject it acts on (none when it names none)."""
    tokens = words(text)
    found: list[Pull] = []
    for i, w in enumerate(tokens):
        way = _way(w)
        buying = stem(w) in _BUYING and _as_verb(tokens, i)
        if way is None and not buying:
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
        if subject and way is not None:
            keys = frozenset(_key(s) for s in subject)
            found.append(Pull(way, w, keys, subject))
            if stem(w) in _ENDING:
                found.append(Pull("end", w, keys, subject))
        if buying:
            # "Replace 40 diesel trucks with electric ones" spends: it pulls up on what is bought,
            # against "Freeze all truck purchases".
            found.append(Pull("up", w, frozenset({"buying"}), subject or (w,)))
    found += _opening(text)
    found += _tempo(text, tokens)
    found += _phrasal(tokens)
    stems_of = {_key(w): w for w in tokens if _is_content(w)}
    central = [w for w in tokens if stem(w) in _CENTRAL]
    central += [w for before, w in zip(tokens, tokens[1:]) if before == "head" and w in ("office", "offices")]
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


def _opening(text: str) -> list[Pull]:
    """The pull of a goal's opening ("Drill 150 new wells": up on wells; "Answer every live chat":
    keeps chats going); none where the opening verb is itself a direction word, read above."""
    match = _OPENING.match(text)
    if not match or _way(match.group(1)) is not None or match.group(1).lower() in _NOT_SUBJECT:
        return []
    span: list[str] = []
    for w in words(match.group(3)):
        if w in _BREAKS or _way(w) is not None:
            break
        span.append(w)
    subject = _subject(span)
    if not subject or stem(subject[0]) in _HOW_OFTEN:
        return []  # "Visit 3 times a year", "Answer each day": how often, not more of a thing
    quantifier = match.group(2).lower()
    way = "keep" if quantifier in ("every", "each") else "up"
    word = f"{match.group(1).lower()} {quantifier}"
    return [Pull(way, word, frozenset(_key(s) for s in subject), subject)]


# Verbs whose direction is in a particle later in the clause: "Bring the fare down", "Put up the
# price", "Scale back the night service". Each particle, the way it says, and the verbs it turns.
_PARTICLES = {
    "down": ("down", frozenset(stem(w) for w in "bring push drive get keep pull take scale wind".split())),
    "up": ("up", frozenset(stem(w) for w in "put push drive step scale ramp bump jack".split())),
    "back": ("down", frozenset(stem(w) for w in "scale wind pare".split())),
}
_PARTICLE_VERBS = frozenset().union(*(verbs for _, verbs in _PARTICLES.values()))


def _phrasal(tokens: list[str]) -> list[Pull]:
    """The pulls of phrasal verbs: the object sits between verb and particle ("Bring the typical
    fare down") or after the particle ("Put up the price of a check-up")."""
    found: list[Pull] = []
    for i, w in enumerate(tokens):
        verb = stem(w)
        if verb not in _PARTICLE_VERBS or _way(w) is not None:
            continue  # most words: no phrasal verb starts here
        for j in range(i + 1, len(tokens)):
            particle = tokens[j]
            if particle in _BREAKS or _way(particle) is not None:
                break
            turned = _PARTICLES.get(particle)
            if turned is None or verb not in turned[1]:
                continue
            span = tokens[i + 1 : j]
            if not any(_is_content(t) for t in span):
                span = []
                for nxt in tokens[j + 1 :]:
                    if nxt in _BREAKS or _way(nxt) is not None:
                        break
                    span.append(nxt)
            subject = _subject(span)
            if subject:
                found.append(Pull(turned[0], f"{w} {particle}", frozenset(_key(s) for s in subject), subject))
            break
    return found


def _tempo(text: str, tokens: list[str]) -> list[Pull]:
    """A cadence ("Ship a new release every week": pace, 7 days) or a wait before each one goes
    ahead ("Hold every release for a two-week security review": hold, 14 days), on the object of
    the goal's opening verb. A hold at least as long as another goal's cycle cannot fit in it."""
    lowered = text.lower()
    hold = _HOLD.search(lowered) if _GATES.search(lowered) else None
    pace = None if hold else _CADENCE.search(lowered)
    if not hold and not pace:
        return []
    span: list[str] = []
    for w in tokens[1:]:
        if w in _BREAKS or _way(w) is not None:
            break
        span.append(w)
    subject = _subject(span)
    if not subject:
        return []
    keys = frozenset(_key(s) for s in subject)
    if hold:
        amount = hold.group(1) or hold.group(2)
        return [Pull("hold", hold.group(0), keys, subject, _days(amount, hold.group(3)))]
    assert pace is not None
    return [Pull("pace", pace.group(0), keys, subject, _days(pace.group(1) or "one", pace.group(2)))]


_UNIT_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.0, "quarter": 91.0, "year": 365.0}
_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_NUMBER_WORDS["a"] = 1
_UNITS = r"(hour|day|week|month|quarter|year)s?"
_AMOUNT = r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)"
# "every week", "every two weeks", "every 30 days"; not "within a week" (a deadline, not a cycle).
_CADENCE = re.compile(r"\bevery (?:" + _AMOUNT + r" )?" + _UNITS + r"\b")
# "a two-week review", "a 48-hour check", "for three days"; read only where the goal gates each
# one on a review, check, test or approval. Not "once a year": that is a cycle, not a wait.
_HOLD = re.compile(r"\b(?:" + _AMOUNT + r"-|for " + _AMOUNT + r" )" + _UNITS + r"\b")
_GATES = re.compile(r"\b(?:review|check|test|inspection|audit|approval|sign-off|quarantine)s?\b")


def _days(amount: str, unit: str) -> float:
    count = float(amount) if amount.isdigit() else float(_NUMBER_WORDS.get(amount, 1))
    return count * _UNIT_DAYS[unit]


_OPPOSITE = {
    "up": "down",
    "down": "up",
    "central": "local",
    "local": "central",
    "keep": "end",
    "end": "keep",
    "pace": "hold",
    "hold": "pace",
}


def opposed_subjects(
    mine: list[Pull], theirs: list[Pull]
) -> tuple[str, str, tuple[str, ...], tuple[str, ...]] | None:
    """(my direction word, theirs, the subject words as I write them, as they write them) where
    the two goals pull opposite ways on one subject; None when they do not."""
    for a in mine:
        for b in theirs:
            if _OPPOSITE[a.way] != b.way or not _outlasts(a, b):
                continue
            shared = a.subjects & b.subjects
            if shared:
                return a.word, b.word, _written(a, shared), _written(b, shared)
    return None


def _outlasts(a: Pull, b: Pull) -> bool:
    """True unless the pair is a pace and a hold where the hold fits within the cycle."""
    if {a.way, b.way} != {"pace", "hold"}:
        return True
    pace, hold = (a, b) if a.way == "pace" else (b, a)
    return hold.days >= pace.days


def _written(pull: Pull, keys: frozenset[str]) -> tuple[str, ...]:
    shown = tuple(w for w in pull.shown if _key(w) in keys)
    return shown or tuple(pull.shown)
