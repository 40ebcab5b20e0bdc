"""Words that look like a component but say something else where they stand (fourth components pass):
an aim is no service, staff named as if served are still staff, "training" in a list of what is
offered is no care of staff, and a component the statement does not state is reported missing."""

from __future__ import annotations

import numpy as np

from hoshin.domain.lexicon import split_units, tokens
from hoshin.domain.mission_analysis import PROTOTYPES, analyze_statement
from mission.readings import present, roles


def test_a_verb_of_intent_after_we_names_no_service() -> None:
    text = "We aim to double our revenue within five years."
    found = roles(text, {"aim": "thing", "revenue": "agent", "years": "other"})
    assert "products" not in found
    assert "products" not in present(text, {"aim": "thing", "revenue": "agent", "years": "other"})
    # A verb that does name the service still does ("We lend to people the banks turn away").
    found = roles("We lend to people the banks turn away.", {"people": "agent", "banks": "organisation"})
    assert found["products"] == ["lend"]


def test_here_is_no_kind_of_business_offering_a_service() -> None:
    # The model files "here" near the kinds of business (shop, clinic, ...): it still names no trade.
    text = "We want to still be here in a hundred years."
    assert "products" not in roles(text, {"here": "trade:place", "still": "other", "years": "other"})


def test_staying_somewhere_or_something_serves_nobody() -> None:
    text = "Staying profitable, staying independent, staying in Yorkshire."
    found = roles(text, {"profitable": "agent", "independent": "agent", "yorkshire": "place"})
    assert "customers" not in found
    assert found["markets"] == ["Yorkshire"]


def test_staff_named_where_customers_would_stand_are_staff() -> None:
    text = "We treat every employee as a partner: they share our profits."
    stated = present(text, {"employee": "agent", "partner": "agent", "profits": "other"})
    assert "customers" not in stated
    assert "employees" in stated


def test_training_in_a_list_of_what_is_offered_is_no_care_of_staff() -> None:
    text = "We help people with sight loss through advice, training and guide dogs."
    assert not analyze_statement(text).components["employees"].present
    text = "We make bearings for wind turbines, trains and mining machinery."
    assert not analyze_statement(text).components["employees"].present
    # A verb with its own object is still the employer's care: "we hire locally, train constantly".
    text = "Our strength: we hire locally, train constantly and promote from within."
    assert analyze_statement(text).components["employees"].present


def test_a_job_given_to_someone_is_offered_not_a_post_on_the_staff() -> None:
    text = "We give people leaving prison a job, a home and a friend."
    assert not analyze_statement(text).components["employees"].present
    assert analyze_statement("We create jobs in the valley.").components["employees"].present


def test_people_read_as_the_ones_served_are_not_staff() -> None:
    text = "Handmade leather shoes for people who walk a lot."
    classes = {"shoes": "thing", "leather": "thing", "people": "agent"}
    assert "employees" not in present(text, classes)
    assert "customers" in present(text, classes)


def test_a_component_not_stated_is_missing_with_no_evidence() -> None:
    text = "We aim to double our revenue within five years."
    analysis = analyze_statement(text, word_classes={"aim": "thing", "revenue": "other"})
    for name in ("products", "customers", "employees", "technology"):
        assert not analysis.components[name].present
        assert analysis.components[name].evidence is None
        assert name in analysis.missing
    assert analysis.components["growth"].present


def test_every_evidence_phrase_is_written_in_the_statement() -> None:
    text = (
        "We are a mutual building society owned by our members, and we lend to first-time buyers "
        "in the Midlands that the big banks turn away."
    )
    classes = {w.lower: "other" for w in tokens(text)} | {"buyers": "agent", "members": "agent"}
    analysis = analyze_statement(text, word_classes=classes)
    for finding in analysis.components.values():
        if finding.present:
            assert finding.evidence and finding.evidence in text


def test_whom_bread_is_delivered_to_is_who_is_served() -> None:
    text = "Fresh bread, baked before dawn and delivered to cafes across the city."
    classes = {"bread": "thing", "cafes": "trade:organisation", "city": "place"}
    assert roles(text, classes)["customers"] == ["cafes"]


def test_communities_acted_for_are_served() -> None:
    text = "The agency protects rivers and warns communities when floods are coming."
    classes = {"agency": "organisation", "rivers": "other", "communities": "organisation"}
    assert roles(text, classes)["customers"] == ["communities"]
    text = "Using science to improve the health and harvests of mountain communities."
    classes = {"science": "thing", "health": "thing", "harvests": "thing", "communities": "organisation"}
    assert roles(text, classes)["customers"] == ["communities"]


def test_a_share_of_the_organisations_own_money_serves_nobody() -> None:
    text = "We invest a tenth of our revenue in research."
    classes = {"invest": "organisation", "tenth": "other", "revenue": "organisation", "research": "thing"}
    assert "customers" not in roles(text, classes)


def test_an_organisation_served_or_the_kind_of_organisation_is_no_duty_to_society() -> None:
    classes = {"charities": "organisation", "money": "thing", "tools": "thing"}
    text = "We help small charities raise money online."
    assert "public_image" not in present(text, classes)
    assert "customers" in present(text, classes)
    classes = {"building": "thing", "society": "organisation", "members": "agent"}
    assert "public_image" not in present("We are a mutual building society owned by our members.", classes)
    # Society itself, and towns in need, are still what is owed.
    assert "public_image" in present("We give our profits back to society.", classes)
    assert "public_image" in present("Water filters that small towns can afford.", {"towns": "place"})


