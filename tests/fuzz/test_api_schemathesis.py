"""Schemathesis over the whole OpenAPI of the REST API, as a signed-in admin.

Every operation the app publishes gets cases drawn from its own schema: valid requests, and
requests that break the schema on purpose (wrong types, missing fields, odd strings, NUL
characters). None may answer 5xx. The app runs in-process with the hashing embedder, over the
small CoolCo organisation, on SQLite and on PostgreSQL (a NUL that SQLite stores PostgreSQL
refuses); half the cases on a record route name a stored record. The run is seeded and bounded (a
dozen generated cases per operation beside schemathesis's own boundary cases, no shrinking), so
CI gets the same cases every time in a few minutes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from starlette.testclient import TestClient

from .conftest import ORG_FILE

SECRET = "Zq4w-8RkTn2yVb6HcLx0pJ3sGd7MfA1eWu5o"
# Starting jobs spawns threads that outlive a request; tests/jobs/test_jobs_api.py covers them.
SKIPPED = ["/api/v1/jobs/rescore", "/api/v1/jobs/import/{kind}"]
CASES_PER_OPERATION = 12


def _create_app(url: str) -> Any:
    from hoshin.app import create_app

    return create_app(url, secret=SECRET)


def _published_openapi() -> dict[str, Any]:
    """The OpenAPI the app publishes; it does not depend on data, so an app on an empty in-memory
    database gives it (with a throwaway data folder: collection runs before any fixture)."""
    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSHIN_HOME", home)
        return _create_app("sqlite://").openapi()


schema = schemathesis.openapi.from_dict(_published_openapi())
schema.config.generation.update(deterministic=True, allow_x00=True)


def _stored_ids() -> dict[str, list[str]]:
    """The ids of the CoolCo records by the API's collection name (the admin left out: a case
    that deletes or demotes the one admin would leave every later case unauthorised)."""
    data = json.loads(Path(ORG_FILE).read_text(encoding="utf-8"))
    ids = {
        kind.replace("_", "-"): [str(row["id"]) for row in rows if "id" in row]
        for kind, rows in data.items()
        if isinstance(rows, list)
    }
    ids["users"] = [row["username"] for row in data["users"] if row["role"] != "admin"]
    return {kind: values for kind, values in ids.items() if values}


STORED = _stored_ids()


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy:
    """Half the cases name a record the organisation holds, so changes reach stored rows too."""
    collection = context.operation.path.split("/")[3] if context.operation.path.count("/") > 3 else ""
    if not path_parameters or "key" not in path_parameters or collection not in STORED:
        return st.just(path_parameters)
    stored = st.sampled_from(STORED[collection]).map(lambda key: {**path_parameters, "key": key})
    return st.one_of(st.just(path_parameters), stored)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The app on a database holding the CoolCo organisation, and the admin's bearer header."""
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    patch = pytest.MonkeyPatch()
    patch.setenv("HOSHIN_EMBEDDER", "hashing")
    patch.setenv("HOSHIN_HOME", str(tmp_path_factory.mktemp("schemathesis-home")))
    patch.delenv("HOSHIN_JOB_QUEUE", raising=False)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 'api.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    with open_store(url) as repo:
        load_demo(repo, Path(ORG_FILE), actor="test")
    app = _create_app(url)
    token = TestClient(app).post("/api/v1/auth/token", json={"username": "admin", "password": "demo-admin"})
    assert token.status_code == 200, token.text
    try:
        yield app, {"Authorization": f"Bearer {token.json()['token']}"}
    finally:
        # The cases reach the app through schemathesis's in-process client, which started the
        # app's lifespan; end it here, so the store closes with this module, not at exit.
        asgi.shutdown_lifespans()
        if app.state.store is not None:
            app.state.store.close()
        patch.undo()


@schema.exclude(path=SKIPPED).parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx(case: Any, served: tuple[Any, dict[str, str]]) -> None:
    app, auth = served
    response = case.call(app=app, headers=auth)
    case.validate_response(response, checks=[not_a_server_error])
