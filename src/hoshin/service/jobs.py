"""Background jobs: bulk imports and re-scoring, with progress, that survive a worker restart.

The database is the record of every job (table `hoshin_jobs`: state, progress, the uploaded file
itself, who runs it); the queue only carries job ids to workers. Two ways to run them:

- `HOSHIN_JOB_QUEUE=redis://host:6379/0`: jobs go to the Redis queue `hoshin` (or
  HOSHIN_JOB_QUEUE_NAME) of the `rq` task queue, and `hoshin jobs worker` (any number, on any
  machine that reaches both servers) runs them.
- unset (the embedded SQLite default): the same job functions run in-process, in a thread for
  the web app and inline for the CLI.

Every job is idempotent, so running one twice is safe and resuming is simply running it again:
an import is one transaction (the file is written whole or not at all) and upserts by id; a
re-score stores verdicts in chunks, one transaction each, and on a second run skips ideas that
already have a verdict newer than the job. A worker that dies (kill -9, lost machine) leaves its
job `running` with a stale heartbeat or a dead process id; `recover()` (run by every worker at
start, and by `hoshin jobs resume`) hands such jobs out again.
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from hoshin.errors import HoshinError, InputError, NotFoundError
from hoshin.store import schema
from hoshin.store.engine import create_engines
from hoshin.store.migrations import HEAD, apply_migrations, current_version
from hoshin.store.repository import Repository, now_iso

__all__ = [
    "JOB_KINDS",
    "QUEUE_ENV",
    "QUEUE_NAME_ENV",
    "JobStore",
    "get_job",
    "list_jobs",
    "recover",
    "run_job",
    "submit_import",
    "submit_rescore",
    "work",
]

log = logging.getLogger(__name__)

JOB_KINDS = ("import", "rescore")
QUEUE_ENV = "HOSHIN_JOB_QUEUE"
QUEUE_NAME_ENV = "HOSHIN_JOB_QUEUE_NAME"  # default "hoshin"; separate names keep deployments apart
STALE_AFTER_S = 120.0  # a running job whose heartbeat is older than this lost its worker
HEARTBEAT_S = 10.0
RESCORE_CHUNK = 500  # ideas per transaction; HOSHIN_RESCORE_CHUNK overrides (smaller: finer resume)
IMPORT_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl")

# The job table (`schema.jobs`) is part of the store's numbered migrations (migration 9).
jobs_table = schema.jobs
_PUBLIC = [c for c in jobs_table.c if c.name != "payload"]


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive_here(owner: str | None) -> bool:
    """False when `owner` is a process on this machine that no longer exists."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's worker: only its heartbeat can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed process whose parent died too stays a zombie until init reaps it, and containers'
    init processes may take their time; such a process still answers kill(pid, 0) (Linux only)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


