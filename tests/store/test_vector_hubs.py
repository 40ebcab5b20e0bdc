"""The vector cache keeps a hub beside each vector: migration 4 adds the columns to an older
database, and the bulk read gives vectors and hubs of the basis asked for, in the order asked."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import create_engine, inspect, text

from hoshin.service.verdict_reasons import open_store
from hoshin.store import HEAD, schema
from hoshin.store.vectors import StoreVectorCache, hub_basis

MODEL = "m"
DIM = 4


def vec(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)


def read_all(cache: StoreVectorCache, hashes: list[str], basis: str) -> tuple[np.ndarray, ...]:
    parts = list(cache.vectors_with_hubs(MODEL, hashes, DIM, basis))
    assert [start for start, *_ in parts] == list(range(0, len(hashes), 5_000))
    return tuple(np.concatenate([p[i] for p in parts]) for i in (1, 2, 3))


def test_migration_4_adds_the_hub_columns_to_a_version_3_database(store_url: str) -> None:
    with open_store(store_url) as repo:
        StoreVectorCache(repo).put_many(MODEL, [("h1", vec(1))])
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 3 left the table
        for column in ("hub", "hub_basis"):
            conn.execute(text(f"ALTER TABLE vectors DROP COLUMN {column}"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 4"))
    assert {c["name"] for c in inspect(engine).get_columns("vectors")} == {
        "model_id",
        "content_hash",
        "vector",
    }
    engine.dispose()
    with open_store(store_url) as repo:
        engine = create_engine(store_url)
        assert {"hub", "hub_basis"} <= {c["name"] for c in inspect(engine).get_columns("vectors")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM hoshin_migrations")).scalar() == HEAD
        engine.dispose()
        cache = StoreVectorCache(repo)
        vectors, found, hub = read_all(cache, ["h1"], "b")
        assert found.tolist() == [True] and np.isnan(hub[0])  # the old row is kept, with no hub
        np.testing.assert_array_equal(vectors[0], vec(1))
        cache.put_hubs(MODEL, "b", [("h1", 0.5)])
        assert read_all(cache, ["h1"], "b")[2].tolist() == [0.5]


def test_the_bulk_read_keeps_order_repeats_and_gaps_and_only_hubs_of_its_basis(repo: Any) -> None:
    cache = StoreVectorCache(repo)
    hashes = [f"h{i}" for i in range(12_000)]
    cache.put_many(MODEL, [(h, vec(i)) for i, h in enumerate(hashes) if i % 7])  # every 7th absent
    cache.put_hubs(MODEL, "b1", [(h, i / 100) for i, h in enumerate(hashes) if i % 3 == 0])
    cache.put_hubs(MODEL, "b2", [("h1", 0.75), ("nowhere", 1.0)])  # a hash with no vector: skipped
    asked = [*reversed(hashes), "h1", "h1", "h6", "nowhere"]
    vectors, found, hub = read_all(cache, asked, "b1")
    for n, h in enumerate(asked):
        i = int(h[1:]) if h != "nowhere" else -1
        stored = i > 0 and i % 7 != 0
        assert found[n] == stored, h
        if stored:
            np.testing.assert_array_equal(vectors[n], vec(i))
        else:
            assert not vectors[n].any()
        if stored and i % 3 == 0:
            assert hub[n] == np.float32(i / 100), h
        else:
            assert np.isnan(hub[n]), h  # no hub, or only one of another basis
    assert read_all(cache, ["h1"], "b2")[2].tolist() == [0.75]


def test_the_bulk_read_finds_vectors_still_waiting_to_be_written(repo: Any) -> None:
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60)
    cache.put_many(MODEL, [("w", vec(5))])
    try:
        vectors, found, _ = read_all(cache, ["w"], "b")
        assert found.tolist() == [True]
        np.testing.assert_array_equal(vectors[0], vec(5))
    finally:
        cache.close()


def test_a_vector_of_another_length_reads_as_absent(repo: Any) -> None:
    cache = StoreVectorCache(repo)
    cache.put_many(MODEL, [("ok", vec(1)), ("short", vec(2)[:3])])
    vectors, found, _ = read_all(cache, ["ok", "short"], "b")
    assert found.tolist() == [True, False]
    np.testing.assert_array_equal(vectors[0], vec(1))


def test_the_basis_names_background_and_k() -> None:
    background = np.eye(3, dtype=np.float32)
    basis = hub_basis(background, 10)
    assert basis == hub_basis(background.copy(), 10)
    assert len(basis) <= schema.vectors.c.hub_basis.type.length
    assert basis != hub_basis(background, 5)
    moved = background.copy()
    moved[0, 0] = 0.5
    assert basis != hub_basis(moved, 10)


def test_storing_no_hubs_or_reading_no_hashes_does_nothing(repo: Any) -> None:
    cache = StoreVectorCache(repo)
    cache.put_hubs(MODEL, "b", [])
    assert list(cache.vectors_with_hubs(MODEL, [], DIM, "b")) == []
