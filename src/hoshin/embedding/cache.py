"""A content-hash cache of vectors, so no text is embedded twice.

`VectorCache` is the small interface (`get_many` / `put_many`); the store implements it on its
`vectors` table, `SqliteVectorCache` keeps a standalone file for the batch CLI (which needs no
database), and `MemoryVectorCache` is the test double. `CachedEmbedder` wraps any backend with one.
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from hoshin.embedding.base import Embedder, ProgressFn, content_hash

__all__ = ["CachedEmbedder", "MemoryVectorCache", "SqliteVectorCache", "VectorCache"]


class VectorCache(ABC):
    @abstractmethod
    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors already known for these content hashes (missing ones are simply absent)."""

    @abstractmethod
    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Remember vectors by content hash."""


class MemoryVectorCache(VectorCache):
    def __init__(self) -> None:
        self._data: dict[tuple[str, str], np.ndarray] = {}

    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return {h: self._data[(model_id, h)] for h in hashes if (model_id, h) in self._data}

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        for h, vector in items:
            self._data[(model_id, h)] = np.asarray(vector, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._data)


class SqliteVectorCache(VectorCache):
    """Vectors as float32 blobs in a SQLite file, keyed by (model, content hash)."""

    _CHUNK = 500  # stay well below SQLite's limit on bound parameters

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # A cache may lose its last writes in a power cut (they are embedded again), never its
        # consistency: with WAL, NORMAL syncs at checkpoints rather than on every commit.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (model, hash))"
        )
        self._conn.commit()

    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for start in range(0, len(unique), self._CHUNK):
                chunk = unique[start : start + self._CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})",
                    [model_id, *chunk],
                )
                for h, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(model_id, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items]
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            self._conn.commit()

    def close(self) -> None:
        self._conn.close()


class CachedEmbedder(Embedder):
    """Any embedder, plus a cache: only texts never seen before reach the model."""

    def __init__(self, inner: Embedder, cache: VectorCache) -> None:
        self.inner = inner
        self.cache = cache
        self.model_id = inner.model_id
        self.dimensions = inner.dimensions
        self.batch_size = inner.batch_size
        self.misses = 0  # texts that had to be embedded, over this object's life

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)

    #: Texts handled per round trip to the cache: bounds the extra memory to one chunk of vectors.
    chunk_size = 4096

    def embed(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        items = list(texts)
        out = np.empty((len(items), self.dimensions), dtype=np.float32)
        done = 0
        for start in range(0, len(items), self.chunk_size):
            chunk = items[start : start + self.chunk_size]
            out[start : start + len(chunk)] = self._embed_chunk(chunk, progress, done)
            done += len(chunk)
            if progress is not None:
                progress(done)
        return out

    def _embed_chunk(self, items: list[str], progress: ProgressFn | None, offset: int) -> np.ndarray:
        hashes = [content_hash(t) for t in items]
        known = self.cache.get_many(self.model_id, hashes)
        # Each distinct unknown text is embedded once, however often it repeats in the input.
        todo: dict[str, str] = {}
        for h, text in zip(hashes, items):
            if h not in known and h not in todo:
                todo[h] = text
        if todo:
            share = len(items) / len(todo)  # cached texts in the chunk count as done in proportion

            def inner_progress(embedded: int) -> None:
                if progress is not None:
                    progress(offset + int(embedded * share))

            fresh = self.inner.embed(list(todo.values()), progress=inner_progress)
            pairs = list(zip(todo.keys(), fresh))
            self.cache.put_many(self.model_id, pairs)
            known.update(pairs)
            self.misses += len(todo)
        out = np.empty((len(items), self.dimensions), dtype=np.float32)
        for row, h in enumerate(hashes):
            out[row] = known[h]
        return out
