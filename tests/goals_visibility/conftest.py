"""Goal visibility tests: the shared `org` fixture of tests/api (units U-CO > U-RD > U-RD-LAB and
U-SALES; goals G-1 in U-CO, G-RD in U-RD, G-SALES in U-SALES; the unit manager manages U-RD) on
SQLite and PostgreSQL, plus one goal in the lab so the sub-unit rule is exercised too."""

from __future__ import annotations

from typing import Any

import pytest

from api.support import database_url, org  # noqa: F401  (fixtures shared with tests/api)


@pytest.fixture(autouse=True)
def hashing_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


@pytest.fixture
def lab_org(org: Any) -> Any:  # noqa: F811
    """`org` with G-LAB, a goal of the lab below R&D."""
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
