"""Part-of evidence: ideas naming a part the HS nomenclature ties to the mission's product are core."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from hoshin.domain.mission import build_mission_model
from hoshin.domain.part_of import (
    PartOfEntry,
    evidence_for,
    expansion,
    parse_entries,
    stored_removals,
    word_key,
)
from hoshin.service.alignment import shipped_part_of
from triage_background import GENERIC_ACTIVITIES

COMPRESSORS = PartOfEntry("8414.30", "compressors", "refrigerating equipment", ("freezers", "refrigerators"))
TYRES = PartOfEntry("4011.10", "new pneumatic tyres", "motor cars", ("cars",))
CASING = PartOfEntry("7304.24", "casing and tubing", "drilling for oil or gas", ("drilling",))


def tied(mission: str, *entries: PartOfEntry, focus: tuple[str, ...] = ()) -> list[str]:
    model = build_mission_model(mission, focus, ())
    return [e.entry.code for e in expansion(model, entries)]


def test_a_mission_naming_a_product_draws_in_the_parts_made_for_it() -> None:
    assert tied("To produce reliable refrigerators.", COMPRESSORS, TYRES) == ["8414.30"]
    assert tied("We make safe, affordable cars for families.", COMPRESSORS, TYRES) == ["4011.10"]
    assert tied("To make refrigerators that never let food spoil.", COMPRESSORS) == ["8414.30"]


def test_a_product_named_in_a_focus_area_counts_too() -> None:
    assert tied("To serve our customers well.", COMPRESSORS, focus=("chest freezers",)) == ["8414.30"]


@pytest.mark.parametrize(
    "mission",
    [
        "To create convenient and reliable protection of computer systems from external threats.",
        "Manufacture of basic metals",
        "To make the world a better place.",
        "",
    ],
)
def test_missions_without_a_listed_product_draw_in_nothing(mission: str) -> None:
    assert tied(mission, COMPRESSORS, TYRES, CASING) == []


def test_the_words_of_a_product_only_as_qualifier_do_not_tie() -> None:
    # "refrigerators" qualifies "logistics" here: the mission is about transport, not the product.
    assert tied("Refrigerators logistics for retailers.", COMPRESSORS) == []


def test_an_idea_naming_the_part_carries_its_entry() -> None:
    [evidence] = expansion(build_mission_model("To produce reliable refrigerators."), (COMPRESSORS,))
    assert evidence_for("Variable-speed brushless compressor motor", (evidence,)) is evidence
    assert evidence_for("Emulsifier that keeps mayonnaise stable", (evidence,)) is None
    assert evidence_for("anything at all", ()) is None
    reason = evidence.reason()
    assert "compressors" in reason and "refrigerating equipment" in reason and "HS 2022 8414.30" in reason


def test_each_head_noun_of_a_part_list_is_a_part() -> None:
    [evidence] = expansion(build_mission_model("Oil and gas drilling services."), (CASING,))
    assert evidence_for("Corrosion-proof tubing for deep wells", (evidence,)) is evidence
    assert evidence_for("Drilling rig crew scheduling", (evidence,)) is None


@pytest.mark.parametrize(("a", "b"), [("compressors", "compressor"), ("lorries", "lorry"), ("Tyres", "tyre")])
def test_plural_and_singular_read_alike(a: str, b: str) -> None:
    assert word_key(a) == word_key(b)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "entries",
        {"entries": "not a list"},
        {"entries": [1, None, "x"]},
        {"entries": [{"code": "1", "part": "compressors", "use": "x", "products": "refrigerators"}]},
        {"entries": [{"code": "1", "part": "", "use": "x", "products": ["refrigerators"]}]},
        {"entries": [{"code": 1, "part": "compressors", "use": "x", "products": ["refrigerators"]}]},
        {"entries": [{"code": "1", "part": "compressors", "use": "x", "products": [""]}]},
    ],
)
def test_malformed_data_gives_no_entries(raw: Any) -> None:
    assert parse_entries(raw) == ()


def test_good_entries_survive_beside_bad_ones() -> None:
    good = {
        "code": "8414.30",
        "part": "compressors",
        "use": "refrigerating equipment",
        "products": ["refrigerators"],
    }
    assert [e.code for e in parse_entries({"entries": [good, {"code": 2}, "junk"]})] == ["8414.30"]


def test_the_shipped_extract_is_small_sourced_and_readable() -> None:
    from importlib import resources

    raw = json.loads(resources.files("hoshin.data").joinpath("part_of.json").read_text("utf-8"))
    assert "HS 2022" in raw["version"] and "PDDL" in raw["licence"]
    entries = [e for e in shipped_part_of() if e.source == "HS 2022"]
    assert 0 < len(entries) == len(raw["entries"]) < 200
    assert "8414.30" in {e.code for e in entries}


# ---------------------------------------------------------------- in triage (hashing embedder)

BACKGROUND = GENERIC_ACTIVITIES
IDEAS = [
    "Variable-speed brushless compressor motor",
    "Emulsifier that keeps mayonnaise stable",
    "Door seals for reliable refrigerators",
    "Loyalty card app for a coffee chain",
]


def triaged(
    mission: str, part_of: tuple[PartOfEntry, ...] | None, exclusions: tuple[str, ...] = ()
) -> dict[str, dict[str, Any]]:
    from hoshin.domain.calibration import Thresholds
    from hoshin.embedding import HashingEmbedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    aligner = Aligner(
        HashingEmbedder(),
        thresholds=Thresholds(core=3.0, adjacent=1.5),
        background=BACKGROUND,
        part_of=part_of,
    )
    rows = [{"id": str(n), "text": t} for n, t in enumerate(IDEAS)]
    return {r["text"]: r for r in triage(aligner, mission, rows, exclusions=exclusions)}


def test_triage_lifts_a_named_part_to_core_and_cites_the_entry() -> None:
    without = triaged("To produce reliable refrigerators.", ())
    assert without[IDEAS[0]]["tier"] != "core"  # the words alone do not get it there
    out = triaged("To produce reliable refrigerators.", (COMPRESSORS,))
    lifted = out[IDEAS[0]]
    assert lifted["tier"] == "core" and lifted["score"] >= 0.7
    assert "HS 2022 8414.30" in lifted["why"] and "compressors" in lifted["why"]
    # Nothing else moves: the other ideas keep their scores, tiers and reasons.
    for text in IDEAS[1:]:
        assert {k: out[text][k] for k in ("score", "tier", "why")} == {
            k: without[text][k] for k in ("score", "tier", "why")
        }


def test_triage_leaves_a_mission_without_the_product_alone() -> None:
    mission = "To create convenient and reliable protection of computer systems from external threats."
    assert triaged(mission, (COMPRESSORS,)) == triaged(mission, ())


def test_an_exclusion_still_rules_a_part_out() -> None:
    out = triaged(
        "To produce reliable refrigerators.", (COMPRESSORS,), exclusions=("brushless compressor motor",)
    )
    assert out[IDEAS[0]]["tier"] == "off" and "exclusion" in out[IDEAS[0]]["why"]


def test_an_entry_a_strategist_removed_draws_in_nothing_but_stays_listable() -> None:
    model = build_mission_model("To produce reliable refrigerators.")
    removed = replace(model, removed_parts=frozenset({"8414.30"}))
    assert expansion(removed, (COMPRESSORS,)) == ()
    assert [e.entry.code for e in expansion(removed, (COMPRESSORS,), with_removed=True)] == ["8414.30"]


def test_stored_removals_skip_what_is_malformed_and_keep_each_code_once() -> None:
    raw = [
        {"code": "8414.30", "removed_by": "ada", "removed_at": "2026-12-01"},
        {"code": "8414.30", "removed_by": "ben"},
        {"code": ""},
        {"removed_by": "ada"},
        "8414.30",
        {"code": "4011.10", "removed_by": 7},
    ]
    assert stored_removals(raw) == [
        {"code": "8414.30", "removed_by": "ada", "removed_at": "2026-12-01"},
        {"code": "4011.10", "removed_by": "", "removed_at": ""},
    ]
    assert stored_removals(None) == [] and stored_removals({"code": "8414.30"}) == []
