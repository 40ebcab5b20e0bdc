"""Nearest neighbours among stored idea vectors: exact numpy search, or pgvector's HNSW index.

`VectorIndex` is the small interface: `add(org_id, ids, vectors)` (insert or replace by id),
`remove(org_id, ids)`, `count(org_id)` and `search(org_id, vector, k)`, which returns up to k
`Neighbour(id, score)` best first, score being the cosine similarity of unit vectors.

- `ExactIndex` keeps the vectors in memory and compares a query with all of them. It is the
  default on SQLite and the fallback on a PostgreSQL server without the `vector` extension.
- `PgVectorIndex` keeps them in a table of its own (`idea_vector_index`) with an HNSW index, so a
  search reads a few hundred vectors instead of all of them. The table is derived data: it is
  created on first use and can be dropped and refilled from the `vectors` table at any time
  (`fill_from_store`), which is why it lives outside the numbered migrations.

`open_vector_index(repo, dim)` picks the right one for a store.
"""

from __future__ import annotations

import logging
import struct
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import psycopg
from psycopg.abc import AdaptContext
from psycopg.adapt import Dumper
from psycopg.pq import Format
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from hoshin.errors import InputError, StorageError
from hoshin.store.engine import driver_connection

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = [
    "ExactIndex",
    "Neighbour",
    "PgVectorIndex",
    "VectorIndex",
    "fill_from_store",
    "has_pgvector",
    "open_vector_index",
]

TABLE = "idea_vector_index"
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Neighbour:
    id: str
    score: float


