"""Fixtures every test shares.

- The user's data and cache folders are redirected into a temporary folder (autouse), so no test
  touches a real Hoshin database or vector cache.
- `postgres_url` gives each test module its own fresh PostgreSQL database on the server named by
  HOSHIN_TEST_POSTGRES_URL (the Makefile points it at 127.0.0.1:5432), and drops it afterwards, so
  parallel runs never see each other's rows. Without that variable the PostgreSQL tests are skipped
  on a user's machine; in CI (CI=true) a missing server is an error, not a skip.
- `database_url` (SQLite, then PostgreSQL) and `org`, a small organisation served in-process with
  one user per role, come from tests/support.py with the helpers the app tests share.
- `hashing_backend` selects the hashing embedder (fast, offline; cosine is word overlap) for every
  test of the folders in HASHING_FOLDERS: their tests are about plumbing, not meaning. A test there
  that needs the real model sets HOSHIN_EMBEDDER itself (and is marked `model`).

Tests are laid out by feature, like the code: corridor, cascade, knowledge, brand, principles,
mission, dashboard, auth, records, admin, jobs, demo, shell (pages and navigation shared by every
feature), cli (the commands), engine (domain and alignment), embedding, store, then browser, fuzz
and bench, which cross every feature.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from support import database_url, org  # noqa: F401  (fixtures of the app tests)

HASHING_FOLDERS = frozenset({"cascade", "cli", "corridor", "dashboard", "knowledge"})


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("hoshin-home")
    monkeypatch.setenv("HOSHIN_HOME", str(home))
    monkeypatch.delenv("HOSHIN_DATABASE_URL", raising=False)


@pytest.fixture(autouse=True)
def hashing_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.path.parent.name in HASHING_FOLDERS:
        monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get("HOSHIN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL suite: set HOSHIN_TEST_POSTGRES_URL (make test does)")
        pytest.skip("HOSHIN_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped")
    return url


@pytest.fixture(scope="module")
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database for this test module (modules never see each other's rows)."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(postgres_server_url)
    name = f"hoshin_t_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=server.host or "127.0.0.1",
        port=server.port or 5432,
        user=server.username,
        dbname=server.database or "test",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
