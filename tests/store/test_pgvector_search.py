"""PgVectorIndex at work: the HNSW search with several organisations in one table, on clustered
vectors like real duplicates, and the halfvec storage (including tables from before it).

Needs the pgvector server of conftest.py; sizes are small, these are behaviour tests, not speed.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import Engine, create_engine, text

from hoshin.store.vector_index import ExactIndex, PgVectorIndex


def clustered(n: int, dim: int, topics: int, seed: int) -> np.ndarray:
    """Unit vectors around a few topics, as the ideas of one organisation are."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, dim))
    points = centres[rng.integers(0, topics, n)] + rng.normal(size=(n, dim)) * 0.8
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def reworded(vectors: np.ndarray, seed: int) -> np.ndarray:
    """Near-duplicates of the given vectors: the queries duplicate search asks."""
    rng = np.random.default_rng(seed)
    noisy = vectors + rng.normal(size=vectors.shape) * (0.4 / np.sqrt(vectors.shape[1]))
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def engine(pgvector_url: str) -> Iterator[Engine]:
    engine = create_engine(pgvector_url)
    yield engine
    engine.dispose()


def test_recall_on_clustered_near_duplicates_matches_exact_search(engine: Engine) -> None:
    vectors = clustered(4000, dim=64, topics=40, seed=1)
    ids = [f"I{n}" for n in range(len(vectors))]
    index = PgVectorIndex(engine, 64, build_index=False)
    index.add("org", ids, vectors)
    index.build_index()
    exact = ExactIndex(64)
    exact.add("org", ids, vectors)
    queries = reworded(vectors[::200], seed=2)
    hits = 0
    for query, source in zip(queries, ids[::200]):
        found = index.search("org", query, k=10)
        assert found[0].id == source  # the idea it rewords comes first
        hits += len({n.id for n in found} & {n.id for n in exact.search("org", query, k=10)})
    assert hits / (10 * len(queries)) >= 0.95


def test_organisations_sharing_the_index_get_only_their_own_neighbours(engine: Engine) -> None:
    # Both draw from the same topics, so the graph interleaves them: the org filter must drop the
    # other organisation's vectors and the search must still come back with k of its own.
    vectors = clustered(3300, dim=32, topics=20, seed=3)
    big = {f"B{n}": v for n, v in enumerate(vectors[:3000])}
    small = {f"S{n}": v for n, v in enumerate(vectors[3000:])}
    index = PgVectorIndex(engine, 32, build_index=False)
    index.add("big", list(big), np.vstack(list(big.values())))
    index.add("small", list(small), np.vstack(list(small.values())))
    index.add("tiny", ["T1", "T2", "T3"], vectors[:3])
    index.build_index()
    exact_small = ExactIndex(32)
    exact_small.add("small", list(small), np.vstack(list(small.values())))
    hits = 0
    for query in reworded(vectors[::300], seed=4):
        found_big = index.search("big", query, k=10)
        found_small = index.search("small", query, k=10)
        assert len(found_big) == 10 and all(n.id in big for n in found_big)
        assert len(found_small) == 10 and all(n.id in small for n in found_small)
        hits += len({n.id for n in found_small} & {n.id for n in exact_small.search("small", query, k=10)})
        # An organisation with fewer than k vectors gets all of them, and nobody else's.
        assert {n.id for n in index.search("tiny", query, k=10)} == {"T1", "T2", "T3"}
    assert hits / (10 * len(vectors[::300])) >= 0.9


def test_the_search_of_a_large_organisation_walks_the_hnsw_index(engine: Engine) -> None:
    vectors = clustered(20000, dim=16, topics=50, seed=5)
    index = PgVectorIndex(engine, 16, build_index=False)
    index.add("org", [str(n) for n in range(len(vectors))], vectors)
    index.build_index()
    plan = "\n".join(index.explain_search("org", vectors[0], k=10))
    assert "idea_vector_index_hnsw" in plan
    exact_plan = "\n".join(index.explain_search("org", vectors[0], k=10, exact=True))
    assert "idea_vector_index_hnsw" not in exact_plan


def test_k_above_ef_search_still_returns_k_and_smaller_k_after_it_works(engine: Engine) -> None:
    vectors = clustered(500, dim=16, topics=5, seed=6)
    index = PgVectorIndex(engine, 16, ef_search=10)
    index.add("org", [str(n) for n in range(500)], vectors)
    wide = index.search("org", vectors[0], k=60)
    assert len({n.id for n in wide}) == 60
    assert [n.id for n in index.search("org", vectors[0], k=3)] == [n.id for n in wide[:3]]


def test_a_table_from_before_halfvec_is_converted_and_keeps_its_vectors(engine: Engine) -> None:
    vectors = clustered(50, dim=16, topics=3, seed=7)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        conn.execute(
            text(
                "CREATE TABLE idea_vector_index (org_id text NOT NULL, item_id text NOT NULL, "
                "embedding vector(16) NOT NULL, PRIMARY KEY (org_id, item_id))"
            )
        )
        conn.execute(
            text(
                "CREATE INDEX idea_vector_index_hnsw ON idea_vector_index "
                "USING hnsw (embedding vector_cosine_ops)"
            )
        )
        for n, row in enumerate(vectors):
            conn.execute(
                text("INSERT INTO idea_vector_index VALUES ('org', :id, CAST(:v AS vector))"),
                {"id": f"I{n}", "v": "[" + ",".join(str(float(x)) for x in row) + "]"},
            )
    index = PgVectorIndex(engine, 16)
    assert index.count("org") == 50
    found = index.search("org", vectors[7], k=1)
    assert found[0].id == "I7" and found[0].score == pytest.approx(1.0, abs=1e-3)
    with engine.connect() as conn:
        kind = conn.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'idea_vector_index'::regclass AND attname = 'embedding'"
            )
        ).scalar_one()
    assert kind == "halfvec(16)"


def test_connections_the_server_dropped_are_replaced_without_an_error(engine: Engine) -> None:
    # No pool pre-ping (it would cost a round trip per search): a dead pooled connection is
    # noticed by the statement itself and the operation runs once more on a fresh connection.
    vectors = clustered(20, dim=16, topics=2, seed=8)
    index = PgVectorIndex(engine, 16)
    index.add("org", [f"I{n}" for n in range(20)], vectors)
    assert index.search("org", vectors[3], k=1)[0].id == "I3"  # leaves a connection in the pool
    for operation in (
        lambda: index.search("org", vectors[5], k=1)[0].id == "I5",
        lambda: index.count("org") == 20,
        lambda: index.add("org", ["I0"], vectors[1:2]) is None,
    ):
        killer = create_engine(engine.url)
        with killer.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            ).scalar_one()
        killer.dispose()
        assert killed >= 1
        assert operation()
    assert index.search("org", vectors[1], k=2)[0].score == pytest.approx(1.0, abs=1e-3)
