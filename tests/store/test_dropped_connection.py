"""A pooled PostgreSQL connection the server dropped (a restart, an idle timeout, an operator's
kill) fails the one read that meets it with a StorageError, which the web app answers as 503, and
the next read gets a fresh connection. The narrow reads go to the driver's cursor directly (for
speed); they must behave as the SQLAlchemy path does, not leak the driver's own error as a 500."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from hoshin.errors import StorageError
from hoshin.service.verdict_reasons import open_store
from hoshin.store.vectors import StoreVectorCache

pytestmark = pytest.mark.postgres

MODEL = "test-model"


@pytest.fixture
def pg_repo(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("HOSHIN_DB_POOL", "2")
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    repo = open_store(postgres_url)
    repo.create_organisation("acme", "Acme Cooling")
    repo.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor mount"}])
    StoreVectorCache(repo).put_many(MODEL, [("h1", np.ones(4, dtype=np.float32))])
    yield repo
    repo.close()


def kill_pooled_connections(repo: Any, postgres_url: str) -> None:
    """Terminate, from outside, every server process behind the connections the pool holds."""
    with repo._reading() as conn:  # the pooled connection the next read will get
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    engine.dispose()


READS: dict[str, Callable[[Any], object]] = {
    "narrow idea columns": lambda repo: repo.columns("ideas", "acme", ["id", "text"]),
    "stored vectors with hubs": lambda repo: [
        part[1].tolist() for part in StoreVectorCache(repo).vectors_with_hubs(MODEL, ["h1"], 4, "basis")
    ],
}


@pytest.mark.parametrize("read", list(READS), ids=list(READS))
def test_a_dropped_connection_fails_one_read_cleanly_and_the_next_recovers(
    pg_repo: Any, postgres_url: str, read: str
) -> None:
    do = READS[read]
    before = do(pg_repo)
    kill_pooled_connections(pg_repo, postgres_url)
    with pytest.raises(StorageError, match="database error"):
        do(pg_repo)
    # The dead connection left the pool: the very next read works, on a fresh one.
    assert do(pg_repo) == before
    assert pg_repo.columns("ideas", "acme", ["id"]) == [("I-1",)]
