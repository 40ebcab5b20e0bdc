"""The web server's vector cache holds new vectors back and writes them in one go (SQLite and
PostgreSQL alike): nothing it serves differs, and nothing is left unwritten after close()."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from hoshin.embedding import CachedEmbedder, HashingEmbedder
from hoshin.store import StoreVectorCache


def _stored_count(repo: Any) -> int:
    from sqlalchemy import func, select

    from hoshin.store import schema

    with repo._reading() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.vectors)).scalar_one())


def test_held_back_vectors_are_served_then_written_in_one_go(repo: Any) -> None:
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60)  # no timed write in this test
    embedder = CachedEmbedder(HashingEmbedder(dimensions=32), cache)
    first = embedder.embed(["a fridge", "a freezer"])
    assert _stored_count(repo) == 0  # held back ...
    again = embedder.embed(["a freezer", "a fridge"])
    assert embedder.misses == 2  # ... yet served: nothing embedded twice
    np.testing.assert_allclose(again, first[[1, 0]])
    cache.close()
    assert _stored_count(repo) == 2
    fresh = CachedEmbedder(HashingEmbedder(dimensions=32), StoreVectorCache(repo))
    np.testing.assert_allclose(fresh.embed(["a fridge", "a freezer"]), first)
    assert fresh.misses == 0


def test_the_background_writer_stores_vectors_soon(repo: Any) -> None:
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=0.05)
    CachedEmbedder(HashingEmbedder(dimensions=32), cache).embed(["a compressor"])
    deadline = time.monotonic() + 10
    while _stored_count(repo) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stored_count(repo) == 1
    cache.close()


def test_a_bulk_job_is_written_at_once_not_held_in_memory(repo: Any) -> None:
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60, max_pending=10)
    CachedEmbedder(HashingEmbedder(dimensions=32), cache).embed([f"idea {n}" for n in range(25)])
    assert _stored_count(repo) == 25
    cache.close()


def test_inside_a_transaction_vectors_join_it(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60)
    embedder = CachedEmbedder(HashingEmbedder(dimensions=32), cache)
    try:
        with repo.transaction():
            embedder.embed(["a door seal"])
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    assert _stored_count(repo) == 0  # rolled back with the request, nothing pending either
    cache.close()
    assert _stored_count(repo) == 0


def test_a_failed_write_keeps_the_vectors_for_the_next_try(repo: Any) -> None:
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60)
    embedder = CachedEmbedder(HashingEmbedder(dimensions=32), cache)
    embedder.embed(["a hinge"])
    real_write = cache._write
    cache._write = lambda rows: (_ for _ in ()).throw(OSError("database restarting"))  # type: ignore[method-assign]
    cache.flush()
    assert _stored_count(repo) == 0
    cache._write = real_write  # type: ignore[method-assign]
    assert embedder.embed(["a hinge"]) is not None and embedder.misses == 1  # still served
    cache.close()
    assert _stored_count(repo) == 1


def test_more_vectors_than_one_lookup_takes_all_come_back(repo: Any) -> None:
    texts = [f"idea number {n}" for n in range(5_200)]  # more than one lookup's 5,000 hashes
    first = CachedEmbedder(HashingEmbedder(dimensions=32), StoreVectorCache(repo)).embed(texts)
    again = CachedEmbedder(HashingEmbedder(dimensions=32), StoreVectorCache(repo))
    np.testing.assert_allclose(again.embed(texts[::-1]), first[::-1])
    assert again.misses == 0


def test_a_writer_left_running_never_reopens_a_closed_store(repo: Any) -> None:
    """An app torn down without its shutdown leaves the background writer running: once the store
    is closed it must not take a fresh connection (SQLAlchemy would open a new pool that nobody
    closes; a CI run saw such a connection garbage-collected while open)."""
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=0.05)
    cache.put_many("m", [("h1", np.ones(4, dtype=np.float32))])
    repo.close()
    cache.put_many("m", [("h2", np.ones(4, dtype=np.float32))])  # wakes the writer after the close
    deadline = time.monotonic() + 2
    while cache._flusher is not None and cache._flusher.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache._flusher is not None and not cache._flusher.is_alive()  # it stopped
    assert repo._writer.pool.checkedin() == 0 and repo._writer.pool.checkedout() == 0  # nothing reopened


class _VectorReads:
    """Counts the statements that read the vectors table (the database round trips)."""

    def __init__(self, repo: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        engines = [repo._writer, repo._reader] if hasattr(repo, "_reader") else [repo._writer]
        # PostgreSQL's read engine shares the write engine's pool and hears its listeners.
        self._engines = list({id(engine.pool): engine for engine in reversed(engines)}.values())

        def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT") and "FROM vectors" in statement:
                self.count += 1

        self._listener = seen
        for engine in self._engines:
            event.listen(engine, "before_cursor_execute", seen)

    def stop(self) -> None:
        from sqlalchemy import event

        for engine in self._engines:
            event.remove(engine, "before_cursor_execute", self._listener)


def test_recent_vectors_are_served_from_memory(repo: Any) -> None:
    texts = ["a door seal", "a compressor", "a shelf"]
    stored = StoreVectorCache(repo)
    first = CachedEmbedder(HashingEmbedder(dimensions=32), stored).embed(texts)
    cache = StoreVectorCache(repo, write_behind=True, flush_after_s=60, recent=2)
    embedder = CachedEmbedder(HashingEmbedder(dimensions=32), cache)
    reads = _VectorReads(repo)
    try:
        got = embedder.embed(texts[:2])
        assert reads.count == 1
        got[0, :] = 0.0  # a caller's copy: changing it changes nothing kept
        np.testing.assert_allclose(embedder.embed(texts[:2]), first[:2])
        assert reads.count == 1  # the second read never reached the database
        embedder.embed([texts[2]])  # a third vector pushes the oldest out (recent=2)
        embedder.embed([texts[0]])
        assert reads.count == 3 and embedder.misses == 0
    finally:
        reads.stop()
        cache.close()


def test_a_bulk_read_is_not_kept_in_memory(repo: Any) -> None:
    texts = [f"idea number {n}" for n in range(100)]
    CachedEmbedder(HashingEmbedder(dimensions=32), StoreVectorCache(repo)).embed(texts)
    cache = StoreVectorCache(repo, recent=1000)
    embedder = CachedEmbedder(HashingEmbedder(dimensions=32), cache)
    reads = _VectorReads(repo)
    try:
        embedder.embed(texts)
        embedder.embed(texts[:3])
        assert reads.count == 2 and embedder.misses == 0
    finally:
        reads.stop()
