"""What the mission model takes from a statement: themes that carry its meaning, and no stray
fragments or negated words that would pull scores the wrong way."""

from __future__ import annotations

import pytest

from hoshin.domain.mission import ThemeKind, extract_themes
from hoshin.domain.text import scored_text, without_exception_clauses, without_exceptions
from hoshin.embedding import HashingEmbedder
from hoshin.service.alignment import FACET_TEMPLATES, Aligner

LONG_MISSION = (
    "We make reliable, energy-saving refrigerators for families across Europe. Each one is designed "
    "and built by skilled people who take pride in their craft, made to last and to be repaired."
)


def test_stray_words_cut_off_before_and_are_not_themes() -> None:
    names = [t.name for t in extract_themes(LONG_MISSION)]
    assert "designed" not in names and "last" not in names
    assert "reliable, energy-saving refrigerators" in names


def test_a_passive_fragment_is_not_a_product_theme() -> None:
    kinds = {t.name: t.kind for t in extract_themes(LONG_MISSION)}
    assert kinds["made to last and to be repaired"] != ThemeKind.WHAT


def test_parenthesised_exceptions_leave_the_themes() -> None:
    themes = extract_themes("Heating Equipment (except Warm Air Furnaces) Manufacturing")
    assert [t.name for t in themes] == ["Heating Equipment"]
    assert "furnace" not in themes[0].text.lower()


def test_without_exceptions_keeps_other_parentheses() -> None:
    assert (
        without_exceptions("Metal Tank (Heavy Gauge) Manufacturing")
        == "Metal Tank (Heavy Gauge) Manufacturing"
    )
    assert without_exceptions("Room heaters (except portable electric)") == "Room heaters"
    assert without_exceptions("(except all)") == "(except all)"


def test_exceptions_after_a_comma_leave_missions_and_scored_texts() -> None:
    mission = "Manufacture of fabricated metal products, except machinery and equipment"
    assert without_exceptions(mission) == "Manufacture of fabricated metal products"
    assert all("machinery" not in t.text for t in extract_themes(mission))
    line = "Other financial service activities, except insurance and pension funding"
    assert without_exception_clauses(line) == "Other financial service activities"
    # A scored text keeps its parenthesised exceptions (they name a sibling of the same field) and
    # whatever follows a semicolon; the batch's boilerplate words go as before.
    assert scored_text(
        "Growing of cereals (except rice), except maize; oil seeds", frozenset({"growing"})
    ) == ("of cereals (except rice); oil seeds")
    assert without_exception_clauses(", except all") == ", except all"


def test_mission_rows_leave_out_what_the_mission_excepts() -> None:
    aligner = Aligner(HashingEmbedder(), background=["Baking bread", "Selling used cars"])
    prepared = aligner.prepare(aligner.mission_model("Biological Product (except Diagnostic) Manufacturing"))
    assert all("diagnostic" not in text.lower() for text in prepared.texts)
    assert {template.format("biological") for template in FACET_TEMPLATES} <= set(prepared.texts)


@pytest.mark.parametrize(
    "statement",
    [
        LONG_MISSION,
        "We're in business to save our home planet.",
        "To organize the world's information and make it universally accessible and useful.",
        "We serve families across Europe with reliable, energy-saving refrigerators.",
        "Lieutenants command troops of platoons of soldiers and lead them in training and discipline.",
    ],
)
def test_theme_names_are_phrases_of_the_statement(statement: str) -> None:
    """A theme reads as the statement wrote it, never as a list of its content words."""
    themes = extract_themes(statement)
    assert themes
    for theme in themes:
        assert theme.name.lower() in statement.lower(), theme.name
        assert not theme.name.lower().startswith(("to ", "we ", "our ", "the ", "and ")), theme.name
        assert len(theme.name.split()) <= 8


def test_a_statement_about_itself_is_no_theme() -> None:
    """ "We're in business" says nothing the organisation is for."""
    names = [t.name for t in extract_themes("We're in business to save our home planet.")]
    assert names == ["save our home planet"]


def test_each_part_of_a_statement_is_a_theme_of_its_own() -> None:
    """Parts that commas separate are ideas of their own; the items of a list are not."""
    statement = (
        "We build open-source accounting software that small businesses and charities can trust "
        "with their books, keep it simple enough to use without training, and protect the privacy "
        "of every user."
    )
    names = [t.name for t in extract_themes(statement)]
    assert "keep it simple enough to use without training" in names
    assert "protect the privacy of every user" in names
    assert "open-source accounting software" in names
    listed = [
        t.name
        for t in extract_themes("We choose refrigerants, materials and methods that care for the planet.")
    ]
    assert "choose refrigerants, materials and methods" in listed


def test_a_thin_part_joins_its_neighbour_instead_of_vanishing() -> None:
    """ "made to last" is one idea with "to be repaired", not a stray "repaired"."""
    names = [t.name for t in extract_themes(LONG_MISSION)]
    assert "made to last and to be repaired" in names
    assert "reliable, energy-saving refrigerators" in names
    assert "repaired" not in names and "reliable" not in names


@pytest.mark.parametrize(
    ("statement", "theme", "kind"),
    [
        # A value adjective that qualifies the product leaves it the product: its parts and
        # materials are then read against it as against any other product.
        ("We produce safe car seats for babies and toddlers.", "safe car seats", ThemeKind.WHAT),
        ("We bake honest bread.", "bake honest bread", ThemeKind.WHAT),
        # A value that is the head of the phrase is a principle, however short.
        ("Safety first.", "Safety first", ThemeKind.PRINCIPLE),
        ("Quality and care in everything we do.", "Quality and care in everything", ThemeKind.PRINCIPLE),
        ("We care for the planet we share.", "care for the planet we share", ThemeKind.PRINCIPLE),
    ],
)
def test_a_value_word_makes_a_principle_only_when_it_is_the_head(
    statement: str, theme: str, kind: str
) -> None:
    kinds = {t.name: t.kind for t in extract_themes(statement)}
    assert kinds[theme] == kind
