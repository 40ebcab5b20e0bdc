"""Background jobs: progress, results, idempotence and resuming, in-process and on Redis + PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hoshin.cli.jobs  # noqa: F401  (registers `hoshin jobs` until hoshin.cli imports it)
from hoshin.cli import app
from hoshin.service import jobs as jobs_service
from hoshin.service.jobs import JobStore, get_job, recover, run_job, submit_import, submit_rescore
from hoshin.service.verdict_reasons import open_store

from .jobs_support import empty_postgres, hoshin, ideas_csv, load_org


@pytest.fixture(autouse=True)
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    monkeypatch.delenv("HOSHIN_JOB_QUEUE", raising=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    load_org(url, ideas=40)
    return url


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def verdict_rows(url: str) -> list[dict]:
    with open_store(url) as repo:
        return repo.verdicts("coolco", "idea", latest_only=False)


def test_cli_import_job_runs_in_process_and_reports_progress(sqlite_url: str, tmp_path: Path) -> None:
    path = ideas_csv(tmp_path / "big.csv", 300)
    code, out, err = cli("jobs", "import", "ideas", str(path), "--db", sqlite_url)
    assert code == 0, err
    job_id = out.strip()
    assert "300 created" in err
    code, out, _ = cli("jobs", "status", job_id, "--db", sqlite_url, "--format", "json")
    [job] = json.loads(out)
    assert (job["state"], job["done"], job["total"], job["percent"]) == ("done", 300, 300, 100.0)
    assert job["result"] == {"kind": "ideas", "created": 300, "updated": 0}
    code, out, _ = cli("jobs", "list", "--db", sqlite_url, "--format", "json")
    assert [j["id"] for j in json.loads(out)] == [job_id]
    # The same file again: updates, creates nothing (idempotent).
    code, _, err = cli("jobs", "import", "ideas", str(path), "--db", sqlite_url)
    assert code == 0 and "0 created, 300 updated" in err


def test_a_bad_file_fails_its_job_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    path = ideas_csv(tmp_path / "bad.csv", 50)
    path.write_text(path.read_text(encoding="utf-8") + "B999999,\n", encoding="utf-8")  # empty text
    with open_store(sqlite_url) as repo:
        before = repo.count("ideas", "coolco")
    code, _, err = cli("jobs", "import", "ideas", str(path), "--db", sqlite_url)
    assert code == 2 and "failed" in err and "bad.csv, row 52, field 'text'" in err
    with open_store(sqlite_url) as repo:
        assert repo.count("ideas", "coolco") == before
    [job] = jobs_service.list_jobs(sqlite_url, "coolco")
    assert job["state"] == "failed" and "row 52" in job["error"]


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("ideas", "ideas.txt", b"id,text\n", "name the file"),
        ("ideas", "ideas.csv", b"", "is empty"),
        ("gadgets", "g.csv", b"id\n1\n", "gadgets"),
    ],
)
def test_submit_refuses_what_can_never_import(
    sqlite_url: str, kind: str, name: str, data: bytes, message: str
) -> None:
    from hoshin.errors import InputError

    with pytest.raises(InputError, match=message):
        submit_import(sqlite_url, "coolco", kind, name, data, "test")
    assert jobs_service.list_jobs(sqlite_url, "coolco") == []


def test_unknown_job_and_other_organisations_job_are_not_found(sqlite_url: str) -> None:
    from hoshin.errors import NotFoundError

    job = submit_rescore(sqlite_url, "coolco", "test", inline=True)
    with pytest.raises(NotFoundError):
        get_job(sqlite_url, job["id"], org_id="other")
    code, _, err = cli("jobs", "status", "nope", "--db", sqlite_url)
    assert code == 1 and "no job 'nope'" in err


def test_rescore_scores_every_idea_once_and_a_second_run_changes_nothing(sqlite_url: str) -> None:
    before = len(verdict_rows(sqlite_url))
    job = submit_rescore(sqlite_url, "coolco", "test", inline=True)
    assert job["state"] == "done" and job["result"] == {"scored": 42, "total": 42}
    rows = verdict_rows(sqlite_url)
    assert len(rows) == before + 42
    assert all(v["created_at"] >= job["created_at"] for v in rows[before:])
    again = run_job(sqlite_url, job["id"])  # delivered twice: nothing more happens
    assert again["state"] == "done" and again["attempts"] == 1
    assert len(verdict_rows(sqlite_url)) == before + 42


def test_a_job_whose_worker_died_is_resumed_where_it_stopped(sqlite_url: str) -> None:
    with JobStore(sqlite_url) as store:
        job = store.create("coolco", "rescore", {}, "test")
        # A worker on this machine claimed it and died: its process id no longer exists.
        assert store.claim(job["id"], f"{socket.gethostname()}:{2**22 + 12345}", stale_after=3600)
        assert store.stale(stale_after=3600) == [job["id"]]
    # Half the ideas were scored before the crash (their verdicts are newer than the job).
    with open_store(sqlite_url) as repo:
        from hoshin.service.corridor import score_ideas, store_aligner

        half = sorted(i["id"] for i in repo.rows("ideas", "coolco"))[:21]
        score_ideas(repo, "coolco", store_aligner(repo), half)
    assert recover(sqlite_url, inline=True) == [job["id"]]
    done = get_job(sqlite_url, job["id"])
    assert done["state"] == "done" and done["attempts"] == 2
    assert done["result"] == {"scored": 21, "total": 42}


def test_a_running_job_with_a_live_worker_is_not_taken_over(sqlite_url: str) -> None:
    with JobStore(sqlite_url) as store:
        job = store.create("coolco", "rescore", {}, "test")
        assert store.claim(job["id"], f"{socket.gethostname()}:{os.getpid()}", stale_after=3600)
        assert store.claim(job["id"], "elsewhere:1", stale_after=3600) is None
        assert store.stale(stale_after=3600) == []


@pytest.mark.postgres
def test_jobs_on_redis_queue_run_in_a_separate_worker(
    postgres_url: str, tmp_path: Path, rq_queue: dict[str, str]
) -> None:
    empty_postgres(postgres_url)
    load_org(postgres_url, ideas=30)
    queue = rq_queue
    imported = submit_import(
        postgres_url, "coolco", "ideas", "more.csv", ideas_csv(tmp_path / "m.csv", 25).read_bytes(), "t"
    )
    rescored = submit_rescore(postgres_url, "coolco", "test")
    assert get_job(postgres_url, imported["id"])["state"] == "queued"  # nothing runs without a worker
    worker = hoshin("jobs", "worker", "--burst", "--db", postgres_url, env=queue)
    _, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert get_job(postgres_url, imported["id"])["result"] == {"kind": "ideas", "created": 25, "updated": 0}
    assert get_job(postgres_url, rescored["id"])["state"] == "done"


def test_a_job_whose_worker_is_a_zombie_counts_as_orphaned(sqlite_url: str) -> None:
    # A killed worker whose parent died too lingers as a zombie until init reaps it; it still
    # "exists" for kill(pid, 0), but it will never finish the job.
    import subprocess
    import time

    child = subprocess.Popen(["true"])
    time.sleep(0.3)  # exited, not yet reaped: a zombie
    try:
        with JobStore(sqlite_url) as store:
            job = store.create("coolco", "rescore", {}, "test")
            assert store.claim(job["id"], f"{socket.gethostname()}:{child.pid}", stale_after=3600)
            assert store.stale(stale_after=3600) == [job["id"]]
    finally:
        child.wait()