def test_a_cue_inside_a_hyphenated_word_counts() -> None:
    assert analyze_statement("To make flying carbon-free.").components["public_image"].present
    assert analyze_statement("Machine-learning tools for radiologists.").components["technology"].present
    # A word that is a cue whole keeps its own reading; a negated compound says the opposite.
    assert analyze_statement("We run a not-for-profit shop.").components["growth"].cue_score == 0
    assert analyze_statement("A long-term view.").components["growth"].cue_score == 0.5


def test_a_place_word_before_what_is_offered_is_a_kind_of_it_not_a_market() -> None:
    text = "To be the most trusted name in home insurance."
    assert "markets" not in roles(text, {"name": "other", "home": "place", "insurance": "thing"})
    assert roles("Homes in the city.", {"homes": "thing", "city": "place"})["markets"] == ["city"]


def test_staying_in_business_is_survival() -> None:
    analysis = analyze_statement("We want to still be here in a hundred years.")
    assert analysis.components["growth"].present
    assert "still be here" in (analysis.components["growth"].evidence or "")


def test_putting_someone_first_is_a_value() -> None:
    analysis = analyze_statement("We put the patient first in everything we do.")
    assert analysis.components["philosophy"].present
    assert analysis.components["philosophy"].evidence == "put the patient first"
    assert not analyze_statement("We put satellites into orbit.").components["philosophy"].present


def test_what_a_giving_verb_hands_to_someone_is_what_is_offered() -> None:
    text = "Give every family in our borough a safe, warm place to live."
    classes = {"family": "agent", "borough": "place", "safe": "other", "warm": "other", "place": "place"}
    assert roles(text, classes)["products"] == ["place"]
    text = "We give people leaving prison a job, a home and a friend."
    classes = {"people": "agent", "prison": "place", "job": "other", "home": "place", "friend": "agent"}
    assert roles(text, classes)["products"] == ["job"]
    # Giving without someone to give to names nothing handed over.
    assert "products" not in roles("We give a voice to the river.", {"voice": "other", "river": "place"})


def test_what_our_staff_do_for_the_people_served_is_the_service() -> None:
    classes = {"nurses": "agent", "carers": "agent", "visit": "other", "patients": "agent", "kent": "place"}
    text = "Our nurses and carers visit more than 4,000 patients at home across Kent."
    found = roles(text, classes)
    assert found["employees"] == ["nurses"]
    assert found["products"] == ["visit"]
    # Staff who only are something, or act on no one served, name no service.
    assert "products" not in roles("Our nurses are our pride.", {"nurses": "agent", "pride": "other"})
    text = "Our engineers work in Leeds."
    assert "products" not in roles(text, {"engineers": "agent", "work": "other", "leeds": "place"})


def test_what_is_kept_going_is_the_service() -> None:
    text = "We keep Denmark's trains running on time."
    classes = {"denmark": "place", "trains": "place", "running": "other", "time": "other"}
    assert roles(text, classes)["products"] == ["trains"]
    # People kept moving are the ones served, not a thing offered.
    text = "To keep 2 billion people moving."
    found = roles(text, {"people": "agent", "moving": "other"})
    assert "products" not in found
    assert found["customers"] == ["people"]


def test_a_slogans_evidence_is_the_statements_own_words() -> None:
    text = "Our vision: zero emissions, zero waste and\nzero  accidents."
    evidence = analyze_statement(text).components["philosophy"].evidence
    assert evidence == "zero emissions, zero waste and\nzero  accidents"
    assert evidence in text


def test_a_clause_found_by_meaning_is_quoted_as_written() -> None:
    # Prototype similarity alone (every vector the same) makes every component present; the clause it
    # quotes keeps the statement's own spacing.
    text = "We  keep the\triver  clean."
    units = split_units(text)
    same = {name: np.ones((len(texts), 4)) / 2 for name, texts in PROTOTYPES.items()}
    analysis = analyze_statement(text, units, np.ones((len(units), 4)) / 2, same)
    for finding in analysis.components.values():
        assert finding.present
        assert finding.evidence == "We  keep the\triver  clean"


def test_caring_for_things_is_upkeep_offered_not_the_value_of_care() -> None:
    text = "The trust cares for 300 miles of canals and their towpaths."
    classes = {"trust": "other", "miles": "other", "canals": "place", "towpaths": "place"}
    stated = present(text, classes)
    assert "products" in stated
    assert "philosophy" not in stated
    # Care for people or for the planet is still read as care.
    assert "philosophy" in present("We care for the planet.", {"planet": "place"})
    assert "products" not in roles("We care for the planet.", {"planet": "place"})
    assert "products" not in roles("The hospice cares for people at home.", {"people": "agent"})


def test_a_value_word_that_names_the_organisation_as_subject_is_no_value() -> None:
    classes = {"trust": "other", "builds": "other", "homes": "thing"}
    assert "philosophy" not in present("The trust builds homes.", classes)
    # Said by the organisation of itself after "our", the word stays a value.
    assert "philosophy" in present("Our integrity guides us.", {"integrity": "other"})
