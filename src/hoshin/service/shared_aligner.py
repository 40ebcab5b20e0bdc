"""The Aligner a server shares between its requests: one model, one vector cache, built once.

    aligner, vector_cache, model_runner = build_shared_aligner(store, model_process=False)

The caller keeps all three (the app does, on its state) and closes the cache and the runner when it
stops: the cache writes the vectors it still holds back, the runner ends the model's child process.
"""

from __future__ import annotations

from typing import Any

from hoshin.embedding import CachedEmbedder, create_embedder
from hoshin.embedding.coalescing import CoalescingEmbedder
from hoshin.service.alignment import Aligner
from hoshin.store.vectors import StoreVectorCache

__all__ = ["RECENT_VECTORS", "build_shared_aligner", "warm"]

RECENT_VECTORS = 4096  # 6 MB of 384-dimensional float32 vectors


def build_shared_aligner(store: Any, *, model_process: bool) -> tuple[Aligner, StoreVectorCache, Any]:
    """(aligner, vector cache, model runner or None) over `store`. With `model_process` the model
    runs in a child process (`hoshin serve`), out of reach of the request threads' contention for
    the interpreter lock."""
    # Concurrent requests share model calls (embedding/coalescing.py); under `hoshin serve` the
    # model runs in a process of its own (subprocess_model.py).
    runner = None
    if model_process:
        from hoshin.embedding.subprocess_model import ProcessEmbedder

        runner = ProcessEmbedder(create_embedder)
        embedder = CoalescingEmbedder(runner)
    else:
        embedder = CoalescingEmbedder(create_embedder())
    # Vectors of new texts reach the store in one background write every moment, not one write
    # transaction per request; the principles' and the newest texts' vectors stay in memory
    # (store/vectors.py).
    cache = StoreVectorCache(store, write_behind=True, recent=RECENT_VECTORS)
    return Aligner(CachedEmbedder(embedder, cache)), cache, runner


def warm(aligner: Aligner) -> None:
    """Load the model and the engine's calibration data now rather than on the first request."""
    aligner.background_hub  # noqa: B018 - computed once, kept on the aligner
    embedder = aligner.embedder
    (getattr(embedder, "inner", None) or embedder).embed(["warm up"])  # not worth a cache row
