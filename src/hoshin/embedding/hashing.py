"""A tiny deterministic embedder for tests and for machines without the model.

It hashes words and character trigrams into a fixed number of buckets, so texts that share words
get similar vectors. It knows nothing of meaning (synonyms are strangers to it): use it to test
plumbing, never to judge alignment.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from hoshin.embedding.base import Embedder

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder(Embedder):
    model_id = "hashing-v1"

    def __init__(self, dimensions: int = 256) -> None:
        self.dimensions = dimensions
        self.batch_size = 512
        self.calls = 0  # how many batches were embedded; tests use it to prove the cache works

    def _features(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        grams = [f"#{w[i : i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        return words + grams

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                bucket = zlib.crc32(feature.encode()) % self.dimensions
                out[row, bucket] += 2.0 if not feature.startswith("#") else 1.0
        return out
