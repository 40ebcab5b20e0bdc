"""Signing in and out: API tokens (`POST /api/v1/auth/token`, `GET /api/v1/me`) and the
/login and /logout pages. Single sign-on has its own module (features/single_sign_on.py).
"""

from typing import Annotated, Any
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hoshin.api import schemas
from hoshin.api.deps import Context, client_address, get_store, permit, session_user
from hoshin.api.rendering import render
from hoshin.api.security import CSRF_FIELD, TOKEN_MAX_AGE_S, check_csrf
from hoshin.errors import AuthenticationError, TooManyAttempts
from hoshin.service.auth import sign_out

__all__ = ["api", "pages", "safe_next"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not be able to send the user to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


class Credentials(schemas._In):
    username: schemas.Id
    password: Annotated[str, schemas.Field(min_length=1, max_length=1024)]
    organisation: schemas.Id | None = schemas.Field(
        default=None, description="Only needed when the same name and password fit several organisations."
    )


@api.post("/auth/token", response_model=schemas.TokenPublic, tags=["auth"])
def create_token(body: Credentials, request: Request) -> dict[str, Any]:
    """Exchange a user name and password for a bearer token (send it as `Authorization: Bearer ...`).

    The token stays valid until it expires or the user's password changes. Too many failed
    attempts for the name or from the client's address are answered 429 (with Retry-After)."""
    from hoshin.service.auth import token_for

    store = get_store(request)
    user, _ = request.app.state.sign_in.sign_in(
        store, body.username, body.password, client_address(request), body.organisation
    )
    return {"token": token_for(store, request.app.state.secret_key, user), "expires_in_s": TOKEN_MAX_AGE_S}


@api.get("/me", tags=["auth"])
def me(ctx: Annotated[Context, Depends(permit("organisation.read"))]) -> dict[str, Any]:
    """The signed-in user: name, role, organisation and unit."""
    user = ctx.user
    return {
        "username": user.username,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "unit_id": user.unit_id,
        "person_id": user.person_id,
    }


# ---- sign in and out ----------------------------------------------------------------------------


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "auth/login.html", {"next": safe_next(next), "error": None, "username": ""})


@pages.post("/login", response_class=HTMLResponse, response_model=None)
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
            "auth/login.html",
            {"next": safe_next(next), "error": str(exc), "username": username},
            status_code=401 if isinstance(exc, AuthenticationError) else 429,
        )
        if isinstance(exc, TooManyAttempts):
            page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    # A fresh session on sign-in (new CSRF token too), so a token planted before login is useless.
    request.session.clear()
    request.session["user"] = {"org": user.organisation_id, "name": user.username, "fp": fingerprint}
    return RedirectResponse(safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> RedirectResponse:
    check_csrf(request.session, csrf_token)
    user = session_user(request)
    if user is not None:
        # The cookie is signed, not stored: clearing it here leaves any copy of it valid. Ending
        # the user's sessions in the store is what makes a copy useless.
        sign_out(get_store(request), user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
