"""What a statement says the organisation is and who it is made of: staff named by "our" or "a team
of", ownership and "to be the ..." as a claim of its own, a list of values that sells nothing, and
value words that belong to a name or to the people served.

Word classes are handed over by the tests (the service reads them from the model); the last tests
run the packaged MiniLM end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hoshin.domain.cue_position import terse_commands
from mission.readings import present, roles


def test_our_names_the_staff_before_the_verb_not_the_people_they_visit() -> None:
    classes = {"nurses": "agent", "visit": "organisation", "elderly": "agent", "patients": "agent"}
    assert roles("Our nurses visit elderly patients at home.", classes)["employees"] == ["nurses"]


def test_a_singular_word_before_a_person_word_is_part_of_the_staff_name() -> None:
    found = roles("Our team members own the shop.", {"team": "agent", "members": "agent", "shop": "thing"})
    assert "employees" not in found  # "members" are never staff, and the group ends with them
    found = roles("Our ward nurses decide.", {"ward": "agent", "nurses": "agent", "decide": "other"})
    assert found["employees"] == ["nurses"]


def test_a_team_of_people_is_the_staff_but_a_team_of_customers_is_not() -> None:
    classes = {"scientists": "agent", "retailers": "organisation", "team": "agent"}
    found = roles("We are a team of data scientists helping retailers.", classes)
    assert found["employees"] == ["scientists"]
    assert "employees" not in roles("A team of customers.", {"customers": "agent", "team": "agent"})


def test_independent_said_of_the_organisation_is_a_claim_of_its_own() -> None:
    classes = {"brewery": "trade:organisation", "journalism": "organisation", "shops": "organisation"}
    assert "independent" in roles("The largest independent brewery in Cornwall.", classes)["self_concept"]
    assert roles("To stay independent.", classes)["self_concept"] == ["independent"]
    # what is offered, or whom it is offered to, is not the organisation
    assert "self_concept" not in roles("We publish independent journalism.", classes)
    assert "self_concept" not in roles("Software for independent shops.", classes)


def test_a_family_business_is_a_claim_of_ownership_not_families_served() -> None:
    found = present("To remain a family business for another hundred years.")
    assert "self_concept" in found
    assert "customers" not in found
    assert "customers" in present("Warm coats for families.")


def test_to_be_the_one_names_a_claim_but_a_superlative_is_read_once() -> None:
    found = roles("To be the airline people choose first.", {"airline": "organisation", "people": "agent"})
    assert found["self_concept"] == ["airline"]
    found = roles("To be the most trusted bank.", {"bank": "organisation"})
    assert found["self_concept"] == ["trusted"]
    assert "self_concept" not in roles("To be there for the people.", {"people": "agent"})


def test_copular_verbs_act_on_no_one() -> None:
    found = roles(
        "To remain a profitable company.", {"company": "organisation", "profitable": "organisation"}
    )
    assert "customers" not in found


def test_we_verb_to_someone_names_the_service_unless_the_verb_is_no_service() -> None:
    classes = {"people": "agent", "members": "agent"}
    assert roles("We lend to people the banks turn away.", classes)["products"] == ["lend"]
    assert "products" not in roles("We work for our members.", classes)
    assert "products" not in roles("We lend.", classes)  # nothing after the verb: no one served


def test_a_trade_named_by_a_modifier_of_firm_is_what_is_offered() -> None:
    classes = {"firm": "organisation", "musicians": "agent", "accounting": "other", "small": "other"}
    assert roles("An accounting firm for musicians.", classes)["products"] == ["accounting"]
    assert "products" not in roles("A small firm for musicians.", classes)


def test_a_list_of_single_values_sells_nothing_but_a_list_of_goods_does() -> None:
    values = {"courage": "other", "candour": "trade:other", "craft": "thing"}
    assert "products" not in roles("Courage, candour, craft.", values)
    goods = {"bread": "thing", "cakes": "thing", "coffee": "thing"}
    assert "products" in roles("Bread, cakes and coffee.", goods)


def test_value_words_in_a_name_or_said_of_those_served_are_not_the_organisations_values() -> None:
    assert "philosophy" not in present("The hospital trust runs three wards.", {"hospital": "trade:place"})
    assert "philosophy" not in present("The Harbour Trust restores boats.", {})
    assert "philosophy" not in present("A bookshop for curious readers.", {"readers": "agent"})
    assert "philosophy" in present("We earn the trust of our patients.", {"patients": "agent"})
    assert "philosophy" in present("We are curious.", {})


def test_the_people_who_work_for_us_are_staff_not_customers() -> None:
    found = present("A fair employer to the people who work for us.", {"people": "agent", "us": "place"})
    assert "employees" in found
    assert "customers" not in found


@pytest.mark.model
def test_professions_the_model_puts_among_things_are_read_as_people(
    stated_components: Callable[[str], dict[str, str]],
) -> None:
    found = stated_components("Our engineers design the chips that let phones run all day.")
    assert "engineers" in found["employees"]
    assert "customers" not in found


def test_three_short_commands_are_a_creed_but_short_descriptions_are_not() -> None:
    assert terse_commands("Listen first. Keep promises. Leave things better than we found them.")
    assert "philosophy" in present("Drive change. Own the outcome. Win together.")
    assert terse_commands("We bake bread. We sell it. We close at noon.") is None  # "we" describes
    assert terse_commands("Fresh bread, cakes and pies. Open daily. Since 1921.") is None  # a list
    assert terse_commands("Keep promises. Listen first.") is None  # two are not enough
    assert terse_commands("") is None


def test_a_plural_object_of_a_making_verb_is_made_even_when_abstract() -> None:
    classes = {"forecasts": "other", "difference": "other", "weather": "other"}
    assert roles("We make weather forecasts.", classes)["products"] == ["forecasts"]
    assert "products" not in roles("We make a difference.", classes)


def test_an_adjective_for_people_in_a_condition_names_who_is_served() -> None:
    assert roles("Feeding Glasgow's hungry, one meal at a time.", {})["customers"] == ["hungry"]
    assert roles("Beds for the homeless in Leeds.", {})["customers"] == ["homeless"]
    assert "customers" not in roles("Food for hungry children.", {})  # an adjective before its noun
    assert "customers" not in roles("We never go hungry.", {})


def test_a_compound_led_by_a_cue_word_counts_as_that_word() -> None:
    assert "technology" in present("Science-led skincare, sold in 30 countries.")
    assert "customers" in present("A customer-focused bank.")
    assert "technology" not in present("Skincare, sold in 30 countries.")
    assert "self_concept" in present("A family-owned bakery.")  # other compounds keep their own cue
