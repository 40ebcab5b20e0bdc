"""No reason quotes a function word or an uninformative word as evidence (issue 20).

Every reason writer goes through one filter (domain/evidence_words.py); these tests drive the
writers themselves with generated texts and read the quotes back out of their sentences.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.data.corpora import background_texts
from hoshin.domain import knowledge as kd
from hoshin.domain.calibration import Thresholds
from hoshin.domain.evidence_words import COMMON_SHARE, GENERAL_COMMON, NOT_EVIDENCE, quotable, singular
from hoshin.domain.explain import quotable_shared_words, reason, shared_words
from hoshin.domain.text import words
from hoshin.domain.twins import difference, twin_reason
from hoshin.service.cascade import link_reason

THRESHOLDS = Thresholds(core=2.0, adjacent=1.0)

# Written here by hand, apart from the product's lists: what a reader counts as no evidence.
NEVER_EVIDENCE = {
    "and", "or", "the", "a", "of", "for", "with", "other", "others", "includes", "include", "including",
    "systems", "system", "services", "service", "products", "parts", "various", "related", "such",
    "also", "their", "which", "into", "two", "three", "etc", "general", "home", "office", "shop",
}  # fmt: skip
CONTENT = [
    "compressor", "refrigerant", "insulation", "cabinet", "steel", "welding", "bakery", "flour",
    "vaccines", "turbine", "orchard", "invoices", "cryptography", "malware", "dairy", "textile",
]  # fmt: skip
VOCABULARY = (
    sorted(NEVER_EVIDENCE) + CONTENT + ["Systems", "Other", "SERVICES", "Includes", "offices", "shopping"]
)

_QUOTED = re.compile(r"(?<![\w'])(?<!theme )(?<!exclusion )(['\"])([^\W\d_][\w'-]*)\1(?![\w])")


def quoted_words(sentence: str) -> list[str]:
    return [m.group(2).lower() for m in _QUOTED.finditer(sentence)]


def assert_no_bad_quote(sentence: str) -> None:
    bad = [w for w in quoted_words(sentence) if w in NEVER_EVIDENCE or singular(w) in NEVER_EVIDENCE]
    assert not bad, f"{sentence!r} quotes {bad}"


texts = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=9).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.floats(min_value=-2.0, max_value=6.0), st.booleans())
def test_no_verdict_reason_quotes_a_stop_word(text: str, theme: str, z: float, excluded: bool) -> None:
    exclusion = theme if excluded else None
    why = reason(text, z, "a theme", theme, THRESHOLDS, exclusion_name=exclusion, exclusion_z=z + 1.0)
    assert_no_bad_quote(why)


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.one_of(st.none(), st.floats(min_value=-1.0, max_value=1.0)), st.booleans())
def test_no_twin_or_link_reason_quotes_a_stop_word(
    a: str, b: str, agreement: float | None, twin: bool
) -> None:
    diff = difference(a, b)
    close = list(zip(diff.own_a, diff.own_b, strict=False))
    assert_no_bad_quote(twin_reason(diff, close, agreement, twin))
    assert_no_bad_quote(link_reason(a, b))
    assert_no_bad_quote(link_reason(a, b, list(zip(words(a), words(b), strict=False))))
    assert_no_bad_quote(f"shares {kd.quoted(words(a))}")


def test_a_mission_and_an_idea_sharing_only_other_and_systems_are_close_in_meaning() -> None:
    mission, idea = "Other cooling systems", "Other heating systems"
    assert shared_words(idea, mission) == ["systems"]  # the matcher still counts it; the reason must not
    assert quotable_shared_words(idea, mission) == []
    why = reason(idea, 1.5, "cooling", mission, THRESHOLDS)
    assert why.startswith("Adjacent") and "close in meaning, no shared words" in why
    assert "'" not in why.split("(")[1]


def test_informative_words_are_still_quoted_beside_generic_ones() -> None:
    why = reason(
        "Compressor systems and other parts", 3.0, "cooling", "Refrigerator compressor systems", THRESHOLDS
    )
    assert "shared words 'Compressor'" in why or "shared words 'compressor'" in why
    assert quoted_words(why) == ["compressor"]
    # The four quoted at most are four informative ones, not the first four of any kind.
    many = "systems other services includes welding steel cabinet insulation"
    assert quotable_shared_words(many, many) == ["welding", "steel", "cabinet", "insulation"]


def test_link_and_twin_reasons_fall_back_to_meaning_when_only_generic_words_match() -> None:
    assert link_reason("Other services", "Other services n.e.c.") == "close in meaning, no shared words"
    assert link_reason("Parts of systems", "Systems", [("systems", "systems"), ("parts", "systems")]) == (
        "close in meaning, no shared words"
    )
    diff = difference("Other systems and services", "Other systems for services")
    assert twin_reason(diff, [], None, True) == "no shared words; close in meaning"
    assert kd.quoted(["systems", "includes"]) == ""


@pytest.mark.parametrize(
    "word", ["and", "Other", "systems", "Includes", "including", "services", "parts", "homes"]
)
def test_function_generic_and_common_words_are_not_quotable(word: str) -> None:
    assert not quotable(word)


@pytest.mark.parametrize(
    "word", ["compressor", "mining", "canning", "evening", "active", "care", "organ", "fire"]
)
def test_content_words_stay_quotable_even_where_a_stem_would_fold_them(word: str) -> None:
    assert quotable(word)


def test_common_words_are_those_of_the_general_corpus() -> None:
    """GENERAL_COMMON is the corpus's count, kept in the domain so that it reads no file: it must
    follow the corpus when the corpus changes."""
    lines = background_texts()
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update({singular(w) for w in words(line)})
    common = {w for w, c in counts.items() if c >= COMMON_SHARE * len(lines) and w not in NOT_EVIDENCE}
    assert common == GENERAL_COMMON
