"""The model in a child process: the same vectors as in-process, errors as EmbeddingError."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.embedding.coalescing import CoalescingEmbedder
from hoshin.embedding.subprocess_model import ProcessEmbedder
from hoshin.errors import EmbeddingError


@pytest.fixture(scope="module")
def remote() -> ProcessEmbedder:
    embedder = ProcessEmbedder(HashingEmbedder)  # a class is a picklable factory
    yield embedder
    embedder.close()


def test_vectors_match_the_backend_run_in_process(remote: ProcessEmbedder) -> None:
    texts = ["Door seal rubber that stays elastic", "A mayonnaise flavour", "Quieter compressors"]
    local = HashingEmbedder()
    assert (remote.model_id, remote.dimensions) == (local.model_id, local.dimensions)
    np.testing.assert_allclose(remote.embed(texts), local.embed(texts), atol=1e-6)
    assert remote.embed([]).shape == (0, local.dimensions)


def test_it_serves_concurrent_callers_through_the_coalescer(remote: ProcessEmbedder) -> None:
    import threading

    shared = CoalescingEmbedder(remote)
    results: dict[int, np.ndarray] = {}

    def call(i: int) -> None:
        results[i] = shared.embed([f"idea number {i}"])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    local = HashingEmbedder()
    for i in range(12):
        np.testing.assert_allclose(results[i], local.embed([f"idea number {i}"]), atol=1e-6)


def test_a_closed_process_gives_a_clear_error() -> None:
    embedder = ProcessEmbedder(HashingEmbedder)
    embedder.close()
    with pytest.raises(EmbeddingError, match="embedding process is gone"):
        embedder.embed(["anything"])
