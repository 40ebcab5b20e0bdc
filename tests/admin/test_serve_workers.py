"""`hoshin serve` with several workers: two processes answer (by default on a machine with two or
more cores), and a sign-in from one is honoured by the other."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hoshin() -> str:
    found = shutil.which("hoshin", path=str(Path(sys.executable).parent))
    assert found, "the hoshin command is not installed next to this Python"
    return found


@contextmanager
def _started(
    tmp_path: Path, workers: list[str], **settings: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`hoshin serve` with `workers` as its extra arguments and `settings` in its environment, over
    a demo database, until it answers /health."""
    env = dict(os.environ, HOSHIN_HOME=str(tmp_path / "home"), HOSHIN_EMBEDDER="hashing", **settings)
    env.pop("HOSHIN_SECRET_KEY", None)  # the workers must agree on the key kept in the data folder
    (tmp_path / "home").mkdir()
    url = f"sqlite:///{tmp_path / 'hoshin.sqlite3'}"
    subprocess.run([hoshin(), "demo", "--db", url], env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [hoshin(), "serve", "--port", str(port), "--db", url, *workers],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the server did not answer /health in 90 s"
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with _started(tmp_path, ["--workers", "2"]) as server:
        yield server


def _said(tmp_path: Path, settled_on: str, times: int) -> str:
    """The server's log once `settled_on` stands in it `times` times (workers start one by one, and
    the first can answer /health before the second has said anything), or after 60 s."""
    deadline = time.monotonic() + 60
    while True:
        said = (tmp_path / "serve.log").read_text(errors="replace")
        if said.count(settled_on) >= times or time.monotonic() > deadline:
            return said
        time.sleep(0.2)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the default is one worker on a single core")
def test_the_default_is_two_workers_where_there_are_two_cores(tmp_path: Path) -> None:
    with _started(tmp_path, []):
        said = _said(tmp_path, "Started server process", 2)  # uvicorn's own line, one per worker
        assert "with 2 worker processes (--workers to change)" in said
        assert said.count("Started server process") == 2


def test_one_worker_when_asked(tmp_path: Path) -> None:
    with _started(tmp_path, ["--workers", "1"]):
        said = _said(tmp_path, "Started server process", 1)
        assert "with 1 worker process (--workers to change)" in said
        assert said.count("Started server process") == 1


def test_two_workers_share_the_database_and_the_sign_in_key(
    served: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, server = served
    token = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": "contributor", "password": "demo-contributor"}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    # New connections each time, so the kernel spreads them over both workers.
    answers = [
        httpx.post(
            f"{base}/api/v1/ideas",
            json={"id": f"W-{n}", "text": f"Quieter compressor mounts, variant {n}"},
            headers=headers,
        )
        for n in range(12)
    ]
    assert [a.status_code for a in answers] == [201] * 12, [a.text[:200] for a in answers]
    assert all(a.json()["id"] == f"W-{n}" for n, a in enumerate(answers))
    listed = httpx.get(f"{base}/api/v1/dashboard", headers=headers)
    assert listed.status_code == 200
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) >= 2, "uvicorn should run two worker processes"


def _goals_counted(base: str, headers: dict[str, str]) -> list[int]:
    """The dashboard's goal count, 12 times, each over a new connection, so the views reach both
    workers and their kept numbers."""
    views = [httpx.get(f"{base}/api/v1/dashboard", headers=headers) for _ in range(12)]
    assert all(v.status_code == 200 for v in views), [v.text[:200] for v in views]
    return [v.json()["counts"]["goals"] for v in views]


def test_an_edit_shows_on_the_dashboard_whichever_worker_answers(tmp_path: Path) -> None:
    # Kept numbers never expire here: only the workers' shared change counter can end them.
    with _started(tmp_path, ["--workers", "2"], HOSHIN_DASHBOARD_MAX_AGE_S="3600") as (base, _):
        token = httpx.post(
            f"{base}/api/v1/auth/token", json={"username": "strategist", "password": "demo-strategist"}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        before = _goals_counted(base, headers)
        assert len(set(before)) == 1
        created = httpx.post(
            f"{base}/api/v1/goals",
            json={"id": "G-WORKERS", "text": "Cut energy use by 20%", "level": 2, "unit_id": "U-RD"},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        assert _goals_counted(base, headers) == [before[0] + 1] * 12
