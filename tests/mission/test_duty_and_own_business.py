"""Fifth-pass readings: duties to the world stated by structure (public image), the organisation's
own business against its customers' (growth), and cue words that change sides by their place."""

from __future__ import annotations

from hoshin.domain.lexicon import tokens
from hoshin.domain.mission_analysis import analyze_statement
from hoshin.domain.public_duty import public_duty
from mission.readings import present


def test_protecting_the_natural_world_is_owed_to_everyone() -> None:
    text = "We protect the nation's forests, rivers and wild places for the people who live here."
    assert "public_image" in present(text)
    assert public_duty(text, tokens(text)) == "We protect the nation's forests"


def test_protecting_what_customers_own_is_no_public_duty() -> None:
    assert "public_image" not in present("We protect people's savings and pensions by investing carefully.")
    assert "public_image" not in present("We help small firms protect their computers from malware.")


def test_a_harm_done_without_is_a_duty_to_the_world() -> None:
    assert "public_image" in present("Honest food, grown without pesticides on our own farm.")
    assert "public_image" in present("Pesticide-free apples from our orchard.")
    # "without" before anything else says nothing about the world
    assert "public_image" not in present("Fast loans without paperwork.")


def test_waste_put_to_use_is_a_duty_to_the_world() -> None:
    text = "Through invention we turn waste plastics back into raw materials for packaging makers."
    analysis = analyze_statement(text)
    finding = analysis.components["public_image"]
    assert finding.present
    assert finding.evidence is not None and finding.evidence in text
    # "waste" as a verb, or wasting nothing, is no reuse
    assert "public_image" not in present("We never waste your time on paperwork.")


def test_caring_for_the_people_served_is_the_service_not_a_public_duty() -> None:
    classes = {"people": "agent", "lives": "other", "homes": "thing"}
    text = "We care for people at the end of their lives, in their own homes."
    finding = analyze_statement(text, word_classes=classes).components["public_image"]
    assert not finding.present and finding.cue_score == 0.0  # not even a weak cue left for the model
    # care for the planet or for communities stays owed
    assert "public_image" in present("We care for the planet and the communities around our mills.", classes)


def test_a_place_to_be_in_town_is_where_not_what_is_owed() -> None:
    assert "public_image" not in present("To be the bookshop every reader in town wishes they had.")
    # being known for something is the public image itself
    assert "public_image" in present("To be known as the most honest car dealer in town.")


def test_helping_others_grow_is_their_growth_not_ours() -> None:
    classes = {"businesses": "agent", "money": "thing", "banks": "agent"}
    text = "We help the city's small businesses grow by lending them money the big banks will not."
    assert "growth" not in present(text, classes)
    assert "growth" in present("To grow our business and keep our debts low.")


def test_growing_into_something_larger_is_growth() -> None:
    text = "To grow into the largest network of health clinics in the state."
    finding = analyze_statement(text).components["growth"]
    assert finding.present
    assert finding.evidence == "To grow into the"


def test_the_business_one_builds_is_the_organisation_not_a_customer() -> None:
    classes = {"business": "agent", "years": "other"}
    found = present(
        "Our purpose is to build a profitable business that will still be here in a hundred years.", classes
    )
    assert "growth" in found
    assert "customers" not in found
    assert "customers" in present(
        "We build websites for small businesses.", {"businesses": "agent", "websites": "thing"}
    )


def test_an_s_form_after_a_preposition_is_a_noun_not_staff_care() -> None:
    classes = {"cells": "thing", "trains": "thing", "manufacturer": "agent"}
    assert "employees" not in present("The only maker of fuel cells for trains in the south.", classes)
    assert "employees" in present("We train our people every year.", classes)


def test_jobs_brought_to_a_place_are_not_staff() -> None:
    classes = {"authority": "agent", "ships": "thing", "region": "place", "trade": "other"}
    text = "The port authority keeps ships moving and brings trade and jobs to the region."
    assert "employees" not in present(text, classes)
    assert "employees" in present("We create jobs, pay our taxes and give back.", classes)


def test_a_compass_point_in_west_claims_no_superlative() -> None:
    classes = {"paramedics": "agent", "emergencies": "thing", "north-west": "place"}
    text = "Our paramedics answer emergencies across the north-west, day and night."
    assert "self_concept" not in present(text, classes)
    assert "self_concept" in present("We mine copper with the lowest water use in the industry.", classes)


def test_discovery_is_research() -> None:
    assert "technology" in present("The hospital's mission is to heal, to teach and to discover.")
    assert "technology" not in present("Fresh bread baked every morning.")
