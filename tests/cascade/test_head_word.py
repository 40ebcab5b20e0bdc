"""A goal's head word (what the rest of its text qualifies) counts as evidence of its parent."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.cascade_link import LinkWeights, WordVectors, level_links
from hoshin.domain.head_word import head_word


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Wholesale of metals and metal ores", "wholesale"),  # the activity, not its object
        ("Printing Ink Manufacturing", "ink"),  # filler at the end is skipped
        ("Manufacture of machinery for mining, quarrying and construction", "machinery"),
        ("bomb disposal technician", "technician"),
        ("Highways (except elevated highways), streets", "highways"),
        ("Cut compressor failures by 20% in Germany", "failures"),
    ],
)
def test_the_head_is_the_word_the_rest_qualifies(text: str, head: str) -> None:
    assert head_word(text) == head


@pytest.mark.parametrize("text", ["", "   ", "of the for", "Services", "((( ;;", "42 %"])
def test_a_text_without_a_content_word_has_no_head(text: str) -> None:
    assert head_word(text) is None


def _unit(*rows: list[float]) -> np.ndarray:
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


# Word vectors far apart from each other: words match only when they are the same word.
WORDS = WordVectors(
    {w: i for i, w in enumerate(["wholesale", "metals", "ores", "mining", "metal"])},
    np.eye(5, dtype=np.float32),
)
# Parent 0 "Other specialized wholesale", parent 1 "Mining of metal ores"; the goal "Wholesale of
# metals and metal ores" shares more (and rarer) words with the mining parent, and sits halfway
# between the two in meaning.
TEXTS = [["wholesale"], ["mining", "metal", "ores"], ["wholesale", "metals", "metal", "ores"]]
VECTORS = _unit([1, 0, 0], [0, 1, 0], [0.5, 0.5, 0.7])
HEADS = [
    head_word(t)
    for t in ["Other specialized wholesale", "Mining of metal ores", "Wholesale of metals and metal ores"]
]


def test_a_parent_holding_the_goals_head_word_wins_over_one_holding_its_qualifiers() -> None:
    plain = LinkWeights(siblings=0.0, head=0.0)
    with_head = LinkWeights(siblings=0.0, head=0.2)
    (without,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=plain, heads=HEADS)
    (table,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=with_head, heads=HEADS)
    assert next(without.blocks())[1][0].argmax() == 1
    assert next(table.blocks())[1][0].argmax() == 0
    # The reason names the head word first.
    assert table.evidence(0, 0) == [("wholesale", "wholesale")]
    assert table.evidence(0, 1)[0] == ("metal", "metal")


def test_without_heads_the_head_weight_changes_nothing() -> None:
    (table,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=LinkWeights(siblings=0.0, head=0.2))
    (plain,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=LinkWeights(siblings=0.0, head=0.0))
    np.testing.assert_allclose(next(table.blocks())[1], next(plain.blocks())[1])


def test_a_head_that_is_not_among_the_goals_words_is_ignored() -> None:
    heads = [None, None, "unknown"]
    weights = LinkWeights(siblings=0.0, head=0.2)
    (table,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=weights, heads=heads)
    (plain,) = level_links([1, 1, 2], VECTORS, TEXTS, WORDS, weights=weights)
    np.testing.assert_allclose(next(table.blocks())[1], next(plain.blocks())[1])


def test_the_head_counts_when_words_match_by_stem_alone() -> None:
    texts = [["wholesales"], ["mining", "metal", "ores"], ["wholesale", "metals", "metal", "ores"]]
    no_vectors = WordVectors({}, np.zeros((0, 3), dtype=np.float32))
    plain = LinkWeights(siblings=0.0, head=0.0, word_floor=1.0)
    weights = LinkWeights(siblings=0.0, head=0.2, word_floor=1.0)
    (without,) = level_links([1, 1, 2], VECTORS, texts, no_vectors, weights=plain, heads=HEADS)
    (table,) = level_links([1, 1, 2], VECTORS, texts, no_vectors, weights=weights, heads=HEADS)
    assert next(without.blocks())[1][0].argmax() == 1
    assert next(table.blocks())[1][0].argmax() == 0
