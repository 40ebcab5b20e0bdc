"""Sibling products: an idea about another kind of the product the mission names is adjacent at most.

"Wall clocks" reads closer to "accurate wristwatches" than the watch's own parts do; WordNet 3.0
files clocks and wristwatches under {timepiece}, so for a watchmaker wall clocks are held below
core, with a reason citing the group. The product itself, a word the mission uses, and a part the
mission draws in are never capped; a mission naming no product is left alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hoshin.domain.calibration import Thresholds
from hoshin.domain.mission import build_mission_model
from hoshin.domain.part_of import PartOfEntry, expansion
from hoshin.domain.siblings import (
    SiblingReading,
    cap_siblings,
    mission_siblings,
    parse_siblings,
    sibling_named,
)
from hoshin.service.alignment import shipped_part_of, shipped_siblings
from triage_background import GENERIC_ACTIVITIES

WATCHES = "We manufacture accurate wristwatches that last a lifetime."
THRESHOLDS = Thresholds(core=3.4, adjacent=2.2)


def reading(mission: str, parts: tuple[PartOfEntry, ...] | None = None) -> SiblingReading:
    model = build_mission_model(mission)
    tied = expansion(model, parts if parts is not None else shipped_part_of())
    return mission_siblings(model, shipped_siblings(), tied)


def why(mission: str, idea: str, parts: tuple[PartOfEntry, ...] | None = None) -> str | None:
    """The reason `idea` is capped with when it scores core, or None when it stays core."""
    tied = expansion(build_mission_model(mission), parts if parts is not None else shipped_part_of())
    _, capped = cap_siblings([idea], np.array([5.0]), reading(mission, parts), tied, THRESHOLDS)
    return capped.get(0)


def test_a_sibling_product_is_capped_with_a_reason_citing_wordnet() -> None:
    reason = why(WATCHES, "Wall clocks")
    assert reason == (
        "Adjacent at most: wall clocks are another kind of timepiece than the wristwatches the "
        "mission names (WordNet 3.0 WN30-04437953)."
    )


@pytest.mark.parametrize(
    ("mission", "idea", "group"),
    [
        ("We build comfortable, long-lasting sofas.", "Matching armchairs and footstools", "seat"),
        ("We grow and roast specialty coffee for cafes.", "Tea blends for the same cafes", "beverage"),
        ("To produce reliable refrigerators.", "Washing machines", "home appliance"),
    ],
)
def test_siblings_across_kinds_of_product(mission: str, idea: str, group: str) -> None:
    reason = why(mission, idea)
    assert reason is not None and f"another kind of {group} than" in reason


def test_the_capped_idea_sits_just_below_core_and_nothing_else_moves() -> None:
    texts = ["Wall clocks", "Sapphire crystal for the watch face", "Wall clocks"]
    z = np.array([5.0, 4.0, 3.0])
    tied = expansion(build_mission_model(WATCHES), shipped_part_of())
    out, capped = cap_siblings(texts, z, reading(WATCHES), tied, THRESHOLDS)
    assert set(capped) == {0}  # the third is adjacent already: no reason to give
    assert THRESHOLDS.adjacent < out[0] < THRESHOLDS.core
    assert list(out[1:]) == [4.0, 3.0] and list(z) == [5.0, 4.0, 3.0]  # the input is left alone


def test_the_product_itself_and_words_the_mission_uses_are_not_siblings() -> None:
    for idea in (
        "A quieter wristwatch",
        "Wristwatches for divers",
        "Wall clocks in the style of our wristwatches",  # it names the product
        "Sapphire crystal for the watch face",
    ):
        assert why(WATCHES, idea) is None, idea
    # "Fiber, Yarn, and Thread Mills" is headed by yarn but makes thread as well.
    assert why("Fiber, Yarn, and Thread Mills", "Sewing threads") is None


def test_a_sibling_said_as_the_products_own_is_not_capped() -> None:
    # WordNet files an ice maker as an appliance, but "the ice maker" is the refrigerator's own.
    fridges = "To produce reliable refrigerators."
    assert why(fridges, "Redesign the ice maker to keep food fresh longer") is None
    assert why(fridges, "An ice maker for bars") == (
        "Adjacent at most: ice maker is another kind of home appliance than the refrigerators the "
        "mission names (WordNet 3.0 WN30-03528263)."
    )


def test_a_part_the_mission_draws_in_wins_over_a_sibling() -> None:
    # An entry (made up for the test) saying wall clocks are part of wristwatches: not a sibling.
    clocks = PartOfEntry("T-1", "wall clocks", "watches", ("wristwatches",))
    assert "wall clock" not in reading(WATCHES, (clocks,)).siblings
    assert why(WATCHES, "Wall clocks", (clocks,)) is None
    # An idea about a sibling that names a tied part is about the part.
    springs = PartOfEntry("T-2", "springs", "watches", ("wristwatches",))
    assert why(WATCHES, "Wall clocks", (springs,)) is not None
    assert why(WATCHES, "Wall clocks with springs that last a week", (springs,)) is None


def test_each_word_is_read_in_its_most_frequent_sense() -> None:
    kettles = reading("We make reliable electric kettles.").siblings
    assert "saucepan" in kettles  # a kettle is a pot
    assert "drum" not in kettles and "timpani" not in kettles  # not a kettledrum
    # "glass" is first a material, not a drinking glass: no sibling of cutlery.
    assert sibling_named("Magnifying glasses", reading("We make fine cutlery and flatware.")) is None


@pytest.mark.parametrize(
    "mission",
    [
        "To create convenient and reliable protection of computer systems from external threats.",
        "Manufacture of basic metals",
        "We make rugged smartphones for construction workers.",  # WordNet 3.0 has no smartphone
    ],
)
def test_a_mission_naming_no_product_wordnet_knows_caps_nothing(mission: str) -> None:
    assert not reading(mission).siblings
    assert why(mission, "Wall clocks") is None


@pytest.mark.parametrize(
    "raw",
    [None, [], {"groups": "x"}, {"groups": [1, {"code": "A"}, {"code": "B", "names": [], "kinds": "a|b"}]}],
)
def test_malformed_data_gives_no_groups(raw: Any) -> None:
    assert parse_siblings(raw) is None


def test_good_groups_survive_beside_bad_ones() -> None:
    raw = {"groups": [{"code": 5}, {"code": "WN30-1", "names": ["seat"], "kinds": "chair|sofa|bench*"}]}
    groups = parse_siblings(raw)
    assert groups is not None and groups.codes == ("WN30-1",)
    # A starred kind belongs there only in a rarer sense: no product is read that way.
    assert groups.kinds[0] == frozenset({"chair", "sofa"}) and "bench" in groups.by_kind


def test_the_shipped_groups_are_sourced_and_listed_per_mission() -> None:
    listed = reading(WATCHES).listed()
    assert listed and all(row["source"] == "WordNet 3.0" for row in listed)
    timepieces = next(row for row in listed if row["group"] == "timepiece")
    assert "wall clock" in timepieces["kinds"] and timepieces["product"] == "wristwatches"


# ---------------------------------------------------------------- in triage (hashing embedder)

BACKGROUND = GENERIC_ACTIVITIES
FRIDGES = "We make reliable quiet refrigerators for families."
IDEAS = [
    "Reliable quiet dishwashers for families",
    "Reliable quiet refrigerators for small families",
    "Emulsifier that keeps mayonnaise stable",
]


def triaged(siblings: bool) -> dict[str, dict[str, Any]]:
    from hoshin.embedding import HashingEmbedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    aligner = Aligner(HashingEmbedder(), thresholds=THRESHOLDS, background=BACKGROUND, siblings=siblings)
    rows = [{"id": str(n), "text": t} for n, t in enumerate(IDEAS)]
    return {r["text"]: r for r in triage(aligner, FRIDGES, rows)}


def test_triage_caps_a_sibling_and_leaves_the_rest() -> None:
    without, out = triaged(False), triaged(True)
    assert without[IDEAS[0]]["tier"] == "core"  # the shared words alone put it there
    capped = out[IDEAS[0]]
    assert capped["tier"] == "adjacent" and capped["why"].startswith("Adjacent at most: dishwashers")
    assert "WordNet 3.0" in capped["why"]
    for text in IDEAS[1:]:
        assert {k: out[text][k] for k in ("score", "tier", "why")} == {
            k: without[text][k] for k in ("score", "tier", "why")
        }
