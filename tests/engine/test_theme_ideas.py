"""Themes are the ideas of a statement as written: who is served, what is given, how and why,
even where no marker word ("for", "by", "who") stands between two ideas."""

from __future__ import annotations

import pytest

from hoshin.domain.mission import ThemeKind, extract_themes


def _themes(statement: str) -> dict[str, str]:
    return {t.name: t.kind for t in extract_themes(statement)}


def test_a_verb_of_giving_separates_who_receives_from_what_is_given() -> None:
    themes = _themes(
        "Our clinic gives children and teenagers with chronic illness expert care close to home."
    )
    assert themes == {
        "children and teenagers with chronic illness": ThemeKind.WHOM,
        "expert care close to home": ThemeKind.WHAT,
    }


def test_whom_an_organisation_helps_is_apart_from_what_they_achieve() -> None:
    themes = _themes("We help farmers in dry regions save water with low-cost sensors.")
    assert themes.get("farmers in dry regions") == ThemeKind.WHOM
    assert "save water" in themes
    themes = _themes("We help engineers with hearing loss find work.")
    assert themes == {"engineers with hearing loss": ThemeKind.WHOM, "find work": ThemeKind.WHAT}


def test_with_describes_the_people_served_but_brings_the_means_after_a_product() -> None:
    themes = _themes("We serve people with disabilities across Europe with affordable wheelchairs.")
    assert themes.get("people with disabilities across Europe") == ThemeKind.WHOM
    assert "affordable wheelchairs" in themes


def test_who_acts_in_a_relative_clause_is_apart_from_what_they_do() -> None:
    themes = _themes(
        "We offer simple bookkeeping software that small businesses and charities can trust with their books."
    )
    assert themes == {
        "simple bookkeeping software": ThemeKind.WHAT,
        "small businesses and charities": ThemeKind.WHOM,
        "trust with their books": ThemeKind.PRINCIPLE,
    }


def test_a_second_action_after_and_is_a_theme_but_list_items_are_not() -> None:
    names = list(_themes("We fix phones, laptops and tablets and teach our customers to fix them too."))
    assert names[:2] == ["fix phones, laptops and tablets", "teach our customers to fix"]
    listed = _themes("We choose refrigerants, materials and methods that care for the planet.")
    assert "choose refrigerants, materials and methods" in listed


def test_a_part_that_only_names_people_is_whom_they_serve() -> None:
    themes = _themes("Our library lends books, tools and time to everyone in the valley.")
    assert themes.get("everyone in the valley") == ThemeKind.WHOM
    # An occupation's own name or a word that only ends like one ("disorders") is not served.
    themes = _themes("Acupuncturists: Diagnose and prevent disorders by stimulating acupuncture points.")
    assert ThemeKind.WHOM not in themes.values()


@pytest.mark.parametrize(
    "statement",
    [
        "Our clinic gives children expert care.",
        "At Northwind Logistics we move goods across the Baltic.",
        "Our brewery makes small-batch beer with local hops.",
    ],
)
def test_the_organisation_naming_itself_is_no_theme(statement: str) -> None:
    for name in _themes(statement):
        assert not name.lower().startswith(("clinic", "northwind", "brewery")), name


@pytest.mark.parametrize(
    "statement",
    ["Our clinic gives", "We help people with", "that they can", "gives, and and the", "!!!", "To give."],
)
def test_fragments_give_phrases_of_themselves_and_no_error(statement: str) -> None:
    themes = extract_themes(statement)
    assert themes, statement
    for theme in themes:
        assert theme.name.lower() in statement.lower()


def test_empty_text_has_no_themes() -> None:
    assert extract_themes("   ") == ()
