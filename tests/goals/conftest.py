"""Goal cascade tests: SQLite and PostgreSQL through the shared `org` fixture (tests/api/support.py:
units U-CO > U-RD > U-RD-LAB and U-SALES, goals G-1 > G-RD and G-SALES, one user per role, the
unit manager and contributor in U-RD), with the hashing embedder: plumbing, not meaning."""

from __future__ import annotations

from typing import Any

import pytest

from api.support import database_url, org  # noqa: F401  (fixtures shared with tests/api)
from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner


@pytest.fixture(autouse=True)
def hashing_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


@pytest.fixture
def aligner(org: Any) -> Any:  # noqa: F811
    return store_aligner(org.store, HashingEmbedder())
