"""Plain-text helpers the engine uses for lexical evidence: words, stems, stop words, clauses.

Deliberately small and dependency-free: a crude suffix-stripping stemmer (the only one; `lexicon`
re-exports it for the cue lists) is enough to tell that "families" and "family" or "region" and
"regional" share a root, which is what the `why` of a verdict needs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = [
    "STOP_WORDS",
    "boilerplate_from_counts",
    "boilerplate_words",
    "content_words",
    "scored_text",
    "stem",
    "stems",
    "strip_words",
    "without_exception_clauses",
    "without_exceptions",
    "word_document_counts",
    "words",
]

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’-](?=[^\W\d_]))*", re.UNICODE)

# Also the principles check's stop words (`lexicon.STOPWORDS`). "mine" is left out: in a mining
# company's texts it is the subject, not a pronoun.
STOP_WORDS = frozenset(
    """
    a about above across after again against all almost also am among an and any are around as at be
    because been before being below between both but by can cannot could did do does doing done down
    during each either else etc ever every few for from further get gets getting give given go goes had
    has have having he her here hers herself him himself his how however i if in including into is it
    its itself just least less let like made make makes making many may me might more most much must my
    myself near need needs neither no nor not now of off often on once one only onto or other others our
    ours ourselves out over own per rather same several shall she should since so some such than that
    the their theirs them themselves then there these they this those though through thus to too toward
    towards under until up upon us use used uses using very via was we were what when where whether
    which while who whom whose why will with within without would yet you your yours yourself
    yourselves new way ways well within whole able
    we're we've we'll we'd i'm you're they're it's that's there's let's
    s t don't won't can't
    """.split()
)

# Words that say *how* a mission is phrased rather than *what* it is about; they carry no evidence.
MISSION_FILLER = frozenset(
    """
    mission vision aim aims goal goals purpose strive strives committed commitment dedicated
    provide provides providing provision deliver delivers delivering create creates creating offer
    offers offering produce produces producing manufacture manufactures manufacturing manufactured
    build builds building make help helps helping enable enables enabling ensure ensures support
    supports supporting serve serves serving bring brings become best leading leader world class
    except n.e.c nec other related products product services service activities activity
    business businesses company companies organisation organization firm
    """.split()
)


def words(text: str) -> list[str]:
    """Lower-cased words of a text, in order (letters, with inner hyphens and apostrophes)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


# Words whose final -ly is part of the root, not an adverb ending.
_KEEP_LY = frozenset(
    "family only apply supply early daily italy july reply rely ally assembly fly monopoly".split()
)

# Derivational endings taken off after the inflections, once, keeping at least four letters
# ("-ive" is "-iv" by then: the final -e has gone). Each was measured on the linking, principles and
# components sets: "-ment" merged "investing" with the product noun "investments", "-ation" gave
# "information" (privacy) the stem of "inform" (honesty), "-ful" and "-er" ("customer" -> "custom")
# cost precision, so they stay out.
_DERIVATIONAL = ("ational", "ization", "ness", "ity", "ous", "iv", "al")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The one stemmer of the engine: crude suffix stripping, enough for word forms to meet.

    Plurals, possessive 's, -ing, -ed, -ly and a final -e go ("families"/"family",
    "produced"/"produce", "shipped"/"ship", "reliably"/"reliable"); then one derivational ending of
    `_DERIVATIONAL` ("humanity"/"human", "regional"/"region", "dangerous"/"danger"). It never has
    to be linguistically right: cue lists, lexical evidence and link overlap only compare stems with
    stems. Kept per word (a server stems the same few thousand words in every request)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isascii():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w in _KEEP_LY:
        pass
    elif w.endswith("bly"):
        w = w[:-1] + "e"
    elif w.endswith("ily") and len(w) > 6:
        w = w[:-3] + "y"
    elif w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    for suffix in ("ing", "ied", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix == "ied" else "")
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # running -> run, shipped -> ship
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    for suffix in _DERIVATIONAL:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def content_words(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Words that carry meaning: no stop words, no one- or two-letter tokens."""
    return [w for w in words(text) if len(w) > 2 and w not in STOP_WORDS and w not in extra_stop]


def stems(text: str, extra_stop: frozenset[str] = frozenset()) -> dict[str, str]:
    """Stem -> first surface word it came from, for the content words of a text."""
    out: dict[str, str] = {}
    for w in content_words(text, extra_stop):
        out.setdefault(stem(w), w)
    return out


def word_document_counts(texts: Iterable[str]) -> Counter[str]:
    """How many of the texts each word occurs in (a text counts once per word)."""
    counts: Counter[str] = Counter()
    for text in texts:
        found = _WORD.findall(text)
        # The same lower-casing as `words`, on each distinct surface form once.
        if "’" in text:
            counts.update({w.lower().replace("’", "'") for w in found})
        else:
            counts.update({w.lower() for w in found})
    return counts


def boilerplate_from_counts(
    counts: Mapping[str, int], n_texts: int, share: float = 0.5, min_texts: int = 10
) -> frozenset[str]:
    """`boilerplate_words` from kept document counts of `n_texts` texts, so a caller that keeps the
    counts of a large set (and adds or removes a few texts) need not read every text again."""
    if n_texts < min_texts:
        return frozenset()
    limit = share * n_texts
    return frozenset(w for w, c in counts.items() if c > limit and w not in STOP_WORDS)


def boilerplate_words(texts: list[str], share: float = 0.5, min_texts: int = 10) -> frozenset[str]:
    """Words found in more than `share` of the texts: in a list where every line says
    "manufacturing", that word tells the lines apart no better than a comma does."""
    if len(texts) < min_texts:
        return frozenset()
    return boilerplate_from_counts(word_document_counts(texts), len(texts), share, min_texts)


_TOKEN = re.compile(r"\S+")


def strip_words(text: str, drop: frozenset[str]) -> str:
    """The text without the given words (punctuation kept with its neighbours); never empty."""
    if not drop:
        return text
    kept = [t for t in _TOKEN.findall(text) if re.sub(r"[\W_]", "", t.lower()) not in drop]
    out = " ".join(kept).strip(" ,;:-")
    return out or text


# "Biological Product (except Diagnostic)": the parenthesis names what the text is *not*, but an
# embedding cannot read negation and would pull the text towards diagnostics.
_EXCEPTION = re.compile(r"\s*\(\s*(?:except|excluding|other than|not)\b[^()]*\)", re.I)
# "Other financial service activities, except insurance and pension funding": the same negation as
# a clause after a comma, up to the end of the sentence part (a semicolon or a parenthesis).
_EXCEPTION_CLAUSE = re.compile(r",\s*(?:except|excluding|other than)\b[^;()]*", re.I)


def without_exceptions(text: str) -> str:
    """The text without the exceptions it names, parenthesised ("(except diagnostic)") or as a
    clause after a comma (", except insurance"); never empty. For mission statements and themes."""
    out = " ".join(_EXCEPTION_CLAUSE.sub("", _EXCEPTION.sub("", text)).split())
    return out or text


def without_exception_clauses(text: str) -> str:
    """The text without exceptions after a comma (", except insurance and pension funding"); never
    empty. For texts that are scored: their parenthesised exceptions stay (docs/calibration.md)."""
    if "," not in text:
        return text
    out = " ".join(_EXCEPTION_CLAUSE.sub("", text).split())
    return out or text


def scored_text(text: str, drop: frozenset[str]) -> str:
    """What is embedded of a text to be scored: without its exception clauses and the batch's
    boilerplate words (`strip_words`). Every path that scores texts embeds this form."""
    return strip_words(without_exception_clauses(text), drop)
