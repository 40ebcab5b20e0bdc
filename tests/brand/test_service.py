"""Brand, principles and line of sight as service functions over the demo organisation."""

from __future__ import annotations

import pytest

from hoshin.domain.brand import ATTRIBUTES, BrandAttribute, lexicon_of
from hoshin.errors import InputError, NotFoundError
from hoshin.service import brand
from hoshin.service.line_of_sight import person_view, unit_view

CHEAP_AD = "Cheap fridges, fast! Grab one at rock-bottom prices; who cares how long it lasts."


def test_renamed_attributes_read_texts_with_the_right_lexicon() -> None:
    assert (
        lexicon_of(BrandAttribute("Care for the planet", "care for the planet"))
        is ATTRIBUTES["Sustainability"]
    )
    assert lexicon_of(BrandAttribute("Craftsmanship", "pride in their craft")) is ATTRIBUTES["Quality"]
    assert (
        lexicon_of(BrandAttribute("Energy thrift", "as little electricity")) is ATTRIBUTES["Sustainability"]
    )
    own = lexicon_of(BrandAttribute("Zorbly", "zorbly gadgets"))
    assert own.opposes == [] and any(c.phrase == "zorbly" for c in own.supports)


def test_stored_attributes_keep_their_mission_phrase(demo) -> None:
    attributes = brand.brand_attributes(demo.store, demo.org)
    names = [a["name"] for a in attributes]
    assert "Reliability" in names and "Care for the planet" in names
    mission = demo.store.mission(demo.org)["text"]
    assert all(a["source_phrase"] in mission and not a["derived"] for a in attributes)


def test_a_text_promising_the_opposite_is_flagged_not_just_scored_low(demo) -> None:
    result = brand.check_text(demo.store, demo.org, CHEAP_AD, demo.aligner)
    assert result["tier"] == "off"
    flagged = {c["attribute"] for c in result["contradictions"]}
    assert "Reliability" in flagged
    assert "Cheap fridges, fast!" in result["attributes"]["Reliability"]["contradicts"]


def test_a_text_in_line_with_the_brand_is_not_flagged(demo) -> None:
    text = "Our fridges are built to last for decades, and every spare part stays available for repair."
    result = brand.check_text(demo.store, demo.org, text, demo.aligner)
    assert result["contradictions"] == []
    assert result["attributes"]["Reliability"]["supports"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 1_000_001, "at most"), (b"bytes", "must be text")],
)
def test_bad_texts_are_refused_with_a_clear_message(demo, text, message) -> None:
    with pytest.raises(InputError, match=message):
        brand.check_text(demo.store, demo.org, text, demo.aligner)


def test_an_unknown_attribute_names_the_known_ones(demo) -> None:
    with pytest.raises(InputError, match="unknown brand attribute 'Glamour'.*Reliability"):
        brand.check_text(demo.store, demo.org, CHEAP_AD, demo.aligner, only=["Glamour"])
    only = brand.check_text(demo.store, demo.org, CHEAP_AD, demo.aligner, only=["reliability"])
    assert list(only["attributes"]) == ["Reliability"]


def test_edited_attributes_are_a_new_mission_version(fresh_demo) -> None:
    d = fresh_demo
    before = d.store.mission(d.org)["version"]
    saved = brand.save_brand_attributes(
        d.store, d.org, [{"name": "Reliability", "source_phrase": "made to last"}], "tests", d.aligner
    )
    assert saved["version"] == before + 1
    assert brand.brand_attributes(d.store, d.org) == [
        {"name": "Reliability", "source_phrase": "made to last", "derived": False}
    ]
    assert d.store.mission(d.org, before)["brand_attributes"][0]["source_phrase"] != "made to last"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"name": "Reliability", "source_phrase": "cheap and cheerful"}], "not a phrase of the mission"),
        ([{"name": "", "source_phrase": "made to last"}], "name is empty"),
        ([{"name": "Reliability", "source_phrase": ""}], "mission phrase"),
        (
            [{"name": "A", "source_phrase": "made to last"}, {"name": "a", "source_phrase": "to last"}],
            "twice",
        ),
        (["Reliability"], "object"),
    ],
)
def test_bad_attribute_edits_are_refused_and_nothing_is_saved(fresh_demo, items, message) -> None:
    d = fresh_demo
    before = d.store.mission(d.org)["version"]
    with pytest.raises(InputError, match=message):
        brand.save_brand_attributes(d.store, d.org, items, "tests", d.aligner)
    assert d.store.mission(d.org)["version"] == before


def test_principles_are_versioned_with_rationale_and_owner(fresh_demo) -> None:
    d = fresh_demo
    items = [{"id": "P1", "text": "We never sell customer data.", "rationale": "Trust.", "owner": "p02"}]
    brand.save_principles(d.store, d.org, items, "tests", d.aligner)
    stated = brand.principles(d.store, d.org)
    assert [(p["id"], p["owner"], p["owner_name"]) for p in stated] == [("P1", "p02", "Elena Marković")]
    with pytest.raises(InputError, match="owner 'nobody' is not a person"):
        brand.save_principles(d.store, d.org, [{**items[0], "owner": "nobody"}], "tests", d.aligner)
    with pytest.raises(InputError, match="text is empty"):
        brand.save_principles(d.store, d.org, [{"id": "P9", "text": " "}], "tests", d.aligner)


