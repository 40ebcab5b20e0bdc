"""`hoshin serve --workers 2`: two processes answer, and a sign-in from one is honoured by the other."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
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


@pytest.fixture
def served(tmp_path: Path) -> tuple[str, subprocess.Popen[bytes]]:
    env = dict(os.environ, HOSHIN_HOME=str(tmp_path / "home"), HOSHIN_EMBEDDER="hashing")
    env.pop("HOSHIN_SECRET_KEY", None)  # the workers must agree on the key kept in the data folder
    (tmp_path / "home").mkdir()
    url = f"sqlite:///{tmp_path / 'hoshin.sqlite3'}"
    subprocess.run([hoshin(), "demo", "--db", url], env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [hoshin(), "serve", "--port", str(port), "--db", url, "--workers", "2"],
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
