"""With the real model, the demo's strategy map spreads the company objectives over the themes
they stand out for, instead of hanging all five under the product theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.service.alignment import Aligner
from hoshin.service.goals import strategy_view
from hoshin.service.verdict_reasons import open_store


@pytest.mark.model
def test_the_demo_objectives_are_spread_over_the_themes_they_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "minilm")  # this folder runs on the hashing backend
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert CliRunner().invoke(app, ["demo", "--db", db]).exit_code == 0
    store = open_store(db)
    try:
        view = strategy_view(store, "frostline", Aligner())
    finally:
        store.close()
    lanes = {o["text"]: t["name"] for t in view["themes"] for o in t["objectives"]}
    assert len(lanes) == 5
    assert len(set(lanes.values())) >= 3
    repair = next(text for text in lanes if "repairable" in text)
    assert "repaired" in lanes[repair]
    europe = next(text for text in lanes if "Northern Europe" in text)
    assert "Europe" in lanes[europe]