def test_planted_contradicting_communication_is_flagged_with_principle_and_sentence(demo) -> None:
    flags = brand.all_principle_flags(demo.store, demo.org, demo.aligner)
    m16 = [f for f in flags if f["kind"] == "communications" and f["id"] == "M16"]
    assert any(f["principle"] == "P4" for f in m16), m16
    assert all("cut" in f["sentence"] and f["why"] for f in m16)
    honest = [f for f in flags if f["id"] in ("M01", "M05", "M09")]
    assert honest == []


def test_image_gap_measures_outside_voices_by_month_with_quotes(demo) -> None:
    gap = brand.image_gap(demo.store, demo.org, demo.aligner)
    outside = {c["id"]: c for c in demo.store.rows("communications", demo.org) if c["voice"] == "outside"}
    assert gap["months"] == sorted({c["date"][:7] for c in outside.values()})
    reliability = next(a for a in gap["attributes"] if a["name"] == "Reliability")
    assert reliability["mentions"] > 0 and 0 <= reliability["image"] <= 1
    quoted = {q["id"] for q in reliability["quotes"]["supports"] + reliability["quotes"]["contradicts"]}
    assert quoted and quoted <= set(outside)
    assert "M23" in {q["id"] for q in reliability["quotes"]["contradicts"]}
    assert len(gap["by_month"]["Reliability"]) == len(gap["months"])


def test_image_gap_counts_a_complaint_against_the_brand_not_for_it(demo) -> None:
    """The 1-star review M21 ("Compressor died after 14 months. The repair was free but the fridge
    hums much louder than before.") supports no attribute; before, its 'repair' counted for two.
    (That its first sentence speaks against Reliability takes the model: test_acceptance_model.)"""
    gap = {a["name"]: a for a in brand.image_gap(demo.store, demo.org, demo.aligner)["attributes"]}
    assert gap
    for name, row in gap.items():
        assert "M21" not in {q["id"] for q in row["quotes"]["supports"]}, name


def test_person_goals_lead_up_to_company_objectives(demo) -> None:
    goals = demo.store.rows("goals", demo.org)
    owner = next(g["owner_id"] for g in goals if g["level"] == 3 and g["owner_id"])
    view = person_view(demo.store, demo.org, owner, demo.aligner)
    deep = next(line for line in view["goals"] if line["goal"]["level"] == 3)
    assert [g["level"] for g in deep["chain"]][-1] == 1 and deep["reaches_objective"]
    assert view["units"][0]["id"] == "U-CO"
    assert all(s["theme"] for s in view["skills"])


def test_unit_view_covers_its_subunits_and_accepted_ideas_say_why(demo) -> None:
    view = unit_view(demo.store, demo.org, "U-CO", demo.aligner)
    assert {g["goal"]["id"] for g in view["goals"]} == {g["id"] for g in demo.store.rows("goals", demo.org)}
    accepted = [i for i in demo.store.rows("ideas", demo.org) if i["status"] == "accepted"]
    assert len(view["accepted_ideas"]) == len(accepted)
    assert all(i["why"] for i in view["accepted_ideas"])


def test_unknown_person_or_unit_is_not_found(demo) -> None:
    with pytest.raises(NotFoundError):
        person_view(demo.store, demo.org, "nobody", demo.aligner)
    with pytest.raises(NotFoundError, match="no unit 'U-NONE'"):
        unit_view(demo.store, demo.org, "U-NONE", demo.aligner)


@pytest.mark.postgres
def test_line_of_sight_and_flags_on_postgresql(postgres_url, monkeypatch) -> None:
    from hoshin.embedding import HashingEmbedder
    from hoshin.service.corridor import store_aligner
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    store = open_store(postgres_url)
    # The session's PostgreSQL database is shared with other tests: name the organisation.
    org = load_demo(store, None, "tests", replace=True).organisation_id
    try:
        aligner = store_aligner(store, HashingEmbedder())
        view = unit_view(store, org, "U-RD", aligner)
        assert view["goals"] and any(line["reaches_objective"] for line in view["goals"])
        assert {f["id"] for f in brand.all_principle_flags(store, org, aligner)} >= {"M16"}
    finally:
        store.close()


def test_attributes_are_derived_from_mission_and_principles_until_edited(fresh_demo) -> None:
    d = fresh_demo
    current = d.store.mission(d.org)
    principles = [{"id": "P1", "text": "We are honest and transparent with every customer."}]
    d.store.add_mission_version(
        d.org, "We make reliable refrigerators.", principles=principles, brand_attributes=[]
    )
    derived = brand.brand_attributes(d.store, d.org)
    assert [(a["name"], a["source_phrase"], a["derived"]) for a in derived] == [
        ("Reliability", "reliable", True),
        ("Honesty", "honest", True),
        ("Customer care", "customer", True),
    ]
    saved = brand.save_brand_attributes(
        d.store, d.org, [{"name": "Openness", "source_phrase": "transparent"}], "tests", d.aligner
    )
    assert saved["brand_attributes"] == [{"name": "Openness", "source_phrase": "transparent"}]
    assert current["version"] < saved["version"]
