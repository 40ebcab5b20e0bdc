"""Fault tests: kill -9 a worker in the middle of a large import or re-score, then resume.

Afterwards every committed record is intact, nothing is half-written, and running the job again
finishes it: the import was one transaction (all rows or none), the re-score committed whole
chunks and picks up after the last one.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from hoshin.service.jobs import JobStore, get_job, recover
from hoshin.service.verdict_reasons import open_store

from .jobs_support import empty_postgres, hoshin, idea_text, ideas_csv, load_org


def kill_when(process: Any, ready: Callable[[], bool], url: str, timeout: float = 120) -> None:
    """SIGKILL the worker we started, and the process running its job, once `ready()` holds.

    rq runs each job in a forked "work horse" in a session of its own, so killing the worker's
    process group would spare it; the job table names that process (owner host:pid)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"finished before the kill: {process.communicate()}"
        assert time.monotonic() < deadline, "the job never reached the point to kill it at"
        time.sleep(0.05)
    owner = only_job(url)["owner"]
    os.killpg(process.pid, signal.SIGKILL)
    pid = int(owner.rpartition(":")[2])
    if pid != os.getpid():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it was the worker process itself, already gone
    process.communicate()


def only_job(url: str) -> dict[str, Any]:
    with JobStore(url) as jobs:
        [job] = jobs.list()
    return job


def test_kill_during_a_large_import_leaves_all_or_nothing_and_resume_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    monkeypatch.delenv("HOSHIN_JOB_QUEUE", raising=False)
    url = f"sqlite:///{tmp_path / 'fault.sqlite3'}"
    load_org(url)
    with open_store(url) as repo:
        before = repo.count("ideas", "coolco")
    rows = 40_000
    path = ideas_csv(tmp_path / "big.csv", rows)
    worker = hoshin("jobs", "import", "ideas", str(path), "--db", url)

    def importing() -> bool:
        try:
            job = only_job(url)
        except ValueError:
            return False  # not created yet
        return job["state"] == "running"

    kill_when(worker, importing, url)
    job = only_job(url)
    assert job["state"] == "running"  # nobody marked it: the worker died
    with open_store(url) as repo:
        assert repo.count("ideas", "coolco") in (before, before + rows)  # all or nothing
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()

    assert recover(url, inline=True) == [job["id"]]
    done = get_job(url, job["id"])
    assert done["state"] == "done" and done["attempts"] == 2
    with open_store(url) as repo:
        stored = {i["id"]: i["text"] for i in repo.rows("ideas", "coolco")}
    assert len(stored) == before + rows
    assert all(stored[f"B{n:06d}"] == idea_text(n) for n in range(rows))


@pytest.mark.postgres
def test_kill_during_a_rescore_on_the_queue_resumes_after_the_last_committed_chunk(
    postgres_url: str, rq_queue: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoshin.service.jobs import submit_rescore

    url = empty_postgres(postgres_url)
    chunk, count = 100, 3000  # many small chunks, so the kill lands between two of them
    load_org(url, ideas=count - 2)  # the fixture brings two ideas of its own
    queue = {**rq_queue, "HOSHIN_RESCORE_CHUNK": str(chunk)}
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    job = submit_rescore(url, "coolco", "test")

    def newer_verdicts() -> list[dict[str, Any]]:
        with open_store(url) as repo:
            rows = repo.verdicts("coolco", "idea", latest_only=False)
        return [v for v in rows if v["created_at"] >= job["created_at"]]

    worker = hoshin("jobs", "worker", "--db", url, env=queue)
    kill_when(worker, lambda: 0 < get_job(url, job["id"])["done"] < count, url)
    cut = get_job(url, job["id"])
    assert cut["state"] == "running" and 0 < cut["done"] < count
    committed = newer_verdicts()
    # Chunks commit whole: what is stored is a multiple of the chunk, and at least what was reported.
    assert len(committed) % chunk == 0 and len(committed) >= cut["done"]
    assert len({v["record_id"] for v in committed}) == len(committed)

    again = hoshin("jobs", "worker", "--burst", "--db", url, env=queue)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    done = get_job(url, job["id"])
    assert (done["state"], done["attempts"]) == ("done", 2), done
    assert done["result"] == {"scored": count - len(committed), "total": count}
    final = newer_verdicts()
    assert {v["record_id"] for v in final} == {f"N{n:05d}" for n in range(count - 2)} | {"I001", "I002"}
    assert len(final) == count  # no idea scored twice: the resumed run skipped the committed chunks
