"""The HTML pages: sign-in, dashboard, mission, goals and ideas (list + create/edit forms), audit
and admin, with placeholders for the sections later work fills in.

Pages use the same guard (`permit`) and the same change functions (`hoshin.api.editing`) as the
REST API, so a rule enforced there is enforced here, CSRF check included (every form posts the
session's token in a hidden `csrf_token` field).
"""

from typing import Annotated, Any
from urllib.parse import quote, urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError

from hoshin.api import editing, schemas
from hoshin.api.deps import Context, client_address, get_store, permit, session_user
from hoshin.api.routes import get_aligner
from hoshin.api.security import CSRF_FIELD, check_csrf
from hoshin.errors import AuthenticationError, InputError, NotFoundError, TooManyAttempts
from hoshin.service.audit import list_events
from hoshin.service.auth import ROLES, can, sign_out
from hoshin.service.corridor import (
    TIER_NAMES,
    idea_row,
    inbox_page,
    new_idea_id,
    override_tier,
    preview_corridor,
    score_new_ideas,
)
from hoshin.service.duplicates import similar_ideas
from hoshin.service.missions import current_model, save_mission
from hoshin.service.records import IDEA_STATUSES
from hoshin.service.visibility import sight_of
from hoshin.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
GOAL_FIELDS = (
    "id",
    "text",
    "unit_id",
    "level",
    "parent_ids",
    "owner_id",
    "period",
    "metric",
    "start",
    "target",
    "current",
)
USER_FIELDS = ("username", "password", "role", "unit_id", "person_id")
IDEA_FIELDS = ("id", "text", "source", "author_id", "unit_id", "tags", "submitted_at")
LIST_FIELDS = ("parent_ids", "tags")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not be able to send the user to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


# ---- sign in and out ----------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> HTMLResponse | RedirectResponse:
    check_csrf(request.session, csrf_token)
    try:
        user, fingerprint = request.app.state.sign_in.sign_in(
            get_store(request), username.strip(), password, client_address(request)
        )
    except (AuthenticationError, TooManyAttempts) as exc:
        page = render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": str(exc), "username": username},
            status_code=401 if isinstance(exc, AuthenticationError) else 429,
        )
        if isinstance(exc, TooManyAttempts):
            page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    # A fresh session on sign-in (new CSRF token too), so a token planted before login is useless.
    request.session.clear()
    request.session["user"] = {"org": user.organisation_id, "name": user.username, "fp": fingerprint}
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> RedirectResponse:
    check_csrf(request.session, csrf_token)
    user = session_user(request)
    if user is not None:
        # The cookie is signed, not stored: clearing it here leaves any copy of it valid. Ending
        # the user's sessions in the store is what makes a copy useless.
        sign_out(get_store(request), user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# ---- read-only sections (the dashboard lives in hoshin.features.dashboard) --------------


def _mission_page(
    request: Request, ctx: Context, proposal: dict[str, list[str]] | None = None, changes: Any = None
) -> HTMLResponse:
    mission = ctx.store.mission(ctx.org)
    if proposal is None and mission is not None:
        proposal = {"focus_areas": mission["focus_areas"], "exclusions": mission["exclusions"]}
    return render(
        request,
        "mission.html",
        {
            "mission": mission,
            "versions": ctx.store.mission_versions(ctx.org),
            "can_edit": can(ctx.user, "mission.update"),
            "proposal": proposal or {"focus_areas": [], "exclusions": []},
            "changes": changes,
        },
    )


@router.get("/mission", response_class=HTMLResponse)
def mission_page(request: Request, ctx: Annotated[Context, Depends(permit("mission.read"))]) -> HTMLResponse:
    return _mission_page(request, ctx)


def _lines(form: Any, name: str) -> list[str]:
    """A textarea holding one entry per line, as a list without blanks."""
    raw = form.get(name)
    if not isinstance(raw, str):
        return []
    return [line.strip() for line in raw.splitlines() if line.strip()]


@router.post("/mission/corridor", response_class=HTMLResponse, response_model=None)
async def mission_corridor(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> HTMLResponse | RedirectResponse:
    """Preview (nothing saved) or save the corridor; saving stores a new version and re-scores ideas."""
    form = await request.form()
    body = _checked(
        schemas.MissionCreate,
        {"text": "-", "focus_areas": _lines(form, "focus_areas"), "exclusions": _lines(form, "exclusions")},
    )
    aligner = get_aligner(request)
    if form.get("action") == "save":
        mission = current_model(ctx.store, ctx.org, aligner)
        save_mission(
            ctx.store,
            ctx.org,
            mission.text,
            body["focus_areas"],
            body["exclusions"],
            ctx.user.username,
            aligner,
        )
        score_new_ideas(ctx.store, ctx.org, sorted(ctx.store.keys("ideas", ctx.org)), aligner)
        return RedirectResponse("/mission?saved=1", status_code=303)
    changes = preview_corridor(ctx.store, ctx.org, aligner, body["focus_areas"], body["exclusions"])
    proposal = {"focus_areas": body["focus_areas"], "exclusions": body["exclusions"]}
    return _mission_page(request, ctx, proposal, changes)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, ctx: Annotated[Context, Depends(permit("audit.read"))]) -> HTMLResponse:
    return render(request, "audit.html", {"events": list_events(ctx.store, ctx.org, limit=200)})


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, ctx: Annotated[Context, Depends(permit("user.read"))]) -> HTMLResponse:
    return render(
        request,
        "admin.html",
        {
            "rows": ctx.store.rows("users", ctx.org),
            "units": [u["id"] for u in ctx.store.rows("units", ctx.org)],
            "roles": ROLES,
            "can_create": can(ctx.user, "user.create"),
        },
    )


