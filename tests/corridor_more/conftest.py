"""Fixtures of the duplicates / override-calibration / views tests: the shared `org` (tests/api/support.py,
on SQLite and PostgreSQL) with the hashing embedder, whose cosines are word overlap: texts that share
most words are near twins, texts that share none are about orthogonal."""

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
