"""Fixtures of the fuzz tests: a small stored organisation, and the fast hashing embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ORG_FILE = Path(__file__).parents[1] / "store" / "fixtures" / "organisation.json"


@pytest.fixture(autouse=True)
def fast_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fuzzing is about plumbing; the hashing embedder is deterministic and needs no model.
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


@pytest.fixture
def loaded_store(tmp_path: Path) -> Iterator[Any]:
    """A SQLite store holding the small CoolCo organisation (units, people, goals, ideas, users ...)."""
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    store = open_store(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}")
    load_demo(store, ORG_FILE, actor="test")
    yield store
    store.close()


def snapshot(repo: Any, org_id: str = "coolco") -> dict[str, Any]:
    """Everything the organisation holds, minus the backup's own time stamp."""
    from hoshin.service.backup import backup_data

    data = backup_data(repo, org_id)
    data.pop("created_at")
    return data
