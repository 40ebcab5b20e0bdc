"""Corridor tests run on SQLite and PostgreSQL with the hashing embedder (plumbing, not meaning),
except those marked `model`. The `org` fixture (tests/api/support.py) holds two ideas, units
U-CO > U-RD > U-RD-LAB and U-SALES, one user per role and a mission without stored themes."""

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
    """A fresh engine whose vectors are cached in the org's store; `aligner.embedder.misses` counts
    texts it had to embed."""
    return store_aligner(org.store, HashingEmbedder())
