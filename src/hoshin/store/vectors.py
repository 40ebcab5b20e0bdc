"""The store as a vector cache: embeddings kept once per (model, content hash) in the `vectors` table."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Connection, Executable, text

from hoshin.embedding.cache import VectorCache
from hoshin.store import schema, statements
from hoshin.store.engine import driver_connection, driver_errors

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["StoreVectorCache", "hub_basis"]

_CHUNK = 500  # rows per insert: well below the bound-parameter limits of SQLite and PostgreSQL
# Hashes per lookup: on PostgreSQL each query has a fixed cost of tens of milliseconds, so 500 per
# query made a cold re-score of 100,000 ideas spend most of its time here (20,000 vectors: 1.5 s
# at 500 a query, 0.35 s at 5,000). Both databases accept far more parameters (SQLite >= 3.32: 32,766).
_READ_CHUNK = 5_000
# Hubs written per transaction: a SQLite writer holds the one write turn for that long (about a
# tenth of a second), so arrivals submitted meanwhile are not held up for a whole re-score's worth.
_HUB_WRITE_CHUNK = 20_000
# Most vectors one request reads or writes that StoreVectorCache(recent=...) keeps in memory.
_RECENT_AT_ONCE = 64
log = logging.getLogger(__name__)


def _stored_rows_query(postgres: bool, model_id: str, basis: str, hashes: list[str]) -> tuple[str, Any]:
    """SQL and parameters reading (content_hash, vector, hub of `basis` or NULL) for `hashes`."""
    if postgres:
        return (
            "SELECT content_hash, vector, CASE WHEN hub_basis = %(basis)s THEN hub END FROM vectors"
            " WHERE model_id = %(model_id)s AND content_hash = ANY(%(hashes)s)",
            {"basis": basis, "model_id": model_id, "hashes": hashes},
        )
    marks = ",".join("?" * len(hashes))
    return (
        "SELECT content_hash, vector, CASE WHEN hub_basis = ? THEN hub END FROM vectors"
        f" WHERE model_id = ? AND content_hash IN ({marks})",
        (basis, model_id, *hashes),
    )


def _stored_rows(
    conn: Connection, postgres: bool, model_id: str, basis: str, hashes: list[str]
) -> Sequence[Sequence[Any]]:
    sql, params = _stored_rows_query(postgres, model_id, basis, hashes)
    if not postgres:
        return conn.exec_driver_sql(sql, params).all()
    # psycopg's binary format hands each vector over as the bytes stored, not as hex text to
    # decode: reading 200,000 vectors took a third less time.
    with driver_errors(conn), driver_connection(conn).cursor(binary=True) as cursor:
        return cursor.execute(sql, params).fetchall()


def hub_basis(background: np.ndarray, k: int) -> str:
    """A short name for what a stored hub was computed from: the background vectors (by digest),
    k, and the int8 rounding of the vector first. Hubs stored under another basis (another release
    of the background corpus, another k) are ignored and computed again."""
    digest = hashlib.sha256(np.ascontiguousarray(background, dtype=np.float32).tobytes()).hexdigest()[:16]
    return f"hub1:{digest}:k{int(k)}:int8"


class StoreVectorCache(VectorCache):
    """Implements VectorCache on a Repository, so the web app and API embed each text only once.

    With `write_behind` (the web server), new vectors are kept in memory, served from there, and
    written by a background thread in one transaction every `flush_after_s` seconds. Under load
    every idea submission used to open a write transaction of its own just for its vector, and
    waited for the write turn behind every other submission to do so. A vector is only a cache
    entry (the text it came from is stored with the record), so one lost in a crash costs one
    model call later, never a record.

    With `recent` > 0 (the web server) the vectors last read or written, up to that many, are also
    kept in memory. Every submission reads the mission's principles and its own text again (the
    principle check after the corridor's scoring); a vector never changes for its hash, so a kept
    one is always right, and those reads no longer reach the database.
    """

    def __init__(
        self,
        repo: Repository,
        write_behind: bool = False,
        flush_after_s: float = 0.25,
        max_pending: int = 4096,
        recent: int = 0,
    ) -> None:
        self.repo = repo
        self.write_behind = write_behind
        self.flush_after_s = flush_after_s
        self.max_pending = max_pending
        self._pending: dict[tuple[str, str], bytes] = {}
        self._recent_size = recent
        self._recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._flusher: threading.Thread | None = None

    # ------------------------------------------------------------------ reads
    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        if self._pending or self._recent:
            with self._lock:
                for h in wanted:
                    kept = self._recent.get((model_id, h))
                    if kept is not None:
                        self._recent.move_to_end((model_id, h))
                        found[h] = kept.copy()
                        continue
                    blob = self._pending.get((model_id, h))
                    if blob is not None:
                        found[h] = np.frombuffer(blob, dtype=np.float32).copy()
            wanted = [h for h in wanted if h not in found]
        if not wanted:
            return found
        read: dict[str, np.ndarray] = {}
        query = statements.vectors_by_hash()
        with self.repo._reading() as conn:
            for start in range(0, len(wanted), _READ_CHUNK):
                chunk = wanted[start : start + _READ_CHUNK]
                rows = conn.execute(query, {"model": model_id, "hashes": chunk})
                for content_hash, blob in rows:
                    read[content_hash] = np.frombuffer(blob, dtype=np.float32).copy()
        self._remember(model_id, list(read.items()))
        found.update(read)
        return found

    def _remember(self, model_id: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Keep these vectors among the `recent` ones. A bulk read or write (a re-score, an
        import) is not kept: it would only push out the vectors every request uses."""
        if self._recent_size <= 0 or len(items) > _RECENT_AT_ONCE:
            return
        with self._lock:
            for h, vector in items:
                self._recent[(model_id, h)] = np.array(vector, dtype=np.float32)  # a private copy
                self._recent.move_to_end((model_id, h))
            while len(self._recent) > self._recent_size:
                self._recent.popitem(last=False)

    def vectors_with_hubs(
        self, model_id: str, hashes: Sequence[str], dimensions: int, basis: str
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """The stored vectors and hubs of `hashes`, in their order, `_READ_CHUNK` at a time:
        (start, vectors float32 (m, dimensions), found bool (m,), hub float32 (m,)) for
        hashes[start : start + m]. `hub` is NaN where no hub of this `basis` is stored, and rows
        not found are zeros. One query per chunk, its blobs joined and read as one array: a
        re-score of a million ideas makes no array per row. Vectors still waiting in the write-behind buffer
        are written first, so they are found here."""
        self.flush()
        row_bytes = dimensions * 4
        with self.repo._reading() as conn:
            postgres = conn.dialect.name == "postgresql"
            for start in range(0, len(hashes), _READ_CHUNK):
                chunk = hashes[start : start + _READ_CHUNK]
                # A text may repeat: each distinct hash is asked for once, then spread to its rows.
                distinct: dict[str, int] = {}
                slots = [distinct.setdefault(h, len(distinct)) for h in chunk]
                # Plain driver SQL: SQLAlchemy's expansion of 5,000 bound values took a third of
                # the time of reading them.
                rows = _stored_rows(conn, postgres, model_id, basis, list(distinct))
                vectors = np.zeros((len(distinct), dimensions), dtype=np.float32)
                found = np.zeros(len(distinct), dtype=bool)
                hub = np.full(len(distinct), np.nan, dtype=np.float32)
                if rows:
                    found_hashes, blobs, hubs = zip(*rows, strict=True)
                    at = np.fromiter((distinct[h] for h in found_hashes), dtype=np.int64, count=len(rows))
                    joined = b"".join(blobs)
                    if len(joined) == len(rows) * row_bytes:
                        vectors[at] = np.frombuffer(joined, dtype=np.float32).reshape(len(rows), dimensions)
                        found[at] = True
                        hub[at] = np.array(hubs, dtype=np.float64)  # None reads as NaN
                    else:  # a blob of another length is not read here: left to the embedder's own cache
                        for n, blob, value in zip(at.tolist(), blobs, hubs, strict=True):
                            if len(blob) == row_bytes:
                                vectors[n] = np.frombuffer(blob, dtype=np.float32)
                                found[n] = True
                                hub[n] = np.nan if value is None else value
                if len(distinct) < len(chunk):
                    spread = np.asarray(slots, dtype=np.int64)
                    vectors, found, hub = vectors[spread], found[spread], hub[spread]
                yield start, vectors, found, hub

    # ------------------------------------------------------------------ writes
    def put_hubs(self, model_id: str, basis: str, items: Sequence[tuple[str, float]]) -> None:
        """Store hubs (content hash, hub) computed on `basis` beside vectors already stored; a hash
        with no stored vector is skipped. Written `_HUB_WRITE_CHUNK` rows per transaction (each
        joins a caller's transaction when there is one)."""
        if not items:
            return
        for start in range(0, len(items), _HUB_WRITE_CHUNK):
            chunk = items[start : start + _HUB_WRITE_CHUNK]
            with self.repo.transaction() as conn:
                if conn.dialect.name == "postgresql":
                    # One statement per chunk, the values as two arrays (not a statement per row).
                    conn.execute(
                        text(
                            "UPDATE vectors AS v SET hub = u.hub, hub_basis = :basis"
                            " FROM unnest(CAST(:hashes AS text[]), CAST(:hubs AS double precision[]))"
                            " AS u(content_hash, hub)"
                            " WHERE v.model_id = :model_id AND v.content_hash = u.content_hash"
                        ),
                        {
                            "basis": basis,
                            "model_id": model_id,
                            "hashes": [h for h, _ in chunk],
                            "hubs": [float(v) for _, v in chunk],
                        },
                    )
                else:
                    # Each row rewrites the page holding its vector (about 10 us a row on SQLite).
                    conn.exec_driver_sql(
                        "UPDATE vectors SET hub = ?, hub_basis = ? WHERE model_id = ? AND content_hash = ?",
                        [(float(v), basis, model_id, h) for h, v in chunk],
                    )

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        items = list(items)
        rows = {(model_id, h): np.asarray(v, dtype=np.float32).tobytes() for h, v in items}
        if not rows:
            return
        self._remember(model_id, items)
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
        if self.repo.closed:
            # The store was closed under a still-running writer (an app torn down without its
            # shutdown): writing now would open a fresh pool nobody closes. A vector is only a
            # cache entry; a lost one is embedded again when it is next needed.
            log.info("the store is closed; %d cached vectors were not written", len(rows))
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
        while not self._closed and not self.repo.closed:
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
                from sqlalchemy.dialects.postgresql import insert as postgresql_insert

                statement: Executable = postgresql_insert(t).on_conflict_do_nothing()
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                statement = sqlite_insert(t).on_conflict_do_nothing()
            for start in range(0, len(values), _CHUNK):
                conn.execute(statement, values[start : start + _CHUNK])
