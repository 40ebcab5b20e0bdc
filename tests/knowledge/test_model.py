"""Knowledge needs and skill mapping with the packaged model (meaning, not plumbing)."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.service import knowledge as svc
from hoshin.service.corridor import store_aligner
from knowledge.support import ORG

pytestmark = pytest.mark.model


@pytest.fixture
def model_aligner(store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "minilm")
    return store_aligner(store)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_refrigerant_work_needs_refrigerant_knowledge(store: Any, model_aligner: Any) -> None:
    rows = svc.propose_needs(store, ORG, model_aligner, limit=15)
    by_id = {r["id"]: r for r in rows}
    # Goals and accepted ideas about refrigerant circuits draw on the refrigerant area ...
    assert by_id["K-REFRIG"]["demand"]
    # ... and the catalogue's refrigeration know-how is proposed next to the organisation's own.
    proposed = {r["name"] for r in rows if not r["stored"]}
    assert any("Refrigeration" in name for name in proposed), proposed
    own = [r["id"] for r in rows if r["stored"]]
    assert own.index("K-THERMO") < own.index("K-BRAND")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_free_text_profiles_map_to_the_right_areas(store: Any, model_aligner: Any) -> None:
    rows = [
        (2, {"person": "p06", "skill": "charging R600a circuits", "level": "3"}),
        (
            3,
            {
                "person": "p07",
                "profile": "Sound measurements in anechoic rooms. Enjoys hiking.",
                "level": "2",
            },
        ),
    ]
    mapped = {p["skill_text"]: p["area_id"] for p in svc.map_skills(store, ORG, model_aligner, rows)}
    assert mapped == {
        "charging R600a circuits": "K-REFRIG",
        "Sound measurements in anechoic rooms": "K-ACOUST",
    }
