"""Twins of a new idea through pgvector's HNSW index, on a PostgreSQL store that has the extension.

The index table (`store/vector_index.py`) is derived data that follows the ideas by the store's
change horizon: a small table beside it records up to which horizon (and under which model) it
holds each organisation's ideas. Before a search, the ideas written since are embedded (through the
vector cache: usually no model call) and upserted; when some were deleted, the index rows whose
idea is gone are dropped in one statement. Every step is idempotent, so two server processes
that catch up at once only repeat each other's work.

An organisation whose index would first need more than `_IN_REQUEST_AT_MOST` vectors written
is filled by a background thread, and its searches are answered by the in-process index
meanwhile (`duplicates._idea_index`): a million HNSW inserts take many minutes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from hoshin.errors import HoshinError, StorageError
from hoshin.store.vector_index import TABLE, PgVectorIndex, has_pgvector

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = ["PgVectorTwins", "pgvector_twins"]

log = logging.getLogger(__name__)

MARKS = f"{TABLE}_marks"
_IN_REQUEST_AT_MOST = 5_000  # vectors a search may write before it answers; more go to a thread
_FILL_CHUNK = 20_000  # ideas embedded and written per transaction by the background fill


class PgVectorTwins:
    """The pgvector index of one store, kept in step with its ideas per organisation."""

    def __init__(self, engine: Engine, dim: int) -> None:
        self.index = PgVectorIndex(engine, dim)
        self.engine = engine
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {MARKS} (org_id text PRIMARY KEY, model_id text NOT NULL, "
                    "revision bigint NOT NULL, removals bigint NOT NULL)"
                )
            )
        self._filling: set[str] = set()
        self._guard = threading.Lock()

    # ------------------------------------------------------------ keeping in step

    def _synced(self, org_id: str) -> tuple[str, int, int] | None:
        statement = text(f"SELECT model_id, revision, removals FROM {MARKS} WHERE org_id = :org")
        with self.engine.connect() as conn:
            row = conn.execute(statement, {"org": org_id}).first()
        return None if row is None else (str(row[0]), int(row[1]), int(row[2]))

    def _record(self, org_id: str, model_id: str, mark: tuple[int, int]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO {MARKS} (org_id, model_id, revision, removals) "
                    "VALUES (:org, :model, :revision, :removals) ON CONFLICT (org_id) DO UPDATE "
                    "SET model_id = EXCLUDED.model_id, revision = EXCLUDED.revision, "
                    "removals = EXCLUDED.removals"
                ),
                {"org": org_id, "model": model_id, "revision": mark[0], "removals": mark[1]},
            )

    def _write(self, org_id: str, aligner: Aligner, rows: Sequence[tuple[str, str]]) -> None:
        for start in range(0, len(rows), _FILL_CHUNK):
            chunk = rows[start : start + _FILL_CHUNK]
            vectors = np.asarray(aligner.embed([row[1] for row in chunk]), dtype=np.float32)
            self.index.add(org_id, [row[0] for row in chunk], vectors)

    def _clear(self, org_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE} WHERE org_id = :org"), {"org": org_id})

    def _drop_deleted(self, org_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    f"DELETE FROM {TABLE} WHERE org_id = :org AND item_id NOT IN "
                    "(SELECT id FROM ideas WHERE organisation_id = :org)"
                ),
                {"org": org_id},
            )

    def in_step(self, repo: Repository, org_id: str, aligner: Aligner) -> bool:
        """Bring the organisation's index up to the store's change horizon; False while a
        background fill is still writing it (search the in-process index meanwhile)."""
        model_id = aligner.embedder.model_id
        with self._guard:
            if org_id in self._filling:
                return False
        synced = self._synced(org_id)
        if synced is None or synced[0] != model_id:
            mark = repo.change_horizon("ideas", org_id)
            rows = [(row[0], row[1]) for row in repo.columns("ideas", org_id, ("id", "text"))]
            if len(rows) > _IN_REQUEST_AT_MOST:
                self._fill_in_background(org_id, aligner, mark, rows, clear=True)
                return False
            self._clear(org_id)  # vectors of another model, or of a fill cut short
            self._write(org_id, aligner, rows)
            self._record(org_id, model_id, mark)
            return True
        written, mark = repo.written_since("ideas", org_id, synced[1], ("id", "text"))
        if not written and mark[1] == synced[2]:
            return True  # the horizon stays, so writes still in flight are seen later
        if mark[1] != synced[2]:
            self._drop_deleted(org_id)
        rows = [(row[0], row[1]) for row in written]
        if len(rows) > _IN_REQUEST_AT_MOST:
            self._fill_in_background(org_id, aligner, mark, rows, clear=False)
            return False
        self._write(org_id, aligner, rows)
        self._record(org_id, model_id, mark)
        return True

    def _fill_in_background(
        self, org_id: str, aligner: Aligner, mark: tuple[int, int], rows: list[tuple[str, str]], clear: bool
    ) -> None:
        with self._guard:
            if org_id in self._filling:
                return
            self._filling.add(org_id)

        def fill() -> None:
            try:
                if clear:
                    self._clear(org_id)
                self._write(org_id, aligner, rows)
                self._record(org_id, aligner.embedder.model_id, mark)
                log.info("pgvector index of %s filled with %d ideas", org_id, len(rows))
            except Exception:  # a background thread has no caller: log, and the next search retries
                log.exception("filling the pgvector index of %s failed", org_id)
            finally:
                with self._guard:
                    self._filling.discard(org_id)

        threading.Thread(target=fill, name=f"hoshin-pgvector-fill-{org_id}", daemon=True).start()

    # ------------------------------------------------------------ searching

    def search(
        self, org_id: str, query: np.ndarray, k: int, min_score: float | None
    ) -> list[tuple[str, float]]:
        found = [(n.id, n.score) for n in self.index.search(org_id, query, k)]
        return [hit for hit in found if min_score is None or hit[1] >= min_score]


_opened: dict[tuple[str, int], PgVectorTwins | None] = {}
_opening = threading.Lock()


def pgvector_twins(repo: Repository, dim: int) -> PgVectorTwins | None:
    """The store's pgvector twins index, or None on SQLite and on a PostgreSQL server without
    the extension (or where it cannot be created): the in-process index answers there. Decided
    once per store and dimension per process."""
    if repo.dialect != "postgresql":
        return None
    key = (repo.url, dim)
    with _opening:
        if key not in _opened:
            engine = create_engine(repo.url)
            twins: PgVectorTwins | None = None
            try:
                if has_pgvector(engine):
                    twins = PgVectorTwins(engine, dim)
            except HoshinError as exc:  # available but not creatable (the role lacks the right)
                log.warning("pgvector unavailable for twins, using the in-process index: %s", exc)
            except DBAPIError as exc:  # the server is unreachable: decide on a later search
                engine.dispose()
                raise StorageError(f"database error: {exc.orig}") from exc
            if twins is None:
                engine.dispose()
            _opened[key] = twins
        return _opened[key]
