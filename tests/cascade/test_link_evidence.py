"""Parent links read words close in meaning and the goals that gather under a parent."""

from __future__ import annotations

import numpy as np

from hoshin.domain.cascade_link import LinkWeights, WordVectors, level_links


def _unit(*rows: list[float]) -> np.ndarray:
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


# Hand-made word vectors: "sewer" and "sewage" are close, everything else is far apart.
WORDS = WordVectors(
    {"sewer": 0, "cleaning": 1, "sewage": 2, "treatment": 3, "road": 4, "transport": 5},
    _unit(
        [1, 0.1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [0.95, 0.1, 0.3, 0, 0, 0],
        [0, 0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0.2, 1, 0],
    ),
)


def test_a_word_close_in_meaning_counts_and_is_named_as_evidence() -> None:
    texts = [["sewage", "treatment"], ["road", "transport"], ["sewer", "cleaning"]]
    vectors = _unit([1, 0, 0, 0], [0, 1, 0, 0], [0.5, 0.5, 0.7, 0])  # the goal's text sits between both
    (table,) = level_links([1, 1, 2], vectors, texts, WORDS)
    ((_, scores),) = table.blocks()
    assert scores[0, 0] > scores[0, 1]  # the sewage parent wins on the close word alone
    assert table.evidence(0, 0) == [("sewer", "sewage")]
    assert table.evidence(0, 1) == []


def test_far_words_do_not_count() -> None:
    texts = [["road", "transport"], ["treatment"], ["cleaning"]]
    vectors = _unit([1, 0, 0], [0, 1, 0], [0.6, 0.6, 0.5])
    (table,) = level_links([1, 1, 2], vectors, texts, WORDS, weights=LinkWeights(siblings=0.0))
    ((_, scores),) = table.blocks()
    np.testing.assert_allclose(scores[0], vectors[2] @ vectors[:2].T, atol=1e-6)


def test_a_parent_is_read_with_the_goals_that_lean_to_it() -> None:
    # Parent A's label is far from its children's subject (the third axis); its two clear children
    # pull it that way. Parent B's clear children lie the other way. The last goal is a shade closer
    # to B's label, but its subject is the one A's children share, so read with them A wins.
    vectors = _unit(
        [1, 0, 0],  # parent A
        [0, 1, 0],  # parent B
        [0.6, 0, 0.8],  # A's children
        [0.6, 0.05, 0.8],
        [0, 0.6, -0.8],  # B's children
        [0.05, 0.6, -0.8],
        [0.42, 0.45, 0.79],  # the goal in question
    )
    words = WordVectors({}, np.zeros((0, 3), dtype=np.float32))
    levels = [1, 1, 2, 2, 2, 2, 2]
    (plain,) = level_links(levels, vectors, [[]] * 7, words, weights=LinkWeights(siblings=0.0))
    (read,) = level_links(levels, vectors, [[]] * 7, words)
    assert next(plain.blocks())[1][4].argmax() == 1
    assert next(read.blocks())[1][4].argmax() == 0
    assert [int(s.argmax()) for s in next(read.blocks())[1][:4]] == [0, 0, 1, 1]


def test_at_a_floor_of_one_words_match_by_stem_alone() -> None:
    # "sewer" and "sewage" are close in meaning but not of one stem: no match; "treatments" and
    # "treatment" share a stem: a full match, with no word vectors at all.
    texts = [["sewage", "treatment"], ["road", "transport"], ["sewer", "treatments"]]
    vectors = _unit([1, 0, 0, 0], [0, 1, 0, 0], [0.5, 0.5, 0.7, 0])
    no_vectors = WordVectors({}, np.zeros((0, 4), dtype=np.float32))
    (table,) = level_links(
        [1, 1, 2], vectors, texts, no_vectors, weights=LinkWeights(siblings=0.0, word_floor=1.0)
    )
    assert table.evidence(0, 0) == [("treatments", "treatment")]
    assert table.evidence(0, 1) == []