@router.post("/admin/users")
async def admin_create_user(
    request: Request, ctx: Annotated[Context, Depends(permit("user.create"))]
) -> RedirectResponse:
    """A new sign-in, through the same checks, password hashing and audit event as POST /api/v1/users."""
    values = _checked(schemas.UserCreate, _form_values(await request.form(), USER_FIELDS))
    editing.create(ctx.store, ctx.user, "users", values)
    return RedirectResponse("/admin?created=" + quote(values["username"]), status_code=303)


# ---- goals and ideas: lists and forms -----------------------------------------------------------


def _form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Form fields as a request body: blanks left out, ';'-separated lists split."""
    values: dict[str, Any] = {}
    for name in names:
        raw = form.get(name)
        if not isinstance(raw, str) or not raw.strip():
            continue
        text = raw.strip()
        values[name] = (
            [part.strip() for part in text.split(";") if part.strip()] if name in LIST_FIELDS else text
        )
    return values


def _checked(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.model_validate(values).model_dump(exclude_unset=True)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InputError(f"the form is not valid: {problems}") from None


def _list_page(
    request: Request, ctx: Context, kind: str, template: str, rows: list[dict[str, Any]]
) -> HTMLResponse:
    noun = editing.policy_kind(kind)
    for row in rows:
        row["_editable"] = can(ctx.user, f"{noun}.update", {"unit_id": row.get("unit_id")})
    units = [u["id"] for u in ctx.store.rows("units", ctx.org)]
    return render(
        request,
        template,
        {"rows": rows, "units": units, "record": {}, "can_create": can(ctx.user, f"{noun}.create")},
    )


@router.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> HTMLResponse:
    # A unit manager sees the goals of their own unit and the units below it, as in the API.
    rows = sight_of(ctx.user).only("goals", ctx.store.rows("goals", ctx.org))
    return _list_page(request, ctx, "goals", "goals.html", rows)


@router.post("/goals")
async def goals_create(
    request: Request, ctx: Annotated[Context, Depends(permit("goal.create"))]
) -> RedirectResponse:
    values = _checked(schemas.GoalCreate, _form_values(await request.form(), GOAL_FIELDS))
    editing.create(ctx.store, ctx.user, "goals", values)
    return RedirectResponse("/goals?created=" + values["id"], status_code=303)


@router.get("/goals/{key}/edit", response_class=HTMLResponse)
def goal_edit(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("goal.update"))]
) -> HTMLResponse:
    record = sight_of(ctx.user).get(ctx.store, ctx.org, "goals", key)  # another unit's: as missing
    ctx.check("goal.update", record)
    units = [u["id"] for u in ctx.store.rows("units", ctx.org)]
    return render(request, "goal_edit.html", {"record": record, "units": units})


@router.post("/goals/{key}")
async def goal_update(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("goal.update"))]
) -> RedirectResponse:
    values = _form_values(await request.form(), GOAL_FIELDS[1:])
    values.setdefault("parent_ids", [])  # an emptied field means "no parents"
    editing.update(ctx.store, ctx.user, "goals", key, _checked(schemas.GoalUpdate, values))
    return RedirectResponse("/goals?updated=" + key, status_code=303)


def _filter(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


INBOX_PAGE_SIZE = 100


def _page_number(request: Request) -> int:
    """The `page` query parameter (1 when absent); InputError names a bad one."""
    raw = request.query_params.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(f"page must be a whole number from 1 on, not {raw!r}")
    return int(raw)


@router.get("/ideas", response_class=HTMLResponse)
def ideas_page(request: Request, ctx: Annotated[Context, Depends(permit("idea.read"))]) -> HTMLResponse:
    filters = {name: _filter(request, name) for name in ("tier", "theme", "status", "unit")}
    number = _page_number(request)
    # A page at a time: only its ideas are read whole and given their reasons, so the inbox of a
    # million ideas opens as fast as that of a hundred.
    rows, matching = inbox_page(
        ctx.store, ctx.org, **filters, limit=INBOX_PAGE_SIZE, offset=(number - 1) * INBOX_PAGE_SIZE
    )
    pages = max(1, -(-matching // INBOX_PAGE_SIZE))
    for row in rows:
        scope = {"unit_id": row.get("unit_id")}
        row["_editable"] = can(ctx.user, "idea.update", scope)
        row["_overridable"] = can(ctx.user, "idea.status", scope)
    # The theme names only: no verdict's sentence is written for the filter list.
    summaries = ctx.store.verdict_summaries(ctx.org, ["idea"])["idea"]
    themes = sorted({v["theme"] for v in summaries.values() if v.get("theme")})
    created = _created_idea(ctx, request.query_params.get("created"))
    return render(
        request,
        "ideas.html",
        {
            "created": created,
            "twins": _stored_twins(ctx, request, created),
            "rows": rows,
            "page": {
                "number": number,
                "pages": pages,
                "first": (number - 1) * INBOX_PAGE_SIZE + 1,
                "last": (number - 1) * INBOX_PAGE_SIZE + len(rows),
                "matching": matching,
            },
            "units": [u["id"] for u in ctx.store.rows("units", ctx.org)],
            "record": {},
            "can_create": can(ctx.user, "idea.create"),
            "can_teach": can(ctx.user, "idea.status"),
            "filters": filters,
            "themes": themes,
            "tiers": TIER_NAMES,
            "statuses": IDEA_STATUSES,
        },
    )


def _created_idea(ctx: Context, key: str | None) -> dict[str, Any] | None:
    """The idea just submitted with its verdict, for the notice at the top of the inbox."""
    if not key:
        return None
    try:
        return idea_row(ctx.store, ctx.org, key)
    except NotFoundError:  # deleted since, or a hand-edited address: no notice
        return None


# How many stored ideas the notice after a submission names as the new idea's nearest twins.
SHOWN_TWINS = 3


def _stored_twins(ctx: Context, request: Request, created: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The stored ideas closest to the one just submitted (itself left out), best first, each
    with `_editable` for the link to it; the same search as the form's as-you-type twins."""
    if created is None:
        return []
    found = similar_ideas(ctx.store, ctx.org, get_aligner(request), created["text"], SHOWN_TWINS + 1)
    twins = [t for t in found if t["id"] != created["id"]][:SHOWN_TWINS]
    stored = ctx.store.by_ids("ideas", ctx.org, [t["id"] for t in twins]) if twins else {}
    for twin in twins:
        scope = {"unit_id": stored.get(twin["id"], {}).get("unit_id")}
        twin["_editable"] = can(ctx.user, "idea.update", scope)
    return twins


