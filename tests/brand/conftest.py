"""Brand, principles and line-of-sight tests run over the demo organisation on SQLite with the
hashing embedder (plumbing, not meaning): `demo` is shared read-only by a module, `fresh_demo` is a
new copy for tests that save."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store

PASSWORDS = {
    "admin": "demo-admin",
    "strategist": "demo-strategist",
    "rd-manager": "demo-manager",
    "contributor": "demo-contributor",
    "viewer": "demo-viewer",
}


@dataclass
class Demo:
    store: Any
    org: str
    app: Any
    aligner: Any

    def client(self, user: str | None = None) -> TestClient:
        client = TestClient(self.app)
        if user is not None:
            token = csrf_of(client.get("/login").text)
            response = client.post(
                "/login",
                data={"username": user, "password": PASSWORDS[user], "csrf_token": token},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
            client.headers["X-CSRF-Token"] = csrf_of(client.get("/brand/check").text)
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def _demo(folder: Path) -> Demo:
    url = f"sqlite:///{folder / 'hoshin.sqlite3'}"
    store = open_store(url)
    load_demo(store, None, "tests")
    return Demo(store, store.default_organisation(), create_app(url), store_aligner(store, HashingEmbedder()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSHIN_EMBEDDER", "hashing")
        patch.setenv("HOSHIN_HOME", str(tmp_path_factory.mktemp("brand-home")))
        yield _demo(tmp_path_factory.mktemp("brand-demo"))


@pytest.fixture
def fresh_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Demo:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    return _demo(tmp_path)
