"""A closed store stays closed: work that outlives it (a background refresh, a late flush) gets a
clear error instead of quietly opening connections that nobody closes (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.errors import StorageError


def test_a_closed_store_refuses_new_connections(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    assert repo.organisation("o")["name"] == "Org"
    repo.close()
    assert repo.closed
    with pytest.raises(StorageError, match="closed"):
        repo.organisation("o")
    with pytest.raises(StorageError, match="closed"):
        repo.create_organisation("p", "Another")


def test_a_thread_still_working_for_a_closed_store_gets_the_error(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    closed, seen = threading.Event(), []

    def late_reader() -> None:
        closed.wait(10)
        try:
            repo.rows("ideas", "o")
        except StorageError as exc:
            seen.append(str(exc))

    worker = threading.Thread(target=late_reader)
    worker.start()
    repo.close()
    closed.set()
    worker.join(10)
    assert seen and "closed" in seen[0]


def test_a_connection_in_use_while_the_store_closes_is_closed_when_handed_back(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    with repo._reading() as conn:  # a read still running in another part of the program
        raw = conn.connection.dbapi_connection
        repo.close()
        conn.exec_driver_sql("SELECT 1")  # it may finish its work
    assert _is_closed(raw)


def _is_closed(raw: Any) -> bool:
    if hasattr(raw, "closed"):  # psycopg
        return bool(raw.closed)
    try:  # sqlite3 has no such attribute: a closed connection refuses work
        raw.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - sqlite3.ProgrammingError
        return True
    return False


def test_an_app_started_again_opens_its_store_afresh(store_url: str) -> None:
    from hoshin.app import create_app

    app = create_app(store_url, secret="k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe")
    for _ in range(2):  # startup, shutdown (closing the store), startup again
        with TestClient(app) as client:
            # Signing in looks the user up: the store is opened (and, the second time, opened again).
            answer = client.post(
                "/api/v1/auth/token", json={"username": "nobody", "password": "wrong-password"}
            )
            assert answer.status_code == 401, answer.text
            assert app.state.store is not None
        assert app.state.store is None