class JobStore:
    """The `hoshin_jobs` table of one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._writer, self._reader = create_engines(url)
        # A worker may be the first to open a database (`hoshin jobs worker`): bring it to head as
        # opening the store does. At head that is one read, which takes no write lock on SQLite,
        # so polling a job's progress never waits for an import's long write transaction.
        try:
            with self._reader.connect() as conn:
                behind = current_version(conn) < HEAD
            if behind:
                apply_migrations(self._writer)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._writer.dispose()
        if self._reader.pool is not self._writer.pool:
            self._reader.dispose()

    def __enter__(self) -> JobStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create(
        self, org_id: str, kind: str, params: dict[str, Any], actor: str, payload: bytes | None = None
    ) -> dict[str, Any]:
        stamp = now_iso()
        job_id = uuid.uuid4().hex
        row = {
            "id": job_id,
            "organisation_id": org_id,
            "kind": kind,
            "state": "queued",
            "params": json.dumps(params),
            "payload": payload,
            "done": 0,
            "total": None,
            "message": "waiting for a worker",
            "created_by": actor,
            "created_at": stamp,
            "updated_at": stamp,
            "attempts": 0,
        }
        with self._writer.begin() as conn:
            conn.execute(jobs_table.insert(), row)
        return self.get(job_id)

    def get(self, job_id: str, org_id: str | None = None) -> dict[str, Any]:
        """The job (without its payload); NotFoundError for an unknown id or another org's job."""
        query = select(*_PUBLIC).where(jobs_table.c.id == job_id)
        if org_id is not None:
            query = query.where(jobs_table.c.organisation_id == org_id)
        with self._reader.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no job {job_id!r}")
        return _public(row._mapping)

    def list(self, org_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = select(*_PUBLIC).order_by(jobs_table.c.created_at.desc()).limit(limit)
        if org_id is not None:
            query = query.where(jobs_table.c.organisation_id == org_id)
        with self._reader.connect() as conn:
            return [_public(r._mapping) for r in conn.execute(query)]

    def payload(self, job_id: str) -> bytes:
        with self._reader.connect() as conn:
            data = conn.execute(select(jobs_table.c.payload).where(jobs_table.c.id == job_id)).scalar()
        return bytes(data or b"")

    def claim(self, job_id: str, owner: str, stale_after: float) -> dict[str, Any] | None:
        """Mark the job running for `owner` if it is queued or its worker is gone; None otherwise.

        One conditional UPDATE, so of two workers handed the same job only one gets it."""
        job = self.get(job_id)
        t = jobs_table
        now = time.time()
        runnable = t.c.state == "queued"
        if job["state"] == "running" and (
            (job["heartbeat"] or 0) < now - stale_after or not _alive_here(job["owner"])
        ):
            runnable = (t.c.state == "running") & (t.c.owner == job["owner"])
        with self._writer.begin() as conn:
            claimed = conn.execute(
                update(t)
                .where(t.c.id == job_id, runnable)
                .values(
                    state="running",
                    owner=owner,
                    heartbeat=now,
                    attempts=t.c.attempts + 1,
                    updated_at=now_iso(),
                    message="started",
                    error=None,
                )
            ).rowcount
        return self.get(job_id) if claimed == 1 else None

    def report(self, job_id: str, done: int, total: int | None, message: str) -> None:
        self._set(job_id, done=done, total=total, message=message, heartbeat=time.time())

    def beat(self, job_id: str) -> None:
        self._set(job_id, heartbeat=time.time())

    def finish(self, job_id: str, result: dict[str, Any], message: str) -> None:
        self._set(job_id, state="done", result=json.dumps(result), message=message, payload=None)

    def fail(self, job_id: str, error: str) -> None:
        self._set(job_id, state="failed", error=error, message="failed")

    def stale(self, stale_after: float) -> builtins.list[str]:  # `list` here is the method above
        """Jobs to hand out again: queued ones, and running ones whose worker is gone."""
        now = time.time()
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(jobs_table.c.id, jobs_table.c.state, jobs_table.c.heartbeat, jobs_table.c.owner)
                .where(jobs_table.c.state.in_(("queued", "running")))
                .order_by(jobs_table.c.created_at)
            ).all()
        return [
            job_id
            for job_id, state, beat, owner in rows
            if state == "queued" or (beat or 0) < now - stale_after or not _alive_here(owner)
        ]

    def _set(self, job_id: str, **values: Any) -> None:
        with self._writer.begin() as conn:
            conn.execute(
                update(jobs_table).where(jobs_table.c.id == job_id).values(updated_at=now_iso(), **values)
            )


def _public(row: Any) -> dict[str, Any]:
    job = dict(row)
    job["params"] = json.loads(job["params"])
    job["result"] = json.loads(job["result"]) if job.get("result") else None
    total = job.get("total")
    job["percent"] = (
        round(100 * job["done"] / total, 1) if total else (100.0 if job["state"] == "done" else 0.0)
    )
    return job


# ---- submitting -----------------------------------------------------------------------------------