@router.post("/ideas/{key}/override")
async def idea_override(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> RedirectResponse:
    form = await request.form()
    ctx.check("idea.status", ctx.store.get("ideas", ctx.org, key))
    tier, reason = form.get("tier"), form.get("reason")
    override_tier(
        ctx.store,
        ctx.org,
        key,
        tier if isinstance(tier, str) else "",
        reason if isinstance(reason, str) else "",
        ctx.user.username,
        get_aligner(request),
    )
    return RedirectResponse("/ideas?overridden=" + quote(key), status_code=303)


@router.post("/ideas")
async def ideas_create(
    request: Request, ctx: Annotated[Context, Depends(permit("idea.create"))]
) -> RedirectResponse:
    values = _form_values(await request.form(), IDEA_FIELDS)
    if "id" not in values:  # nobody should have to invent an id to hand in an idea
        values["id"] = new_idea_id(ctx.store, ctx.org)
    values = _checked(schemas.IdeaCreate, values)
    editing.submit_idea(ctx.store, ctx.user, values, get_aligner(request), ctx.store.mission(ctx.org))
    # The inbox then shows the new idea's verdict above everything else (see ideas_page).
    return RedirectResponse("/ideas?created=" + quote(values["id"]), status_code=303)


@router.get("/ideas/{key}/edit", response_class=HTMLResponse)
def idea_edit(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.update"))]
) -> HTMLResponse:
    record = ctx.store.get("ideas", ctx.org, key)
    ctx.check("idea.update", record)
    units = [u["id"] for u in ctx.store.rows("units", ctx.org)]
    return render(request, "idea_edit.html", {"record": record, "units": units})


@router.post("/ideas/{key}")
async def idea_update(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.update"))]
) -> RedirectResponse:
    values = _form_values(await request.form(), IDEA_FIELDS[1:])
    values.setdefault("tags", [])
    editing.update(ctx.store, ctx.user, "ideas", key, _checked(schemas.IdeaUpdate, values))
    return RedirectResponse("/ideas?updated=" + key, status_code=303)
