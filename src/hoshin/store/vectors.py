"""The store as a vector cache: embeddings kept once per (model, content hash) in the `vectors` table."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from hoshin.embedding.cache import VectorCache
from hoshin.store import schema

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["StoreVectorCache"]

_CHUNK = 500  # rows per insert: well below the bound-parameter limits of SQLite and PostgreSQL
# Hashes per lookup: on PostgreSQL each query has a fixed cost of tens of milliseconds, so 500 per
# query made a cold re-score of 100,000 ideas spend most of its time here (20,000 vectors: 1.5 s
# at 500 a query, 0.35 s at 5,000). Both databases accept far more parameters (SQLite >= 3.32: 32,766).
_READ_CHUNK = 5_000
log = logging.getLogger(__name__)


class StoreVectorCache(VectorCache):
    """Implements VectorCache on a Repository, so the web app and API embed each text only once.

    With `write_behind` (the web server), new vectors are kept in memory, served from there, and
    written by a background thread in one transaction every `flush_after_s` seconds. Under load
    every idea submission used to open a write transaction of its own just for its vector, and
    waited for the write turn behind every other submission to do so. A vector is only a cache
    entry (the text it came from is stored with the record), so one lost in a crash costs one
    model call later, never a record.
    """

    def __init__(
        self,
        repo: Repository,
        write_behind: bool = False,
        flush_after_s: float = 0.25,
        max_pending: int = 4096,
    ) -> None:
        self.repo = repo
        self.write_behind = write_behind
        self.flush_after_s = flush_after_s
        self.max_pending = max_pending
        self._pending: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._flusher: threading.Thread | None = None

    # ------------------------------------------------------------------ reads
    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        if self._pending:
            with self._lock:
                for h in wanted:
                    blob = self._pending.get((model_id, h))
                    if blob is not None:
                        found[h] = np.frombuffer(blob, dtype=np.float32).copy()
            wanted = [h for h in wanted if h not in found]
        t = schema.vectors
        with self.repo._reading() as conn:
            for start in range(0, len(wanted), _READ_CHUNK):
                chunk = wanted[start : start + _READ_CHUNK]
                rows = conn.execute(
                    select(t.c.content_hash, t.c.vector).where(
                        t.c.model_id == model_id, t.c.content_hash.in_(chunk)
                    )
                )
                for content_hash, blob in rows:
                    found[content_hash] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    # ------------------------------------------------------------------ writes
    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = {(model_id, h): np.asarray(v, dtype=np.float32).tobytes() for h, v in items}
        if not rows:
            return
        # Inside a caller's transaction the rows simply join it (no extra turn to wait for).
        in_transaction = getattr(self.repo._local, "conn", None) is not None
        if not self.write_behind or self._closed or in_transaction:
            self._write(rows)
            return
        with self._lock:
            self._pending.update(rows)
            too_many = len(self._pending) >= self.max_pending
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_loop, name="vector-cache", daemon=True)
                self._flusher.start()
        if too_many:
            self.flush()  # a bulk job: write now rather than hold its vectors in memory
        else:
            self._wake.set()

    def flush(self) -> None:
        """Write every pending vector now (one transaction). A failure (the database gone for a
        moment) keeps them pending for the next try."""
        with self._lock:
            rows, self._pending = self._pending, {}
        if not rows:
            return
        try:
            self._write(rows)
        except Exception as exc:  # noqa: BLE001 - a cache write must never fail a request
            log.warning("could not store %d cached vectors yet (%s); will retry", len(rows), exc)
            with self._lock:
                for key, blob in rows.items():
                    self._pending.setdefault(key, blob)

    def close(self) -> None:
        """Write what is pending and stop the background writer (the app's shutdown calls this)."""
        self._closed = True
        self._wake.set()
        if self._flusher is not None:
            self._flusher.join(timeout=10)
        self.flush()

    def _flush_loop(self) -> None:
        while not self._closed:
            self._wake.wait()
            if self._closed:
                return
            # Gather what arrives in the next moment too: one write for many submissions.
            self._wake.clear()
            time.sleep(self.flush_after_s)
            self.flush()

    def _write(self, rows: dict[tuple[str, str], bytes]) -> None:
        values = [{"model_id": m, "content_hash": h, "vector": blob} for (m, h), blob in rows.items()]
        t = schema.vectors
        with self.repo.transaction() as conn:
            # Another worker may have stored some meanwhile: a vector for a hash never changes, so
            # existing rows are simply kept ("insert or ignore" in both dialects).
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            for start in range(0, len(values), _CHUNK):
                conn.execute(insert(t).on_conflict_do_nothing(), values[start : start + _CHUNK])
