"""Embedding backends behind one interface, `Embedder.embed_batch(texts) -> unit vectors`."""

from __future__ import annotations

import os

from hoshin.embedding.base import Embedder, ProgressFn, content_hash, normalise_rows
from hoshin.embedding.cache import CachedEmbedder, MemoryVectorCache, SqliteVectorCache, VectorCache
from hoshin.embedding.hashing import HashingEmbedder

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "HashingEmbedder",
    "MemoryVectorCache",
    "ProgressFn",
    "SqliteVectorCache",
    "VectorCache",
    "content_hash",
    "create_embedder",
    "normalise_rows",
]

BACKENDS = ("minilm", "hashing")


def create_embedder(backend: str | None = None) -> Embedder:
    """The backend named by `backend` or HOSHIN_EMBEDDER (default: the packaged MiniLM model)."""
    from hoshin.errors import ConfigError

    name = (backend or os.environ.get("HOSHIN_EMBEDDER") or "minilm").lower()
    if name == "minilm":
        from hoshin.embedding.minilm import MiniLMEmbedder

        return MiniLMEmbedder()
    if name == "hashing":
        return HashingEmbedder()
    raise ConfigError(f"unknown embedding backend {name!r}; choose one of: {', '.join(BACKENDS)}")
