"""Store fixtures: every storage test runs once on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ORG_FILE = FIXTURES / "organisation.json"


def _reset_postgres(url: str) -> None:
    # The PostgreSQL database lives for the whole session: give each test an empty schema.
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def repo(store_url: str) -> Iterator[Any]:
    from hoshin.service.verdict_reasons import open_store

    store = open_store(store_url)  # with the service's writer of verdict sentences
    yield store
    store.close()


@pytest.fixture
def loaded(repo: Any) -> Any:
    """A store holding the small CoolCo organisation from fixtures/organisation.json."""
    from hoshin.service.demo import load_demo

    load_demo(repo, ORG_FILE, actor="test")
    return repo


@pytest.fixture
def snapshot() -> Any:
    """snapshot(repo, org_id) -> everything the organisation holds, for before/after comparisons."""
    from hoshin.service.backup import backup_data

    def take(repo: Any, org_id: str = "coolco") -> dict[str, Any]:
        data = backup_data(repo, org_id)
        data.pop("created_at")  # the backup's own time stamp
        return data

    return take
