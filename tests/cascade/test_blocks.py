"""The checks over thousands of goals work block by block; the answers must not depend on the
block size (a small block here stands in for a large tree)."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain import cascade_checks
from hoshin.domain.cascade_checks import conflicting_pairs, cosine_blocks, duplicate_pairs
from hoshin.domain.cascade_link import WordVectors, level_links
from hoshin.service.cascade import link_words

SUBJECTS = ["door seal", "compressor", "fan motor", "drawer rail", "hinge", "thermostat"]
COST = ["Buy the cheapest {} we can source", "Cut the cost of each {} by a tenth"]
QUALITY = ["Make every {} survive 200,000 cycles", "Halve failures of the {}"]


def _goals(n: int) -> list[str]:
    templates = COST + QUALITY
    return [templates[i % 4].format(SUBJECTS[(i // 4) % len(SUBJECTS)]) + f" in plant {i}" for i in range(n)]


def _vectors(n: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(6, 16))  # a few topics, so that many pairs are close
    v = base[np.arange(n) % 6] + 0.35 * rng.normal(size=(n, 16))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("cells", [7, 50, 10_000_000])
def test_duplicates_and_conflicts_are_the_same_whatever_the_block(
    monkeypatch: pytest.MonkeyPatch, cells: int
) -> None:
    texts, vectors = _goals(60), _vectors(60)
    above = [set() for _ in texts]
    above[5] = {1}  # a goal and its parent are never reported
    whole = vectors @ vectors.T
    expected_dup = duplicate_pairs(texts, whole, above)
    expected_con = conflicting_pairs(texts, whole, above)
    assert expected_dup and expected_con  # the fixture must exercise both rules
    assert all({p.first, p.second} != {1, 5} for p in expected_dup + expected_con)
    monkeypatch.setattr(cascade_checks, "BLOCK_CELLS", cells)
    assert duplicate_pairs(texts, cosine_blocks(vectors), above) == expected_dup
    assert conflicting_pairs(texts, cosine_blocks(vectors), above) == expected_con


def _words(texts: list[str]) -> tuple[list[list[str]], WordVectors]:
    lists = [link_words(t) for t in texts]
    vocabulary = sorted({w for ws in lists for w in ws})
    return lists, WordVectors({w: i for i, w in enumerate(vocabulary)}, _vectors(len(vocabulary), seed=5))


@pytest.mark.parametrize("cells", [1, 24, 10_000_000])
def test_link_scores_in_blocks_match_the_whole_matrix(cells: int) -> None:
    texts = _goals(40)
    levels = [1] * 8 + [2] * 32
    lists, words = _words(texts)
    units = ["U1" if i % 3 else "U2" for i in range(40)]
    (whole,) = level_links(levels, _vectors(40), lists, words, units=units, cells=10_000_000)
    (table,) = level_links(levels, _vectors(40), lists, words, units=units, cells=cells)
    expected = np.vstack([scores for _, scores in whole.blocks(cells=10_000_000)])
    got = np.vstack([scores for _, scores in table.blocks(cells=cells)])
    assert got.shape == expected.shape == (32, 8)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_a_level_without_goals_above_has_no_blocks() -> None:
    texts = _goals(4)
    (table,) = level_links([1, 1, 3, 3], _vectors(4), *_words(texts))
    assert table.level == 3 and list(table.children) == [2, 3] and not len(table.parents)
    assert list(table.blocks()) == []


def test_block_size_never_drops_below_one_child() -> None:
    texts = _goals(12)
    (table,) = level_links([1] * 6 + [2] * 6, _vectors(12), *_words(texts))
    offsets = [offset for offset, _ in table.blocks(cells=1)]
    assert offsets == list(range(6))
