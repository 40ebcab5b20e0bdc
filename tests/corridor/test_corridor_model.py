"""With the real model: the demo organisation's planted off-mission ideas land off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoshin.service.corridor import list_inbox, store_aligner
from hoshin.service.demo import demo_path, load_demo
from hoshin.service.verdict_reasons import open_store


def _planted_off_ideas() -> list[str]:
    text = (demo_path().parent / "PLANTED.md").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("- **off ideas**"))
    return re.findall(r"`([^`]+)`", line.split("—")[0])


@pytest.mark.model
def test_demo_off_ideas_mostly_land_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "minilm")
    with open_store(f"sqlite:///{tmp_path / 'demo.sqlite3'}") as repo:
        result = load_demo(repo, score=True, aligner=store_aligner(repo))
        rows = {r["id"]: r for r in list_inbox(repo, result.organisation_id)}
    assert all(r["tier"] is not None for r in rows.values())  # every idea got a verdict on arrival
    planted = _planted_off_ideas()
    assert len(planted) >= 10
    off = [i for i in planted if rows[i]["tier"] == "off"]
    assert len(off) >= 0.8 * len(planted), f"only {len(off)} of {len(planted)} planted off ideas are off"
    others_off = sum(1 for i, r in rows.items() if i not in planted and r["tier"] == "off")
    assert others_off < 0.5 * (len(rows) - len(planted))  # the engine does not call everything off
