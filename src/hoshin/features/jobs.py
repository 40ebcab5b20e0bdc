"""Background jobs over REST and on one page: start an import or a re-score, watch its progress.

REST (under /api/v1): `GET /jobs`, `GET /jobs/{id}`, `POST /jobs/rescore`,
`POST /jobs/import/{kind}` (a file upload). Starting a job answers 202 with the job at once; the
client polls `GET /jobs/{id}` for `state`, `done`/`total` and `percent`. Page: `/jobs`.
The work itself is hoshin.service.jobs (a Redis queue where configured, else in-process).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from hoshin.api.deps import Context, permit
from hoshin.api.rendering import render
from hoshin.errors import InputError
from hoshin.service.auth import can
from hoshin.service.jobs import get_job, list_jobs, submit_import, submit_rescore

__all__ = ["api", "pages"]

api = APIRouter(tags=["jobs"])
pages = APIRouter(include_in_schema=False)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a job exists for big files; bigger still: `hoshin jobs import`


def _policy_kind(kind: str) -> str:
    from hoshin.service.editing import policy_kind

    return "mission" if kind == "mission" else policy_kind(kind)


async def _guard_import(request: Request) -> Context:
    return await permit(f"{_policy_kind(request.path_params['kind'])}.import")(request)


_guard_import.hoshin_action = "<kind>.import"  # type: ignore[attr-defined]


@api.get("/jobs")
def jobs_list(
    ctx: Annotated[Context, Depends(permit("organisation.read"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """The organisation's jobs, newest first, with state and progress."""
    return list_jobs(ctx.store.url, ctx.org, limit)


@api.get("/jobs/{job_id}")
def job_status(job_id: str, ctx: Annotated[Context, Depends(permit("organisation.read"))]) -> dict[str, Any]:
    """One job: state (queued, running, done, failed), done of total, percent, message, error, result."""
    return get_job(ctx.store.url, job_id, ctx.org)


@api.post("/jobs/rescore", status_code=202)
def start_rescore(ctx: Annotated[Context, Depends(permit("mission.update"))]) -> dict[str, Any]:
    """Re-score every idea against the current mission in the background; poll the returned job."""
    return submit_rescore(ctx.store.url, ctx.org, ctx.user.username)


@api.post("/jobs/import/{kind}", status_code=202)
def start_import(
    kind: str,
    file: Annotated[UploadFile, File(description="CSV, XLSX, JSON or JSONL")],
    ctx: Annotated[Context, Depends(_guard_import)],
) -> dict[str, Any]:
    """Import one file of KIND in the background (all rows or none); poll the returned job."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{file.filename}: larger than {MAX_UPLOAD_BYTES // 2**20} MiB; use `hoshin jobs import`"
        )
    return submit_import(ctx.store.url, ctx.org, kind, file.filename or "", data, ctx.user.username)


@pages.get("/jobs", response_class=HTMLResponse)
def jobs_page(
    request: Request, ctx: Annotated[Context, Depends(permit("organisation.read"))]
) -> HTMLResponse:
    jobs = list_jobs(ctx.store.url, ctx.org, 50)
    return render(
        request,
        "jobs/index.html",
        {
            "jobs": jobs,
            "can_rescore": can(ctx.user, "mission.update"),
            "active_jobs": any(j["state"] in ("queued", "running") for j in jobs),
        },
    )


@pages.post("/jobs/rescore")
def rescore_button(ctx: Annotated[Context, Depends(permit("mission.update"))]) -> RedirectResponse:
    submit_rescore(ctx.store.url, ctx.org, ctx.user.username)
    return RedirectResponse("/jobs", status_code=303)