class VectorIndex(ABC):
    """Vectors of one dimension per organisation, searchable by cosine similarity."""

    def __init__(self, dim: int) -> None:
        if dim < 1:
            raise InputError(f"a vector index needs a positive dimension, not {dim}")
        self.dim = dim

    @abstractmethod
    def add(self, org_id: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per id (rows of `vectors`), replacing any stored under the same id."""

    @abstractmethod
    def remove(self, org_id: str, ids: Sequence[str]) -> None:
        """Forget these ids; unknown ids are ignored."""

    @abstractmethod
    def count(self, org_id: str) -> int:
        """How many vectors the organisation has in the index."""

    @abstractmethod
    def search(self, org_id: str, vector: np.ndarray, k: int = 10) -> list[Neighbour]:
        """The k stored vectors most similar to `vector`, best first."""

    def close(self) -> None:
        """Release connections the index opened itself (nothing for the in-memory index)."""
        return None

    def _checked(self, ids: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[1] != self.dim:
            raise InputError(f"expected vectors of shape (n, {self.dim}), got {matrix.shape}")
        if matrix.shape[0] != len(ids):
            raise InputError(f"{len(ids)} ids for {matrix.shape[0]} vectors")
        if len(set(ids)) != len(ids):
            raise InputError("the same id is given twice")
        if not np.isfinite(matrix).all():
            raise InputError("vectors must hold finite numbers only")
        return _unit_rows(matrix)

    def _query(self, vector: np.ndarray, k: int) -> np.ndarray:
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != self.dim:
            raise InputError(f"expected a query vector of {self.dim} numbers, got {query.shape[0]}")
        if k < 1:
            raise InputError(f"k must be at least 1, not {k}")
        if not np.isfinite(query).all():
            raise InputError("the query vector must hold finite numbers only")
        return _unit_rows(query[None, :])[0]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class ExactIndex(VectorIndex):
    """Brute force in numpy: always exact, fine up to some hundred thousand vectors per organisation."""

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self._ids: dict[str, list[str]] = {}
        self._rows: dict[str, dict[str, int]] = {}
        self._matrix: dict[str, np.ndarray] = {}

    def add(self, org_id: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        matrix = self._checked(ids, vectors)
        if not ids:
            return
        self.remove(org_id, ids)
        known = self._ids.setdefault(org_id, [])
        current = self._matrix.get(org_id, np.empty((0, self.dim), dtype=np.float32))
        self._matrix[org_id] = np.vstack([current, matrix])
        known.extend(ids)
        self._rows[org_id] = {item: n for n, item in enumerate(known)}

    def remove(self, org_id: str, ids: Sequence[str]) -> None:
        rows = self._rows.get(org_id, {})
        drop = [rows[i] for i in ids if i in rows]
        if not drop:
            return
        keep = np.setdiff1d(np.arange(len(self._ids[org_id])), drop)
        self._ids[org_id] = [self._ids[org_id][n] for n in keep]
        self._matrix[org_id] = self._matrix[org_id][keep]
        self._rows[org_id] = {item: n for n, item in enumerate(self._ids[org_id])}

    def count(self, org_id: str) -> int:
        return len(self._ids.get(org_id, []))

    def search(self, org_id: str, vector: np.ndarray, k: int = 10) -> list[Neighbour]:
        query = self._query(vector, k)
        matrix = self._matrix.get(org_id)
        if matrix is None or not len(matrix):
            return []
        scores = matrix @ query
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        # Ties broken by id, so the answer does not depend on insertion order.
        ranked = sorted(top, key=lambda n: (-float(scores[n]), self._ids[org_id][n]))
        return [Neighbour(self._ids[org_id][n], float(scores[n])) for n in ranked]


class PgVectorIndex(VectorIndex):
    """pgvector on PostgreSQL: an HNSW index (cosine distance) over one table for all organisations.

    Vectors are stored as `halfvec` (16-bit floats): half the disk and memory of `vector`, a faster
    build, and the same neighbours (a dot product of unit vectors moves by about 1e-4; the exact
    scan over halfvecs finds the float32 top 10 in the benchmark).

    `ef_search` trades speed for recall: pgvector's default of 40 misses neighbours on hard data;
    at a million clustered ideas in bench/bench_pgvector.py 100 gave recall@10 0.86 and 200 gave
    0.97, hence 200 (5 to 11 ms in the server on 2 busy shared cores). `exact=True` on `search`
    skips the HNSW index, which is the reference the benchmark measures recall against.
    """

    def __init__(
        self,
        engine: Engine,
        dim: int,
        ef_search: int = 200,
        m: int = 16,
        ef_construction: int = 64,
        build_index: bool = True,
    ) -> None:
        super().__init__(dim)
        self.engine = engine
        self.ef_search = ef_search
        self.m = m
        self.ef_construction = ef_construction
        self.owns_engine = False  # True when open_vector_index made the engine: close() disposes it
        self._create()
        if build_index:
            self.build_index()

    def close(self) -> None:
        if self.owns_engine:
            self.engine.dispose()

    def _create(self) -> None:
        column = f"halfvec({self.dim})"
        try:
            with self.engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
                conn.execute(
                    text(
                        f"CREATE TABLE IF NOT EXISTS {TABLE} (org_id text NOT NULL, item_id text NOT NULL, "
                        f"embedding {column} NOT NULL, PRIMARY KEY (org_id, item_id))"
                    )
                )
                kind, stored = conn.execute(
                    text(
                        "SELECT atttypid::regtype::text, atttypmod FROM pg_attribute "
                        "WHERE attrelid = CAST(:t AS regclass) AND attname = 'embedding'"
                    ),
                    {"t": TABLE},
                ).one()
                if stored != self.dim:
                    raise InputError(
                        f"the vector index holds {stored}-dimensional vectors, not {self.dim}; "
                        f"drop table {TABLE} to rebuild it for the new model"
                    )
                if kind == "vector":
                    # A table from before the switch to halfvec: convert it in place (the old
                    # index's operator class does not fit the new type, so it goes first).
                    conn.execute(text(f"DROP INDEX IF EXISTS {TABLE}_hnsw"))
                    conn.execute(
                        text(
                            f"ALTER TABLE {TABLE} ALTER COLUMN embedding TYPE {column} "
                            f"USING embedding::{column}"
                        )
                    )
        except DBAPIError as exc:
            raise StorageError(f"cannot prepare the pgvector index: {exc.orig}") from None

    def build_index(self, memory_mb: int = 512, workers: int = 2) -> None:
        """Create the HNSW index if it is missing. A bulk load is much faster without the index, so
        `build_index=False` at construction, load, then call this (it reads every stored vector).
        The build is far faster when the graph fits in `memory_mb` (PostgreSQL's default is 64;
        the index of a million 384-dimensional halfvecs takes 1.1 GB)."""
        with self.engine.begin() as conn:
            conn.execute(text(f"SET LOCAL maintenance_work_mem = '{int(memory_mb)}MB'"))
            conn.execute(text(f"SET LOCAL max_parallel_maintenance_workers = {int(workers)}"))
            conn.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS {TABLE}_hnsw ON {TABLE} USING hnsw "
                    f"(embedding halfvec_cosine_ops) "
                    f"WITH (m = {int(self.m)}, ef_construction = {int(self.ef_construction)})"
                )
            )
            # Fresh statistics, or the planner trusts its guess of a tiny table and filters by
            # org_id through the primary key, comparing the query with every vector.
            conn.execute(text(f"ANALYZE {TABLE}"))

    def drop_index(self) -> None:
        """Drop the HNSW index (searches become exact scans) ahead of a bulk load."""
        with self.engine.begin() as conn:
            conn.execute(text(f"DROP INDEX IF EXISTS {TABLE}_hnsw"))

    def add(self, org_id: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        matrix = self._checked(ids, vectors)
        if not ids:
            return
        # Binary COPY into a staging table, then one upsert: no number is printed or parsed as
        # text, a million rows load in about a minute, and a failure part-way leaves the index
        # as it was (one transaction).
        payload = _copy_binary(ids, matrix)

        def copy_in(conn: Connection) -> None:
            with conn.begin():
                conn.execute(
                    text(
                        f"CREATE TEMP TABLE staging (item_id text, embedding halfvec({self.dim})) "
                        "ON COMMIT DROP"
                    )
                )
                cursor = driver_connection(conn).cursor()
                with cursor.copy("COPY staging (item_id, embedding) FROM STDIN (FORMAT binary)") as copy:
                    copy.write(payload)
                conn.execute(
                    text(
                        f"INSERT INTO {TABLE} (org_id, item_id, embedding) "
                        "SELECT :org, item_id, embedding FROM staging "
                        "ON CONFLICT (org_id, item_id) DO UPDATE SET embedding = EXCLUDED.embedding"
                    ),
                    {"org": org_id},
                )

        self._on_live_connection(copy_in)

    def remove(self, org_id: str, ids: Sequence[str]) -> None:
        if not ids:
            return

        def delete(conn: Connection) -> None:
            with conn.begin():
                conn.execute(
                    text(f"DELETE FROM {TABLE} WHERE org_id = :org AND item_id = ANY(:ids)"),
                    {"org": org_id, "ids": list(ids)},
                )

        self._on_live_connection(delete)

    def count(self, org_id: str) -> int:
        statement = text(f"SELECT count(*) FROM {TABLE} WHERE org_id = :org")
        return self._on_live_connection(
            lambda conn: int(conn.execute(statement, {"org": org_id}).scalar_one())
        )

    def search(self, org_id: str, vector: np.ndarray, k: int = 10, exact: bool = False) -> list[Neighbour]:
        query = self._query(vector, k)

        def nearest(conn: Connection) -> list[tuple]:
            rows = self._run_search(conn, org_id, query, k, exact)
            if len(rows) < k and not exact:
                # Fewer than k: the organisation is smaller than k, or the index walk stopped
                # (hnsw.max_scan_tuples) before it met k of its vectors. An exact scan of its
                # rows answers; it only runs for such small or sparse organisations.
                rows = self._run_search(conn, org_id, query, k, exact=True)
            return rows

        rows = self._on_live_connection(nearest)
        # relaxed_order may return rows slightly out of order; the caller gets them best first.
        found = [Neighbour(item, float(score)) for item, score in rows]
        return sorted(found, key=lambda n: (-n.score, n.id))

    def explain_search(self, org_id: str, vector: np.ndarray, k: int = 10, exact: bool = False) -> list[str]:
        """The lines of EXPLAIN (ANALYZE, BUFFERS) for the statement `search` sends: shows whether
        the HNSW index is used and how long the server took (`Execution Time`)."""
        query = self._query(vector, k)
        prefix = "EXPLAIN (ANALYZE, BUFFERS) "
        rows = self._on_live_connection(lambda conn: self._run_search(conn, org_id, query, k, exact, prefix))
        return [line for (line,) in rows]

    def _on_live_connection(self, work: Callable[[Connection], T]) -> T:
        """Run `work` on a pooled connection, and once more on a fresh one when the pooled one
        turns out dead (the server restarted since it was opened). This replaces the pool's
        pre-ping, which costs a round trip per checkout, as much as a search on a busy machine.
        Every operation here is idempotent (upserts, deletes, reads), so one retry is safe."""
        for attempt in (1, 2):
            with self.engine.connect() as conn:
                try:
                    return work(conn)
                except DBAPIError as exc:  # through SQLAlchemy, which invalidates a dead connection
                    if not exc.connection_invalidated or attempt == 2:
                        raise
                except psycopg.OperationalError:  # psycopg directly (the search path)
                    if not driver_connection(conn).broken:
                        raise
                    conn.invalidate()
                    if attempt == 2:
                        raise
            log.info("the pooled connection to the vector index was dead; retrying on a fresh one")
        raise AssertionError("unreachable")

    def _run_search(
        self, conn: Connection, org_id: str, query: np.ndarray, k: int, exact: bool, prefix: str = ""
    ) -> list[tuple]:
        # The search goes straight to psycopg, in autocommit: one round trip carrying one
        # statement, the query vector in pgvector's binary halfvec form (nothing to print or
        # parse), and no BEGIN/COMMIT around it. The HNSW settings are set once per pooled
        # connection (session level, remembered in the pool's per-connection `info`).
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        pg = driver_connection(conn)
        info = conn.connection.info
        ef_search = min(max(int(self.ef_search), k), _EF_SEARCH_MAX)
        if info.get(_SESSION_KEY) != ef_search:
            halfvec_oid = pg.execute(
                "SELECT 'halfvec'::regtype::oid, set_config('hnsw.ef_search', %s, false), "
                # With several organisations in the table the org filter drops candidates after
                # the index walk; the iterative scan walks on until k rows of this org are found.
                "set_config('hnsw.iterative_scan', 'relaxed_order', false)",
                (str(ef_search),),
            ).fetchone()[0]
            # On the connection, not per cursor: registering costs more than the search's Python.
            pg.adapters.register_dumper(_HalfVec, _halfvec_dumper(halfvec_oid))
            info[_SESSION_KEY] = ef_search
        cursor = pg.cursor()
        statement = (
            f"{prefix}SELECT item_id, 1 - (embedding <=> %(q)s) AS score FROM {TABLE} "
            "WHERE org_id = %(org)s ORDER BY embedding <=> %(q)s LIMIT %(k)s"
        )
        params = {"q": _HalfVec(query), "org": org_id, "k": k}
        # prepare=False: a fresh plan per search, because the right plan depends on the
        # organisation (the HNSW index for a large one, its primary-key rows for a tiny one), and
        # a cached generic plan would pick one for all.
        if not exact:
            return cursor.execute(statement, params, prepare=False).fetchall()
        with pg.transaction():
            # The reference answer: no index scan at all (a sequential or bitmap scan).
            cursor.execute("SET LOCAL enable_indexscan = off")
            return cursor.execute(statement, params, prepare=False).fetchall()


_SESSION_KEY = "hoshin_hnsw_ef_search"
_EF_SEARCH_MAX = 1000  # pgvector's limit; beyond it the iterative scan reads on for larger k


class _HalfVec:
    """A query vector on its way to PostgreSQL as a binary halfvec parameter."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values


def _halfvec_dumper(oid: int) -> type[Dumper]:
    class HalfVecDumper(Dumper):
        format = Format.BINARY

        def __init__(self, cls: type, context: AdaptContext | None = None) -> None:
            super().__init__(cls, context)
            self.oid = oid

        def dump(self, obj: _HalfVec) -> bytes:
            values = obj.values
            return struct.pack(">hh", values.shape[0], 0) + values.astype(">f2").tobytes()

    return HalfVecDumper


# PostgreSQL's binary COPY framing: a signature, flags and header-extension length, then rows
# (int16 field count, then int32 length + bytes per field), then an int16 -1.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)


def _copy_binary(ids: Sequence[str], matrix: np.ndarray) -> bytes:
    """Rows (item_id text, embedding halfvec) in COPY's binary format. A halfvec travels as int16
    dimension, int16 zero, then one big-endian IEEE half per number."""
    dim = matrix.shape[1]
    halves = np.ascontiguousarray(matrix, dtype=">f2").tobytes()
    width = 2 * dim
    vector_head = struct.pack(">ihh", 4 + width, dim, 0)
    parts = [_COPY_HEADER]
    for n, item in enumerate(ids):
        encoded = item.encode()
        parts.append(struct.pack(">hi", 2, len(encoded)))
        parts.append(encoded)
        parts.append(vector_head)
        parts.append(halves[n * width : (n + 1) * width])
    parts.append(_COPY_TRAILER)
    return b"".join(parts)


def has_pgvector(engine: Engine) -> bool:
    """True when the server can provide the `vector` extension (installed or installable)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
    return found is not None


def open_vector_index(repo: Repository, dim: int) -> VectorIndex:
    """pgvector's HNSW index where the store is PostgreSQL with the extension, else exact search."""
    if repo.dialect != "postgresql":
        return ExactIndex(dim)
    # No pool pre-ping: PgVectorIndex retries once on a connection the server dropped instead.
    engine = create_engine(repo.url)
    if has_pgvector(engine):
        try:
            index = PgVectorIndex(engine, dim)
            index.owns_engine = True
            return index
        except StorageError as exc:
            # Available but not creatable (the role lacks the right): exact search still answers.
            log.warning("pgvector unavailable, using exact search: %s", exc)
    engine.dispose()
    return ExactIndex(dim)


def fill_from_store(repo: Repository, org_id: str, index: VectorIndex, model_id: str) -> int:
    """Put every idea of the organisation whose text has a stored vector (under `model_id`) into
    the index, replacing what it held for them; returns how many went in."""
    from hoshin.embedding.base import content_hash

    ideas = repo.rows("ideas", org_id)
    hashes = {idea["id"]: content_hash(idea["text"]) for idea in ideas}
    found = repo.vector_cache().get_many(model_id, list(hashes.values()))
    ids = [item for item, h in hashes.items() if h in found and found[h].shape[0] == index.dim]
    if ids:
        index.add(org_id, ids, np.vstack([found[hashes[i]] for i in ids]))
    return len(ids)
