"""The PostgreSQL connection pool follows HOSHIN_DB_POOL, and a bad value is refused by name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine

from hoshin.errors import ConfigError
from hoshin.store.engine import create_engines

PG_URL = os.environ.get("HOSHIN_TEST_POSTGRES_URL")


@contextmanager
def _postgres_engines(monkeypatch: pytest.MonkeyPatch, pool: int) -> Iterator[tuple[Engine, Engine]]:
    """(writer, reader) on the test server with HOSHIN_DB_POOL = `pool`, disposed afterwards
    (the reader shares the writer's pool)."""
    monkeypatch.setenv("HOSHIN_DB_POOL", str(pool))
    writer, reader = create_engines(PG_URL or "")
    try:
        yield writer, reader
    finally:
        writer.dispose()


@pytest.mark.parametrize(
    ("value", "message"), [("many", "whole number"), ("1", "at least 2"), ("-4", "at least 2")]
)
def test_a_bad_pool_size_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("HOSHIN_DB_POOL", value)
    with pytest.raises(ConfigError, match=f"HOSHIN_DB_POOL must be .*{message}"):
        create_engines("postgresql+psycopg://127.0.0.1:5432/test")


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="HOSHIN_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped")
def test_the_pool_holds_as_many_connections_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    with _postgres_engines(monkeypatch, 6) as (writer, _):
        held = [writer.connect() for _ in range(6)]  # 3 kept open + 3 on demand
        assert writer.pool.checkedout() == 6
        for conn in held:
            conn.close()
        assert writer.pool.size() == 3


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="HOSHIN_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped")
def test_reads_hold_no_transaction_and_share_the_writers_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read is one round trip (no BEGIN before it, no ROLLBACK after), from the same pool."""
    from psycopg import pq
    from sqlalchemy import text

    with _postgres_engines(monkeypatch, 4) as (writer, reader):
        with reader.connect() as read:
            assert read.execute(text("SELECT 1")).scalar_one() == 1
            status = read.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status == pq.TransactionStatus.IDLE  # nothing left open to roll back
            assert writer.pool.checkedout() == 1  # the read's connection came from the one pool
        with writer.begin() as write:
            write.execute(text("SELECT 1"))
            status = write.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status == pq.TransactionStatus.INTRANS  # writes still get their transaction
        with writer.connect() as again:  # a pooled connection a read used writes transactionally
            again.execute(text("SELECT 1"))
            status = again.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status == pq.TransactionStatus.INTRANS
            again.rollback()
