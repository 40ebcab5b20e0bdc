"""Which words a reason may quote as evidence: the one filter every `why` goes through.

A reason that says a verdict rests on "shared words 'systems', 'other'" or "shares 'includes'
with the mission" tells a reader nothing: such words sit in any text of any field. The engine's
matching may still count them (their weight is already small, and the verdicts were measured with
them); this module decides only what a sentence *shows*. A word is quotable unless it is
- a function word: articles, pronouns, prepositions, conjunctions, auxiliaries, quantifiers,
  number words, common adverbs, and light verbs such as "include", "take" or "keep";
- a generic word: one that says a text names *some* kind of thing without saying which
  ("systems", "services", "parts", "products", "activities", "other", "related", "various"), and
  the filler of mission statements ("provide", "company", "manufacturing");
- common in general language: found in at least 1 in 50 texts of the packaged general corpus
  (hoshin/data/background.txt, the texts the engine counts general word rarity over). Listed here
  rather than read at run time so that the domain does no I/O; a test recounts the corpus and
  fails when this list and the corpus part ways.
Words are compared in lower case and singular, so "Systems" and "system" both count (the verb forms
are listed one by one). A reason left with no quotable word says so in plain words ("close in
meaning") instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from hoshin.domain.text import MISSION_FILLER, STOP_WORDS

__all__ = [
    "COMMON_SHARE",
    "GENERAL_COMMON",
    "NOT_EVIDENCE",
    "quotable",
    "quotable_pairs",
    "quotable_words",
    "quote",
    "singular",
]

# Function words beyond the engine's stop words (`text.STOP_WORDS`, which matching uses and whose
# measured behaviour this module must not change): these match rarely, but when they do they are
# still no evidence.
_FUNCTION = """
    another anybody anyone anything anywhere somebody someone something somewhere everybody everyone
    everything everywhere nobody nothing nowhere none whatever whoever whenever wherever whichever
    already always never still even ever yet also although though whereas hence therefore thereby
    therein thereof thereto herein hereby thus indeed perhaps maybe quite really almost enough else
    elsewhere otherwise together alone along back behind beside besides beyond beneath inside outside
    throughout amongst amid upon via due plus minus etc eg ie i.e e.g versus vs
    first second third last next former latter previous following further furthermore moreover
    meanwhile afterwards beforehand sometimes somehow anyhow anyway
    zero two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion
    half ones
    """

# Light verbs: they carry the sentence, not its subject.
_LIGHT_VERBS = """
    include includes included including involve involves involved involving concern concerns
    concerning regard regarding take takes taking took taken give gives giving gave put puts
    putting keep keeps keeping kept show shows showing shown see sees seeing seen saw find finds
    finding found call calls calling called move moves moving moved seem seems seemed become becomes
    became come comes coming came got want wants try tries tried describe describes described fill
    fills filled showed detailed detailing
    """

# Generic words: a text that has them names some kind of thing, not which.
_GENERIC = """
    system systems service services product products part parts item items thing things type types
    kind kinds sort sorts stuff means detail details amount amounts number numbers name names side
    sides top bottom front full whole lot lots other others various general generally related
    relating relation miscellaneous n.e.c nec classified specified unspecified similar certain
    particular different same inc ltd co
    """

NOT_EVIDENCE = frozenset((_FUNCTION + _LIGHT_VERBS + _GENERIC).split()) | STOP_WORDS | MISSION_FILLER

#: Share of the general corpus's texts from which a word counts as common in general language.
COMMON_SHARE = 0.02

#: Words (singular, lower case) in at least COMMON_SHARE of the general corpus's texts and not
#: listed above ("service" is common too, and generic); a test recounts them
#: (tests/engine/test_evidence_words.py).
GENERAL_COMMON = frozenset({"home", "office", "shop"})


def singular(word: str) -> str:
    """The word in lower case without a possessive or plural ending ("offices" -> "office",
    "companies" -> "company"); no other ending is touched ("shopping" stays)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=100_000)
def quotable(word: str) -> bool:
    """Whether a reason may quote `word` as evidence (see the module's note)."""
    w = word.lower().replace("’", "'")
    if len(w) <= 2 or w in NOT_EVIDENCE:
        return False
    # Singular, not the engine's stem: the crude stemmer folds "active" into "activity", "organ"
    # into "organization" and "evening" into "even"; the verb forms are listed instead.
    base = singular(w)
    return base not in NOT_EVIDENCE and not _bases(base) & GENERAL_COMMON


def _bases(word: str) -> set[str]:
    """The word and its stems without -ing or -ed where four letters or more are left ("shopping"
    is "shop", "homed" is "home"); checked against the few common words only, where no false
    match hides ("evening" would be "even", a function word)."""
    out = {word}
    for ending in ("ing", "ed"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 4:
            out.update((base, base + "e", base[:-1] if base[-1] == base[-2] else base))
    return out


def quotable_words(words: Iterable[str], limit: int | None = None) -> list[str]:
    """The quotable words of `words`, in order, at most `limit` of them."""
    out = [w for w in words if quotable(w)]
    return out if limit is None else out[:limit]


def quotable_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Word pairs ("close words 'a' ~ 'b'") whose two words are both quotable."""
    return [(a, b) for a, b in pairs if quotable(a) and quotable(b)]


def quote(words: Sequence[str]) -> str:
    """Words as a reason quotes them: 'a', 'b' (the caller has kept the quotable ones)."""
    return ", ".join(repr(w) for w in words)
