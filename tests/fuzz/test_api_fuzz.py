"""Property tests over every REST route in the OpenAPI spec, as a signed-in admin.

For each operation hypothesis draws path and query parameters and a body shaped by the route's
own schema (or plain junk), and checks the API never answers 5xx: bad input is a 4xx with a JSON
error, good input a 2xx. The app runs in-process on SQLite with the hashing embedder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .conftest import ORG_FILE
from .strategies import KNOWN_IDS, scalar

SECRET = "u8Hr-3MnYw0sQx5LoP9dZc4JtKe7GbV2fRa1"
# Starting jobs spawns threads that outlive a request; tests/jobs/test_jobs_api.py covers them.
SKIPPED = {("post", "/api/v1/jobs/rescore"), ("post", "/api/v1/jobs/import/{kind}")}


def _app(url: str) -> Any:
    from hoshin.app import create_app

    return create_app(url, secret=SECRET)


def _operations() -> list[tuple[str, str]]:
    app = _app("sqlite://")
    spec = app.openapi()
    return [
        (method, path)
        for path, ops in spec["paths"].items()
        for method in ops
        if (method, path) not in SKIPPED
    ]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    mp = pytest.MonkeyPatch()
    mp.setenv("HOSHIN_EMBEDDER", "hashing")
    mp.setenv("HOSHIN_HOME", str(tmp_path_factory.mktemp("api-fuzz-home")))
    mp.delenv("HOSHIN_JOB_QUEUE", raising=False)
    url = f"sqlite:///{tmp_path_factory.mktemp('api-fuzz') / 'api.sqlite3'}"
    with open_store(url) as repo:
        load_demo(repo, Path(ORG_FILE), actor="test")
    app = _app(url)
    with TestClient(app) as client:
        token = client.post("/api/v1/auth/token", json={"username": "admin", "password": "demo-admin"})
        client.headers["Authorization"] = f"Bearer {token.json()['token']}"
        yield client, app.openapi()
    mp.undo()


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def value_for(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly values of the schema's type (so requests get past validation), sometimes anything."""
    schema = _resolve(spec, schema)
    junk = st.one_of(scalar, st.lists(scalar, max_size=2))
    if depth > 3:
        return junk
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        shaped = st.one_of(*(value_for(spec, s, depth + 1) for s in options))
    elif "enum" in schema:
        shaped = st.sampled_from(schema["enum"])
    else:
        kind = schema.get("type")
        if kind == "string":
            shaped = st.one_of(st.text(max_size=40), st.sampled_from(KNOWN_IDS))
        elif kind == "integer":
            shaped = st.integers(min_value=-5, max_value=10**6)
        elif kind == "number":
            shaped = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
        elif kind == "boolean":
            shaped = st.booleans()
        elif kind == "null":
            shaped = st.none()
        elif kind == "array":
            shaped = st.lists(value_for(spec, schema.get("items", {}), depth + 1), max_size=3)
        elif kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            shaped = st.fixed_dictionaries(
                {k: value_for(spec, v, depth + 1) for k, v in props.items() if k in required},
                optional={k: value_for(spec, v, depth + 1) for k, v in props.items() if k not in required},
            )
        else:
            shaped = junk
    # Junk only at the top: nested junk would make nearly every body fail validation.
    return st.one_of(shaped, shaped, shaped, shaped, junk) if depth == 0 else shaped


@pytest.mark.parametrize(("method", "path"), _operations())
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_answers_5xx(
    api: tuple[TestClient, dict[str, Any]], method: str, path: str, data: Any
) -> None:
    client, spec = api
    operation = spec["paths"][path][method]
    url = path
    query: dict[str, Any] = {}
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path":
            value = data.draw(
                st.one_of(
                    st.sampled_from(KNOWN_IDS), st.text(st.characters(codec="ascii"), min_size=1, max_size=20)
                )
            )
            url = url.replace("{" + parameter["name"] + "}", _path_safe(str(value)))
        elif parameter["in"] == "query" and data.draw(st.booleans()):
            value = data.draw(value_for(spec, schema))
            if value is not None and not isinstance(value, (list, dict)):
                query[parameter["name"]] = value
    kwargs: dict[str, Any] = {"params": query}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = data.draw(value_for(spec, content["application/json"].get("schema", {})))
        kwargs["content"] = json.dumps(body, allow_nan=True)
        kwargs["headers"] = {"Content-Type": "application/json"}
    elif "multipart/form-data" in content:
        name = data.draw(st.sampled_from(["f.csv", "f.json", "f.xlsx", "f.txt", "f.jsonl"]))
        kwargs["files"] = {"file": (name, data.draw(st.binary(max_size=200)))}
    response = client.request(method.upper(), url, **kwargs)
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, (
        f"{method.upper()} {url} {kwargs}: {response.status_code} {response.text}"
    )
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        assert response.json(), "an error answer must say what went wrong"


def _path_safe(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="") or "x"
