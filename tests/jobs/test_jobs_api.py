"""The jobs REST routes and page: start a job, poll it to the end; guarded by role and organisation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app

from .jobs_support import ideas_csv, load_org

SECRET = "t7Gq-2LmZx9vRw4KpN8cYb3HsJd6FaU1eQo0"


@pytest.fixture
def client_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    monkeypatch.delenv("HOSHIN_JOB_QUEUE", raising=False)
    url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    load_org(url, ideas=20)
    clients: list[TestClient] = []

    def make(username: str | None, password: str = "") -> TestClient:
        client = TestClient(create_app(url, secret=SECRET))
        client.__enter__()
        clients.append(client)
        if username is not None:
            answer = client.post("/api/v1/auth/token", json={"username": username, "password": password})
            assert answer.status_code == 200, answer.text
            client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_import_job_over_rest_runs_and_reports_progress(client_for: Any, tmp_path: Path) -> None:
    admin = client_for("admin", "demo-admin")
    path = ideas_csv(tmp_path / "ideas.csv", 120)
    started = admin.post("/api/v1/jobs/import/ideas", files={"file": ("ideas.csv", path.read_bytes())})
    assert started.status_code == 202, started.text
    job = wait_for(admin, started.json()["id"])
    assert job["state"] == "done" and job["done"] == job["total"] == 120 and job["percent"] == 100.0
    assert job["result"] == {"kind": "ideas", "created": 120, "updated": 0}
    assert [j["id"] for j in admin.get("/api/v1/jobs").json()] == [job["id"]]
    assert "payload" not in job


def test_a_failed_job_says_which_row_is_wrong(client_for: Any) -> None:
    admin = client_for("admin", "demo-admin")
    started = admin.post("/api/v1/jobs/import/ideas", files={"file": ("x.csv", b"id,text\nA1,\n")})
    job = wait_for(admin, started.json()["id"])
    assert job["state"] == "failed" and "x.csv, row 2, field 'text'" in job["error"]


def test_rescore_over_rest(client_for: Any) -> None:
    admin = client_for("admin", "demo-admin")
    started = admin.post("/api/v1/jobs/rescore")
    assert started.status_code == 202
    job = wait_for(admin, started.json()["id"])
    assert job["state"] == "done" and job["result"] == {"scored": 22, "total": 22}


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        (("post", "/api/v1/jobs/rescore"), 403),
        (("post", "/api/v1/jobs/import/users"), 403),
        (("get", "/api/v1/jobs/unknown"), 404),
    ],
)
def test_a_unit_manager_may_watch_but_not_start_org_wide_jobs(
    client_for: Any, request_args: tuple[str, str], status: int
) -> None:
    manager = client_for("ben", "demo-ben")
    method, path = request_args
    kwargs = {"files": {"file": ("u.csv", b"username,role\nx,viewer\n")}} if "import" in path else {}
    assert getattr(manager, method)(path, **kwargs).status_code == status
    assert manager.get("/api/v1/jobs").status_code == 200


def test_jobs_need_a_signed_in_user_and_good_input(client_for: Any) -> None:
    anonymous = client_for(None)
    assert anonymous.get("/api/v1/jobs").status_code == 401
    admin = client_for("admin", "demo-admin")
    assert admin.post("/api/v1/jobs/import/ideas", files={"file": ("a.exe", b"MZ")}).status_code == 422
    assert admin.post("/api/v1/jobs/import/ideas", files={"file": ("a.csv", b"")}).status_code == 422
    assert admin.get("/api/v1/jobs?limit=0").status_code == 422


def test_jobs_page_lists_jobs_with_progress(client_for: Any) -> None:
    admin = client_for("admin", "demo-admin")
    job = wait_for(admin, admin.post("/api/v1/jobs/rescore").json()["id"])
    page = admin.get("/jobs")
    assert page.status_code == 200
    assert f'data-job="{job["id"]}" data-state="done"' in page.text
    assert "Re-score all ideas" in page.text
