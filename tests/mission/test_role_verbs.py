"""Verbs the organisation does, read by position and form (hoshin.domain.role_verbs), and the readings
of the third components pass that rest on them: training offered to others, staff named after a
making verb, the organisation's own outlets, kinds of care, money words that count only as nouns."""

from __future__ import annotations

import numpy as np

from hoshin.domain.component_roles import classify_words
from hoshin.domain.mission_analysis import analyze_statement
from mission.readings import roles


def test_a_sentence_about_the_organisation_in_the_third_person_names_whom_it_serves() -> None:
    text = "The college welcomes adults returning to learn."
    found = roles(text, {"college": "organisation", "welcomes": "other", "adults": "agent"})
    assert found["customers"] == ["adults"]


def test_later_verbs_of_a_list_with_objects_between_them_act_on_their_own_objects() -> None:
    text = "We prevent fires, answer every call and keep residents safe."
    classes = {"fires": "other", "answer": "other", "call": "other", "keep": "other", "residents": "agent"}
    assert roles(text, classes)["customers"] == ["residents"]
    text = "The library lends books, runs reading groups and gives free access to the internet."
    found = roles(text, {"library": "thing", "books": "thing", "groups": "agent", "access": "other"})
    assert "groups" not in found.get("customers", [])  # "runs": the organisation's own groups


def test_a_list_of_nouns_or_a_plural_subject_is_no_list_of_verbs() -> None:
    text = "We make boats, sails and ropes."
    assert "customers" not in roles(text, {"boats": "thing", "sails": "thing", "ropes": "thing"})
    # A plural subject takes no verb in -s: "services" is not what "The hospital services" do.
    text = "The hospitals services patients."
    assert "customers" not in roles(
        text, {"hospitals": "organisation", "services": "thing", "patients": "agent"}
    )


def test_an_empty_or_one_word_text_reads_no_verbs() -> None:
    assert roles("", {}) == {}
    assert roles("Welcomes.", {"welcomes": "other"}) == {}


def test_training_people_for_someone_else_is_a_service_not_staff_care() -> None:
    text = "We train the next generation of nurses for hospitals across Wales."
    classes = {"generation": "agent", "nurses": "agent", "hospitals": "organisation", "wales": "place"}
    found = roles(text, classes)
    assert found["products"] == ["train"]
    assert "employees" not in found
    assert not analyze_statement(text).components["employees"].present
    # Training its own people is still about staff.
    assert analyze_statement("We train our people well.").components["employees"].present


def test_whoever_a_making_verb_names_a_few_words_later_is_staff() -> None:
    text = "Steel rolled in Port Talbot by people who take pride in their trade."
    found = roles(text, {"steel": "thing", "port": "place", "talbot": "place", "people": "agent"})
    assert found["employees"] == ["people"]
    # A clause break in between ends the look back.
    text = "Steel rolled in Wales, trusted by people everywhere."
    assert "employees" not in roles(text, {"steel": "thing", "wales": "place", "people": "agent"})


def test_a_cooperative_of_tradespeople_names_its_staff() -> None:
    text = "We are a cooperative of forty plumbers serving homes."
    assert roles(text, {"plumbers": "agent", "homes": "thing"})["employees"] == ["plumbers"]


def test_the_outlets_an_organisation_opens_are_not_its_customers() -> None:
    text = "To open twenty new stores in Poland."
    found = roles(text, {"stores": "organisation", "poland": "place"})
    assert "customers" not in found
    assert found["markets"] == ["Poland"]


def test_staff_are_never_what_is_offered() -> None:
    text = "Our mechanics are trained by the manufacturers."
    found = roles(text, {"mechanics": "agent", "manufacturers": "organisation"})
    assert found["employees"] == ["mechanics"]
    assert "products" not in found


def test_trades_of_people_the_model_puts_among_things_are_people() -> None:
    vectors = np.eye(4, dtype=np.float32)[:2]
    prototypes = {"thing": np.eye(4, dtype=np.float32)[:1], "other": np.eye(4, dtype=np.float32)[1:2]}
    classes = classify_words(["drivers", "bread"], np.stack([vectors[0], vectors[0]]), prototypes)
    assert classes == {"drivers": "agent", "bread": "thing"}


def test_a_kind_of_care_is_a_service_not_a_value() -> None:
    assert not analyze_statement("Cancer care close to home.").components["philosophy"].present
    assert analyze_statement("We care for each other.").components["philosophy"].present


def test_returns_count_as_money_only_as_written() -> None:
    assert not analyze_statement("To return the river to its old course.").components["growth"].present
    assert analyze_statement("Steady returns for our savers.").components["growth"].present


def test_noun_in_ing_before_for_heads_an_opening_phrase() -> None:
    text = "Recycled plastic fencing for farms."
    found = roles(
        text, {"recycled": "thing", "plastic": "other", "fencing": "thing", "farms": "organisation"}
    )
    assert found["products"] == ["fencing"]
