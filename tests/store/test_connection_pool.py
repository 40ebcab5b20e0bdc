"""The PostgreSQL connection pool follows HOSHIN_DB_POOL, and a bad value is refused by name."""

from __future__ import annotations

import os

import pytest

from hoshin.errors import ConfigError
from hoshin.store.engine import create_engines

PG_URL = os.environ.get("HOSHIN_TEST_POSTGRES_URL")


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
    monkeypatch.setenv("HOSHIN_DB_POOL", "6")
    writer, _ = create_engines(PG_URL or "")
    try:
        held = [writer.connect() for _ in range(6)]  # 3 kept open + 3 on demand
        assert writer.pool.checkedout() == 6
        for conn in held:
            conn.close()
        assert writer.pool.size() == 3
    finally:
        writer.dispose()
