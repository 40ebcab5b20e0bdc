"""The acceptance examples, with the real packaged MiniLM model (marked `model`)."""

from __future__ import annotations

import pytest

from hoshin.embedding import Embedder
from hoshin.service.texts import analyze_missions, check_brand, check_principles

pytestmark = pytest.mark.model

MISSION = "To produce reliable refrigerators."


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    from hoshin.embedding.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def present(embedder: Embedder, text: str) -> dict[str, str]:
    (row,) = analyze_missions([{"id": "m", "text": text}], embedder)
    return {name: c["evidence"] for name, c in row["components"].items() if c["present"]}


def test_short_mission_components(embedder: Embedder) -> None:
    found = present(embedder, MISSION)
    assert "products" in found and "refrigerators" in found["products"]
    assert not set(found) & {"customers", "markets", "employees", "philosophy"}


def test_rich_mission_components(embedder: Embedder) -> None:
    text = (
        "We serve families across Europe with reliable, energy-saving refrigerators, "
        "built by skilled people who care for the planet."
    )
    found = present(embedder, text)
    assert {"customers", "markets", "products", "employees", "philosophy"} <= set(found)
    assert "families" in found["customers"] and "Europe" in found["markets"]


def test_generic_mission_is_not_called_specific(embedder: Embedder) -> None:
    (vague,) = analyze_missions([{"id": "v", "text": "We empower stakeholders to unlock value."}], embedder)
    (concrete,) = analyze_missions(
        [{"id": "c", "text": "We bake 3,000 loaves a day for schools and hospitals in Lyon."}], embedder
    )
    assert vague["specificity"] < 0.3 < 0.7 < concrete["specificity"]


def test_brand_examples(embedder: Embedder) -> None:
    texts = {
        "door": "Built to last: every door is tested 200,000 times before it leaves the factory.",
        "warranty": "Ten-year warranty on the compressor, because we trust it.",
        "cheap": "Cheap fridges, fast — who cares how long they last?",
        "mayo": "Our new range of spicy mayonnaise is here!",
    }
    rows = check_brand(MISSION, [{"id": k, "text": v} for k, v in texts.items()], embedder)
    tiers = {r["id"]: r["tier"] for r in rows}
    assert tiers["door"] == "core" and tiers["warranty"] == "core"
    assert tiers["cheap"] != "core" and tiers["mayo"] != "core"
    cheap = next(r for r in rows if r["id"] == "cheap")
    assert cheap["attributes"]["Reliability"]["contradicts"] == [texts["cheap"]]
    scores = {r["id"]: r["score"] for r in rows}
    assert min(scores["door"], scores["warranty"]) > max(scores["cheap"], scores["mayo"])


def test_a_complaint_counts_against_the_attribute_it_is_about(embedder: Embedder) -> None:
    mission = "We make reliable fridges that are made to last and to be repaired, and care for the planet."
    text = (
        "Compressor died after 14 months. The repair was free but the fridge hums much louder than "
        "before. Not what I expected for this price."
    )
    (row,) = check_brand(mission, [{"id": "r", "text": text}], embedder)
    assert all(a["supports"] == [] for a in row["attributes"].values())
    assert row["attributes"]["Reliability"]["contradicts"] == ["Compressor died after 14 months."]
    assert row["tier"] == "off"


def test_principle_examples(embedder: Embedder) -> None:
    texts = [
        {"id": "cut", "text": "Cut the compressor test time in half to ship sooner"},
        {"id": "add", "text": "Add a second pressure test for every compressor"},
        {"id": "menu", "text": "Redesign the staff canteen menu"},
    ]
    rows = check_principles(MISSION, [{"id": "p", "text": "We never trade safety for cost"}], texts, embedder)
    verdicts = {r["id"]: r["verdict"] for r in rows}
    assert verdicts == {"cut": "contradicts", "add": "supports", "menu": "unrelated"}
    assert rows[0]["evidence"] == texts[0]["text"]
