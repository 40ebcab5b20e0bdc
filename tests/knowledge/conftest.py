"""Knowledge tests run on the demo organisation, on SQLite and on PostgreSQL, with the hashing
embedder (plumbing: the planted cases depend on stored skills and documents, not on meaning)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store
from knowledge.support import SECRET


@pytest.fixture(autouse=True)
def knowledge_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOSHIN_HOME", str(tmp_path / "home"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hoshin.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database_url: str) -> Iterator[Any]:
    """A store holding a fresh copy of the demo organisation."""
    repo = open_store(database_url)
    load_demo(repo, None, "tests", replace=True)
    yield repo
    repo.close()


@pytest.fixture
def aligner(store: Any) -> Any:
    return store_aligner(store, HashingEmbedder())


@pytest.fixture
def app(store: Any) -> Iterator[Any]:
    from hoshin.app import create_app

    app = create_app(store.url, secret=SECRET)
    yield app
    if getattr(app.state, "store", None) is not None:  # opened on first request; close its pool
        app.state.store.close()
