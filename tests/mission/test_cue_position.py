"""Cue words read by where they stand, and kinds of business that name what is offered.

Domain tests hand the word classes over themselves; the last class runs the packaged MiniLM."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hoshin.domain.component_roles import word_class
from hoshin.domain.cue_position import done_by_others, plural_noun_reading, repeated_slogan
from hoshin.domain.lexicon import tokens
from hoshin.embedding import Embedder
from mission.readings import present, roles


def test_a_verb_cue_with_an_s_after_a_possessive_is_a_plural_noun() -> None:
    toks = tokens("We keep Denmark's trains running and we train our staff.")
    assert plural_noun_reading(toks, 3, "train")
    assert not plural_noun_reading(toks, 7, "train")  # the verb as written
    assert "employees" not in present("We keep Denmark's trains running on time.")
    assert "employees" in present("Every year she trains new apprentices.")


def test_a_value_word_done_by_someone_else_is_no_value_of_ours() -> None:
    classes = {"shops": "organisation", "ireland": "place", "customers": "agent"}
    text = "We write software that independent shops across Ireland trust with their books."
    assert "philosophy" not in present(text, classes)
    assert "philosophy" in present("We earn customer trust every day.", classes)
    assert "philosophy" in present("We trust our people.", classes)
    assert not done_by_others(tokens("Trust matters."), 0, classes, frozenset({"agent"}))


def test_a_verbless_slogan_repeating_its_opening_word_states_values() -> None:
    assert repeated_slogan("Healthy soil, healthy food, healthy people.") is not None
    assert repeated_slogan("Our vision: zero emissions, zero waste and zero accidents.") is not None
    assert "philosophy" in present("Healthy soil, healthy food, healthy people.")
    # clauses, two parts, or parts that differ are no such slogan
    assert repeated_slogan("We teach, we discover, and we serve the people of our state.") is None
    assert repeated_slogan("On time, every time.") is None
    assert repeated_slogan("Bread, cakes and coffee.") is None
    assert repeated_slogan("") is None


def test_a_kind_of_business_names_what_is_offered_unless_it_is_served() -> None:
    classes = {"bakery": "trade:organisation", "town": "place", "pubs": "trade:organisation", "beer": "thing"}
    assert roles("We are a family-owned bakery that has fed this town.", classes)["products"] == ["bakery"]
    found = roles("We brew beer for pubs and hotels.", classes)
    assert "pubs" in found["customers"]
    assert found["products"] == ["beer"]  # the pubs are served, not offered
    # a trade word keeps its own class for every other reading
    assert word_class(classes, "pubs") == "organisation" and word_class(classes, "town") == "place"


def test_a_statement_opening_with_a_person_for_someone_offers_their_service() -> None:
    classes = {"dentist": "agent", "family": "agent", "valley": "place"}
    found = roles("A dentist for every family in the valley.", classes)
    assert found["products"] == ["dentist"]
    assert "products" not in roles("Our dentist cares for every family.", classes)


@pytest.mark.model
class TestWithTheModel:
    def test_kinds_of_business_are_trades_and_generic_organisations_are_not(self, embedder: Embedder) -> None:
        from hoshin.service.texts import _word_classes

        classes = _word_classes(
            [{"id": "m", "text": "bakery restaurant company organisation nurses"}], embedder
        )
        assert classes["bakery"].startswith("trade:") and classes["restaurant"].startswith("trade:")
        assert not any(classes[w].startswith("trade") for w in ("company", "organisation", "nurses"))

    def test_the_museum_and_the_bakery_offer_something(
        self, stated_components: Callable[[str], dict[str, str]]
    ) -> None:
        assert "products" in stated_components(
            "The museum exists to collect and share the art of the Pacific."
        )
        assert "products" in stated_components("We are a family-owned bakery in Leeds.")
        assert "products" not in stated_components("Our people are our strength: we hire, train and promote.")
