"""Grounding beyond HS 2022: WordNet 3.0 parts and housings, CAPEC attack patterns (issue 20 item 1).

An idea naming a part WordNet ties to the product the mission names, a housing of that product
("for the outer case"), or an attack pattern a computer-protection mission is against is core, with
a reason citing the source; an unrelated product's part is not; a removed entry lifts nothing.
"""

from __future__ import annotations

from dataclasses import replace

from hoshin.domain.mission import build_mission_model
from hoshin.domain.part_of import (
    PartEvidence,
    PartOfEntry,
    Relation,
    evidence_for,
    expansion,
    parse_grounding,
)
from hoshin.service.alignment import shipped_part_of

FRIDGE = "To produce reliable refrigerators."
SECURITY = "To create convenient and reliable protection of computer systems from external threats."


def tied(mission: str, entries: tuple[PartOfEntry, ...] | None = None) -> tuple[PartEvidence, ...]:
    return expansion(build_mission_model(mission), entries if entries is not None else shipped_part_of())


def why(mission: str, idea: str) -> str | None:
    evidence = evidence_for(idea, tied(mission))
    return evidence.reason() if evidence else None


def test_a_housing_of_the_missions_product_is_core_with_a_wordnet_reason() -> None:
    reason = why(FRIDGE, "Corrosion-resistant steel for the outer case")
    assert reason is not None and reason.startswith("Core: ")
    assert "WordNet 3.0 WN30-04190747" in reason and "refrigerators" in reason


def test_a_wordnet_part_meronym_is_core() -> None:
    reason = why(FRIDGE, "A drip pan that cannot overflow")
    assert reason is not None and "drip pan is part of a refrigerator (WordNet 3.0" in reason


def test_other_senses_and_other_products_are_not_lifted() -> None:
    for idea in (
        "Making the business case for a new plant",  # "case" not as the product's housing
        "Steel case for washing machines",  # no determiner: another product's case
        "Corrosion-resistant steel for the outer case of a dishwasher",  # whose case it says
        "Quieter drum bearings for washing machines",
        "Dishwasher water softener module",
        "Phishing link warnings inside the mail client",  # a refrigerator maker protects nothing
    ):
        assert why(FRIDGE, idea) is None, idea


def test_a_product_wordnet_does_not_house_draws_in_no_housing() -> None:
    # Paints are no device, machine, appliance or equipment: no case of theirs is a part.
    relations = {e.entry.relation for e in tied("To produce durable paints.")}
    assert Relation.HOUSING not in relations
    assert why("To produce durable paints.", "Corrosion-resistant steel for the outer case") is None


def test_an_attack_pattern_is_core_for_a_computer_protection_mission() -> None:
    reason = why(SECURITY, "Phishing link warnings inside the mail client")
    assert reason is not None and "CAPEC 3.9 CAPEC-98" in reason
    assert why(SECURITY, "Early warning of a computer worm") is not None  # WordNet's malevolent programs
    for idea in ("Password manager for small offices", "Training course on secure coding for partners"):
        assert why(SECURITY, idea) is None, idea


def test_protection_of_something_else_draws_in_no_attack_patterns() -> None:
    # The patterns tie only where the protection is of computers, networks or software.
    assert not [
        e
        for e in tied("To offer reliable protection of forests from fire.")
        if e.entry.relation == Relation.THREAT
    ]


def test_a_removed_entry_lifts_nothing_and_stays_listable() -> None:
    model = replace(build_mission_model(FRIDGE), removed_parts=frozenset({"WN30-04190747"}))
    entries = shipped_part_of()
    assert evidence_for("Corrosion-resistant steel for the outer case", expansion(model, entries)) is None
    listed = {e.entry.code for e in expansion(model, entries, with_removed=True)}
    assert "WN30-04190747" in listed


def test_parse_grounding_skips_what_is_malformed() -> None:
    raw = {
        "cite": "WordNet 3.0",
        "housed": ["refrigerator"],
        "entries": [
            {
                "code": "WN30-1",
                "part": "case",
                "use": "a housing",
                "products": ["@housed"],
                "relation": "housing",
            },
            {"code": "WN30-2", "part": "lid", "use": "pot", "products": [3]},
            {"part": "no code", "use": "x", "products": ["y"]},
            "junk",
        ],
    }
    entries = parse_grounding(raw)
    assert [(e.code, e.products, e.source) for e in entries] == [("WN30-1", ("refrigerator",), "WordNet 3.0")]
    assert parse_grounding({"entries": "nope"}) == () and parse_grounding(None) == ()


def test_the_shipped_grounding_is_sourced_and_licensed() -> None:
    import json
    from importlib import resources

    for name, licence in (
        ("part_of_wordnet.json", "WordNet 3.0 licence"),
        ("threats_capec.json", "CAPEC terms"),
    ):
        raw = json.loads(resources.files("hoshin.data").joinpath(name).read_text("utf-8"))
        assert licence in raw["licence"] and raw["version"] and len(raw["entries"]) > 100
    sources = {e.source for e in shipped_part_of()}
    assert {"HS 2022", "WordNet 3.0", "CAPEC 3.9"} <= sources


def test_triage_lifts_the_outer_case_and_phishing_with_their_sources_and_nothing_else() -> None:
    from hoshin.domain.calibration import Thresholds
    from hoshin.embedding import HashingEmbedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    background = ["Baking bread for local cafes", "Repairing bicycle gears", "Brewing craft beer"] * 4
    aligner = Aligner(HashingEmbedder(), thresholds=Thresholds(core=3.0, adjacent=1.5), background=background)
    ideas = [
        "Corrosion-resistant steel for the outer case",
        "Quieter drum bearings for washing machines",
        "Phishing link warnings inside the mail client",
        "A new mayonnaise flavour with smoked paprika",
    ]
    rows = [{"id": str(n), "text": t} for n, t in enumerate(ideas)]
    fridge = {r["text"]: r for r in triage(aligner, FRIDGE, rows)}
    assert fridge[ideas[0]]["tier"] == "core" and "WordNet 3.0 WN30-04190747" in fridge[ideas[0]]["why"]
    assert all("WordNet" not in fridge[t]["why"] and "CAPEC" not in fridge[t]["why"] for t in ideas[1:])
    security = {r["text"]: r for r in triage(aligner, SECURITY, rows)}
    assert security[ideas[2]]["tier"] == "core" and "CAPEC-98" in security[ideas[2]]["why"]
    assert all("CAPEC" not in security[t]["why"] and "WordNet" not in security[t]["why"] for t in ideas[:2])