def submit_import(
    url: str, org_id: str, kind: str, filename: str, data: bytes, actor: str, inline: bool = False
) -> dict[str, Any]:
    """Queue the import of one file (its bytes are kept with the job); returns the job.

    Cheap checks happen now (kind, file type, not empty); the rows are checked by the job, and a
    bad row fails the job with the same message `hoshin import` gives, writing nothing."""
    from hoshin.service.records import kind_spec

    kind_spec(kind)
    name = Path(filename).name or "upload"
    if Path(name).suffix.lower() not in IMPORT_SUFFIXES:
        raise InputError(f"{name}: name the file .csv, .xlsx, .json or .jsonl")
    if not data:
        raise InputError(f"{name}: the file is empty")
    with JobStore(url) as jobs:
        job = jobs.create(org_id, "import", {"kind": kind, "filename": name}, actor, payload=data)
    return _dispatch(url, job, inline)


def submit_rescore(url: str, org_id: str, actor: str, inline: bool = False) -> dict[str, Any]:
    """Queue a re-score of every idea of the organisation against its current mission."""
    with JobStore(url) as jobs:
        job = jobs.create(org_id, "rescore", {}, actor)
    return _dispatch(url, job, inline)


def queue_url() -> str | None:
    """HOSHIN_JOB_QUEUE: the Redis URL jobs are queued on; None runs them in this process."""
    from hoshin.config import settings

    return settings.job_queue


