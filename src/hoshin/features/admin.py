"""Administration: the organisation record, the audit trail (`GET /api/v1/audit`, /audit) and the
users page (/admin) with its form for a new sign-in. The users' REST routes are records
(features/records.py).
"""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hoshin.api import schemas
from hoshin.api.deps import Context, permit
from hoshin.api.params import checked, form_values
from hoshin.api.rendering import render
from hoshin.service import editing
from hoshin.service import record_reads as reads
from hoshin.service.audit import list_events
from hoshin.service.auth import ROLES, can

__all__ = ["api", "pages"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)
USER_FIELDS = ("username", "password", "role", "unit_id", "person_id")


@api.get("/organisation", response_model=schemas.OrganisationPublic, tags=["organisation"])
def organisation(ctx: Annotated[Context, Depends(permit("organisation.read"))]) -> dict[str, Any]:
    return reads.organisation(ctx.store, ctx.org)


@api.get("/audit", response_model=list[schemas.AuditEventPublic], tags=["audit"])
def audit(
    ctx: Annotated[Context, Depends(permit("audit.read"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    record_kind: str | None = None,
    record_id: str | None = None,
    username: str | None = None,
) -> list[dict[str, Any]]:
    """Audit events, newest first, optionally for one record kind, record or user."""
    return list_events(
        ctx.store, ctx.org, record_kind=record_kind, record_id=record_id, username=username, limit=limit
    )


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, ctx: Annotated[Context, Depends(permit("audit.read"))]) -> HTMLResponse:
    return render(request, "admin/audit.html", {"events": list_events(ctx.store, ctx.org, limit=200)})


@pages.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, ctx: Annotated[Context, Depends(permit("user.read"))]) -> HTMLResponse:
    return render(
        request,
        "admin/users.html",
        {
            "rows": reads.rows(ctx.store, ctx.org, "users"),
            "units": reads.unit_ids(ctx.store, ctx.org),
            "roles": ROLES,
            "can_create": can(ctx.user, "user.create"),
        },
    )


@pages.post("/admin/users")
async def admin_create_user(
    request: Request, ctx: Annotated[Context, Depends(permit("user.create"))]
) -> RedirectResponse:
    """A new sign-in, through the same checks, password hashing and audit event as POST /api/v1/users."""
    values = checked(schemas.UserCreate, form_values(await request.form(), USER_FIELDS))
    editing.create(ctx.store, ctx.user, "users", values)
    return RedirectResponse("/admin?created=" + quote(values["username"]), status_code=303)
