"""Goal cascade tests: SQLite and PostgreSQL through the shared `org` fixture (tests/support.py:
units U-CO > U-RD > U-RD-LAB and U-SALES, goals G-1 > G-RD and G-SALES, one user per role, the
unit manager and contributor in U-RD), with the hashing embedder: plumbing, not meaning."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner


@pytest.fixture
def aligner(org: Any) -> Any:
    return store_aligner(org.store, HashingEmbedder())


@pytest.fixture
def lab_org(org: Any) -> Any:
    """`org` with G-LAB, a goal of the lab below R&D, so the sub-unit rule of sight is exercised."""
    org.store.upsert(
        "goals",
        org.id,
        [
            {
                "id": "G-LAB",
                "text": "Run a freezer endurance rig",
                "unit_id": "U-RD-LAB",
                "level": 3,
                "parent_ids": ["G-RD"],
            }
        ],
    )
    return org
