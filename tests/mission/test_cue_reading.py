"""Cue words count only where they mean what the cue means: a form of the cue word, not a stem
look-alike ("care" is no "cars"), and "world" only where it is not the reach of a market."""

from __future__ import annotations

from hoshin.domain.mission_analysis import analyze_statement
from hoshin.domain.word_forms import is_form_of


def test_inflected_forms_are_the_same_word() -> None:
    assert is_form_of("caring", "care")
    assert is_form_of("supplies", "supply", noun=True)
    assert is_form_of("farmers", "farmer", noun=True)
    assert is_form_of("planning", "plan")
    assert is_form_of("world's", "world")


def test_stem_look_alikes_are_other_words() -> None:
    assert not is_form_of("care", "cars", noun=True)
    assert not is_form_of("win", "wine", noun=True)
    assert not is_form_of("new", "news", noun=True)
    # A noun cue takes only noun forms: "clean air" is not the service "cleaning".
    assert not is_form_of("clean", "cleaning", noun=True)


def test_empty_and_odd_input_is_no_form_of_anything() -> None:
    assert not is_form_of("", "cars", noun=True)
    assert not is_form_of("s", "cars")
    assert is_form_of("", "")


def test_caring_for_the_planet_names_no_product() -> None:
    # Before, "care" and "new" matched the product cues "cars" and "news" through their stems.
    analysis = analyze_statement("We care for the planet and welcome new ideas.")
    assert not analysis.components["products"].present
    assert analysis.components["philosophy"].present
    analysis = analyze_statement("We repair cars and sell the news.")
    assert analysis.components["products"].present


def test_the_worlds_leading_provider_says_how_far_it_reaches_not_what_it_owes() -> None:
    # Without vectors only the cue words count: "world" is a weak sign of what is owed to society.
    analysis = analyze_statement("To be the world's leading provider of payroll software.")
    assert analysis.components["public_image"].cue_score == 0
    analysis = analyze_statement("The safest lifts in the world.")
    assert analysis.components["public_image"].cue_score == 0
    analysis = analyze_statement("We leave the world better than we found it.")
    assert analysis.components["public_image"].cue_score > 0


def test_a_long_foreign_cue_word_keeps_its_own_endings() -> None:
    assert is_form_of("nachhaltige", "nachhaltig")
    assert not is_form_of("caree", "care")  # short words take no foreign endings
    analysis = analyze_statement("Wir liefern nachhaltige Produkte.")
    assert analysis.components["philosophy"].present
