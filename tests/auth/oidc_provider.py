"""A small OpenID Connect provider for the single sign-on tests, served over HTTP on localhost.

It speaks the authorization code flow the way a real provider does: a discovery document, its
public keys (JWKS), an authorize endpoint that sends the browser back with a code and the state,
and a token endpoint that checks the client's secret, the code, the redirect URI and the PKCE
verifier before it answers with an RS256-signed ID token (issuer, audience, expiry, nonce). The
user "signed in at the provider" is whatever `claims` holds. Switches for the refusal tests:
`signing_key` (sign with a key the JWKS does not publish) and `override` (claims to force, such
as a wrong nonce). Keys and tokens come from joserfc, the JOSE library Authlib itself uses.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "hoshin-test"
CLIENT_SECRET = "a-client-secret-only-the-tests-know"
KEY_ID = "provider-key-1"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})
        self.signing_key = self.key
        self.claims: dict[str, Any] = {}
        self.override: dict[str, Any] = {}
        self.redirect_uris = {"http://testserver/login/sso/callback"}
        self.codes: dict[str, dict[str, Any]] = {}
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def reset(self) -> None:
        self.signing_key = self.key
        self.claims = {}
        self.override = {}
        self.codes.clear()

    def rogue_key(self) -> RSAKey:
        """A key of the same id that the provider never published."""
        return RSAKey.generate_key(2048, parameters={"kid": KEY_ID})

    # ---- endpoints --------------------------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "profile", "email"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != CLIENT_ID:
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        if query.get("redirect_uri") not in self.redirect_uris:
            return JSONResponse({"error": "invalid_request", "detail": "redirect_uri"}, status_code=400)
        redirect = query["redirect_uri"]
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return RedirectResponse(f"{redirect}?{urlencode({'error': 'invalid_request'})}", status_code=302)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": redirect,
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "claims": dict(self.claims),
        }
        back = {"code": code, "state": query.get("state", "")}
        return RedirectResponse(f"{redirect}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, client_secret = base64.b64decode(encoded).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.codes.pop(str(form.get("code")), None)  # a code is good once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant", "detail": "redirect_uri"}, status_code=400)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        if grant["challenge"] and challenge.decode() != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant", "detail": "PKCE"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["claims"],
            **self.override,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, self.signing_key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    # ---- serving ----------------------------------------------------------------------------

    def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
            ]
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))  # a free port, held from here on
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(app, lifespan="off", log_level="warning", loop="asyncio", http="h11")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test OpenID provider did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
