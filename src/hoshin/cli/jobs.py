"""`hoshin jobs ...`: bulk imports and re-scoring as background jobs, their progress, the worker.

With HOSHIN_JOB_QUEUE set (a Redis URL) `import` and `rescore` queue the job and print its id,
and `hoshin jobs worker` runs queued jobs; without it they run here and now, in this process.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from hoshin.cli.admin import ACTOR, DbOption, OrgOption, _open, _say
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly
from hoshin.cli.groups import root

jobs = typer.Typer(
    help="Background jobs: bulk imports and re-scoring, with progress; the worker that runs them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
root.add_typer(jobs, name="jobs")

COLUMNS = ("id", "kind", "state", "done", "total", "percent", "message", "error", "created_by", "created_at")
WaitOption = typer.Option(False, "--wait", help="With a queue: wait until the job ends, then report.")


def _url_and_org(db: str | None, org: str | None) -> tuple[str, str]:
    with _open(db) as repo:  # also creates or migrates the database, as every stateful command does
        return repo.url, org or repo.default_organisation()


def _row(job: dict[str, Any]) -> dict[str, Any]:
    return {name: job.get(name) for name in COLUMNS}


def _finish(url: str, job: dict[str, Any], wait: bool) -> None:
    from hoshin.service.jobs import get_job

    while wait and job["state"] in ("queued", "running"):
        time.sleep(0.5)
        job = get_job(url, job["id"])
    if job["state"] == "failed":
        from hoshin.errors import InputError

        raise InputError(f"job {job['id']} failed: {job['error']}")
    _say(f"job {job['id']}: {job['state']} - {job['message']}")
    typer.echo(job["id"])


@jobs.command("import")
def import_job(
    kind: str = typer.Argument(..., help="What the file holds (as for `hoshin import`)."),
    file: Path = typer.Argument(..., help="A .csv, .xlsx, .json or .jsonl file."),  # noqa: B008
    db: str | None = DbOption,
    org: str | None = OrgOption,
    wait: bool = WaitOption,
) -> None:
    """Import a (large) file as a job: all rows or none, safe to repeat. Prints the job id.

    Example:  hoshin jobs import ideas ideas.csv --wait
    """
    with fail_cleanly():
        from hoshin.errors import InputError
        from hoshin.service.jobs import queue_url, submit_import

        if not file.is_file():
            raise InputError(f"{file}: file not found (check the path)")
        url, org_id = _url_and_org(db, org)
        job = submit_import(
            url, org_id, kind, file.name, file.read_bytes(), ACTOR, inline=queue_url() is None
        )
        _finish(url, job, wait)


@jobs.command("rescore")
def rescore_job(db: str | None = DbOption, org: str | None = OrgOption, wait: bool = WaitOption) -> None:
    """Re-score every idea against the current mission as a job; prints the job id.

    Example:  hoshin jobs rescore --wait
    """
    with fail_cleanly():
        from hoshin.service.jobs import queue_url, submit_rescore

        url, org_id = _url_and_org(db, org)
        _finish(url, submit_rescore(url, org_id, ACTOR, inline=queue_url() is None), wait)


@jobs.command("list")
def list_command(
    db: str | None = DbOption,
    org: str | None = OrgOption,
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="How many, newest first."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
) -> None:
    """The organisation's jobs, newest first, with their progress.

    Example:  hoshin jobs list --format json
    """
    with fail_cleanly():
        from hoshin.service.jobs import list_jobs

        url, org_id = _url_and_org(db, org)
        emit([_row(j) for j in list_jobs(url, org_id, limit)], fmt, output)


@jobs.command("status")
def status_command(
    job_id: str = typer.Argument(..., help="The id `hoshin jobs import/rescore` printed."),
    db: str | None = DbOption,
    fmt: str | None = FormatOption,
) -> None:
    """One job: state, progress (done of total), message, error and result.

    Example:  hoshin jobs status 3f2a... --format json
    """
    with fail_cleanly():
        from hoshin.config import database_url
        from hoshin.service.jobs import get_job

        url = database_url(db)
        job = get_job(url, job_id)
        emit([{**_row(job), "result": job["result"]}], fmt, None)


@jobs.command("worker")
def worker_command(
    db: str | None = DbOption,
    burst: bool = typer.Option(False, "--burst", help="Stop when no job is left instead of waiting."),
) -> None:
    """Run queued jobs (needs HOSHIN_JOB_QUEUE); first hands out again jobs whose worker died.

    Example:  HOSHIN_JOB_QUEUE=redis://127.0.0.1:6379/0 hoshin jobs worker
    """
    with fail_cleanly():
        from hoshin.config import database_url
        from hoshin.service.jobs import work

        work(database_url(db), burst=burst)


@jobs.command("resume")
def resume_command(db: str | None = DbOption) -> None:
    """Run again the jobs that were queued or cut off (a killed worker); prints their ids.

    Example:  hoshin jobs resume
    """
    with fail_cleanly():
        from hoshin.config import database_url
        from hoshin.service.jobs import queue_url, recover

        for job_id in recover(database_url(db), inline=queue_url() is None):
            typer.echo(job_id)
