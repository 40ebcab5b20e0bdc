"""The real packaged model on cases written for these tests: the engine's verdicts must make sense."""

from __future__ import annotations

import pytest

from hoshin.service.alignment import Aligner
from hoshin.service.batch import rank_knowledge, triage

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def aligner() -> Aligner:
    return Aligner()


def _tiers(aligner: Aligner, mission: str, texts: list[str]) -> dict[str, str]:
    rows = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    return {r["text"]: r["tier"] for r in triage(aligner, mission, rows)}


def test_fridge_maker_corridor(aligner: Aligner) -> None:
    tiers = _tiers(
        aligner,
        "We make dependable fridges and freezers for households.",
        [
            "A refrigerant with lower global warming potential for our fridges",
            "Gasket material that keeps fridge doors airtight for a decade",
            "Thicker foam insulation in freezer walls",
            "A garlic mayonnaise for the summer menu",
            "Naming rights for a basketball arena",
            "Spin cycle noise reduction for laundry machines",
        ],
    )
    assert tiers["A refrigerant with lower global warming potential for our fridges"] == "core"
    assert tiers["Gasket material that keeps fridge doors airtight for a decade"] != "off"
    assert tiers["A garlic mayonnaise for the summer menu"] == "off"
    assert tiers["Naming rights for a basketball arena"] == "off"
    assert tiers["Spin cycle noise reduction for laundry machines"] != "core"


def test_security_vendor_corridor(aligner: Aligner) -> None:
    tiers = _tiers(
        aligner,
        "We keep home computers safe from viruses and intruders, simply and dependably.",
        [
            "Spotting ransomware by how it behaves before it encrypts files",
            "Blocking malicious downloads in the web browser",
            "A recipe book of Danish pastries",
            "Leasing office chairs",
        ],
    )
    assert tiers["Spotting ransomware by how it behaves before it encrypts files"] == "core"
    assert tiers["Blocking malicious downloads in the web browser"] == "core"
    assert tiers["A recipe book of Danish pastries"] == "off"
    assert tiers["Leasing office chairs"] == "off"


def test_knowledge_needed_by_a_security_vendor_comes_first(aligner: Aligner) -> None:
    needed = ["Malware reverse engineering", "Network protocols", "Applied cryptography"]
    not_needed = ["Livestock breeding", "Shipping law", "Pastry making"]
    rows = [{"id": n, "name": n, "description": ""} for n in needed + not_needed]
    ranked = [
        r["name"]
        for r in rank_knowledge(aligner, "We keep home computers safe from viruses and intruders.", rows)
    ]
    assert set(ranked[:3]) == set(needed)
