"""Components read from the statement's structure: who is served, what is offered, where, by whom.

The domain tests hand the word classes over themselves (the service reads them from the model), so
each rule is checked on its own; the last tests run the packaged MiniLM end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hoshin.domain.mission_analysis import analyze_statement
from hoshin.embedding import Embedder
from mission.readings import roles


def test_the_phrase_after_partner_of_and_before_we_supply_is_who_is_served() -> None:
    text = "To be the most trusted partner of the independent pharmacies we supply across Canada."
    found = roles(text, {"pharmacies": "agent", "canada": "place", "partner": "agent"})
    assert found["customers"][0] == "pharmacies"
    assert found["markets"] == ["Canada"]
    assert found["self_concept"] == ["trusted"]


def test_the_head_of_a_phrase_is_its_last_word_of_the_class() -> None:
    # "world's" names a place, "software" a thing: the people helped are the developers.
    text = "To help the world's developers ship better software, faster."
    found = roles(text, {"world": "place", "developers": "agent", "software": "thing", "ship": "thing"})
    assert found["customers"] == ["developers"]
    assert "world's" in found["markets"]


def test_a_statement_that_opens_with_a_thing_names_its_product() -> None:
    found = roles("Affordable insulin for everyone who needs it.", {"insulin": "thing", "everyone": "agent"})
    assert found["products"] == ["insulin"]
    assert found["customers"] == ["everyone"]


def test_respect_for_people_is_a_value_not_a_customer() -> None:
    found = roles("Respect for people and the environment.", {"people": "agent", "environment": "other"})
    assert "customers" not in found


def test_staff_are_our_people_of_a_kind_but_not_our_customers_or_peers() -> None:
    text = "Our nurses heal, our customers return, and our returns beat our peers."
    found = roles(text, {"nurses": "agent", "customers": "agent", "peers": "agent", "returns": "thing"})
    assert found["employees"] == ["nurses"]


def test_a_superlative_about_the_places_served_is_no_claim_of_strength() -> None:
    text = "Vaccines for clinics in the poorest regions."
    assert "self_concept" not in roles(text, {"regions": "place", "clinics": "agent", "vaccines": "thing"})
    assert roles("The quietest dishwashers.", {"dishwashers": "thing"})["self_concept"] == ["quietest"]


def test_idioms_are_not_read_as_customers_or_markets() -> None:
    # Before idioms were masked, "in business" counted as customer businesses and "home" as households.
    analysis = analyze_statement("We're in business to save our home planet.")
    assert not analysis.components["customers"].present
    analysis = analyze_statement("We design the quietest dishwashers on the market.")
    assert not analysis.components["markets"].present


def test_the_people_an_organisation_acts_on_are_served() -> None:
    found = roles("We fly people to the islands of Greece.", {"people": "agent", "greece": "place"})
    assert found["customers"] == ["people"]
    found = roles("Connecting people.", {"people": "agent"})
    assert found["customers"] == ["people"]


def test_who_uses_what_is_offered_is_served() -> None:
    text = "We design water filters that small towns can afford."
    found = roles(text, {"filters": "thing", "towns": "place", "small": "thing"})
    assert "towns" in found["customers"]
    # A proper name after "that" is a place, not a customer.
    assert "customers" not in roles("Tools that Europe trusts.", {"tools": "thing", "europe": "place"})


def test_who_is_served_may_be_the_second_of_two_joined_phrases() -> None:
    text = "Caring for animals and the people who love them."
    found = roles(text, {"animals": "thing", "people": "agent"})
    assert found["customers"] == ["people"]


def test_a_plural_after_to_is_no_verb_and_a_list_of_we_clauses_serves_no_one() -> None:
    text = "We give one percent of sales to grassroots environmental groups."
    assert "customers" not in roles(text, {"grassroots": "agent", "groups": "organisation", "sales": "thing"})
    assert "customers" not in roles("We grow, we learn, we share.", {"share": "agent", "learn": "agent"})


def test_staff_are_people_not_the_organisations_assets() -> None:
    text = "Every container is tracked by our own satellite network."
    assert "employees" not in roles(text, {"network": "organisation", "container": "thing"})
    assert roles("Our miners go home safe.", {"miners": "agent"})["employees"] == ["miners"]


def test_whoever_makes_what_is_offered_works_there_but_whoever_trusts_it_does_not() -> None:
    classes = {"broadband": "thing", "people": "agent", "families": "agent", "dermatologists": "agent"}
    found = roles("Broadband built and maintained by people who live there.", classes)
    assert found["employees"] == ["people"]
    assert "employees" not in roles("Broadband trusted by families.", classes)
    assert "employees" not in roles("Skincare tested by dermatologists.", classes)


def test_a_place_after_in_the_is_a_market() -> None:
    found = roles("A dentist for every family in the valley.", {"valley": "place", "family": "agent"})
    assert found["markets"] == ["valley"]


def test_the_thing_before_we_and_a_verb_is_what_is_offered() -> None:
    found = roles("Our promise: every parcel we carry arrives on time.", {"parcel": "thing"})
    assert found["products"] == ["parcel"]


def test_a_very_long_list_of_words_is_read_without_error() -> None:
    # Each word of a comma list may continue a list of verbs: the look back is bounded.
    text = "We " + ", ".join(["share"] * 3000) + " people."
    found = roles(text, {"share": "other", "people": "agent"})
    assert "customers" not in found  # no verb list of six or fewer leads back to "we"
    assert roles("We teach, feed and house orphans.", {"orphans": "agent"})["customers"] == ["orphans"]


def test_without_word_classes_no_roles_are_read() -> None:
    assert roles("Affordable insulin for everyone.", {}) == {}


@pytest.mark.model
class TestWithTheModel:
    def test_customers_products_and_market_no_list_names(
        self, stated_components: Callable[[str], dict[str, str]]
    ) -> None:
        found = stated_components("Engineering the safest lifts for independent pharmacies in Chicago.")
        assert "lifts" in found["products"]
        assert "pharmacies" in found["customers"]
        assert "Chicago" in found["markets"]

    def test_agents_are_told_apart_as_people_or_organisations(self, embedder: Embedder) -> None:
        from hoshin.service.texts import _word_classes

        classes = _word_classes([{"id": "m", "text": "nurses miners teachers hotels network"}], embedder)
        assert [classes[w] for w in ("nurses", "miners", "teachers")] == ["agent"] * 3
        assert classes["hotels"] != "agent" and classes["network"] != "agent"

    def test_in_business_to_save_the_planet_names_no_customer(
        self, stated_components: Callable[[str], dict[str, str]]
    ) -> None:
        found = stated_components("We're in business to save our home planet.")
        assert "customers" not in found
        assert "public_image" in found
