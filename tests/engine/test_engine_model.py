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


def test_knowledge_for_a_trade_ranks_its_craft_above_broad_humanities(aligner: Aligner) -> None:
    """A vehicle technician needs mechanics before psychology or theology: no breadth prior may lift
    broad subjects over the trade's own knowledge."""
    areas = {
        "Mechanical": "Machines and tools, their design, uses, repair and maintenance.",
        "Psychology": "Human behaviour and performance, individual differences in ability and personality.",
        "Philosophy and Theology": "Philosophical systems and religions, their principles and ethics.",
    }
    rows = [{"id": n, "name": n, "description": d} for n, d in areas.items()]
    mission = "Automotive service technicians diagnose, adjust, repair and overhaul cars and light trucks."
    ranked = rank_knowledge(aligner, mission, rows)
    assert ranked[0]["name"] == "Mechanical"


def test_knowledge_reasons_quote_no_word_the_whole_list_shares(aligner: Aligner) -> None:
    rows = [
        {"id": str(i), "name": n, "description": f"Knowledge of {d}, including its principles."}
        for i, (n, d) in enumerate(
            [
                ("Cryptography", "ciphers and keys"),
                ("Networks", "network protocols and routing"),
                ("Baking", "dough, ovens and pastry"),
                ("Law", "contracts and courts"),
                ("Malware", "viruses and their analysis"),
                ("Design", "interfaces and usability"),
                ("Farming", "crops and soil"),
                ("Shipping", "ports and vessels"),
                ("Finance", "markets and banking"),
                ("Physics", "forces and energy"),
            ]
        )
    ]
    mission = "We protect home computers from viruses, including knowledge of their principles."
    for row in rank_knowledge(aligner, mission, rows):
        for word in ("knowledge", "including", "principles"):
            assert f"'{word}'" not in row["why"], row["why"]
    assert "'viruses'" in next(
        r["why"] for r in rank_knowledge(aligner, mission, rows) if r["name"] == "Malware"
    )


def test_knowledge_of_what_the_product_is_made_of_outranks_what_it_stores(aligner: Aligner) -> None:
    """A fridge maker needs its motors' and seals' engineering before cooking, though fridges and
    food sit close in meaning."""
    needed = ["Electric motor and compressor design", "Rubber and polymer sealing materials"]
    not_needed = ["Cooking and recipe development", "Television journalism", "Stock trading"]
    rows = [{"id": n, "name": n, "description": ""} for n in needed + not_needed]
    ranked = [r["name"] for r in rank_knowledge(aligner, "To produce reliable refrigerators.", rows)]
    assert set(ranked[:2]) == set(needed)


def test_a_duty_named_in_one_sentence_of_a_role_description_is_not_drowned(aligner: Aligner) -> None:
    """A role description has one sentence per duty: the knowledge a later duty needs still ranks
    above areas the role never touches."""
    mission = (
        "Ship's cook: Ship's cooks plan menus and prepare meals for the crew on board. "
        "They also keep the galley's stores and order provisions when the vessel is in port."
    )
    needed = ["Food hygiene and safe cooking", "Stock control and purchasing of supplies"]
    not_needed = ["Radio astronomy", "Criminal law", "Orchestral music", "Petroleum geology"]
    rows = [{"id": n, "name": n, "description": ""} for n in needed + not_needed]
    ranked = [r["name"] for r in rank_knowledge(aligner, mission, rows)]
    assert set(ranked[:2]) == set(needed), ranked
