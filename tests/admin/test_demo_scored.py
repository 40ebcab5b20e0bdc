"""`hoshin demo` (and so `make run`) loads the demo fully scored: the dashboard has no records
waiting for "Score missing records", and its numbers are not zeros until someone presses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.service.dashboard import build_dashboard, missing_verdicts
from hoshin.service.verdict_reasons import open_store


@pytest.fixture(autouse=True)
def hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def test_the_demo_loads_with_every_record_scored(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert CliRunner().invoke(app, ["demo", "--db", db]).exit_code == 0
    store = open_store(db)
    try:
        assert missing_verdicts(store, "frostline") == {"goals": 0, "knowledge_areas": 0, "communications": 0}
        heatmap = build_dashboard(store, "frostline")["heatmap"]
        # People with knowledge per unit and theme come from the knowledge areas' verdicts.
        assert any(cell["knowledge"] for row in heatmap["rows"] for cell in row["cells"])
    finally:
        store.close()
