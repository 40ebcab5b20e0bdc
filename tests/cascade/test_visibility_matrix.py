"""The visibility matrix: every route whose path names a goal, person or unit, read from the app's
own route table (so a new route is covered the day it is added), asked by every role about a record
of another unit (SQLite and PostgreSQL).

The R&D unit manager must get exactly the answer a record that does not exist gets (status and
words, the id aside) and change nothing; every other role must get the answer the same route gives
for a record of R&D, since to them both units' records are alike.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from hoshin.app import create_app
from support import csrf_of

SECRET = "k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe"
ROLES = ("unit_manager", "admin", "strategist", "contributor", "viewer")  # the manager first
# kind in the path -> (a record of another unit, one of R&D, an id nobody has)
RECORDS = {
    "goals": ("G-SALES", "G-RD", "G-GHOST"),
    "people": ("p-sales", "p01", "p-ghost"),
    "units": ("U-SALES", "U-RD", "U-GHOST"),
}
_NAMED = re.compile(r"^(?:/api/v1)?/(goals|people|units)/\{(\w+)\}")
# A valid body for each route that takes one, so the answer comes from the record, not the body.
JSON_BODIES = {
    ("PATCH", "/api/v1/goals/{key}"): {"text": "Changed by someone"},
    ("PATCH", "/api/v1/people/{key}"): {"name": "Changed by someone"},
    ("PATCH", "/api/v1/units/{key}"): {"name": "Changed by someone"},
    ("POST", "/api/v1/goals/{key}/checkins"): {"date": "2026-03-14", "value": 42.0},
}
FORM_BODIES = {("POST", "/goals/{key}"): {"text": "Changed by someone", "level": "2"}}


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every route whose path starts with a goal, person or unit id."""
    app = create_app("sqlite://", secret=SECRET)
    try:  # FastAPI 0.16x keeps included routers whole; this walks into them, prefixes included
        from fastapi.routing import iter_route_contexts

        routes = [(c.path, c.route) for c in iter_route_contexts(app.routes)]
    except ImportError:
        routes = [(getattr(r, "path", ""), r) for r in app.routes]
    found = {
        (method, path)
        for path, route in routes
        if isinstance(route, APIRoute) and _NAMED.match(path)
        for method in route.methods - {"HEAD"}
    }
    return sorted(found, key=lambda r: (r[1], r[0]))


ROUTES = _routes()


def test_the_route_table_is_read_whole() -> None:
    # Guards the generator itself: these must be among the routes it finds.
    assert {
        ("GET", "/api/v1/goals/{key}"),
        ("POST", "/api/v1/goals/{key}/checkins"),
        ("GET", "/api/v1/units/{key}/line-of-sight"),
        ("GET", "/people/{key}"),
        ("POST", "/goals/{key}"),
    } <= set(ROUTES)


@pytest.fixture
def sales_org(org: Any) -> Any:
    """The shared organisation plus a person in Sales."""
    org.store.upsert("people", org.id, [{"id": "p-sales", "name": "Sol", "unit_id": "U-SALES"}])
    return org


def _ask(client: Any, method: str, path: str, key: str) -> Any:
    url = path.replace("{key}", key)
    if not url.startswith("/api/"):
        if method == "GET":
            return client.get(url)
        form = {**FORM_BODIES[(method, path)], "csrf_token": csrf_of(client.get("/goals").text)}
        return client.request(method, url, data=form, follow_redirects=False)
    headers = {} if method == "GET" else {"X-CSRF-Token": csrf_of(client.get("/goals").text)}
    body = JSON_BODIES.get((method, path))
    if method in ("POST", "PATCH", "PUT"):
        assert body is not None, f"give {method} {path} a sample body in JSON_BODIES"
    return client.request(method, url, json=body, headers=headers, follow_redirects=False)


def _answer(response: Any, key: str) -> tuple[int, str]:
    """Status and text with the asked-for id blotted out (it is the one thing allowed to differ)."""
    return response.status_code, response.text.replace(key, "<id>")


def _snapshot(org: Any) -> Any:
    store = org.store
    return (
        store.rows("goals", org.id),
        store.rows("people", org.id),
        store.rows("units", org.id),
        store.checkins(org.id),
    )


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_record_of_another_unit(sales_org: Any, method: str, path: str) -> None:
    """Every role on one organisation (a sign-in costs a password hash): the unit manager first,
    who must change nothing, then the others, who see both units' records alike."""
    kind = _NAMED.match(path).group(1)  # type: ignore[union-attr]
    other, own, missing = RECORDS[kind]
    for role in ROLES:
        client = sales_org.client(role)
        if role == "unit_manager":
            before = _snapshot(sales_org)
            hidden = _ask(client, method, path, other)
            absent = _ask(client, method, path, missing)
            assert _answer(hidden, other) == _answer(absent, missing), (hidden.status_code, hidden.text[:300])
            assert hidden.status_code in (403, 404)  # 403 only where the role may not do this to any record
            assert _snapshot(sales_org) == before  # nothing of the other unit changed
        else:
            theirs = _ask(client, method, path, other).status_code
            ours = _ask(client, method, path, own).status_code
            assert theirs == ours, f"{role}: {theirs} for {other}, {ours} for {own}"
