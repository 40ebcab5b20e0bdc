"""The store as a vector cache: embeddings kept once per (model, content hash) in the `vectors` table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from hoshin.embedding.cache import VectorCache
from hoshin.store import schema

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["StoreVectorCache"]

_CHUNK = 500  # well below the bound-parameter limits of SQLite and PostgreSQL


class StoreVectorCache(VectorCache):
    """Implements VectorCache on a Repository, so the web app and API embed each text only once."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        t = schema.vectors
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self.repo._reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows = conn.execute(
                    select(t.c.content_hash, t.c.vector).where(
                        t.c.model_id == model_id, t.c.content_hash.in_(chunk)
                    )
                )
                for content_hash, blob in rows:
                    found[content_hash] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = {
            h: {"model_id": model_id, "content_hash": h, "vector": np.asarray(v, dtype=np.float32).tobytes()}
            for h, v in items
        }
        if not rows:
            return
        t = schema.vectors
        with self.repo.transaction() as conn:
            # Another worker may have stored some meanwhile: a vector for a hash never changes, so
            # existing rows are simply kept ("insert or ignore" in both dialects).
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            values = list(rows.values())
            for start in range(0, len(values), _CHUNK):
                conn.execute(insert(t).on_conflict_do_nothing(), values[start : start + _CHUNK])
