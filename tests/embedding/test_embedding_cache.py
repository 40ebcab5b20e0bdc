"""The vector cache: no text is embedded twice, within a run or across runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hoshin.embedding import CachedEmbedder, HashingEmbedder, MemoryVectorCache, SqliteVectorCache
from hoshin.errors import EmbeddingError


def test_vectors_are_unit_length() -> None:
    vectors = HashingEmbedder().embed(["door seal", "compressor motor", "x"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_repeated_texts_are_embedded_once() -> None:
    inner = HashingEmbedder()
    cached = CachedEmbedder(inner, MemoryVectorCache())
    out = cached.embed(["a seal", "a seal", "a motor"])
    assert cached.misses == 2
    assert np.array_equal(out[0], out[1])


def test_second_run_over_same_texts_embeds_nothing(tmp_path: Path) -> None:
    texts = [f"idea number {i}" for i in range(50)]
    first = CachedEmbedder(HashingEmbedder(), SqliteVectorCache(tmp_path / "v.sqlite3"))
    a = first.embed(texts)
    inner = HashingEmbedder()
    second = CachedEmbedder(inner, SqliteVectorCache(tmp_path / "v.sqlite3"))
    b = second.embed(texts)
    assert second.misses == 0 and inner.calls == 0
    assert np.allclose(a, b)


def test_cache_keeps_models_apart(tmp_path: Path) -> None:
    cache = SqliteVectorCache(tmp_path / "v.sqlite3")
    cache.put_many("model-a", [("h1", np.ones(4, dtype=np.float32))])
    assert cache.get_many("model-b", ["h1"]) == {}
    assert list(cache.get_many("model-a", ["h1"])) == ["h1"]


def test_progress_reports_every_text() -> None:
    seen: list[int] = []
    embedder = HashingEmbedder()
    embedder.batch_size = 4
    embedder.embed([f"t{i}" for i in range(10)], progress=seen.append)
    assert seen == [4, 8, 10]


def test_non_text_input_is_refused() -> None:
    with pytest.raises(EmbeddingError, match="text 2"):
        HashingEmbedder().embed(["ok", 3])  # type: ignore[list-item]


def test_large_inputs_are_handled_in_chunks_with_the_same_result(tmp_path: Path) -> None:
    texts = [f"idea {i % 700}" for i in range(2_000)]  # repeats across chunk borders
    cached = CachedEmbedder(HashingEmbedder(), MemoryVectorCache())
    cached.chunk_size = 256
    seen: list[int] = []
    out = cached.embed(texts, progress=seen.append)
    assert cached.misses == 700
    assert np.allclose(out, HashingEmbedder().embed(texts))
    assert seen[-1] == 2_000 and seen == sorted(seen)
