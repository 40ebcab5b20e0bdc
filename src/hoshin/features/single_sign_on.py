"""Single sign-on with an OpenID Connect provider (HOSHIN_OIDC_*; docs/single-sign-on.md).

Pages: `GET /login/sso` sends the browser to the provider (authorization code flow with PKCE, a
fresh state and nonce kept in the session); `GET /login/sso/callback` is where the provider sends
it back. The callback hands state, nonce and the ID token to Authlib, which refuses a state this
browser was not given and an ID token whose signature (checked against the provider's published
keys), issuer, audience, expiry or nonce is wrong. Then service/single_sign_on.py maps the claims
to a Hoshin user and role, and the session starts exactly as a password sign-in starts it.

The sign-in page shows "Sign in with <provider>" when single sign-on is configured; without the
settings these pages answer 404.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hoshin.api.deps import get_store
from hoshin.api.rendering import render
from hoshin.errors import InputError, NotFoundError, PermissionDenied
from hoshin.service.single_sign_on import sign_in_with_claims

__all__ = ["pages"]

pages = APIRouter(include_in_schema=False)
log = logging.getLogger("hoshin.api")

_NEXT = "sso_next"  # where the browser goes once signed in, kept in the session across the trip
_CLIENT = "hoshin"  # the provider's name inside Authlib (the key of its state in the session)


def _settings(request: Request) -> Any:
    settings = getattr(request.app.state, "single_sign_on", None)
    if settings is None:
        raise NotFoundError("single sign-on is not configured on this server")
    return settings


def _client(request: Request) -> Any:
    """The app's Authlib client for the provider, made on first use (it reads the provider's
    discovery document and keys when first needed, then keeps them)."""
    client = getattr(request.app.state, "oidc_client", None)
    if client is None:
        from authlib.integrations.starlette_client import OAuth

        settings = _settings(request)
        oauth = OAuth()
        client = oauth.register(
            _CLIENT,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=settings.discovery_url,
            client_kwargs={"scope": settings.scope, "code_challenge_method": "S256"},
        )
        request.app.state.oidc_client = client
    return client


def _refused(request: Request, message: str, status: int) -> HTMLResponse:
    context = {"next": "/", "error": message, "username": ""}
    return render(request, "auth/login.html", context, status_code=status)


@pages.get("/login/sso", name="sso_start")
async def sso_start(request: Request, next: str = "/") -> Response:
    from hoshin.features.auth import safe_next

    settings = _settings(request)
    request.session[_NEXT] = safe_next(next)
    try:
        return await _client(request).authorize_redirect(request, str(request.url_for("sso_callback")))
    except Exception as exc:  # the provider cannot be reached or its discovery document is wrong
        log.warning("single sign-on: cannot start at %s: %r", settings.discovery_url, exc)
        return _refused(request, f"{settings.name} cannot be reached just now ({type(exc).__name__})", 503)


@pages.get("/login/sso/callback", name="sso_callback")
async def sso_callback(request: Request) -> Response:
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError

    settings = _settings(request)
    try:
        token = await _client(request).authorize_access_token(request)
    except MismatchingStateError:
        return _refused(
            request,
            f"the sign-in with {settings.name} could not be matched to this browser (its state did "
            "not match); start again from the sign-in page",
            401,
        )
    except OAuthError as exc:
        return _refused(request, f"{settings.name} refused the sign-in: {exc.description or exc.error}", 401)
    except Exception as exc:  # a bad signature, issuer, audience, nonce or expiry; an unreachable provider
        log.warning("single sign-on: ID token refused: %r", exc)
        return _refused(
            request,
            f"the sign-in with {settings.name} was refused: its ID token did not pass the checks "
            f"({type(exc).__name__})",
            401,
        )
    claims = token.get("userinfo")
    if not claims:
        return _refused(request, f"{settings.name} sent no ID token; ask for the 'openid' scope", 401)
    try:
        user, fingerprint = await run_in_threadpool(
            sign_in_with_claims, get_store(request), settings, dict(claims)
        )
    except (PermissionDenied, InputError) as exc:
        return _refused(request, str(exc), 403)
    target = request.session.get(_NEXT, "/")
    # A fresh session on sign-in, as after a password (service/auth.py, features/auth.py).
    request.session.clear()
    request.session["user"] = {"org": user.organisation_id, "name": user.username, "fp": fingerprint}
    return RedirectResponse(target, status_code=303)
