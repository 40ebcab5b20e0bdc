"""Vectors kept as int8 codes (domain/quantised.py): a quarter of the memory, the same products,
and every scoring path sees one form of a text's vector."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.alignment import EngineParams, MissionVectors
from hoshin.domain.calibration import hubness
from hoshin.domain.nearest import align_stored
from hoshin.domain.quantised import QuantisedVectors, quantise, row_products, rows_of, through_int8
from hoshin.embedding import HashingEmbedder
from hoshin.service.alignment import Aligner


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def vectors() -> np.ndarray:
    return _unit(np.random.default_rng(11).standard_normal((9_001, 48)))


def test_products_on_codes_equal_products_on_the_vectors_they_stand_for(vectors: np.ndarray) -> None:
    targets = _unit(np.random.default_rng(2).standard_normal((5, 48)))
    q = quantise(vectors)
    want = q.dequantised() @ targets.T
    # 5,000-row chunks cross the 4,096-row widening buffer; 9,001 rows leave a ragged last chunk.
    got = np.concatenate([block for _, block in row_products(q, targets, chunk=5_000)])
    starts = [start for start, _ in row_products(q, targets, chunk=5_000)]
    assert starts == [0, 5_000]
    assert got.shape == want.shape and np.abs(got - want).max() < 1e-5
    plain = np.concatenate([block for _, block in row_products(vectors, targets, chunk=5_000)])
    assert np.abs(plain - vectors @ targets.T).max() < 1e-5
    assert np.abs(got - plain).max() < 0.02  # the codes' own error, about 1e-3 per cosine
    assert np.allclose(rows_of(q, np.array([3, 9_000])), q.dequantised()[[3, 9_000]])


def test_rounding_through_int8_is_what_the_codes_give_back_and_rounding_twice_changes_nothing(
    vectors: np.ndarray,
) -> None:
    rounded = through_int8(vectors.copy())
    assert np.array_equal(rounded, quantise(vectors).dequantised())
    assert np.array_equal(through_int8(rounded.copy()), rounded)
    again = quantise(rounded)
    assert np.array_equal(again.codes, quantise(vectors).codes)


def test_rounding_refuses_what_it_cannot_round_in_place(vectors: np.ndarray) -> None:
    frozen = vectors.copy()
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="writable 2-d float32"):
        through_int8(frozen)
    with pytest.raises(ValueError, match="writable 2-d float32"):
        through_int8(vectors.astype(np.float64))


def test_kept_codes_can_be_copied_row_by_row(vectors: np.ndarray) -> None:
    q = quantise(vectors[:10])
    target = QuantisedVectors.empty(4, 48)
    target.put(np.array([0, 1]), q, np.array([7, 2]))
    target.put(np.array([2, 3]), quantise(vectors[20:22]))
    assert np.array_equal(target.codes[0], q.codes[7]) and target.scales[1] == q.scales[2]
    assert len(target) == 4 and target.shape == (4, 48) and target.nbytes == 4 * 48 + 4 * 4


def test_a_rescore_from_codes_gives_the_z_the_rounded_vectors_give() -> None:
    rng = np.random.default_rng(5)
    background = _unit(rng.standard_normal((300, 48)))
    mission = MissionVectors(
        names=("mission", "a"),
        texts=("m", "a"),
        vectors=_unit(rng.standard_normal((2, 48))),
        penalties=np.array([0.0, 0.2], dtype=np.float32),
        exclusion_names=("sport",),
        exclusion_vectors=_unit(rng.standard_normal((1, 48))),
    )
    items = through_int8(_unit(rng.standard_normal((700, 48))))
    params = EngineParams()
    hub = hubness(items, background, params.hub_k)
    from_floats = align_stored(items, hub, mission, background, params)
    from_codes = align_stored(quantise(items), hub, mission, background, params)
    assert np.abs(from_codes.z - from_floats.z).max() < 1e-4
    assert (from_codes.best == from_floats.best).all()
    assert (from_codes.exclusion == from_floats.exclusion).all()


class KeepingEmbedder(HashingEmbedder):
    """Hands out the same array every time (as an embedder with its own memo could)."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: np.ndarray | None = None

    def embed(self, texts, progress=None):  # noqa: ANN001, ANN201 - the Embedder signature
        if self.kept is None:
            self.kept = super().embed(texts, progress)
        return self.kept[: len(texts)]


def test_scoring_never_rounds_an_array_the_embedder_keeps() -> None:
    embedder = KeepingEmbedder()
    aligner = Aligner(embedder)
    first = aligner.embed_scored(["door seals for fridges", "mayonnaise recipes"])
    before = embedder.kept.copy()
    second = aligner.embed_scored(["door seals for fridges", "mayonnaise recipes"])
    assert np.array_equal(embedder.kept, before)  # the embedder's own array is untouched
    assert np.array_equal(first, second) and np.array_equal(first, through_int8(before.copy()))
