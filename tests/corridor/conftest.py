"""Corridor tests run on SQLite and PostgreSQL with the hashing embedder (plumbing, not meaning),
except those marked `model`. The `org` fixture (tests/support.py) holds two ideas, units
U-CO > U-RD > U-RD-LAB and U-SALES, one user per role and a mission without stored themes. With
the hashing embedder cosine is word overlap: texts that share most words are near twins, texts
that share none are about orthogonal."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner


@pytest.fixture
def aligner(org: Any) -> Any:
    """A fresh engine whose vectors are cached in the org's store; `aligner.embedder.misses` counts
    texts it had to embed."""
    return store_aligner(org.store, HashingEmbedder())
