"""VectorIndex: exact numpy search and pgvector's HNSW index give the same neighbours.

The pgvector tests run against a real PostgreSQL with the extension (see conftest.py); the
exact index is also checked on its own, because it is what every SQLite installation uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import create_engine

from hoshin.errors import InputError
from hoshin.store.vector_index import (
    ExactIndex,
    PgVectorIndex,
    VectorIndex,
    fill_from_store,
    open_vector_index,
)

DIM = 16


def unit_vectors(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


@pytest.fixture(params=["exact", "pgvector"])
def index(request: pytest.FixtureRequest) -> Iterator[VectorIndex]:
    if request.param == "exact":
        yield ExactIndex(DIM)
        return
    engine = create_engine(request.getfixturevalue("pgvector_url"))
    yield PgVectorIndex(engine, DIM)
    engine.dispose()


def test_nearest_neighbours_are_the_true_ones_best_first(index: VectorIndex) -> None:
    vectors = unit_vectors(200)
    ids = [f"I{n:03d}" for n in range(200)]
    index.add("org", ids, vectors)
    query = vectors[7] + 0.01 * unit_vectors(1, seed=9)[0]
    found = index.search("org", query, k=5)
    truth = np.argsort(-(vectors @ (query / np.linalg.norm(query))))[:5]
    assert [n.id for n in found] == [ids[t] for t in truth]
    assert found[0].id == "I007" and found[0].score == pytest.approx(1.0, abs=0.01)
    assert [n.score for n in found] == sorted((n.score for n in found), reverse=True)


def test_add_replaces_by_id_and_remove_forgets(index: VectorIndex) -> None:
    vectors = unit_vectors(3)
    index.add("org", ["a", "b", "c"], vectors)
    index.add("org", ["a"], vectors[2:3])  # "a" now points where "c" does
    assert index.count("org") == 3
    found = index.search("org", vectors[2], k=2)
    assert {n.id for n in found} == {"a", "c"}
    assert all(n.score == pytest.approx(1.0, abs=1e-4) for n in found)
    index.remove("org", ["a", "missing"])
    assert index.count("org") == 2
    assert [n.id for n in index.search("org", vectors[2], k=1)] == ["c"]


def test_organisations_never_see_each_others_vectors(index: VectorIndex) -> None:
    vectors = unit_vectors(4)
    index.add("one", ["x", "y"], vectors[:2])
    index.add("two", ["x", "z"], vectors[2:])
    assert {n.id for n in index.search("one", vectors[3], k=10)} == {"x", "y"}
    assert index.search("empty", vectors[0], k=3) == []
    assert index.count("two") == 2


def test_ids_with_odd_characters_survive(index: VectorIndex) -> None:
    ids = ["tab\there", "back\\slash", "new\nline", "ünïcode ✓"]
    index.add("org", ids, unit_vectors(4))
    assert {n.id for n in index.search("org", unit_vectors(1, seed=3)[0], k=4)} == set(ids)


@pytest.mark.parametrize(
    ("ids", "vectors", "message"),
    [
        (["a"], np.ones((1, DIM + 1)), "shape"),
        (["a", "b"], np.ones((1, DIM)), "2 ids for 1 vectors"),
        (["a", "a"], np.ones((2, DIM)), "twice"),
        (["a"], np.full((1, DIM), np.nan), "finite"),
    ],
)
def test_bad_vectors_are_refused_and_change_nothing(
    index: VectorIndex, ids: list[str], vectors: Any, message: str
) -> None:
    index.add("org", ["keep"], unit_vectors(1))
    with pytest.raises(InputError, match=message):
        index.add("org", ids, vectors)
    assert index.count("org") == 1


@pytest.mark.parametrize(
    ("query", "k"), [(np.ones(DIM + 2), 3), (np.ones(DIM), 0), (np.full(DIM, np.inf), 3)]
)
def test_bad_queries_are_refused(index: VectorIndex, query: np.ndarray, k: int) -> None:
    with pytest.raises(InputError):
        index.search("org", query, k=k)


def test_hnsw_recall_matches_exact_search(pgvector_url: str) -> None:
    engine = create_engine(pgvector_url)
    vectors = unit_vectors(3000, dim=32, seed=1)
    ids = [str(n) for n in range(3000)]
    approximate = PgVectorIndex(engine, 32)
    approximate.add("org", ids, vectors)
    exact = ExactIndex(32)
    exact.add("org", ids, vectors)
    queries = unit_vectors(20, dim=32, seed=2)
    hits = 0
    for query in queries:
        truth = {n.id for n in exact.search("org", query, k=10)}
        assert {n.id for n in approximate.search("org", query, k=10, exact=True)} == truth
        hits += len(truth & {n.id for n in approximate.search("org", query, k=10)})
    assert hits / (10 * len(queries)) >= 0.95
    engine.dispose()


def test_a_different_dimension_is_refused_on_an_existing_index(pgvector_url: str) -> None:
    engine = create_engine(pgvector_url)
    PgVectorIndex(engine, DIM)
    with pytest.raises(InputError, match="drop table"):
        PgVectorIndex(engine, DIM * 2)
    engine.dispose()


def test_open_vector_index_uses_pgvector_on_its_server_and_exact_on_sqlite(
    pgvector_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoshin.embedding import create_embedder
    from hoshin.service.corridor import score_ideas, store_aligner
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    org_file = Path(__file__).parents[1] / "store" / "fixtures" / "organisation.json"
    for url, expected in ((pgvector_url, PgVectorIndex), (f"sqlite:///{tmp_path / 's.db'}", ExactIndex)):
        with open_store(url) as repo:
            load_demo(repo, org_file, actor="test")
            score_ideas(repo, "coolco", store_aligner(repo))  # stores the ideas' vectors
            embedder = create_embedder()
            index = open_vector_index(repo, embedder.dimensions)
            assert isinstance(index, expected)
            assert fill_from_store(repo, "coolco", index, embedder.model_id) == repo.count("ideas", "coolco")
            idea = repo.get("ideas", "coolco", "I001")
            found = index.search("coolco", embedder.embed_one(idea["text"]), k=1)
            assert found[0].id == "I001"
            index.close()
