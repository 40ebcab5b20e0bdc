"""Concurrent requests share model calls and still get exactly their own vectors."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from hoshin.embedding import Embedder, HashingEmbedder
from hoshin.embedding.coalescing import CoalescingEmbedder
from hoshin.errors import EmbeddingError


class SlowBackend(Embedder):
    """The hashing backend, but each call takes a while (as a model does) and is recorded."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.inner = HashingEmbedder()
        self.model_id, self.dimensions = self.inner.model_id, self.inner.dimensions
        self.batches: list[int] = []
        self.fail_on = fail_on

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        time.sleep(0.05)
        self.batches.append(len(texts))
        if self.fail_on is not None and self.fail_on in texts:
            raise EmbeddingError(f"cannot embed {self.fail_on!r}")
        return self.inner.embed_batch(texts)


def run_together(embedder: Embedder, requests: list[list[str]]) -> list[np.ndarray | BaseException]:
    results: list[np.ndarray | BaseException] = [np.zeros(0)] * len(requests)
    start = threading.Barrier(len(requests))

    def call(i: int) -> None:
        start.wait()
        try:
            results[i] = embedder.embed(requests[i])
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_concurrent_callers_share_calls_and_get_their_own_rows() -> None:
    backend = SlowBackend()
    embedder = CoalescingEmbedder(backend)
    requests = [[f"idea {i} about door seals", f"idea {i} about compressors"] for i in range(20)]
    results = run_together(embedder, requests)
    reference = HashingEmbedder()
    for texts, vectors in zip(requests, results, strict=True):
        assert isinstance(vectors, np.ndarray)
        np.testing.assert_allclose(vectors, reference.embed(texts), atol=1e-6)
    assert sum(backend.batches) == 40
    assert len(backend.batches) < 20  # callers that arrived while the model ran shared a call


def test_a_lone_caller_goes_straight_through() -> None:
    backend = SlowBackend()
    embedder = CoalescingEmbedder(backend)
    embedder.embed(["one idea"])
    embedder.embed(["another idea"])
    assert backend.batches == [1, 1]


def test_a_merged_call_never_exceeds_the_cap_but_keeps_a_caller_whole() -> None:
    backend = SlowBackend()
    embedder = CoalescingEmbedder(backend, max_texts=5)
    embedder.batch_size = 64  # one request's texts reach the coalescer together
    results = run_together(embedder, [[f"t{i}-{j}" for j in range(3)] for i in range(8)] + [["x"] * 7])
    assert all(isinstance(r, np.ndarray) for r in results)
    assert sum(backend.batches) == 8 * 3 + 7
    assert all(size <= 5 or size == 7 for size in backend.batches)


def test_a_backend_error_reaches_its_callers_and_the_next_call_works() -> None:
    backend = SlowBackend(fail_on="poison")
    embedder = CoalescingEmbedder(backend)
    results = run_together(embedder, [["poison"], ["fine"], ["also fine"]])
    assert any(isinstance(r, EmbeddingError) for r in results)
    assert all(isinstance(r, (np.ndarray, EmbeddingError)) for r in results)
    backend.fail_on = None
    assert embedder.embed(["after the error"]).shape == (1, backend.dimensions)


def test_it_keeps_the_backend_identity_so_cached_vectors_still_match() -> None:
    backend = HashingEmbedder()
    embedder = CoalescingEmbedder(backend)
    assert (embedder.model_id, embedder.dimensions) == (backend.model_id, backend.dimensions)
    with pytest.raises(EmbeddingError):
        embedder.embed([3])  # type: ignore[list-item]
