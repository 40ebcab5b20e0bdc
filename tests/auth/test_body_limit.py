"""The request-size limit: a body over HOSHIN_MAX_REQUEST_MB is refused with 413 before the app
reads it and before anyone is signed in; a streamed body without a length is counted."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from hoshin.app import create_app
from hoshin.config import max_request_bytes
from hoshin.errors import ConfigError
from support import SECRET, Org, api_csrf


def _call(app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> dict[str, Any]:
    """Run one POST through the ASGI app; the answer's status and body, and how often the body was read."""
    out: dict[str, Any] = {"reads": 0, "body": b""}
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        out["reads"] += 1
        chunk = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return out


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_MAX_REQUEST_MB", "1")


def test_declared_length_over_the_limit_is_refused_unread_and_unauthenticated(small_limit: None) -> None:
    app = create_app("sqlite:///:memory:", secret=SECRET)
    declared = str(200 * 2**20).encode()
    answer = _call(app, "/api/v1/ideas", [(b"content-length", declared)], [b"{}"])
    assert answer["status"] == 413
    assert answer["reads"] == 0  # not a byte read: the sender never got as far as signing in
    assert b"HOSHIN_MAX_REQUEST_MB" in answer["body"] and b"RequestTooLarge" in answer["body"]


def test_a_streamed_body_is_counted_and_refused_past_the_limit(small_limit: None) -> None:
    app = create_app("sqlite:///:memory:", secret=SECRET)
    chunk = b" " * 2**16
    answer = _call(app, "/api/v1/ideas", [], [chunk] * 40)  # 2.5 MiB, no Content-Length
    assert answer["status"] == 413
    assert answer["reads"] <= 17  # stopped just past 1 MiB, not read to the end
    assert b"RequestTooLarge" in answer["body"]


def test_chunked_upload_through_a_client_gets_json_413(small_limit: None, org: Org) -> None:
    client = org.client("admin", how="token")

    def body() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 2**16

    response = client.post(
        "/api/v1/import/ideas", content=body(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "RequestTooLarge"


def test_requests_under_the_limit_still_work(small_limit: None, org: Org) -> None:
    client = org.client("contributor")
    response = client.post(
        "/api/v1/ideas",
        json={"id": "I-9", "text": "A door seal that lasts fifteen years", "unit_id": "U-RD"},
        headers=api_csrf(client),
    )
    assert response.status_code in (200, 201), response.text


def test_the_limit_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSHIN_MAX_REQUEST_MB", raising=False)
    assert max_request_bytes() == 50 * 2**20
    for bad in ("0", "lots", "-3"):
        monkeypatch.setenv("HOSHIN_MAX_REQUEST_MB", bad)
        with pytest.raises(ConfigError, match="HOSHIN_MAX_REQUEST_MB"):
            max_request_bytes()


def test_an_anonymous_streamed_body_is_cut_off_after_a_sign_in_forms_worth() -> None:
    """Ten anonymous 200 MB posts must not make a worker buffer the full limit ten times: without a
    valid credential a body may hold 64 KiB, counted as it arrives."""
    app = create_app("sqlite:///:memory:", secret=SECRET)
    chunk = b" " * 2**14
    answer = _call(app, "/api/v1/ideas", [], [chunk] * 12_800)  # 200 MiB, no Content-Length
    assert answer["status"] == 413
    assert answer["reads"] <= 6  # stopped just past 64 KiB
    assert b"sign in first" in answer["body"]


def test_a_forged_token_gets_the_anonymous_limit_and_a_real_one_the_full_limit(org: Org) -> None:
    declared = [(b"content-length", str(2 * 2**20).encode())]
    forged = _call(org.app, "/api/v1/ideas", [(b"authorization", b"Bearer not-a-token"), *declared], [b"{}"])
    assert forged["status"] == 413 and forged["reads"] == 0
    token = org.client("admin", how="token").headers["authorization"].encode()
    real = _call(org.app, "/api/v1/ideas", [(b"authorization", token), *declared], [b"{}"])
    assert real["status"] != 413  # read and judged by the route (here: a body shorter than declared)
