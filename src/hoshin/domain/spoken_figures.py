"""Targets written in words, read as the figures they stand for.

Two units often set one target in different words: "Cut infections by a third" and "Lower the
infection rate by 33%", "Double research funding" and "Win twice as much research money", "three
in ten tickets" and "30% of tickets", "five thousand families" and "5,000 households". The
duplicate check (domain/cascade_checks.py) accepts two close goals that state one figure; this
module gives it the figures such wordings state, keyed the way `cascade_checks.figures` keys
digits ("33%", "5000"), so "a third" and "33%" meet. Ratios with no percentage ("double",
"triple") get keys of their own ("x2"), shared only with other ways of saying the same ratio.

Only wordings that set a target count: "half price", "twice a year", "each quarter" and "a double
room" say no target share and are left alone (on the tuning half "half price" read as 50% paired an
unsold-bread discount with a goal to halve unsold bread).
"""

from __future__ import annotations

import re

__all__ = ["spoken_figures"]

_UNITS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SMALL = {
    "one": 1,
    "a": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# The share each fraction word names, as a whole percentage (a third is 33%, as goals write it).
_PARTS = {"half": 50, "third": 33, "quarter": 25, "fifth": 20, "tenth": 10}
# Words before "a quarter"/"a third" that make it a stretch of time or a rank, not a share.
_NOT_A_SHARE = frozenset("in within per each every next last this that".split())

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|\d+(?:,\d{3})*(?:\.\d+)?")


# "one-third", "two-thirds": the same fraction as "one third".
_HYPHENED_PART = re.compile(r"\b(a|one|two|three|four|nine)-(thirds?|quarters?|fifths?|tenths?)\b")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_HYPHENED_PART.sub(r"\1 \2", text.lower()))


def _count(word: str) -> int | None:
    """A number written as one word or in digits ("five", "twenty", "5,000"), else None."""
    if word[0].isdigit():
        return int(float(word.replace(",", "")))
    if word in _SMALL:
        return _SMALL[word]
    if word in _UNITS:
        return _UNITS[word]
    head, _, tail = word.partition("-")  # "twenty-five"
    if tail and head in _UNITS and tail in _SMALL and tail != "a":
        return _UNITS[head] + _SMALL[tail]
    return None


def _share(tokens: list[str], at: int) -> int | None:
    """The percentage a fraction starting at tokens[at] names ("a third", "three fifths"), if any."""
    if at + 1 >= len(tokens):
        return None
    count = _count(tokens[at])
    part = tokens[at + 1]
    base = part[:-1] if part.endswith("s") and part[:-1] in _PARTS else part
    if count is None or base not in _PARTS or base == "half":
        return None
    if (count == 1) != (base == part):  # "a third", "two thirds"; not "two third"
        return None
    if at > 0 and tokens[at - 1] in _NOT_A_SHARE:
        return None
    share = count * _PARTS[base] if base != "third" else round(100 * count / 3)
    return share if share < 100 else None


def _spelled_number(tokens: list[str], at: int) -> tuple[int, int] | None:
    """A whole number spelled in words from tokens[at] ("five thousand", "fifty", "twenty-five"),
    with how many tokens it takes; digits are `cascade_checks.figures`' business."""
    if tokens[at][0].isdigit():
        return None
    value = _count(tokens[at])
    if value is None or tokens[at] == "a":
        return None
    used = 1
    if at + 1 < len(tokens) and tokens[at + 1] in _SCALES:
        value *= _SCALES[tokens[at + 1]]
        used = 2
    return value, used


def spoken_figures(text: str) -> dict[str, str]:
    """Figures a goal states in words (normalised key -> the words), keyed as digits would be:
    fractions of change as percentages ("by a third" -> "33%", "halve" -> "50%"), "N in M" as a
    percentage ("three in ten" -> "30%"), spelled numbers from ten up ("five thousand" -> "5000"),
    and ratios ("double", "twice as many" -> "x2"; "triple" -> "x3")."""
    tokens = _tokens(text)
    out: dict[str, str] = {}
    at = 0
    while at < len(tokens):
        found = _figure_at(tokens, at)
        if found is None:
            at += 1
            continue
        key, written, used = found
        out.setdefault(key, written)
        at += used  # "three in ten" is 30%, not also ten
    return out


def _figure_at(tokens: list[str], at: int) -> tuple[str, str, int] | None:
    """The figure a wording starting at tokens[at] states: (key, the words, how many tokens)."""
    word = tokens[at]
    after = tokens[at + 1] if at + 1 < len(tokens) else ""
    before = tokens[at - 1] if at else ""
    if word in ("halve", "halves", "halved", "halving"):
        return "50%", word, 1
    if word == "half" and before in ("by", "in"):
        return "50%", f"{before} half", 1
    if word in ("double", "doubles", "doubled", "doubling") and after not in ("room", "rooms", "check"):
        return "x2", word, 1
    if word == "twice" and after in ("as", "the"):
        return "x2", " ".join(tokens[at : at + 3]), 3
    if word in ("triple", "triples", "tripled", "tripling", "treble", "trebled"):
        return "x3", word, 1
    share = _share(tokens, at)
    if share is not None:
        return f"{share}%", f"{word} {after}", 2
    if after in ("in", "of", "out"):
        ratio = _in_every(tokens, at)
        if ratio is not None:
            return ratio
    spelled = _spelled_number(tokens, at)
    if spelled is not None and spelled[0] >= 10:
        value, used = spelled
        return str(value), " ".join(tokens[at : at + used]), used
    return None


def _in_every(tokens: list[str], at: int) -> tuple[str, str, int] | None:
    """ "three in ten", "95 of every 100", "9 out of 10": a share of a round whole, as a percentage."""
    end = at + 1
    if tokens[end : end + 2] == ["out", "of"]:
        end += 2
    elif tokens[end : end + 1] in (["in"], ["of"]):
        end += 1
    else:
        return None
    if tokens[end : end + 1] == ["every"]:
        end += 1
    if end >= len(tokens):
        return None
    part, whole = _count(tokens[at]), _count(tokens[end])
    if part is None or whole not in (10, 100, 1_000) or tokens[at] == "a" or not 0 < part < whole:
        return None
    return f"{100 * part / whole:g}%", " ".join(tokens[at : end + 1]), end + 1 - at
