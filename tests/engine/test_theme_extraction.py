"""What the mission model takes from a statement: themes that carry its meaning, and no stray
fragments or negated words that would pull scores the wrong way."""

from __future__ import annotations

from hoshin.domain.mission import ThemeKind, extract_themes
from hoshin.domain.text import without_exceptions
from hoshin.embedding import HashingEmbedder
from hoshin.service.alignment import FACET_TEMPLATES, Aligner

LONG_MISSION = (
    "We make reliable, energy-saving refrigerators for families across Europe. Each one is designed "
    "and built by skilled people who take pride in their craft, made to last and to be repaired."
)


def test_stray_words_cut_off_before_and_are_not_themes() -> None:
    names = [t.name for t in extract_themes(LONG_MISSION)]
    assert "designed" not in names and "last" not in names
    assert "reliable energy-saving refrigerators" in names


def test_a_passive_fragment_is_not_a_product_theme() -> None:
    kinds = {t.name: t.kind for t in extract_themes(LONG_MISSION)}
    assert kinds["repaired"] != ThemeKind.WHAT


def test_parenthesised_exceptions_leave_the_themes() -> None:
    themes = extract_themes("Heating Equipment (except Warm Air Furnaces) Manufacturing")
    assert [t.name for t in themes] == ["heating equipment"]
    assert "furnace" not in themes[0].text.lower()


def test_without_exceptions_keeps_other_parentheses() -> None:
    assert (
        without_exceptions("Metal Tank (Heavy Gauge) Manufacturing")
        == "Metal Tank (Heavy Gauge) Manufacturing"
    )
    assert without_exceptions("Room heaters (except portable electric)") == "Room heaters"
    assert without_exceptions("(except all)") == "(except all)"


def test_mission_rows_leave_out_what_the_mission_excepts() -> None:
    aligner = Aligner(HashingEmbedder(), background=["Baking bread", "Selling used cars"])
    prepared = aligner.prepare(aligner.mission_model("Biological Product (except Diagnostic) Manufacturing"))
    assert all("diagnostic" not in text.lower() for text in prepared.texts)
    assert {template.format("biological") for template in FACET_TEMPLATES} <= set(prepared.texts)
