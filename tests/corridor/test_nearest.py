"""The in-memory index and duplicate grouping (pure numpy): right neighbours, compact, same z."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.alignment import EngineParams, MissionVectors, align
from hoshin.domain.calibration import hubness
from hoshin.domain.nearest import NearestIndex, align_stored, quantise
from hoshin.domain.twins import candidate_pairs, linked_groups


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def vectors() -> np.ndarray:
    return _unit(np.random.default_rng(7).standard_normal((400, 64)))


def test_quantised_vectors_take_a_quarter_of_float32_and_stay_close(vectors: np.ndarray) -> None:
    q = quantise(vectors)
    assert q.codes.dtype == np.int8 and q.nbytes <= vectors.nbytes / 4 + 4 * len(vectors)
    assert np.abs(q.dequantised() - vectors).max() < 0.01


def test_search_finds_the_exact_top_k_in_order(vectors: np.ndarray) -> None:
    ids = [f"I{i}" for i in range(len(vectors))]
    index = NearestIndex(ids, vectors)
    query = vectors[3] + 0.05 * vectors[10]
    exact = np.argsort(-(vectors @ query))[:5]
    found = index.search(query, k=5)
    assert [i for i, _ in found] == [ids[j] for j in exact]
    assert found[0][1] == pytest.approx(float(vectors[3] @ query), abs=0.01)
    assert index.search(query, k=5, min_score=0.5) == found[:1]  # only the near twin is that close


def test_the_shortlist_of_a_large_index_keeps_the_near_twins() -> None:
    rng = np.random.default_rng(1)
    stored = _unit(rng.standard_normal((60_000, 64)))  # above the size where the sign-bit pass starts
    index = NearestIndex([str(i) for i in range(len(stored))], stored)
    for target in (5, 31_337, 59_999):
        query = _unit(stored[target : target + 1] + 0.08 * rng.standard_normal((1, 64)))[0]  # cosine ~0.8
        fast, exact = index.search(query, k=3), index.search(query, k=3, exact=True)
        assert fast[0][0] == str(target) and fast[0] == exact[0]


def test_search_refuses_a_query_of_the_wrong_size(vectors: np.ndarray) -> None:
    index = NearestIndex([str(i) for i in range(len(vectors))], vectors)
    with pytest.raises(ValueError, match="dimensions"):
        index.search(np.ones(3), k=2)
    assert index.search(vectors[0], k=0) == []
    assert NearestIndex([], np.zeros((0, 64))).search(vectors[0]) == []


def test_duplicate_groups_link_transitively_and_leave_singles_out(vectors: np.ndarray) -> None:
    a = vectors[0]
    b = _unit((a + 0.2 * vectors[1])[None])[0]
    c = _unit((b + 0.2 * vectors[2])[None])[0]
    rows = np.stack([vectors[5], a, vectors[6], b, c, vectors[7], vectors[8], vectors[8]])
    ids = ["x", "a", "y", "b", "c", "z", "d1", "d2"]
    assert _groups(ids, rows, 0.95) == [["a", "b", "c"], ["d1", "d2"]]
    assert _groups(ids, rows, 1.01) == []


def _groups(ids: list[str], rows: np.ndarray, floor: float) -> list[list[str]]:
    """Cosine groups as duplicate grouping forms them: every partner looked at, linked at `floor`."""
    return linked_groups(ids, [(a, b) for a, b, _ in candidate_pairs(rows, floor, per_row=len(rows))])


def test_align_stored_gives_the_same_z_as_align() -> None:
    rng = np.random.default_rng(3)
    background = _unit(rng.standard_normal((300, 64)))
    mission = MissionVectors(
        names=("mission", "a", "b"),
        texts=("m", "a", "b"),
        vectors=_unit(rng.standard_normal((3, 64))),
        penalties=np.array([0.0, 0.5, 0.0], dtype=np.float32),
        exclusion_names=("sport",),
        exclusion_vectors=_unit(rng.standard_normal((1, 64))),
    )
    items = _unit(rng.standard_normal((500, 64)))
    params = EngineParams()
    expected = align(items, mission, background, params)
    got = align_stored(items, hubness(items, background, params.hub_k), mission, background, params)
    assert np.abs(got.z - expected.z).max() < 1e-4
    assert (got.best == expected.best).all() and (got.exclusion == expected.exclusion).all()
    assert np.abs(got.best_z - expected.best_z).max() < 1e-4
    with pytest.raises(ValueError):
        align_stored(items, np.zeros(3), mission, background, params)


def test_an_index_over_kept_codes_searches_like_one_over_the_vectors() -> None:
    rng = np.random.default_rng(4)
    vectors = _unit(rng.standard_normal((60_000, 32)))  # large enough for the sign-bit shortlist
    ids = [f"I{i}" for i in range(len(vectors))]
    plain = NearestIndex(ids, vectors)
    kept = NearestIndex.from_codes(ids, quantise(vectors))
    for q in (vectors[5] + 0.1 * vectors[9], vectors[40_000]):
        assert kept.search(q, k=5, exact=True) == plain.search(q, k=5, exact=True)
        assert kept.search(q, k=1)[0][0] == plain.search(q, k=1)[0][0]
    with pytest.raises(ValueError, match="ids for"):
        NearestIndex.from_codes(ids[:3], quantise(vectors[:4]))