def _dispatch(url: str, job: dict[str, Any], inline: bool) -> dict[str, Any]:
    redis_url = queue_url()
    if redis_url is not None:
        _queue(redis_url).enqueue(
            run_job,
            url,
            job["id"],
            job_id=f"hoshin-{job['id']}-{uuid.uuid4().hex[:8]}",
            job_timeout=24 * 3600,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
        return job
    if inline:
        return run_job(url, job["id"])
    threading.Thread(target=run_job, args=(url, job["id"]), name=f"job-{job['id']}", daemon=True).start()
    return job


def _queue(redis_url: str) -> Any:
    from redis import Redis
    from rq import Queue

    from hoshin.config import settings

    return Queue(settings.job_queue_name, connection=Redis.from_url(redis_url))


def get_job(url: str, job_id: str, org_id: str | None = None) -> dict[str, Any]:
    with JobStore(url) as jobs:
        return jobs.get(job_id, org_id)


def list_jobs(url: str, org_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    with JobStore(url) as jobs:
        return jobs.list(org_id, limit)


# ---- running --------------------------------------------------------------------------------------

Report = Callable[[int, int | None, str], None]


def run_job(url: str, job_id: str, stale_after: float = STALE_AFTER_S) -> dict[str, Any]:
    """Run one job to the end (what a worker executes); returns the job as it then stands.

    A job that is done, or running under a live worker, is left alone: delivering the same job
    twice is harmless."""
    from hoshin.service.verdict_reasons import open_store

    with JobStore(url) as jobs:
        job = jobs.claim(job_id, _owner(), stale_after)
        if job is None:
            return jobs.get(job_id)
        beating = _Heartbeat(jobs, job_id) if not url.startswith("sqlite") else None
        try:
            with open_store(url) as repo:
                result, message = _HANDLERS[job["kind"]](repo, jobs, job)
        except HoshinError as exc:
            jobs.fail(job_id, str(exc))
        except Exception as exc:  # a bug must still end the job, or it would look alive forever
            log.exception("job %s failed", job_id)
            jobs.fail(job_id, f"internal error: {type(exc).__name__}: {exc}")
        else:
            jobs.finish(job_id, result, message)
        finally:
            if beating is not None:
                beating.stop()
        return jobs.get(job_id)


class _Heartbeat:
    """Keeps a job's heartbeat fresh while one long transaction (an import) runs.

    Not used on SQLite: there the job's own transaction holds the only write lock, and a worker
    is always on the same machine, where a dead process id already tells that the job is orphaned."""

    def __init__(self, jobs: JobStore, job_id: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(jobs, job_id), daemon=True)
        self._thread.start()

    def _run(self, jobs: JobStore, job_id: str) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                jobs.beat(job_id)
            except Exception:  # a missed beat only makes the job look older; never kill the job
                log.warning("heartbeat of job %s failed", job_id, exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _run_import(repo: Repository, jobs: JobStore, job: dict[str, Any]) -> tuple[dict[str, Any], str]:
    from hoshin.service.importing import import_file

    params = job["params"]
    jobs.report(job["id"], 0, None, f"importing {params['filename']}")
    with tempfile.TemporaryDirectory() as folder:
        # The user's file name, so a bad row is reported against the file they sent.
        path = Path(folder) / params["filename"]
        path.write_bytes(jobs.payload(job["id"]))
        result = import_file(repo, job["organisation_id"], params["kind"], path, job["created_by"] or "job")
    count = result.created + result.updated
    jobs.report(job["id"], count, count, "imported")
    return result.as_dict(), f"{params['kind']}: {result.created} created, {result.updated} updated"


def _run_rescore(repo: Repository, jobs: JobStore, job: dict[str, Any]) -> tuple[dict[str, Any], str]:
    from hoshin.service.corridor import score_ideas, store_aligner

    org_id = job["organisation_id"]
    ids = sorted(idea["id"] for idea in repo.rows("ideas", org_id))
    # A verdict stored after the job was created already answers this job (an earlier attempt,
    # or a newer job): skipping those is what makes a resumed re-score finish instead of restart.
    fresh = {
        v["record_id"] for v in repo.verdicts(org_id, "idea") if str(v["created_at"]) >= job["created_at"]
    }
    todo = [i for i in ids if i not in fresh]
    done = len(ids) - len(todo)
    jobs.report(job["id"], done, len(ids), f"re-scoring {len(todo)} ideas")
    aligner = store_aligner(repo)
    size = rescore_chunk()
    for start in range(0, len(todo), size):
        chunk = todo[start : start + size]
        score_ideas(repo, org_id, aligner, chunk)  # one transaction per chunk
        done += len(chunk)
        jobs.report(job["id"], done, len(ids), f"scored {done} of {len(ids)} ideas")
    return {"scored": len(todo), "total": len(ids)}, f"scored {len(todo)} of {len(ids)} ideas"


def rescore_chunk() -> int:
    """HOSHIN_RESCORE_CHUNK: ideas scored per transaction of a re-scoring job."""
    from hoshin.config import settings

    return settings.rescore_chunk


_HANDLERS: dict[str, Callable[[Repository, JobStore, dict[str, Any]], tuple[dict[str, Any], str]]] = {
    "import": _run_import,
    "rescore": _run_rescore,
}


def recover(url: str, stale_after: float = STALE_AFTER_S, inline: bool = False) -> list[str]:
    """Hand out again every queued job and every running job whose worker is gone; returns their ids."""
    with JobStore(url) as jobs:
        orphans = jobs.stale(stale_after)
    for job_id in orphans:
        if inline and queue_url() is None:
            run_job(url, job_id, stale_after)
        else:
            _dispatch(url, get_job(url, job_id), inline=False)
    return orphans


def work(url: str, burst: bool = False, stale_after: float = STALE_AFTER_S) -> None:
    """Run an rq worker on the `hoshin` queue (after recovering orphaned jobs); `burst` stops when
    the queue is empty. Without HOSHIN_JOB_QUEUE it just runs the orphaned and queued jobs."""
    redis_url = queue_url()
    if redis_url is None:
        recover(url, stale_after, inline=True)
        return
    from rq import Worker

    recover(url, stale_after)
    queue = _queue(redis_url)
    Worker([queue], connection=queue.connection).work(burst=burst, logging_level="WARNING")
